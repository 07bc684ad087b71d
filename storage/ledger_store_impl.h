#pragma once
// LedgerStore's internals, shared by ledger_store.cpp (open, prepare, commit) and
// ledger_store_queries.cpp (reads, consensus records, snapshots). Not a public header.

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstring>
#include <mutex>
#include <set>

#include "core/merkle.h"
#include "core/payload/error_codes.h"
#include "storage/keys.h"
#include "storage/ledger_store.h"
#include "storage/node_cache.h"
#include "storage/recent_tx_index.h"
#include "storage/rocks_status.h"
#include "storage/state_cache.h"
#include "storage/state_tree.h"
#include "storage/tx_location_merge.h"

namespace metaledger::storage {

// Helpers for the two implementation files.

constexpr size_t kMaxTxsPerBlock = 1 << 20;
constexpr size_t kMaxPageSize = 1000;

inline std::string ToString(const Bytes& b) { return std::string(b.begin(), b.end()); }

template <typename T>
std::string EncodeToString(const T& v) {
  return ToString(Encode(v));
}

// Decodes a stored value; a stored value that does not decode is corruption, not bad input.
template <typename T>
Result<T> DecodeStored(std::string_view raw, std::string_view what) {
  auto r = Decode<T>(AsBytes(raw));
  if (!r.ok())
    return Status::Corruption("stored " + std::string(what) + ": " + r.status().message());
  return r;
}

inline Result<uint64_t> DecodeU64(std::string_view raw, std::string_view what) {
  Reader r(AsBytes(raw));
  uint64_t v = r.U64();
  if (!r.Finish().ok()) {
    return Status::Corruption("stored " + std::string(what) + ": " + r.Finish().message());
  }
  return v;
}

inline std::string EncodeU64(uint64_t v) {
  Writer w;
  w.U64(v);
  return ToString(w.bytes());
}

class LedgerStore::Impl final : public TreeNodeSource, public StateView {
 public:
  ~Impl() override {
    recent_.reset();  // a seal in progress writes to the database: let it finish first
    if (db_) {
      // A read-only open of an older store reads account entries through tx_index's handle.
      if (handles_[keys::kAccountTxs] == handles_[keys::kTxIndex]) {
        handles_[keys::kAccountTxs] = nullptr;
      }
      for (auto* h : handles_) {
        if (h) db_->DestroyColumnFamilyHandle(h);
      }
      for (auto* h : extra_handles_) db_->DestroyColumnFamilyHandle(h);
      db_->Close().PermitUncheckedError();
      delete db_;
    }
  }

  // TreeNodeSource. Nodes are immutable, so a cache can never be stale; it spares the memtable
  // and block lookups that otherwise dominate the cost of a commit. Everything in the cache was
  // checked against its hash (read from disk) or built here, so every node read is vouched for.
  Result<bool> ReadNode(uint64_t version, const Hash256& hash, std::string* out) const override {
    if (node_cache_.Find(version, hash, out)) return true;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handles_[keys::kStateTree],
                                 TreeNodeKey(version, hash), out);
    if (s.IsNotFound()) return Status::NotFound("state tree node not found");
    if (!s.ok()) return FromRocks(s, "reading state tree node");
    ML_RETURN_IF_ERROR(CheckTreeNode(version, hash, *out));
    node_cache_.Insert(version, hash, *out);
    return true;
  }

  // StateView over the latest committed state. The tree's leaves are the only copy of the
  // values: a flat key -> value family beside it cost two random-key memtable inserts per
  // transfer (~5 % of a node's CPU under load) to save a tree walk that the caches make cheap.
  Result<std::optional<Bytes>> Get(ByteView key) const override {
    std::string_view k(reinterpret_cast<const char*>(key.data()), key.size());
    uint64_t seq = 0;
    if (auto cached = state_cache_.Find(k, &seq)) {
      if (!*cached) return std::optional<Bytes>();
      return std::optional<Bytes>(Bytes((*cached)->begin(), (*cached)->end()));
    }
    NodeRef root;
    {
      std::lock_guard lock(mu_);
      root = last_root_;
    }
    ML_ASSIGN_OR_RETURN(TreeLookup found, ProveInTree(*this, root, key));
    if (!found.value) {
      state_cache_.Remember(k, std::nullopt, seq);
      return std::optional<Bytes>();
    }
    state_cache_.Remember(k, std::string(found.value->begin(), found.value->end()), seq);
    return std::move(found.value);
  }

  Result<std::string> GetRaw(int cf, std::string_view key, std::string_view what) const {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handles_[cf], key, &value);
    if (s.IsNotFound()) return Status::NotFound(std::string(what) + " not found");
    if (!s.ok()) return FromRocks(s, "reading " + std::string(what));
    return value;
  }

  Result<std::optional<std::string>> GetOptional(int cf, std::string_view key,
                                                 std::string_view what) const {
    auto r = GetRaw(cf, key, what);
    if (r.ok()) return std::optional<std::string>(std::move(*r));
    if (r.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return r.status();
  }

  Result<NodeRef> RootAt(uint64_t height) const {
    ML_ASSIGN_OR_RETURN(std::string raw, GetRaw(keys::kStateTree, keys::Root(height),
                                                "state root of height " + std::to_string(height)));
    return DecodeStored<NodeRef>(raw, "state root");
  }

  // `durable`: fsync the WAL before returning. A write without it is in the WAL but may be lost
  // on power loss, unless a later durable write syncs the WAL past it.
  Status Write(rocksdb::WriteBatch& batch, std::string_view what, bool durable = true) {
    if (read_only_) return Status::FailedPrecondition("store is open read-only");
    rocksdb::WriteOptions wo;
    wo.sync = durable && options_.sync_writes;
    return FromRocks(db_->Write(wo, &batch), what);
  }

  Status CheckWritable() const {
    if (read_only_) return Status::FailedPrecondition("store is open read-only");
    return Status::Ok();
  }

  // Everything committing `block` on top of `base_root` writes, except the certificate.
  Result<PreparedCommit> Stage(const Block& block, std::span<const Transaction> txs,
                               const ExecutionResult& result, const NodeRef& base_root,
                               std::span<const Hash256> known_tx_ids = {},
                               bool check_tx_root = true) const {
    const uint64_t h = block.header.height;
    if (txs.size() != block.header.tx_count) {
      return Status::InvalidArgument("block " + std::to_string(h) + " declares " +
                                     std::to_string(block.header.tx_count) + " transactions, got " +
                                     std::to_string(txs.size()));
    }
    if (txs.size() > kMaxTxsPerBlock) return Status::InvalidArgument("too many transactions");
    if (result.tx_codes.size() != txs.size()) {
      return Status::InvalidArgument("execution result has " +
                                     std::to_string(result.tx_codes.size()) + " codes for " +
                                     std::to_string(txs.size()) + " transactions");
    }
    if (!known_tx_ids.empty() && known_tx_ids.size() != txs.size()) {
      return Status::InvalidArgument(std::to_string(known_tx_ids.size()) + " transaction ids for " +
                                     std::to_string(txs.size()) + " transactions");
    }
    std::vector<Hash256> tx_hashes(known_tx_ids.begin(), known_tx_ids.end());
    if (known_tx_ids.empty()) {
      tx_hashes.reserve(txs.size());
      for (const Transaction& tx : txs) tx_hashes.push_back(tx.Hash());
    }
    if (check_tx_root && MerkleRoot(tx_hashes) != block.header.tx_root) {
      return Status::InvalidArgument("transactions do not match the block's tx root");
    }

    PreparedCommit p;
    p.height_ = h;
    p.block_hash_ = block.Hash(chain_id_);
    p.tx_root_ = block.header.tx_root;
    p.parent_hash_ = block.header.parent_hash;
    p.base_state_root_ = base_root.hash;
    auto put = [&p](int cf, std::string k, std::string v) {
      p.puts_.push_back({cf, std::move(k), std::move(v)});
    };
    put(keys::kBlocks, keys::BlockPart(h, keys::kBlockPart), EncodeToString(block));
    Writer txw;
    txw.Varint(txs.size());
    for (const Transaction& tx : txs) tx.Encode(txw);
    put(keys::kBlocks, keys::BlockPart(h, keys::kTxsPart), ToString(txw.bytes()));
    Writer rw;
    result.EncodeReceipts(rw);
    put(keys::kBlocks, keys::BlockPart(h, keys::kReceiptsPart), ToString(rw.bytes()));
    put(keys::kBlockIndex, std::string(p.block_hash_.bytes.begin(), p.block_hash_.bytes.end()),
        keys::Height(h));
    p.tx_locations_ = IndexEntries(h, tx_hashes, result.tx_codes);
    // An account's history lists only the transactions that ran (consumed its nonce): one
    // refused before that (a replay, a forged signature, a wrong chain) need not be the
    // account's doing, and anyone could otherwise fill an account's history with them. Those
    // stay findable by hash.
    for (size_t i = 0; i < txs.size(); ++i) {
      if (!RanToNonce(result.tx_codes[i])) continue;
      put(keys::kAccountTxs, keys::AccountTx(AddressOf(txs[i].sender), h, static_cast<uint32_t>(i)),
          std::string(tx_hashes[i].bytes.begin(), tx_hashes[i].bytes.end()));
    }
    p.state_writes_.reserve(result.writes.size());
    for (const auto& [key, value] : result.writes) {
      p.state_writes_.emplace_back(
          ToString(key), value ? std::optional<std::string>(ToString(*value)) : std::nullopt);
    }
    ML_ASSIGN_OR_RETURN(TreeUpdate tree, UpdateTree(*this, base_root, h, result.writes));
    put(keys::kStateTree, keys::Root(h), EncodeToString(tree.root));
    put(keys::kMeta, std::string(keys::kLastHeight), EncodeU64(h));
    // Memtable inserts in key order reuse the skiplist's last insertion point, which cut the
    // write of a 1 000-tx block (~15 000 entries) by about 40% here. Stable, so a repeated key
    // keeps its last value.
    std::stable_sort(p.puts_.begin(), p.puts_.end(), [](const auto& a, const auto& b) {
      return a.cf != b.cf ? a.cf < b.cf : a.key < b.key;
    });
    p.tree_nodes_ = std::move(tree.new_nodes);
    p.tree_nodes_.SortByHash();
    p.state_root_ = tree.root.hash;
    p.root_kind_ = static_cast<uint8_t>(tree.root.kind);
    p.root_version_ = tree.root.version;
    return p;
  }

  // The by-hash index entries block `h` adds, in block order: one for every transaction,
  // written blindly. A transaction carried again (clients resend to another validator and both
  // batch it) has several; the recent index, the sealed files and reads keep the one that takes
  // precedence (tx_location_merge.h), so committing a refusal needs no lookup of earlier ones.
  static std::vector<TxIndexEntry> IndexEntries(uint64_t h, std::span<const Hash256> ids,
                                                std::span<const uint16_t> codes) {
    std::vector<TxIndexEntry> out;
    out.reserve(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      out.emplace_back(ids[i], TxLocation{h, static_cast<uint32_t>(i), codes[i]});
    }
    return out;
  }

  // RecentTxIndex's seal: `sorted` and the covered height as one table file, ingested into
  // tx_index (no memtable, no write-ahead log; ingestion is atomic and durable). A run is final
  // and is put; a refusal is a merge operand, so an earlier file's run or earlier refusal of
  // the same id still wins over it.
  Status SealTxIndex(const std::vector<TxIndexEntry>& sorted, uint64_t through) {
    // The sealed height must never be above what survives a crash. Commits are synced, so it
    // is not, except when a test turns that off: then one synced write (the unchanged schema
    // version; DB::SyncWAL asserts inside RocksDB after an I/O error) makes them durable.
    if (!options_.sync_writes) {
      rocksdb::WriteBatch sync;
      ML_RETURN_IF_ERROR(FromRocks(sync.Put(handles_[keys::kMeta], keys::kSchemaVersion,
                                            EncodeU64(LedgerStore::kSchemaVersion)),
                                   "batching"));
      rocksdb::WriteOptions synced;
      synced.sync = true;
      ML_RETURN_IF_ERROR(FromRocks(db_->Write(synced, &sync), "syncing the write-ahead log"));
    }
    const std::string file = path_ + "/" + std::string(kSealFilePrefix) + std::to_string(through);
    // Synced a megabyte at a time as it grows, like the database's own table files
    // (bytes_per_sync): one fsync of the whole file at Finish held the disk for tens of ms, and
    // every synced block write of the node waited behind it.
    rocksdb::EnvOptions file_options;
    file_options.bytes_per_sync = 1 << 20;
    rocksdb::SstFileWriter writer(file_options, tx_index_file_options_, handles_[keys::kTxIndex]);
    ML_RETURN_IF_ERROR(FromRocks(writer.Open(file), "creating " + file));
    ML_RETURN_IF_ERROR(FromRocks(writer.Put(keys::kIndexedThrough, EncodeU64(through)), file));
    std::string key = keys::Tx(Hash256{});
    for (const auto& [id, loc] : sorted) {
      std::memcpy(key.data() + 1, id.data(), 32);
      const std::string value = EncodeTxLocation(loc);
      ML_RETURN_IF_ERROR(FromRocks(
          RanItsTransaction(loc) ? writer.Put(key, value) : writer.Merge(key, value), file));
    }
    ML_RETURN_IF_ERROR(FromRocks(writer.Finish(), "finishing " + file));
    rocksdb::IngestExternalFileOptions ingest;
    ingest.move_files = true;  // a hard link, not a copy
    ingest.write_global_seqno = false;
    Status s = FromRocks(db_->IngestExternalFile(handles_[keys::kTxIndex], {file}, ingest),
                         "ingesting " + file);
    // Our name for the file; the database keeps its own link. A leftover is removed on open.
    db_->GetEnv()->DeleteFile(file).PermitUncheckedError();
    return s;
  }

  // Removes seal files a crash left behind (written, maybe ingested, not yet unlinked by us).
  void RemoveSealLeftovers() {
    std::vector<std::string> children;
    if (!db_->GetEnv()->GetChildren(path_, &children).ok()) return;
    for (const std::string& name : children) {
      if (name.starts_with(kSealFilePrefix)) {
        db_->GetEnv()->DeleteFile(path_ + "/" + name).PermitUncheckedError();
      }
    }
  }

  static constexpr std::string_view kSealFilePrefix = "metaledger-txindex-";

  // After `p` is durable: its tree nodes and state values become cache entries.
  void CacheCommitted(const PreparedCommit& p) {
    state_cache_.Commit([&p](auto&& record) {
      for (const auto& [key, value] : p.state_writes_) record(key, value);
    });
    CacheNewNodes(p);
  }

  void CacheNewNodes(const PreparedCommit& p) {
    std::vector<NodeCache::Node> nodes;
    nodes.reserve(p.tree_nodes_.size());
    for (const NewTreeNodes::Node& node : p.tree_nodes_.nodes()) {
      nodes.push_back({p.height_, node.hash, p.tree_nodes_.encoded(node)});
    }
    node_cache_.InsertMany(nodes);
  }

  Status Apply(const PreparedCommit& p, const CommitCert& cert, rocksdb::WriteBatch& batch) {
    for (const auto& put : p.puts_) {
      ML_RETURN_IF_ERROR(FromRocks(batch.Put(handles_[put.cf], put.key, put.value), "batching"));
    }
    ML_RETURN_IF_ERROR(
        p.tree_nodes_.ForEachKeyed(p.height_, [&](std::string_view key, std::string_view encoded) {
          return FromRocks(batch.Put(handles_[keys::kStateTree], key, encoded), "batching");
        }));
    return FromRocks(
        batch.Put(handles_[keys::kCerts], keys::Height(p.height_), EncodeToString(cert)),
        "batching");
  }

  // Loads meta and checks that the last committed height is complete.
  Status LoadCommitted() {
    ML_ASSIGN_OR_RETURN(std::string raw_last,
                        GetRaw(keys::kMeta, keys::kLastHeight, "last height"));
    ML_ASSIGN_OR_RETURN(uint64_t last, DecodeU64(raw_last, "last height"));
    ML_ASSIGN_OR_RETURN(NodeRef root, RootAt(last));
    auto block_raw = GetRaw(keys::kBlocks, keys::BlockPart(last, keys::kBlockPart), "block");
    if (!block_raw.ok()) {
      return Status::Corruption("last committed block " + std::to_string(last) + " is missing");
    }
    ML_ASSIGN_OR_RETURN(Block block, DecodeStored<Block>(*block_raw, "block"));
    auto cert_raw = GetRaw(keys::kCerts, keys::Height(last), "certificate");
    if (!cert_raw.ok()) {
      return Status::Corruption("certificate of block " + std::to_string(last) + " is missing");
    }
    ML_ASSIGN_OR_RETURN(CommitCert cert, DecodeStored<CommitCert>(*cert_raw, "certificate"));
    Hash256 hash = block.Hash(chain_id_);
    if (block.header.height != last || cert.block_hash != hash || cert.state_root != root.hash) {
      return Status::Corruption("last committed block " + std::to_string(last) +
                                " disagrees with its certificate or state root");
    }
    std::lock_guard lock(mu_);
    last_height_.store(last);
    last_block_hash_ = hash;
    last_root_ = root;
    return Status::Ok();
  }

  StoreOptions options_;
  std::string path_;
  rocksdb::Options tx_index_file_options_;  // for the seal files
  rocksdb::ColumnFamilyOptions account_txs_options_;  // to add the family to an older store
  std::unique_ptr<RecentTxIndex> recent_;
  std::unique_ptr<rocksdb::Env> env_;
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::vector<rocksdb::ColumnFamilyHandle*> extra_handles_;  // unknown families, kept open
  bool read_only_ = false;
  std::string chain_id_;
  Hash256 genesis_hash_;

  mutable NodeCache node_cache_;
  mutable StateCache state_cache_;
  mutable std::mutex mu_;  // guards last_block_hash_ and last_root_
  std::atomic<uint64_t> last_height_{0};
  Hash256 last_block_hash_;
  NodeRef last_root_;
};

}  // namespace metaledger::storage
