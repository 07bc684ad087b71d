#include "storage/tx_location_table.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <random>

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

void TxLocationTable::Put(const Hash256& id, const TxLocation& location) {
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
      slots_[i].location = location;
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
    if (old_tags[i] != 0) Put(old_slots[i].id, old_slots[i].location);
  }
}

std::vector<std::pair<Hash256, TxLocation>> TxLocationTable::Sorted() const {
  std::vector<std::pair<Hash256, TxLocation>> out;
  out.reserve(size_);
  for (size_t i = 0; i < tags_.size(); ++i) {
    if (tags_[i] != 0) out.emplace_back(slots_[i].id, slots_[i].location);
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::memcmp(x.first.data(), y.first.data(), 32) < 0;
  });
  return out;
}

}  // namespace metaledger::storage
