#pragma once
// Replica: one validator's two-chain HotStuff core (Jolteon / DiemBFT v4) as a deterministic
// state machine. It has no clock, thread, socket or randomness: every input carries the host's
// clock reading (now_ms) and every output is an Action the host executes. Given the same inputs
// in the same order, a replica produces the same outputs.
//
// Promises (see docs/consensus.md for the protocol and the safety argument):
//  - it votes at most once per round, never in a round it timed out in, and only for a proposal
//    from the round's leader that extends a QC of round r-1, or a TC of round r-1 and a QC at
//    least as high as every QC that TC reports; the safety data that makes this stick across
//    restarts is handed out (PersistSafety) before the vote;
//  - it commits block B (and its uncommitted ancestors, in order, exactly once) when B and a
//    child of B in the next round are both certified;
//  - every input is verified (signatures through the SignatureVerifier, membership, duplicates,
//    rounds, parent links, sizes, the header clock); invalid input is dropped and counted in
//    stats(); two different votes, timeouts or proposals from one validator in one round are
//    kept as Evidence.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "consensus/actions.h"
#include "consensus/leader_election.h"
#include "consensus/signer.h"
#include "core/validator_set.h"

namespace metaledger::consensus {

// What the leader puts in a block: from the mempool in the node, a generator in tests. The host
// decides batching (size or time limits); the core just asks when it leads a round.
struct Payload {
  Bytes bytes;
  Hash256 tx_root;
  uint32_t tx_count = 0;
};

class PayloadSource {
 public:
  virtual ~PayloadSource() = default;
  virtual Payload Next(uint64_t round, const Hash256& parent_hash) = 0;
};

// The host's check of a proposal's payload before this replica votes for it: every batch it
// references is available and well formed. (The clock check is done by the core.)
class ProposalValidator {
 public:
  virtual ~ProposalValidator() = default;
  virtual Status Validate(const Block& block) = 0;
};

struct ReplicaConfig {
  std::string chain_id;
  ValidatorSet validators;
  uint32_t self = 0;
  Block genesis;  // Genesis::GenesisBlock()
  uint64_t base_timeout_ms = 1000;
  uint64_t max_timeout_ms = 60000;
  uint64_t max_skew_ms = 5000;  // MAX_SKEW_MS: how far a header time may run ahead of ours
  size_t max_payload_bytes = Block::kMaxPayload;
  // Not owned; must outlive the replica. nullptr = round-robin.
  LeaderElection* election = nullptr;
};

// State recovered after a restart: the persisted safety data, the last block this replica
// committed (genesis if none) and any uncommitted blocks the host kept.
struct Recovery {
  SafetyData safety;
  std::optional<Block> committed_root;
  std::vector<Block> blocks;
};

enum class DropReason : uint8_t {
  kMalformed,  // undecodable or inconsistent fields (hash, sizes, heights, parent link)
  kBadSignature,
  kNotValidator,
  kWrongLeader,
  kStaleRound,
  kFutureRound,
  kDuplicate,
  kBadCertificate,   // QC or TC that does not verify
  kClock,            // header time not above the parent's, or too far ahead of ours
  kPayloadRejected,  // the host's ProposalValidator said no
  kUnsafe,           // would break the vote rule
  kUnrequested,      // a fetched block nobody asked for
  kCount,
};
const char* DropReasonName(DropReason r);

struct Evidence {
  enum class Kind : uint8_t { kDoubleProposal, kDoubleVote, kDoubleTimeout };
  Kind kind;
  uint32_t validator = 0;
  uint64_t round = 0;
  Message first, second;  // both signed by `validator`
};

struct ReplicaStats {
  uint64_t dropped[static_cast<size_t>(DropReason::kCount)] = {};
  uint64_t proposals_sent = 0, votes_sent = 0, timeouts_sent = 0;
  uint64_t qcs_formed = 0, tcs_formed = 0, blocks_committed = 0;
  uint64_t Dropped(DropReason r) const { return dropped[static_cast<size_t>(r)]; }
  uint64_t TotalDropped() const;
};

class Replica {
 public:
  // The referenced objects are not owned and must outlive the replica.
  Replica(ReplicaConfig config, Signer& signer, SignatureVerifier& verifier,
          PayloadSource& payloads, ProposalValidator& validator,
          std::optional<Recovery> recovery = std::nullopt);
  ~Replica();
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  // Enters the first round (after recovery: the round after the highest QC or TC), arms the
  // timer, and proposes if this replica leads it.
  Actions Start(uint64_t now_ms);
  // `from` is the authenticated sender (the P2P peer's validator index).
  Actions OnProposal(uint32_t from, const Proposal& proposal, uint64_t now_ms);
  Actions OnVote(uint32_t from, const Vote& vote, uint64_t now_ms);
  Actions OnTimeoutMsg(uint32_t from, const TimeoutMsg& timeout, uint64_t now_ms);
  Actions OnSyncInfo(uint32_t from, const SyncInfo& sync, uint64_t now_ms);
  Actions OnLocalTimeout(uint64_t round, uint64_t now_ms);
  Actions OnBlockFetched(const Block& block, uint64_t now_ms);
  // Dispatches a decoded Message to the handler above.
  Actions OnMessage(uint32_t from, const Message& message, uint64_t now_ms);

  uint64_t current_round() const;
  const QuorumCert& highest_qc() const;
  uint64_t locked_round() const;
  uint64_t last_voted_round() const;
  uint64_t committed_height() const;
  const Block& committed_block() const;
  const SafetyData& safety() const;
  const ReplicaStats& stats() const;
  const std::vector<Evidence>& evidence() const;
  uint32_t Leader(uint64_t round) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace metaledger::consensus
