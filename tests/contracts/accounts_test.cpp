#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "tests/contracts/harness.h"

namespace metaledger::contracts::testing {
namespace {

struct Accounts : ::testing::Test {
  PrivateKey m1 = KeyFor(1), m2 = KeyFor(2), m3 = KeyFor(3), m4 = KeyFor(4), u = KeyFor(5);
  Genesis g = [this] {
    Genesis gen;
    gen.accounts = {Acct(m1, 1000, {"MEMBER"}, "m1"), Acct(m2, 1000, {"MEMBER"}, "m2"),
                    Acct(m3, 1000, {"MEMBER"}, "m3"), Acct(m4, 1000, {"MEMBER"}, "m4"),
                    Acct(u, 50, {}, "u")};
    return gen;
  }();
};

TEST_F(Accounts, TransferMovesFundsAndBumpsNonce) {
  Chain c(g);
  EXPECT_EQ(c.Do(m1, TransferPayload{Addr(u), 300}), ErrorCode::OK);
  EXPECT_EQ(c.Balance(m1), 700u);
  EXPECT_EQ(c.Balance(u), 350u);
  EXPECT_EQ(c.Do(u, TransferPayload{Addr(m1), 351}), ErrorCode::INSUFFICIENT_FUNDS);
  EXPECT_EQ(c.Balance(u), 350u);
  // The failed transfer still used nonce 0: the next one must carry nonce 1.
  EXPECT_EQ((*QueryAccount(c.state_, Addr(u)))->account.nonce, 1u);
}

TEST_F(Accounts, NonceGapReplayAndChainChecks) {
  Chain c(g);
  Transaction t0 = c.Tx(m1, TransferPayload{Addr(u), 1});
  Transaction gap = BuildTransaction(Chain::kChainId, m1.public_key(), 5, TransferPayload{Addr(u), 1});
  gap.Sign(m1);
  auto codes = c.Block({gap, t0});
  EXPECT_EQ(codes[0], ErrorCode::BAD_NONCE);
  EXPECT_EQ(codes[1], ErrorCode::OK);
  EXPECT_EQ(c.Block({t0})[0], ErrorCode::BAD_NONCE);  // replay
  Transaction other = BuildTransaction("other-chain", m1.public_key(), 1, TransferPayload{Addr(u), 1});
  other.Sign(m1);
  EXPECT_EQ(c.Block({other})[0], ErrorCode::WRONG_CHAIN);
  Transaction forged = c.Tx(m1, TransferPayload{Addr(u), 1});
  forged.signature.bytes[0] ^= 1;
  EXPECT_EQ(c.Block({forged})[0], ErrorCode::BAD_SIGNATURE);
  // Forged or foreign transactions did not consume nonce 1.
  EXPECT_EQ(c.Do(m1, TransferPayload{Addr(u), 1}), ErrorCode::OK);
  PrivateKey stranger = KeyFor(99);
  EXPECT_EQ(c.Do(stranger, TransferPayload{Addr(u), 1}), ErrorCode::UNKNOWN_ACCOUNT);
  Transaction junk = c.Tx(m1, TransferPayload{Addr(u), 1});
  junk.payload.push_back(0);
  junk.Sign(m1);
  EXPECT_EQ(c.Block({junk})[0], ErrorCode::BAD_PAYLOAD);
  Transaction unknown = c.Tx(m1, TransferPayload{Addr(u), 1});
  unknown.kind = 999;
  unknown.Sign(m1);
  EXPECT_EQ(c.Block({unknown})[0], ErrorCode::UNKNOWN_KIND);
  EXPECT_EQ(c.Do(m1, TransferPayload{Addr(u), UINT64_MAX}), ErrorCode::INSUFFICIENT_FUNDS);
}

TEST_F(Accounts, StakeUnstakeReleasesAfterUnbondBlocks) {
  g.params["UNBOND_BLOCKS"] = 3;
  Chain c(g);
  EXPECT_EQ(c.Do(u, StakePayload{40}), ErrorCode::OK);
  EXPECT_EQ(c.Balance(u), 10u);
  EXPECT_EQ(c.Do(u, UnstakePayload{41}), ErrorCode::INSUFFICIENT_FUNDS);
  EXPECT_EQ(c.Do(u, UnstakePayload{40}), ErrorCode::OK);  // height 3, releases at 6
  c.AdvanceTo(5);
  EXPECT_EQ(c.Balance(u), 10u);
  c.AdvanceTo(6);
  EXPECT_EQ(c.Balance(u), 50u);
}

TEST_F(Accounts, GovernancePassesAtTwoThirdsAndExpiresBelow) {
  g.params["PROPOSAL_BLOCKS"] = 5;
  Chain c(g);
  GovAction grant;
  grant.type = GovActionType::GRANT_ROLE;
  grant.target = Addr(u);
  grant.roles = Mask(Role::VSP);
  EXPECT_EQ(c.Do(u, ProposePayload{grant}), ErrorCode::UNAUTHORIZED);
  uint64_t nonce = (*QueryAccount(c.state_, Addr(m1)))->account.nonce;
  EXPECT_EQ(c.Do(m1, ProposePayload{grant}), ErrorCode::OK);
  Hash256 id = ProposalId(Chain::kChainId, Addr(m1), nonce);
  EXPECT_EQ(c.Do(m1, VotePayload{id, true}), ErrorCode::DUPLICATE_VOTE);
  EXPECT_EQ(c.Do(m2, VotePayload{id, true}), ErrorCode::OK);  // 2 of 4: not yet (needs 3)
  EXPECT_FALSE(HasRole((*QueryAccount(c.state_, Addr(u)))->account.roles, Role::VSP));
  EXPECT_EQ(c.Do(m3, VotePayload{id, true}), ErrorCode::OK);  // 3 of 4 = ceil(8/3)
  EXPECT_TRUE(HasRole((*QueryAccount(c.state_, Addr(u)))->account.roles, Role::VSP));
  EXPECT_EQ(c.Do(m4, VotePayload{id, true}), ErrorCode::PROPOSAL_CLOSED);

  GovAction param;
  param.type = GovActionType::SET_PARAM;
  param.param_name = "NO_SUCH";
  EXPECT_EQ(c.Do(m1, ProposePayload{param}), ErrorCode::UNKNOWN_PARAM);
  param.param_name = "CAP";
  param.value = 5;
  nonce = (*QueryAccount(c.state_, Addr(m1)))->account.nonce;
  EXPECT_EQ(c.Do(m1, ProposePayload{param}), ErrorCode::OK);
  Hash256 id2 = ProposalId(Chain::kChainId, Addr(m1), nonce);
  EXPECT_EQ(c.Do(m2, VotePayload{id2, true}), ErrorCode::OK);
  c.AdvanceTo(c.height_ + 6);
  EXPECT_EQ((*QueryProposal(c.state_, id2))->status, ProposalStatus::EXPIRED);
  EXPECT_EQ(c.Do(m3, VotePayload{id2, true}), ErrorCode::PROPOSAL_CLOSED);
  EXPECT_EQ(ChainParams::Load(c.state_)->CAP, 2u);

  GovAction suspend;
  suspend.type = GovActionType::SUSPEND;
  suspend.target = Addr(u);
  suspend.value = 1000;
  nonce = (*QueryAccount(c.state_, Addr(m1)))->account.nonce;
  EXPECT_EQ(c.Do(m1, ProposePayload{suspend}), ErrorCode::OK);
  Hash256 id3 = ProposalId(Chain::kChainId, Addr(m1), nonce);
  c.Block({c.Tx(m2, VotePayload{id3, true}), c.Tx(m3, VotePayload{id3, true})});
  EXPECT_EQ(c.Do(u, TransferPayload{Addr(m1), 1}), ErrorCode::SUSPENDED);
}

TEST_F(Accounts, OverflowIsRefused) {
  Genesis big = g;
  big.accounts.push_back(Acct(KeyFor(6), UINT64_MAX - 2000 - 4000 - 50, {}, "whale"));
  Chain c(big);
  // Total supply is u64-bounded, so overflow needs a stake+balance path: stake then receive.
  PrivateKey whale = KeyFor(6);
  EXPECT_EQ(c.Do(m1, TransferPayload{Addr(whale), 1000}), ErrorCode::OK);
  EXPECT_EQ(c.Balance(whale), UINT64_MAX - 5050);
  // Posting a task whose escrow K*reserve overflows u64.
  PostTaskPayload t;
  t.cells = {1};
  t.k = 4;
  t.reserve = UINT64_MAX / 2;
  t.bid_bond = t.reserve;
  t.commit_end_h = 100;
  t.reveal_end_h = 200;
  t.delivery_end_h = 300;
  t.window_end_ms = 10;
  GovAction grant;
  grant.type = GovActionType::GRANT_ROLE;
  grant.target = Addr(whale);
  grant.roles = Mask(Role::VSP);
  c.Block({c.Tx(m1, ProposePayload{grant}), c.Tx(m2, VotePayload{ProposalId(Chain::kChainId, Addr(m1), 1), true}),
           c.Tx(m3, VotePayload{ProposalId(Chain::kChainId, Addr(m1), 1), true})});
  EXPECT_EQ(c.Do(whale, t), ErrorCode::OVERFLOW);
}

// Σ balances + stake + unbonding + held == total supply, for random transfer/stake sequences.
RC_GTEST_PROP(AccountsProperty, SupplyIsConserved, ()) {
  PrivateKey keys[4] = {KeyFor(11), KeyFor(12), KeyFor(13), KeyFor(14)};
  Genesis g;
  for (int i = 0; i < 4; ++i) g.accounts.push_back(Acct(keys[i], 1000, {}, "a" + std::to_string(i)));
  g.params["UNBOND_BLOCKS"] = 2;
  AcceptAll v;
  Chain c(g, v);
  int steps = *rc::gen::inRange(1, 30);
  for (int s = 0; s < steps; ++s) {
    int from = *rc::gen::inRange(0, 4);
    int to = *rc::gen::inRange(0, 4);
    uint64_t amount = *rc::gen::inRange<uint64_t>(0, 1500);
    int op = *rc::gen::inRange(0, 3);
    if (op == 0) c.Do(keys[from], TransferPayload{Addr(keys[to]), amount});
    if (op == 1) c.Do(keys[from], StakePayload{amount});
    if (op == 2) c.Do(keys[from], UnstakePayload{amount});
  }
  uint64_t sum = 0;
  for (auto& k : keys) {
    auto a = (*QueryAccount(c.state_, Addr(k)))->account;
    sum += a.balance + a.stake + a.unbonding;
  }
  SupplyRecord s = *QuerySupply(c.state_);
  RC_ASSERT(sum + s.held == s.total);
  RC_ASSERT(s.total == 4000u);
}

}  // namespace
}  // namespace metaledger::contracts::testing
