#pragma once
// The authenticated state tree's hashing, proof format and proof verifier.
//
// The state is a sparse Merkle tree of 256 levels addressed by SHA-256(key), bit 0 being the
// most significant bit of the first byte (0 = left). Empty subtrees are collapsed, as in Diem's
// Jellyfish tree: an empty subtree hashes to kSmtEmptyHash, a subtree that holds exactly one
// leaf hashes to that leaf's hash (whatever its depth), and internal nodes exist only where
// the paths of two or more keys diverge.
//
//   leaf hash      = SHA-256(0x00 ‖ "metaledger/smt/leaf/v1"  ‖ key hash ‖ value hash)
//   internal hash  = SHA-256(0x01 ‖ "metaledger/smt/node/v1"  ‖ left ‖ right)
//   value hash     = SHA-256(0x02 ‖ "metaledger/smt/value/v1" ‖ value)
//   empty subtree  = 32 zero bytes (no preimage is known, so it cannot be faked)
//
// Storage (storage/state_tree.h) builds the tree; this file lets a wallet or an auditor check
// a proof against a trusted state root (from a CommitCert) without RocksDB.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/codec.h"
#include "core/crypto/hash.h"

namespace metaledger {

inline constexpr size_t kSmtDepth = 256;
inline const Hash256 kSmtEmptyHash{};

// SHA-256(key): the key's position in the tree.
Hash256 SmtKeyHash(ByteView key);
Hash256 SmtValueHash(ByteView value);
Hash256 SmtLeafHash(const Hash256& key_hash, const Hash256& value_hash);
Hash256 SmtInternalHash(const Hash256& left, const Hash256& right);

// Bit `depth` (0 = most significant bit of byte 0) of a key hash: 0 = left, 1 = right.
inline bool SmtBit(const Hash256& key_hash, size_t depth) {
  return (key_hash.bytes[depth / 8] >> (7 - depth % 8)) & 1;
}

// Proof that a key has a given value, or no value, under a state root.
//
// Walking the key's path from the root, the walk ends at depth siblings.size() either in an
// empty subtree (leaf absent) or in a one-leaf subtree (leaf present). If that leaf is the
// key's own, the proof shows inclusion; if it belongs to another key that shares the first
// siblings.size() bits, or the subtree is empty, it shows non-inclusion.
struct SmtProof {
  static constexpr uint8_t kVersion = 1;

  struct Leaf {
    Hash256 key_hash;
    Hash256 value_hash;
    bool operator==(const Leaf&) const = default;
  };

  std::optional<Leaf> leaf;
  std::vector<Hash256> siblings;  // siblings[i] is the sibling at depth i + 1 (root side first)

  void Encode(Writer& w) const;
  static SmtProof DecodeFrom(Reader& r);
  bool operator==(const SmtProof&) const = default;
};

// The root the proof implies for `key_hash`; fails when the proof is malformed (too deep, or its
// leaf is not on the key's path).
Result<Hash256> SmtProofRoot(const Hash256& key_hash, const SmtProof& proof);

// OK iff, under `root`, `key` maps to `value` (value present) or has no value (nullopt).
// Unauthenticated when the proof does not support the claim; InvalidArgument when malformed.
Status SmtVerify(const Hash256& root, ByteView key, const std::optional<Bytes>& value,
                 const SmtProof& proof);

}  // namespace metaledger
