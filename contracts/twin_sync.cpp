#include "contracts/twin_sync.h"

#include <algorithm>

#include "contracts/model_registry.h"
#include "contracts/provenance.h"

namespace metaledger::contracts {
namespace {

Bytes TwinUpdateRefKey(const Hash256& update_id) {
  return keys::KeyBuilder("twinref").Add(update_id).Take();
}

}  // namespace

void TwinRecord::Encode(Writer& w) const {
  w.Fixed(vsp).Varint(twin_class).Varint(cells.size());
  for (uint64_t c : cells) w.Varint(c);
  w.Varint(max_aoi_ms).U8(static_cast<uint8_t>(family)).Varint(operators.size());
  for (const Address& a : operators) w.Fixed(a);
  w.Varint(head_seq).Fixed(head_state_hash).Bool(has_input).Varint(freshest_input_ts);
  w.Varint(last_sync_h).Bool(requires_resync);
}

TwinRecord TwinRecord::DecodeFrom(Reader& r) {
  TwinRecord t;
  t.vsp = r.Fixed<20>();
  t.twin_class = static_cast<uint32_t>(r.Varint());
  uint64_t n = r.VarintMax(kMaxPayloadList, "cells");
  for (uint64_t i = 0; i < n && r.ok(); ++i) t.cells.push_back(r.Varint());
  t.max_aoi_ms = r.Varint();
  t.family = static_cast<ModelFamily>(r.U8());
  uint64_t m = r.VarintMax(kMaxPayloadList, "operators");
  for (uint64_t i = 0; i < m && r.ok(); ++i) t.operators.push_back(r.Fixed<20>());
  t.head_seq = r.Varint();
  t.head_state_hash = r.Fixed<32>();
  t.has_input = r.Bool();
  t.freshest_input_ts = r.Varint();
  t.last_sync_h = r.Varint();
  t.requires_resync = r.Bool();
  return t;
}

void TwinUpdateRecord::Encode(Writer& w) const {
  w.Fixed(twin_id).Varint(seq).Fixed(prev_state_hash).Fixed(new_state_hash).Fixed(model_id);
  w.Varint(inputs.size());
  for (const Hash256& i : inputs) w.Fixed(i);
  w.Fixed(submitter).Varint(height).Bool(tainted);
}

TwinUpdateRecord TwinUpdateRecord::DecodeFrom(Reader& r) {
  TwinUpdateRecord u;
  u.twin_id = r.Fixed<32>();
  u.seq = r.Varint();
  u.prev_state_hash = r.Fixed<32>();
  u.new_state_hash = r.Fixed<32>();
  u.model_id = r.Fixed<32>();
  uint64_t n = r.VarintMax(kMaxPayloadList, "inputs");
  for (uint64_t i = 0; i < n && r.ok(); ++i) u.inputs.push_back(r.Fixed<32>());
  u.submitter = r.Fixed<20>();
  u.height = r.Varint();
  u.tainted = r.Bool();
  return u;
}

Hash256 TwinUpdateId(const Hash256& twin_id, uint64_t seq) {
  Writer w;
  w.Fixed(twin_id).U64(seq);
  return TaggedHash("metaledger/twinupdate/v1", "", w.bytes());
}

Outcome HandleRegisterTwin(Ctx& ctx, const RegisterTwinPayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<TwinRecord> existing, ctx.Get<TwinRecord>(keys::Twin(p.twin_id)));
  CT_REQUIRE(!existing, ALREADY_EXISTS);
  CT_REQUIRE(!p.cells.empty() && p.cells.size() <= ctx.params().MAX_CELLS && StrictlySorted(p.cells),
             BAD_CELLS);
  CT_REQUIRE(std::adjacent_find(p.operators.begin(), p.operators.end(), std::greater_equal<>()) ==
                 p.operators.end(),
             BAD_ARGUMENT);
  CT_REQUIRE(p.max_aoi_ms > 0, BAD_ARGUMENT);
  TwinRecord t;
  t.vsp = ctx.sender;
  t.twin_class = p.twin_class;
  t.cells = p.cells;
  t.max_aoi_ms = p.max_aoi_ms;
  t.family = p.model_family;
  t.operators = p.operators;
  ctx.Put(keys::Twin(p.twin_id), t);
  ctx.Emit("twin.registered", {{"twin", p.twin_id.Hex()}, {"vsp", ctx.sender.Hex()}});
  return ErrorCode::OK;
}

Outcome HandleTwinUpdate(Ctx& ctx, const TwinUpdatePayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<TwinRecord> t, ctx.Get<TwinRecord>(keys::Twin(p.twin_id)));
  CT_REQUIRE(t, NOT_FOUND);
  CT_REQUIRE(ctx.sender == t->vsp ||
                 std::binary_search(t->operators.begin(), t->operators.end(), ctx.sender),
             UNAUTHORIZED);
  CT_REQUIRE(p.seq == t->head_seq + 1, OUT_OF_ORDER);
  CT_REQUIRE(p.prev_state_hash == t->head_state_hash, STALE_PARENT);
  ML_ASSIGN_OR_RETURN(std::optional<ModelRecord> m, LoadModel(ctx, p.model_id));
  CT_REQUIRE(m, MODEL_NOT_APPROVED);
  CT_REQUIRE(m->status != ModelStatus::REVOKED, MODEL_REVOKED);
  CT_REQUIRE(m->status == ModelStatus::APPROVED, MODEL_NOT_APPROVED);
  CT_REQUIRE(m->family == t->family, MODEL_FAMILY_MISMATCH);
  CT_REQUIRE(!p.inputs.empty() && p.inputs.size() <= ctx.params().MAX_INPUTS, TOO_MANY_INPUTS);
  CT_REQUIRE(std::adjacent_find(p.inputs.begin(), p.inputs.end(), std::greater_equal<>()) ==
                 p.inputs.end(),
             UNSORTED_INPUTS);
  uint64_t newest = 0;
  const uint64_t h = ctx.height();
  const uint64_t min_h = h > ctx.params().MAX_AOI_BLOCKS ? h - ctx.params().MAX_AOI_BLOCKS : 0;
  for (const Hash256& id : p.inputs) {
    ML_ASSIGN_OR_RETURN(std::optional<DatasetRecord> d, LoadDataset(ctx, id));
    CT_REQUIRE(d, INPUT_NOT_FOUND);
    CT_REQUIRE(d->status != DatasetStatus::VOIDED && !d->ancestor_voided, INPUT_VOIDED);
    CT_REQUIRE(CellsOverlap(d->cells, t->cells), INPUT_OUT_OF_AREA);
    CT_REQUIRE((d->purposes & kPurposeTwinSync) != 0 && !d->consent_revoked, CONSENT_PURPOSE);
    bool fresh_time = d->generation_ts_ms + t->max_aoi_ms >= ctx.time_ms();
    CT_REQUIRE(fresh_time && d->registered_h >= min_h, INPUT_TOO_OLD);
    newest = std::max(newest, d->generation_ts_ms);
  }
  CT_REQUIRE(!t->has_input || newest > t->freshest_input_ts, NOT_FRESHER);

  Hash256 update_id = TwinUpdateId(p.twin_id, p.seq);
  TwinUpdateRecord u;
  u.twin_id = p.twin_id;
  u.seq = p.seq;
  u.prev_state_hash = p.prev_state_hash;
  u.new_state_hash = p.new_state_hash;
  u.model_id = p.model_id;
  u.inputs = p.inputs;
  u.submitter = ctx.sender;
  u.height = h;
  ctx.Put(keys::TwinUpdate(p.twin_id, p.seq), u);
  ctx.Put(TwinUpdateRefKey(update_id), u);
  for (const Hash256& id : p.inputs) ML_RETURN_IF_ERROR(AddDatasetUser(ctx, id, update_id));
  ML_RETURN_IF_ERROR(AddDatasetUser(ctx, p.model_id, update_id));

  t->head_seq = p.seq;
  t->head_state_hash = p.new_state_hash;
  t->has_input = true;
  t->freshest_input_ts = newest;
  t->last_sync_h = h;
  t->requires_resync = false;
  ctx.Put(keys::Twin(p.twin_id), *t);
  ctx.Emit("twin.synced", {{"twin", p.twin_id.Hex()},
                           {"seq", std::to_string(p.seq)},
                           {"freshest_input_ts", std::to_string(newest)}});
  return ErrorCode::OK;
}

Status TaintUsersOf(Ctx& ctx, const Hash256& id) {
  ML_ASSIGN_OR_RETURN(std::optional<IdList<32>> users, ctx.Get<IdList<32>>(keys::DatasetUsers(id)));
  if (!users) return Status::Ok();
  for (const Hash256& update_id : users->ids) {
    ML_ASSIGN_OR_RETURN(std::optional<TwinUpdateRecord> ref,
                        ctx.Get<TwinUpdateRecord>(TwinUpdateRefKey(update_id)));
    if (!ref) continue;  // a user that is not a twin update (e.g. a model)
    ML_ASSIGN_OR_RETURN(std::optional<TwinUpdateRecord> u,
                        ctx.Get<TwinUpdateRecord>(keys::TwinUpdate(ref->twin_id, ref->seq)));
    if (!u || u->tainted) continue;
    u->tainted = true;
    ctx.Put(keys::TwinUpdate(ref->twin_id, ref->seq), *u);
    ML_ASSIGN_OR_RETURN(std::optional<TwinRecord> t, ctx.Get<TwinRecord>(keys::Twin(ref->twin_id)));
    if (t) {
      t->requires_resync = true;
      ctx.Put(keys::Twin(ref->twin_id), *t);
    }
    ctx.Emit("twin.tainted", {{"twin", ref->twin_id.Hex()}, {"seq", std::to_string(ref->seq)}});
  }
  return Status::Ok();
}

}  // namespace metaledger::contracts
