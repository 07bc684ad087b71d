#pragma once
// ChainReader over storage's LedgerStore: what the node hands to the REST API.
//
// Everything the store holds is committed with its commit certificate (CommitBlock requires
// one), so the latest certified height is the store's last height. State proofs come from
// LedgerStore::GetWithProof and are served as a self-contained state proof bundle (see
// docs/rest.md): key, value, the sparse-Merkle proof, and the header, commit certificate and
// validator set that certify the state root.

#include "node/rest/backend.h"
#include "storage/ledger_store.h"

namespace metaledger::rest {

class LedgerStoreReader final : public ChainReader {
 public:
  // Both must outlive the reader. `genesis` must be the store's genesis.
  LedgerStoreReader(const storage::LedgerStore& store, const Genesis& genesis)
      : store_(store), genesis_(genesis) {}

  const Genesis& genesis() const override { return genesis_; }
  Result<uint64_t> LatestHeight() const override { return store_.last_height(); }
  Result<Block> GetBlock(uint64_t height) const override;
  Result<uint64_t> HeightOfBlock(const Hash256& block_hash) const override;
  Result<CommitCert> GetCommitCert(uint64_t height) const override;
  Result<std::vector<Transaction>> GetBlockTxs(uint64_t height) const override;
  Result<ExecutionResult> GetReceipts(uint64_t height) const override;
  // The genesis set: validator changes are not tracked per height yet.
  Result<ValidatorSet> ValidatorsAt(uint64_t height) const override;
  Result<TxLocation> LocateTx(const Hash256& tx_hash) const override;
  Result<TxPage> AccountTxs(const Address& account, const std::string& cursor,
                            size_t limit) const override;
  Result<StateEntry> GetState(ByteView key, uint64_t height, bool prove) const override;

 private:
  const storage::LedgerStore& store_;
  const Genesis& genesis_;
};

}  // namespace metaledger::rest
