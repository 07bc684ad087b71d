#include "core/payload/payloads.h"

namespace metaledger {
namespace {

template <size_t N>
void WriteFixedList(Writer& w, const std::vector<FixedBytes<N>>& v) {
  w.Varint(v.size());
  for (const auto& x : v) w.Fixed(x);
}

template <size_t N>
std::vector<FixedBytes<N>> ReadFixedList(Reader& r, std::string_view what) {
  uint64_t n = r.VarintMax(kMaxPayloadList, what);
  std::vector<FixedBytes<N>> out;
  if (!r.ok() || n * N > r.remaining()) {
    if (r.ok()) r.Fail(Status::InvalidArgument(std::string(what) + ": truncated list"));
    return out;
  }
  out.reserve(n);
  for (uint64_t i = 0; i < n && r.ok(); ++i) out.push_back(r.Fixed<N>());
  return out;
}

void WriteU64List(Writer& w, const std::vector<uint64_t>& v) {
  w.Varint(v.size());
  for (uint64_t x : v) w.U64(x);
}

std::vector<uint64_t> ReadU64List(Reader& r, std::string_view what) {
  uint64_t n = r.VarintMax(kMaxPayloadList, what);
  std::vector<uint64_t> out;
  if (!r.ok() || n * 8 > r.remaining()) {
    if (r.ok()) r.Fail(Status::InvalidArgument(std::string(what) + ": truncated list"));
    return out;
  }
  out.reserve(n);
  for (uint64_t i = 0; i < n && r.ok(); ++i) out.push_back(r.U64());
  return out;
}

template <typename E>
E ReadEnum(Reader& r, E max, std::string_view what) {
  return static_cast<E>(r.VarintMax(static_cast<uint64_t>(max), what));
}

uint32_t ReadU32Max(Reader& r, uint64_t max, std::string_view what) {
  return static_cast<uint32_t>(r.VarintMax(max, what));
}

}  // namespace

// ---- accounts, governance, rewards ----

void TransferPayload::Encode(Writer& w) const { w.Fixed(to).Varint(amount); }
TransferPayload TransferPayload::DecodeFrom(Reader& r) {
  TransferPayload p;
  p.to = r.Fixed<20>();
  p.amount = r.Varint();
  return p;
}

void StakePayload::Encode(Writer& w) const { w.Varint(amount); }
StakePayload StakePayload::DecodeFrom(Reader& r) { return {r.Varint()}; }

void UnstakePayload::Encode(Writer& w) const { w.Varint(amount); }
UnstakePayload UnstakePayload::DecodeFrom(Reader& r) { return {r.Varint()}; }

void RegisterDevicePayload::Encode(Writer& w) const {
  w.Fixed(device_key).Varint(static_cast<uint64_t>(device_kind));
}
RegisterDevicePayload RegisterDevicePayload::DecodeFrom(Reader& r) {
  RegisterDevicePayload p;
  p.device_key = r.Fixed<32>();
  p.device_kind = ReadEnum(r, DeviceKind::OTHER, "device kind");
  return p;
}

void GovAction::Encode(Writer& w) const {
  w.Varint(static_cast<uint64_t>(type));
  switch (type) {
    case GovActionType::GRANT_ROLE:
    case GovActionType::REVOKE_ROLE:
      w.Fixed(target).Varint(roles);
      break;
    case GovActionType::ADD_VALIDATOR:
    case GovActionType::REMOVE_VALIDATOR:
      w.Fixed(key);
      break;
    case GovActionType::SET_PARAM:
      w.String(param_name).Varint(value);
      break;
    case GovActionType::MINT:
      w.Fixed(pool_id).Varint(amount);
      break;
    case GovActionType::SUSPEND:
      w.Fixed(target).Varint(value);
      break;
  }
}

GovAction GovAction::DecodeFrom(Reader& r) {
  GovAction a;
  a.type = ReadEnum(r, GovActionType::SUSPEND, "governance action");
  if (!r.ok()) return a;
  switch (a.type) {
    case GovActionType::GRANT_ROLE:
    case GovActionType::REVOKE_ROLE:
      a.target = r.Fixed<20>();
      a.roles = ReadU32Max(r, kAllRoles, "roles");
      break;
    case GovActionType::ADD_VALIDATOR:
    case GovActionType::REMOVE_VALIDATOR:
      a.key = r.Fixed<32>();
      break;
    case GovActionType::SET_PARAM:
      a.param_name = r.String(kMaxPayloadString, "parameter name");
      a.value = r.Varint();
      break;
    case GovActionType::MINT:
      a.pool_id = r.Fixed<32>();
      a.amount = r.Varint();
      break;
    case GovActionType::SUSPEND:
      a.target = r.Fixed<20>();
      a.value = r.Varint();
      break;
  }
  return a;
}

void ProposePayload::Encode(Writer& w) const { action.Encode(w); }
ProposePayload ProposePayload::DecodeFrom(Reader& r) { return {GovAction::DecodeFrom(r)}; }

void VotePayload::Encode(Writer& w) const { w.Fixed(proposal_id).Bool(yes); }
VotePayload VotePayload::DecodeFrom(Reader& r) {
  VotePayload p;
  p.proposal_id = r.Fixed<32>();
  p.yes = r.Bool();
  return p;
}

void ClaimPayload::Encode(Writer&) const {}
ClaimPayload ClaimPayload::DecodeFrom(Reader&) { return {}; }

// ---- FL ----

void CreateFlTaskPayload::Encode(Writer& w) const {
  w.Fixed(task_id).Varint(static_cast<uint64_t>(family)).Fixed(aggregator);
  WriteFixedList(w, evaluators);
  w.Fixed(genesis_model_hash);
}
CreateFlTaskPayload CreateFlTaskPayload::DecodeFrom(Reader& r) {
  CreateFlTaskPayload p;
  p.task_id = r.Fixed<32>();
  p.family = ReadEnum(r, ModelFamily::OTHER, "model family");
  p.aggregator = r.Fixed<20>();
  p.evaluators = ReadFixedList<20>(r, "evaluators");
  p.genesis_model_hash = r.Fixed<32>();
  return p;
}

void EnrollClientPayload::Encode(Writer& w) const { w.Fixed(task_id); }
EnrollClientPayload EnrollClientPayload::DecodeFrom(Reader& r) { return {r.Fixed<32>()}; }

void OpenRoundPayload::Encode(Writer& w) const {
  w.Fixed(task_id).Varint(round).Fixed(base_model_hash).Varint(budget).Varint(submit_end_h);
  w.Varint(aggregate_end_h).Varint(eval_end_h).Varint(q_min_ppm).Varint(n_cap);
}
OpenRoundPayload OpenRoundPayload::DecodeFrom(Reader& r) {
  OpenRoundPayload p;
  p.task_id = r.Fixed<32>();
  p.round = r.Varint();
  p.base_model_hash = r.Fixed<32>();
  p.budget = r.Varint();
  p.submit_end_h = r.Varint();
  p.aggregate_end_h = r.Varint();
  p.eval_end_h = r.Varint();
  p.q_min_ppm = ReadU32Max(r, kPpm, "q_min_ppm");
  p.n_cap = r.Varint();
  return p;
}

void SubmitUpdatePayload::Encode(Writer& w) const {
  w.Fixed(task_id).Varint(round).Fixed(update_hash).Varint(n_samples).Fixed(base_model_hash);
}
SubmitUpdatePayload SubmitUpdatePayload::DecodeFrom(Reader& r) {
  SubmitUpdatePayload p;
  p.task_id = r.Fixed<32>();
  p.round = r.Varint();
  p.update_hash = r.Fixed<32>();
  p.n_samples = r.Varint();
  p.base_model_hash = r.Fixed<32>();
  return p;
}

void PublishAggregatePayload::Encode(Writer& w) const {
  w.Fixed(task_id).Varint(round).Fixed(global_hash);
  WriteFixedList(w, included);
  w.Fixed(included_root);
}
PublishAggregatePayload PublishAggregatePayload::DecodeFrom(Reader& r) {
  PublishAggregatePayload p;
  p.task_id = r.Fixed<32>();
  p.round = r.Varint();
  p.global_hash = r.Fixed<32>();
  p.included = ReadFixedList<20>(r, "included");
  p.included_root = r.Fixed<32>();
  return p;
}

void SubmitEvaluationPayload::Encode(Writer& w) const {
  w.Fixed(task_id).Varint(round).Varint(scores.size());
  for (const ClientScore& s : scores) w.Fixed(s.client).Varint(s.q_ppm);
  w.Varint(global_acc_bps).Varint(flags.size());
  for (const ClientFlag& f : flags) w.Fixed(f.client).Varint(static_cast<uint64_t>(f.flag));
}
SubmitEvaluationPayload SubmitEvaluationPayload::DecodeFrom(Reader& r) {
  SubmitEvaluationPayload p;
  p.task_id = r.Fixed<32>();
  p.round = r.Varint();
  uint64_t n = r.VarintMax(kMaxPayloadList, "scores");
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    ClientScore s;
    s.client = r.Fixed<20>();
    s.q_ppm = static_cast<uint32_t>(r.VarintMax(UINT32_MAX, "q_ppm"));
    p.scores.push_back(s);
  }
  p.global_acc_bps = static_cast<uint32_t>(r.VarintMax(UINT32_MAX, "global_acc_bps"));
  uint64_t m = r.VarintMax(kMaxPayloadList, "flags");
  for (uint64_t i = 0; i < m && r.ok(); ++i) {
    ClientFlag f;
    f.client = r.Fixed<20>();
    f.flag = ReadEnum(r, EvalFlag::FREERIDE, "flag");
    p.flags.push_back(f);
  }
  return p;
}

void RevokeModelPayload::Encode(Writer& w) const { w.Fixed(model_id); }
RevokeModelPayload RevokeModelPayload::DecodeFrom(Reader& r) { return {r.Fixed<32>()}; }

// ---- provenance ----

void RegisterDatasetPayload::Encode(Writer& w) const {
  w.Fixed(content_root).Varint(byte_len).String(media_type).Fixed(schema_hash).Fixed(collector);
  w.Fixed(device_sig);
  WriteFixedList(w, parents);
  w.Varint(static_cast<uint64_t>(derivation)).Varint(generation_ts_ms);
  WriteU64List(w, cells);
  w.Varint(licence_id).Fixed(consent_ref).Varint(purposes);
}
RegisterDatasetPayload RegisterDatasetPayload::DecodeFrom(Reader& r) {
  RegisterDatasetPayload p;
  p.content_root = r.Fixed<32>();
  p.byte_len = r.Varint();
  p.media_type = r.String(kMaxPayloadString, "media type");
  p.schema_hash = r.Fixed<32>();
  p.collector = r.Fixed<20>();
  p.device_sig = r.Fixed<64>();
  p.parents = ReadFixedList<32>(r, "parents");
  p.derivation = ReadEnum(r, Derivation::REVISION, "derivation");
  p.generation_ts_ms = r.Varint();
  p.cells = ReadU64List(r, "cells");
  p.licence_id = static_cast<uint32_t>(r.VarintMax(UINT32_MAX, "licence id"));
  p.consent_ref = r.Fixed<32>();
  p.purposes = ReadU32Max(r, kAllPurposes, "purposes");
  return p;
}

void RevokeConsentPayload::Encode(Writer& w) const { w.Fixed(data_id); }
RevokeConsentPayload RevokeConsentPayload::DecodeFrom(Reader& r) { return {r.Fixed<32>()}; }

void VoidDatasetPayload::Encode(Writer& w) const { w.Fixed(data_id); }
VoidDatasetPayload VoidDatasetPayload::DecodeFrom(Reader& r) { return {r.Fixed<32>()}; }

// ---- sensing ----

void CreatePoolPayload::Encode(Writer& w) const { w.Fixed(pool_id); }
CreatePoolPayload CreatePoolPayload::DecodeFrom(Reader& r) { return {r.Fixed<32>()}; }

void FundPoolPayload::Encode(Writer& w) const { w.Fixed(pool_id).Varint(amount); }
FundPoolPayload FundPoolPayload::DecodeFrom(Reader& r) {
  FundPoolPayload p;
  p.pool_id = r.Fixed<32>();
  p.amount = r.Varint();
  return p;
}

void RegisterSensingPayload::Encode(Writer& w) const {
  w.Fixed(data_id).Fixed(pool_id).Varint(cell).Varint(slot);
}
RegisterSensingPayload RegisterSensingPayload::DecodeFrom(Reader& r) {
  RegisterSensingPayload p;
  p.data_id = r.Fixed<32>();
  p.pool_id = r.Fixed<32>();
  p.cell = r.Varint();
  p.slot = r.Varint();
  return p;
}

// ---- auction ----

void PostTaskPayload::Encode(Writer& w) const {
  WriteU64List(w, cells);
  w.Varint(window_start_ms).Varint(window_end_ms).Varint(max_aoi_ms).Varint(k).Varint(reserve);
  w.Varint(bid_bond).Varint(commit_end_h).Varint(reveal_end_h).Varint(delivery_end_h);
  w.Varint(accept_window_blocks).Varint(min_reputation_ppm).Fixed(spec_hash);
}
PostTaskPayload PostTaskPayload::DecodeFrom(Reader& r) {
  PostTaskPayload p;
  p.cells = ReadU64List(r, "cells");
  p.window_start_ms = r.Varint();
  p.window_end_ms = r.Varint();
  p.max_aoi_ms = r.Varint();
  p.k = static_cast<uint32_t>(r.VarintMax(UINT32_MAX, "K"));
  p.reserve = r.Varint();
  p.bid_bond = r.Varint();
  p.commit_end_h = r.Varint();
  p.reveal_end_h = r.Varint();
  p.delivery_end_h = r.Varint();
  p.accept_window_blocks = r.Varint();
  p.min_reputation_ppm = ReadU32Max(r, kPpm, "min_reputation_ppm");
  p.spec_hash = r.Fixed<32>();
  return p;
}

void CommitBidPayload::Encode(Writer& w) const { w.Fixed(task_id).Fixed(uav).Fixed(commitment); }
CommitBidPayload CommitBidPayload::DecodeFrom(Reader& r) {
  CommitBidPayload p;
  p.task_id = r.Fixed<32>();
  p.uav = r.Fixed<20>();
  p.commitment = r.Fixed<32>();
  return p;
}

void RevealBidPayload::Encode(Writer& w) const {
  w.Fixed(task_id).Fixed(uav).Varint(ask).Fixed(salt);
}
RevealBidPayload RevealBidPayload::DecodeFrom(Reader& r) {
  RevealBidPayload p;
  p.task_id = r.Fixed<32>();
  p.uav = r.Fixed<20>();
  p.ask = r.Varint();
  p.salt = r.Fixed<32>();
  return p;
}

void SubmitDeliveryPayload::Encode(Writer& w) const { w.Fixed(task_id).Fixed(uav).Fixed(data_id); }
SubmitDeliveryPayload SubmitDeliveryPayload::DecodeFrom(Reader& r) {
  SubmitDeliveryPayload p;
  p.task_id = r.Fixed<32>();
  p.uav = r.Fixed<20>();
  p.data_id = r.Fixed<32>();
  return p;
}

void AcceptDeliveryPayload::Encode(Writer& w) const { w.Fixed(task_id).Fixed(uav); }
AcceptDeliveryPayload AcceptDeliveryPayload::DecodeFrom(Reader& r) {
  AcceptDeliveryPayload p;
  p.task_id = r.Fixed<32>();
  p.uav = r.Fixed<20>();
  return p;
}

// ---- twin ----

void RegisterTwinPayload::Encode(Writer& w) const {
  w.Fixed(twin_id).Varint(twin_class);
  WriteU64List(w, cells);
  w.Varint(max_aoi_ms).Varint(static_cast<uint64_t>(model_family));
  WriteFixedList(w, operators);
}
RegisterTwinPayload RegisterTwinPayload::DecodeFrom(Reader& r) {
  RegisterTwinPayload p;
  p.twin_id = r.Fixed<32>();
  p.twin_class = static_cast<uint32_t>(r.VarintMax(UINT32_MAX, "twin class"));
  p.cells = ReadU64List(r, "cells");
  p.max_aoi_ms = r.Varint();
  p.model_family = ReadEnum(r, ModelFamily::OTHER, "model family");
  p.operators = ReadFixedList<20>(r, "operators");
  return p;
}

void TwinUpdatePayload::Encode(Writer& w) const {
  w.Fixed(twin_id).Varint(seq).Fixed(prev_state_hash).Fixed(new_state_hash).Fixed(model_id);
  WriteFixedList(w, inputs);
}
TwinUpdatePayload TwinUpdatePayload::DecodeFrom(Reader& r) {
  TwinUpdatePayload p;
  p.twin_id = r.Fixed<32>();
  p.seq = r.Varint();
  p.prev_state_hash = r.Fixed<32>();
  p.new_state_hash = r.Fixed<32>();
  p.model_id = r.Fixed<32>();
  p.inputs = ReadFixedList<32>(r, "inputs");
  return p;
}

}  // namespace metaledger
