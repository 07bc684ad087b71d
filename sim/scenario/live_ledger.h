#pragma once
// The scenario against a running testnet: the simulator signs in process and talks to the same
// REST endpoints the wallet uses (POST /v1/txs, GET /v1/txs/{hash}, GET /v1/state/{key},
// GET /v1/status, GET /v1/blocks/{h}); it does not spawn the wallet per transaction.
//
// A planning step covers `blocks_per_step` chain blocks: step s may send once the chain is at
// B + (s-1)·W and its deadline is B + s·W (B: the height when the run started). An idle chain
// makes ~20 blocks a second, so a step lasts about W/20 s; a transaction committed after its
// step's last block is counted late. Block-count chain parameters are the scenario's (in steps)
// times W, set by governance votes of the scenario's operators at the start when they differ.
// Every wait is bounded; an unreachable node, an HTTP error or a missing account is a Status.

#include <chrono>
#include <cstdint>
#include <string>

#include "sim/scenario/http_client.h"
#include "sim/scenario/ledger.h"
#include "sim/scenario/scenario_runner.h"

namespace metaledger::sim {

struct LiveOptions {
  NodeUrl node;
  uint64_t blocks_per_step = 10;
  std::chrono::milliseconds wait_limit{30'000};       // any one wait for the chain
  std::chrono::milliseconds request_timeout{10'000};  // any one HTTP exchange
};

// Plays the scenario on the testnet at options.node; the report carries LiveFigures.
Result<ScenarioReport> RunScenarioLive(const ScenarioSpec& spec, uint64_t seed,
                                       const LiveOptions& options);

// The scenario's genesis accounts as the JSON array `metaledger-node testnet --accounts` takes.
Result<std::string> ScenarioAccountsJson(const ScenarioSpec& spec, uint64_t seed);

}  // namespace metaledger::sim
