#include "consensus/leader_election.h"

#include <algorithm>

namespace metaledger::consensus {

ReputationElection::ReputationElection(uint32_t n, size_t window, size_t min_active, uint64_t lag)
    : n_(n), window_(window), min_active_(std::max<size_t>(1, min_active)), lag_(lag) {}

uint32_t ReputationElection::Leader(uint64_t round) const {
  // The newest committed block old enough to count for this round.
  size_t skipped = 0;
  auto newest = history_.rbegin();
  while (newest != history_.rend() && newest->round + lag_ >= round) ++newest, ++skipped;
  uint64_t key = commits_ - skipped;  // names that block across calls
  if (key != cache_key_) {
    std::vector<bool> active(n_, false);
    size_t taken = 0;
    for (auto it = newest; it != history_.rend() && taken < window_; ++it, ++taken) {
      for (uint32_t v : it->active) {
        if (v < n_) active[v] = true;
      }
    }
    cache_members_.clear();
    for (uint32_t v = 0; v < n_; ++v) {
      if (active[v]) cache_members_.push_back(v);
    }
    cache_key_ = key;
  }
  if (cache_members_.size() < min_active_) return static_cast<uint32_t>(round % n_);
  return cache_members_[round % cache_members_.size()];
}

void ReputationElection::OnCommit(const Block& block) {
  Entry e{block.header.round, {block.header.proposer}};
  for (const auto& s : block.justify.sigs) e.active.push_back(s.signer);
  history_.push_back(std::move(e));
  ++commits_;
  // Keep enough history that the window is still full after skipping `lag_` rounds.
  while (history_.size() > window_ + lag_ + 1) history_.pop_front();
}

}  // namespace metaledger::consensus
