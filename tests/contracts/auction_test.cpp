#include "tests/contracts/harness.h"

namespace metaledger::contracts::testing {
namespace {

// One VSP, four UAV operators each owning one UAV; MIN_* blocks shortened for speed.
struct Auction : ::testing::Test {
  PrivateKey vsp = KeyFor(20);
  PrivateKey ops[4] = {KeyFor(21), KeyFor(22), KeyFor(23), KeyFor(24)};
  PrivateKey uavs[4] = {KeyFor(31), KeyFor(32), KeyFor(33), KeyFor(34)};
  AcceptAll verifier;
  std::unique_ptr<Chain> c;
  Hash256 task;
  PostTaskPayload terms;

  void SetUp() override {
    Genesis g;
    g.genesis_time_ms = 1'000'000;
    g.params["MIN_COMMIT_BLOCKS"] = 2;
    g.params["MIN_REVEAL_BLOCKS"] = 2;
    g.accounts.push_back(Acct(vsp, 10'000, {"VSP"}, "vsp"));
    for (int i = 0; i < 4; ++i) {
      g.accounts.push_back(Acct(ops[i], 1'000, {"UAV_OPERATOR"}, "op" + std::to_string(i)));
      GenesisAccount u = Acct(uavs[i], 0, {}, "uav" + std::to_string(i));
      u.operator_key = ops[i].public_key();
      g.accounts.push_back(u);
    }
    c = std::make_unique<Chain>(g, verifier);
    terms.cells = {10, 11};
    terms.window_start_ms = 1'000'000;
    terms.window_end_ms = 2'000'000;
    terms.max_aoi_ms = 60'000;
    terms.k = 2;
    terms.reserve = 100;
    terms.bid_bond = 100;
    terms.commit_end_h = 3;
    terms.reveal_end_h = 5;
    terms.delivery_end_h = 10;
    terms.accept_window_blocks = 2;
  }

  void Post() {
    uint64_t nonce = (*QueryAccount(c->state_, Addr(vsp)))->account.nonce;
    ASSERT_EQ(c->Do(vsp, terms), ErrorCode::OK);
    task = AuctionTaskId(Chain::kChainId, Addr(vsp), nonce);
  }
  Hash256 Salt(int i) { return H(static_cast<uint8_t>(0x40 + i)); }
  CommitBidPayload Commit(int i, uint64_t ask) {
    return {task, Addr(uavs[i]),
            BidCommitment(Chain::kChainId, task, Addr(ops[i]), Addr(uavs[i]), ask, Salt(i))};
  }
  // Runs commit (height 2..3), reveal (4..5) and close (6) for the given asks (one per operator).
  void RunAuction(const std::vector<uint64_t>& asks, int reveal_count = -1) {
    Post();  // height 1
    std::vector<Transaction> commits;
    for (size_t i = 0; i < asks.size(); ++i) commits.push_back(c->Tx(ops[i], Commit(i, asks[i])));
    for (ErrorCode e : c->Block(commits)) EXPECT_EQ(e, ErrorCode::OK);
    c->AdvanceTo(3);
    std::vector<Transaction> reveals;
    size_t n = reveal_count < 0 ? asks.size() : static_cast<size_t>(reveal_count);
    for (size_t i = 0; i < n; ++i) {
      reveals.push_back(c->Tx(ops[i], RevealBidPayload{task, Addr(uavs[i]), asks[i], Salt(i)}));
    }
    for (ErrorCode e : c->Block(reveals)) EXPECT_EQ(e, ErrorCode::OK);
    c->AdvanceTo(6);  // closes at reveal_end_h + 1
  }
  AuctionView View() { return **QueryAuction(c->state_, task, c->height_); }
};

TEST_F(Auction, MoreBiddersThanSlotsPayTheKPlusFirstAsk) {
  RunAuction({70, 50, 90, 60});  // sorted 50, 60 | 70 → K=2 winners, price 70
  AuctionView v = View();
  EXPECT_EQ(v.task.price, 70u);
  ASSERT_EQ(v.task.winners.size(), 2u);
  EXPECT_EQ(v.task.winners[0], Addr(uavs[1]));
  EXPECT_EQ(v.task.winners[1], Addr(uavs[3]));
  // VSP escrowed 200, keeps 140 for winners, got 60 back.
  EXPECT_EQ(c->Balance(vsp), 10'000u - 140u);
  EXPECT_EQ(c->Balance(ops[0]), 1'000u);   // loser refunded
  EXPECT_EQ(c->Balance(ops[1]), 900u);     // winner bond locked
}

TEST_F(Auction, ExactlyKOrFewerPayReserve) {
  RunAuction({70, 50});
  EXPECT_EQ(View().task.price, 100u);
  EXPECT_EQ(c->Balance(vsp), 10'000u - 200u);
}

TEST_F(Auction, FewerThanKRefundsTheUnusedEscrow) {
  RunAuction({80});
  EXPECT_EQ(View().task.winners.size(), 1u);
  EXPECT_EQ(c->Balance(vsp), 10'000u - 100u);
}

TEST_F(Auction, NoBidsRefundsEverything) {
  RunAuction({});
  EXPECT_TRUE(View().task.winners.empty());
  EXPECT_EQ(c->Balance(vsp), 10'000u);
}

TEST_F(Auction, TiesAtTheBoundaryBreakByHashAndSetThePrice) {
  RunAuction({60, 60, 60});
  AuctionView v = View();
  EXPECT_EQ(v.task.price, 60u);
  std::vector<std::pair<Hash256, Address>> order;
  for (int i = 0; i < 3; ++i) {
    order.push_back({BidOrderKey(Chain::kChainId, task, Addr(uavs[i])), Addr(uavs[i])});
  }
  std::sort(order.begin(), order.end());
  EXPECT_EQ(v.task.winners[0], order[0].second);
  EXPECT_EQ(v.task.winners[1], order[1].second);
}

TEST_F(Auction, UnrevealedBondsSplitAndOverReserveRefunded) {
  SupplyRecord before = *QuerySupply(c->state_);
  RunAuction({150, 50, 40}, 2);  // op0 asks over reserve, op1 valid, op2 never reveals
  AuctionView v = View();
  EXPECT_EQ(v.task.winners.size(), 1u);
  EXPECT_EQ(c->Balance(ops[0]), 1'000u);             // bond refunded at reveal
  EXPECT_EQ(c->Balance(ops[2]), 900u);               // bond lost
  EXPECT_EQ(c->Balance(vsp), 10'000u - 100u + 50u);  // k=1 at reserve; half the lost bond
  SupplyRecord after = *QuerySupply(c->state_);
  EXPECT_EQ(after.burned - before.burned, 50u);
  EXPECT_EQ(after.total, before.total - 50u);
}

TEST_F(Auction, PostingChecks) {
  PostTaskPayload bad = terms;
  bad.k = 0;
  EXPECT_EQ(c->Do(vsp, bad), ErrorCode::K_RANGE);
  bad = terms;
  bad.reserve = 0;
  EXPECT_EQ(c->Do(vsp, bad), ErrorCode::RESERVE_ZERO);
  bad = terms;
  bad.bid_bond = 99;
  EXPECT_EQ(c->Do(vsp, bad), ErrorCode::BOND_TOO_LOW);
  bad = terms;
  bad.reveal_end_h = bad.commit_end_h + 1;
  EXPECT_EQ(c->Do(vsp, bad), ErrorCode::BAD_DEADLINES);
  bad = terms;
  bad.cells = {3, 3};
  EXPECT_EQ(c->Do(vsp, bad), ErrorCode::BAD_CELLS);
  bad = terms;
  bad.k = 1000;
  bad.commit_end_h = 100;
  bad.reveal_end_h = 200;
  bad.delivery_end_h = 300;
  EXPECT_EQ(c->Do(vsp, bad), ErrorCode::INSUFFICIENT_FUNDS);
}

TEST_F(Auction, BiddingChecks) {
  terms.min_reputation_ppm = 400'000;  // a newcomer has 500 000
  Post();  // height 1; commits in (1, 3], reveals in (3, 5]
  auto codes = c->Block({c->Tx(ops[0], CommitBidPayload{task, Addr(uavs[1]), H(1)}),
                         c->Tx(ops[0], Commit(0, 50)), c->Tx(ops[0], Commit(0, 60)),
                         c->Tx(ops[1], RevealBidPayload{task, Addr(uavs[1]), 50, Salt(1)})});
  EXPECT_EQ(codes, (std::vector<ErrorCode>{ErrorCode::UAV_NOT_OWNED, ErrorCode::OK,
                                           ErrorCode::DUP_OPERATOR_COMMIT, ErrorCode::WRONG_PHASE}));
  c->AdvanceTo(3);
  codes = c->Block({c->Tx(ops[1], RevealBidPayload{task, Addr(uavs[0]), 50, Salt(0)}),
                    c->Tx(ops[0], RevealBidPayload{task, Addr(uavs[0]), 51, Salt(0)}),
                    c->Tx(ops[0], RevealBidPayload{task, Addr(uavs[0]), 50, Salt(0)}),
                    c->Tx(ops[0], RevealBidPayload{task, Addr(uavs[0]), 50, Salt(0)}),
                    c->Tx(ops[1], Commit(1, 50))});
  EXPECT_EQ(codes, (std::vector<ErrorCode>{ErrorCode::UNAUTHORIZED, ErrorCode::COMMIT_MISMATCH,
                                           ErrorCode::OK, ErrorCode::ALREADY_REVEALED,
                                           ErrorCode::WRONG_PHASE}));
}

}  // namespace
}  // namespace metaledger::contracts::testing
