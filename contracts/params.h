#pragma once
// Chain parameters: every constant the contracts use, with the spec's defaults. Genesis overrides
// them by name; governance SET_PARAM changes them later. They live in state (one key each) so a
// change made in block h applies from the next transaction on, on every node.
#include <cstdint>
#include <span>
#include <string_view>

#include "core/genesis.h"
#include "core/state_view.h"
#include "core/status.h"

namespace metaledger::contracts {

struct ChainParams {
  uint64_t MIN_COMMIT_BLOCKS = 20;
  uint64_t MIN_REVEAL_BLOCKS = 20;
  uint64_t EPOCH_BLOCKS = 100;
  uint64_t REP_MIN_PPM = 300'000;
  uint64_t ACC_MIN_BPS = 5'000;
  uint64_t ACC_REGRESSION_TOL_BPS = 100;
  uint64_t A0 = 30'000;     // ms: sensing data this fresh earns full value
  uint64_t Amax = 120'000;  // ms: sensing data this old earns nothing
  uint64_t CAP = 2;         // accepted records per (pool, epoch, cell, slot) before clipping
  uint64_t MAX_SKEW_MS = 2'000;
  uint64_t MAX_PARENTS = 16;
  uint64_t MAX_CELLS = 64;
  uint64_t MAX_INPUTS = 32;
  uint64_t UNBOND_BLOCKS = 100;
  uint64_t PROPOSAL_BLOCKS = 100;  // a governance proposal's voting period
  uint64_t MAX_AOI_BLOCKS = 100;   // twin inputs must be registered within this many blocks
  uint64_t MIN_EVALUATORS = 3;

  struct Field {
    std::string_view name;
    uint64_t ChainParams::*member;
  };
  static std::span<const Field> Fields();

  // NOT_FOUND-style InvalidArgument for an unknown name; A0 < Amax, EPOCH_BLOCKS >= 1 etc.
  Status Set(std::string_view name, uint64_t value);
  Status Validate() const;

  // Defaults with genesis.params applied; unknown names are refused.
  static Result<ChainParams> FromGenesis(const Genesis& genesis);
  // The parameters in force in a state (written at genesis, changed by governance).
  static Result<ChainParams> Load(const StateView& state);
  // Writes every parameter into `writes` (genesis).
  void Store(WriteSet& writes) const;

  bool operator==(const ChainParams&) const = default;
};

}  // namespace metaledger::contracts
