// The by-hash transaction index's parts: the precedence rule, the in-memory table, and the
// recent index that seals it in batches (the store's use of them: store_tx_index_test.cpp).

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <random>

#include "storage/recent_tx_index.h"
#include "storage/tx_location_merge.h"
#include "storage/tx_location_table.h"

namespace metaledger::storage {
namespace {

Hash256 RandomId(std::mt19937_64& rng) {
  Hash256 id;
  for (auto& b : id.bytes) b = static_cast<uint8_t>(rng());
  return id;
}

constexpr uint16_t kRan = 0, kBadNonce = 3;

// The rule itself, on literal cases: a run beats any refusal, then the earlier location wins.
TEST(TxLocationPrecedence, ARunBeatsRefusalsAndThenTheEarliestWins) {
  const TxLocation early_refusal{5, 2, kBadNonce}, late_refusal{9, 0, kBadNonce},
      same_block_later{5, 3, kBadNonce}, run{12, 7, kRan};
  EXPECT_TRUE(TakesPrecedence(run, early_refusal));
  EXPECT_FALSE(TakesPrecedence(early_refusal, run));
  EXPECT_TRUE(TakesPrecedence(early_refusal, late_refusal));
  EXPECT_FALSE(TakesPrecedence(late_refusal, early_refusal));
  EXPECT_TRUE(TakesPrecedence(early_refusal, same_block_later));
  EXPECT_FALSE(TakesPrecedence(same_block_later, early_refusal));
  EXPECT_FALSE(TakesPrecedence(run, run));
  EXPECT_TRUE(RanItsTransaction(run));
  EXPECT_FALSE(RanItsTransaction(early_refusal));
  // A transaction refused after its nonce was consumed (here: insufficient funds) ran.
  EXPECT_TRUE(RanItsTransaction(TxLocation{1, 0, 4}));
}

// Keeps, per id, the location a map keeps under the same rule, through many growths.
TEST(TxLocationTable, KeepsThePrecedingLocationThroughGrowth) {
  std::mt19937_64 rng(7);
  TxLocationTable table;  // starts small: grows many times
  std::map<Hash256, TxLocation> model;
  std::vector<Hash256> ids;
  for (uint32_t i = 0; i < 20'000; ++i) {
    // Every fifth add repeats an earlier id, mostly as a refusal, once in a while as a run.
    Hash256 id = (i % 5 == 4) ? ids[rng() % ids.size()] : RandomId(rng);
    if (i % 5 != 4) ids.push_back(id);
    const uint16_t code = rng() % 4 == 0 ? kRan : kBadNonce;
    TxLocation loc{20'000 - i, i * 3, code};  // heights go down: a later add can be earlier
    table.Add(id, loc);
    auto [it, fresh] = model.emplace(id, loc);
    if (!fresh && TakesPrecedence(loc, it->second)) it->second = loc;
  }
  EXPECT_EQ(table.size(), model.size());
  for (const auto& [id, loc] : model) {
    const TxLocation* found = table.Find(id);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, loc);
  }
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(table.Find(RandomId(rng)), nullptr);
  auto sorted = table.Sorted();
  ASSERT_EQ(sorted.size(), model.size());
  size_t i = 0;
  for (const auto& [id, loc] : model) {
    EXPECT_EQ(sorted[i].first, id);
    EXPECT_EQ(sorted[i].second, loc);
    ++i;
  }
}

TEST(TxLocationTable, SortsIdsThatShareALongPrefixByTheirWholeValue) {
  // Sorted() orders by the first 8 bytes first; ids equal there must still come out in full
  // byte order (ids are submitted by clients, so such ids can be ground).
  std::mt19937_64 rng(7);
  TxLocationTable table(64);
  std::map<Hash256, TxLocation> model;
  for (uint32_t i = 0; i < 300; ++i) {
    Hash256 id = RandomId(rng);
    std::memset(id.bytes.data(), i % 3 == 0 ? 0xAB : 0x01, 8);  // three runs of equal prefixes...
    if (i % 2) std::memset(id.bytes.data() + 8, 0x55, 16);       // ...some equal up to byte 24
    if (i % 5 == 0) id.bytes[0] = 0xFF;                  // and one other prefix
    TxLocation loc{i, i, 0};
    table.Add(id, loc);
    model[id] = loc;
  }
  auto sorted = table.Sorted();
  ASSERT_EQ(sorted.size(), model.size());
  size_t i = 0;
  for (const auto& [id, loc] : model) {
    EXPECT_EQ(sorted[i].first, id) << i;
    EXPECT_EQ(sorted[i].second, loc) << i;
    ++i;
  }
}

// A seal function that records what it was given, and can be told to fail.
struct RecordingSeal {
  struct Call {
    std::vector<TxIndexEntry> sorted;
    uint64_t through;
  };
  std::mutex mu;
  std::vector<Call> calls;
  bool fail = false;

  RecentTxIndex::SealFn Fn() {
    return [this](const std::vector<TxIndexEntry>& sorted, uint64_t through) {
      std::lock_guard lock(mu);
      if (fail) return Status::IOError("disk on fire");
      calls.push_back({sorted, through});
      return Status::Ok();
    };
  }
};

TEST(RecentTxIndex, SealsInOrderAndKeepsEntriesFindableUntilSealed) {
  RecordingSeal seal;
  RecentTxIndex recent(4, seal.Fn());
  std::mt19937_64 rng(3);
  std::map<Hash256, TxLocation> all;
  for (uint64_t h = 1; h <= 12; ++h) {
    std::vector<TxIndexEntry> block;
    for (uint32_t i = 0; i < 3; ++i) block.emplace_back(RandomId(rng), TxLocation{h, i, 0});
    recent.Add(h, block);
    recent.WaitIdle();
    for (const auto& [id, loc] : block) all[id] = loc;
  }
  ASSERT_TRUE(recent.status().ok());
  // Every entry is either still here or was handed to exactly one seal, sorted.
  std::map<Hash256, TxLocation> sealed;
  uint64_t previous_through = 0;
  for (const auto& call : seal.calls) {
    EXPECT_GT(call.through, previous_through);
    previous_through = call.through;
    EXPECT_TRUE(std::is_sorted(call.sorted.begin(), call.sorted.end(),
                               [](const auto& a, const auto& b) { return a.first < b.first; }));
    for (const auto& [id, loc] : call.sorted) {
      EXPECT_TRUE(sealed.emplace(id, loc).second);
      EXPECT_LE(loc.height, call.through);
    }
  }
  EXPECT_GE(seal.calls.size(), 4u);
  for (const auto& [id, loc] : all) {
    auto found = recent.Find(id);
    if (sealed.contains(id)) {
      EXPECT_FALSE(found.has_value());
      EXPECT_EQ(sealed[id], loc);
    } else {
      ASSERT_TRUE(found.has_value());
      EXPECT_GT(loc.height, previous_through);
      EXPECT_EQ(*found, loc);
    }
  }
}

TEST(RecentTxIndex, AFailedSealIsStickyAndLosesNothing) {
  RecordingSeal seal;
  seal.fail = true;
  RecentTxIndex recent(2, seal.Fn());
  std::mt19937_64 rng(5);
  std::vector<TxIndexEntry> added;
  for (uint64_t h = 1; h <= 5; ++h) {
    std::vector<TxIndexEntry> block{{RandomId(rng), TxLocation{h, 0, 0}},
                                    {RandomId(rng), TxLocation{h, 1, 0}}};
    recent.Add(h, block);
    recent.WaitIdle();
    added.insert(added.end(), block.begin(), block.end());
  }
  EXPECT_EQ(recent.status().code(), StatusCode::kIOError);
  EXPECT_NE(recent.status().message().find("disk on fire"), std::string::npos);
  for (const auto& [id, loc] : added) EXPECT_EQ(recent.Find(id), loc);
}

// Of several locations of an id, in one table or across the filling and the sealing one, Find
// returns the one that takes precedence, whatever the order they were added in.
TEST(RecentTxIndex, FindsTheLocationThatTakesPrecedenceAcrossGenerations) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  size_t seals_started = 0;
  RecentTxIndex recent(2, [&](const std::vector<TxIndexEntry>&, uint64_t) {
    std::unique_lock lock(mu);
    ++seals_started;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    return Status::Ok();
  });
  const Hash256 refused_then_run = Sha256("a"), run_then_refused = Sha256("b"),
                refused_twice = Sha256("c");
  // Height 1 fills the first table (2 entries) and starts its seal, which then waits.
  std::vector<TxIndexEntry> h1{{refused_then_run, TxLocation{1, 0, kBadNonce}},
                               {run_then_refused, TxLocation{1, 1, kRan}},
                               {refused_twice, TxLocation{1, 2, kBadNonce}}};
  recent.Add(1, h1);
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return seals_started == 1; });
  }
  std::vector<TxIndexEntry> h2{{refused_then_run, TxLocation{2, 0, kRan}},
                               {run_then_refused, TxLocation{2, 1, kBadNonce}},
                               {refused_twice, TxLocation{2, 2, kBadNonce}},
                               {refused_twice, TxLocation{2, 3, kBadNonce}}};
  recent.Add(2, h2);  // into the filling table, while the first one is still being sealed
  EXPECT_EQ(recent.Find(refused_then_run), (TxLocation{2, 0, kRan}));
  EXPECT_EQ(recent.Find(run_then_refused), (TxLocation{1, 1, kRan}));
  EXPECT_EQ(recent.Find(refused_twice), (TxLocation{1, 2, kBadNonce}));
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  recent.WaitIdle();
  // The sealed generation is gone; the filling one keeps its own winners.
  EXPECT_EQ(recent.Find(run_then_refused), (TxLocation{2, 1, kBadNonce}));
  EXPECT_EQ(recent.Find(refused_twice), (TxLocation{2, 2, kBadNonce}));
}

}  // namespace
}  // namespace metaledger::storage
