#include "node/rest/contract_views.h"

#include "contracts/queries.h"

namespace metaledger::rest {

using nlohmann::json;

namespace {

// A read-only view of the state at a past height, one proven read per key.
class HistoricState final : public StateView {
 public:
  HistoricState(const storage::LedgerStore& store, uint64_t height)
      : store_(store), height_(height) {}
  Result<std::optional<Bytes>> Get(ByteView key) const override {
    ML_ASSIGN_OR_RETURN(storage::StateProofResult r, store_.GetWithProof(key, height_));
    return r.value;
  }

 private:
  const storage::LedgerStore& store_;
  uint64_t height_;
};

std::string U64(uint64_t v) { return std::to_string(v); }

template <typename T>
json HexList(const std::vector<T>& items) {
  json out = json::array();
  for (const T& item : items) out.push_back(item.Hex());
  return out;
}

json U64List(const std::vector<uint64_t>& items) {
  json out = json::array();
  for (uint64_t v : items) out.push_back(U64(v));
  return out;
}

json RoleNames(RoleMask mask) {
  json out = json::array();
  for (Role r : AllRoles()) {
    if (HasRole(mask, r)) out.push_back(std::string(RoleName(r)));
  }
  return out;
}

const char* FamilyName(ModelFamily f) {
  switch (f) {
    case ModelFamily::TWIN:
      return "TWIN";
    case ModelFamily::AVATAR:
      return "AVATAR";
    default:
      return "OTHER";
  }
}

const char* ModelStatusName(contracts::ModelStatus s) {
  constexpr const char* kNames[] = {"PENDING", "APPROVED", "REJECTED", "REVOKED"};
  auto i = static_cast<size_t>(s);
  return i < std::size(kNames) ? kNames[i] : "UNKNOWN";
}

const char* PhaseName(contracts::AuctionPhase p) {
  constexpr const char* kNames[] = {"COMMIT", "REVEAL", "DELIVERY", "DONE"};
  auto i = static_cast<size_t>(p);
  return i < std::size(kNames) ? kNames[i] : "UNKNOWN";
}

const char* OutcomeName(contracts::BidOutcome o) {
  constexpr const char* kNames[] = {
      "PENDING", "INVALID_OVER_RESERVE", "UNREVEALED", "LOST", "WON", "PAID", "DEFAULTED"};
  auto i = static_cast<size_t>(o);
  return i < std::size(kNames) ? kNames[i] : "UNKNOWN";
}

const char* DerivationName(Derivation d) {
  constexpr const char* kNames[] = {"RAW",        "CLEANED",   "LABELLED",
                                    "AGGREGATED", "SYNTHETIC", "REVISION"};
  auto i = static_cast<size_t>(d);
  return i < std::size(kNames) ? kNames[i] : "UNKNOWN";
}

template <size_t N>
Result<FixedBytes<N>> IdOf(const ViewQuery& q) {
  return FixedBytes<N>::FromView(q.id);
}

Status Missing(const char* what, const ViewQuery& q) {
  return Status::NotFound(std::string("no ") + what + " " + ToHex(q.id));
}

Result<json> Account(const StateView& s, const ViewQuery& q) {
  ML_ASSIGN_OR_RETURN(Address a, IdOf<20>(q));
  ML_ASSIGN_OR_RETURN(auto view, contracts::QueryAccount(s, a));
  if (!view) return Missing("account", q);
  const auto& acct = view->account;
  json reputation = json::object();
  for (const auto& [role, ppm] : view->reputation_ppm) reputation[RoleName(role)] = U64(ppm);
  json j = {{"address", a.Hex()},
            {"public_key", acct.has_key ? json(acct.key.Hex()) : json(nullptr)},
            {"balance", U64(acct.balance)},
            {"nonce", U64(acct.nonce)},
            {"roles", RoleNames(acct.roles)},
            {"stake", U64(acct.stake)},
            {"unbonding", U64(acct.unbonding)},
            {"suspended_until_height", U64(acct.suspended_until_h)},
            {"reputation_ppm", reputation},
            {"claimable", U64(view->claimable)}};
  if (acct.has_operator) j["operator"] = acct.operator_addr.Hex();
  return j;
}

Result<json> Model(const StateView& s, const ViewQuery& q) {
  ML_ASSIGN_OR_RETURN(Hash256 id, IdOf<32>(q));
  ML_ASSIGN_OR_RETURN(auto m, contracts::QueryModel(s, id));
  if (!m) return Missing("model", q);
  return json{{"id", id.Hex()},
              {"task_id", m->task_id.Hex()},
              {"family", FamilyName(m->family)},
              {"parent", m->parent.IsZero() ? json(nullptr) : json(m->parent.Hex())},
              {"round", U64(m->round)},
              {"status", ModelStatusName(m->status)},
              {"acc_bps", U64(m->acc_bps)},
              {"registered_height", U64(m->registered_h)}};
}

Result<json> FlTask(const StateView& s, const ViewQuery& q) {
  ML_ASSIGN_OR_RETURN(Hash256 id, IdOf<32>(q));
  ML_ASSIGN_OR_RETURN(auto t, contracts::QueryFlTask(s, id));
  if (!t) return Missing("FL task", q);
  return json{{"id", id.Hex()},
              {"creator", t->creator.Hex()},
              {"family", FamilyName(t->family)},
              {"aggregator", t->aggregator.Hex()},
              {"evaluators", HexList(t->evaluators)},
              {"head_model", t->head_model.Hex()},
              {"head_acc_bps", U64(t->head_acc_bps)},
              {"rounds", U64(t->rounds)},
              {"carry", U64(t->carry)}};
}

Result<json> Dataset(const StateView& s, const ViewQuery& q, bool lineage) {
  ML_ASSIGN_OR_RETURN(Hash256 id, IdOf<32>(q));
  ML_ASSIGN_OR_RETURN(auto d, contracts::QueryDataset(s, id));
  if (!d) return Missing("dataset", q);
  if (lineage) {
    return json{{"id", id.Hex()},
                {"parents", HexList(d->record.parents)},
                {"ancestors", HexList(d->ancestors)},
                {"descendants", HexList(d->descendants)},
                {"users", HexList(d->users)}};
  }
  const auto& r = d->record;
  return json{{"id", id.Hex()},
              {"content_root", r.content_root.Hex()},
              {"byte_len", U64(r.byte_len)},
              {"media_type", r.media_type},
              {"schema_hash", r.schema_hash.Hex()},
              {"owner", r.owner.Hex()},
              {"collector", r.collector.Hex()},
              {"parents", HexList(r.parents)},
              {"derivation", DerivationName(r.derivation)},
              {"generation_ts_ms", U64(r.generation_ts_ms)},
              {"cells", U64List(r.cells)},
              {"licence_id", r.licence_id},
              {"purposes", r.purposes},
              {"registered_height", U64(r.registered_h)},
              {"status", r.status == contracts::DatasetStatus::VOIDED ? "VOIDED" : "ACTIVE"},
              {"consent_revoked", r.consent_revoked},
              {"ancestor_voided", r.ancestor_voided}};
}

Result<json> Pool(const StateView& s, const ViewQuery& q) {
  ML_ASSIGN_OR_RETURN(Hash256 id, IdOf<32>(q));
  ML_ASSIGN_OR_RETURN(auto p, contracts::QueryPool(s, id));
  if (!p) return Missing("sensing pool", q);
  return json{{"id", id.Hex()},
              {"vsp", p->vsp.Hex()},
              {"balance", U64(p->balance)},
              {"total_paid", U64(p->total_paid)},
              {"open_epoch", U64(p->open_epoch)}};
}

Result<json> Auction(const StateView& s, const ViewQuery& q) {
  ML_ASSIGN_OR_RETURN(Hash256 id, IdOf<32>(q));
  ML_ASSIGN_OR_RETURN(auto a, contracts::QueryAuction(s, id, q.height));
  if (!a) return Missing("auction", q);
  const auto& t = a->task;
  json bids = json::array();
  json deliveries = json::array();
  for (const auto& [uav, bid] : a->bids) {
    bids.push_back({{"uav", uav.Hex()},
                    {"operator", bid.operator_addr.Hex()},
                    {"revealed", bid.revealed},
                    {"ask", bid.revealed ? json(U64(bid.ask)) : json(nullptr)},
                    {"outcome", OutcomeName(bid.outcome)}});
    if (bid.delivered) {
      deliveries.push_back(
          {{"uav", uav.Hex()}, {"data_id", bid.data_id.Hex()}, {"height", U64(bid.delivered_h)}});
    }
  }
  return json{{"id", id.Hex()},
              {"vsp", t.vsp.Hex()},
              {"phase", PhaseName(a->phase)},
              {"k", t.terms.k},
              {"reserve", U64(t.terms.reserve)},
              {"cells", U64List(t.terms.cells)},
              {"commit_end_height", U64(t.terms.commit_end_h)},
              {"reveal_end_height", U64(t.terms.reveal_end_h)},
              {"delivery_end_height", U64(t.terms.delivery_end_h)},
              {"commitments", U64(t.commits)},
              {"reveals", U64(t.reveals)},
              {"valid_bids", U64(t.valid_bids)},
              {"winners", HexList(t.winners)},
              {"price", U64(t.price)},
              {"closed", t.closed},
              {"bids", bids},
              {"deliveries", deliveries}};
}

Result<json> Twin(const storage::LedgerStore& store, const StateView& s, const ViewQuery& q) {
  ML_ASSIGN_OR_RETURN(Hash256 id, IdOf<32>(q));
  ML_ASSIGN_OR_RETURN(Block block, store.GetBlock(q.height));
  ML_ASSIGN_OR_RETURN(auto t, contracts::QueryTwin(s, id, block.header.time_ms));
  if (!t) return Missing("twin", q);
  json history = json::array();
  for (const auto& u : t->history) {
    history.push_back({{"seq", U64(u.seq)},
                       {"prev_state_hash", u.prev_state_hash.Hex()},
                       {"new_state_hash", u.new_state_hash.Hex()},
                       {"model_id", u.model_id.Hex()},
                       {"inputs", HexList(u.inputs)},
                       {"submitter", u.submitter.Hex()},
                       {"height", U64(u.height)},
                       {"tainted", u.tainted}});
  }
  const auto& tw = t->twin;
  return json{{"id", id.Hex()},
              {"vsp", tw.vsp.Hex()},
              {"class", tw.twin_class},
              {"cells", U64List(tw.cells)},
              {"max_aoi_ms", U64(tw.max_aoi_ms)},
              {"family", FamilyName(tw.family)},
              {"operators", HexList(tw.operators)},
              {"head_seq", U64(tw.head_seq)},
              {"head_state_hash", tw.head_state_hash.Hex()},
              {"aoi_ms", U64(t->aoi_ms)},
              {"in_sync", t->in_sync},
              {"requires_resync", tw.requires_resync},
              {"last_sync_height", U64(tw.last_sync_h)},
              {"history", history}};
}

Result<json> Rewards(const StateView& s, const ViewQuery& q) {
  ML_ASSIGN_OR_RETURN(Address a, IdOf<20>(q));
  ML_ASSIGN_OR_RETURN(uint64_t claimable, contracts::QueryClaimable(s, a));
  return json{{"address", a.Hex()}, {"claimable", U64(claimable)}};
}

}  // namespace

Result<json> ContractQueryViews::Query(const ViewQuery& q) const {
  std::optional<HistoricState> historic;
  const StateView* state = &store_.LatestState();
  if (q.height != store_.last_height()) state = &historic.emplace(store_, q.height);
  switch (q.kind) {
    case ViewKind::kAccount:
      return Account(*state, q);
    case ViewKind::kModel:
      return Model(*state, q);
    case ViewKind::kFlTask:
      return FlTask(*state, q);
    case ViewKind::kFlRound:
      return Status::Unavailable("FL round views are not available yet");
    case ViewKind::kDataset:
      return Dataset(*state, q, false);
    case ViewKind::kLineage:
      return Dataset(*state, q, true);
    case ViewKind::kSensingPool:
      return Pool(*state, q);
    case ViewKind::kAuction:
      return Auction(*state, q);
    case ViewKind::kTwin:
      return Twin(store_, *state, q);
    case ViewKind::kRewards:
      return Rewards(*state, q);
  }
  return Status::InvalidArgument("unknown view");
}

}  // namespace metaledger::rest
