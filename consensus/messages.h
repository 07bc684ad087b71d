#pragma once
// The consensus wire messages and their canonical encoding. The node sends exactly the bytes of
// EncodeMessage() over P2P; DecodeMessage() refuses unknown kinds, trailing bytes and oversize
// fields. Every message is one kind byte followed by the message's own encoding.
//
//   kind 1  Proposal  block ‖ proposer signature over ProposalMessage(chain, round, block hash)
//   kind 2  Vote      (core/certificates.h)
//   kind 3  Timeout   (core/certificates.h)
//   kind 4  SyncInfo  highest QC ‖ optional highest TC: helps a lagging replica catch up

#include <optional>
#include <variant>

#include "core/block.h"
#include "core/certificates.h"

namespace metaledger::consensus {

// H("metaledger/proposal/v1" ‖ chain ‖ round ‖ block hash): what a leader signs.
Hash256 ProposalMessage(std::string_view chain_id, uint64_t round, const Hash256& block_hash);

struct Proposal {
  Block block;
  Signature sig;  // by validator block.header.proposer

  void Encode(Writer& w) const;
  static Proposal DecodeFrom(Reader& r);
  bool operator==(const Proposal&) const = default;
};

struct SyncInfo {
  QuorumCert highest_qc;
  std::optional<TimeoutCert> highest_tc;

  void Encode(Writer& w) const;
  static SyncInfo DecodeFrom(Reader& r);
  bool operator==(const SyncInfo&) const = default;
};

using Message = std::variant<Proposal, Vote, TimeoutMsg, SyncInfo>;

Bytes EncodeMessage(const Message& m);
Result<Message> DecodeMessage(ByteView bytes);
// "proposal", "vote", "timeout", "sync".
const char* MessageKindName(const Message& m);

}  // namespace metaledger::consensus
