#pragma once
// Blocks as consensus orders them.
//
// The header is what the block hash covers. The payload is opaque to consensus: in the node it
// lists the hashes of transaction batches, in tests anything. tx_root is the RFC 6962 root over
// the ids of the transactions the payload resolves to, in order, so one header proves inclusion.
// The state root after execution is not in the header (execution follows commit); it is
// attested by the block's CommitCert.

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/certificates.h"
#include "core/codec.h"
#include "core/crypto/hash.h"

namespace metaledger {

struct BlockHeader {
  static constexpr uint8_t kVersion = 1;

  uint64_t height = 0;
  uint64_t round = 0;
  Hash256 parent_hash;
  uint32_t proposer = 0;  // validator index
  uint64_t time_ms = 0;   // consensus time T(h); strictly above the parent's
  Hash256 payload_hash;   // H("metaledger/payload/v1" ‖ chain ‖ payload)
  Hash256 tx_root;
  uint32_t tx_count = 0;
  Hash256 validator_set_hash;

  Hash256 Hash(std::string_view chain_id) const;
  void Encode(Writer& w) const;
  static BlockHeader DecodeFrom(Reader& r);
  bool operator==(const BlockHeader&) const = default;
};

struct Block {
  static constexpr size_t kMaxPayload = 1 << 20;

  BlockHeader header;
  QuorumCert justify;               // certifies header.parent_hash
  std::optional<TimeoutCert> tc;    // present when the previous round ended by timeout
  Bytes payload;

  Hash256 Hash(std::string_view chain_id) const { return header.Hash(chain_id); }
  void Encode(Writer& w) const;
  static Block DecodeFrom(Reader& r);
  bool operator==(const Block&) const = default;
};

Hash256 PayloadHash(std::string_view chain_id, ByteView payload);

// The fixed height-0 block every chain starts from: round 0, zero parent, genesis time.
Block MakeGenesisBlock(std::string_view chain_id, uint64_t genesis_time_ms,
                       const Hash256& validator_set_hash);

}  // namespace metaledger
