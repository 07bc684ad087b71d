// Twins (the Diem method): one validator of n = 4 runs as two instances with the same key.
// Every placement of the twin x every schedule of two-way partitions over 3 phases, then heal;
// plus sampled longer random schedules.

#include <gtest/gtest.h>

#include <array>

#include "sim/rng.h"
#include "sim/scenario.h"

namespace metaledger::sim {
namespace {

TEST(Twins, EveryPlacementAndThreePhasePartitionScheduleIsSafe) {
  // Masks over 5 instances with instance 4 (the twin copy) fixed on side 0: 16 distinct
  // two-way partitions, mask 0 being "no partition".
  uint64_t runs = 0, live_runs = 0;
  for (uint32_t twin = 0; twin < 4; ++twin) {
    for (uint32_t m = 0; m < 16 * 16 * 16; ++m) {
      const uint32_t phases[3] = {m % 16, (m / 16) % 16, m / 256};
      uint64_t seed = twin * 4096 + m;
      SimConfig cfg = TwinsScenario(seed, twin, phases, 150);
      cfg.max_time_ms = 450 + 600;
      SimResult r = RunSimulation(cfg);
      ++runs;
      if (r.min_honest_height > 0) ++live_runs;
      ASSERT_FALSE(r.fork) << r.violation << "\nreplay: metaledger-consensus-sim --scenario=twins"
                           << " --seed=" << seed << " --twin=" << twin << " --phases=" << phases[0]
                           << "," << phases[1] << "," << phases[2];
    }
  }
  EXPECT_EQ(runs, 4u * 4096u);
  // After the heal the three honest validators (plus a twin) make progress in most schedules.
  EXPECT_GT(live_runs, runs / 2);
}

TEST(Twins, SampledLongerSchedulesAreSafe) {
  Rng rng(77);
  for (int k = 0; k < 300; ++k) {
    uint64_t seed = 500000 + k;
    uint32_t twin = static_cast<uint32_t>(rng.Below(4));
    SimConfig cfg = TwinsScenario(seed, twin, std::array<uint32_t, 3>{0, 0, 0}.data(), 100);
    cfg.partitions.clear();
    for (int phase = 0; phase < 12; ++phase) {
      Partition p;
      p.start_ms = phase * 100;
      p.end_ms = p.start_ms + 100;
      uint32_t mask = static_cast<uint32_t>(rng.Below(16));
      for (uint32_t i = 0; i < 5; ++i) p.group.push_back((mask >> i) & 1);
      cfg.partitions.push_back(p);
    }
    cfg.max_time_ms = 1200 + 800;
    SimResult r = RunSimulation(cfg);
    ASSERT_FALSE(r.fork) << r.violation << " (sampled twins run " << k << ")";
  }
}

}  // namespace
}  // namespace metaledger::sim
