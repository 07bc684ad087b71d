// clang-format off
#include "tests/contracts/harness.h"  // gtest first: rapidcheck/gtest.h needs it
#include <rapidcheck/gtest.h>
// clang-format on

namespace metaledger::contracts::testing {
namespace {

Genesis MixedGenesis(const std::vector<PrivateKey>& k) {
  Genesis g;
  g.genesis_time_ms = 7'000'000;
  g.accounts.push_back(Acct(k[0], 100'000, {"VSP", "MEMBER"}, "vsp"));
  g.accounts.push_back(Acct(k[1], 5'000, {"UAV_OPERATOR"}, "op"));
  g.accounts.push_back(Acct(k[2], 5'000, {"AGGREGATOR"}, "agg"));
  GenesisAccount u = Acct(k[3], 0, {}, "uav");
  u.operator_key = k[1].public_key();
  g.accounts.push_back(u);
  return g;
}

// A block touching most contracts, with some failures in it.
std::vector<Transaction> MixedBlock(Chain& c, const std::vector<PrivateKey>& k) {
  RegisterDatasetPayload d;
  d.content_root = H(1);
  d.collector = Addr(k[3]);
  d.generation_ts_ms = 7'000'000;
  d.cells = {4, 5};
  d.device_sig =
      k[3].Sign(DeviceSigningHash(Chain::kChainId, d.content_root, 7'000'000, d.cells).view());
  PostTaskPayload t;
  t.cells = {4};
  t.window_start_ms = 1;
  t.window_end_ms = 2;
  t.k = 2;
  t.reserve = 50;
  t.bid_bond = 50;
  t.commit_end_h = 30;
  t.reveal_end_h = 60;
  t.delivery_end_h = 90;
  return {c.Tx(k[0], TransferPayload{Addr(k[1]), 10}),
          c.Tx(k[1], TransferPayload{Addr(k[2]), 1'000'000}),  // INSUFFICIENT_FUNDS
          c.Tx(k[0], CreatePoolPayload{H(2)}),
          c.Tx(k[0], FundPoolPayload{H(2), 500}),
          c.Tx(k[1], d),
          c.Tx(k[1], RegisterSensingPayload{DataId(Chain::kChainId, H(1), Addr(k[1])), H(2), 4, 0}),
          c.Tx(k[0], t),
          c.Tx(k[0], CreateFlTaskPayload{H(3), ModelFamily::TWIN, Addr(k[2]), {}, H(4)}),
          c.Tx(k[2], StakePayload{100})};
}

TEST(Determinism, SameBlockTwiceAndOnTwoFreshStatesGivesIdenticalResults) {
  std::vector<PrivateKey> k = {KeyFor(170), KeyFor(171), KeyFor(172), KeyFor(173)};
  AcceptAll v;
  Chain a(MixedGenesis(k), v), b(MixedGenesis(k), v);
  std::vector<Transaction> block = MixedBlock(a, k);
  BlockContext ctx{Chain::kChainId, 1, 7'001'000};
  auto r1 = a.exec_.ExecuteBlock(a.state_, ctx, block);
  auto r2 = a.exec_.ExecuteBlock(a.state_, ctx, block);  // same base, again
  auto r3 = b.exec_.ExecuteBlock(b.state_, ctx, block);  // another node's fresh state
  ASSERT_TRUE(r1.ok() && r2.ok() && r3.ok());
  EXPECT_EQ(*r1, *r2);
  EXPECT_EQ(*r1, *r3);
  // The block really did mixed work: successes, a failure, events and writes.
  EXPECT_EQ(r1->tx_codes[0], 0);
  EXPECT_EQ(r1->tx_codes[1], static_cast<uint16_t>(ErrorCode::INSUFFICIENT_FUNDS));
  EXPECT_EQ(r1->tx_codes[7], static_cast<uint16_t>(ErrorCode::BAD_ARGUMENT));  // no evaluators
  EXPECT_GE(r1->events.size(), 6u);
  EXPECT_FALSE(r1->writes.empty());
  // Receipts survive their encoding unchanged.
  Writer w;
  r1->EncodeReceipts(w);
  Reader rd(w.bytes());
  ExecutionResult back = ExecutionResult::DecodeReceipts(rd);
  EXPECT_EQ(back.tx_codes, r1->tx_codes);
  EXPECT_EQ(back.events, r1->events);
}

// Random transfer blocks executed on two fresh states give identical codes, events and writes.
RC_GTEST_PROP(DeterminismProperty, RandomTransferBlocksAgree, ()) {
  std::vector<PrivateKey> k = {KeyFor(170), KeyFor(171), KeyFor(172), KeyFor(173)};
  AcceptAll v;
  Chain a(MixedGenesis(k), v), b(MixedGenesis(k), v);
  std::vector<Transaction> block;
  const int n = *rc::gen::inRange(1, 40);
  for (int i = 0; i < n; ++i) {
    const int from = *rc::gen::inRange(0, 4), to = *rc::gen::inRange(0, 4);
    block.push_back(
        a.Tx(k[from], TransferPayload{Addr(k[to]), *rc::gen::inRange<uint64_t>(0, 8000)}));
  }
  BlockContext ctx{Chain::kChainId, 1, 7'001'000};
  auto r1 = a.exec_.ExecuteBlock(a.state_, ctx, block);
  auto r2 = b.exec_.ExecuteBlock(b.state_, ctx, block);
  RC_ASSERT(r1.ok() && r2.ok());
  RC_ASSERT(*r1 == *r2);
}

}  // namespace
}  // namespace metaledger::contracts::testing
