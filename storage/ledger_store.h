#pragma once
// LedgerStore: the node's durable ledger over one RocksDB database.
//
// It keeps committed blocks with their transactions, receipts and commit certificates, the
// indexes the REST API queries, the current state plus an authenticated state tree that keeps
// the root of every committed height, the consensus safety record and the blocks consensus has
// received but not committed. Layout and recovery: docs/storage.md.
//
// Promises:
//  * Everything one committed block changes is written in ONE WriteBatch (synced unless a test
//    turns StoreOptions::sync_writes off), so after a crash or power loss the store reopens at
//    a complete block at or after the last one CommitBlock returned OK for. The one exception,
//    the by-hash transaction index, is derived from the blocks: it is written in batches of
//    many blocks, and Open rebuilds what the last batch did not cover.
//  * Heights are consecutive: committing a gap or a repeat is refused and changes nothing.
//  * Open refuses a database of another chain id or genesis, or of a newer schema version,
//    and touches nothing when it refuses.
//
// Threading: reads may run on any thread, concurrently with each other and with one writer.
// Prepare/CommitBlock must come from one thread at a time. SaveSafety, SavePendingBlock and
// PrunePending write only consensus records, each in a WriteBatch of its own, and may run on
// another thread concurrently with them (the node votes while its execution thread writes).

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/block.h"
#include "core/certificates.h"
#include "core/execution.h"
#include "core/genesis.h"
#include "core/sparse_merkle.h"
#include "core/state_view.h"
#include "core/transaction.h"
#include "storage/state_tree.h"

namespace rocksdb {
class FileSystem;
}

namespace metaledger::storage {

struct StoreOptions {
  bool create_if_missing = true;
  // false only in tests: the control case that shows the power-loss test can detect a commit
  // path that skips fsync.
  bool sync_writes = true;
  // Test hook: a FileSystem wrapper (power loss, disk full). nullptr = the default file system.
  std::shared_ptr<rocksdb::FileSystem> file_system;
  // RocksDB block cache in bytes.
  size_t block_cache_bytes = 64 << 20;
  // Transaction locations are kept in memory and written to the index as one sorted file every
  // this many (storage/recent_tx_index.h). Tests make it small. Memory: two tables of
  // 2 × this many 50-byte slots (~26 MB at the default).
  size_t tx_index_seal_entries = 1 << 17;
};

// Where a committed transaction is.
struct TxLocation {
  uint64_t height = 0;
  uint32_t index = 0;  // position in the block
  uint16_t code = 0;   // execution result, 0 = OK
  bool operator==(const TxLocation&) const = default;
};

// One entry of an account's transaction history.
struct AccountTx {
  Hash256 tx_hash;
  uint64_t height = 0;
  uint32_t index = 0;
  bool operator==(const AccountTx&) const = default;
};

// A page of results, newest first, and where the next page starts (nullopt = no more).
template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;  // opaque; pass back unchanged
};

// The value of a key at a height (nullopt = absent) and its proof against that height's root.
struct StateProofResult {
  uint64_t height = 0;
  Hash256 state_root;
  std::optional<Bytes> value;
  SmtProof proof;
};

// A block staged on top of the last committed height: its encoded writes and the state root it
// produces. Made by Prepare, consumed by CommitBlock.
class PreparedCommit {
 public:
  uint64_t height() const { return height_; }
  const Hash256& block_hash() const { return block_hash_; }
  const Hash256& tx_root() const { return tx_root_; }
  const Hash256& state_root() const { return state_root_; }

 private:
  friend class LedgerStore;
  struct Put {
    int cf;
    std::string key;
    std::string value;
  };
  uint64_t height_ = 0;
  Hash256 block_hash_, tx_root_, state_root_;
  // The block and state it was prepared on: its tree nodes build on that state.
  Hash256 parent_hash_, base_state_root_;
  uint8_t root_kind_ = 0;  // storage::NodeRef::Kind of the new root
  uint64_t root_version_ = 0;
  std::vector<Put> puts_;    // everything but the tree nodes, in (family, key) order
  NewTreeNodes tree_nodes_;  // at version height_, in key order
  // Its transactions' locations for the recent transaction index, in block order.
  std::vector<std::pair<Hash256, TxLocation>> tx_locations_;
  // The block's state writes (nullopt = deleted), for the latest-state cache once committed.
  std::vector<std::pair<std::string, std::optional<std::string>>> state_writes_;
};

class LedgerStore {
 public:
  // 2: transaction locations are sealed into tx_index in batches, up to the height recorded
  // under keys::kIndexedThrough.
  // 3: refusals are sealed as merge operands (storage/tx_location_merge.h), which builds before
  //    3 cannot read.
  // 4: account entries are in their own family, account_txs, so tx_index receives only sealed
  //    files and compacts tiered.
  // Older stores are upgraded when opened for writing.
  static constexpr uint32_t kSchemaVersion = 4;

  // Opens (or creates, with the genesis block at height 0 and `genesis_writes` as its state) the
  // store in `path`. An existing store must have the same chain id and genesis hash.
  static Result<std::unique_ptr<LedgerStore>> Open(const std::string& path, const Genesis& genesis,
                                                   const WriteSet& genesis_writes,
                                                   const StoreOptions& options = {});
  // Opens a store (e.g. a snapshot) for reading only; every write method fails.
  static Result<std::unique_ptr<LedgerStore>> OpenReadOnly(const std::string& path,
                                                           const StoreOptions& options = {});

  ~LedgerStore();
  LedgerStore(const LedgerStore&) = delete;
  LedgerStore& operator=(const LedgerStore&) = delete;

  const std::string& chain_id() const;
  const Hash256& genesis_hash() const;
  uint64_t last_height() const;
  Result<Hash256> state_root(uint64_t height) const;

  // Computes what committing `block` (at last_height() + 1, extending the last block) with
  // these transactions and execution result would write, and the state root it produces,
  // without writing anything. `tx_ids`, when the caller has them, are the transactions' hashes
  // (tx_ids[i] == txs[i].Hash(), which the caller vouches for); empty, they are computed here.
  // Their Merkle root must be the header's tx_root; kCheckedByCaller skips that check for a
  // caller that has already matched these ids to this header (the node, which does so when it
  // builds or validates a proposal: a second root per block was ~4 % of its CPU).
  enum class TxRoot { kCheck, kCheckedByCaller };
  Result<PreparedCommit> Prepare(const Block& block, std::span<const Transaction> txs,
                                 const ExecutionResult& result,
                                 std::span<const Hash256> tx_ids = {},
                                 TxRoot tx_root = TxRoot::kCheck) const;
  // Writes a prepared block with its certificate in one synced batch. Refused unless the
  // prepared block is still the next height and the certificate names its height, block hash,
  // tx root and state root. Signatures are the caller's to check.
  Status CommitBlock(const PreparedCommit& prepared, const CommitCert& cert);

  // Committed data.
  Result<Block> GetBlock(uint64_t height) const;
  Result<uint64_t> HeightOf(const Hash256& block_hash) const;
  Result<Block> GetBlockByHash(const Hash256& block_hash) const;
  Result<std::vector<Transaction>> GetTxs(uint64_t height) const;
  Result<ExecutionResult> GetReceipts(uint64_t height) const;  // codes and events
  Result<CommitCert> GetCert(uint64_t height) const;
  Result<TxLocation> GetTxLocation(const Hash256& tx_hash) const;
  // Transactions sent by `sender` that ran (RanToNonce of their code), newest first.
  Result<Page<AccountTx>> GetAccountTxs(const Address& sender, size_t limit,
                                        const std::optional<std::string>& cursor = {}) const;
  // Headers from the newest (or from the cursor) downwards.
  Result<Page<BlockHeader>> GetHeaders(size_t limit,
                                       const std::optional<std::string>& cursor = {}) const;

  // State.
  const StateView& LatestState() const;  // at last_height(); reads RocksDB directly
  Result<StateProofResult> GetWithProof(ByteView key, uint64_t height) const;

  // Consensus recovery data, opaque to storage. SaveSafety is durable when it returns.
  Status SaveSafety(ByteView encoded);
  Result<std::optional<Bytes>> LoadSafety() const;
  // Not durable by itself: it becomes durable with the next durable write (SaveSafety or a
  // commit), which syncs the write-ahead log past it.
  Status SavePendingBlock(const Block& block);
  Result<std::vector<Block>> LoadPendingBlocks() const;  // by height, then hash
  Status PrunePending(uint64_t upto_height);             // drops pending blocks <= upto_height

  // A consistent copy of the database in `dir` (which must not exist), via RocksDB Checkpoint;
  // open it with OpenReadOnly or Open.
  Status CreateSnapshot(const std::string& dir) const;

  class Impl;

 private:
  explicit LedgerStore(std::unique_ptr<Impl> impl);
  // Puts the locations of blocks committed after the last sealed index file back in memory.
  Status RebuildRecentTxIndex();
  std::unique_ptr<Impl> impl_;
};

}  // namespace metaledger::storage
