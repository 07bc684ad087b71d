#include "storage/ledger_store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "core/merkle.h"
#include "core/payload/error_codes.h"
#include "storage/keys.h"
#include "tests/storage/test_chain.h"
#include "tests/storage/test_dir.h"

namespace metaledger::storage {
namespace {

using testing::ChainGenerator;
using testing::ChainParams;
using testing::TempDir;
using testing::TestBlock;

using Model = std::map<Bytes, Bytes, BytesLess>;

std::unique_ptr<LedgerStore> OpenOrDie(const std::string& path,
                                       const Genesis& g = testing::TestGenesis()) {
  auto s = LedgerStore::Open(path, g, testing::TestGenesisWrites());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

Model GenesisModel() {
  Model m;
  testing::ApplyWrites(m, testing::TestGenesisWrites());
  return m;
}

class LedgerStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = OpenOrDie(path_); }

  // Commits n blocks, keeping the model in step.
  std::vector<TestBlock> CommitBlocks(size_t n) {
    std::vector<TestBlock> out;
    for (size_t i = 0; i < n; ++i) {
      auto tb = testing::CommitNext(*store_, gen_);
      EXPECT_TRUE(tb.ok()) << tb.status().ToString();
      testing::ApplyWrites(model_, tb->result.writes);
      out.push_back(std::move(*tb));
    }
    return out;
  }

  TempDir dir_;
  std::string path_ = dir_.Sub("db");
  ChainGenerator gen_{ChainParams{}};
  std::unique_ptr<LedgerStore> store_;
  Model model_ = GenesisModel();
};

TEST_F(LedgerStoreTest, CreatesGenesisAtHeightZero) {
  const Genesis g = testing::TestGenesis();
  EXPECT_EQ(store_->last_height(), 0u);
  EXPECT_EQ(store_->chain_id(), g.chain_id);
  EXPECT_EQ(store_->genesis_hash(), g.Hash());
  auto block = store_->GetBlock(0);
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(*block, g.GenesisBlock());
  auto root = store_->state_root(0);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, testing::ReferenceRoot(model_));
  auto cert = store_->GetCert(0);
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ(cert->state_root, *root);
  EXPECT_EQ(cert->block_hash, g.GenesisBlock().Hash(g.chain_id));
  auto v = store_->LatestState().Get(AsBytes("g/3"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, std::optional<Bytes>(ToBytes("genesis-3")));
}

TEST_F(LedgerStoreTest, CommittedBlocksAreQueryable) {
  auto blocks = CommitBlocks(5);
  ASSERT_EQ(store_->last_height(), 5u);
  Model replay = GenesisModel();
  for (const TestBlock& tb : blocks) {
    const uint64_t h = tb.block.header.height;
    const Hash256 hash = tb.block.Hash(testing::kChainId);
    EXPECT_EQ(*store_->GetBlock(h), tb.block);
    EXPECT_EQ(*store_->GetBlockByHash(hash), tb.block);
    EXPECT_EQ(*store_->HeightOf(hash), h);
    EXPECT_EQ(*store_->GetTxs(h), tb.txs);
    auto receipts = store_->GetReceipts(h);
    ASSERT_TRUE(receipts.ok());
    EXPECT_EQ(receipts->tx_codes, tb.result.tx_codes);
    EXPECT_EQ(receipts->events, tb.result.events);
    for (size_t i = 0; i < tb.txs.size(); ++i) {
      auto loc = store_->GetTxLocation(tb.txs[i].Hash());
      ASSERT_TRUE(loc.ok());
      EXPECT_EQ(*loc, (TxLocation{h, static_cast<uint32_t>(i), tb.result.tx_codes[i]}));
    }
    testing::ApplyWrites(replay, tb.result.writes);
    auto root = store_->state_root(h);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(*root, testing::ReferenceRoot(replay));
    auto cert = store_->GetCert(h);
    ASSERT_TRUE(cert.ok());
    EXPECT_EQ(cert->state_root, *root);
    EXPECT_EQ(cert->block_hash, hash);
  }
  for (size_t k = 0; k < gen_.params().key_space; ++k) {
    Bytes key = ToBytes("k/" + std::to_string(k));
    auto v = store_->LatestState().Get(key);
    ASSERT_TRUE(v.ok());
    auto it = model_.find(key);
    EXPECT_EQ(*v, it == model_.end() ? std::nullopt : std::optional<Bytes>(it->second));
  }
  EXPECT_EQ(store_->GetBlock(6).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetTxLocation(Hash256{}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->HeightOf(Hash256{}).status().code(), StatusCode::kNotFound);
}

// The latest state is read (and cached) between commits: values read at one height must give way
// to the next block's updates and deletions, and keys read as absent must appear when written.
TEST_F(LedgerStoreTest, LatestStateFollowsEveryCommit) {
  auto check_all = [&](uint64_t h) {
    for (size_t k = 0; k < gen_.params().key_space; ++k) {
      Bytes key = ToBytes("k/" + std::to_string(k));
      auto v = store_->LatestState().Get(key);
      ASSERT_TRUE(v.ok());
      auto it = model_.find(key);
      ASSERT_EQ(*v, it == model_.end() ? std::nullopt : std::optional<Bytes>(it->second))
          << "key " << k << " after height " << h;
    }
  };
  check_all(0);
  size_t deleted = 0;
  for (uint64_t h = 1; h <= 12; ++h) {
    auto blocks = CommitBlocks(1);
    for (const auto& [key, value] : blocks[0].result.writes) deleted += !value.has_value();
    check_all(h);
  }
  auto reopened = (store_.reset(), OpenOrDie(path_));
  store_ = std::move(reopened);
  check_all(12);
  EXPECT_GT(deleted, 0u) << "the test chain should delete some keys";
}

// A transaction resent to two validators can be carried by two blocks. Its location is the
// inclusion that ran it; before that, the first refusal; a later replay never moves it.
TEST_F(LedgerStoreTest, RepeatedTransactionKeepsTheLocationThatRanIt) {
  TestBlock first = gen_.Make(1, store_->GetBlock(0)->Hash(testing::kChainId));
  const Transaction a = first.txs[0], b = first.txs[1];
  constexpr uint16_t kRan = 0, kBadNonce = 3;  // BAD_NONCE is decided before the nonce advances
  auto commit = [&](uint64_t height, std::vector<Transaction> txs, std::vector<uint16_t> codes) {
    ASSERT_EQ(store_->last_height() + 1, height);
    Status s = testing::CommitWithCodes(*store_, gen_, std::move(txs), std::move(codes));
    ASSERT_TRUE(s.ok()) << s.ToString();
  };
  commit(1, {a, b}, {kBadNonce, kRan});                     // a refused (nonce gap), b runs
  commit(2, {b, a}, {kBadNonce, kRan});                     // b replayed, a runs now
  commit(3, {a, a, b}, {kBadNonce, kBadNonce, kBadNonce});  // replays only
  EXPECT_EQ(*store_->GetTxLocation(a.Hash()), (TxLocation{2, 1, kRan}));
  EXPECT_EQ(*store_->GetTxLocation(b.Hash()), (TxLocation{1, 1, kRan}));

  // Only refused so far: the first refusal stays, also within one block.
  Transaction c = first.txs[2];
  commit(4, {c, c}, {kBadNonce, kBadNonce});
  commit(5, {c}, {kBadNonce});
  EXPECT_EQ(*store_->GetTxLocation(c.Hash()), (TxLocation{4, 0, kBadNonce}));
}

TEST_F(LedgerStoreTest, PrepareDoesNotWrite) {
  TestBlock tb = gen_.Make(1, store_->GetBlock(0)->Hash(testing::kChainId));
  auto p = store_->Prepare(tb.block, tb.txs, tb.result);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  Model after = model_;
  testing::ApplyWrites(after, tb.result.writes);
  EXPECT_EQ(p->state_root(), testing::ReferenceRoot(after));
  EXPECT_EQ(store_->last_height(), 0u);
  EXPECT_EQ(store_->GetBlock(1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetTxLocation(tb.txs[0].Hash()).status().code(), StatusCode::kNotFound);
}

// The node hands Prepare the transaction ids it already has; they must be the block's.
// A caller that matched its ids to the header already (the node) may skip the second root;
// without ids there is nothing it could have matched, so the store checks anyway.
TEST_F(LedgerStoreTest, PrepareSkipsTheTxRootOnlyForIdsTheCallerMatched) {
  using TxRoot = LedgerStore::TxRoot;
  TestBlock tb = gen_.Make(1, store_->GetBlock(0)->Hash(testing::kChainId));
  std::vector<Hash256> ids;
  for (const Transaction& tx : tb.txs) ids.push_back(tx.Hash());
  auto checked = store_->Prepare(tb.block, tb.txs, tb.result, ids, TxRoot::kCheckedByCaller);
  auto verified = store_->Prepare(tb.block, tb.txs, tb.result, ids, TxRoot::kCheck);
  ASSERT_TRUE(checked.ok()) << checked.status().ToString();
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(checked->state_root(), verified->state_root());
  EXPECT_EQ(checked->tx_root(), tb.block.header.tx_root);

  TestBlock bad = tb;
  bad.block.header.tx_root = Sha256("not the root of these transactions");
  auto no_ids = store_->Prepare(bad.block, bad.txs, bad.result, {}, TxRoot::kCheckedByCaller);
  ASSERT_FALSE(no_ids.ok());
  EXPECT_NE(no_ids.status().message().find("tx root"), std::string::npos);
  EXPECT_FALSE(store_->Prepare(bad.block, bad.txs, bad.result, ids).ok());  // kCheck by default
  ASSERT_TRUE(store_->CommitBlock(*checked, testing::CertFor(*checked)).ok());
  EXPECT_EQ(store_->last_height(), 1u);
}

TEST_F(LedgerStoreTest, PrepareUsesTheCallersTxIdsAndChecksThemAgainstTheBlock) {
  TestBlock tb = gen_.Make(1, store_->GetBlock(0)->Hash(testing::kChainId));
  std::vector<Hash256> ids;
  for (const Transaction& tx : tb.txs) ids.push_back(tx.Hash());
  std::vector<Hash256> short_ids(ids.begin(), ids.end() - 1);
  EXPECT_EQ(store_->Prepare(tb.block, tb.txs, tb.result, short_ids).status().code(),
            StatusCode::kInvalidArgument);
  std::vector<Hash256> wrong_ids = ids;
  wrong_ids[0] = Sha256("not the first transaction");
  auto wrong = store_->Prepare(tb.block, tb.txs, tb.result, wrong_ids);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("tx root"), std::string::npos)
      << wrong.status().ToString();

  auto with_ids = store_->Prepare(tb.block, tb.txs, tb.result, ids);
  auto without = store_->Prepare(tb.block, tb.txs, tb.result);
  ASSERT_TRUE(with_ids.ok()) << with_ids.status().ToString();
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(with_ids->state_root(), without->state_root());
  ASSERT_TRUE(store_->CommitBlock(*with_ids, testing::CertFor(*with_ids)).ok());
  for (size_t i = 0; i < tb.txs.size(); ++i) {
    EXPECT_EQ(*store_->GetTxLocation(tb.txs[i].Hash()),
              (TxLocation{1, static_cast<uint32_t>(i), tb.result.tx_codes[i]}));
  }
}

TEST_F(LedgerStoreTest, RefusesRepeatAndGap) {
  TestBlock tb = gen_.Make(1, store_->GetBlock(0)->Hash(testing::kChainId));
  auto p = store_->Prepare(tb.block, tb.txs, tb.result);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(store_->CommitBlock(*p, testing::CertFor(*p)).ok());
  Status repeat = store_->CommitBlock(*p, testing::CertFor(*p));
  EXPECT_EQ(repeat.code(), StatusCode::kAlreadyExists) << repeat.ToString();
  // Preparing the same height again is refused too.
  EXPECT_EQ(store_->Prepare(tb.block, tb.txs, tb.result).status().code(),
            StatusCode::kFailedPrecondition);
  // A gap: block 3 directly after 1.
  TestBlock b3 = gen_.Make(3, tb.block.Hash(testing::kChainId));
  EXPECT_EQ(store_->Prepare(b3.block, b3.txs, b3.result).status().code(),
            StatusCode::kFailedPrecondition);
  // A gap at commit: a prepared block 3 made by another store that is further along.
  TempDir other_dir;
  auto other = OpenOrDie(other_dir.Sub("db"));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(testing::CommitNext(*other, gen_).ok());
  TestBlock o3 = gen_.Make(3, other->GetBlock(2)->Hash(testing::kChainId));
  auto p3 = other->Prepare(o3.block, o3.txs, o3.result);
  ASSERT_TRUE(p3.ok());
  Status gap = store_->CommitBlock(*p3, testing::CertFor(*p3));
  EXPECT_EQ(gap.code(), StatusCode::kFailedPrecondition) << gap.ToString();
  EXPECT_EQ(store_->last_height(), 1u);
  EXPECT_EQ(store_->GetBlock(3).status().code(), StatusCode::kNotFound);
}

TEST_F(LedgerStoreTest, RefusesBlockPreparedOnOtherState) {
  // Same genesis block (so the same parent hash) but a different genesis state.
  TempDir other_dir;
  WriteSet other_writes = testing::TestGenesisWrites();
  other_writes[ToBytes("extra")] = ToBytes("x");
  auto other = LedgerStore::Open(other_dir.Sub("db"), testing::TestGenesis(), other_writes);
  ASSERT_TRUE(other.ok());
  TestBlock tb = gen_.Make(1, (*other)->GetBlock(0)->Hash(testing::kChainId));
  auto p = (*other)->Prepare(tb.block, tb.txs, tb.result);
  ASSERT_TRUE(p.ok());
  Status s = store_->CommitBlock(*p, testing::CertFor(*p));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_EQ(store_->last_height(), 0u);
}

TEST_F(LedgerStoreTest, RefusesMismatchedCertificateAndBadBlocks) {
  const Hash256 parent = store_->GetBlock(0)->Hash(testing::kChainId);
  TestBlock tb = gen_.Make(1, parent);
  auto p = store_->Prepare(tb.block, tb.txs, tb.result);
  ASSERT_TRUE(p.ok());
  CommitCert cert = testing::CertFor(*p);
  cert.state_root.bytes[0] ^= 1;
  EXPECT_EQ(store_->CommitBlock(*p, cert).code(), StatusCode::kInvalidArgument);
  cert = testing::CertFor(*p);
  cert.block_hash.bytes[5] ^= 1;
  EXPECT_EQ(store_->CommitBlock(*p, cert).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->last_height(), 0u);

  TestBlock wrong_parent = gen_.Make(1, Hash256{});
  EXPECT_EQ(
      store_->Prepare(wrong_parent.block, wrong_parent.txs, wrong_parent.result).status().code(),
      StatusCode::kFailedPrecondition);
  TestBlock missing_tx = tb;
  missing_tx.txs.pop_back();
  EXPECT_EQ(store_->Prepare(missing_tx.block, missing_tx.txs, missing_tx.result).status().code(),
            StatusCode::kInvalidArgument);
  TestBlock swapped = tb;
  std::swap(swapped.txs[0], swapped.txs[1]);
  EXPECT_EQ(store_->Prepare(swapped.block, swapped.txs, swapped.result).status().code(),
            StatusCode::kInvalidArgument);
  TestBlock short_codes = tb;
  short_codes.result.tx_codes.pop_back();
  EXPECT_EQ(store_->Prepare(short_codes.block, short_codes.txs, short_codes.result).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(LedgerStoreTest, ReopenAfterCloseKeepsEverythingAndContinues) {
  CommitBlocks(3);
  std::vector<Hash256> roots;
  for (uint64_t h = 0; h <= 3; ++h) roots.push_back(*store_->state_root(h));
  store_.reset();
  store_ = OpenOrDie(path_);
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(store_->last_height(), 3u);
  for (uint64_t h = 0; h <= 3; ++h) EXPECT_EQ(*store_->state_root(h), roots[h]);
  CommitBlocks(2);
  EXPECT_EQ(store_->last_height(), 5u);
  EXPECT_EQ(*store_->state_root(5), testing::ReferenceRoot(model_));
}

TEST_F(LedgerStoreTest, RefusesOtherChainOrGenesis) {
  CommitBlocks(1);
  store_.reset();
  auto other_chain = LedgerStore::Open(path_, testing::TestGenesis("other-chain"), {});
  ASSERT_FALSE(other_chain.ok());
  EXPECT_EQ(other_chain.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(other_chain.status().message().find("other-chain"), std::string::npos);
  Genesis changed = testing::TestGenesis();
  changed.genesis_time_ms += 1;
  auto other_genesis = LedgerStore::Open(path_, changed, testing::TestGenesisWrites());
  ASSERT_FALSE(other_genesis.ok());
  EXPECT_EQ(other_genesis.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(other_genesis.status().message().find("different genesis"), std::string::npos);
  // Nothing was touched: the right genesis still opens at the same height.
  store_ = OpenOrDie(path_);
  EXPECT_EQ(store_->last_height(), 1u);
}

TEST_F(LedgerStoreTest, RefusesNewerSchema) {
  store_.reset();
  {
    rocksdb::DB* raw = nullptr;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (auto name : keys::kCfNames)
      cfs.emplace_back(std::string(name), rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path_, cfs, &handles, &raw).ok());
    Writer w;
    w.U64(LedgerStore::kSchemaVersion + 1);
    std::string v(w.bytes().begin(), w.bytes().end());
    ASSERT_TRUE(
        raw->Put(rocksdb::WriteOptions(), handles[keys::kMeta], keys::kSchemaVersion, v).ok());
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
  }
  auto s = LedgerStore::Open(path_, testing::TestGenesis(), testing::TestGenesisWrites());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("newer"), std::string::npos) << s.status().ToString();
  EXPECT_EQ(LedgerStore::OpenReadOnly(path_).status().code(), StatusCode::kFailedPrecondition);
}

// Earlier builds kept the latest values in a "state" family beside the tree. A store that still
// has it opens, and its (here deliberately wrong) contents are never read.
TEST_F(LedgerStoreTest, IgnoresTheRetiredStateFamily) {
  CommitBlocks(3);
  store_.reset();
  {
    rocksdb::DB* raw = nullptr;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (auto name : keys::kCfNames) {
      cfs.emplace_back(std::string(name), rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path_, cfs, &handles, &raw).ok());
    rocksdb::ColumnFamilyHandle* state = nullptr;
    ASSERT_TRUE(raw->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "state", &state).ok());
    for (size_t k = 0; k < gen_.params().key_space; ++k) {
      ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), state, "k/" + std::to_string(k), "stale").ok());
    }
    raw->DestroyColumnFamilyHandle(state);
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
  }
  store_ = OpenOrDie(path_);
  ASSERT_NE(store_, nullptr);
  CommitBlocks(1);
  for (size_t k = 0; k < gen_.params().key_space; ++k) {
    Bytes key = ToBytes("k/" + std::to_string(k));
    auto v = store_->LatestState().Get(key);
    ASSERT_TRUE(v.ok());
    auto it = model_.find(key);
    EXPECT_EQ(*v, it == model_.end() ? std::nullopt : std::optional<Bytes>(it->second)) << k;
  }
}

TEST(LedgerStoreOpen, MissingStore) {
  TempDir dir;
  StoreOptions no_create;
  no_create.create_if_missing = false;
  auto s = LedgerStore::Open(dir.Sub("absent"), testing::TestGenesis(), {}, no_create);
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound) << s.status().ToString();
  EXPECT_EQ(LedgerStore::OpenReadOnly(dir.Sub("absent")).status().code(), StatusCode::kNotFound);
  Genesis bad = testing::TestGenesis("bad chain id!");
  EXPECT_EQ(LedgerStore::Open(dir.Sub("db"), bad, {}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(LedgerStoreTest, AccountHistoryPagesNewestFirst) {
  auto blocks = CommitBlocks(6);
  const Address sender = AddressOf(gen_.Sender(2));
  std::vector<AccountTx> expected;
  size_t refused_before_nonce = 0;  // not the account's doing for sure: not in its history
  for (const TestBlock& tb : blocks) {
    for (size_t i = 0; i < tb.txs.size(); ++i) {
      if (AddressOf(tb.txs[i].sender) != sender) continue;
      if (!RanToNonce(tb.result.tx_codes[i])) {
        ++refused_before_nonce;
        continue;
      }
      expected.push_back({tb.txs[i].Hash(), tb.block.header.height, static_cast<uint32_t>(i)});
    }
  }
  EXPECT_GT(refused_before_nonce, 0u) << "the test chain should refuse some of sender 2's txs";
  std::reverse(expected.begin(), expected.end());
  ASSERT_GT(expected.size(), 3u);
  std::vector<AccountTx> got;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = store_->GetAccountTxs(sender, 3, cursor);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->items.size(), 3u);
    got.insert(got.end(), page->items.begin(), page->items.end());
    cursor = page->next_cursor;
    ASSERT_LT(++pages, 100);
  } while (cursor);
  EXPECT_EQ(got, expected);
  Address nobody;
  nobody.bytes.fill(0xee);
  auto empty = store_->GetAccountTxs(nobody, 10);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->items.empty());
  EXPECT_FALSE(empty->next_cursor);
  EXPECT_EQ(store_->GetAccountTxs(sender, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetAccountTxs(sender, 5, "zz").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LedgerStoreTest, HeaderRangePagesDown) {
  auto blocks = CommitBlocks(4);
  auto first = store_->GetHeaders(2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0], blocks[3].block.header);
  EXPECT_EQ(first->items[1], blocks[2].block.header);
  ASSERT_TRUE(first->next_cursor);
  auto second = store_->GetHeaders(10, first->next_cursor);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 3u);  // heights 2, 1, 0
  EXPECT_EQ(second->items[2].height, 0u);
  EXPECT_FALSE(second->next_cursor);
  EXPECT_EQ(store_->GetHeaders(2, "abc").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetHeaders(2, "99").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LedgerStoreTest, SafetyRecordSurvivesReopen) {
  auto none = store_->LoadSafety();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  ASSERT_TRUE(store_->SaveSafety(AsBytes("round=7")).ok());
  ASSERT_TRUE(store_->SaveSafety(AsBytes("round=8")).ok());
  store_.reset();
  store_ = OpenOrDie(path_);
  auto loaded = store_->LoadSafety();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, std::optional<Bytes>(ToBytes("round=8")));
}

TEST_F(LedgerStoreTest, PendingBlocksPersistAndPrune) {
  const Hash256 parent = store_->GetBlock(0)->Hash(testing::kChainId);
  TestBlock b1 = gen_.Make(1, parent);
  TestBlock b2 = gen_.Make(2, b1.block.Hash(testing::kChainId));
  TestBlock b2_fork = b2;
  b2_fork.block.header.round += 5;
  for (const TestBlock* tb : {&b2, &b1, &b2_fork})
    ASSERT_TRUE(store_->SavePendingBlock(tb->block).ok());
  store_.reset();
  store_ = OpenOrDie(path_);
  auto pending = store_->LoadPendingBlocks();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 3u);
  EXPECT_EQ((*pending)[0], b1.block);
  EXPECT_EQ((*pending)[1].header.height, 2u);
  EXPECT_EQ((*pending)[2].header.height, 2u);
  ASSERT_TRUE(store_->PrunePending(1).ok());
  pending = store_->LoadPendingBlocks();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_TRUE((*pending)[0] == b2.block || (*pending)[0] == b2_fork.block);
  ASSERT_TRUE(store_->PrunePending(2).ok());
  EXPECT_TRUE(store_->LoadPendingBlocks()->empty());
}

TEST_F(LedgerStoreTest, SnapshotOpensReadOnlyAtItsHeight) {
  CommitBlocks(3);
  const std::string snap = dir_.Sub("snap");
  ASSERT_TRUE(store_->CreateSnapshot(snap).ok());
  CommitBlocks(2);
  EXPECT_FALSE(store_->CreateSnapshot(snap).ok());  // exists already
  auto ro = LedgerStore::OpenReadOnly(snap);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  EXPECT_EQ((*ro)->last_height(), 3u);
  EXPECT_EQ((*ro)->chain_id(), testing::kChainId);
  EXPECT_EQ(*(*ro)->state_root(3), *store_->state_root(3));
  EXPECT_EQ((*ro)->GetBlock(4).status().code(), StatusCode::kNotFound);
  auto proof = (*ro)->GetWithProof(AsBytes("g/1"), 3);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(SmtVerify(proof->state_root, AsBytes("g/1"), proof->value, proof->proof).ok());
  EXPECT_EQ((*ro)->SaveSafety(AsBytes("x")).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ((*ro)->PrunePending(10).code(), StatusCode::kFailedPrecondition);
  TestBlock next = gen_.Make(4, (*ro)->GetBlock(3)->Hash(testing::kChainId));
  EXPECT_EQ((*ro)->Prepare(next.block, next.txs, next.result).status().code(),
            StatusCode::kFailedPrecondition);
  // The snapshot is also a full store: it opens read-write as the same chain.
  ro->reset();
  auto rw = LedgerStore::Open(snap, testing::TestGenesis(), testing::TestGenesisWrites());
  ASSERT_TRUE(rw.ok()) << rw.status().ToString();
  EXPECT_EQ((*rw)->last_height(), 3u);
}

TEST_F(LedgerStoreTest, ProofsAtEveryHeight) {
  auto blocks = CommitBlocks(4);
  std::vector<Model> history{GenesisModel()};
  for (const TestBlock& tb : blocks) {
    history.push_back(history.back());
    testing::ApplyWrites(history.back(), tb.result.writes);
  }
  for (uint64_t h = 0; h < history.size(); ++h) {
    for (size_t k = 0; k < 40; ++k) {
      Bytes key = ToBytes("k/" + std::to_string(k));
      auto r = store_->GetWithProof(key, h);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      auto it = history[h].find(key);
      EXPECT_EQ(r->value, it == history[h].end() ? std::nullopt : std::optional<Bytes>(it->second));
      EXPECT_EQ(r->state_root, *store_->state_root(h));
      EXPECT_TRUE(SmtVerify(r->state_root, key, r->value, r->proof).ok());
    }
  }
  EXPECT_EQ(store_->GetWithProof(AsBytes("k/1"), 5).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace metaledger::storage
