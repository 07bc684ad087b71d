#pragma once
// Shared by the seeded safety sweeps: runs seeds [first, first + count) of RandomScenario at n
// and fails with the seed and a replay command for the first violation.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "sim/scenario.h"

namespace metaledger::sim {

inline void SweepSafety(uint32_t n, uint64_t first, uint64_t count, bool real_signatures = false,
                        uint64_t duration_ms = 2000) {
  RandomScenarioOptions opt;
  opt.duration_ms = duration_ms;
  uint64_t committed = 0, forks = 0;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    SimConfig cfg = RandomScenario(seed, n, opt);
    cfg.real_signatures = real_signatures;
    SimResult r = RunSimulation(cfg);
    committed += r.max_honest_height;
    if (r.fork) {
      ++forks;
      ADD_FAILURE() << r.violation
                    << "\nreplay: metaledger-consensus-sim --scenario=random --n=" << n
                    << " --seed=" << seed << "\n"
                    << r.Summary();
      if (forks >= 3) return;
    }
  }
  // The sweep must exercise commits, or "no fork" would be vacuous.
  EXPECT_GT(committed, count) << "n=" << n;
}

}  // namespace metaledger::sim
