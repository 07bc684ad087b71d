#include "contracts/checked_math.h"
#include "core/merkle.h"
#include "tests/contracts/harness.h"

namespace metaledger::contracts::testing {
namespace {

// A task with an aggregator, five evaluators and five clients (sorted by address so that index i
// is the i-th included client). Rounds: open at h, submit until h+2, aggregate until h+4,
// evaluate until h+6, finalize at h+7.
struct FlRounds : ::testing::Test {
  PrivateKey owner = KeyFor(60);
  PrivateKey agg = KeyFor(61);
  PrivateKey dual = KeyFor(70);  // an evaluator that is also an FL client
  std::vector<PrivateKey> evals, clients;
  AcceptAll verifier;
  std::unique_ptr<Chain> c;
  Hash256 task = H(0xA1);
  Hash256 genesis_model = H(0xA2);
  static constexpr uint64_t kBudget = 1'000'000;

  void SetUp() override {
    Genesis g;
    g.genesis_time_ms = 1'000'000;
    g.accounts.push_back(Acct(owner, 10'000'000, {"MEMBER"}, "owner"));
    g.accounts.push_back(Acct(agg, 0, {"AGGREGATOR"}, "agg"));
    for (uint8_t i = 0; i < 5; ++i) {
      evals.push_back(KeyFor(70 + i));
      // evaluator 0 is also an FL client, to test the conflict rule
      g.accounts.push_back(Acct(evals.back(), 0,
                                i == 0 ? std::vector<std::string>{"EVALUATOR", "FL_CLIENT"}
                                       : std::vector<std::string>{"EVALUATOR"},
                                "eval" + std::to_string(i)));
      clients.push_back(KeyFor(80 + i));
      g.accounts.push_back(Acct(clients.back(), 0, {"FL_CLIENT"}, "client" + std::to_string(i)));
    }
    auto by_addr = [](const PrivateKey& a, const PrivateKey& b) { return Addr(a) < Addr(b); };
    std::sort(evals.begin(), evals.end(), by_addr);
    std::sort(clients.begin(), clients.end(), by_addr);
    c = std::make_unique<Chain>(g, verifier);
    CreateFlTaskPayload ct{task, ModelFamily::TWIN, Addr(agg), {}, genesis_model};
    for (const auto& e : evals) ct.evaluators.push_back(Addr(e));
    ASSERT_EQ(c->Do(owner, ct), ErrorCode::OK);
    std::vector<Transaction> enroll;
    for (const auto& k : clients) enroll.push_back(c->Tx(k, EnrollClientPayload{task}));
    for (ErrorCode e : c->Block(enroll)) ASSERT_EQ(e, ErrorCode::OK);
  }

  OpenRoundPayload Open(uint64_t round, Hash256 base, uint64_t budget = kBudget) {
    uint64_t h = c->height_ + 1;
    return {task, round, base, budget, h + 2, h + 4, h + 6, 100'000, 100};
  }
  SubmitUpdatePayload Update(uint64_t round, uint8_t tag, Hash256 base, uint64_t n = 100) {
    return {task, round, H(tag), n, base};
  }
  PublishAggregatePayload Aggregate(uint64_t round, const std::vector<int>& included,
                                    Hash256 model) {
    PublishAggregatePayload p;
    p.task_id = task;
    p.round = round;
    p.global_hash = model;
    std::vector<Hash256> leaves;
    for (int i : included) {
      p.included.push_back(Addr(clients[i]));
      leaves.push_back((*QueryFlSubmission(c->state_, task, round, Addr(clients[i])))->update_hash);
    }
    p.included_root = MerkleRoot(leaves);
    return p;
  }
  SubmitEvaluationPayload Eval(uint64_t round, const std::vector<uint32_t>& q, uint32_t acc,
                               const std::vector<int>& flagged = {}) {
    SubmitEvaluationPayload p{task, round, {}, acc, {}};
    for (size_t i = 0; i < q.size(); ++i) p.scores.push_back({Addr(clients[i]), q[i]});
    for (int i : flagged) p.flags.push_back({Addr(clients[i]), EvalFlag::MALICIOUS});
    return p;
  }
  // Opens round `round` on the head, all five clients submit distinct updates (tags 10*round+i).
  void OpenAndSubmit(uint64_t round, const std::vector<uint64_t>& n = {100, 100, 100, 100, 100}) {
    Hash256 head = (*QueryFlTask(c->state_, task))->head_model;
    ASSERT_EQ(c->Do(owner, Open(round, head)), ErrorCode::OK);
    std::vector<Transaction> subs;
    for (int i = 0; i < 5; ++i) {
      subs.push_back(
          c->Tx(clients[i], Update(round, static_cast<uint8_t>(10 * round + i), head, n[i])));
    }
    for (ErrorCode e : c->Block(subs)) ASSERT_EQ(e, ErrorCode::OK);
  }
  uint64_t OpenedAt(uint64_t round) { return (*QueryFlRound(c->state_, task, round))->opened_h; }
  // Runs aggregate (all five) and the given evaluations, then finalizes.
  void AggregateEvaluate(uint64_t round, Hash256 model,
                         const std::vector<SubmitEvaluationPayload>& evs) {
    uint64_t h0 = OpenedAt(round);
    c->AdvanceTo(h0 + 2);
    ASSERT_EQ(c->Do(agg, Aggregate(round, {0, 1, 2, 3, 4}, model)), ErrorCode::OK);
    std::vector<Transaction> txs;
    for (size_t j = 0; j < evs.size(); ++j) txs.push_back(c->Tx(evals[j], evs[j]));
    for (ErrorCode e : c->Block(txs)) ASSERT_EQ(e, ErrorCode::OK);
    c->AdvanceTo(h0 + 7);
  }
  FlSubmissionRecord Sub(uint64_t round, int i) {
    return **QueryFlSubmission(c->state_, task, round, Addr(clients[i]));
  }
};

uint64_t RepPpm(uint64_t alpha, uint64_t beta) {
  return 1'000'000 * (alpha + 1000) / (alpha + beta + 2000);
}

TEST_F(FlRounds, FullRoundPaysMedianScoresProRataAndConservesThePool) {
  OpenAndSubmit(1, {100, 100, 100, 100, 50});
  // Evaluator j scores client i base_i + 1000 j, except evaluator 4 who scores everyone 0: the
  // median ignores the outlier. Accuracies 8000 8100 7900 8050 100 -> median 8000.
  const uint32_t base[5] = {600'000, 700'000, 800'000, 500'000, 900'000};
  const uint32_t acc[5] = {8000, 8100, 7900, 8050, 100};
  std::vector<SubmitEvaluationPayload> evs;
  for (uint32_t j = 0; j < 5; ++j) {
    std::vector<uint32_t> q;
    for (int i = 0; i < 5; ++i) q.push_back(j == 4 ? 0 : base[i] + 1000 * j);
    evs.push_back(Eval(1, q, acc[j]));
  }
  Hash256 model = H(0xB1);
  AggregateEvaluate(1, model, evs);

  FlRoundRecord r = **QueryFlRound(c->state_, task, 1);
  EXPECT_EQ(r.status, RoundStatus::APPROVED);
  EXPECT_EQ(r.median_acc_bps, 8000u);
  EXPECT_EQ((*QueryModel(c->state_, model))->status, ModelStatus::APPROVED);
  EXPECT_EQ((*QueryModel(c->state_, model))->parent, genesis_model);
  EXPECT_EQ((*QueryFlTask(c->state_, task))->head_model, model);

  // q_i = base_i + 1000 (sorted: 0, b, b+1000, b+2000, b+3000); newcomers have R = 500 000;
  // client 4 submitted 50 of n_cap = 100 samples.
  uint64_t s[5], total = 0;
  for (int i = 0; i < 5; ++i) {
    uint64_t q = base[i] + 1000;
    EXPECT_EQ(Sub(1, i).q_ppm, q);
    s[i] = q * (i == 4 ? 50 : 100) / 100 * 500'000 / 1'000'000;
    EXPECT_EQ(Sub(1, i).score, s[i]);
    total += s[i];
  }
  EXPECT_EQ(s[0], 300'500u);  // worked example in docs/contracts.md
  EXPECT_EQ(s[4], 225'250u);
  uint64_t paid = 0;
  for (int i = 0; i < 5; ++i) {
    uint64_t pay = static_cast<uint64_t>(static_cast<u128>(kBudget) * s[i] / total);
    EXPECT_EQ(Sub(1, i).reward, pay);
    EXPECT_EQ(c->Claimable(clients[i]), pay);
    paid += pay;
  }
  EXPECT_EQ(r.paid, paid);
  EXPECT_EQ(paid + (*QueryFlTask(c->state_, task))->carry, kBudget);
  EXPECT_LT(kBudget - paid, 5u);  // at most one unit of rounding per client

  // Reputation rose per the formula: alpha = 1000 q / PPM.
  for (int i = 0; i < 5; ++i) {
    ReputationRecord rep = *QueryReputation(c->state_, Addr(clients[i]), Role::FL_CLIENT);
    EXPECT_EQ(rep.alpha, (base[i] + 1000) / 1000);
    EXPECT_EQ(rep.beta, 0u);
    EXPECT_GT(RepPpm(rep.alpha, rep.beta), 500'000u);
  }
  SupplyRecord sup = *QuerySupply(c->state_);
  EXPECT_EQ(sup.burned, 0u);

  // A claim moves the reward into the balance.
  EXPECT_EQ(c->Do(clients[0], ClaimPayload{}), ErrorCode::OK);
  EXPECT_EQ(c->Balance(clients[0]), Sub(1, 0).reward);
  EXPECT_EQ(c->Do(clients[0], ClaimPayload{}), ErrorCode::NOTHING_TO_CLAIM);
}

TEST_F(FlRounds, QuorumFailureCarriesTheBudgetIntoTheNextRound) {
  OpenAndSubmit(1);
  std::vector<uint32_t> q(5, 800'000);
  Hash256 m1 = H(0xB2);
  // ⌈2*5/3⌉ = 4 evaluations needed; three arrive.
  AggregateEvaluate(1, m1, {Eval(1, q, 9000), Eval(1, q, 9000), Eval(1, q, 9000)});
  EXPECT_EQ((*QueryFlRound(c->state_, task, 1))->status, RoundStatus::FAILED);
  EXPECT_EQ((*QueryModel(c->state_, m1))->status, ModelStatus::PENDING);
  EXPECT_EQ((*QueryFlTask(c->state_, task))->carry, kBudget);
  EXPECT_EQ((*QueryFlTask(c->state_, task))->head_model, genesis_model);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c->Claimable(clients[i]), 0u);

  // Round 2 pays budget + carry; all clients equal -> each gets floor(2M/5).
  OpenAndSubmit(2);
  AggregateEvaluate(2, H(0xB3),
                    {Eval(2, q, 9000), Eval(2, q, 9000), Eval(2, q, 9000), Eval(2, q, 9000)});
  FlRoundRecord r2 = **QueryFlRound(c->state_, task, 2);
  EXPECT_EQ(r2.status, RoundStatus::APPROVED);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c->Claimable(clients[i]), 2 * kBudget / 5);
  EXPECT_EQ(r2.paid + (*QueryFlTask(c->state_, task))->carry, 2 * kBudget);
}

TEST_F(FlRounds, LowAccuracyOrRegressionIsRejectedAndCarries) {
  OpenAndSubmit(1);
  std::vector<uint32_t> q(5, 800'000);
  std::vector<SubmitEvaluationPayload> evs(4, Eval(1, q, 9000));
  AggregateEvaluate(1, H(0xB4), evs);  // head acc now 9000
  ASSERT_EQ((*QueryFlTask(c->state_, task))->head_acc_bps, 9000u);
  uint64_t carry1 = (*QueryFlTask(c->state_, task))->carry;
  // 8899 + 100 < 9000: a regression beyond the tolerance.
  OpenAndSubmit(2);
  AggregateEvaluate(2, H(0xB5), std::vector<SubmitEvaluationPayload>(4, Eval(2, q, 8899)));
  EXPECT_EQ((*QueryFlRound(c->state_, task, 2))->status, RoundStatus::REJECTED);
  EXPECT_EQ((*QueryModel(c->state_, H(0xB5)))->status, ModelStatus::REJECTED);
  EXPECT_EQ((*QueryFlTask(c->state_, task))->carry, carry1 + kBudget);
  EXPECT_EQ((*QueryFlTask(c->state_, task))->head_model, H(0xB4));
  // 8900 + 100 >= 9000 is within tolerance.
  OpenAndSubmit(3);
  AggregateEvaluate(3, H(0xB6), std::vector<SubmitEvaluationPayload>(4, Eval(3, q, 8900)));
  EXPECT_EQ((*QueryFlRound(c->state_, task, 3))->status, RoundStatus::APPROVED);
}

TEST_F(FlRounds, PoisonerFlaggedByQuorumIsPaidZeroAndLosesReputation) {
  OpenAndSubmit(1);
  std::vector<uint32_t> q(5, 800'000);
  // Client 4 flagged by four evaluators (the quorum); client 3 by three (not enough).
  std::vector<SubmitEvaluationPayload> evs;
  for (int j = 0; j < 5; ++j) {
    std::vector<int> flagged;
    if (j < 4) flagged.push_back(4);
    if (j < 3) flagged.insert(flagged.begin(), 3);
    evs.push_back(Eval(1, q, 9000, flagged));
  }
  AggregateEvaluate(1, H(0xB7), evs);
  EXPECT_TRUE(Sub(1, 4).flagged);
  EXPECT_FALSE(Sub(1, 3).flagged);
  EXPECT_EQ(Sub(1, 4).score, 0u);
  EXPECT_EQ(c->Claimable(clients[4]), 0u);
  EXPECT_EQ(c->Claimable(clients[3]), kBudget / 4);
  ReputationRecord bad = *QueryReputation(c->state_, Addr(clients[4]), Role::FL_CLIENT);
  EXPECT_EQ(bad.alpha, 0u);
  EXPECT_EQ(bad.beta, 3000u);
  EXPECT_EQ(RepPpm(0, 3000), 200'000u);
  // Below REP_MIN_PPM (300 000) the poisoner may not submit again.
  Hash256 head = (*QueryFlTask(c->state_, task))->head_model;
  ASSERT_EQ(c->Do(owner, Open(2, head)), ErrorCode::OK);
  EXPECT_EQ(c->Do(clients[4], Update(2, 0x99, head)), ErrorCode::LOW_REPUTATION);
  EXPECT_EQ(c->Do(clients[0], Update(2, 0x98, head)), ErrorCode::OK);
}

TEST_F(FlRounds, ReputationDecaysAndRecoversPerTheFormula) {
  std::vector<uint32_t> q(5, 1'000'000);
  uint64_t alpha = 0, beta = 0;
  for (uint64_t round = 1; round <= 3; ++round) {
    OpenAndSubmit(round);
    std::vector<SubmitEvaluationPayload> evs;
    // Round 2 flags client 0 by all five; rounds 1 and 3 are clean.
    for (int j = 0; j < 5; ++j)
      evs.push_back(Eval(round, q, 9000, round == 2 ? std::vector<int>{0} : std::vector<int>{}));
    AggregateEvaluate(round, H(static_cast<uint8_t>(0xC0 + round)), evs);
    alpha = alpha * 9 / 10;
    beta = beta * 9 / 10;
    if (round == 2) {
      beta += 3000;
    } else {
      alpha += 1000;
    }
    ReputationRecord rep = *QueryReputation(c->state_, Addr(clients[0]), Role::FL_CLIENT);
    EXPECT_EQ(rep.alpha, alpha) << "round " << round;
    EXPECT_EQ(rep.beta, beta) << "round " << round;
  }
  EXPECT_EQ(alpha, 1810u);  // (1000 * 9/10) * 9/10 + 1000
  EXPECT_EQ(beta, 2700u);
  // The reputation after the flag is below the clean clients' and feeds s_i in the next round.
  uint64_t r0 = (*QueryAccount(c->state_, Addr(clients[0])))->reputation_ppm[0].second;
  uint64_t r1 = (*QueryAccount(c->state_, Addr(clients[1])))->reputation_ppm[0].second;
  EXPECT_EQ(r0, RepPpm(1810, 2700));
  EXPECT_EQ(r0, 431'643u);  // 10^6 * 2810 / 6510
  EXPECT_LT(r0, r1);
}

TEST_F(FlRounds, DuplicateUpdateHashesFlagBothSubmitters) {
  Hash256 head = genesis_model;
  ASSERT_EQ(c->Do(owner, Open(1, head)), ErrorCode::OK);
  auto codes =
      c->Block({c->Tx(clients[0], Update(1, 0x11, head)), c->Tx(clients[1], Update(1, 0x22, head)),
                c->Tx(clients[2], Update(1, 0x22, head)),    // copies client 1
                c->Tx(clients[3], Update(1, 0x22, head)),    // third copy: refused
                c->Tx(clients[4], Update(1, 0xA2, head))});  // the base model itself
  EXPECT_EQ(codes,
            (std::vector<ErrorCode>{ErrorCode::OK, ErrorCode::OK, ErrorCode::OK,
                                    ErrorCode::DUP_UPDATE_HASH, ErrorCode::DUP_UPDATE_HASH}));
  EXPECT_FALSE(Sub(1, 0).duplicate);
  EXPECT_TRUE(Sub(1, 1).duplicate);
  EXPECT_TRUE(Sub(1, 2).duplicate);
  c->AdvanceTo(OpenedAt(1) + 2);
  ASSERT_EQ(c->Do(agg, Aggregate(1, {0, 1, 2}, H(0xB8))), ErrorCode::OK);
  std::vector<Transaction> txs;
  for (int j = 0; j < 4; ++j) {
    txs.push_back(c->Tx(evals[j], Eval(1, {700'000, 700'000, 700'000}, 9000)));
  }
  c->Block(txs);
  c->AdvanceTo(OpenedAt(1) + 7);
  EXPECT_EQ(c->Claimable(clients[0]), kBudget);  // the only unflagged client takes the pot
  EXPECT_EQ(c->Claimable(clients[1]), 0u);
  EXPECT_EQ(c->Claimable(clients[2]), 0u);
  EXPECT_EQ((*QueryReputation(c->state_, Addr(clients[1]), Role::FL_CLIENT)).beta, 3000u);
}

TEST_F(FlRounds, EveryStepRefusesBadInputWithItsCode) {
  Hash256 head = genesis_model;
  EXPECT_EQ(c->Do(owner, Open(1, H(0x01))), ErrorCode::STALE_BASE);
  OpenRoundPayload bad = Open(1, head);
  bad.aggregate_end_h = bad.submit_end_h;
  EXPECT_EQ(c->Do(owner, bad), ErrorCode::BAD_DEADLINES);
  EXPECT_EQ(c->Do(owner, Open(2, head)), ErrorCode::BAD_ARGUMENT);  // rounds go 1, 2, ...
  OpenRoundPayload unfunded = Open(1, head, 100'000'000);
  EXPECT_EQ(c->Do(owner, unfunded), ErrorCode::INSUFFICIENT_FUNDS);
  EXPECT_EQ(c->Do(owner, OpenRoundPayload{H(0x05), 1, head, 1, 100, 101, 102, 0, 1}),
            ErrorCode::NOT_FOUND);
  ASSERT_EQ(c->Do(owner, Open(1, head)), ErrorCode::OK);
  const uint64_t h0 = OpenedAt(1);  // submit_end h0+2, aggregate_end h0+4, eval_end h0+6

  // h0+1: submissions.
  auto codes = c->Block({c->Tx(dual, Update(1, 0x30, head)), c->Tx(dual, EnrollClientPayload{task}),
                         c->Tx(dual, EnrollClientPayload{task}), c->Tx(dual, Update(1, 0x30, head)),
                         c->Tx(clients[0], Update(1, 0x31, H(0x02))),
                         c->Tx(clients[0], Update(1, 0x31, head)),
                         c->Tx(clients[0], Update(1, 0x32, head)), c->Tx(owner, Open(2, head)),
                         c->Tx(agg, PublishAggregatePayload{task, 1, H(0xB9), {}, H(0)})});
  EXPECT_EQ(codes, (std::vector<ErrorCode>{
                       ErrorCode::NOT_ENROLLED, ErrorCode::OK, ErrorCode::ALREADY_EXISTS,
                       ErrorCode::OK, ErrorCode::STALE_BASE, ErrorCode::OK,
                       ErrorCode::DUP_SUBMISSION, ErrorCode::WRONG_PHASE, ErrorCode::WRONG_PHASE}));
  c->AdvanceTo(h0 + 2);

  // h0+3: a late submission and the aggregation checks.
  PublishAggregatePayload a = Aggregate(1, {0}, H(0xB9));
  PublishAggregatePayload wrong_root = a;
  wrong_root.included_root = H(0x03);
  PublishAggregatePayload not_submitted = a;
  not_submitted.included = {Addr(clients[1])};
  PublishAggregatePayload dup_model = a;
  dup_model.global_hash = genesis_model;
  codes = c->Block({c->Tx(clients[1], Update(1, 0x33, head)), c->Tx(clients[0], a),
                    c->Tx(agg, wrong_root), c->Tx(agg, not_submitted), c->Tx(agg, dup_model),
                    c->Tx(agg, a), c->Tx(agg, a)});
  EXPECT_EQ(codes, (std::vector<ErrorCode>{ErrorCode::LATE, ErrorCode::UNAUTHORIZED,
                                           ErrorCode::ROOT_MISMATCH, ErrorCode::NOT_IN_SUBMISSIONS,
                                           ErrorCode::DUP_MODEL, ErrorCode::OK,
                                           ErrorCode::ALREADY_EXISTS}));

  // h0+4: evaluations.
  SubmitEvaluationPayload e = Eval(1, {800'000}, 9000);
  SubmitEvaluationPayload over = Eval(1, {1'000'001}, 9000);
  SubmitEvaluationPayload acc_over = Eval(1, {800'000}, 10'001);
  PrivateKey other = Addr(evals[0]) == Addr(dual) ? evals[1] : evals[0];
  codes = c->Block({c->Tx(dual, e), c->Tx(other, over), c->Tx(other, acc_over), c->Tx(other, e),
                    c->Tx(other, e), c->Tx(clients[0], e)});
  EXPECT_EQ(codes, (std::vector<ErrorCode>{ErrorCode::EVALUATOR_CONFLICT, ErrorCode::SCORE_RANGE,
                                           ErrorCode::SCORE_RANGE, ErrorCode::OK,
                                           ErrorCode::DUP_EVAL, ErrorCode::UNAUTHORIZED}));
  // h0+5: past aggregate_end_h.
  EXPECT_EQ(c->Do(agg, a), ErrorCode::LATE);
  c->AdvanceTo(h0 + 6);
  PrivateKey third = Addr(evals[4]) == Addr(dual) ? evals[3] : evals[4];
  EXPECT_EQ(c->Do(third, e), ErrorCode::LATE);  // h0+7, after eval_end_h
  EXPECT_EQ((*QueryFlRound(c->state_, task, 1))->status, RoundStatus::FAILED);  // 1 of 4
  EXPECT_EQ((*QueryModel(c->state_, H(0xB9)))->status, ModelStatus::PENDING);
}

TEST_F(FlRounds, RevokedModelsCannotBeBasesOrParents) {
  Hash256 head = genesis_model;
  ASSERT_EQ(c->Do(owner, Open(1, head)), ErrorCode::OK);
  ASSERT_EQ(c->Do(clients[0], Update(1, 0x41, head)), ErrorCode::OK);
  ASSERT_EQ(c->Do(owner, RevokeModelPayload{genesis_model}), ErrorCode::OK);
  EXPECT_EQ(c->Do(owner, RevokeModelPayload{genesis_model}), ErrorCode::MODEL_REVOKED);
  c->AdvanceTo(OpenedAt(1) + 2);
  EXPECT_EQ(c->Do(agg, Aggregate(1, {0}, H(0xBA))), ErrorCode::BAD_PARENT);
  c->AdvanceTo(OpenedAt(1) + 7);  // fails: nothing aggregated
  EXPECT_EQ((*QueryFlRound(c->state_, task, 1))->status, RoundStatus::FAILED);
  EXPECT_EQ(c->Do(owner, Open(2, head)), ErrorCode::MODEL_REVOKED);
  // An aggregator outside the task.
  EXPECT_EQ(c->Do(owner, CreateFlTaskPayload{H(0xA3),
                                             ModelFamily::TWIN,
                                             Addr(owner),
                                             {Addr(evals[0]), Addr(evals[1]), Addr(evals[2])},
                                             H(0xA4)}),
            ErrorCode::NOT_AGGREGATOR);
}

TEST(FlMath, MedianAndScore) {
  EXPECT_EQ(MedianFloor({}), 0u);
  EXPECT_EQ(MedianFloor({5, 1, 3}), 3u);
  EXPECT_EQ(MedianFloor({1, 2, 3, 10}), 2u);  // floor((2 + 3) / 2)
  EXPECT_EQ(MedianFloor({UINT64_MAX, UINT64_MAX}), UINT64_MAX);
  EXPECT_EQ(FlClientScore(800'000, 50, 100, 500'000), 200'000u);
  EXPECT_EQ(FlClientScore(800'000, 500, 100, 1'000'000), 800'000u);  // n clipped at n_cap
  EXPECT_EQ(FlClientScore(800'000, 50, 0, 500'000), 0u);
}

}  // namespace
}  // namespace metaledger::contracts::testing
