#include "wallet/payload_json.h"

#include <nlohmann/json.hpp>

#include "core/payload/payloads.h"

namespace metaledger::wallet {
namespace {

using nlohmann::json;

std::string S(uint64_t v) { return std::to_string(v); }
template <size_t N>
std::string H(const FixedBytes<N>& v) {
  return v.Hex();
}
template <typename T>
json HexList(const std::vector<T>& v) {
  json out = json::array();
  for (const auto& x : v) out.push_back(x.Hex());
  return out;
}
json U64List(const std::vector<uint64_t>& v) {
  json out = json::array();
  for (uint64_t x : v) out.push_back(S(x));
  return out;
}
const char* FamilyName(ModelFamily f) {
  switch (f) {
    case ModelFamily::TWIN:
      return "twin";
    case ModelFamily::AVATAR:
      return "avatar";
    case ModelFamily::OTHER:
      return "other";
  }
  return "?";
}
const char* GovName(GovActionType t) {
  switch (t) {
    case GovActionType::GRANT_ROLE:
      return "grant-role";
    case GovActionType::REVOKE_ROLE:
      return "revoke-role";
    case GovActionType::ADD_VALIDATOR:
      return "add-validator";
    case GovActionType::REMOVE_VALIDATOR:
      return "remove-validator";
    case GovActionType::SET_PARAM:
      return "set-param";
    case GovActionType::MINT:
      return "mint";
    case GovActionType::SUSPEND:
      return "suspend";
  }
  return "?";
}

json Fields(const TransferPayload& p) { return {{"to", H(p.to)}, {"amount", S(p.amount)}}; }
json Fields(const StakePayload& p) { return {{"amount", S(p.amount)}}; }
json Fields(const UnstakePayload& p) { return {{"amount", S(p.amount)}}; }
json Fields(const RegisterDevicePayload& p) {
  static const char* kinds[] = {"uav", "sensor", "other"};
  return {{"device_key", H(p.device_key)},
          {"device_kind", kinds[static_cast<int>(p.device_kind) % 3]}};
}
json Fields(const ProposePayload& p) {
  const GovAction& a = p.action;
  json j = {{"type", GovName(a.type)}};
  switch (a.type) {
    case GovActionType::GRANT_ROLE:
    case GovActionType::REVOKE_ROLE:
      j["target"] = H(a.target);
      j["roles"] = RoleNames(a.roles);
      break;
    case GovActionType::ADD_VALIDATOR:
    case GovActionType::REMOVE_VALIDATOR:
      j["key"] = H(a.key);
      break;
    case GovActionType::SET_PARAM:
      j["param_name"] = a.param_name;
      j["value"] = S(a.value);
      break;
    case GovActionType::MINT:
      j["pool_id"] = H(a.pool_id);
      j["amount"] = S(a.amount);
      break;
    case GovActionType::SUSPEND:
      j["target"] = H(a.target);
      j["value"] = S(a.value);
      break;
  }
  return j;
}
json Fields(const VotePayload& p) { return {{"proposal_id", H(p.proposal_id)}, {"yes", p.yes}}; }
json Fields(const ClaimPayload&) { return json::object(); }
json Fields(const CreateFlTaskPayload& p) {
  return {{"task_id", H(p.task_id)},
          {"family", FamilyName(p.family)},
          {"aggregator", H(p.aggregator)},
          {"evaluators", HexList(p.evaluators)},
          {"genesis_model_hash", H(p.genesis_model_hash)}};
}
json Fields(const EnrollClientPayload& p) { return {{"task_id", H(p.task_id)}}; }
json Fields(const OpenRoundPayload& p) {
  return {{"task_id", H(p.task_id)},
          {"round", S(p.round)},
          {"base_model_hash", H(p.base_model_hash)},
          {"budget", S(p.budget)},
          {"submit_end_h", S(p.submit_end_h)},
          {"aggregate_end_h", S(p.aggregate_end_h)},
          {"eval_end_h", S(p.eval_end_h)},
          {"q_min_ppm", p.q_min_ppm},
          {"n_cap", S(p.n_cap)}};
}
json Fields(const SubmitUpdatePayload& p) {
  return {{"task_id", H(p.task_id)},
          {"round", S(p.round)},
          {"update_hash", H(p.update_hash)},
          {"n_samples", S(p.n_samples)},
          {"base_model_hash", H(p.base_model_hash)}};
}
json Fields(const PublishAggregatePayload& p) {
  return {{"task_id", H(p.task_id)},
          {"round", S(p.round)},
          {"global_hash", H(p.global_hash)},
          {"included", HexList(p.included)},
          {"included_root", H(p.included_root)}};
}
json Fields(const SubmitEvaluationPayload& p) {
  json scores = json::array(), flags = json::array();
  for (const auto& s : p.scores) scores.push_back({{"client", H(s.client)}, {"q_ppm", s.q_ppm}});
  for (const auto& f : p.flags) {
    flags.push_back({{"client", H(f.client)},
                     {"flag", f.flag == EvalFlag::MALICIOUS ? "malicious" : "freeride"}});
  }
  return {{"task_id", H(p.task_id)},
          {"round", S(p.round)},
          {"scores", scores},
          {"global_acc_bps", p.global_acc_bps},
          {"flags", flags}};
}
json Fields(const RevokeModelPayload& p) { return {{"model_id", H(p.model_id)}}; }
json Fields(const RegisterDatasetPayload& p) {
  return {{"content_root", H(p.content_root)},
          {"byte_len", S(p.byte_len)},
          {"media_type", p.media_type},
          {"schema_hash", H(p.schema_hash)},
          {"collector", H(p.collector)},
          {"device_sig", H(p.device_sig)},
          {"parents", HexList(p.parents)},
          {"derivation", static_cast<int>(p.derivation)},
          {"generation_ts_ms", S(p.generation_ts_ms)},
          {"cells", U64List(p.cells)},
          {"licence_id", p.licence_id},
          {"consent_ref", H(p.consent_ref)},
          {"purposes", p.purposes}};
}
json Fields(const RevokeConsentPayload& p) { return {{"data_id", H(p.data_id)}}; }
json Fields(const VoidDatasetPayload& p) { return {{"data_id", H(p.data_id)}}; }
json Fields(const CreatePoolPayload& p) { return {{"pool_id", H(p.pool_id)}}; }
json Fields(const FundPoolPayload& p) {
  return {{"pool_id", H(p.pool_id)}, {"amount", S(p.amount)}};
}
json Fields(const RegisterSensingPayload& p) {
  return {{"data_id", H(p.data_id)},
          {"pool_id", H(p.pool_id)},
          {"cell", S(p.cell)},
          {"slot", S(p.slot)}};
}
json Fields(const PostTaskPayload& p) {
  return {{"cells", U64List(p.cells)},
          {"window_start_ms", S(p.window_start_ms)},
          {"window_end_ms", S(p.window_end_ms)},
          {"max_aoi_ms", S(p.max_aoi_ms)},
          {"k", p.k},
          {"reserve", S(p.reserve)},
          {"bid_bond", S(p.bid_bond)},
          {"commit_end_h", S(p.commit_end_h)},
          {"reveal_end_h", S(p.reveal_end_h)},
          {"delivery_end_h", S(p.delivery_end_h)},
          {"accept_window_blocks", S(p.accept_window_blocks)},
          {"min_reputation_ppm", p.min_reputation_ppm},
          {"spec_hash", H(p.spec_hash)}};
}
json Fields(const CommitBidPayload& p) {
  return {{"task_id", H(p.task_id)}, {"uav", H(p.uav)}, {"commitment", H(p.commitment)}};
}
json Fields(const RevealBidPayload& p) {
  return {{"task_id", H(p.task_id)}, {"uav", H(p.uav)}, {"ask", S(p.ask)}, {"salt", H(p.salt)}};
}
json Fields(const SubmitDeliveryPayload& p) {
  return {{"task_id", H(p.task_id)}, {"uav", H(p.uav)}, {"data_id", H(p.data_id)}};
}
json Fields(const AcceptDeliveryPayload& p) {
  return {{"task_id", H(p.task_id)}, {"uav", H(p.uav)}};
}
json Fields(const RegisterTwinPayload& p) {
  return {{"twin_id", H(p.twin_id)},
          {"twin_class", p.twin_class},
          {"cells", U64List(p.cells)},
          {"max_aoi_ms", S(p.max_aoi_ms)},
          {"model_family", FamilyName(p.model_family)},
          {"operators", HexList(p.operators)}};
}
json Fields(const TwinUpdatePayload& p) {
  return {{"twin_id", H(p.twin_id)},
          {"seq", S(p.seq)},
          {"prev_state_hash", H(p.prev_state_hash)},
          {"new_state_hash", H(p.new_state_hash)},
          {"model_id", H(p.model_id)},
          {"inputs", HexList(p.inputs)}};
}

template <typename P>
Result<std::string> As(ByteView payload) {
  auto p = Decode<P>(payload);
  if (!p.ok()) return p.status().Annotate("payload");
  return Fields(*p).dump();
}

}  // namespace

Result<std::string> PayloadToJson(TxKind kind, ByteView payload) {
  switch (kind) {
    case TxKind::TRANSFER:
      return As<TransferPayload>(payload);
    case TxKind::STAKE:
      return As<StakePayload>(payload);
    case TxKind::UNSTAKE:
      return As<UnstakePayload>(payload);
    case TxKind::REGISTER_DEVICE:
      return As<RegisterDevicePayload>(payload);
    case TxKind::PROPOSE:
      return As<ProposePayload>(payload);
    case TxKind::VOTE:
      return As<VotePayload>(payload);
    case TxKind::CLAIM:
      return As<ClaimPayload>(payload);
    case TxKind::CREATE_FL_TASK:
      return As<CreateFlTaskPayload>(payload);
    case TxKind::ENROLL_CLIENT:
      return As<EnrollClientPayload>(payload);
    case TxKind::OPEN_ROUND:
      return As<OpenRoundPayload>(payload);
    case TxKind::SUBMIT_UPDATE:
      return As<SubmitUpdatePayload>(payload);
    case TxKind::PUBLISH_AGGREGATE:
      return As<PublishAggregatePayload>(payload);
    case TxKind::SUBMIT_EVALUATION:
      return As<SubmitEvaluationPayload>(payload);
    case TxKind::REVOKE_MODEL:
      return As<RevokeModelPayload>(payload);
    case TxKind::REGISTER_DATASET:
      return As<RegisterDatasetPayload>(payload);
    case TxKind::REVOKE_CONSENT:
      return As<RevokeConsentPayload>(payload);
    case TxKind::VOID_DATASET:
      return As<VoidDatasetPayload>(payload);
    case TxKind::CREATE_POOL:
      return As<CreatePoolPayload>(payload);
    case TxKind::FUND_POOL:
      return As<FundPoolPayload>(payload);
    case TxKind::REGISTER_SENSING:
      return As<RegisterSensingPayload>(payload);
    case TxKind::POST_TASK:
      return As<PostTaskPayload>(payload);
    case TxKind::COMMIT_BID:
      return As<CommitBidPayload>(payload);
    case TxKind::REVEAL_BID:
      return As<RevealBidPayload>(payload);
    case TxKind::SUBMIT_DELIVERY:
      return As<SubmitDeliveryPayload>(payload);
    case TxKind::ACCEPT_DELIVERY:
      return As<AcceptDeliveryPayload>(payload);
    case TxKind::REGISTER_TWIN:
      return As<RegisterTwinPayload>(payload);
    case TxKind::TWIN_UPDATE:
      return As<TwinUpdatePayload>(payload);
  }
  return Status::InvalidArgument("unknown transaction kind " +
                                 std::to_string(static_cast<unsigned>(kind)));
}

}  // namespace metaledger::wallet
