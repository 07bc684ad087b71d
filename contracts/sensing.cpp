#include "contracts/sensing.h"

#include <algorithm>
#include <map>

#include "contracts/accounts.h"
#include "contracts/checked_math.h"
#include "contracts/provenance.h"
#include "contracts/reputation.h"

namespace metaledger::contracts {

void PoolRecord::Encode(Writer& w) const {
  w.Fixed(vsp).Varint(balance).Varint(total_paid).Varint(open_epoch);
}
PoolRecord PoolRecord::DecodeFrom(Reader& r) {
  PoolRecord p;
  p.vsp = r.Fixed<20>();
  p.balance = r.Varint();
  p.total_paid = r.Varint();
  p.open_epoch = r.Varint();
  return p;
}

void PoolEpochRecord::Encode(Writer& w) const {
  w.Varint(entries.size());
  for (const SensingEntry& e : entries) {
    w.Fixed(e.data_id).Fixed(e.operator_addr).Fixed(e.uav).Varint(e.cell).Varint(e.slot);
    w.Varint(e.aoi_ms).Varint(e.fresh_ppm).Varint(e.reputation_ppm).Bool(e.too_old);
  }
  w.Bool(closed).Varint(paid).Varint(carried);
}

PoolEpochRecord PoolEpochRecord::DecodeFrom(Reader& r) {
  PoolEpochRecord p;
  uint64_t n = r.Varint();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    SensingEntry e;
    e.data_id = r.Fixed<32>();
    e.operator_addr = r.Fixed<20>();
    e.uav = r.Fixed<20>();
    e.cell = r.Varint();
    e.slot = r.Varint();
    e.aoi_ms = r.Varint();
    e.fresh_ppm = r.Varint();
    e.reputation_ppm = r.Varint();
    e.too_old = r.Bool();
    p.entries.push_back(e);
  }
  p.closed = r.Bool();
  p.paid = r.Varint();
  p.carried = r.Varint();
  return p;
}

uint64_t FreshnessPpm(uint64_t aoi_ms, uint64_t a0, uint64_t amax) {
  if (aoi_ms <= a0) return kPpm;
  if (aoi_ms >= amax) return 0;
  return static_cast<uint64_t>(static_cast<u128>(kPpm) * (amax - aoi_ms) / (amax - a0));
}

uint64_t ClipPpm(uint64_t n, uint64_t cap) {
  if (n == 0) return kPpm;
  return static_cast<uint64_t>(static_cast<u128>(kPpm) * std::min(n, cap) / n);
}

Result<bool> PoolExists(const Ctx& ctx, const Hash256& pool_id) {
  ML_ASSIGN_OR_RETURN(std::optional<PoolRecord> p, ctx.Get<PoolRecord>(keys::Pool(pool_id)));
  return p.has_value();
}

Outcome AddToPool(Ctx& ctx, const Hash256& pool_id, uint64_t amount) {
  ML_ASSIGN_OR_RETURN(std::optional<PoolRecord> p, ctx.Get<PoolRecord>(keys::Pool(pool_id)));
  CT_REQUIRE(p, NOT_FOUND);
  auto b = CheckedAdd(p->balance, amount);
  CT_REQUIRE(b, OVERFLOW);
  p->balance = *b;
  ctx.Put(keys::Pool(pool_id), *p);
  ctx.Emit("sensing.funded", {{"pool", pool_id.Hex()}, {"amount", std::to_string(amount)}});
  return ErrorCode::OK;
}

Outcome HandleCreatePool(Ctx& ctx, const CreatePoolPayload& p) {
  ML_ASSIGN_OR_RETURN(bool exists, PoolExists(ctx, p.pool_id));
  CT_REQUIRE(!exists, ALREADY_EXISTS);
  ctx.Put(keys::Pool(p.pool_id), PoolRecord{ctx.sender, 0, 0, 0});
  ctx.Emit("sensing.pool_created", {{"pool", p.pool_id.Hex()}, {"vsp", ctx.sender.Hex()}});
  return ErrorCode::OK;
}

Outcome HandleFundPool(Ctx& ctx, const FundPoolPayload& p) {
  CT_REQUIRE(p.amount > 0, BAD_ARGUMENT);
  ML_ASSIGN_OR_RETURN(bool exists, PoolExists(ctx, p.pool_id));
  CT_REQUIRE(exists, NOT_FOUND);
  CT_STEP(ToHeld(ctx, ctx.sender, p.amount));
  return AddToPool(ctx, p.pool_id, p.amount);
}

Outcome HandleRegisterSensing(Ctx& ctx, const RegisterSensingPayload& p) {
  ML_ASSIGN_OR_RETURN(bool exists, PoolExists(ctx, p.pool_id));
  CT_REQUIRE(exists, NOT_FOUND);
  ML_ASSIGN_OR_RETURN(std::optional<DatasetRecord> d, LoadDataset(ctx, p.data_id));
  CT_REQUIRE(d, DATA_NOT_FOUND);
  CT_REQUIRE(d->status != DatasetStatus::VOIDED, INPUT_VOIDED);
  ML_ASSIGN_OR_RETURN(std::optional<Address> op, OperatorOf(ctx, d->collector));
  CT_REQUIRE(op && *op == ctx.sender, UAV_NOT_OWNED);
  CT_REQUIRE(std::binary_search(d->cells.begin(), d->cells.end(), p.cell), OUT_OF_AREA);

  uint64_t epoch = ctx.height() / ctx.params().EPOCH_BLOCKS;
  Bytes rec_key = keys::SensingRecord(p.pool_id, epoch, p.data_id);
  ML_ASSIGN_OR_RETURN(uint64_t dup, ctx.GetU64(rec_key));
  CT_REQUIRE(dup == 0, ALREADY_EXISTS);
  ctx.PutU64(rec_key, 1);

  SensingEntry e;
  e.data_id = p.data_id;
  e.operator_addr = ctx.sender;
  e.uav = d->collector;
  e.cell = p.cell;
  e.slot = p.slot;
  e.aoi_ms = ctx.time_ms() > d->generation_ts_ms ? ctx.time_ms() - d->generation_ts_ms : 0;
  e.too_old = e.aoi_ms >= ctx.params().Amax;
  e.fresh_ppm = FreshnessPpm(e.aoi_ms, ctx.params().A0, ctx.params().Amax);
  ML_ASSIGN_OR_RETURN(e.reputation_ppm, ReputationPpmOf(ctx, ctx.sender, Role::UAV_OPERATOR));

  Bytes ep_key = keys::PoolEpoch(p.pool_id, epoch);
  ML_ASSIGN_OR_RETURN(std::optional<PoolEpochRecord> ep, ctx.Get<PoolEpochRecord>(ep_key));
  PoolEpochRecord rec = ep ? std::move(*ep) : PoolEpochRecord{};
  if (rec.entries.empty()) {
    ML_ASSIGN_OR_RETURN(std::optional<PoolRecord> pool, ctx.Get<PoolRecord>(keys::Pool(p.pool_id)));
    pool->open_epoch = epoch;
    ctx.Put(keys::Pool(p.pool_id), *pool);
    ML_RETURN_IF_ERROR(
        ctx.AddDue("sensing", (epoch + 1) * ctx.params().EPOCH_BLOCKS, p.pool_id));
  }
  rec.entries.push_back(e);
  ctx.Put(ep_key, rec);
  ctx.Emit("sensing.registered", {{"pool", p.pool_id.Hex()},
                                  {"data_id", p.data_id.Hex()},
                                  {"aoi_ms", std::to_string(e.aoi_ms)},
                                  {"too_old", e.too_old ? "true" : "false"}});
  return ErrorCode::OK;
}

namespace {

Status ClosePoolEpoch(Ctx& ctx, const Hash256& pool_id, uint64_t epoch) {
  Bytes ep_key = keys::PoolEpoch(pool_id, epoch);
  ML_ASSIGN_OR_RETURN(std::optional<PoolEpochRecord> ep, ctx.Get<PoolEpochRecord>(ep_key));
  ML_ASSIGN_OR_RETURN(std::optional<PoolRecord> pool, ctx.Get<PoolRecord>(keys::Pool(pool_id)));
  if (!ep || !pool) return Status::Corruption("sensing epoch or pool missing");
  // Crowding counts: accepted (not too old) records per (cell, slot).
  std::map<std::pair<uint64_t, uint64_t>, uint64_t> crowd;
  for (const SensingEntry& e : ep->entries) {
    if (!e.too_old) ++crowd[{e.cell, e.slot}];
  }
  std::map<Address, u128> value_by_operator;
  u128 total = 0;
  for (const SensingEntry& e : ep->entries) {
    if (e.too_old) continue;
    uint64_t clip = ClipPpm(crowd[{e.cell, e.slot}], ctx.params().CAP);
    u128 v = kPpm;                        // cellw
    v = MulDiv128(v, e.fresh_ppm, kPpm);  // * fresh / PPM
    v = MulDiv128(v, kPpm, kPpm);         // * qual / PPM (qual = PPM in v1)
    v = MulDiv128(v, clip, kPpm);         // * clip / PPM
    v = MulDiv128(v, e.reputation_ppm, kPpm);
    value_by_operator[e.operator_addr] += v;
    total += v;
  }
  uint64_t pot = pool->balance;
  uint64_t paid = 0;
  if (total > 0) {
    for (const auto& [op, v] : value_by_operator) {
      uint64_t pay = static_cast<uint64_t>(static_cast<u128>(pot) * v / total);
      if (pay == 0) continue;
      Outcome o = AddClaimable(ctx, op, pay);
      if (!o.ok()) return o.status();
      if (*o != ErrorCode::OK) return Status::Internal("claimable overflow in sensing payout");
      paid += pay;
      ctx.Emit("sensing.paid", {{"pool", pool_id.Hex()},
                                {"epoch", std::to_string(epoch)},
                                {"operator", op.Hex()},
                                {"amount", std::to_string(pay)}});
    }
  }
  pool->balance = pot - paid;
  pool->total_paid += paid;
  ep->closed = true;
  ep->paid = paid;
  ep->carried = pool->balance;
  ctx.Put(keys::Pool(pool_id), *pool);
  ctx.Put(ep_key, *ep);
  ctx.Emit("sensing.epoch_closed", {{"pool", pool_id.Hex()},
                                    {"epoch", std::to_string(epoch)},
                                    {"paid", std::to_string(paid)},
                                    {"carried", std::to_string(pool->balance)}});
  return Status::Ok();
}

}  // namespace

Status CloseSensingEpochs(Ctx& ctx) {
  // Due entries carry the pool; the epoch they close is the one recorded on the pool, so a
  // later change of EPOCH_BLOCKS cannot strand entries.
  ML_ASSIGN_OR_RETURN(std::vector<Hash256> due, ctx.TakeDue("sensing", ctx.height()));
  for (const Hash256& pool_id : due) {
    ML_ASSIGN_OR_RETURN(std::optional<PoolRecord> pool, ctx.Get<PoolRecord>(keys::Pool(pool_id)));
    if (!pool) return Status::Corruption("due sensing pool missing");
    ML_RETURN_IF_ERROR(ClosePoolEpoch(ctx, pool_id, pool->open_epoch));
  }
  return Status::Ok();
}

}  // namespace metaledger::contracts
