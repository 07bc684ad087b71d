#pragma once
// An in-memory ChainStore for tests and in-process clusters. Its state root chains the write
// sets, H(previous root ‖ canonical write set), which is deterministic across nodes but is not
// the authenticated tree storage/ provides (no proofs).

#include <map>

#include "node/chain_store.h"

namespace metaledger::node {

class MemoryChainStore final : public ChainStore {
 public:
  // Starts from the genesis state.
  explicit MemoryChainStore(const WriteSet& genesis_state);

  uint64_t Height() const override { return blocks_.size(); }
  Hash256 StateRoot() const override { return root_; }
  const StateView& State() const override { return state_; }
  Result<Block> BlockAt(uint64_t height) const override;
  Result<uint64_t> HeightOf(const Hash256& block_hash) const override;
  Result<CommitCert> CertAt(uint64_t height) const override;
  Result<std::vector<Transaction>> TxsAt(uint64_t height) const override;
  Result<Hash256> Prepare(const Block& block, const std::vector<Transaction>& txs,
                          std::span<const Hash256> tx_ids, const ExecutionResult& result) override;
  Status Commit(const CommitCert& cert) override;
  Status SaveSafety(ByteView data) override;
  // Result codes of a certified block's transactions (tests).
  Result<std::vector<uint16_t>> CodesAt(uint64_t height) const;
  Result<std::optional<Bytes>> LoadSafety() const override;

 private:
  struct Entry {
    Block block;
    std::vector<Transaction> txs;
    CommitCert cert;
    std::vector<uint16_t> codes;
  };
  struct Pending {
    Block block;
    std::vector<Transaction> txs;
    WriteSet writes;
    Hash256 root;
    std::vector<uint16_t> codes;
  };
  MemoryState state_;
  Hash256 root_;
  std::vector<Entry> blocks_;
  std::map<Hash256, uint64_t> by_hash_;
  std::optional<Pending> pending_;
  std::optional<Bytes> safety_;
};

}  // namespace metaledger::node
