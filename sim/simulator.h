#pragma once
// Simulator: runs N real consensus::Replica cores in one thread on virtual time over a modelled
// network (per-link latency and jitter, loss, partitions that heal), with a CPU cost model for
// signature work and injected faults. Everything is a function of SimConfig, seed included:
// the same config replays the same run event by event.
//
// Twins: extra instances that share a validator index (and key) with another instance. Messages
// addressed to a validator reach every instance holding its index.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "consensus/replica.h"

namespace metaledger::sim {

enum class Behavior : uint8_t {
  kHonest,
  kEquivocator,  // as leader sends two different proposals, and double-votes
  kWithholder,   // never sends votes
  kGarbage,      // also sends random bytes and corrupted copies of its messages
  kTwin,         // one of two instances sharing a key (both are marked kTwin)
};
const char* BehaviorName(Behavior b);

struct Crash {
  uint32_t instance = 0;
  uint64_t at_ms = 0;
  uint64_t restart_ms = 0;  // restarts from its persisted safety data and committed chain
};

// Between start_ms and end_ms, instances in different groups cannot reach each other
// (messages sent across are lost). group[i] is instance i's side.
struct Partition {
  uint64_t start_ms = 0, end_ms = 0;
  std::vector<uint32_t> group;
};

struct SimConfig {
  uint64_t seed = 1;
  uint32_t validators = 4;
  // Instance i plays validator instance_index[i]; empty = one instance per validator.
  std::vector<uint32_t> instance_index;
  std::vector<Behavior> behavior;  // per instance; empty = all honest
  bool real_signatures = false;    // Ed25519 instead of the fake scheme

  uint64_t latency_ms = 10, jitter_ms = 5;
  uint64_t loss_ppm = 0;  // per message
  uint64_t verify_cost_us = 0, sign_cost_us = 0, handle_cost_us = 0;
  uint64_t base_timeout_ms = 200, max_timeout_ms = 4000;
  uint64_t payload_bytes = 16;
  // Transactions per block, each of tx_bytes: a block then carries batch_txs * tx_bytes of
  // payload instead of payload_bytes. 0 keeps the one-transaction payload above.
  uint64_t batch_txs = 0, tx_bytes = 250;
  // Each node's uplink in Mbit/s: a node's messages leave one after another, each taking
  // size / bandwidth (0 = unlimited, messages leave at once).
  uint64_t bandwidth_mbps = 0;
  // CPU model for the payload: every received message is hashed at hash_bytes_per_us (0 = free),
  // and each proposal's transactions are signature-checked once, tx_verify_us each, spread over
  // tx_verify_workers threads (the node verifies on worker threads, so only the share is charged).
  uint64_t hash_bytes_per_us = 0;
  uint64_t tx_verify_us = 0, tx_verify_workers = 1;
  bool reputation_election = false;
  // Emulates a PBFT-style all-to-all vote pattern for comparison: each vote is also sent to every
  // other replica, followed by a second all-to-all phase, and receivers pay to verify every copy.
  bool all_to_all_votes = false;
  // Leader of round r is leader_schedule[r] while r is inside it (Twins picks leaders this way),
  // then round-robin. Ignored when empty or with reputation_election.
  std::vector<uint32_t> leader_schedule;

  std::vector<Crash> crashes;
  std::vector<Partition> partitions;

  // Stop when every honest instance committed this many blocks (0 = never), or at max_time_ms,
  // or after max_events.
  uint64_t target_commits = 0;
  uint64_t max_time_ms = 10000;
  uint64_t max_events = 5000000;
};

struct SimResult {
  bool fork = false;  // safety violated: see `violation`
  std::string violation;
  uint64_t end_time_ms = 0;
  uint64_t events = 0;
  uint64_t min_honest_height = 0, max_honest_height = 0;
  uint64_t max_round = 0;  // highest round any honest instance reached
  uint64_t messages = 0, message_bytes = 0;
  uint64_t dropped_inputs = 0, decode_errors = 0, evidence = 0;
  uint64_t qcs = 0, tcs = 0;
  uint64_t view_changes = 0;  // timeout certificates formed by the busiest honest instance
  uint64_t commits_after_heal =
      0;  // blocks the slowest honest instance committed after the last heal
  std::vector<uint64_t> commit_latency_ms;  // honest commit time minus block time, per commit

  double RoundsPerCommit() const;
  double MessagesPerBlock() const;
  uint64_t LatencyPercentile(double p) const;
  std::string Summary() const;
};

SimResult RunSimulation(const SimConfig& config);

}  // namespace metaledger::sim
