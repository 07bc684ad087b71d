#pragma once
// VSP-UAV data-collection auction (spec section 6): sealed-bid reverse auction with a uniform
// (K+1)-th price. Bidding one's true cost is dominant, winners are paid at least their ask, and
// the VSP never pays more than the K * reserve it escrowed.
//   commit in (posted_h, commit_end_h]; reveal in (commit_end_h, reveal_end_h];
//   close at reveal_end_h + 1: sort valid bids by (ask, BidOrderKey), winners = first min(K, n),
//   price = ask_(K+1) if n > K else reserve; deliveries until delivery_end_h; each delivery is
//   accepted by the VSP or after accept_window_blocks; undelivered winners settle at
//   delivery_end_h + 1.
#include <cstdint>
#include <vector>

#include "contracts/context.h"
#include "core/payload/payloads.h"

namespace metaledger::contracts {

enum class AuctionPhase : uint8_t { COMMIT = 0, REVEAL = 1, DELIVERY = 2, DONE = 3 };

struct AuctionTaskRecord {
  Address vsp;
  PostTaskPayload terms;
  uint64_t posted_h = 0;
  bool closed = false;
  uint64_t commits = 0;
  uint64_t reveals = 0;
  uint64_t valid_bids = 0;
  std::vector<Address> bidders;  // UAVs with a commitment, sorted
  std::vector<Address> winners;  // in price order
  uint64_t price = 0;
  uint64_t settled = 0;          // winners settled either way
  void Encode(Writer& w) const;
  static AuctionTaskRecord DecodeFrom(Reader& r);
  bool operator==(const AuctionTaskRecord&) const = default;
};

enum class BidOutcome : uint8_t {
  PENDING = 0, INVALID_OVER_RESERVE = 1, UNREVEALED = 2, LOST = 3, WON = 4,
  PAID = 5,       // delivered and accepted
  DEFAULTED = 6,  // won but did not deliver in time
};

struct BidRecord {
  Address operator_addr;
  Hash256 commitment;
  bool revealed = false;
  uint64_t ask = 0;
  uint64_t bond = 0;
  BidOutcome outcome = BidOutcome::PENDING;
  bool delivered = false;
  Hash256 data_id;
  uint64_t delivered_h = 0;
  void Encode(Writer& w) const;
  static BidRecord DecodeFrom(Reader& r);
  bool operator==(const BidRecord&) const = default;
};

AuctionPhase PhaseAt(const AuctionTaskRecord& t, uint64_t h);

Outcome HandlePostTask(Ctx& ctx, const PostTaskPayload& p);
Outcome HandleCommitBid(Ctx& ctx, const CommitBidPayload& p);
Outcome HandleRevealBid(Ctx& ctx, const RevealBidPayload& p);
Outcome HandleSubmitDelivery(Ctx& ctx, const SubmitDeliveryPayload& p);
Outcome HandleAcceptDelivery(Ctx& ctx, const AcceptDeliveryPayload& p);
// End-of-block: closes auctions, auto-accepts deliveries, settles undelivered winners.
Status RunAuctionDeadlines(Ctx& ctx);

}  // namespace metaledger::contracts
