#pragma once
// TxLocationTable: an in-memory map from transaction id to TxLocation.
//
// Open addressing with linear probing in one flat array: no allocation per entry, one cache
// miss per lookup. Slots are placed by the id mixed with a per-table random key, so ids ground
// to collide (transaction ids are chosen by whoever submits) cannot be aimed at one probe run.
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

  // Adds or replaces the location of `id`.
  void Put(const Hash256& id, const TxLocation& location);
  const TxLocation* Find(const Hash256& id) const;
  size_t size() const { return size_; }

  // All entries in ascending id order.
  std::vector<std::pair<Hash256, TxLocation>> Sorted() const;

 private:
  struct Slot {
    Hash256 id;
    TxLocation location;
    bool used = false;
  };
  size_t SlotOf(const Hash256& id) const;
  void Grow();

  uint64_t seed_;
  std::vector<Slot> slots_;  // size is a power of two, at most half full
  size_t size_ = 0;
};

}  // namespace metaledger::storage
