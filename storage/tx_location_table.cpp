#include "storage/tx_location_table.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <random>

#include "storage/tx_location_merge.h"

namespace metaledger::storage {

TxLocationTable::TxLocationTable(size_t expected_entries)
    : seed_((uint64_t{std::random_device{}()} << 32) | std::random_device{}()) {
  const size_t n = std::bit_ceil(std::max<size_t>(16, 2 * expected_entries));
  tags_.assign(n, 0);
  slots_.resize(n);
}

std::pair<size_t, uint16_t> TxLocationTable::Place(const Hash256& id) const {
  uint64_t a, b;
  std::memcpy(&a, id.data(), 8);
  std::memcpy(&b, id.data() + 8, 8);
  // Two rounds of a multiply-xorshift mix keyed by the seed: the slot depends on all 128 bits
  // read and on the seed, which callers never see.
  uint64_t x = (a ^ seed_) * 0x9E3779B97F4A7C15ULL;
  x ^= (x >> 29) ^ b;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 32;
  return {static_cast<size_t>(x) & (tags_.size() - 1), static_cast<uint16_t>((x >> 48) | 1)};
}

void TxLocationTable::Add(const Hash256& id, const TxLocation& location) {
  if (4 * (size_ + 1) > 3 * tags_.size()) Grow();
  const size_t mask = tags_.size() - 1;
  auto [i, tag] = Place(id);
  for (;; i = (i + 1) & mask) {
    if (tags_[i] == 0) {
      tags_[i] = tag;
      slots_[i] = Slot{id, location};
      ++size_;
      return;
    }
    if (tags_[i] == tag && slots_[i].id == id) {
      if (TakesPrecedence(location, slots_[i].location)) slots_[i].location = location;
      return;
    }
  }
}

const TxLocation* TxLocationTable::Find(const Hash256& id) const {
  const size_t mask = tags_.size() - 1;
  auto [i, tag] = Place(id);
  for (;; i = (i + 1) & mask) {
    if (tags_[i] == 0) return nullptr;
    if (tags_[i] == tag && slots_[i].id == id) return &slots_[i].location;
  }
}

void TxLocationTable::Grow() {
  std::vector<uint16_t> old_tags = std::move(tags_);
  std::vector<Slot> old_slots = std::move(slots_);
  tags_.assign(old_tags.size() * 2, 0);
  slots_.resize(old_tags.size() * 2);
  size_ = 0;
  for (size_t i = 0; i < old_tags.size(); ++i) {
    if (old_tags[i] != 0) Add(old_slots[i].id, old_slots[i].location);
  }
}

std::vector<std::pair<Hash256, TxLocation>> TxLocationTable::Sorted() const {
  // Sorted by (first 8 bytes as a big-endian integer, slot) and only then materialized: ids are
  // hashes, so the prefix almost always decides, and moving 16-byte keys instead of 48-byte
  // entries compared with memcmp made a seal's sort ~4x faster (it ran 75 ms per 131 072
  // entries on a loaded node, beside consensus).
  struct Key {
    uint64_t prefix;
    uint32_t slot;
  };
  std::vector<Key> keys;
  keys.reserve(size_);
  for (size_t i = 0; i < tags_.size(); ++i) {
    if (tags_[i] == 0) continue;
    uint64_t be;
    std::memcpy(&be, slots_[i].id.data(), 8);
    if constexpr (std::endian::native == std::endian::little) be = __builtin_bswap64(be);
    keys.push_back({be, static_cast<uint32_t>(i)});
  }
  std::sort(keys.begin(), keys.end(), [this](const Key& x, const Key& y) {
    if (x.prefix != y.prefix) return x.prefix < y.prefix;
    return std::memcmp(slots_[x.slot].id.data() + 8, slots_[y.slot].id.data() + 8, 24) < 0;
  });
  std::vector<std::pair<Hash256, TxLocation>> out;
  out.reserve(keys.size());
  for (const Key& k : keys) out.emplace_back(slots_[k.slot].id, slots_[k.slot].location);
  return out;
}

}  // namespace metaledger::storage
