#include "storage/node_cache.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace metaledger::storage {
namespace {

// Node hashes are SHA-256 outputs: any 8 of their bytes are already uniformly distributed.
size_t SlotHash(uint64_t version, const Hash256& hash) {
  uint64_t h;
  std::memcpy(&h, hash.data(), sizeof h);
  return static_cast<size_t>(h ^ (version * 0x9E3779B97F4A7C15ull));
}

}  // namespace

NodeCache::NodeCache(size_t entries)
    : capacity_(std::max<size_t>(entries, 16)),
      // ~100 bytes per encoded internal node; leaves with large values rotate early instead of
      // letting a generation grow without bound.
      arena_limit_(capacity_ * 256) {
  const size_t slots = std::bit_ceil(capacity_ * 2);
  young_.slots.resize(slots);
  old_.slots.resize(slots);
}

const NodeCache::Slot* NodeCache::Generation::Lookup(uint64_t version, const Hash256& hash) const {
  const size_t mask = slots.size() - 1;
  for (size_t i = SlotHash(version, hash) & mask;; i = (i + 1) & mask) {
    const Slot& s = slots[i];
    if (s.length == 0) return nullptr;
    if (s.version == version && s.hash == hash) return &s;
  }
}

void NodeCache::Generation::Reset() {
  std::fill(slots.begin(), slots.end(), Slot{});
  arena.clear();
  count = 0;
}

bool NodeCache::Find(uint64_t version, const Hash256& hash, std::string* out) {
  std::lock_guard lock(mu_);
  if (const Slot* s = young_.Lookup(version, hash)) {
    out->assign(young_.arena, s->offset, s->length);
    return true;
  }
  const Slot* s = old_.Lookup(version, hash);
  if (!s) return false;
  out->assign(old_.arena, s->offset, s->length);
  InsertLocked(version, hash, *out);  // may reset old_, so copy first
  return true;
}

void NodeCache::Insert(uint64_t version, const Hash256& hash, std::string_view encoded) {
  std::lock_guard lock(mu_);
  InsertLocked(version, hash, encoded);
}

void NodeCache::InsertMany(std::span<const Node> nodes) {
  // A block's new nodes land in random slots of a table far larger than the caches, so each
  // insert waited for one memory load (NodeCache::InsertLocked was ~3.5 % of a node's CPU in the
  // real-mode benchmark). Fetching each slot a few inserts ahead overlaps those loads. A
  // prefetch into a generation that a later insert retires is merely wasted.
  constexpr size_t kAhead = 8;
  std::lock_guard lock(mu_);
  const size_t mask = young_.slots.size() - 1;  // both generations have the same size
  auto prefetch = [&](const Node& n) {
    __builtin_prefetch(&young_.slots[SlotHash(n.version, n.hash) & mask], /*rw=*/1);
  };
  for (size_t i = 0; i < std::min(kAhead, nodes.size()); ++i) prefetch(nodes[i]);
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (i + kAhead < nodes.size()) prefetch(nodes[i + kAhead]);
    InsertLocked(nodes[i].version, nodes[i].hash, nodes[i].encoded);
  }
}

bool NodeCache::Full(size_t incoming) const {
  return young_.count >= capacity_ || young_.arena.size() + incoming > arena_limit_;
}

void NodeCache::InsertLocked(uint64_t version, const Hash256& hash, std::string_view encoded) {
  if (encoded.empty() || encoded.size() > kMaxCachedNode) return;
  if (Full(encoded.size())) {
    std::swap(young_, old_);
    young_.Reset();
  }
  const size_t mask = young_.slots.size() - 1;
  size_t i = SlotHash(version, hash) & mask;
  for (; young_.slots[i].length != 0; i = (i + 1) & mask) {
    const Slot& s = young_.slots[i];
    if (s.version == version && s.hash == hash) return;  // immutable: already right
  }
  Slot& slot = young_.slots[i];
  slot.hash = hash;
  slot.version = version;
  slot.offset = static_cast<uint32_t>(young_.arena.size());
  slot.length = static_cast<uint32_t>(encoded.size());
  young_.arena.append(encoded);
  ++young_.count;
}

}  // namespace metaledger::storage
