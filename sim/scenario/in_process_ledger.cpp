// The in-process ledger: the scenario's original mode, block h executed at genesis time plus h
// block times, with strict signature verification and the end-of-block hook.

#include "contracts/executor.h"
#include "core/crypto/verifier.h"
#include "sim/scenario/ledger.h"

namespace metaledger::sim {
namespace {

class InProcessLedger final : public Ledger {
 public:
  explicit InProcessLedger(uint64_t block_time_ms)
      : block_time_ms_(block_time_ms), exec_(StrictVerifier::Instance()) {}

  Status Open(const Genesis& genesis, const std::vector<Party>&) override {
    chain_id_ = genesis.chain_id;
    genesis_time_ms_ = genesis.genesis_time_ms;
    ML_ASSIGN_OR_RETURN(WriteSet ws, contracts::Executor::GenesisState(genesis));
    state_.Apply(ws);
    return Status::Ok();
  }
  Result<uint64_t> BeginStep(uint64_t step) override { return TimeOf(step); }
  const StateView& state() const override { return state_; }
  Result<std::vector<ErrorCode>> Commit(uint64_t step, std::vector<Transaction> txs) override {
    contracts::BlockContext ctx{chain_id_, step, TimeOf(step)};
    ML_ASSIGN_OR_RETURN(ExecutionResult r, exec_.ExecuteBlock(state_, ctx, txs));
    state_.Apply(r.writes);
    std::vector<ErrorCode> codes;
    for (uint16_t c : r.tx_codes) codes.push_back(static_cast<ErrorCode>(c));
    return codes;
  }
  uint64_t ChainHeight(uint64_t step) const override { return step; }
  uint64_t Blocks(uint64_t steps) const override { return steps; }
  uint64_t MsPerStepBound() const override { return block_time_ms_; }
  uint64_t start_time_ms() const override { return genesis_time_ms_; }

 private:
  uint64_t TimeOf(uint64_t step) const { return genesis_time_ms_ + step * block_time_ms_; }

  uint64_t block_time_ms_;
  contracts::Executor exec_;
  MemoryState state_;
  std::string chain_id_;
  uint64_t genesis_time_ms_ = 0;
};

}  // namespace

std::unique_ptr<Ledger> NewInProcessLedger(uint64_t block_time_ms) {
  return std::make_unique<InProcessLedger>(block_time_ms);
}

Result<contracts::ChainParams> ParamsInBlocks(const Genesis& genesis, uint64_t blocks_per_step) {
  constexpr std::string_view kBlockCounts[] = {"MIN_COMMIT_BLOCKS", "MIN_REVEAL_BLOCKS",
                                               "EPOCH_BLOCKS", "MAX_AOI_BLOCKS"};
  ML_ASSIGN_OR_RETURN(contracts::ChainParams params, contracts::ChainParams::FromGenesis(genesis));
  for (const auto& f : contracts::ChainParams::Fields()) {
    for (std::string_view name : kBlockCounts) {
      if (f.name == name) params.*f.member *= blocks_per_step;
    }
  }
  ML_RETURN_IF_ERROR(params.Validate());
  return params;
}

}  // namespace metaledger::sim
