// The simulator itself: the checker fires when faults exceed f (positive control), runs replay
// exactly from the seed, and liveness holds after partitions heal with up to f faulty.

#include <gtest/gtest.h>

#include "sim/scenario.h"
#include "sim/simulator.h"

namespace metaledger::sim {
namespace {

TEST(PositiveControl, FPlusOneTwinsMakeTheCheckerReportAFork) {
  for (uint32_t n : {4u, 7u}) {
    int forks = 0;
    for (uint64_t seed = 1; seed <= 5; ++seed) {
      SimResult r = RunSimulation(OverThresholdTwinsScenario(seed, n));
      if (r.fork) {
        ++forks;
        EXPECT_NE(r.violation.find("seed " + std::to_string(seed)), std::string::npos);
        EXPECT_NE(r.violation.find("fork at height"), std::string::npos) << r.violation;
      }
    }
    EXPECT_GT(forks, 0) << "n=" << n << ": a checker that never fires proves nothing";
  }
}

TEST(Simulator, ARunIsAFunctionOfItsSeed) {
  SimConfig cfg = RandomScenario(4242, 7);
  SimResult a = RunSimulation(cfg);
  SimResult b = RunSimulation(cfg);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.messages, b.messages);
  EXPECT_EQ(a.max_honest_height, b.max_honest_height);
  EXPECT_EQ(a.commit_latency_ms, b.commit_latency_ms);
  SimResult c = RunSimulation(RandomScenario(4243, 7));
  EXPECT_NE(a.events, c.events);
}

TEST(Simulator, FaultsAreDetectedAndCounted) {
  SimConfig cfg;
  cfg.validators = 4;
  cfg.behavior = {Behavior::kHonest, Behavior::kEquivocator, Behavior::kHonest, Behavior::kHonest};
  cfg.max_time_ms = 2000;
  SimResult r = RunSimulation(cfg);
  EXPECT_FALSE(r.fork) << r.violation;
  EXPECT_GT(r.evidence, 0u);  // its double proposals and double votes are recorded
  EXPECT_GT(r.min_honest_height, 5u);

  cfg.behavior[1] = Behavior::kGarbage;
  r = RunSimulation(cfg);
  EXPECT_FALSE(r.fork) << r.violation;
  EXPECT_GT(r.decode_errors + r.dropped_inputs, 0u);
  EXPECT_GT(r.min_honest_height, 5u);
}

// With at most f faulty validators and every partition healed, every honest replica keeps
// committing; also after crash-restarts from persisted safety data.
TEST(Liveness, HonestReplicasKeepCommittingAfterPartitionsHeal) {
  for (uint32_t n : {4u, 7u, 10u}) {
    for (uint64_t seed = 1; seed <= 6; ++seed) {
      SimConfig cfg;
      cfg.seed = seed;
      cfg.validators = n;
      uint32_t f = (n - 1) / 3;
      cfg.behavior.assign(n, Behavior::kHonest);
      for (uint32_t k = 0; k < f; ++k) {
        cfg.behavior[n - 1 - k] = seed % 2 ? Behavior::kWithholder : Behavior::kEquivocator;
      }
      Partition p;
      p.start_ms = 100;
      p.end_ms = 1000;
      for (uint32_t i = 0; i < n; ++i) p.group.push_back(i % 2);
      cfg.partitions.push_back(p);
      cfg.crashes.push_back({0, 1200, 1500});
      cfg.loss_ppm = 20000;
      cfg.max_time_ms = 5000;
      SimResult r = RunSimulation(cfg);
      ASSERT_FALSE(r.fork) << r.violation;
      EXPECT_GE(r.commits_after_heal, 10u) << "n=" << n << " seed=" << seed << ": " << r.Summary();
      EXPECT_LT(r.RoundsPerCommit(), 3.0) << r.Summary();
      if (seed == 1) std::printf("n=%u: %s\n", n, r.Summary().c_str());
    }
  }
}

TEST(Liveness, ReputationElectionSkipsACrashedLeader) {
  SimConfig cfg;
  cfg.validators = 7;
  cfg.reputation_election = true;
  cfg.crashes.push_back({3, 500, 100000});  // never returns within the run
  cfg.max_time_ms = 4000;
  SimResult rep = RunSimulation(cfg);
  cfg.reputation_election = false;
  SimResult rr = RunSimulation(cfg);
  ASSERT_FALSE(rep.fork) << rep.violation;
  ASSERT_FALSE(rr.fork) << rr.violation;
  std::printf("reputation: %s\nround-robin: %s\n", rep.Summary().c_str(), rr.Summary().c_str());
  EXPECT_LT(rep.tcs, rr.tcs);  // fewer rounds lost to the dead leader
  EXPECT_GT(rep.min_honest_height, rr.min_honest_height);
}

}  // namespace
}  // namespace metaledger::sim
