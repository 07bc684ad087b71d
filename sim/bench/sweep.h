#pragma once
// The scalability sweep behind `metaledger-sim sweep`: n in {4, 7, 10, 16, 31, 64, 100, 128} on
// a LAN (1 ms) and a WAN (50 ± 10 ms) network, each with a small and a large batch, f crashed
// replicas, and a Byzantine leader. Rows come back in a fixed order, so the table and CSV are
// deterministic for a given seed.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/bench/bench.h"

namespace metaledger::sim {

struct SweepPoint {
  std::string network;   // "LAN" or "WAN"
  std::string fault;     // "none", "f crashed", "byzantine leader"
  BenchOptions options;  // options.all_to_all_votes marks the PBFT-style comparison rows
  std::string Votes() const { return options.all_to_all_votes ? "all-to-all" : "linear"; }
};

struct SweepRow {
  SweepPoint point;
  BenchFigures figures;
};

struct SweepOptions {
  bool quick = false;  // n up to 16 and fewer blocks: for CI and a first look
  uint64_t seed = 1;
  uint64_t blocks = 0;  // 0 = 50 (20 with quick)
  // Also run every fault-free point with the smaller batch with all-to-all (PBFT-style) votes,
  // right after its linear row.
  bool compare = false;
};

std::vector<SweepPoint> SweepPoints(const SweepOptions& options);

// Runs every point in order; `progress(done, total, point)` is called before each run.
std::vector<SweepRow> RunSweep(
    const std::vector<SweepPoint>& points,
    const std::function<void(size_t, size_t, const SweepPoint&)>& progress = {});

// Messages per committed block per replica of a PBFT-style protocol in which every replica
// broadcasts its prepare and commit votes to all (leader proposal + 2 all-to-all phases): an
// analytical model, (n-1)/n + 2(n-1), for comparison with the measured linear pattern.
uint64_t QuadraticMessagesPerBlockPerReplicaX100(uint32_t n);

// With `compare`: a "votes" column (linear or all-to-all) and the analytical PBFT message count.
std::string FormatTable(const std::vector<SweepRow>& rows, bool compare);
std::string FormatCsv(const std::vector<SweepRow>& rows, bool compare);

// Writes one data file per network and gnuplot scripts for throughput and latency against n into
// `dir`; renders PNG and SVG when gnuplot is on PATH. Returns a human-readable note on what was
// written (or why plots were skipped); IOError when the directory cannot be written.
Result<std::string> WritePlots(const std::vector<SweepRow>& rows, const std::string& dir);

}  // namespace metaledger::sim
