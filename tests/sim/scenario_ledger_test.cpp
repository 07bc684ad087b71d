// The ledger seam of the scenario runner, without processes: a ledger that spends W blocks on
// each planning step (as a live testnet does) runs the real executor, with the block-count
// parameters scaled by W and deadlines written as the chain heights of steps. With W = 1 it must
// be the in-process run exactly; with W > 1 every activity still happens on time and every
// invariant holds.
#include <gtest/gtest.h>

#include "contracts/executor.h"
#include "core/crypto/verifier.h"
#include "sim/scenario/ledger.h"
#include "sim/scenario/scenario_runner.h"

namespace metaledger::sim {
namespace {

const std::string kTiny = std::string(METALEDGER_SCENARIOS_DIR) + "/metaverse-tiny.toml";

// Step s: its transactions in the first block after the previous step, then empty blocks
// (which still run the end-of-block hook) up to height s * W. Blocks are `block_ms` apart.
class StretchedLedger final : public Ledger {
 public:
  StretchedLedger(uint64_t blocks_per_step, uint64_t block_ms)
      : w_(blocks_per_step), block_ms_(block_ms), exec_(StrictVerifier::Instance()) {}

  Status Open(const Genesis& genesis, const std::vector<Party>&) override {
    Genesis chain = genesis;
    ML_ASSIGN_OR_RETURN(contracts::ChainParams params, ParamsInBlocks(genesis, w_));
    for (const auto& f : contracts::ChainParams::Fields()) {
      chain.params[std::string(f.name)] = params.*f.member;
    }
    chain_id_ = chain.chain_id;
    start_ms_ = chain.genesis_time_ms;
    ML_ASSIGN_OR_RETURN(WriteSet ws, contracts::Executor::GenesisState(chain));
    state_.Apply(ws);
    return Status::Ok();
  }
  // The time of the block the step's transactions go into (as in process).
  Result<uint64_t> BeginStep(uint64_t) override { return TimeOf(height_ + 1); }
  const StateView& state() const override { return state_; }
  Result<std::vector<ErrorCode>> Commit(uint64_t step, std::vector<Transaction> txs) override {
    std::vector<ErrorCode> codes;
    while (height_ < ChainHeight(step)) {
      ++height_;
      contracts::BlockContext ctx{chain_id_, height_, TimeOf(height_)};
      ML_ASSIGN_OR_RETURN(ExecutionResult r, exec_.ExecuteBlock(state_, ctx, txs));
      state_.Apply(r.writes);
      for (uint16_t c : r.tx_codes) codes.push_back(static_cast<ErrorCode>(c));
      txs.clear();
    }
    return codes;
  }
  uint64_t ChainHeight(uint64_t step) const override { return step * w_; }
  uint64_t Blocks(uint64_t steps) const override { return steps * w_; }
  uint64_t MsPerStepBound() const override { return w_ * block_ms_; }
  uint64_t start_time_ms() const override { return start_ms_; }

 private:
  uint64_t TimeOf(uint64_t height) const { return start_ms_ + height * block_ms_; }

  uint64_t w_, block_ms_;
  contracts::Executor exec_;
  MemoryState state_;
  std::string chain_id_;
  uint64_t start_ms_ = 0, height_ = 0;
};

TEST(ScenarioLedger, OneBlockPerStepIsTheInProcessRun) {
  auto spec = LoadScenario(kTiny);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  StretchedLedger ledger(1, spec->schedule.block_time_ms);
  auto stretched = RunScenarioOn(*spec, 5, ledger);
  ASSERT_TRUE(stretched.ok()) << stretched.status().ToString();
  auto in_process = RunScenario(*spec, 5);
  ASSERT_TRUE(in_process.ok());
  EXPECT_EQ(FormatReport(*stretched, false), FormatReport(*in_process, false));
}

TEST(ScenarioLedger, StepsOfManyBlocksKeepEveryDeadlineAndInvariant) {
  auto spec = LoadScenario(kTiny);
  ASSERT_TRUE(spec.ok());
  constexpr uint64_t kW = 7;
  StretchedLedger ledger(kW, spec->schedule.block_time_ms / kW);
  auto r = RunScenarioOn(*spec, 5, ledger);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(InvariantFailures(*r).empty()) << FormatReport(*r, false);
  // The auction ran through commit, reveal, close, delivery and payment at chain heights.
  ASSERT_EQ(r->auctions.size(), 1u);
  EXPECT_EQ(r->auctions[0].posted_h, 3 * kW);
  EXPECT_GE(r->auctions[0].bids, 2u);
  EXPECT_EQ(r->auctions[0].paid, 1u);
  // FL rounds opened, aggregated, evaluated and finalized within their block windows.
  for (const FlTaskOutcome& t : r->fl_tasks) EXPECT_EQ(t.approved, 2u) << t.family;
  EXPECT_GT(r->fl_classes[0].min_per_client, 0u);
  EXPECT_GT(r->stale_updates_refused, 0u);
  EXPECT_GT(r->pools_paid, 0u);  // sensing epochs of EPOCH_BLOCKS x W blocks closed
  EXPECT_EQ(r->twin_aoi.front().height, spec->schedule.aoi_sample_every_blocks * kW);
}

}  // namespace
}  // namespace metaledger::sim
