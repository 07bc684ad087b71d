#include "storage/ledger_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/universal_compaction.h>

#include "storage/ledger_store_impl.h"
#include "storage/tx_location_merge.h"

namespace metaledger::storage {
namespace {

// Opens the database with all our column families (and any others it already has).
Result<std::unique_ptr<LedgerStore::Impl>> OpenDb(const std::string& path,
                                                  const StoreOptions& options, bool read_only) {
  auto impl = std::make_unique<LedgerStore::Impl>();
  impl->options_ = options;
  impl->path_ = path;
  impl->read_only_ = read_only;
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing && !read_only;
  db_options.keep_log_file_num = 2;
  db_options.paranoid_checks = true;
  // Table files written by flushes, compactions and seals are synced a megabyte at a time as
  // they grow instead of all at their end, so a flush does not hold the disk for one long
  // fsync that every synced block and safety write of this machine then waits behind.
  db_options.bytes_per_sync = 1 << 20;
  if (options.file_system) {
    impl->env_ = rocksdb::NewCompositeEnv(options.file_system);
    db_options.env = impl->env_.get();
  }
  if (!read_only) {
    // Compactions are background work: at nice 19 they take the cores only when consensus and
    // execution leave them idle. A tx-index compaction rewrote tens of MB at once, on every
    // node at the same moment, and took commit throughput down by half for a second or two.
    rocksdb::Env* env = db_options.env ? db_options.env : rocksdb::Env::Default();
    env->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::LOW, rocksdb::CpuPriority::kLow)
        .PermitUncheckedError();
  }
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Table blocks carry XXH3 checksums: the Debian package's CRC32C has no SSE4.2 path (a
  // profile showed rocksdb::crc32c::Slow_CRC32 in every flush, compaction and seal). Each file
  // records its checksum type, so files written before this still verify.
  table.checksum = rocksdb::kXXH3;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // Locations of refused transactions are written blindly as merge operands; reads and
  // compactions keep the one that takes precedence (storage/tx_location_merge.h).
  rocksdb::ColumnFamilyOptions tx_index_options = cf_options;
  tx_index_options.merge_operator = NewTxLocationMergeOperator();
  // Tiered ("universal") compaction with wide merges. Every sealed file spans the whole key
  // range (ids are hashes), so leveled compaction rewrote all of level 1 on each L0 -> L1
  // compaction and level 2 on each L1 -> L2: about a fifth of a node's throughput and ~15 ms of
  // p99 in the unsigned benchmark (docs/benchmarks.md, tenth pass). Here up to 64 sorted runs
  // wait, and a merge takes runs of similar size (within 25 %), at most 64 of them, so an entry
  // is rewritten about log64(entries / seal size) times. The cost is on lookups by hash (the
  // API's): one filter probe per sorted run, at most a few hundred.
  //  * Safe only because the family receives nothing but ingested seal files (each one sequence
  //    number) since schema 4: a memtable flush spans a range of sequence numbers, and tiered
  //    merges of level-0 files that ingests interleaved with it broke RocksDB's level-0 order
  //    (a corruption error that stops the database; the crash test hit it).
  //  * No size-amplification trigger: index keys are not overwritten (a repeated id is another
  //    location for it, kept apart only until the runs meet), so there is no garbage to
  //    reclaim, and the trigger would rewrite everything whenever the oldest run is small.
  //  * The family may fall far behind before RocksDB slows writes: a stall here would hold up
  //    every block write of the database (compactions run at nice 19 and, on a node whose cores
  //    are full, lag behind for minutes).
  tx_index_options.compaction_style = rocksdb::kCompactionStyleUniversal;
  tx_index_options.compaction_options_universal.size_ratio = 25;
  tx_index_options.compaction_options_universal.max_merge_width = 64;
  tx_index_options.compaction_options_universal.stop_style =
      rocksdb::kCompactionStopStyleSimilarSize;
  tx_index_options.compaction_options_universal.max_size_amplification_percent =
      100'000'000;  // never: UINT_MAX would overflow times a large run
  tx_index_options.level0_file_num_compaction_trigger = 64;
  tx_index_options.level0_slowdown_writes_trigger = 160;
  tx_index_options.level0_stop_writes_trigger = 256;

  std::vector<std::string> existing;
  rocksdb::Status listed = rocksdb::DB::ListColumnFamilies(db_options, path, &existing);
  if (!listed.ok()) {
    if (!db_options.create_if_missing) {
      return Status::NotFound("no ledger store at " + path + " (" + listed.ToString() + ")");
    }
    existing.clear();
  }
  // Only a new database gets its families made at open. In an existing one a missing family
  // is damage, refused below before anything is written, except account_txs, which stores
  // from before schema 4 lack (Open makes it, OpenReadOnly reads tx_index instead).
  db_options.create_missing_column_families = !read_only && existing.empty();
  // Tree nodes and transaction index entries are mostly SHA-256 outputs: compressing them
  // saves nothing and cost ~3 % of a node's CPU in the flush thread under load.
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (int cf = 0; cf < keys::kCfCount; ++cf) {
    rocksdb::ColumnFamilyOptions o = cf == keys::kTxIndex ? tx_index_options : cf_options;
    if (cf == keys::kStateTree || cf == keys::kTxIndex) o.compression = rocksdb::kNoCompression;
    if (cf == keys::kTxIndex) impl->tx_index_file_options_ = rocksdb::Options(db_options, o);
    if (cf == keys::kAccountTxs) impl->account_txs_options_ = o;
    descriptors.emplace_back(std::string(keys::kCfNames[cf]), std::move(o));
  }
  for (const std::string& name : existing) {
    bool ours = false;
    for (std::string_view n : keys::kCfNames) ours |= (n == name);
    if (!ours) descriptors.emplace_back(name, cf_options);
  }
  if (!existing.empty()) {
    std::vector<rocksdb::ColumnFamilyDescriptor> present;
    for (auto& d : descriptors) {
      for (const std::string& e : existing) {
        if (e == d.name) present.push_back(d);
      }
    }
    descriptors = std::move(present);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::Status s =
      read_only ? rocksdb::DB::OpenForReadOnly(db_options, path, descriptors, &handles, &impl->db_)
                : rocksdb::DB::Open(db_options, path, descriptors, &handles, &impl->db_);
  if (!s.ok()) return FromRocks(s, "opening ledger store " + path);
  LedgerStore::Impl* raw = impl.get();
  impl->recent_ = std::make_unique<RecentTxIndex>(
      options.tx_index_seal_entries,
      read_only ? RecentTxIndex::SealFn()
                : [raw](const std::vector<TxIndexEntry>& sorted, uint64_t through) {
                    return raw->SealTxIndex(sorted, through);
                  });
  impl->handles_.assign(keys::kCfCount, nullptr);
  for (auto* h : handles) {
    bool placed = false;
    for (int i = 0; i < keys::kCfCount; ++i) {
      if (h->GetName() == keys::kCfNames[i]) {
        impl->handles_[i] = h;
        placed = true;
      }
    }
    if (!placed) impl->extra_handles_.push_back(h);
  }
  for (int i = 0; i < keys::kCfCount; ++i) {
    if (!impl->handles_[i] && i != keys::kAccountTxs) {
      return Status::NotFound(path + " is not a ledger store (no column family " +
                              std::string(keys::kCfNames[i]) + ")");
    }
  }
  return impl;
}

// Reads and checks the schema version; NotFound when the store is empty.
Result<uint64_t> CheckSchema(const LedgerStore::Impl& impl) {
  ML_ASSIGN_OR_RETURN(auto raw, impl.GetOptional(keys::kMeta, keys::kSchemaVersion, "schema"));
  if (!raw) return Status::NotFound("empty store");
  ML_ASSIGN_OR_RETURN(uint64_t version, DecodeU64(*raw, "schema version"));
  if (version > LedgerStore::kSchemaVersion) {
    return Status::FailedPrecondition("store schema version " + std::to_string(version) +
                                      " is newer than this build's " +
                                      std::to_string(LedgerStore::kSchemaVersion));
  }
  if (version == 0) return Status::Corruption("stored schema version 0");
  return version;
}

// A store from before schema 4 has no account_txs family; UpgradeSchema fills the one made here.
// In a store of schema 4 or later a missing family is damage: refused, not made empty.
Status AddAccountTxsFamily(LedgerStore::Impl& impl, const std::string& path, uint64_t schema) {
  if (impl.handles_[keys::kAccountTxs]) return Status::Ok();
  if (schema >= 4) {
    return Status::Corruption(path + " has schema " + std::to_string(schema) +
                              " but no column family account_txs");
  }
  return FromRocks(impl.db_->CreateColumnFamily(impl.account_txs_options_,
                                                std::string(keys::kCfNames[keys::kAccountTxs]),
                                                &impl.handles_[keys::kAccountTxs]),
                   "creating column family account_txs");
}

// The family's only writes outside seals (at genesis and on upgrade) go to a table file of
// their own at once, before any seal is ingested (see OpenDb).
Status FlushTxIndex(LedgerStore::Impl& impl) {
  return FromRocks(impl.db_->Flush(rocksdb::FlushOptions(), impl.handles_[keys::kTxIndex]),
                   "flushing the transaction index");
}

// Before schema 4, account entries were in tx_index: copies them into account_txs, a chunk at a
// time, and adds their removal from tx_index to `upgrade`, the write that records the new
// version. A crash before that write leaves the old schema, and the copy starts again.
Status MoveAccountEntries(LedgerStore::Impl& impl, rocksdb::WriteBatch& upgrade) {
  const std::string begin(1, keys::kAccountPrefix), end(1, keys::kAccountPrefix + 1);
  rocksdb::ReadOptions read;
  rocksdb::Slice upper(end);
  read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(impl.db_->NewIterator(read, impl.handles_[keys::kTxIndex]));
  rocksdb::WriteBatch batch;
  for (it->Seek(begin); it->Valid(); it->Next()) {
    ML_RETURN_IF_ERROR(
        FromRocks(batch.Put(impl.handles_[keys::kAccountTxs], it->key(), it->value()), "batching"));
    if (batch.Count() == 65'536) {
      ML_RETURN_IF_ERROR(impl.Write(batch, "copying account entries", /*durable=*/false));
      batch.Clear();
    }
  }
  ML_RETURN_IF_ERROR(FromRocks(it->status(), "reading account entries"));
  ML_RETURN_IF_ERROR(impl.Write(batch, "copying account entries", /*durable=*/false));
  return FromRocks(upgrade.DeleteRange(impl.handles_[keys::kTxIndex], begin, end), "batching");
}

// Schema 1 wrote every transaction's index entry with its block, so its index covers every
// committed height: recording that makes it a schema 2 store. Schema 2 data is valid schema 3
// data (puts only). Schema 3 moves its account entries (MoveAccountEntries). The new version
// number keeps older builds, which cannot read merge operands or account_txs, from opening the
// store.
Status UpgradeSchema(LedgerStore::Impl& impl) {
  ML_ASSIGN_OR_RETURN(auto raw, impl.GetOptional(keys::kMeta, keys::kSchemaVersion, "schema"));
  if (!raw) return Status::Ok();
  ML_ASSIGN_OR_RETURN(uint64_t version, DecodeU64(*raw, "schema version"));
  if (version >= LedgerStore::kSchemaVersion) return Status::Ok();
  rocksdb::WriteBatch batch;
  ML_RETURN_IF_ERROR(MoveAccountEntries(impl, batch));
  // Every file the family had under leveled compaction merged into one sorted run: from here
  // on it receives only ingested files (see OpenDb). Before the version is written, so a crash
  // in between does it again.
  rocksdb::CompactRangeOptions all;
  all.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  ML_RETURN_IF_ERROR(
      FromRocks(impl.db_->CompactRange(all, impl.handles_[keys::kTxIndex], nullptr, nullptr),
                "compacting the transaction index"));
  if (version < 2) {
    ML_RETURN_IF_ERROR(FromRocks(batch.Put(impl.handles_[keys::kTxIndex], keys::kIndexedThrough,
                                           EncodeU64(impl.last_height_.load())),
                                 "batching"));
  }
  ML_RETURN_IF_ERROR(FromRocks(batch.Put(impl.handles_[keys::kMeta], keys::kSchemaVersion,
                                         EncodeU64(LedgerStore::kSchemaVersion)),
                               "batching"));
  ML_RETURN_IF_ERROR(impl.Write(batch, "upgrading the store schema"));
  return FlushTxIndex(impl);
}

Status InitGenesis(LedgerStore::Impl& impl, const Genesis& genesis, const WriteSet& writes) {
  Block block = genesis.GenesisBlock();
  ExecutionResult result;
  result.writes = writes;
  ML_ASSIGN_OR_RETURN(PreparedCommit p, impl.Stage(block, {}, result, NodeRef{}));
  CommitCert cert;  // the genesis block is final by definition: no signatures
  cert.height = 0;
  cert.block_hash = p.block_hash();
  cert.tx_root = p.tx_root();
  cert.state_root = p.state_root();
  rocksdb::WriteBatch batch;
  ML_RETURN_IF_ERROR(impl.Apply(p, cert, batch));
  auto meta = impl.handles_[keys::kMeta];
  ML_RETURN_IF_ERROR(FromRocks(
      batch.Put(meta, keys::kSchemaVersion, EncodeU64(LedgerStore::kSchemaVersion)), "batching"));
  ML_RETURN_IF_ERROR(FromRocks(batch.Put(meta, keys::kChainId, genesis.chain_id), "batching"));
  ML_RETURN_IF_ERROR(FromRocks(
      batch.Put(impl.handles_[keys::kTxIndex], keys::kIndexedThrough, EncodeU64(0)), "batching"));
  ML_RETURN_IF_ERROR(FromRocks(
      batch.Put(meta, keys::kGenesisHash,
                ToString(Bytes(impl.genesis_hash_.bytes.begin(), impl.genesis_hash_.bytes.end()))),
      "batching"));
  ML_RETURN_IF_ERROR(impl.Write(batch, "writing genesis"));
  return FlushTxIndex(impl);
}

}  // namespace

LedgerStore::LedgerStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LedgerStore::~LedgerStore() = default;

Result<std::unique_ptr<LedgerStore>> LedgerStore::Open(const std::string& path,
                                                       const Genesis& genesis,
                                                       const WriteSet& genesis_writes,
                                                       const StoreOptions& options) {
  ML_RETURN_IF_ERROR(genesis.Validate().Annotate("genesis"));
  ML_ASSIGN_OR_RETURN(std::unique_ptr<Impl> impl, OpenDb(path, options, /*read_only=*/false));
  impl->chain_id_ = genesis.chain_id;
  impl->genesis_hash_ = genesis.Hash();
  Result<uint64_t> schema = CheckSchema(*impl);
  const bool empty = schema.status().code() == StatusCode::kNotFound;
  if (!empty) ML_RETURN_IF_ERROR(schema.status());
  // (An empty store whose creation an older build began has no account_txs either.)
  ML_RETURN_IF_ERROR(AddAccountTxsFamily(*impl, path, empty ? 0 : *schema));
  if (empty) {
    ML_RETURN_IF_ERROR(InitGenesis(*impl, genesis, genesis_writes));
  } else {
    ML_ASSIGN_OR_RETURN(std::string chain, impl->GetRaw(keys::kMeta, keys::kChainId, "chain id"));
    if (chain != genesis.chain_id) {
      return Status::FailedPrecondition("store at " + path + " belongs to chain '" + chain +
                                        "', not '" + genesis.chain_id + "'");
    }
    ML_ASSIGN_OR_RETURN(std::string gh, impl->GetRaw(keys::kMeta, keys::kGenesisHash, "genesis"));
    if (gh.size() != 32 || std::memcmp(gh.data(), impl->genesis_hash_.data(), 32) != 0) {
      return Status::FailedPrecondition(
          "store at " + path + " was created from a different genesis (hash " + ToHex(AsBytes(gh)) +
          ", expected " + impl->genesis_hash_.Hex() + ")");
    }
  }
  ML_RETURN_IF_ERROR(impl->LoadCommitted());
  ML_RETURN_IF_ERROR(UpgradeSchema(*impl));
  impl->RemoveSealLeftovers();
  std::unique_ptr<LedgerStore> store(new LedgerStore(std::move(impl)));
  ML_RETURN_IF_ERROR(store->RebuildRecentTxIndex());
  return store;
}

Result<std::unique_ptr<LedgerStore>> LedgerStore::OpenReadOnly(const std::string& path,
                                                               const StoreOptions& options) {
  ML_ASSIGN_OR_RETURN(std::unique_ptr<Impl> impl, OpenDb(path, options, /*read_only=*/true));
  Result<uint64_t> schema = CheckSchema(*impl);
  if (schema.status().code() == StatusCode::kNotFound) {
    return Status::NotFound(path + " is not an initialized ledger store");
  }
  ML_RETURN_IF_ERROR(schema.status());
  if (*schema < 4) {
    // Its account entries are still in tx_index; an account_txs family (a crash during the
    // upgrade) is incomplete.
    if (impl->handles_[keys::kAccountTxs]) {
      impl->extra_handles_.push_back(impl->handles_[keys::kAccountTxs]);
    }
    impl->handles_[keys::kAccountTxs] = impl->handles_[keys::kTxIndex];
  } else if (!impl->handles_[keys::kAccountTxs]) {
    return Status::Corruption(path + " has schema " + std::to_string(*schema) +
                              " but no column family account_txs");
  }
  ML_ASSIGN_OR_RETURN(impl->chain_id_, impl->GetRaw(keys::kMeta, keys::kChainId, "chain id"));
  ML_ASSIGN_OR_RETURN(std::string gh, impl->GetRaw(keys::kMeta, keys::kGenesisHash, "genesis"));
  ML_ASSIGN_OR_RETURN(impl->genesis_hash_, Hash256::FromView(AsBytes(gh)));
  ML_RETURN_IF_ERROR(impl->LoadCommitted());
  std::unique_ptr<LedgerStore> store(new LedgerStore(std::move(impl)));
  ML_RETURN_IF_ERROR(store->RebuildRecentTxIndex());
  return store;
}

Status LedgerStore::RebuildRecentTxIndex() {
  const uint64_t last = last_height();
  ML_ASSIGN_OR_RETURN(auto raw,
                      impl_->GetOptional(keys::kTxIndex, keys::kIndexedThrough, "indexed height"));
  uint64_t through = last;  // a read-only schema 1 store: indexed with every block
  if (raw) {
    ML_ASSIGN_OR_RETURN(through, DecodeU64(*raw, "indexed height"));
  }
  if (through > last) {
    return Status::Corruption("the transaction index covers height " + std::to_string(through) +
                              ", above the last committed height " + std::to_string(last));
  }
  for (uint64_t h = through + 1; h <= last; ++h) {
    ML_ASSIGN_OR_RETURN(std::vector<Transaction> txs, GetTxs(h));
    ML_ASSIGN_OR_RETURN(ExecutionResult receipts, GetReceipts(h));
    if (receipts.tx_codes.size() != txs.size()) {
      return Status::Corruption("block " + std::to_string(h) + " has " +
                                std::to_string(txs.size()) + " transactions and " +
                                std::to_string(receipts.tx_codes.size()) + " result codes");
    }
    std::vector<Hash256> ids;
    ids.reserve(txs.size());
    for (const Transaction& tx : txs) ids.push_back(tx.Hash());
    impl_->recent_->Add(h, Impl::IndexEntries(h, ids, receipts.tx_codes));
  }
  return Status::Ok();
}

const std::string& LedgerStore::chain_id() const { return impl_->chain_id_; }
const Hash256& LedgerStore::genesis_hash() const { return impl_->genesis_hash_; }
uint64_t LedgerStore::last_height() const { return impl_->last_height_.load(); }

Result<Hash256> LedgerStore::state_root(uint64_t height) const {
  ML_ASSIGN_OR_RETURN(NodeRef root, impl_->RootAt(height));
  return root.hash;
}

Result<PreparedCommit> LedgerStore::Prepare(const Block& block, std::span<const Transaction> txs,
                                            const ExecutionResult& result,
                                            std::span<const Hash256> tx_ids, TxRoot tx_root) const {
  ML_RETURN_IF_ERROR(impl_->CheckWritable());
  uint64_t last;
  Hash256 parent;
  NodeRef root;
  {
    std::lock_guard lock(impl_->mu_);
    last = impl_->last_height_.load();
    parent = impl_->last_block_hash_;
    root = impl_->last_root_;
  }
  if (block.header.height != last + 1) {
    return Status::FailedPrecondition("block height " + std::to_string(block.header.height) +
                                      " does not follow the last committed height " +
                                      std::to_string(last));
  }
  if (block.header.parent_hash != parent) {
    return Status::FailedPrecondition("block " + std::to_string(block.header.height) +
                                      " does not extend the last committed block");
  }
  if (tx_ids.empty()) tx_root = TxRoot::kCheck;
  return impl_->Stage(block, txs, result, root, tx_ids, tx_root == TxRoot::kCheck);
}

Status LedgerStore::CommitBlock(const PreparedCommit& prepared, const CommitCert& cert) {
  ML_RETURN_IF_ERROR(impl_->CheckWritable());
  const uint64_t last = impl_->last_height_.load();
  if (prepared.height() <= last) {
    return Status::AlreadyExists("height " + std::to_string(prepared.height()) +
                                 " is already committed (last " + std::to_string(last) + ")");
  }
  if (prepared.height() != last + 1) {
    return Status::FailedPrecondition("height " + std::to_string(prepared.height()) +
                                      " would leave a gap after " + std::to_string(last));
  }
  {
    std::lock_guard lock(impl_->mu_);
    if (prepared.parent_hash_ != impl_->last_block_hash_ ||
        prepared.base_state_root_ != impl_->last_root_.hash) {
      return Status::FailedPrecondition("block " + std::to_string(prepared.height()) +
                                        " was prepared on top of a different block");
    }
  }
  if (cert.height != prepared.height() || cert.block_hash != prepared.block_hash() ||
      cert.tx_root != prepared.tx_root() || cert.state_root != prepared.state_root()) {
    return Status::InvalidArgument("commit certificate does not match block " +
                                   std::to_string(prepared.height()) +
                                   " (height, block hash, tx root or state root differ)");
  }
  ML_RETURN_IF_ERROR(impl_->recent_->status());
  rocksdb::WriteBatch batch;
  ML_RETURN_IF_ERROR(impl_->Apply(prepared, cert, batch));
  ML_RETURN_IF_ERROR(impl_->Write(batch, "committing block " + std::to_string(prepared.height())));
  // Before the height is visible, so a reader that sees it also finds its transactions.
  impl_->recent_->Add(prepared.height(), prepared.tx_locations_);
  {
    std::lock_guard lock(impl_->mu_);
    impl_->last_block_hash_ = prepared.block_hash();
    impl_->last_root_ = NodeRef{static_cast<NodeRef::Kind>(prepared.root_kind_),
                                prepared.root_version_, prepared.state_root()};
    impl_->last_height_.store(prepared.height());
  }
  // After the new root is visible: a reader that read a key under the old root can plant its
  // value only before this, and this overwrites every key the block wrote (state_cache.h).
  impl_->CacheCommitted(prepared);
  return Status::Ok();
}

}  // namespace metaledger::storage
