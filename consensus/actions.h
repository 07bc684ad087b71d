#pragma once
// Actions: what a Replica asks its host to do. The host executes a list in order, and must
// finish a PersistSafety durably before executing any later action of the same list (the
// replica places it before the vote or timeout it protects).

#include <variant>
#include <vector>

#include "consensus/messages.h"
#include "consensus/safety_data.h"

namespace metaledger::consensus {

struct SendTo {
  uint32_t to = 0;  // validator index
  Message message;
};

// To every validator except this replica (it handles its own copy internally).
struct Broadcast {
  Message message;
};

struct PersistSafety {
  SafetyData data;
};

// Blocks that became final, parent first, each exactly once across the replica's life.
// `qc` certifies the child that completed the two-chain of the last block.
struct Commit {
  std::vector<Block> blocks;
  QuorumCert qc;
};

// Call OnLocalTimeout(round, ...) after delay_ms unless the round is already over (a stale
// timer is harmless: the replica ignores it).
struct ScheduleTimeout {
  uint64_t round = 0;
  uint64_t delay_ms = 0;
};

// Fetch the block with this hash (e.g. from validator `from`, who referenced it) and deliver
// it with OnBlockFetched.
struct FetchBlock {
  Hash256 hash;
  uint32_t from = 0;
};

using Action = std::variant<SendTo, Broadcast, PersistSafety, Commit, ScheduleTimeout, FetchBlock>;
using Actions = std::vector<Action>;

}  // namespace metaledger::consensus
