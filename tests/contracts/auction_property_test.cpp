// clang-format off
#include "tests/contracts/harness.h"  // gtest first: rapidcheck/gtest.h needs it
#include <rapidcheck/gtest.h>
// clang-format on

namespace metaledger::contracts::testing {
namespace {

struct AuctionRun {
  std::vector<bool> won;  // per bidder
  uint64_t price = 0;
  uint64_t vsp_paid = 0;  // escrow kept after close
};

// Runs one sealed-bid auction on a fresh chain: bidder i reveals asks[i]; reserve 100.
AuctionRun RunSealedAuction(uint32_t k, const std::vector<uint64_t>& asks) {
  PrivateKey vsp = KeyFor(200);
  std::vector<PrivateKey> ops, uavs;
  Genesis g;
  g.genesis_time_ms = 1'000'000;
  g.params["MIN_COMMIT_BLOCKS"] = 1;
  g.params["MIN_REVEAL_BLOCKS"] = 1;
  g.accounts.push_back(Acct(vsp, 10'000, {"VSP"}, "vsp"));
  for (size_t i = 0; i < asks.size(); ++i) {
    ops.push_back(KeyFor(static_cast<uint8_t>(201 + i)));
    uavs.push_back(KeyFor(static_cast<uint8_t>(221 + i)));
    g.accounts.push_back(Acct(ops[i], 1'000, {"UAV_OPERATOR"}, "op" + std::to_string(i)));
    GenesisAccount u = Acct(uavs[i], 0, {}, "uav" + std::to_string(i));
    u.operator_key = ops[i].public_key();
    g.accounts.push_back(u);
  }
  AcceptAll verifier;
  Chain c(g, verifier);
  PostTaskPayload t;
  t.cells = {1};
  t.window_start_ms = 0;
  t.window_end_ms = 1;
  t.k = k;
  t.reserve = 100;
  t.bid_bond = 100;
  t.commit_end_h = 2;
  t.reveal_end_h = 3;
  t.delivery_end_h = 10;
  c.Do(vsp, t);  // h1
  Hash256 task = AuctionTaskId(Chain::kChainId, Addr(vsp), 0);
  std::vector<Transaction> commits, reveals;
  for (size_t i = 0; i < asks.size(); ++i) {
    commits.push_back(
        c.Tx(ops[i], CommitBidPayload{task, Addr(uavs[i]),
                                      BidCommitment(Chain::kChainId, task, Addr(ops[i]),
                                                    Addr(uavs[i]), asks[i], H(1))}));
  }
  c.Block(commits);  // h2
  for (size_t i = 0; i < asks.size(); ++i) {
    reveals.push_back(c.Tx(ops[i], RevealBidPayload{task, Addr(uavs[i]), asks[i], H(1)}));
  }
  c.Block(reveals);  // h3
  c.Block({});       // h4 closes
  AuctionView v = **QueryAuction(c.state_, task, c.height_);
  AuctionRun r;
  r.price = v.task.price;
  for (size_t i = 0; i < asks.size(); ++i) {
    r.won.push_back(std::find(v.task.winners.begin(), v.task.winners.end(), Addr(uavs[i])) !=
                    v.task.winners.end());
  }
  r.vsp_paid = 10'000 - c.Balance(vsp);
  return r;
}

int64_t Utility(const AuctionRun& r, size_t i, uint64_t cost) {
  return r.won[i] ? static_cast<int64_t>(r.price) - static_cast<int64_t>(cost) : 0;
}

// Truthfulness, individual rationality and the budget bound, on random auctions: asks up to
// 150 against a reserve of 100 (so some are invalid), K in 1..3, up to 5 bidders; each case
// tries two random misreports by random bidders.
RC_GTEST_PROP(AuctionProperty, TruthfulIndividuallyRationalAndWithinBudget, ()) {
  const uint32_t k = *rc::gen::inRange<uint32_t>(1, 4);
  const size_t n = *rc::gen::inRange<size_t>(0, 6);
  std::vector<uint64_t> costs;
  for (size_t i = 0; i < n; ++i) costs.push_back(*rc::gen::inRange<uint64_t>(1, 151));
  AuctionRun truth = RunSealedAuction(k, costs);
  size_t winners = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!truth.won[i]) continue;
    ++winners;
    RC_ASSERT(truth.price >= costs[i]);  // winners are paid at least their ask
  }
  RC_ASSERT(winners <= k);
  RC_ASSERT(truth.vsp_paid <= uint64_t{k} * 100);
  RC_ASSERT(truth.vsp_paid == winners * truth.price);
  if (n == 0) return;
  for (int d = 0; d < 2; ++d) {
    const size_t i = *rc::gen::inRange<size_t>(0, n);
    std::vector<uint64_t> lie = costs;
    lie[i] = *rc::gen::inRange<uint64_t>(1, 151);
    AuctionRun dev = RunSealedAuction(k, lie);
    RC_ASSERT(Utility(dev, i, costs[i]) <= Utility(truth, i, costs[i]));
    RC_ASSERT(dev.vsp_paid <= uint64_t{k} * 100);
  }
}

}  // namespace
}  // namespace metaledger::contracts::testing
