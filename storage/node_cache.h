#pragma once
// A bounded cache of encoded state-tree nodes keyed by (version, hash). Nodes are immutable, so
// an entry is never stale. Thread-safe.
//
// Two generations: when the young one is full it becomes the old one and the previous old one
// is reset; a hit in the old one is copied back into the young one. Each generation is one
// open-addressing table over one byte arena, so inserting, hitting and dropping a generation
// allocate nothing once warm (the map of strings it replaces spent ~20 % of a node's CPU in
// hashing, pointer chasing and malloc/free under load).

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/hash.h"

namespace metaledger::storage {

class NodeCache {
 public:
  // `entries` per generation; nodes longer than kMaxCachedNode bytes are not cached.
  explicit NodeCache(size_t entries = 150'000);

  static constexpr size_t kMaxCachedNode = 16 << 10;

  struct Node {
    uint64_t version;
    Hash256 hash;
    std::string_view encoded;
  };

  // On a hit, replaces *out with the encoded node and returns true.
  bool Find(uint64_t version, const Hash256& hash, std::string* out);
  void Insert(uint64_t version, const Hash256& hash, std::string_view encoded);
  // Insert() of each node, in order.
  void InsertMany(std::span<const Node> nodes);

 private:
  struct Slot {
    Hash256 hash;
    uint64_t version = 0;
    uint32_t offset = 0;
    uint32_t length = 0;  // 0: empty (an encoded node is never empty)
  };
  struct Generation {
    std::vector<Slot> slots;  // a power of two, at most half full
    std::string arena;
    size_t count = 0;
    const Slot* Lookup(uint64_t version, const Hash256& hash) const;
    void Reset();
  };

  void InsertLocked(uint64_t version, const Hash256& hash, std::string_view encoded);
  bool Full(size_t incoming) const;

  std::mutex mu_;
  const size_t capacity_;
  const size_t arena_limit_;
  Generation young_, old_;
};

}  // namespace metaledger::storage
