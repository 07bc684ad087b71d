#include "node/ledger_chain_store.h"

namespace metaledger::node {

Hash256 LedgerChainStore::StateRoot() const {
  auto root = store_.state_root(store_.last_height());
  return root.ok() ? *root : Hash256{};
}

Result<Hash256> LedgerChainStore::Prepare(const Block& block, const std::vector<Transaction>& txs,
                                          std::span<const Hash256> tx_ids,
                                          const ExecutionResult& result) {
  auto prepared =
      store_.Prepare(block, txs, result, tx_ids, storage::LedgerStore::TxRoot::kCheckedByCaller);
  if (!prepared.ok()) return prepared.status();
  Hash256 root = prepared->state_root();
  prepared_ = std::move(prepared).value();
  return root;
}

Status LedgerChainStore::Commit(const CommitCert& cert) {
  if (!prepared_) return Status::FailedPrecondition("commit: nothing prepared");
  Status s = store_.CommitBlock(*prepared_, cert);
  if (s.ok()) prepared_.reset();
  return s;
}

}  // namespace metaledger::node
