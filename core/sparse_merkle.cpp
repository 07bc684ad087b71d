#include "core/sparse_merkle.h"

#include <string>

namespace metaledger {
namespace {

constexpr std::string_view kLeafTag = "metaledger/smt/leaf/v1";
constexpr std::string_view kNodeTag = "metaledger/smt/node/v1";
constexpr std::string_view kValueTag = "metaledger/smt/value/v1";

// The first domain byte differs per kind, so a leaf, a node and a value can never share a hash
// even before the tag is read.
Sha256Hasher& Start(Sha256Hasher& h, uint8_t domain, std::string_view tag) {
  h.Update(ByteView(&domain, 1)).Update(tag);
  return h;
}

bool SharesPrefix(const Hash256& a, const Hash256& b, size_t bits) {
  size_t full = bits / 8;
  for (size_t i = 0; i < full; ++i) {
    if (a.bytes[i] != b.bytes[i]) return false;
  }
  size_t rest = bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (b.bytes[full] & mask);
}

}  // namespace

Hash256 SmtKeyHash(ByteView key) { return Sha256(key); }

Hash256 SmtValueHash(ByteView value) {
  Sha256Hasher h;
  return Start(h, 0x02, kValueTag).Update(value).Finish();
}

Hash256 SmtLeafHash(const Hash256& key_hash, const Hash256& value_hash) {
  Sha256Hasher h;
  return Start(h, 0x00, kLeafTag).Update(key_hash.view()).Update(value_hash.view()).Finish();
}

Hash256 SmtInternalHash(const Hash256& left, const Hash256& right) {
  Sha256Hasher h;
  return Start(h, 0x01, kNodeTag).Update(left.view()).Update(right.view()).Finish();
}

void SmtProof::Encode(Writer& w) const {
  w.U8(kVersion);
  w.Bool(leaf.has_value());
  if (leaf) w.Fixed(leaf->key_hash).Fixed(leaf->value_hash);
  w.Varint(siblings.size());
  for (const Hash256& s : siblings) w.Fixed(s);
}

SmtProof SmtProof::DecodeFrom(Reader& r) {
  SmtProof p;
  r.ExpectVersion(kVersion, "state proof");
  if (r.Bool()) {
    Leaf l;
    l.key_hash = r.Fixed<32>();
    l.value_hash = r.Fixed<32>();
    p.leaf = l;
  }
  uint64_t n = r.VarintMax(kSmtDepth, "state proof siblings");
  for (uint64_t i = 0; i < n && r.ok(); ++i) p.siblings.push_back(r.Fixed<32>());
  return p;
}

Result<Hash256> SmtProofRoot(const Hash256& key_hash, const SmtProof& proof) {
  const size_t depth = proof.siblings.size();
  if (depth > kSmtDepth) {
    return Status::InvalidArgument("state proof has " + std::to_string(depth) +
                                   " siblings; the tree has " + std::to_string(kSmtDepth) +
                                   " levels");
  }
  Hash256 current = kSmtEmptyHash;
  if (proof.leaf) {
    // The leaf must sit on the key's path, otherwise the walk could not have reached it.
    if (!SharesPrefix(proof.leaf->key_hash, key_hash, depth)) {
      return Status::InvalidArgument("state proof leaf is not on the key's path");
    }
    current = SmtLeafHash(proof.leaf->key_hash, proof.leaf->value_hash);
  }
  for (size_t i = depth; i-- > 0;) {
    const Hash256& sibling = proof.siblings[i];
    current =
        SmtBit(key_hash, i) ? SmtInternalHash(sibling, current) : SmtInternalHash(current, sibling);
  }
  return current;
}

Status SmtVerify(const Hash256& root, ByteView key, const std::optional<Bytes>& value,
                 const SmtProof& proof) {
  const Hash256 key_hash = SmtKeyHash(key);
  const bool leaf_is_key = proof.leaf && proof.leaf->key_hash == key_hash;
  if (value) {
    if (!leaf_is_key) return Status::Unauthenticated("state proof does not show the key present");
    if (proof.leaf->value_hash != SmtValueHash(*value)) {
      return Status::Unauthenticated("state proof is for a different value");
    }
  } else if (leaf_is_key) {
    return Status::Unauthenticated("state proof shows the key present, not absent");
  }
  auto computed = SmtProofRoot(key_hash, proof);
  if (!computed.ok()) return computed.status();
  if (*computed != root) {
    return Status::Unauthenticated("state proof does not match the state root");
  }
  return Status::Ok();
}

}  // namespace metaledger
