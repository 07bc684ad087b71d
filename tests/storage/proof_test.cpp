// Sparse Merkle tree proofs: random key sets through the versioned tree (in memory, so many
// cases run quickly), checked with the core verifier against a from-scratch reference root.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <unordered_map>

#include "core/sparse_merkle.h"
#include "storage/state_tree.h"
#include "tests/storage/test_chain.h"

namespace metaledger::storage {
namespace {

using Model = std::map<Bytes, Bytes, BytesLess>;

class MemoryNodes final : public TreeNodeSource {
 public:
  Result<bool> ReadNode(uint64_t version, const Hash256& hash, std::string* out) const override {
    auto it = nodes_.find(TreeNodeKey(version, hash));
    if (it == nodes_.end()) return Status::NotFound("node");
    *out = it->second;
    return false;  // the tree checks every node's hash
  }
  void Add(const TreeUpdate& u) {
    for (const auto& node : u.new_nodes.nodes()) {
      nodes_[TreeNodeKey(u.version, node.hash)] = u.new_nodes.encoded(node);
    }
  }
  std::unordered_map<std::string, std::string> nodes_;
};

// A versioned tree plus the plain model of every version.
struct History {
  MemoryNodes nodes;
  std::vector<NodeRef> roots{NodeRef{}};
  std::vector<Model> states{Model{}};

  void Commit(const WriteSet& writes) {
    auto u = UpdateTree(nodes, roots.back(), roots.size(), writes);
    RC_ASSERT(u.ok());
    nodes.Add(*u);
    roots.push_back(u->root);
    states.push_back(states.back());
    testing::ApplyWrites(states.back(), writes);
  }
};

Bytes Key(uint32_t n) { return ToBytes("key-" + std::to_string(n)); }

// Each op sets key k % 64 to a value, or deletes it when v % 4 == 0.
WriteSet RandomWrites(const std::vector<std::pair<uint32_t, uint32_t>>& ops) {
  WriteSet w;
  for (const auto& [k, v] : ops) {
    w[Key(k % 64)] =
        v % 4 == 0 ? std::nullopt : std::optional<Bytes>(ToBytes("v" + std::to_string(v)));
  }
  return w;
}

RC_GTEST_PROP(StateTreeProperty, ProofsMatchEveryVersion,
              (const std::vector<std::vector<std::pair<uint32_t, uint32_t>>>& batches)) {
  History hist;
  for (const auto& ops : batches) hist.Commit(RandomWrites(ops));
  for (size_t version = 0; version < hist.roots.size(); ++version) {
    const Model& state = hist.states[version];
    RC_ASSERT(hist.roots[version].hash == testing::ReferenceRoot(state));
    for (uint32_t k = 0; k < 64; k += 3) {  // present and absent keys alike
      Bytes key = Key(k);
      auto lookup = ProveInTree(hist.nodes, hist.roots[version], key);
      RC_ASSERT(lookup.ok());
      auto it = state.find(key);
      std::optional<Bytes> expected =
          it == state.end() ? std::nullopt : std::optional<Bytes>(it->second);
      RC_ASSERT(lookup->value == expected);
      RC_ASSERT(SmtVerify(hist.roots[version].hash, key, expected, lookup->proof).ok());
      // The opposite claim never verifies.
      std::optional<Bytes> wrong =
          expected ? std::nullopt : std::optional<Bytes>(ToBytes("not-there"));
      RC_ASSERT(!SmtVerify(hist.roots[version].hash, key, wrong, lookup->proof).ok());
    }
  }
}

RC_GTEST_PROP(StateTreeProperty, TamperedProofsFail,
              (const std::vector<std::pair<uint32_t, uint32_t>>& ops, uint32_t probe,
               uint32_t where, uint8_t bit)) {
  History hist;
  hist.Commit(RandomWrites(ops));
  RC_PRE(!hist.states.back().empty());
  const Hash256 root = hist.roots.back().hash;
  Bytes key = Key(probe % 64);
  auto lookup = ProveInTree(hist.nodes, hist.roots.back(), key);
  RC_ASSERT(lookup.ok());
  const SmtProof& good = lookup->proof;
  RC_ASSERT(SmtVerify(root, key, lookup->value, good).ok());

  const uint8_t flip = static_cast<uint8_t>(1u << (bit % 8));
  std::vector<SmtProof> tampered;
  if (!good.siblings.empty()) {
    SmtProof p = good;
    p.siblings[where % p.siblings.size()].bytes[where % 32] ^= flip;
    tampered.push_back(p);
    p = good;
    p.siblings.pop_back();
    tampered.push_back(p);
  }
  SmtProof extra = good;
  extra.siblings.push_back(kSmtEmptyHash);
  tampered.push_back(extra);
  if (good.leaf) {
    SmtProof p = good;
    p.leaf->value_hash.bytes[where % 32] ^= flip;
    tampered.push_back(p);
    p = good;
    p.leaf->key_hash.bytes[where % 32] ^= flip;
    tampered.push_back(p);
    p = good;
    p.leaf.reset();
    tampered.push_back(p);
  }
  for (const SmtProof& p : tampered) RC_ASSERT(!SmtVerify(root, key, lookup->value, p).ok());
  if (lookup->value) {
    Bytes other = *lookup->value;
    other.push_back('!');
    RC_ASSERT(!SmtVerify(root, key, other, good).ok());
  }
  Hash256 other_root = root;
  other_root.bytes[where % 32] ^= flip;
  RC_ASSERT(!SmtVerify(other_root, key, lookup->value, good).ok());
}

TEST(StateTree, EmptyTreeAndSingleLeaf) {
  MemoryNodes nodes;
  auto none = ProveInTree(nodes, NodeRef{}, AsBytes("a"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->value);
  EXPECT_TRUE(SmtVerify(kSmtEmptyHash, AsBytes("a"), std::nullopt, none->proof).ok());

  WriteSet w;
  w[ToBytes("a")] = ToBytes("1");
  auto u = UpdateTree(nodes, NodeRef{}, 1, w);
  ASSERT_TRUE(u.ok());
  nodes.Add(*u);
  // One key: the root is that key's leaf, no internal node.
  EXPECT_EQ(u->root.kind, NodeRef::Kind::kLeaf);
  EXPECT_EQ(u->root.hash, SmtLeafHash(SmtKeyHash(AsBytes("a")), SmtValueHash(AsBytes("1"))));
  EXPECT_EQ(u->new_nodes.size(), 1u);
  // Deleting the last key empties the tree.
  WriteSet del;
  del[ToBytes("a")] = std::nullopt;
  auto e = UpdateTree(nodes, u->root, 2, del);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->root.kind, NodeRef::Kind::kEmpty);
  EXPECT_EQ(e->root.hash, kSmtEmptyHash);
}

// The new nodes of an update, as the store writes them: each one's bytes hash to the hash it is
// keyed by, the root is among them, and sorted by hash they are in strictly increasing key order.
TEST(StateTree, NewNodesAreSelfCheckingAndSortIntoKeyOrder) {
  MemoryNodes nodes;
  WriteSet w;
  for (int i = 0; i < 300; ++i)
    w[ToBytes("k" + std::to_string(i))] = ToBytes("v" + std::to_string(i));
  auto u = UpdateTree(nodes, NodeRef{}, 7, w);
  ASSERT_TRUE(u.ok());
  ASSERT_GE(u->new_nodes.size(), 300u + 299u) << "300 leaves and the internal nodes joining them";
  u->new_nodes.SortByHash();
  bool root_seen = false;
  std::string previous_key;
  for (const auto& node : u->new_nodes.nodes()) {
    EXPECT_TRUE(CheckTreeNode(u->version, node.hash, u->new_nodes.encoded(node)).ok());
    root_seen |= node.hash == u->root.hash;
    std::string key = TreeNodeKey(u->version, node.hash);
    EXPECT_LT(previous_key, key);
    previous_key = std::move(key);
  }
  EXPECT_TRUE(root_seen);
  // What the store writes: the same keys and bytes, in the same order.
  size_t i = 0;
  auto nodes_in_order = u->new_nodes.nodes();
  Status walked =
      u->new_nodes.ForEachKeyed(u->version, [&](std::string_view key, std::string_view encoded) {
        EXPECT_EQ(key, TreeNodeKey(u->version, nodes_in_order[i].hash));
        EXPECT_EQ(encoded, u->new_nodes.encoded(nodes_in_order[i]));
        ++i;
        return Status::Ok();
      });
  EXPECT_TRUE(walked.ok());
  EXPECT_EQ(i, u->new_nodes.size());
}

TEST(StateTree, UpdateWritesOnlyTheChangedPath) {
  MemoryNodes nodes;
  WriteSet w;
  for (int i = 0; i < 1024; ++i) w[ToBytes("k" + std::to_string(i))] = ToBytes("v");
  auto u = UpdateTree(nodes, NodeRef{}, 1, w);
  ASSERT_TRUE(u.ok());
  nodes.Add(*u);
  WriteSet one;
  one[ToBytes("k7")] = ToBytes("changed");
  auto u2 = UpdateTree(nodes, u->root, 2, one);
  ASSERT_TRUE(u2.ok());
  // O(log n): a path of about log2(1024) = 10 internal nodes plus a leaf, never the whole tree.
  EXPECT_GE(u2->new_nodes.size(), 5u);
  EXPECT_LE(u2->new_nodes.size(), 40u);
}

TEST(StateTree, MissingOrCorruptNodeIsCorruption) {
  MemoryNodes nodes;
  WriteSet w;
  for (int i = 0; i < 10; ++i) w[ToBytes("k" + std::to_string(i))] = ToBytes("v");
  auto u = UpdateTree(nodes, NodeRef{}, 1, w);
  ASSERT_TRUE(u.ok());
  nodes.Add(*u);
  auto root_key = TreeNodeKey(1, u->root.hash);
  nodes.nodes_[root_key][5] ^= 1;
  auto bad = ProveInTree(nodes, u->root, AsBytes("k1"));
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
  nodes.nodes_.erase(root_key);
  auto missing = UpdateTree(nodes, u->root, 2, w);
  EXPECT_EQ(missing.status().code(), StatusCode::kCorruption);
}

TEST(SmtProofCodec, RoundTripsAndRejectsTooDeep) {
  SmtProof p;
  p.leaf = SmtProof::Leaf{Sha256("k"), Sha256("v")};
  p.siblings = {Sha256("a"), Sha256("b")};
  auto back = Decode<SmtProof>(Encode(p));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, p);
  SmtProof deep;
  deep.siblings.assign(kSmtDepth + 1, Hash256{});
  EXPECT_FALSE(Decode<SmtProof>(Encode(deep)).ok());
  EXPECT_EQ(SmtVerify(kSmtEmptyHash, AsBytes("x"), std::nullopt, deep).code(),
            StatusCode::kInvalidArgument);
  // A leaf that is not on the key's path is malformed.
  SmtProof off_path;
  off_path.leaf = SmtProof::Leaf{Hash256{}, Sha256("v")};
  off_path.leaf->key_hash.bytes[0] = static_cast<uint8_t>(~SmtKeyHash(AsBytes("x")).bytes[0]);
  off_path.siblings = {Hash256{}};
  EXPECT_EQ(SmtVerify(kSmtEmptyHash, AsBytes("x"), std::nullopt, off_path).code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace metaledger::storage
