#pragma once
// Scenario generators: turn (seed, n, options) into a SimConfig, so that a failing run is
// replayed from its seed alone (see docs/consensus.md, "Replaying a failing seed").

#include <cstdint>

#include "sim/simulator.h"

namespace metaledger::sim {

struct RandomScenarioOptions {
  bool byzantine = true;        // up to f instances with a random faulty behavior (twins included)
  bool partitions = true;       // up to two partitions that heal
  bool crashes = true;          // honest instances that crash and restart
  bool loss = true;             // some message loss
  uint64_t duration_ms = 3000;  // virtual time to run
};

// A safety scenario: at most f faulty validators, arbitrary crashes, partitions and loss.
SimConfig RandomScenario(uint64_t seed, uint32_t n, const RandomScenarioOptions& options = {});

// n = 4 with validator `twin_of` doubled (5 instances). `phases[k]` (k < 3) is a bit mask over
// the 5 instances saying which side of a two-way partition each is on during phase k; each phase
// lasts `phase_ms`, then the network heals. Mask 0 means no partition in that phase. The twin
// leads rounds 1-3, so both of its instances propose and collect votes.
SimConfig TwinsScenario(uint64_t seed, uint32_t twin_of, const uint32_t phases[3],
                        uint64_t phase_ms = 250);

// n = 3f+1 with f+1 validators doubled and the doubles kept apart from their originals:
// more faults than the protocol tolerates, used to prove the checker can see a fork.
SimConfig OverThresholdTwinsScenario(uint64_t seed, uint32_t n);

}  // namespace metaledger::sim
