#include "tests/contracts/harness.h"

namespace metaledger::contracts::testing {
namespace {

// Two auctions (A and B) by one VSP; three operators with one UAV each bid 50, 60, 70 in both,
// so the first two win at price 70. Commit at h2, reveal at h4, close at h6; deliveries until
// h20 (accept window 2 blocks); undelivered winners settle at h21.
struct Delivery : ::testing::Test {
  PrivateKey vsp = KeyFor(140);
  PrivateKey ops[3] = {KeyFor(141), KeyFor(142), KeyFor(143)};
  PrivateKey uavs[3] = {KeyFor(151), KeyFor(152), KeyFor(153)};
  AcceptAll verifier;
  std::unique_ptr<Chain> c;
  Hash256 task_a, task_b;
  PostTaskPayload terms;
  const uint64_t asks[3] = {50, 60, 70};

  void SetUp() override {
    Genesis g;
    g.genesis_time_ms = 1'000'000;
    g.params["MIN_COMMIT_BLOCKS"] = 1;
    g.params["MIN_REVEAL_BLOCKS"] = 2;
    g.accounts.push_back(Acct(vsp, 10'000, {"VSP"}, "vsp"));
    for (int i = 0; i < 3; ++i) {
      g.accounts.push_back(Acct(ops[i], 1'000, {"UAV_OPERATOR"}, "op" + std::to_string(i)));
      GenesisAccount u = Acct(uavs[i], 0, {}, "uav" + std::to_string(i));
      u.operator_key = ops[i].public_key();
      g.accounts.push_back(u);
    }
    c = std::make_unique<Chain>(g, verifier);
    terms.cells = {10, 11};
    terms.window_start_ms = 900'000;
    terms.window_end_ms = 2'000'000;
    terms.max_aoi_ms = 60'000;
    terms.k = 2;
    terms.reserve = 100;
    terms.bid_bond = 100;
    terms.commit_end_h = 3;
    terms.reveal_end_h = 5;
    terms.delivery_end_h = 20;
    terms.accept_window_blocks = 2;
    c->Block({c->Tx(vsp, terms), c->Tx(vsp, terms)});  // h1, nonces 0 and 1
    task_a = AuctionTaskId(Chain::kChainId, Addr(vsp), 0);
    task_b = AuctionTaskId(Chain::kChainId, Addr(vsp), 1);
    std::vector<Transaction> commits;
    for (const Hash256& t : {task_a, task_b}) {
      for (int i = 0; i < 3; ++i) {
        commits.push_back(
            c->Tx(ops[i], CommitBidPayload{t, Addr(uavs[i]),
                                           BidCommitment(Chain::kChainId, t, Addr(ops[i]),
                                                         Addr(uavs[i]), asks[i], H(9))}));
      }
    }
    for (ErrorCode e : c->Block(commits)) ASSERT_EQ(e, ErrorCode::OK);  // h2
    c->AdvanceTo(3);
    std::vector<Transaction> reveals;
    for (const Hash256& t : {task_a, task_b}) {
      for (int i = 0; i < 3; ++i) {
        reveals.push_back(c->Tx(ops[i], RevealBidPayload{t, Addr(uavs[i]), asks[i], H(9)}));
      }
    }
    for (ErrorCode e : c->Block(reveals)) ASSERT_EQ(e, ErrorCode::OK);  // h4
    c->AdvanceTo(6);
    ASSERT_EQ(View(task_a).task.price, 70u);
  }

  // Registers a dataset of operator i's UAV (`collector` if given) in its own block.
  Hash256 Data(int i, uint8_t tag, uint64_t gen_ts, std::vector<uint64_t> cells = {11, 12},
               int collector = -1) {
    const PrivateKey& dev = uavs[collector < 0 ? i : collector];
    RegisterDatasetPayload p;
    p.content_root = H(tag);
    p.collector = Addr(dev);
    p.generation_ts_ms = gen_ts;
    p.cells = std::move(cells);
    p.device_sig =
        dev.Sign(DeviceSigningHash(Chain::kChainId, p.content_root, gen_ts, p.cells).view());
    const PrivateKey& owner = ops[collector < 0 ? i : collector];
    EXPECT_EQ(c->Do(owner, p), ErrorCode::OK);
    return DataId(Chain::kChainId, H(tag), Addr(owner));
  }
  AuctionView View(const Hash256& t) { return **QueryAuction(c->state_, t, c->height_); }
  BidRecord Bid(const Hash256& t, int i) {
    for (const auto& [uav, b] : View(t).bids) {
      if (uav == Addr(uavs[i])) return b;
    }
    ADD_FAILURE() << "no bid";
    return {};
  }
};

TEST_F(Delivery, DeliveryChecks) {
  const uint64_t now = c->time_ms_;                         // h6
  Hash256 good = Data(0, 1, now);                           // h7
  Hash256 early = Data(0, 2, 899'000);                      // before the window
  Hash256 elsewhere = Data(0, 3, now, {12, 13});            // no task cell
  Hash256 stale = Data(0, 4, c->time_ms_ + 1000 - 60'001);  // AoI at registration 60 001
  Hash256 uav1_data = Data(1, 5, now);                      // collected by UAV 1
  auto codes = c->Block({
      c->Tx(ops[0], SubmitDeliveryPayload{task_a, Addr(uavs[0]), H(0x55)}),
      c->Tx(ops[0], SubmitDeliveryPayload{task_a, Addr(uavs[0]), uav1_data}),
      c->Tx(ops[0], SubmitDeliveryPayload{task_a, Addr(uavs[0]), early}),
      c->Tx(ops[0], SubmitDeliveryPayload{task_a, Addr(uavs[0]), elsewhere}),
      c->Tx(ops[0], SubmitDeliveryPayload{task_a, Addr(uavs[0]), stale}),
      c->Tx(ops[2], SubmitDeliveryPayload{task_a, Addr(uavs[2]), good}),  // op2 lost
      c->Tx(vsp, AcceptDeliveryPayload{task_a, Addr(uavs[0])}),           // nothing delivered
      c->Tx(ops[0], SubmitDeliveryPayload{task_a, Addr(uavs[0]), good}),
      c->Tx(ops[0], SubmitDeliveryPayload{task_b, Addr(uavs[0]), good}),  // same VSP again
      c->Tx(ops[0], SubmitDeliveryPayload{task_a, Addr(uavs[0]), good}),
  });
  EXPECT_EQ(codes, (std::vector<ErrorCode>{ErrorCode::DATA_NOT_FOUND, ErrorCode::DATA_WRONG_UAV,
                                           ErrorCode::OUT_OF_WINDOW, ErrorCode::OUT_OF_AREA,
                                           ErrorCode::AOI_EXCEEDED, ErrorCode::NOT_WINNER,
                                           ErrorCode::WRONG_PHASE, ErrorCode::OK,
                                           ErrorCode::DATA_REUSED, ErrorCode::ALREADY_EXISTS}));
  c->AdvanceTo(20);
  EXPECT_EQ(c->Do(ops[1], SubmitDeliveryPayload{task_a, Addr(uavs[1]), uav1_data}),
            ErrorCode::LATE_DELIVERY);  // h21 > delivery_end_h
}

TEST_F(Delivery, AcceptedDeliveryPaysThePriceAndBondAndRaisesReputation) {
  Hash256 d = Data(0, 1, c->time_ms_);
  const uint64_t op0_before = c->Balance(ops[0]);  // bonds of both auctions locked: 800
  ASSERT_EQ(c->Do(ops[0], SubmitDeliveryPayload{task_a, Addr(uavs[0]), d}), ErrorCode::OK);
  EXPECT_EQ(c->Do(ops[1], AcceptDeliveryPayload{task_a, Addr(uavs[0])}), ErrorCode::UNAUTHORIZED);
  ASSERT_EQ(c->Do(vsp, AcceptDeliveryPayload{task_a, Addr(uavs[0])}), ErrorCode::OK);
  EXPECT_EQ(c->Balance(ops[0]), op0_before + 70 + 100);
  EXPECT_EQ(Bid(task_a, 0).outcome, BidOutcome::PAID);
  ReputationRecord rep = *QueryReputation(c->state_, Addr(ops[0]), Role::UAV_OPERATOR);
  EXPECT_EQ(rep.alpha, 1000u);  // positive event with q = PPM
  EXPECT_EQ(rep.beta, 0u);
}

TEST_F(Delivery, SilenceAcceptsAfterTheWindow) {
  Hash256 d = Data(0, 1, c->time_ms_);
  const uint64_t before = c->Balance(ops[0]);
  ASSERT_EQ(c->Do(ops[0], SubmitDeliveryPayload{task_b, Addr(uavs[0]), d}), ErrorCode::OK);
  const uint64_t delivered_h = c->height_;
  c->AdvanceTo(delivered_h + 1);
  EXPECT_EQ(c->Balance(ops[0]), before);
  c->AdvanceTo(delivered_h + 2);  // accept_window_blocks = 2
  EXPECT_EQ(c->Balance(ops[0]), before + 70 + 100);
  EXPECT_EQ(Bid(task_b, 0).outcome, BidOutcome::PAID);
}

TEST_F(Delivery, UndeliveredWinnerForfeitsHalfTheBondAndLosesReputation) {
  SupplyRecord s0 = *QuerySupply(c->state_);
  const uint64_t vsp_before = c->Balance(vsp);
  const uint64_t op1_before = c->Balance(ops[1]);
  c->AdvanceTo(21);  // delivery_end_h + 1: both winners of both auctions default
  EXPECT_EQ(Bid(task_a, 1).outcome, BidOutcome::DEFAULTED);
  // Per defaulted winner: the VSP gets the price back plus half the bond, the rest burns.
  EXPECT_EQ(c->Balance(vsp), vsp_before + 4 * (70 + 50));
  EXPECT_EQ(c->Balance(ops[1]), op1_before);
  SupplyRecord s1 = *QuerySupply(c->state_);
  EXPECT_EQ(s1.burned - s0.burned, 4 * 50u);
  EXPECT_EQ(s1.total, s0.total - 4 * 50);
  ReputationRecord rep = *QueryReputation(c->state_, Addr(ops[1]), Role::UAV_OPERATOR);
  EXPECT_EQ(rep.beta, 3000u + 3000 * 9 / 10);  // two negative events, the first decayed
}

}  // namespace
}  // namespace metaledger::contracts::testing
