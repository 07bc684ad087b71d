#include "contracts/queries.h"

#include <algorithm>

namespace metaledger::contracts {
namespace {

// A read-only context over a view: queries reuse the handlers' typed loaders.
class ReadCtx {
 public:
  explicit ReadCtx(const StateView& s) : overlay_(s), ctx_(overlay_, params_, block_, events_) {}
  const Ctx& ctx() const { return ctx_; }

 private:
  OverlayState overlay_;
  ChainParams params_;
  BlockContext block_;
  std::vector<Event> events_;
  Ctx ctx_;
};

template <typename T>
Result<std::optional<T>> GetRecord(const StateView& s, const Bytes& key) {
  ReadCtx rc(s);
  return rc.ctx().Get<T>(key);
}

}  // namespace

Result<std::optional<AccountView>> QueryAccount(const StateView& s, const Address& a) {
  ReadCtx rc(s);
  ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(rc.ctx(), a));
  if (!acct) return std::optional<AccountView>();
  AccountView v;
  v.account = *acct;
  for (Role r : AllRoles()) {
    if (!HasRole(acct->roles, r)) continue;
    ML_ASSIGN_OR_RETURN(uint64_t rep, ReputationPpmOf(rc.ctx(), a, r));
    v.reputation_ppm.emplace_back(r, rep);
  }
  ML_ASSIGN_OR_RETURN(v.claimable, rc.ctx().GetU64(keys::Claimable(a)));
  return std::optional<AccountView>(std::move(v));
}

Result<SupplyRecord> QuerySupply(const StateView& s) {
  ReadCtx rc(s);
  return LoadSupply(rc.ctx());
}

Result<uint64_t> QueryClaimable(const StateView& s, const Address& a) {
  ReadCtx rc(s);
  return rc.ctx().GetU64(keys::Claimable(a));
}

Result<std::optional<ProposalRecord>> QueryProposal(const StateView& s, const Hash256& id) {
  return GetRecord<ProposalRecord>(s, keys::Proposal(id));
}

Result<std::optional<ModelRecord>> QueryModel(const StateView& s, const Hash256& id) {
  return GetRecord<ModelRecord>(s, keys::Model(id));
}

Result<std::optional<FlTaskRecord>> QueryFlTask(const StateView& s, const Hash256& id) {
  return GetRecord<FlTaskRecord>(s, keys::FlTask(id));
}

Result<std::optional<FlRoundRecord>> QueryFlRound(const StateView& s, const Hash256& task,
                                                  uint64_t round) {
  return GetRecord<FlRoundRecord>(s, keys::FlRound(task, round));
}

Result<std::optional<FlSubmissionRecord>> QueryFlSubmission(const StateView& s, const Hash256& task,
                                                            uint64_t round, const Address& client) {
  return GetRecord<FlSubmissionRecord>(s, keys::FlSubmission(task, round, client));
}

Result<std::optional<FlEvaluationRecord>> QueryFlEvaluation(const StateView& s, const Hash256& task,
                                                            uint64_t round,
                                                            const Address& evaluator) {
  return GetRecord<FlEvaluationRecord>(s, keys::FlEvaluation(task, round, evaluator));
}

Result<bool> QueryFlEnrolled(const StateView& s, const Hash256& task, const Address& client) {
  ReadCtx rc(s);
  ML_ASSIGN_OR_RETURN(uint64_t v, rc.ctx().GetU64(keys::FlEnrolled(task, client)));
  return v != 0;
}

Result<ReputationRecord> QueryReputation(const StateView& s, const Address& a, Role role) {
  ReadCtx rc(s);
  return LoadReputation(rc.ctx(), a, role);
}

Result<std::optional<DatasetView>> QueryDataset(const StateView& s, const Hash256& id) {
  ReadCtx rc(s);
  ML_ASSIGN_OR_RETURN(std::optional<DatasetRecord> d, LoadDataset(rc.ctx(), id));
  if (!d) return std::optional<DatasetView>();
  DatasetView v;
  v.record = *d;
  // Ancestors: walk parents (a DAG, each visited once).
  IdList<32> seen;
  std::vector<Hash256> stack = d->parents;
  while (!stack.empty()) {
    Hash256 cur = stack.back();
    stack.pop_back();
    if (!seen.Insert(cur)) continue;
    ML_ASSIGN_OR_RETURN(std::optional<DatasetRecord> p, LoadDataset(rc.ctx(), cur));
    if (p) stack.insert(stack.end(), p->parents.begin(), p->parents.end());
  }
  v.ancestors = seen.ids;
  IdList<32> down;
  stack = {id};
  while (!stack.empty()) {
    Hash256 cur = stack.back();
    stack.pop_back();
    ML_ASSIGN_OR_RETURN(std::optional<IdList<32>> kids,
                        rc.ctx().Get<IdList<32>>(keys::DatasetChildren(cur)));
    if (!kids) continue;
    for (const Hash256& k : kids->ids) {
      if (down.Insert(k)) stack.push_back(k);
    }
  }
  v.descendants = down.ids;
  ML_ASSIGN_OR_RETURN(std::optional<IdList<32>> users,
                      rc.ctx().Get<IdList<32>>(keys::DatasetUsers(id)));
  if (users) v.users = users->ids;
  return std::optional<DatasetView>(std::move(v));
}

Result<std::optional<PoolRecord>> QueryPool(const StateView& s, const Hash256& id) {
  return GetRecord<PoolRecord>(s, keys::Pool(id));
}

Result<std::optional<PoolEpochRecord>> QueryPoolEpoch(const StateView& s, const Hash256& id,
                                                      uint64_t epoch) {
  return GetRecord<PoolEpochRecord>(s, keys::PoolEpoch(id, epoch));
}

Result<std::optional<AuctionView>> QueryAuction(const StateView& s, const Hash256& id,
                                                uint64_t height) {
  ReadCtx rc(s);
  ML_ASSIGN_OR_RETURN(std::optional<AuctionTaskRecord> t,
                      rc.ctx().Get<AuctionTaskRecord>(keys::AuctionTask(id)));
  if (!t) return std::optional<AuctionView>();
  AuctionView v;
  v.task = *t;
  v.phase = PhaseAt(*t, height);
  for (const Address& uav : t->bidders) {
    ML_ASSIGN_OR_RETURN(std::optional<BidRecord> b, rc.ctx().Get<BidRecord>(keys::Bid(id, uav)));
    if (b) v.bids.emplace_back(uav, *b);
  }
  return std::optional<AuctionView>(std::move(v));
}

Result<std::optional<TwinView>> QueryTwin(const StateView& s, const Hash256& id, uint64_t time_ms) {
  ReadCtx rc(s);
  ML_ASSIGN_OR_RETURN(std::optional<TwinRecord> t, rc.ctx().Get<TwinRecord>(keys::Twin(id)));
  if (!t) return std::optional<TwinView>();
  TwinView v;
  v.twin = *t;
  if (t->has_input) {
    v.aoi_ms = time_ms > t->freshest_input_ts ? time_ms - t->freshest_input_ts : 0;
    v.in_sync = v.aoi_ms <= t->max_aoi_ms && !t->requires_resync;
  }
  for (uint64_t seq = 1; seq <= t->head_seq; ++seq) {
    ML_ASSIGN_OR_RETURN(std::optional<TwinUpdateRecord> u,
                        rc.ctx().Get<TwinUpdateRecord>(keys::TwinUpdate(id, seq)));
    if (u) v.history.push_back(*u);
  }
  return std::optional<TwinView>(std::move(v));
}

}  // namespace metaledger::contracts
