#include "tests/contracts/harness.h"

namespace metaledger::contracts::testing {
namespace {

TEST(SensingMath, FreshnessAtA0BetweenAndAmax) {
  const uint64_t a0 = 30'000, amax = 120'000;
  EXPECT_EQ(FreshnessPpm(0, a0, amax), kPpm);
  EXPECT_EQ(FreshnessPpm(a0, a0, amax), kPpm);
  EXPECT_EQ(FreshnessPpm(a0 + 1, a0, amax), kPpm * (amax - a0 - 1) / (amax - a0));
  EXPECT_EQ(FreshnessPpm(75'000, a0, amax), 500'000u);  // the docs' worked example
  EXPECT_EQ(FreshnessPpm(amax - 1, a0, amax), kPpm / (amax - a0));
  EXPECT_EQ(FreshnessPpm(amax, a0, amax), 0u);
  EXPECT_EQ(FreshnessPpm(UINT64_MAX, a0, amax), 0u);
}

TEST(SensingMath, CrowdingClipIsOrderIndependent) {
  EXPECT_EQ(ClipPpm(1, 2), kPpm);
  EXPECT_EQ(ClipPpm(2, 2), kPpm);
  EXPECT_EQ(ClipPpm(3, 2), 666'666u);
  EXPECT_EQ(ClipPpm(4, 2), 500'000u);
}

// A VSP with a pool, two operators with one UAV each; epochs of 10 blocks.
struct Sensing : ::testing::Test {
  PrivateKey vsp = KeyFor(110), op1 = KeyFor(111), uav1 = KeyFor(112), op2 = KeyFor(113),
             uav2 = KeyFor(114);
  AcceptAll verifier;
  std::unique_ptr<Chain> c;
  Hash256 pool = H(0x70);

  void SetUp() override {
    Genesis g;
    g.genesis_time_ms = 10'000'000;
    g.params["EPOCH_BLOCKS"] = 10;
    g.accounts.push_back(Acct(vsp, 100'000, {"VSP"}, "vsp"));
    g.accounts.push_back(Acct(op1, 0, {"UAV_OPERATOR"}, "op1"));
    g.accounts.push_back(Acct(op2, 0, {"UAV_OPERATOR"}, "op2"));
    GenesisAccount u1 = Acct(uav1, 0, {}, "uav1");
    u1.operator_key = op1.public_key();
    g.accounts.push_back(u1);
    GenesisAccount u2 = Acct(uav2, 0, {}, "uav2");
    u2.operator_key = op2.public_key();
    g.accounts.push_back(u2);
    c = std::make_unique<Chain>(g, verifier);
    ASSERT_EQ(c->Do(vsp, CreatePoolPayload{pool}), ErrorCode::OK);  // h1
  }
  // A dataset of `device` (owned by `owner`) generated at `ts` over cells {1, 2, 3}.
  Transaction Data(const PrivateKey& owner, const PrivateKey& device, uint8_t tag, uint64_t ts) {
    RegisterDatasetPayload p;
    p.content_root = H(tag);
    p.collector = Addr(device);
    p.generation_ts_ms = ts;
    p.cells = {1, 2, 3};
    p.device_sig =
        device.Sign(DeviceSigningHash(Chain::kChainId, p.content_root, ts, p.cells).view());
    return c->Tx(owner, p);
  }
  Hash256 Id(const PrivateKey& owner, uint8_t tag) {
    return DataId(Chain::kChainId, H(tag), Addr(owner));
  }
};

TEST_F(Sensing, FreshnessIsMeasuredAtRegistration) {
  // Registered in the next block, at time T = now + 1000.
  const uint64_t t = c->time_ms_ + 2000;
  c->Block({Data(op1, uav1, 1, t - 30'000), Data(op1, uav1, 2, t - 75'000),
            Data(op1, uav1, 3, t - 120'000)});
  auto codes = c->Block({c->Tx(op1, RegisterSensingPayload{Id(op1, 1), pool, 1, 0}),
                         c->Tx(op1, RegisterSensingPayload{Id(op1, 2), pool, 2, 0}),
                         c->Tx(op1, RegisterSensingPayload{Id(op1, 3), pool, 3, 0})});
  ASSERT_EQ(c->time_ms_, t);
  for (ErrorCode e : codes) ASSERT_EQ(e, ErrorCode::OK);
  PoolEpochRecord ep = **QueryPoolEpoch(c->state_, pool, 0);
  ASSERT_EQ(ep.entries.size(), 3u);
  EXPECT_EQ(ep.entries[0].aoi_ms, 30'000u);
  EXPECT_EQ(ep.entries[0].fresh_ppm, kPpm);
  EXPECT_EQ(ep.entries[1].fresh_ppm, 500'000u);
  EXPECT_EQ(ep.entries[2].fresh_ppm, 0u);
  EXPECT_TRUE(ep.entries[2].too_old);
  EXPECT_FALSE(ep.entries[1].too_old);
}

TEST_F(Sensing, EpochPayoutClipsCrowdingAndConservesThePool) {
  ASSERT_EQ(c->Do(vsp, FundPoolPayload{pool, 1000}), ErrorCode::OK);  // h2
  const uint64_t now = c->time_ms_;
  c->Block({Data(op1, uav1, 1, now), Data(op1, uav1, 2, now), Data(op1, uav1, 3, now),
            Data(op1, uav1, 4, now - 200'000), Data(op2, uav2, 5, now)});  // h3
  // op1: three fresh records in (cell 1, slot 0) and one too old; op2: one in (cell 2, slot 0).
  auto codes = c->Block({c->Tx(op1, RegisterSensingPayload{Id(op1, 1), pool, 1, 0}),
                         c->Tx(op1, RegisterSensingPayload{Id(op1, 2), pool, 1, 0}),
                         c->Tx(op1, RegisterSensingPayload{Id(op1, 3), pool, 1, 0}),
                         c->Tx(op1, RegisterSensingPayload{Id(op1, 4), pool, 1, 0}),
                         c->Tx(op2, RegisterSensingPayload{Id(op2, 5), pool, 2, 0}),
                         c->Tx(op2, RegisterSensingPayload{Id(op2, 5), pool, 2, 0}),
                         c->Tx(op2, RegisterSensingPayload{Id(op2, 5), pool, 9, 0}),
                         c->Tx(op2, RegisterSensingPayload{Id(op1, 1), pool, 1, 0}),
                         c->Tx(op2, RegisterSensingPayload{H(0x01), pool, 1, 0}),
                         c->Tx(op2, RegisterSensingPayload{Id(op2, 5), H(0x02), 2, 0})});
  EXPECT_EQ(codes, (std::vector<ErrorCode>{ErrorCode::OK, ErrorCode::OK, ErrorCode::OK,
                                           ErrorCode::OK, ErrorCode::OK, ErrorCode::ALREADY_EXISTS,
                                           ErrorCode::OUT_OF_AREA, ErrorCode::UAV_NOT_OWNED,
                                           ErrorCode::DATA_NOT_FOUND, ErrorCode::NOT_FOUND}));
  c->AdvanceTo(9);
  EXPECT_EQ(c->Claimable(op1), 0u);
  c->AdvanceTo(10);  // the first block of epoch 1 closes epoch 0
  // The too-old record does not count towards crowding: n = 3 in (1, 0) -> clip 666 666.
  // v = PPM * fresh/PPM * clip/PPM * R/PPM with R = 500 000 for newcomers.
  const uint64_t v1 = 3 * (666'666ull * 500'000 / kPpm);  // 999 999
  const uint64_t v2 = 500'000;
  const uint64_t pay1 = 1000 * v1 / (v1 + v2), pay2 = 1000 * v2 / (v1 + v2);
  EXPECT_EQ(pay1, 666u);
  EXPECT_EQ(pay2, 333u);
  EXPECT_EQ(c->Claimable(op1), pay1);
  EXPECT_EQ(c->Claimable(op2), pay2);
  PoolRecord p = **QueryPool(c->state_, pool);
  EXPECT_EQ(p.balance, 1000 - pay1 - pay2);  // the remainder carries
  EXPECT_EQ(pay1 + pay2 + p.balance, 1000u);
  PoolEpochRecord ep = **QueryPoolEpoch(c->state_, pool, 0);
  EXPECT_TRUE(ep.closed);
  EXPECT_EQ(ep.paid, pay1 + pay2);
  EXPECT_EQ(ep.carried, p.balance);

  // CLAIM moves rewards into the balance; supply is unchanged throughout.
  SupplyRecord before = *QuerySupply(c->state_);
  EXPECT_EQ(c->Do(op1, ClaimPayload{}), ErrorCode::OK);
  EXPECT_EQ(c->Balance(op1), pay1);
  EXPECT_EQ(c->Claimable(op1), 0u);
  EXPECT_EQ(c->Do(op1, ClaimPayload{}), ErrorCode::NOTHING_TO_CLAIM);
  SupplyRecord after = *QuerySupply(c->state_);
  EXPECT_EQ(after.total, before.total);
  EXPECT_EQ(after.held, before.held - pay1);
}

TEST_F(Sensing, PoolChecks) {
  EXPECT_EQ(c->Do(vsp, CreatePoolPayload{pool}), ErrorCode::ALREADY_EXISTS);
  EXPECT_EQ(c->Do(vsp, FundPoolPayload{H(0x71), 10}), ErrorCode::NOT_FOUND);
  EXPECT_EQ(c->Do(vsp, FundPoolPayload{pool, 0}), ErrorCode::BAD_ARGUMENT);
  EXPECT_EQ(c->Do(vsp, FundPoolPayload{pool, 100'001}), ErrorCode::INSUFFICIENT_FUNDS);
  EXPECT_EQ(c->Do(op1, FundPoolPayload{pool, 1}), ErrorCode::UNAUTHORIZED);
}

}  // namespace
}  // namespace metaledger::contracts::testing
