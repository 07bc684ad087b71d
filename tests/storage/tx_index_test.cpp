// The by-hash transaction index: the in-memory table, the recent index that seals it in batches,
// and the store's use of both (sealed files, rebuild after reopen, upgrade of schema 1 stores).

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "core/codec.h"
#include "core/merkle.h"
#include "storage/keys.h"
#include "storage/ledger_store.h"
#include "storage/recent_tx_index.h"
#include "storage/tx_location_merge.h"
#include "storage/tx_location_table.h"
#include "tests/storage/test_chain.h"
#include "tests/storage/test_dir.h"

namespace metaledger::storage {
namespace {

using testing::ChainGenerator;
using testing::ChainParams;
using testing::TempDir;
using testing::TestBlock;

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

std::unique_ptr<LedgerStore> OpenWith(const std::string& path, size_t seal_entries) {
  StoreOptions options;
  options.tx_index_seal_entries = seal_entries;
  auto s = LedgerStore::Open(path, testing::TestGenesis(), testing::TestGenesisWrites(), options);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

// Reads tx_index straight from RocksDB (the store closed): the sealed height and whether the
// entry of `id` is there.
struct RawIndex {
  std::optional<uint64_t> indexed_through;
  std::set<Hash256> ids;
  uint64_t schema = 0;
};

// The families' descriptors a raw RocksDB open of a store needs (tx_index has merge operands).
std::vector<rocksdb::ColumnFamilyDescriptor> RawFamilies() {
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (auto name : keys::kCfNames) {
    rocksdb::ColumnFamilyOptions o;
    if (name == keys::kCfNames[keys::kTxIndex]) o.merge_operator = NewTxLocationMergeOperator();
    cfs.emplace_back(std::string(name), o);
  }
  return cfs;
}

// The store's database opened with RocksDB directly (the store closed), for what a test must
// read or plant below the store's API.
struct RawDb {
  explicit RawDb(const std::string& path) {
    EXPECT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, RawFamilies(), &handles, &db).ok());
  }
  ~RawDb() {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  bool ok() const { return db != nullptr; }
  rocksdb::ColumnFamilyHandle* cf(int family) const { return handles[family]; }
  rocksdb::Status PutSchema(uint64_t version) {
    return db->Put(rocksdb::WriteOptions(), cf(keys::kMeta), keys::kSchemaVersion,
                   EncodeU64ForTest(version));
  }
  static std::string EncodeU64ForTest(uint64_t v) {
    Writer w;
    w.U64(v);
    return std::string(w.bytes().begin(), w.bytes().end());
  }

  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
};

RawIndex ReadRawIndex(const std::string& path) {
  RawIndex out;
  rocksdb::DB* raw = nullptr;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = RawFamilies();
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  EXPECT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, cfs, &handles, &raw).ok());
  if (!raw) return out;
  std::string v;
  if (raw->Get(rocksdb::ReadOptions(), handles[keys::kTxIndex], keys::kIndexedThrough, &v).ok()) {
    Reader r(AsBytes(v));
    out.indexed_through = r.U64();
  }
  if (raw->Get(rocksdb::ReadOptions(), handles[keys::kMeta], keys::kSchemaVersion, &v).ok()) {
    Reader r(AsBytes(v));
    out.schema = r.U64();
  }
  std::unique_ptr<rocksdb::Iterator> it(
      raw->NewIterator(rocksdb::ReadOptions(), handles[keys::kTxIndex]));
  for (it->Seek(std::string(1, keys::kTxPrefix)); it->Valid() && it->key()[0] == keys::kTxPrefix;
       it->Next()) {
    out.ids.insert(*Hash256::FromView(AsBytes(it->key().ToStringView().substr(1))));
  }
  it.reset();
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  return out;
}

// Every transaction of `blocks` is found where its block put it (each ran once or was refused
// once in these chains).
void ExpectEveryLocation(const LedgerStore& store, const std::vector<TestBlock>& blocks) {
  for (const TestBlock& tb : blocks) {
    for (size_t i = 0; i < tb.txs.size(); ++i) {
      auto loc = store.GetTxLocation(tb.txs[i].Hash());
      ASSERT_TRUE(loc.ok()) << "block " << tb.block.header.height << " tx " << i << ": "
                            << loc.status().ToString();
      EXPECT_EQ(*loc, (TxLocation{tb.block.header.height, static_cast<uint32_t>(i),
                                  tb.result.tx_codes[i]}));
    }
  }
}

TEST(StoreTxIndex, SealsToTheFamilyAndRebuildsTheRestOnOpen) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  ChainGenerator gen(ChainParams{.seed = 11});
  auto store = OpenWith(path, 20);  // 8 transactions a block: a seal every 3 blocks
  std::vector<TestBlock> blocks;
  auto check_all = [&](const LedgerStore& s) { ExpectEveryLocation(s, blocks); };
  for (int i = 0; i < 25; ++i) {
    auto tb = testing::CommitNext(*store, gen);
    ASSERT_TRUE(tb.ok()) << tb.status().ToString();
    blocks.push_back(std::move(*tb));
    check_all(*store);  // while seals run
  }
  store.reset();

  RawIndex raw = ReadRawIndex(path);
  ASSERT_TRUE(raw.indexed_through.has_value());
  // Seals start every 3 blocks unless the previous one is still running; the store waits for
  // a running one when it closes.
  EXPECT_GE(*raw.indexed_through, 3u);
  EXPECT_LE(*raw.indexed_through, 25u);
  EXPECT_EQ(raw.schema, LedgerStore::kSchemaVersion);
  for (const TestBlock& tb : blocks) {
    for (const Transaction& tx : tb.txs) {
      EXPECT_EQ(raw.ids.contains(tx.Hash()), tb.block.header.height <= *raw.indexed_through);
    }
  }

  store = OpenWith(path, 20);
  ASSERT_NE(store, nullptr);
  check_all(*store);
  auto snapshot_dir = dir.Sub("snapshot");
  ASSERT_TRUE(store->CreateSnapshot(snapshot_dir).ok());
  auto snapshot = LedgerStore::OpenReadOnly(snapshot_dir);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  check_all(**snapshot);
  // Continues from where it was, with a different seal size too.
  store.reset();
  store = OpenWith(path, 1);
  for (int i = 0; i < 5; ++i) {
    auto tb = testing::CommitNext(*store, gen);
    ASSERT_TRUE(tb.ok()) << tb.status().ToString();
    blocks.push_back(std::move(*tb));
  }
  check_all(*store);
  store.reset();
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    EXPECT_EQ(entry.path().filename().string().find("metaledger-txindex-"), std::string::npos)
        << "seal file left behind: " << entry.path();
  }
}

// The first refusal stays and a run replaces it, whether the earlier entry is in memory or
// already sealed into the family (a seal after every block, the store reopened between blocks).
TEST(StoreTxIndex, RepeatedTransactionRulesHoldAcrossSeals) {
  for (size_t seal_entries : {size_t{1}, size_t{1'000}}) {
    SCOPED_TRACE("seal every " + std::to_string(seal_entries));
    TempDir dir;
    const std::string path = dir.Sub("db");
    ChainGenerator gen(ChainParams{});
    auto store = OpenWith(path, seal_entries);
    TestBlock first = gen.Make(1, store->GetBlock(0)->Hash(testing::kChainId));
    const Transaction a = first.txs[0], b = first.txs[1], c = first.txs[2];
    auto commit = [&](uint64_t height, std::vector<Transaction> txs, std::vector<uint16_t> codes) {
      ASSERT_EQ(store->last_height() + 1, height);
      Status s = testing::CommitWithCodes(*store, gen, std::move(txs), std::move(codes));
      ASSERT_TRUE(s.ok()) << s.ToString();
      store.reset();
      store = OpenWith(path, seal_entries);
    };
    commit(1, {a, b}, {kBadNonce, kRan});
    commit(2, {b, a}, {kBadNonce, kRan});
    commit(3, {a, a, b}, {kBadNonce, kBadNonce, kBadNonce});
    commit(4, {c, c}, {kBadNonce, kBadNonce});
    commit(5, {c}, {kBadNonce});
    EXPECT_EQ(*store->GetTxLocation(a.Hash()), (TxLocation{2, 1, kRan}));
    EXPECT_EQ(*store->GetTxLocation(b.Hash()), (TxLocation{1, 1, kRan}));
    EXPECT_EQ(*store->GetTxLocation(c.Hash()), (TxLocation{4, 0, kBadNonce}));
    commit(6, {c}, {kRan});
    EXPECT_EQ(*store->GetTxLocation(c.Hash()), (TxLocation{6, 0, kRan}));
  }
}

// Sealed refusals are merge operands. A full compaction of the family, down to the bottom
// level where operands become plain values, keeps the same winners, and the store reads them.
TEST(StoreTxIndex, CompactionKeepsTheLocationThatTakesPrecedence) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  ChainGenerator gen(ChainParams{.seed = 9});
  auto store = OpenWith(path, 1);  // a sealed file per block
  TestBlock first = gen.Make(1, store->GetBlock(0)->Hash(testing::kChainId));
  const Transaction a = first.txs[0], b = first.txs[1], c = first.txs[2];
  std::vector<std::pair<Hash256, TxLocation>> inclusions;
  auto commit = [&](std::vector<Transaction> txs, std::vector<uint16_t> codes) {
    for (size_t i = 0; i < txs.size(); ++i) {
      inclusions.emplace_back(txs[i].Hash(), TxLocation{store->last_height() + 1,
                                                        static_cast<uint32_t>(i), codes[i]});
    }
    Status s = testing::CommitWithCodes(*store, gen, std::move(txs), std::move(codes));
    ASSERT_TRUE(s.ok()) << s.ToString();
  };
  commit({a, b}, {kBadNonce, kRan});                     // 1
  commit({a, b}, {kBadNonce, kBadNonce});                // 2: a refused again, b replayed
  commit({c, a}, {kBadNonce, kBadNonce});                // 3
  commit({c}, {kRan});                                   // 4: c runs after a refusal
  commit({c, a, b}, {kBadNonce, kBadNonce, kBadNonce});  // 5
  const TxLocation want_a{1, 0, kBadNonce}, want_b{1, 1, kRan}, want_c{4, 0, kRan};
  EXPECT_EQ(*store->GetTxLocation(a.Hash()), want_a);
  EXPECT_EQ(*store->GetTxLocation(b.Hash()), want_b);
  EXPECT_EQ(*store->GetTxLocation(c.Hash()), want_c);
  store.reset();
  {
    RawDb raw(path);
    ASSERT_TRUE(raw.ok());
    rocksdb::CompactRangeOptions all;
    all.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    ASSERT_TRUE(raw.db->CompactRange(all, raw.cf(keys::kTxIndex), nullptr, nullptr).ok());
    // A seal that would start while another runs waits for the next block, so the family holds
    // the heights up to "i" (at least block 1's): its value for an id is the winner of those.
    std::string v;
    ASSERT_TRUE(
        raw.db->Get(rocksdb::ReadOptions(), raw.cf(keys::kTxIndex), keys::kIndexedThrough, &v).ok());
    const uint64_t through = Reader(AsBytes(v)).U64();
    ASSERT_GE(through, 1u);
    for (const Hash256& id : {a.Hash(), b.Hash(), c.Hash()}) {
      std::optional<TxLocation> want;
      for (const auto& [included, loc] : inclusions) {
        if (included == id && loc.height <= through && (!want || TakesPrecedence(loc, *want))) {
          want = loc;
        }
      }
      rocksdb::Status got_status =
          raw.db->Get(rocksdb::ReadOptions(), raw.cf(keys::kTxIndex), keys::Tx(id), &v);
      ASSERT_EQ(got_status.ok(), want.has_value()) << got_status.ToString() << " through "
                                                   << through;
      if (!want) continue;
      EXPECT_EQ(DecodeTxLocation(v), want) << "through " << through;
    }
  }
  store = OpenWith(path, 1);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->GetTxLocation(a.Hash()), want_a);
  EXPECT_EQ(*store->GetTxLocation(b.Hash()), want_b);
  EXPECT_EQ(*store->GetTxLocation(c.Hash()), want_c);
  // And a later refusal still loses to what the compacted files hold.
  commit({a, b, c}, {kBadNonce, kBadNonce, kBadNonce});
  store.reset();
  store = OpenWith(path, 1);
  EXPECT_EQ(*store->GetTxLocation(a.Hash()), want_a);
  EXPECT_EQ(*store->GetTxLocation(b.Hash()), want_b);
  EXPECT_EQ(*store->GetTxLocation(c.Hash()), want_c);
}

// Schema 2 data is schema 3 data: a schema 2 store opens, keeps its sealed height and every
// location, and is marked schema 3 (so builds that cannot read merge operands refuse it).
TEST(StoreTxIndex, UpgradesASchemaTwoStore) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  ChainGenerator gen(ChainParams{.seed = 6});
  std::vector<TestBlock> blocks;
  {
    auto store = OpenWith(path, 20);  // some blocks sealed...
    for (int i = 0; i < 4; ++i) blocks.push_back(*testing::CommitNext(*store, gen));
  }
  {
    auto store = OpenWith(path, 1 << 20);  // ...and the last ones only in memory
    for (int i = 0; i < 3; ++i) blocks.push_back(*testing::CommitNext(*store, gen));
  }
  const std::optional<uint64_t> sealed = ReadRawIndex(path).indexed_through;
  ASSERT_TRUE(sealed.has_value());
  ASSERT_LT(*sealed, 7u);
  {
    RawDb raw(path);
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE(raw.PutSchema(2).ok());
  }
  EXPECT_EQ(ReadRawIndex(path).schema, 2u);
  auto store = OpenWith(path, 20);
  ASSERT_NE(store, nullptr);
  ExpectEveryLocation(*store, blocks);
  store.reset();
  RawIndex raw = ReadRawIndex(path);
  EXPECT_EQ(raw.schema, LedgerStore::kSchemaVersion);
  EXPECT_EQ(LedgerStore::kSchemaVersion, 3u);
  EXPECT_GE(raw.indexed_through, sealed);  // kept (and maybe advanced), never reset
}

// Schema 1 wrote every location with its block and had no sealed height. Such a store opens,
// every lookup works, and it is marked with the current schema (so older builds refuse it from
// then on).
TEST(StoreTxIndex, UpgradesASchemaOneStore) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  ChainGenerator gen(ChainParams{.seed = 5});
  std::vector<TestBlock> blocks;
  {
    auto store = OpenWith(path, 1 << 20);  // nothing sealed: the family holds no locations
    for (int i = 0; i < 4; ++i) blocks.push_back(*testing::CommitNext(*store, gen));
  }
  {
    // Make it look like schema 1: every location in the family, no sealed height.
    RawDb raw(path);
    ASSERT_TRUE(raw.ok());
    for (const TestBlock& tb : blocks) {
      for (size_t i = 0; i < tb.txs.size(); ++i) {
        const TxLocation loc{tb.block.header.height, static_cast<uint32_t>(i),
                             tb.result.tx_codes[i]};
        ASSERT_TRUE(raw.db->Put(rocksdb::WriteOptions(), raw.cf(keys::kTxIndex),
                                keys::Tx(tb.txs[i].Hash()), EncodeTxLocation(loc))
                        .ok());
      }
    }
    ASSERT_TRUE(
        raw.db->Delete(rocksdb::WriteOptions(), raw.cf(keys::kTxIndex), keys::kIndexedThrough)
            .ok());
    ASSERT_TRUE(raw.PutSchema(1).ok());
  }
  // Read-only: no upgrade written, still every location.
  {
    auto ro = LedgerStore::OpenReadOnly(path);
    ASSERT_TRUE(ro.ok()) << ro.status().ToString();
    EXPECT_TRUE((*ro)->GetTxLocation(blocks[2].txs[3].Hash()).ok());
  }
  EXPECT_EQ(ReadRawIndex(path).schema, 1u);
  auto store = OpenWith(path, 1 << 20);
  ASSERT_NE(store, nullptr);
  ExpectEveryLocation(*store, blocks);
  store.reset();
  RawIndex raw = ReadRawIndex(path);
  EXPECT_EQ(raw.schema, LedgerStore::kSchemaVersion);
  EXPECT_EQ(raw.indexed_through, std::optional<uint64_t>(4));
}

}  // namespace
}  // namespace metaledger::storage
