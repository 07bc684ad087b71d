#pragma once
// Where the scenario's transactions run: the seam between the scenario's planning (runner, FL
// player, report and invariants) and a ledger. The planner thinks in steps (one step is one
// block in process); a ledger maps a step to the chain heights it covers, runs a step's
// transactions and reports their result codes, and serves the state as of the step's start.
//
// Two ledgers: in process (contracts::Executor over a MemoryState, one block per step, simulated
// block time; deterministic) and live (a running testnet through its REST API; see
// live_ledger.h).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "contracts/params.h"
#include "core/genesis.h"
#include "core/payload/error_codes.h"
#include "core/state_view.h"
#include "core/status.h"
#include "core/transaction.h"
#include "sim/scenario/tx_sink.h"

namespace metaledger::sim {

class Ledger {
 public:
  virtual ~Ledger() = default;

  // Brings the ledger to the scenario's `genesis`. In process: applies it. Live: checks that
  // the chain holds its chain id and accounts, and that its parameters are the genesis ones
  // (in chain blocks), setting them by governance votes of `members` when they are not.
  virtual Status Open(const Genesis& genesis, const std::vector<Party>& members) = 0;
  // Waits until step `step` (1, 2, ...) may send its transactions and returns the chain time
  // then (ms); state() reads the ledger as of that moment until the next BeginStep.
  virtual Result<uint64_t> BeginStep(uint64_t step) = 0;
  virtual const StateView& state() const = 0;
  // Runs `txs` in step `step` and returns their result codes, in order.
  virtual Result<std::vector<ErrorCode>> Commit(uint64_t step, std::vector<Transaction> txs) = 0;
  // The last chain height of `step`: what a deadline "by step s" is on chain.
  virtual uint64_t ChainHeight(uint64_t step) const = 0;
  // Chain blocks in `steps` steps (for windows given as a block count).
  virtual uint64_t Blocks(uint64_t steps) const = 0;
  // An upper bound on a step's duration in chain time (for time windows).
  virtual uint64_t MsPerStepBound() const = 0;
  // Chain time when the run started.
  virtual uint64_t start_time_ms() const = 0;
  // The first error a state read hit (reads through contracts::Query* cannot return it).
  virtual Status health() const { return Status::Ok(); }
};

// contracts::Executor over a MemoryState: step h is block h at genesis time + h * block time.
std::unique_ptr<Ledger> NewInProcessLedger(uint64_t block_time_ms);

// The genesis parameters for a chain that spends `blocks_per_step` blocks on each step: the
// scenario counts windows in steps, so the block-count parameters (MIN_COMMIT_BLOCKS,
// MIN_REVEAL_BLOCKS, EPOCH_BLOCKS, MAX_AOI_BLOCKS) are multiplied by it, the others kept.
Result<contracts::ChainParams> ParamsInBlocks(const Genesis& genesis, uint64_t blocks_per_step);

}  // namespace metaledger::sim
