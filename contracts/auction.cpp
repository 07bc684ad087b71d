#include "contracts/auction.h"

#include <algorithm>

#include "contracts/accounts.h"
#include "contracts/checked_math.h"
#include "contracts/provenance.h"
#include "contracts/reputation.h"
#include "core/payload/ids.h"

namespace metaledger::contracts {

void AuctionTaskRecord::Encode(Writer& w) const {
  w.Fixed(vsp);
  terms.Encode(w);
  w.Varint(posted_h).Bool(closed).Varint(commits).Varint(reveals).Varint(valid_bids);
  w.Varint(bidders.size());
  for (const Address& a : bidders) w.Fixed(a);
  w.Varint(winners.size());
  for (const Address& a : winners) w.Fixed(a);
  w.Varint(price).Varint(settled);
}

AuctionTaskRecord AuctionTaskRecord::DecodeFrom(Reader& r) {
  AuctionTaskRecord t;
  t.vsp = r.Fixed<20>();
  t.terms = PostTaskPayload::DecodeFrom(r);
  t.posted_h = r.Varint();
  t.closed = r.Bool();
  t.commits = r.Varint();
  t.reveals = r.Varint();
  t.valid_bids = r.Varint();
  uint64_t n = r.Varint();
  for (uint64_t i = 0; i < n && r.ok() && r.remaining() >= 20; ++i) t.bidders.push_back(r.Fixed<20>());
  uint64_t m = r.Varint();
  for (uint64_t i = 0; i < m && r.ok() && r.remaining() >= 20; ++i) t.winners.push_back(r.Fixed<20>());
  t.price = r.Varint();
  t.settled = r.Varint();
  return t;
}

void BidRecord::Encode(Writer& w) const {
  w.Fixed(operator_addr).Fixed(commitment).Bool(revealed).Varint(ask).Varint(bond);
  w.U8(static_cast<uint8_t>(outcome)).Bool(delivered).Fixed(data_id).Varint(delivered_h);
}

BidRecord BidRecord::DecodeFrom(Reader& r) {
  BidRecord b;
  b.operator_addr = r.Fixed<20>();
  b.commitment = r.Fixed<32>();
  b.revealed = r.Bool();
  b.ask = r.Varint();
  b.bond = r.Varint();
  b.outcome = static_cast<BidOutcome>(r.U8());
  b.delivered = r.Bool();
  b.data_id = r.Fixed<32>();
  b.delivered_h = r.Varint();
  return b;
}

AuctionPhase PhaseAt(const AuctionTaskRecord& t, uint64_t h) {
  if (h <= t.terms.commit_end_h) return AuctionPhase::COMMIT;
  if (h <= t.terms.reveal_end_h) return AuctionPhase::REVEAL;
  if (t.settled < t.winners.size() || !t.closed) return AuctionPhase::DELIVERY;
  return AuctionPhase::DONE;
}

namespace {

Result<std::optional<AuctionTaskRecord>> LoadTask(const Ctx& ctx, const Hash256& id) {
  return ctx.Get<AuctionTaskRecord>(keys::AuctionTask(id));
}

Outcome Require(Outcome o) {
  if (o.ok() && *o != ErrorCode::OK) return Status::Internal("auction payout failed");
  return o;
}

// Pays a winner that delivered: p plus its bond, positive reputation.
Status SettleDelivered(Ctx& ctx, const Hash256& task_id, AuctionTaskRecord& t, const Address& uav,
                       BidRecord& b) {
  auto amount = CheckedAdd(t.price, b.bond);
  if (!amount) return Status::Internal("settlement overflow");
  Outcome o = Require(FromHeld(ctx, b.operator_addr, *amount));
  if (!o.ok()) return o.status();
  b.outcome = BidOutcome::PAID;
  ++t.settled;
  ML_RETURN_IF_ERROR(ApplyReputation(ctx, b.operator_addr, Role::UAV_OPERATOR,
                                     ReputationEvent::kPositive, kPpm));
  ctx.Put(keys::Bid(task_id, uav), b);
  ctx.Emit("auction.paid", {{"task", task_id.Hex()},
                            {"uav", uav.Hex()},
                            {"amount", std::to_string(t.price)}});
  return Status::Ok();
}

Status SettleDefaulted(Ctx& ctx, const Hash256& task_id, AuctionTaskRecord& t, const Address& uav,
                       BidRecord& b) {
  uint64_t half = b.bond / 2;
  auto amount = CheckedAdd(t.price, half);
  if (!amount) return Status::Internal("settlement overflow");
  Outcome o = Require(FromHeld(ctx, t.vsp, *amount));
  if (!o.ok()) return o.status();
  o = Require(BurnHeld(ctx, b.bond - half));
  if (!o.ok()) return o.status();
  b.outcome = BidOutcome::DEFAULTED;
  ++t.settled;
  ML_RETURN_IF_ERROR(ApplyReputation(ctx, b.operator_addr, Role::UAV_OPERATOR,
                                     ReputationEvent::kNegative, 0));
  ctx.Put(keys::Bid(task_id, uav), b);
  ctx.Emit("auction.defaulted", {{"task", task_id.Hex()}, {"uav", uav.Hex()}});
  return Status::Ok();
}

Status CloseAuction(Ctx& ctx, const Hash256& task_id) {
  ML_ASSIGN_OR_RETURN(std::optional<AuctionTaskRecord> t, LoadTask(ctx, task_id));
  if (!t) return Status::Corruption("due auction missing");
  struct Valid {
    uint64_t ask;
    Hash256 order;
    Address uav;
  };
  std::vector<Valid> valid;
  uint64_t unrevealed_bonds = 0;
  for (const Address& uav : t->bidders) {
    ML_ASSIGN_OR_RETURN(std::optional<BidRecord> b, ctx.Get<BidRecord>(keys::Bid(task_id, uav)));
    if (!b) return Status::Corruption("auction bid missing");
    if (!b->revealed) {
      b->outcome = BidOutcome::UNREVEALED;
      unrevealed_bonds += b->bond;  // bonds are bounded by balances, so the sum fits
      ctx.Put(keys::Bid(task_id, uav), *b);
    } else if (b->outcome == BidOutcome::PENDING) {
      valid.push_back({b->ask, BidOrderKey(ctx.chain_id(), task_id, uav), uav});
    }
  }
  std::sort(valid.begin(), valid.end(), [](const Valid& a, const Valid& b) {
    return a.ask != b.ask ? a.ask < b.ask : a.order < b.order;
  });
  const uint64_t K = t->terms.k;
  const uint64_t n = valid.size();
  const uint64_t k = std::min(K, n);
  const uint64_t price = n > K ? valid[K].ask : t->terms.reserve;
  t->valid_bids = n;
  t->price = price;
  t->closed = true;
  for (uint64_t i = 0; i < n; ++i) {
    ML_ASSIGN_OR_RETURN(std::optional<BidRecord> b,
                        ctx.Get<BidRecord>(keys::Bid(task_id, valid[i].uav)));
    if (i < k) {
      b->outcome = BidOutcome::WON;
      t->winners.push_back(valid[i].uav);
    } else {
      b->outcome = BidOutcome::LOST;
      Outcome o = Require(FromHeld(ctx, b->operator_addr, b->bond));
      if (!o.ok()) return o.status();
    }
    ctx.Put(keys::Bid(task_id, valid[i].uav), *b);
  }
  // Escrow K*reserve; keep k*p for the winners, refund the rest.
  uint64_t escrow = t->terms.k * t->terms.reserve;  // checked when posted
  uint64_t refund = escrow - k * price;
  uint64_t half = unrevealed_bonds / 2;
  Outcome o = Require(FromHeld(ctx, t->vsp, refund + half));
  if (!o.ok()) return o.status();
  o = Require(BurnHeld(ctx, unrevealed_bonds - half));
  if (!o.ok()) return o.status();
  ctx.Put(keys::AuctionTask(task_id), *t);
  ctx.Emit("auction.closed", {{"task", task_id.Hex()},
                              {"valid_bids", std::to_string(n)},
                              {"winners", std::to_string(k)},
                              {"price", std::to_string(price)},
                              {"vsp_refund", std::to_string(refund)}});
  if (k > 0) {
    ML_RETURN_IF_ERROR(ctx.AddDue("adeliver", t->terms.delivery_end_h + 1, task_id));
  }
  return Status::Ok();
}

Status AutoAccept(Ctx& ctx, const Hash256& task_id) {
  ML_ASSIGN_OR_RETURN(std::optional<AuctionTaskRecord> t, LoadTask(ctx, task_id));
  if (!t) return Status::Corruption("due auction missing");
  for (const Address& uav : t->winners) {
    ML_ASSIGN_OR_RETURN(std::optional<BidRecord> b, ctx.Get<BidRecord>(keys::Bid(task_id, uav)));
    if (b->outcome == BidOutcome::WON && b->delivered &&
        b->delivered_h + t->terms.accept_window_blocks <= ctx.height()) {
      ML_RETURN_IF_ERROR(SettleDelivered(ctx, task_id, *t, uav, *b));
    }
  }
  ctx.Put(keys::AuctionTask(task_id), *t);
  return Status::Ok();
}

Status SettleUndelivered(Ctx& ctx, const Hash256& task_id) {
  ML_ASSIGN_OR_RETURN(std::optional<AuctionTaskRecord> t, LoadTask(ctx, task_id));
  if (!t) return Status::Corruption("due auction missing");
  for (const Address& uav : t->winners) {
    ML_ASSIGN_OR_RETURN(std::optional<BidRecord> b, ctx.Get<BidRecord>(keys::Bid(task_id, uav)));
    if (b->outcome == BidOutcome::WON && !b->delivered) {
      ML_RETURN_IF_ERROR(SettleDefaulted(ctx, task_id, *t, uav, *b));
    }
  }
  ctx.Put(keys::AuctionTask(task_id), *t);
  return Status::Ok();
}

}  // namespace

Outcome HandlePostTask(Ctx& ctx, const PostTaskPayload& p) {
  const ChainParams& params = ctx.params();
  CT_REQUIRE(!p.cells.empty() && p.cells.size() <= params.MAX_CELLS && StrictlySorted(p.cells),
             BAD_CELLS);
  CT_REQUIRE(p.k >= 1, K_RANGE);
  CT_REQUIRE(p.reserve > 0, RESERVE_ZERO);
  CT_REQUIRE(p.bid_bond >= p.reserve, BOND_TOO_LOW);
  const uint64_t h = ctx.height();
  bool ok_deadlines = p.commit_end_h >= h && p.commit_end_h - h >= params.MIN_COMMIT_BLOCKS &&
                      p.reveal_end_h >= p.commit_end_h &&
                      p.reveal_end_h - p.commit_end_h >= params.MIN_REVEAL_BLOCKS &&
                      p.delivery_end_h > p.reveal_end_h &&
                      p.delivery_end_h < UINT64_MAX - p.accept_window_blocks - 1 &&
                      p.window_start_ms < p.window_end_ms;
  CT_REQUIRE(ok_deadlines, BAD_DEADLINES);
  auto escrow = CheckedMul(p.k, p.reserve);
  CT_REQUIRE(escrow, OVERFLOW);
  CT_STEP(ToHeld(ctx, ctx.sender, *escrow));
  Hash256 id = AuctionTaskId(ctx.chain_id(), ctx.sender, ctx.nonce);
  AuctionTaskRecord t;
  t.vsp = ctx.sender;
  t.terms = p;
  t.posted_h = h;
  ctx.Put(keys::AuctionTask(id), t);
  ML_RETURN_IF_ERROR(ctx.AddDue("aclose", p.reveal_end_h + 1, id));
  ctx.Emit("auction.posted", {{"task", id.Hex()},
                              {"vsp", ctx.sender.Hex()},
                              {"escrow", std::to_string(*escrow)}});
  return ErrorCode::OK;
}

Outcome HandleCommitBid(Ctx& ctx, const CommitBidPayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<AuctionTaskRecord> t, LoadTask(ctx, p.task_id));
  CT_REQUIRE(t, NOT_FOUND);
  CT_REQUIRE(ctx.height() > t->posted_h && ctx.height() <= t->terms.commit_end_h, WRONG_PHASE);
  ML_ASSIGN_OR_RETURN(std::optional<Address> op, OperatorOf(ctx, p.uav));
  CT_REQUIRE(op && *op == ctx.sender, UAV_NOT_OWNED);
  ML_ASSIGN_OR_RETURN(uint64_t rep, ReputationPpmOf(ctx, ctx.sender, Role::UAV_OPERATOR));
  CT_REQUIRE(rep >= t->terms.min_reputation_ppm, LOW_REPUTATION);
  Bytes op_key = keys::OperatorCommit(p.task_id, ctx.sender);
  ML_ASSIGN_OR_RETURN(uint64_t committed, ctx.GetU64(op_key));
  CT_REQUIRE(committed == 0, DUP_OPERATOR_COMMIT);
  CT_STEP(ToHeld(ctx, ctx.sender, t->terms.bid_bond));
  ctx.PutU64(op_key, 1);
  BidRecord b;
  b.operator_addr = ctx.sender;
  b.commitment = p.commitment;
  b.bond = t->terms.bid_bond;
  ctx.Put(keys::Bid(p.task_id, p.uav), b);
  t->bidders.insert(std::lower_bound(t->bidders.begin(), t->bidders.end(), p.uav), p.uav);
  ++t->commits;
  ctx.Put(keys::AuctionTask(p.task_id), *t);
  ctx.Emit("auction.committed", {{"task", p.task_id.Hex()}, {"uav", p.uav.Hex()}});
  return ErrorCode::OK;
}

Outcome HandleRevealBid(Ctx& ctx, const RevealBidPayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<AuctionTaskRecord> t, LoadTask(ctx, p.task_id));
  CT_REQUIRE(t, NOT_FOUND);
  CT_REQUIRE(ctx.height() > t->terms.commit_end_h && ctx.height() <= t->terms.reveal_end_h,
             WRONG_PHASE);
  ML_ASSIGN_OR_RETURN(std::optional<BidRecord> b, ctx.Get<BidRecord>(keys::Bid(p.task_id, p.uav)));
  CT_REQUIRE(b, NOT_FOUND);
  CT_REQUIRE(b->operator_addr == ctx.sender, UNAUTHORIZED);
  CT_REQUIRE(!b->revealed, ALREADY_REVEALED);
  Hash256 expect = BidCommitment(ctx.chain_id(), p.task_id, ctx.sender, p.uav, p.ask, p.salt);
  CT_REQUIRE(expect == b->commitment, COMMIT_MISMATCH);
  b->revealed = true;
  b->ask = p.ask;
  ++t->reveals;
  if (p.ask > t->terms.reserve) {
    b->outcome = BidOutcome::INVALID_OVER_RESERVE;
    CT_STEP(FromHeld(ctx, ctx.sender, b->bond));
  }
  ctx.Put(keys::Bid(p.task_id, p.uav), *b);
  ctx.Put(keys::AuctionTask(p.task_id), *t);
  ctx.Emit("auction.revealed", {{"task", p.task_id.Hex()},
                                {"uav", p.uav.Hex()},
                                {"valid", p.ask > t->terms.reserve ? "false" : "true"}});
  return ErrorCode::OK;
}

Outcome HandleSubmitDelivery(Ctx& ctx, const SubmitDeliveryPayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<AuctionTaskRecord> t, LoadTask(ctx, p.task_id));
  CT_REQUIRE(t, NOT_FOUND);
  CT_REQUIRE(t->closed, WRONG_PHASE);
  CT_REQUIRE(ctx.height() <= t->terms.delivery_end_h, LATE_DELIVERY);
  ML_ASSIGN_OR_RETURN(std::optional<BidRecord> b, ctx.Get<BidRecord>(keys::Bid(p.task_id, p.uav)));
  CT_REQUIRE(b && b->operator_addr == ctx.sender && b->outcome == BidOutcome::WON, NOT_WINNER);
  CT_REQUIRE(!b->delivered, ALREADY_EXISTS);
  ML_ASSIGN_OR_RETURN(std::optional<DatasetRecord> d, LoadDataset(ctx, p.data_id));
  CT_REQUIRE(d && d->status != DatasetStatus::VOIDED, DATA_NOT_FOUND);
  CT_REQUIRE(d->collector == p.uav, DATA_WRONG_UAV);
  CT_REQUIRE(d->generation_ts_ms >= t->terms.window_start_ms &&
                 d->generation_ts_ms <= t->terms.window_end_ms,
             OUT_OF_WINDOW);
  CT_REQUIRE(CellsOverlap(d->cells, t->terms.cells), OUT_OF_AREA);
  uint64_t aoi = d->registered_ms > d->generation_ts_ms ? d->registered_ms - d->generation_ts_ms : 0;
  CT_REQUIRE(aoi <= t->terms.max_aoi_ms, AOI_EXCEEDED);
  Bytes used_key = keys::DeliveredTo(t->vsp, p.data_id);
  ML_ASSIGN_OR_RETURN(uint64_t used, ctx.GetU64(used_key));
  CT_REQUIRE(used == 0, DATA_REUSED);
  ctx.PutU64(used_key, 1);
  b->delivered = true;
  b->data_id = p.data_id;
  b->delivered_h = ctx.height();
  ctx.Put(keys::Bid(p.task_id, p.uav), *b);
  ML_RETURN_IF_ERROR(
      ctx.AddDue("aaccept", ctx.height() + t->terms.accept_window_blocks, p.task_id));
  ctx.Emit("auction.delivered", {{"task", p.task_id.Hex()},
                                 {"uav", p.uav.Hex()},
                                 {"data_id", p.data_id.Hex()}});
  return ErrorCode::OK;
}

Outcome HandleAcceptDelivery(Ctx& ctx, const AcceptDeliveryPayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<AuctionTaskRecord> t, LoadTask(ctx, p.task_id));
  CT_REQUIRE(t, NOT_FOUND);
  CT_REQUIRE(t->vsp == ctx.sender, UNAUTHORIZED);
  ML_ASSIGN_OR_RETURN(std::optional<BidRecord> b, ctx.Get<BidRecord>(keys::Bid(p.task_id, p.uav)));
  CT_REQUIRE(b && b->outcome == BidOutcome::WON, NOT_WINNER);
  CT_REQUIRE(b->delivered, WRONG_PHASE);
  ML_RETURN_IF_ERROR(SettleDelivered(ctx, p.task_id, *t, p.uav, *b));
  ctx.Put(keys::AuctionTask(p.task_id), *t);
  return ErrorCode::OK;
}

Status RunAuctionDeadlines(Ctx& ctx) {
  ML_ASSIGN_OR_RETURN(std::vector<Hash256> closing, ctx.TakeDue("aclose", ctx.height()));
  for (const Hash256& id : closing) ML_RETURN_IF_ERROR(CloseAuction(ctx, id));
  ML_ASSIGN_OR_RETURN(std::vector<Hash256> accepting, ctx.TakeDue("aaccept", ctx.height()));
  for (const Hash256& id : accepting) ML_RETURN_IF_ERROR(AutoAccept(ctx, id));
  ML_ASSIGN_OR_RETURN(std::vector<Hash256> settling, ctx.TakeDue("adeliver", ctx.height()));
  for (const Hash256& id : settling) ML_RETURN_IF_ERROR(SettleUndelivered(ctx, id));
  return Status::Ok();
}

}  // namespace metaledger::contracts
