// metaledger-consensus-sim: runs one simulation and prints its figures. Used to replay a failing
// seed from the tests and to measure the done-criterion (100 replicas, 50 ms, 1000 blocks).
//
//   metaledger-consensus-sim --scenario=random --n=7 --seed=42
//   metaledger-consensus-sim --scenario=bench --n=100 --latency=50 --blocks=1000
//   metaledger-consensus-sim --scenario=bench --n=100 --crash=33 --reputation=1
//   metaledger-consensus-sim --scenario=twins --seed=3 --twin=1 --phases=5,0,9

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "sim/scenario.h"
#include "sim/simulator.h"

namespace {

std::map<std::string, std::string> ParseArgs(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) continue;
    auto eq = a.find('=');
    args[a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2)] =
        eq == std::string::npos ? "1" : a.substr(eq + 1);
  }
  return args;
}

uint64_t Get(const std::map<std::string, std::string>& args, const std::string& key, uint64_t def) {
  auto it = args.find(key);
  return it == args.end() ? def : std::strtoull(it->second.c_str(), nullptr, 10);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace metaledger::sim;
  auto args = ParseArgs(argc, argv);
  std::string scenario = args.count("scenario") ? args["scenario"] : "bench";
  uint64_t seed = Get(args, "seed", 1);
  uint32_t n = static_cast<uint32_t>(Get(args, "n", 4));
  SimConfig cfg;
  if (scenario == "random") {
    cfg = RandomScenario(seed, n);
  } else if (scenario == "twins") {
    uint32_t phases[3] = {0, 0, 0};
    std::string p = args.count("phases") ? args["phases"] : "0,0,0";
    std::sscanf(p.c_str(), "%u,%u,%u", &phases[0], &phases[1], &phases[2]);
    cfg = TwinsScenario(seed, static_cast<uint32_t>(Get(args, "twin", 0)), phases);
  } else if (scenario == "overthreshold") {
    cfg = OverThresholdTwinsScenario(seed, n);
  } else if (scenario == "bench") {
    cfg.seed = seed;
    cfg.validators = n;
    cfg.latency_ms = Get(args, "latency", 50);
    cfg.jitter_ms = Get(args, "jitter", 5);
    cfg.verify_cost_us = Get(args, "verify_us", 50);
    cfg.sign_cost_us = Get(args, "sign_us", 20);
    cfg.handle_cost_us = Get(args, "handle_us", 5);
    cfg.base_timeout_ms = Get(args, "timeout", 1000);
    cfg.max_timeout_ms = 8 * cfg.base_timeout_ms;
    cfg.payload_bytes = Get(args, "payload", 256);
    cfg.reputation_election = Get(args, "reputation", 0) != 0;
    cfg.real_signatures = Get(args, "real", 0) != 0;
    cfg.target_commits = Get(args, "blocks", 1000);
    cfg.max_time_ms = Get(args, "max_time_ms", 3600 * 1000);
    cfg.max_events = Get(args, "max_events", 1ULL << 40);
    // --crash=K: K validators crash for good after one second (the liveness-under-f case).
    uint64_t crashed = Get(args, "crash", 0);
    for (uint64_t k = 0; k < crashed; ++k) {
      cfg.crashes.push_back({static_cast<uint32_t>(k * n / crashed), 1000, UINT64_MAX / 2000});
    }
  } else {
    std::fprintf(stderr, "unknown --scenario=%s (random, twins, overthreshold, bench)\n",
                 scenario.c_str());
    return 2;
  }
  auto t0 = std::chrono::steady_clock::now();
  SimResult r = RunSimulation(cfg);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "scenario=%s seed=%llu n=%u instances=%zu\n%s\nwall %.2f s\n", scenario.c_str(),
      static_cast<unsigned long long>(seed), cfg.validators,
      cfg.instance_index.empty() ? static_cast<size_t>(cfg.validators) : cfg.instance_index.size(),
      r.Summary().c_str(), wall);
  return r.fork ? 1 : 0;
}
