#include "storage/tx_location_table.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <random>

namespace metaledger::storage {

TxLocationTable::TxLocationTable(size_t expected_entries)
    : seed_((uint64_t{std::random_device{}()} << 32) | std::random_device{}()) {
  slots_.resize(std::bit_ceil(std::max<size_t>(16, 2 * expected_entries)));
}

size_t TxLocationTable::SlotOf(const Hash256& id) const {
  uint64_t a, b;
  std::memcpy(&a, id.data(), 8);
  std::memcpy(&b, id.data() + 8, 8);
  // Two rounds of a multiply-xorshift mix keyed by the seed: the slot depends on all 128 bits
  // read and on the seed, which callers never see.
  uint64_t x = (a ^ seed_) * 0x9E3779B97F4A7C15ULL;
  x ^= (x >> 29) ^ b;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 32;
  return static_cast<size_t>(x) & (slots_.size() - 1);
}

void TxLocationTable::Put(const Hash256& id, const TxLocation& location) {
  if (2 * (size_ + 1) > slots_.size()) Grow();
  for (size_t i = SlotOf(id);; i = (i + 1) & (slots_.size() - 1)) {
    Slot& s = slots_[i];
    if (!s.used) {
      s = Slot{id, location, true};
      ++size_;
      return;
    }
    if (s.id == id) {
      s.location = location;
      return;
    }
  }
}

const TxLocation* TxLocationTable::Find(const Hash256& id) const {
  for (size_t i = SlotOf(id);; i = (i + 1) & (slots_.size() - 1)) {
    const Slot& s = slots_[i];
    if (!s.used) return nullptr;
    if (s.id == id) return &s.location;
  }
}

void TxLocationTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  size_ = 0;
  for (const Slot& s : old) {
    if (s.used) Put(s.id, s.location);
  }
}

std::vector<std::pair<Hash256, TxLocation>> TxLocationTable::Sorted() const {
  std::vector<std::pair<Hash256, TxLocation>> out;
  out.reserve(size_);
  for (const Slot& s : slots_) {
    if (s.used) out.emplace_back(s.id, s.location);
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::memcmp(x.first.data(), y.first.data(), 32) < 0;
  });
  return out;
}

}  // namespace metaledger::storage
