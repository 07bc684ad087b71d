// The store's by-hash and by-account transaction indexes: sealed files, rebuild after reopen,
// compaction, and the upgrades of older schemas.

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/codec.h"
#include "storage/keys.h"
#include "storage/ledger_store.h"
#include "storage/tx_location_merge.h"
#include "tests/storage/test_chain.h"
#include "tests/storage/test_dir.h"

namespace metaledger::storage {
namespace {

using testing::ChainGenerator;
using testing::ChainParams;
using testing::TempDir;
using testing::TestBlock;

constexpr uint16_t kRan = 0, kBadNonce = 3;

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
  size_t account_entries = 0;  // 'a' keys in tx_index (none since schema 4)
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
  for (it->Seek(std::string(1, keys::kAccountPrefix));
       it->Valid() && it->key()[0] == keys::kAccountPrefix; it->Next()) {
    ++out.account_entries;
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
      inclusions.emplace_back(
          txs[i].Hash(), TxLocation{store->last_height() + 1, static_cast<uint32_t>(i), codes[i]});
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
        raw.db->Get(rocksdb::ReadOptions(), raw.cf(keys::kTxIndex), keys::kIndexedThrough, &v)
            .ok());
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
      ASSERT_EQ(got_status.ok(), want.has_value())
          << got_status.ToString() << " through " << through;
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

// Every sender's whole history, newest first, keyed by address.
std::map<std::string, std::vector<AccountTx>> Histories(const LedgerStore& store,
                                                        const std::vector<TestBlock>& blocks) {
  std::map<std::string, std::vector<AccountTx>> out;
  for (const TestBlock& tb : blocks) {
    for (const Transaction& tx : tb.txs) {
      const Address sender = AddressOf(tx.sender);
      auto& history = out[sender.Hex()];
      if (!history.empty()) continue;
      std::optional<std::string> cursor;
      do {
        auto page = store.GetAccountTxs(sender, 7, cursor);
        EXPECT_TRUE(page.ok()) << page.status().ToString();
        if (!page.ok()) return out;
        history.insert(history.end(), page->items.begin(), page->items.end());
        cursor = page->next_cursor;
      } while (cursor);
    }
  }
  return out;
}

size_t EntryCount(const std::map<std::string, std::vector<AccountTx>>& histories) {
  size_t n = 0;
  for (const auto& [address, history] : histories) n += history.size();
  return n;
}

// Commits `n` blocks of `gen` to the store at `path` (sealing every `seal_entries`), then reads
// every sender's history, at least one entry per block.
void CommitThenRead(const std::string& path, size_t seal_entries, int n, ChainGenerator& gen,
                    std::vector<TestBlock>& blocks,
                    std::map<std::string, std::vector<AccountTx>>& histories) {
  auto store = OpenWith(path, seal_entries);
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < n; ++i) blocks.push_back(*testing::CommitNext(*store, gen));
  histories = Histories(*store, blocks);
  ASSERT_GT(EntryCount(histories), static_cast<size_t>(n));
}

// tx_index compacts tiered, which is safe only if it receives nothing but ingested seal files
// (ledger_store.cpp): after many blocks, each sealed on its own, every table file of the family
// holds one sequence number and its memtable (replayed from the write-ahead log) is empty,
// while the account entries are in account_txs.
TEST(StoreTxIndex, TheIndexFamilyReceivesOnlySealedFiles) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  ChainGenerator gen(ChainParams{.seed = 17});
  std::vector<TestBlock> blocks;
  std::map<std::string, std::vector<AccountTx>> histories;
  ASSERT_NO_FATAL_FAILURE(CommitThenRead(path, 1, 20, gen, blocks, histories));
  rocksdb::DB* raw = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  ASSERT_TRUE(
      rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, RawFamilies(), &handles, &raw).ok());
  std::vector<rocksdb::LiveFileMetaData> files;
  raw->GetLiveFilesMetaData(&files);
  size_t index_files = 0;
  for (const auto& f : files) {
    if (f.column_family_name != keys::kCfNames[keys::kTxIndex]) continue;
    ++index_files;
    EXPECT_EQ(f.smallest_seqno, f.largest_seqno) << f.name << " holds more than one write";
  }
  EXPECT_GE(index_files, 3u);  // genesis and seals (one at a time: blocks may share one)
  uint64_t unflushed = 1;
  EXPECT_TRUE(raw->GetIntProperty(handles[keys::kTxIndex], "rocksdb.num-entries-active-mem-table",
                                  &unflushed));
  EXPECT_EQ(unflushed, 0u);
  uint64_t account_entries = 0;
  EXPECT_TRUE(raw->GetIntProperty(handles[keys::kAccountTxs], "rocksdb.estimate-num-keys",
                                  &account_entries));
  EXPECT_EQ(account_entries, EntryCount(histories));
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  EXPECT_EQ(ReadRawIndex(path).account_entries, 0u);
}

// Rewrites the store at `path`, holding `entries` account entries, to the schema 3 layout:
// account entries in tx_index and no account_txs family; `interrupted`: the family is there
// with every other entry, as a crash during the copy of an upgrade leaves it.
void MakeSchemaThree(const std::string& path, size_t entries, bool interrupted) {
  RawDb raw(path);
  ASSERT_TRUE(raw.ok());
  std::unique_ptr<rocksdb::Iterator> it(
      raw.db->NewIterator(rocksdb::ReadOptions(), raw.cf(keys::kAccountTxs)));
  size_t moved = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++moved) {
    ASSERT_TRUE(
        raw.db->Put(rocksdb::WriteOptions(), raw.cf(keys::kTxIndex), it->key(), it->value()).ok());
    if (interrupted && moved % 2 == 0) {
      ASSERT_TRUE(
          raw.db->Delete(rocksdb::WriteOptions(), raw.cf(keys::kAccountTxs), it->key()).ok());
    }
  }
  it.reset();
  ASSERT_EQ(moved, entries);
  if (!interrupted) {
    ASSERT_TRUE(raw.db->DropColumnFamily(raw.cf(keys::kAccountTxs)).ok());
  }
  ASSERT_TRUE(raw.PutSchema(3).ok());
}

// Schema 3 kept account entries in tx_index. Such a store reads as before read-only (no upgrade
// written); opened for writing it moves them into account_txs, drops them from tx_index, and is
// marked with the current schema; histories are the same, and new blocks add to them.
// `interrupted`: an upgrade was cut short during its copy, leaving the old schema and a partial
// account_txs, which a read-only open must not read and the next writable open redoes.
void CheckSchemaThreeUpgrade(bool interrupted, uint64_t seed) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  ChainGenerator gen(ChainParams{.seed = seed});
  std::vector<TestBlock> blocks;
  std::map<std::string, std::vector<AccountTx>> before;
  ASSERT_NO_FATAL_FAILURE(CommitThenRead(path, 20, 6, gen, blocks, before));
  ASSERT_NO_FATAL_FAILURE(MakeSchemaThree(path, EntryCount(before), interrupted));
  {
    auto ro = LedgerStore::OpenReadOnly(path);
    ASSERT_TRUE(ro.ok()) << ro.status().ToString();
    EXPECT_EQ(Histories(**ro, blocks), before);
  }
  auto store = OpenWith(path, 20);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Histories(*store, blocks), before);
  ExpectEveryLocation(*store, blocks);
  for (int i = 0; i < 3; ++i) blocks.push_back(*testing::CommitNext(*store, gen));
  const auto after = Histories(*store, blocks);
  EXPECT_GT(EntryCount(after), EntryCount(before));
  for (const auto& [address, history] : before) {
    const auto& now = after.at(address);
    ASSERT_GE(now.size(), history.size());
    // Newest first: the old history is the tail of the new one.
    EXPECT_TRUE(std::equal(history.begin(), history.end(), now.end() - history.size()));
  }
  store.reset();
  RawIndex raw = ReadRawIndex(path);
  EXPECT_EQ(raw.schema, LedgerStore::kSchemaVersion);
  EXPECT_EQ(raw.account_entries, 0u);
  store = OpenWith(path, 20);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Histories(*store, blocks), after);
  ExpectEveryLocation(*store, blocks);
}

TEST(StoreTxIndex, UpgradesASchemaThreeStore) { CheckSchemaThreeUpgrade(false, 18); }

TEST(StoreTxIndex, AnUpgradeInterruptedDuringItsCopyIsDoneAgain) {
  CheckSchemaThreeUpgrade(true, 19);
}

// In an existing store a missing family is damage: the store is refused, also on the next
// try, instead of opening with the family made empty (a schema 4 store without account_txs
// would have lost every account history; without certs, every certificate).
TEST(StoreTxIndex, AMissingFamilyIsRefusedNotMadeEmpty) {
  for (int family : {int{keys::kAccountTxs}, int{keys::kCerts}}) {
    SCOPED_TRACE(keys::kCfNames[family]);
    TempDir dir;
    const std::string path = dir.Sub("db");
    ChainGenerator gen(ChainParams{.seed = 20});
    std::vector<TestBlock> blocks;
    std::map<std::string, std::vector<AccountTx>> histories;
    ASSERT_NO_FATAL_FAILURE(CommitThenRead(path, 20, 3, gen, blocks, histories));
    {
      RawDb raw(path);
      ASSERT_TRUE(raw.ok());
      ASSERT_TRUE(raw.db->DropColumnFamily(raw.cf(family)).ok());
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto store = LedgerStore::Open(path, testing::TestGenesis(), testing::TestGenesisWrites());
      ASSERT_FALSE(store.ok());
      EXPECT_NE(store.status().message().find(keys::kCfNames[family]), std::string::npos)
          << store.status().ToString();
    }
    auto ro = LedgerStore::OpenReadOnly(path);
    ASSERT_FALSE(ro.ok());
    EXPECT_NE(ro.status().message().find(keys::kCfNames[family]), std::string::npos)
        << ro.status().ToString();
  }
}

// Schema 2 data is schema 3 data: a schema 2 store opens, keeps its sealed height and every
// location, and is marked with the current schema (so builds that cannot read merge operands
// refuse it).
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
        ASSERT_TRUE(raw.db
                        ->Put(rocksdb::WriteOptions(), raw.cf(keys::kTxIndex),
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
