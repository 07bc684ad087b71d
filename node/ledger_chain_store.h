#pragma once
// ChainStore over storage's RocksDB LedgerStore.

#include <memory>

#include "node/chain_store.h"
#include "storage/ledger_store.h"

namespace metaledger::node {

class LedgerChainStore final : public ChainStore {
 public:
  explicit LedgerChainStore(storage::LedgerStore& store) : store_(store) {}

  uint64_t Height() const override { return store_.last_height(); }
  Hash256 StateRoot() const override;
  const StateView& State() const override { return store_.LatestState(); }
  Result<Block> BlockAt(uint64_t height) const override { return store_.GetBlock(height); }
  Result<uint64_t> HeightOf(const Hash256& block_hash) const override {
    return store_.HeightOf(block_hash);
  }
  Result<CommitCert> CertAt(uint64_t height) const override { return store_.GetCert(height); }
  Result<std::vector<Transaction>> TxsAt(uint64_t height) const override {
    return store_.GetTxs(height);
  }
  Result<Hash256> Prepare(const Block& block, const std::vector<Transaction>& txs,
                          std::span<const Hash256> tx_ids, const ExecutionResult& result) override;
  Status Commit(const CommitCert& cert) override;
  // RocksDB writes are atomic and thread-safe; LedgerStore's reads may run beside one writer,
  // and Save*/PrunePending touch only the consensus column family in batches of their own.
  bool WritesOnAnotherThread() const override { return true; }
  Status SaveSafety(ByteView data) override { return store_.SaveSafety(data); }
  Result<std::optional<Bytes>> LoadSafety() const override { return store_.LoadSafety(); }
  Status SavePendingBlock(const Block& b) override { return store_.SavePendingBlock(b); }
  Result<std::vector<Block>> LoadPendingBlocks() const override {
    return store_.LoadPendingBlocks();
  }
  Status PrunePending(uint64_t upto) override { return store_.PrunePending(upto); }

 private:
  storage::LedgerStore& store_;
  std::optional<storage::PreparedCommit> prepared_;
};

}  // namespace metaledger::node
