#pragma once
// A small certified chain for REST tests: a genesis with four validators, blocks of signed
// transactions, commit certificates signed by three validators, receipts with events, and an
// in-memory ChainReader over them; plus scripted ContractViews and RestBackend fakes.

#include <atomic>
#include <map>
#include <mutex>
#include <vector>

#include "core/crypto/ed25519.h"
#include "node/rest/backend.h"

namespace metaledger::rest::testing {

class TestChain final : public ChainReader {
 public:
  // Builds `blocks` blocks above genesis, block h holding h transactions (at most 5).
  explicit TestChain(uint64_t blocks);

  const Genesis& genesis() const override { return genesis_; }
  Result<uint64_t> LatestHeight() const override;
  Result<Block> GetBlock(uint64_t height) const override;
  Result<uint64_t> HeightOfBlock(const Hash256& block_hash) const override;
  Result<CommitCert> GetCommitCert(uint64_t height) const override;
  Result<std::vector<Transaction>> GetBlockTxs(uint64_t height) const override;
  Result<ExecutionResult> GetReceipts(uint64_t height) const override;
  Result<ValidatorSet> ValidatorsAt(uint64_t height) const override;
  Result<TxLocation> LocateTx(const Hash256& tx_hash) const override;
  Result<TxPage> AccountTxs(const Address& account, const std::string& cursor,
                            size_t limit) const override;
  Result<StateEntry> GetState(ByteView key, uint64_t height, bool prove) const override;

  // Appends one certified block holding `txs` (used to show ?wait=commit and SSE progress).
  void AppendBlock(std::vector<Transaction> txs);
  // A transaction signed by test account `who`, not yet in any block.
  Transaction MakeTx(size_t who, uint64_t nonce, uint16_t kind = 1) const;

  // A commit certificate for `block` with this state root, signed by three of four validators.
  CommitCert SignCert(const Block& block, const Hash256& state_root) const;

  const PrivateKey& account(size_t i) const { return accounts_[i]; }
  std::vector<Hash256> AllTxHashes() const;

 private:
  void AppendLocked(std::vector<Transaction> txs);

  Genesis genesis_;
  std::vector<PrivateKey> validator_keys_;
  std::vector<PrivateKey> accounts_;
  mutable std::mutex mu_;
  std::vector<Block> blocks_;  // index = height
  std::vector<std::vector<Transaction>> txs_;
  std::vector<ExecutionResult> receipts_;
  std::vector<CommitCert> certs_;
  std::map<Hash256, TxLocation> tx_index_;
  std::map<Address, std::vector<Hash256>> by_sender_;  // oldest first
  std::map<Bytes, Bytes> state_;                       // same at every height, for the test
};

// Answers every view for ids whose first byte is 0xaa, NotFound otherwise, echoing the query.
class FakeViews final : public ContractViews {
 public:
  Result<nlohmann::json> Query(const ViewQuery& query) const override;
};

class FakeBackend final : public RestBackend {
 public:
  explicit FakeBackend(TestChain* chain) : chain_(chain) {}
  NodeStatus Status() const override;
  // Accepts any transaction that decodes and is correctly signed; commits nothing itself.
  Admission SubmitTx(ByteView tx_bytes) override;
  std::vector<ReadinessPart> Readiness() const override;

  void set_peers_ready(bool ready) { peers_ready_ = ready; }
  std::vector<Transaction> TakeSubmitted();
  size_t submitted_count() {
    std::lock_guard lock(mu_);
    return submitted_.size();
  }

 private:
  TestChain* chain_;
  std::atomic<bool> peers_ready_{true};
  std::mutex mu_;
  std::vector<Transaction> submitted_;
};

}  // namespace metaledger::rest::testing
