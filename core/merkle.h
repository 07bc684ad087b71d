#pragma once
// RFC 6962 Merkle trees over 32-byte leaves (transaction ids).
//   leaf hash  = SHA-256(0x00 ‖ leaf)
//   node hash  = SHA-256(0x01 ‖ left ‖ right)
//   empty root = SHA-256("")
// A tree of n > 1 leaves splits at k, the largest power of two strictly below n.

#include <cstdint>
#include <span>
#include <vector>

#include "core/codec.h"
#include "core/crypto/hash.h"

namespace metaledger {

Hash256 MerkleLeafHash(const Hash256& leaf);
Hash256 MerkleNodeHash(const Hash256& left, const Hash256& right);

Hash256 MerkleRoot(std::span<const Hash256> leaves);

struct InclusionProof {
  static constexpr size_t kMaxPath = 64;

  uint64_t index = 0;
  uint64_t tree_size = 0;
  std::vector<Hash256> path;  // sibling hashes from the leaf upwards

  void Encode(Writer& w) const;
  static InclusionProof DecodeFrom(Reader& r);
  bool operator==(const InclusionProof&) const = default;
};

// Fails with InvalidArgument when index >= leaves.size().
Result<InclusionProof> MerkleProve(std::span<const Hash256> leaves, uint64_t index);

// RFC 9162 section 2.1.3.2 verification: true iff `leaf` is at proof.index in a tree of
// proof.tree_size leaves whose root is `root`.
// A root does not commit to its tree size (leaf 0 of a 3-leaf tree has the same proof in a
// 4-leaf tree), so callers must also check proof.tree_size against the size they trust, e.g.
// BlockHeader::tx_count; the overload below does both.
bool MerkleVerify(const Hash256& root, const Hash256& leaf, const InclusionProof& proof);

// As above, and proof.tree_size must equal the trusted `tree_size`.
bool MerkleVerify(const Hash256& root, uint64_t tree_size, const Hash256& leaf,
                  const InclusionProof& proof);

}  // namespace metaledger
