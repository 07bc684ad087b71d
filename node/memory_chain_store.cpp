#include "node/memory_chain_store.h"

#include "core/crypto/hash.h"

namespace metaledger::node {

namespace {
Hash256 ChainRoot(const Hash256& previous, const WriteSet& writes) {
  Writer w(256);  // reserving also sidesteps a GCC 12 -Wstringop-overflow false positive
  w.Fixed(previous).Varint(writes.size());
  for (const auto& [k, v] : writes) {
    w.Bytes(k).Bool(v.has_value());
    if (v) w.Bytes(*v);
  }
  return TaggedHash("metaledger/memory-state/v1", "", w.bytes());
}
}  // namespace

MemoryChainStore::MemoryChainStore(const WriteSet& genesis_state) {
  state_.Apply(genesis_state);
  root_ = ChainRoot(Hash256{}, genesis_state);
}

Result<Block> MemoryChainStore::BlockAt(uint64_t height) const {
  if (height == 0 || height > blocks_.size()) return Status::NotFound("no block at that height");
  return blocks_[height - 1].block;
}

Result<uint64_t> MemoryChainStore::HeightOf(const Hash256& block_hash) const {
  auto it = by_hash_.find(block_hash);
  if (it == by_hash_.end()) return Status::NotFound("unknown block");
  return it->second;
}

Result<CommitCert> MemoryChainStore::CertAt(uint64_t height) const {
  if (height == 0 || height > blocks_.size()) return Status::NotFound("no block at that height");
  return blocks_[height - 1].cert;
}

Result<std::vector<Transaction>> MemoryChainStore::TxsAt(uint64_t height) const {
  if (height == 0 || height > blocks_.size()) return Status::NotFound("no block at that height");
  return blocks_[height - 1].txs;
}

Result<Hash256> MemoryChainStore::Prepare(const Block& block, const std::vector<Transaction>& txs,
                                          std::span<const Hash256> /*tx_ids*/,
                                          const ExecutionResult& result) {
  if (block.header.height != Height() + 1) {
    return Status::FailedPrecondition("prepare: block is not the next height");
  }
  Pending p{block, txs, result.writes, ChainRoot(root_, result.writes), result.tx_codes};
  Hash256 root = p.root;
  pending_ = std::move(p);
  return root;
}

Status MemoryChainStore::Commit(const CommitCert& cert) {
  if (!pending_ || cert.height != pending_->block.header.height) {
    return Status::FailedPrecondition("commit: no prepared block at that height");
  }
  if (cert.state_root != pending_->root) {
    return Status::FailedPrecondition("commit: certificate state root differs from prepared");
  }
  state_.Apply(pending_->writes);
  root_ = pending_->root;
  by_hash_[cert.block_hash] = cert.height;
  blocks_.push_back(
      {std::move(pending_->block), std::move(pending_->txs), cert, std::move(pending_->codes)});
  pending_.reset();
  return Status::Ok();
}

Result<std::vector<uint16_t>> MemoryChainStore::CodesAt(uint64_t height) const {
  if (height == 0 || height > blocks_.size()) return Status::NotFound("no block at that height");
  return blocks_[height - 1].codes;
}

Status MemoryChainStore::SaveSafety(ByteView data) {
  safety_ = Bytes(data.begin(), data.end());
  return Status::Ok();
}

Result<std::optional<Bytes>> MemoryChainStore::LoadSafety() const { return safety_; }

}  // namespace metaledger::node
