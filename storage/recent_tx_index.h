#pragma once
// RecentTxIndex: the locations of transactions in committed blocks that are not yet in the
// tx_index column family.
//
// Writing one random-keyed tx_index entry per transaction into the memtable with each block was
// the costliest part of a commit (a cache-missing skip-list insert plus its write-ahead log
// bytes, then flushes). Instead, committed locations gather here, and every `seal_entries` of
// them are handed, sorted, to a seal function (the store writes them as one table file and
// ingests it) on a background thread. Each sealed file also records the height it covers, so
// after a crash the store rebuilds the rest from its blocks: the blocks stay the only thing a
// commit must make durable.
//
// Promises:
//  * Find() sees every location added, from the moment Add() returns, until the seal that
//    covers it has succeeded (the sealed data is then in the database). Of several locations
//    of one id, also across generations, it returns the one that takes precedence
//    (storage/tx_location_merge.h); a sealed file holds the same winner for its entries.
//  * The first seal starts after a random number of entries between half and all of
//    `seal_entries`, each later one after `seal_entries`: validators then do not all seal at
//    once. Seals run one at a time, in commit order. A failed seal keeps its entries here and
//    is reported by status() from then on.
// Thread-safe: Add() from one thread, Find() and status() from any.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "core/status.h"
#include "storage/tx_location_table.h"

namespace metaledger::storage {

using TxIndexEntry = std::pair<Hash256, TxLocation>;

class RecentTxIndex {
 public:
  // Writes `sorted` (ascending ids) durably, covering every block up to `through`.
  using SealFn = std::function<Status(const std::vector<TxIndexEntry>& sorted, uint64_t through)>;

  // `seal` empty: never seal (a read-only store keeps everything in memory).
  RecentTxIndex(size_t seal_entries, SealFn seal);
  ~RecentTxIndex();  // waits for a seal in progress
  RecentTxIndex(const RecentTxIndex&) = delete;
  RecentTxIndex& operator=(const RecentTxIndex&) = delete;

  std::optional<TxLocation> Find(const Hash256& id) const;
  // Records committed block `height`'s locations, in block order.
  void Add(uint64_t height, std::span<const TxIndexEntry> entries);
  // OK, or the error of a failed seal (sticky).
  Status status() const;
  // Blocks until no seal is running.
  void WaitIdle();

 private:
  void Seal(uint64_t through);

  const size_t seal_entries_;
  size_t first_seal_at_ = 0;  // until the first seal: a random threshold in [1/2, 1] of seal_entries_
  const SealFn seal_;
  mutable std::mutex mu_;
  std::condition_variable idle_;
  std::unique_ptr<TxLocationTable> filling_;
  std::unique_ptr<const TxLocationTable> sealing_;  // immutable while a seal runs
  bool seal_running_ = false;
  Status failed_;
  std::thread sealer_;
};

}  // namespace metaledger::storage
