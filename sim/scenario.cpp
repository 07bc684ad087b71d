#include "sim/scenario.h"

#include "sim/rng.h"

namespace metaledger::sim {

SimConfig RandomScenario(uint64_t seed, uint32_t n, const RandomScenarioOptions& opt) {
  Rng rng(seed ^ 0x5ce7a210ULL);
  SimConfig c;
  c.seed = seed;
  c.validators = n;
  c.max_time_ms = opt.duration_ms;
  c.latency_ms = rng.Between(1, 20);
  c.jitter_ms = rng.Between(0, 20);
  c.base_timeout_ms = 4 * (c.latency_ms + c.jitter_ms) + rng.Between(10, 60);
  c.max_timeout_ms = 8 * c.base_timeout_ms;
  if (opt.loss && rng.ChancePpm(500000)) c.loss_ppm = rng.Between(0, 100000);
  uint32_t f = (n - 1) / 3;
  for (uint32_t i = 0; i < n; ++i) c.instance_index.push_back(i);
  c.behavior.assign(n, Behavior::kHonest);
  if (opt.byzantine) {
    uint32_t faulty = static_cast<uint32_t>(rng.Between(0, f));
    for (uint32_t k = 0; k < faulty; ++k) {
      uint32_t v = static_cast<uint32_t>(rng.Below(n));
      if (c.behavior[v] != Behavior::kHonest) continue;
      auto kind = static_cast<Behavior>(rng.Between(1, 4));
      c.behavior[v] = kind;
      if (kind == Behavior::kTwin) {
        c.instance_index.push_back(v);
        c.behavior.push_back(Behavior::kTwin);
      }
    }
  }
  const uint32_t instances = static_cast<uint32_t>(c.instance_index.size());
  if (opt.partitions) {
    uint64_t count = rng.Below(3);
    for (uint64_t k = 0; k < count; ++k) {
      Partition p;
      p.start_ms = rng.Below(opt.duration_ms / 2);
      p.end_ms = p.start_ms + rng.Between(50, opt.duration_ms / 3);
      uint64_t sides = rng.Between(2, 3);
      for (uint32_t i = 0; i < instances; ++i)
        p.group.push_back(static_cast<uint32_t>(rng.Below(sides)));
      c.partitions.push_back(p);
    }
  }
  if (opt.crashes) {
    uint64_t count = rng.Below(f + 2);
    for (uint64_t k = 0; k < count; ++k) {
      Crash cr;
      cr.instance = static_cast<uint32_t>(rng.Below(n));
      cr.at_ms = rng.Below(opt.duration_ms / 2);
      cr.restart_ms = cr.at_ms + rng.Between(10, opt.duration_ms / 4);
      c.crashes.push_back(cr);
    }
  }
  return c;
}

SimConfig TwinsScenario(uint64_t seed, uint32_t twin_of, const uint32_t phases[3],
                        uint64_t phase_ms) {
  SimConfig c;
  c.seed = seed;
  c.validators = 4;
  c.instance_index = {0, 1, 2, 3, twin_of};
  c.behavior.assign(5, Behavior::kHonest);
  c.behavior[twin_of] = Behavior::kTwin;
  c.behavior[4] = Behavior::kTwin;
  // The twin leads rounds 1-3 (round 0 has no leader), where the partitions bite.
  c.leader_schedule = {0, twin_of, twin_of, twin_of};
  c.latency_ms = 5;
  c.jitter_ms = 3;
  c.base_timeout_ms = 40;
  c.max_timeout_ms = 160;
  for (int k = 0; k < 3; ++k) {
    if (phases[k] == 0) continue;
    Partition p;
    p.start_ms = k * phase_ms;
    p.end_ms = (k + 1) * phase_ms;
    for (uint32_t i = 0; i < 5; ++i) p.group.push_back((phases[k] >> i) & 1);
    c.partitions.push_back(p);
  }
  c.max_time_ms = 3 * phase_ms + 1000;
  return c;
}

SimConfig OverThresholdTwinsScenario(uint64_t seed, uint32_t n) {
  Rng rng(seed);
  SimConfig c;
  c.seed = seed;
  c.validators = n;
  uint32_t f = (n - 1) / 3;
  for (uint32_t i = 0; i < n; ++i) c.instance_index.push_back(i);
  c.behavior.assign(n, Behavior::kHonest);
  Partition p;
  p.start_ms = 0;
  p.end_ms = 2000;
  // Honest validators split evenly; each twin pair has one copy on each side, so each side holds
  // f+1 twins + its honest half: a quorum that never hears of the other side's blocks.
  for (uint32_t i = 0; i < n; ++i) p.group.push_back(i <= f ? 0 : static_cast<uint32_t>(i % 2));
  for (uint32_t k = 0; k <= f; ++k) {
    c.behavior[k] = Behavior::kTwin;
    c.instance_index.push_back(k);
    c.behavior.push_back(Behavior::kTwin);
    p.group.push_back(1);
  }
  c.partitions.push_back(p);
  c.latency_ms = rng.Between(2, 10);
  c.jitter_ms = rng.Between(0, 5);
  c.base_timeout_ms = 100;
  c.max_time_ms = 2000;
  return c;
}

}  // namespace metaledger::sim
