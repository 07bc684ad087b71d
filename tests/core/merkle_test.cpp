// RFC 6962 Merkle trees: roots against an independent reference, proofs that verify, and
// tampered proofs that do not.

#include "core/merkle.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/codec.h"
#include "core/crypto/hash.h"

namespace metaledger {
namespace {

// RFC 6962 section 2.1, literally: MTH({}) = SHA-256(), MTH({d0}) = SHA-256(0x00 ‖ d0),
// MTH(D[n]) = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])), k the largest power of two < n.
Hash256 ReferenceRoot(const std::vector<Hash256>& d, size_t lo, size_t hi) {
  size_t n = hi - lo;
  if (n == 0) return Sha256(ByteView{});
  if (n == 1) {
    Bytes buf = {0x00};
    buf.insert(buf.end(), d[lo].bytes.begin(), d[lo].bytes.end());
    return Sha256(buf);
  }
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  Hash256 left = ReferenceRoot(d, lo, lo + k);
  Hash256 right = ReferenceRoot(d, lo + k, hi);
  Bytes buf = {0x01};
  buf.insert(buf.end(), left.bytes.begin(), left.bytes.end());
  buf.insert(buf.end(), right.bytes.begin(), right.bytes.end());
  return Sha256(buf);
}

// For leaf `index` of an n-leaf tree, from the leaf up: true where the sibling is on the left.
std::vector<bool> Sides(size_t index, size_t n) {
  std::vector<bool> top_down;
  size_t lo = 0, hi = n;
  while (hi - lo > 1) {
    size_t k = 1;
    while (k * 2 < hi - lo) k *= 2;
    if (index < lo + k) {
      top_down.push_back(false);
      hi = lo + k;
    } else {
      top_down.push_back(true);
      lo += k;
    }
  }
  return {top_down.rbegin(), top_down.rend()};
}

std::vector<Hash256> Leaves(size_t n) {
  std::vector<Hash256> out;
  for (size_t i = 0; i < n; ++i) out.push_back(Sha256("leaf " + std::to_string(i)));
  return out;
}

TEST(Merkle, RootsMatchReferenceForZeroToTwenty) {
  for (size_t n = 0; n <= 20; ++n) {
    auto leaves = Leaves(n);
    EXPECT_EQ(MerkleRoot(leaves), ReferenceRoot(leaves, 0, n)) << "n = " << n;
  }
}

TEST(Merkle, EmptyRootIsHashOfNothing) {
  EXPECT_EQ(MerkleRoot({}).Hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Merkle, LeafAndNodePrefixesDiffer) {
  Hash256 a = Sha256("a"), b = Sha256("b");
  EXPECT_NE(MerkleLeafHash(a), Sha256(a.view()));
  // A node's 64-byte preimage presented as two leaves cannot collide with the node.
  EXPECT_NE(MerkleNodeHash(a, b), MerkleLeafHash(a));
}

TEST(Merkle, EveryProofVerifies) {
  for (size_t n = 1; n <= 20; ++n) {
    auto leaves = Leaves(n);
    Hash256 root = MerkleRoot(leaves);
    for (size_t i = 0; i < n; ++i) {
      auto proof = MerkleProve(leaves, i);
      ASSERT_TRUE(proof.ok());
      EXPECT_EQ(proof->tree_size, n);
      EXPECT_TRUE(MerkleVerify(root, leaves[i], *proof)) << "n=" << n << " i=" << i;
    }
  }
}

TEST(Merkle, ProveRejectsOutOfRangeIndex) {
  auto leaves = Leaves(3);
  auto p = MerkleProve(leaves, 3);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(MerkleProve({}, 0).ok());
}

TEST(Merkle, EveryTamperedProofFails) {
  for (size_t n = 1; n <= 20; ++n) {
    auto leaves = Leaves(n);
    Hash256 root = MerkleRoot(leaves);
    for (size_t i = 0; i < n; ++i) {
      InclusionProof good = *MerkleProve(leaves, i);
      std::string where = "n=" + std::to_string(n) + " i=" + std::to_string(i);

      // Any flipped byte in any path entry.
      for (size_t j = 0; j < good.path.size(); ++j) {
        for (size_t byte = 0; byte < 32; byte += 7) {
          InclusionProof p = good;
          p.path[j].bytes[byte] ^= 0x01;
          EXPECT_FALSE(MerkleVerify(root, leaves[i], p)) << where << " path " << j;
        }
      }
      // Flipped byte in the leaf, or another leaf.
      Hash256 leaf = leaves[i];
      leaf.bytes[31] ^= 0x80;
      EXPECT_FALSE(MerkleVerify(root, leaf, good)) << where;
      if (n > 1) {
        EXPECT_FALSE(MerkleVerify(root, leaves[(i + 1) % n], good)) << where;
      }
      // Flipped root.
      Hash256 bad_root = root;
      bad_root.bytes[0] ^= 1;
      EXPECT_FALSE(MerkleVerify(bad_root, leaves[i], good)) << where;
      // Every other index.
      for (size_t k = 0; k < n + 2; ++k) {
        if (k == i) continue;
        InclusionProof p = good;
        p.index = k;
        EXPECT_FALSE(MerkleVerify(root, leaves[i], p)) << where << " index " << k;
      }
      // Every other tree size (including 0 and sizes beyond n) against the trusted size.
      EXPECT_TRUE(MerkleVerify(root, n, leaves[i], good)) << where;
      for (size_t size = 0; size < n + 4; ++size) {
        if (size == n) continue;
        InclusionProof p = good;
        p.tree_size = size;
        EXPECT_FALSE(MerkleVerify(root, n, leaves[i], p)) << where << " size " << size;
        EXPECT_FALSE(MerkleVerify(root, size, leaves[i], good)) << where << " size " << size;
        // Without a trusted size, a wrong size is caught exactly when it changes the path's
        // shape (a root does not commit to its size; see core/merkle.h).
        EXPECT_EQ(MerkleVerify(root, leaves[i], p), i < size && Sides(i, size) == Sides(i, n))
            << where << " size " << size;
      }
      // Truncated and extended paths.
      if (!good.path.empty()) {
        InclusionProof p = good;
        p.path.pop_back();
        EXPECT_FALSE(MerkleVerify(root, leaves[i], p)) << where << " truncated";
        p = good;
        p.path.erase(p.path.begin());
        EXPECT_FALSE(MerkleVerify(root, leaves[i], p)) << where << " front dropped";
      }
      InclusionProof p = good;
      p.path.push_back(root);
      EXPECT_FALSE(MerkleVerify(root, leaves[i], p)) << where << " extended";
      p = good;
      p.path.push_back(Hash256{});
      EXPECT_FALSE(MerkleVerify(root, leaves[i], p)) << where << " extended by zero";
    }
  }
}

TEST(Merkle, ProofEncodingRoundTripsAndLimitsPath) {
  auto leaves = Leaves(13);
  InclusionProof p = *MerkleProve(leaves, 6);
  auto back = Decode<InclusionProof>(Encode(p));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, p);

  InclusionProof long_path = p;
  long_path.path.assign(InclusionProof::kMaxPath + 1, Hash256{});
  auto r = Decode<InclusionProof>(Encode(long_path));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("proof path length"), std::string::npos);
}

}  // namespace
}  // namespace metaledger
