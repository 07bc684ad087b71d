#include "contracts/model_registry.h"

#include <algorithm>

#include "contracts/accounts.h"
#include "contracts/checked_math.h"
#include "contracts/twin_sync.h"

// GCC 12 reports a false maybe-uninitialized inside std::optional<vector> moves at -O2.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace metaledger::contracts {

void FlTaskRecord::Encode(Writer& w) const {
  w.Fixed(creator).U8(static_cast<uint8_t>(family)).Fixed(aggregator).Varint(evaluators.size());
  for (const Address& e : evaluators) w.Fixed(e);
  w.Fixed(head_model).Varint(head_acc_bps).Varint(rounds).Varint(carry);
}

FlTaskRecord FlTaskRecord::DecodeFrom(Reader& r) {
  FlTaskRecord t;
  t.creator = r.Fixed<20>();
  t.family = static_cast<ModelFamily>(r.U8());
  t.aggregator = r.Fixed<20>();
  uint64_t n = r.VarintMax(kMaxPayloadList, "evaluators");
  for (uint64_t i = 0; i < n && r.ok(); ++i) t.evaluators.push_back(r.Fixed<20>());
  t.head_model = r.Fixed<32>();
  t.head_acc_bps = r.Varint();
  t.rounds = r.Varint();
  t.carry = r.Varint();
  return t;
}

void ModelRecord::Encode(Writer& w) const {
  w.Fixed(task_id).U8(static_cast<uint8_t>(family)).Fixed(parent).Varint(round);
  w.U8(static_cast<uint8_t>(status)).Varint(acc_bps).Varint(registered_h).Varint(revoke_votes);
}

ModelRecord ModelRecord::DecodeFrom(Reader& r) {
  ModelRecord m;
  m.task_id = r.Fixed<32>();
  m.family = static_cast<ModelFamily>(r.U8());
  m.parent = r.Fixed<32>();
  m.round = r.Varint();
  m.status = static_cast<ModelStatus>(r.U8());
  m.acc_bps = r.Varint();
  m.registered_h = r.Varint();
  m.revoke_votes = r.Varint();
  return m;
}

Result<std::optional<ModelRecord>> LoadModel(const Ctx& ctx, const Hash256& id) {
  return ctx.Get<ModelRecord>(keys::Model(id));
}

Outcome HandleCreateFlTask(Ctx& ctx, const CreateFlTaskPayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<Bytes> existing, ctx.state().Get(keys::FlTask(p.task_id)));
  CT_REQUIRE(!existing, ALREADY_EXISTS);
  CT_REQUIRE(p.evaluators.size() >= ctx.params().MIN_EVALUATORS, BAD_ARGUMENT);
  CT_REQUIRE(std::adjacent_find(p.evaluators.begin(), p.evaluators.end(),
                                std::greater_equal<>()) == p.evaluators.end(),
             BAD_ARGUMENT);
  ML_ASSIGN_OR_RETURN(RoleMask agg_roles, RolesOf(ctx, p.aggregator));
  CT_REQUIRE(HasRole(agg_roles, Role::AGGREGATOR), NOT_AGGREGATOR);
  for (const Address& e : p.evaluators) {
    ML_ASSIGN_OR_RETURN(RoleMask roles, RolesOf(ctx, e));
    CT_REQUIRE(HasRole(roles, Role::EVALUATOR), EVALUATOR_CONFLICT);
  }
  ML_ASSIGN_OR_RETURN(std::optional<ModelRecord> model, LoadModel(ctx, p.genesis_model_hash));
  CT_REQUIRE(!model, DUP_MODEL);
  FlTaskRecord t;
  t.creator = ctx.sender;
  t.family = p.family;
  t.aggregator = p.aggregator;
  t.evaluators = p.evaluators;
  t.head_model = p.genesis_model_hash;
  ctx.Put(keys::FlTask(p.task_id), t);
  ModelRecord m;
  m.task_id = p.task_id;
  m.family = p.family;
  m.status = ModelStatus::APPROVED;
  m.registered_h = ctx.height();
  ctx.Put(keys::Model(p.genesis_model_hash), m);
  ctx.Emit("fl.task_created", {{"task", p.task_id.Hex()}, {"model", p.genesis_model_hash.Hex()}});
  return ErrorCode::OK;
}

Outcome HandleRevokeModel(Ctx& ctx, const RevokeModelPayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<ModelRecord> m, LoadModel(ctx, p.model_id));
  CT_REQUIRE(m, NOT_FOUND);
  CT_REQUIRE(m->status != ModelStatus::REVOKED, MODEL_REVOKED);
  ML_ASSIGN_OR_RETURN(RoleMask roles, RolesOf(ctx, ctx.sender));
  bool revoke_now = HasRole(roles, Role::MEMBER);
  if (!revoke_now) {
    ML_ASSIGN_OR_RETURN(std::optional<FlTaskRecord> t, ctx.Get<FlTaskRecord>(keys::FlTask(m->task_id)));
    CT_REQUIRE(t && std::binary_search(t->evaluators.begin(), t->evaluators.end(), ctx.sender),
               UNAUTHORIZED);
    Bytes vote_key = keys::ModelRevokeVote(p.model_id, ctx.sender);
    ML_ASSIGN_OR_RETURN(uint64_t voted, ctx.GetU64(vote_key));
    CT_REQUIRE(voted == 0, DUPLICATE_VOTE);
    ctx.PutU64(vote_key, 1);
    ++m->revoke_votes;
    revoke_now = m->revoke_votes >= TwoThirdsCeil(t->evaluators.size());
  }
  if (revoke_now) {
    m->status = ModelStatus::REVOKED;
    ML_RETURN_IF_ERROR(TaintUsersOf(ctx, p.model_id));
    ctx.Emit("fl.model_revoked", {{"model", p.model_id.Hex()}});
  }
  ctx.Put(keys::Model(p.model_id), *m);
  return ErrorCode::OK;
}

}  // namespace metaledger::contracts
