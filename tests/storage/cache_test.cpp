// The two read caches in front of RocksDB: they must never serve anything but what is stored.

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "core/crypto/hash.h"
#include "storage/node_cache.h"
#include "storage/state_cache.h"

namespace metaledger::storage {
namespace {

TEST(NodeCache, ReturnsExactlyWhatWasInsertedUnderVersionAndHash) {
  NodeCache cache(100);
  std::string out = "previous contents";
  Hash256 a = Sha256("a"), b = Sha256("b");
  cache.Insert(7, a, "node a at 7");
  cache.Insert(8, a, "node a at 8");
  cache.Insert(7, b, std::string(300, 'b'));
  ASSERT_TRUE(cache.Find(7, a, &out));
  EXPECT_EQ(out, "node a at 7");
  ASSERT_TRUE(cache.Find(8, a, &out));
  EXPECT_EQ(out, "node a at 8");
  ASSERT_TRUE(cache.Find(7, b, &out));
  EXPECT_EQ(out, std::string(300, 'b'));
  EXPECT_FALSE(cache.Find(9, a, &out));
  EXPECT_FALSE(cache.Find(7, Sha256("c"), &out));
}

TEST(NodeCache, KeepsTwoGenerationsAndMovesOldHitsBack) {
  NodeCache cache(16);
  std::string out;
  auto key = [](int i) { return Sha256("node" + std::to_string(i)); };
  for (int i = 0; i < 16; ++i) cache.Insert(1, key(i), "v" + std::to_string(i));
  // The 17th insert turns the first 16 into the old generation.
  cache.Insert(1, key(16), "v16");
  ASSERT_TRUE(cache.Find(1, key(0), &out));  // old hit: copied into the young generation
  EXPECT_EQ(out, "v0");
  for (int i = 17; i < 32; ++i) cache.Insert(1, key(i), "v" + std::to_string(i));
  // Young is full again (16..31 and 0 = 16 entries): the next insert drops 1..15.
  cache.Insert(1, key(32), "v32");
  EXPECT_TRUE(cache.Find(1, key(0), &out));
  EXPECT_EQ(out, "v0");
  EXPECT_TRUE(cache.Find(1, key(20), &out));
  EXPECT_EQ(out, "v20");
  EXPECT_FALSE(cache.Find(1, key(5), &out));
}

// InsertMany is Insert of each node in order, also across a change of generation mid-way.
TEST(NodeCache, InsertManyIsInsertOfEachInOrder) {
  NodeCache many(16), one(16);
  std::vector<std::string> values;
  std::vector<NodeCache::Node> nodes;
  for (int i = 0; i < 40; ++i) values.push_back("v" + std::to_string(i));
  values[7] = "";  // not cached
  for (int i = 0; i < 40; ++i) {
    nodes.push_back({static_cast<uint64_t>(i % 3), Sha256("n" + std::to_string(i)), values[i]});
  }
  nodes.push_back(nodes[30]);  // a repeat is already right
  many.InsertMany(std::span<const NodeCache::Node>(nodes).first(5));
  many.InsertMany(std::span<const NodeCache::Node>(nodes).subspan(5));
  for (const auto& n : nodes) one.Insert(n.version, n.hash, n.encoded);
  size_t hits = 0;
  for (const auto& n : nodes) {
    std::string a, b;
    const bool in_many = many.Find(n.version, n.hash, &a);
    ASSERT_EQ(in_many, one.Find(n.version, n.hash, &b));
    if (in_many) {
      EXPECT_EQ(a, n.encoded);
      EXPECT_EQ(a, b);
      ++hits;
    }
    EXPECT_FALSE(many.Find(n.version + 3, n.hash, &a));
  }
  // 41 inserts into generations of 16 keep the last ones (and what Find moved back).
  EXPECT_GE(hits, 16u);
  EXPECT_LT(hits, nodes.size());
}

TEST(NodeCache, DoesNotCacheEmptyOrOversizedNodes) {
  NodeCache cache(16);
  std::string out;
  cache.Insert(1, Sha256("empty"), "");
  cache.Insert(1, Sha256("big"), std::string(NodeCache::kMaxCachedNode + 1, 'x'));
  EXPECT_FALSE(cache.Find(1, Sha256("empty"), &out));
  EXPECT_FALSE(cache.Find(1, Sha256("big"), &out));
}

TEST(StateCache, CommitOverridesAndRecordsAbsence) {
  StateCache cache;
  uint64_t seq = 0;
  EXPECT_FALSE(cache.Find("k", &seq).has_value());
  cache.Remember("k", std::string("v1"), seq);
  auto hit = cache.Find("k", &seq);
  ASSERT_TRUE(hit && *hit);
  EXPECT_EQ(**hit, "v1");
  cache.Commit([](auto&& record) {
    record("k", std::nullopt);
    record("n", std::optional<std::string>("new"));
  });
  hit = cache.Find("k", &seq);
  ASSERT_TRUE(hit.has_value());
  EXPECT_FALSE(hit->has_value());  // cached as absent
  hit = cache.Find("n", &seq);
  ASSERT_TRUE(hit && *hit);
  EXPECT_EQ(**hit, "new");
}

TEST(StateCache, AReadOlderThanTheLastCommitIsNotRemembered) {
  StateCache cache;
  uint64_t seq = 0;
  EXPECT_FALSE(cache.Find("k", &seq).has_value());  // a reader misses, goes to RocksDB ...
  cache.Commit([](auto&& record) { record("other", std::optional<std::string>("x")); });
  cache.Remember("k", std::string("value read before the commit"), seq);  // ... and comes back
  uint64_t now = 0;
  EXPECT_FALSE(cache.Find("k", &now).has_value());
  EXPECT_NE(now, seq);
}

TEST(StateCache, StaysBounded) {
  StateCache cache(8);
  uint64_t seq = 0;
  cache.Find("x", &seq);
  for (int i = 0; i < 20; ++i) cache.Remember("k" + std::to_string(i), std::string("v"), seq);
  int cached = 0;
  for (int i = 0; i < 20; ++i) cached += cache.Find("k" + std::to_string(i), &seq).has_value();
  EXPECT_LE(cached, 8);
  EXPECT_TRUE(cache.Find("k19", &seq).has_value());
}

}  // namespace
}  // namespace metaledger::storage
