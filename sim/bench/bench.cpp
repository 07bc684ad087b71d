#include "sim/bench/bench.h"

#include <fmt/format.h>

#include <algorithm>

namespace metaledger::sim {
namespace {

constexpr uint64_t kCrashAtMs = 1;  // down from the start, so short runs see the fault too
constexpr uint32_t kByzantineReplica = 1;

// Milliseconds a leader needs to push one proposal to every other replica over its uplink.
uint64_t BroadcastMs(const BenchOptions& o) {
  if (o.bandwidth_mbps == 0) return 0;
  uint64_t bits = o.batch_txs * o.tx_bytes * 8 * (o.replicas - 1);
  return bits / o.bandwidth_mbps / 1000;
}

}  // namespace

Status ValidateBenchOptions(const BenchOptions& o) {
  if (o.replicas < 4) return Status::InvalidArgument("--replicas must be at least 4 (n = 3f+1)");
  if (o.replicas > 1000) return Status::InvalidArgument("--replicas must be at most 1000");
  if (o.blocks == 0) return Status::InvalidArgument("--blocks must be at least 1");
  if (o.batch_txs == 0 || o.batch_txs > 100000) {
    return Status::InvalidArgument("--batch must be between 1 and 100000 transactions");
  }
  if (o.loss_ppm >= 1000000) return Status::InvalidArgument("--loss must be below 1 (100%)");
  uint32_t f = (o.replicas - 1) / 3;
  uint32_t faulty = o.crashed + (o.byzantine_leader ? 1 : 0);
  if (faulty > f) {
    return Status::InvalidArgument(
        fmt::format("{} faulty replicas (crashed + Byzantine) exceed f = {} for n = {}", faulty, f,
                    o.replicas));
  }
  return Status::Ok();
}

SimConfig ToSimConfig(const BenchOptions& o) {
  SimConfig c;
  c.seed = o.seed;
  c.validators = o.replicas;
  c.latency_ms = o.latency_ms;
  c.jitter_ms = o.jitter_ms;
  c.loss_ppm = o.loss_ppm;
  c.verify_cost_us = o.verify_us;
  c.sign_cost_us = o.sign_us;
  c.handle_cost_us = o.handle_us;
  c.batch_txs = o.batch_txs;
  c.tx_bytes = o.tx_bytes;
  c.bandwidth_mbps = o.bandwidth_mbps;
  c.hash_bytes_per_us = o.hash_bytes_per_us;
  c.tx_verify_us = o.verify_us;
  c.tx_verify_workers = o.tx_verify_workers;
  c.reputation_election = o.reputation_election;
  c.all_to_all_votes = o.all_to_all_votes;
  c.base_timeout_ms =
      o.base_timeout_ms
          ? o.base_timeout_ms
          : std::max<uint64_t>(200, 8 * (o.latency_ms + o.jitter_ms) + 3 * BroadcastMs(o));
  c.max_timeout_ms = 8 * c.base_timeout_ms;
  c.target_commits = o.blocks;
  // Generous bounds so a run that cannot make progress still ends.
  c.max_time_ms = std::max<uint64_t>(60000, o.blocks * c.max_timeout_ms * 4);
  c.max_events = 1ULL << 40;
  if (o.byzantine_leader) {
    c.behavior.assign(o.replicas, Behavior::kHonest);
    c.behavior[kByzantineReplica] = Behavior::kEquivocator;
  }
  // Crashed replicas spread over the index range, never the Byzantine one.
  std::vector<uint32_t> victims;
  for (uint32_t k = 0; k < o.crashed; ++k) {
    uint32_t v = static_cast<uint32_t>(uint64_t{k} * o.replicas / o.crashed);
    while (std::find(victims.begin(), victims.end(), v) != victims.end() ||
           (o.byzantine_leader && v == kByzantineReplica)) {
      v = (v + 1) % o.replicas;
    }
    victims.push_back(v);
    c.crashes.push_back({v, kCrashAtMs, UINT64_MAX / 2000});
  }
  return c;
}

BenchFigures Reduce(const BenchOptions& o, const SimResult& r) {
  BenchFigures f;
  f.committed_blocks = r.min_honest_height;
  f.committed_txs = f.committed_blocks * o.batch_txs;
  f.virtual_ms = r.end_time_ms;
  f.tx_per_s = f.virtual_ms ? f.committed_txs * 1000 / f.virtual_ms : 0;
  f.latency_p50_ms = r.LatencyPercentile(0.5);
  f.latency_p99_ms = r.LatencyPercentile(0.99);
  uint64_t per = f.committed_blocks * o.replicas;
  if (per) {
    f.msgs_per_block_per_replica_x100 = r.messages * 100 / per;
    f.bytes_per_block_per_replica = r.message_bytes / per;
  }
  f.view_changes = r.view_changes;
  f.fork = r.fork;
  f.violation = r.violation;
  return f;
}

BenchFigures RunBench(const BenchOptions& o) { return Reduce(o, RunSimulation(ToSimConfig(o))); }

std::string SummaryLine(const BenchOptions& o, const BenchFigures& f) {
  return fmt::format(
      "n={} latency={}±{}ms batch={} crashed={} byzantine_leader={} seed={}{} | committed {} "
      "blocks ({} tx) in {} ms virtual | {} tx/s | commit latency p50 {} ms p99 {} ms | "
      "{}.{:02} msgs and {} bytes per block per replica | {} view changes{}",
      o.replicas, o.latency_ms, o.jitter_ms, o.batch_txs, o.crashed, o.byzantine_leader ? 1 : 0,
      o.seed, o.all_to_all_votes ? " votes=all-to-all" : "", f.committed_blocks, f.committed_txs,
      f.virtual_ms, f.tx_per_s, f.latency_p50_ms, f.latency_p99_ms,
      f.msgs_per_block_per_replica_x100 / 100, f.msgs_per_block_per_replica_x100 % 100,
      f.bytes_per_block_per_replica, f.view_changes,
      f.fork ? " | SAFETY VIOLATION: " + f.violation : "");
}

}  // namespace metaledger::sim
