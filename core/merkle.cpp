#include "core/merkle.h"

namespace metaledger {
namespace {

uint64_t SplitPoint(uint64_t n) {  // largest power of two < n, for n >= 2
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Hash256 SubtreeRoot(std::span<const Hash256> leaves) {
  if (leaves.size() == 1) return MerkleLeafHash(leaves[0]);
  uint64_t k = SplitPoint(leaves.size());
  return MerkleNodeHash(SubtreeRoot(leaves.subspan(0, k)), SubtreeRoot(leaves.subspan(k)));
}

void BuildPath(std::span<const Hash256> leaves, uint64_t index, std::vector<Hash256>& path) {
  if (leaves.size() <= 1) return;
  uint64_t k = SplitPoint(leaves.size());
  if (index < k) {
    BuildPath(leaves.subspan(0, k), index, path);
    path.push_back(SubtreeRoot(leaves.subspan(k)));
  } else {
    BuildPath(leaves.subspan(k), index - k, path);
    path.push_back(SubtreeRoot(leaves.subspan(0, k)));
  }
}

}  // namespace

Hash256 MerkleLeafHash(const Hash256& leaf) {
  Sha256Hasher h;
  const uint8_t prefix = 0x00;
  h.Update(ByteView(&prefix, 1)).Update(leaf.view());
  return h.Finish();
}

Hash256 MerkleNodeHash(const Hash256& left, const Hash256& right) {
  Sha256Hasher h;
  const uint8_t prefix = 0x01;
  h.Update(ByteView(&prefix, 1)).Update(left.view()).Update(right.view());
  return h.Finish();
}

Hash256 MerkleRoot(std::span<const Hash256> leaves) {
  if (leaves.empty()) return Sha256(ByteView{});
  // Bottom-up with RFC 6962 shape: pairing left to right and promoting an odd last node gives
  // the same tree as splitting at the largest power of two.
  std::vector<Hash256> level;
  level.reserve(leaves.size());
  for (const Hash256& l : leaves) level.push_back(MerkleLeafHash(l));
  while (level.size() > 1) {
    size_t out = 0;
    for (size_t i = 0; i + 1 < level.size(); i += 2) level[out++] = MerkleNodeHash(level[i], level[i + 1]);
    if (level.size() % 2 == 1) level[out++] = level.back();
    level.resize(out);
  }
  return level[0];
}

Result<InclusionProof> MerkleProve(std::span<const Hash256> leaves, uint64_t index) {
  if (index >= leaves.size()) return Status::InvalidArgument("leaf index out of range");
  InclusionProof p;
  p.index = index;
  p.tree_size = leaves.size();
  BuildPath(leaves, index, p.path);
  return p;
}

bool MerkleVerify(const Hash256& root, const Hash256& leaf, const InclusionProof& proof) {
  if (proof.index >= proof.tree_size) return false;
  uint64_t fn = proof.index;
  uint64_t sn = proof.tree_size - 1;
  Hash256 r = MerkleLeafHash(leaf);
  for (const Hash256& p : proof.path) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = MerkleNodeHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = MerkleNodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool MerkleVerify(const Hash256& root, uint64_t tree_size, const Hash256& leaf,
                  const InclusionProof& proof) {
  return proof.tree_size == tree_size && MerkleVerify(root, leaf, proof);
}

void InclusionProof::Encode(Writer& w) const {
  w.U8(1).Varint(index).Varint(tree_size).Varint(path.size());
  for (const Hash256& h : path) w.Fixed(h);
}

InclusionProof InclusionProof::DecodeFrom(Reader& r) {
  InclusionProof p;
  r.ExpectVersion(1, "inclusion proof");
  p.index = r.Varint();
  p.tree_size = r.Varint();
  size_t n = r.VarintMax(kMaxPath, "proof path length");
  for (size_t i = 0; i < n && r.ok(); ++i) p.path.push_back(r.Fixed<32>());
  return p;
}

}  // namespace metaledger
