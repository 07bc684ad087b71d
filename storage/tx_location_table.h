#pragma once
// TxLocationTable: an in-memory map from transaction id to TxLocation.
//
// Open addressing with linear probing in one flat array: no allocation per entry. A parallel
// array of 16-bit tags (0 = empty) is probed first; it is 1/28 of the slots' size and mostly
// stays in cache, so probing for an id the table does not hold (every new id added, most
// lookups) usually touches no slot until the empty one. Slots are placed by the id mixed with a per-table
// random key, so ids ground to collide (transaction ids are chosen by whoever submits) cannot
// be aimed at one probe run.
// Entries are never removed; a table is dropped whole once its entries are on disk.
// Not thread-safe.

#include <cstdint>
#include <utility>
#include <vector>

#include "core/crypto/hash.h"
#include "storage/ledger_store.h"

namespace metaledger::storage {

class TxLocationTable {
 public:
  explicit TxLocationTable(size_t expected_entries = 0);

  // Adds `location` for `id`, or keeps the one held if that takes precedence
  // (storage/tx_location_merge.h): the table holds one location per id, the index's.
  void Add(const Hash256& id, const TxLocation& location);
  const TxLocation* Find(const Hash256& id) const;
  size_t size() const { return size_; }

  // All entries in ascending id order.
  std::vector<std::pair<Hash256, TxLocation>> Sorted() const;

 private:
  struct Slot {
    Hash256 id;
    TxLocation location;
  };
  // Where the probe for `id` starts, and its tag (never 0).
  std::pair<size_t, uint16_t> Place(const Hash256& id) const;
  void Grow();

  uint64_t seed_;
  // Sized for twice the expected entries and grown at 3/4 full, so a table filled to its
  // expected size plus a block or two never grows (the recent index seals at the expected size).
  std::vector<uint16_t> tags_;  // size is a power of two
  std::vector<Slot> slots_;     // same size; slots_[i] is meaningful where tags_[i] != 0
  size_t size_ = 0;
};

}  // namespace metaledger::storage
