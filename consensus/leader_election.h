#pragma once
// Leader election: which validator leads a round. Every honest replica must compute the same
// answer from the same inputs, so implementations are pure functions of the round and of the
// committed chain they are told about (no clocks, no randomness).

#include <cstdint>
#include <deque>
#include <vector>

#include "core/block.h"

namespace metaledger::consensus {

class LeaderElection {
 public:
  virtual ~LeaderElection() = default;
  virtual uint32_t Leader(uint64_t round) const = 0;
  // Told about every committed block, in order. Default: ignored.
  virtual void OnCommit(const Block& /*block*/) {}
};

// Leader(r) = r mod n.
class RoundRobinElection final : public LeaderElection {
 public:
  explicit RoundRobinElection(uint32_t n) : n_(n) {}
  uint32_t Leader(uint64_t round) const override { return static_cast<uint32_t>(round % n_); }

 private:
  uint32_t n_;
};

// Reputation: round-robin over the validators that were active in the last `window` committed
// blocks (proposed one, or signed the QC it carries), so leaders that failed recently (crashed,
// partitioned, withholding votes) are skipped. Leader(r) looks only at committed blocks with
// round < r - lag, which every replica that is in step has committed by the time it reaches r,
// so replicas agree on leaders; a replica that lags may briefly disagree, which costs a timeout
// (liveness), never safety: the vote rule does not depend on the election. Falls back to plain
// round-robin while fewer than `min_active` validators qualify.
class ReputationElection final : public LeaderElection {
 public:
  ReputationElection(uint32_t n, size_t window, size_t min_active, uint64_t lag = 8);
  uint32_t Leader(uint64_t round) const override;
  void OnCommit(const Block& block) override;

 private:
  struct Entry {
    uint64_t round;
    std::vector<uint32_t> active;  // proposer and QC signers
  };
  uint32_t n_;
  size_t window_;
  size_t min_active_;
  uint64_t lag_;
  std::deque<Entry> history_;  // committed blocks, oldest first
  uint64_t commits_ = 0;       // total OnCommit calls: identifies history_'s newest entry
  // Leader() is called for every message; the member list only changes with the window.
  mutable uint64_t cache_key_ = UINT64_MAX;
  mutable std::vector<uint32_t> cache_members_;
};

}  // namespace metaledger::consensus
