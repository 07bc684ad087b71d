#pragma once
// ChainStore: the slice of storage the node's execution pipeline, block sync and consensus
// recovery use. Implemented over storage's LedgerStore (ledger_chain_store.h); kept as an
// interface so the pipeline does not depend on RocksDB details.

#include <optional>
#include <vector>

#include "core/block.h"
#include "core/certificates.h"
#include "core/execution.h"
#include "core/state_view.h"
#include "core/transaction.h"

namespace metaledger::node {

class ChainStore {
 public:
  virtual ~ChainStore() = default;

  // Highest block executed and certified (0 = only genesis).
  virtual uint64_t Height() const = 0;
  virtual Hash256 StateRoot() const = 0;
  // The state after Height(): what the next block executes against and Precheck reads.
  virtual const StateView& State() const = 0;

  virtual Result<Block> BlockAt(uint64_t height) const = 0;
  virtual Result<uint64_t> HeightOf(const Hash256& block_hash) const = 0;
  virtual Result<CommitCert> CertAt(uint64_t height) const = 0;
  virtual Result<std::vector<Transaction>> TxsAt(uint64_t height) const = 0;

  // Stages block Height()+1 with its execution results; returns the state root it produces.
  // `tx_ids[i]` is txs[i].Hash() and their Merkle root is the header's tx_root: the node has
  // the ids from the batches and has matched them to the header, and hashing every transaction
  // again here cost ~4 % of a node's CPU in the unsigned benchmark (the root another ~4 %).
  virtual Result<Hash256> Prepare(const Block& block, const std::vector<Transaction>& txs,
                                  std::span<const Hash256> tx_ids,
                                  const ExecutionResult& result) = 0;
  // Makes the prepared block durable with its certificate (one synced write).
  virtual Status Commit(const CommitCert& cert) = 0;
  // Whether Prepare and Commit may run on another thread (one call at a time), concurrently
  // with the reads above and with SaveSafety, SavePendingBlock and PrunePending.
  virtual bool WritesOnAnotherThread() const { return false; }

  // Consensus safety data, opaque; SaveSafety is durable when it returns.
  virtual Status SaveSafety(ByteView data) = 0;
  virtual Result<std::optional<Bytes>> LoadSafety() const = 0;
  // Blocks consensus holds but has not committed, so a restarted replica keeps its tree.
  virtual Status SavePendingBlock(const Block&) { return Status::Ok(); }
  virtual Result<std::vector<Block>> LoadPendingBlocks() const { return std::vector<Block>{}; }
  virtual Status PrunePending(uint64_t) { return Status::Ok(); }
};

}  // namespace metaledger::node
