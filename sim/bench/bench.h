#pragma once
// One consensus benchmark configuration: the knobs of `metaledger-sim bench`, turned into a
// SimConfig, run, and reduced to the figures the sweep reports. Deterministic: the same options
// (seed included) give the same BenchFigures and the same summary line, byte for byte.

#include <cstdint>
#include <string>

#include "sim/simulator.h"

namespace metaledger::sim {

// CPU cost defaults from docs/benchmarks.md, "Core": facade Ed25519 verify 45.8 µs, libsodium sign
// 16.9 µs, SHA-256 ~1.4 GB/s through Crypto++ (1 400 bytes per µs).
struct BenchOptions {
  uint32_t replicas = 4;
  uint64_t latency_ms = 1, jitter_ms = 0;
  uint64_t blocks = 100;
  uint64_t seed = 1;
  uint64_t batch_txs = 100, tx_bytes = 250;
  uint32_t crashed = 0;  // replicas that are down from the start (crash at 1 ms, never restart)
  bool byzantine_leader = false;   // replica 1 equivocates as leader (and double-votes)
  uint64_t bandwidth_mbps = 1000;  // per-node uplink; 0 = unlimited
  uint64_t loss_ppm = 0;
  uint64_t verify_us = 46, sign_us = 17, handle_us = 5;
  uint64_t hash_bytes_per_us = 1400;
  uint64_t tx_verify_workers = 4;
  bool reputation_election = true;  // skips crashed leaders (see docs/consensus.md)
  bool all_to_all_votes = false;    // PBFT-style vote traffic (SimConfig::all_to_all_votes)
  uint64_t base_timeout_ms = 0;     // 0 = derived from latency (max(200, 8 x latency + jitter))
};

// InvalidArgument when the options cannot describe a run (too few replicas, more crashed than
// f, zero blocks, ...).
Status ValidateBenchOptions(const BenchOptions& options);
SimConfig ToSimConfig(const BenchOptions& options);

struct BenchFigures {
  uint64_t committed_blocks = 0;  // by the slowest live honest replica
  uint64_t committed_txs = 0;
  uint64_t virtual_ms = 0;
  uint64_t tx_per_s = 0;  // committed_txs per virtual second
  uint64_t latency_p50_ms = 0, latency_p99_ms = 0;
  // Per committed block, averaged over replicas (total / blocks / n).
  uint64_t msgs_per_block_per_replica_x100 = 0;  // hundredths, so output stays integral
  uint64_t bytes_per_block_per_replica = 0;
  uint64_t view_changes = 0;
  bool fork = false;
  std::string violation;
};

BenchFigures Reduce(const BenchOptions& options, const SimResult& result);
BenchFigures RunBench(const BenchOptions& options);

// "committed 100 blocks | 9950 tx/s | commit latency p50 12 ms p99 14 ms | ..." (one line).
std::string SummaryLine(const BenchOptions& options, const BenchFigures& figures);

}  // namespace metaledger::sim
