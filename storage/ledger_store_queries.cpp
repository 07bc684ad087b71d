// LedgerStore reads, consensus records and snapshots.

#include <rocksdb/utilities/checkpoint.h>

#include <charconv>

#include "storage/ledger_store.h"
#include "storage/ledger_store_impl.h"
#include "storage/tx_location_merge.h"

namespace metaledger::storage {

Result<Block> LedgerStore::GetBlock(uint64_t height) const {
  ML_ASSIGN_OR_RETURN(std::string raw,
                      impl_->GetRaw(keys::kBlocks, keys::BlockPart(height, keys::kBlockPart),
                                    "block " + std::to_string(height)));
  return DecodeStored<Block>(raw, "block");
}

Result<uint64_t> LedgerStore::HeightOf(const Hash256& block_hash) const {
  ML_ASSIGN_OR_RETURN(std::string raw,
                      impl_->GetRaw(keys::kBlockIndex,
                                    std::string(block_hash.bytes.begin(), block_hash.bytes.end()),
                                    "block " + block_hash.Hex()));
  if (raw.size() != 8) return Status::Corruption("stored block index entry has a bad size");
  return keys::ReadBE(raw, 0, 8);
}

Result<Block> LedgerStore::GetBlockByHash(const Hash256& block_hash) const {
  ML_ASSIGN_OR_RETURN(uint64_t height, HeightOf(block_hash));
  return GetBlock(height);
}

Result<std::vector<Transaction>> LedgerStore::GetTxs(uint64_t height) const {
  ML_ASSIGN_OR_RETURN(std::string raw,
                      impl_->GetRaw(keys::kBlocks, keys::BlockPart(height, keys::kTxsPart),
                                    "transactions of block " + std::to_string(height)));
  Reader r(AsBytes(raw));
  uint64_t n = r.VarintMax(kMaxTxsPerBlock, "transaction count");
  std::vector<Transaction> txs;
  for (uint64_t i = 0; i < n && r.ok(); ++i) txs.push_back(Transaction::DecodeFrom(r));
  if (!r.Finish().ok()) return Status::Corruption("stored transactions: " + r.Finish().message());
  return txs;
}

Result<ExecutionResult> LedgerStore::GetReceipts(uint64_t height) const {
  ML_ASSIGN_OR_RETURN(std::string raw,
                      impl_->GetRaw(keys::kBlocks, keys::BlockPart(height, keys::kReceiptsPart),
                                    "receipts of block " + std::to_string(height)));
  Reader r(AsBytes(raw));
  ExecutionResult result = ExecutionResult::DecodeReceipts(r);
  if (!r.Finish().ok()) return Status::Corruption("stored receipts: " + r.Finish().message());
  return result;
}

Result<CommitCert> LedgerStore::GetCert(uint64_t height) const {
  ML_ASSIGN_OR_RETURN(std::string raw, impl_->GetRaw(keys::kCerts, keys::Height(height),
                                                     "certificate " + std::to_string(height)));
  return DecodeStored<CommitCert>(raw, "certificate");
}

Result<TxLocation> LedgerStore::GetTxLocation(const Hash256& tx_hash) const {
  // The recent index first: a run there is final. Otherwise the family may hold an earlier
  // refusal or the run, which then takes precedence over a refusal here.
  std::optional<TxLocation> recent = impl_->recent_->Find(tx_hash);
  if (recent && RanItsTransaction(*recent)) return *recent;
  ML_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                      impl_->GetOptional(keys::kTxIndex, keys::Tx(tx_hash), "tx location"));
  if (!raw) {
    if (recent) return *recent;
    return Status::NotFound("transaction " + tx_hash.Hex() + " not found");
  }
  std::optional<TxLocation> stored = DecodeTxLocation(*raw);
  if (!stored) return Status::Corruption("stored location of transaction " + tx_hash.Hex());
  return recent && TakesPrecedence(*recent, *stored) ? *recent : *stored;
}

Result<Page<AccountTx>> LedgerStore::GetAccountTxs(const Address& sender, size_t limit,
                                                   const std::optional<std::string>& cursor) const {
  if (limit == 0 || limit > kMaxPageSize) {
    return Status::InvalidArgument("page size must be 1.." + std::to_string(kMaxPageSize));
  }
  const std::string prefix = keys::AccountPrefix(sender);
  std::string start = prefix + std::string(12, '\xff');
  if (cursor) {
    auto pos = FromHex(*cursor);
    if (!pos.ok() || pos->size() != 12) return Status::InvalidArgument("bad account cursor");
    start = prefix + ToString(*pos);
  }
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db_->NewIterator(rocksdb::ReadOptions(), impl_->handles_[keys::kAccountTxs]));
  Page<AccountTx> page;
  for (it->SeekForPrev(start); it->Valid() && it->key().starts_with(prefix); it->Prev()) {
    std::string_view k(it->key().data(), it->key().size());
    if (k.size() != prefix.size() + 12 || it->value().size() != 32) {
      return Status::Corruption("stored account index entry has a bad size");
    }
    if (page.items.size() == limit) {
      page.next_cursor = ToHex(AsBytes(k.substr(prefix.size())));
      break;
    }
    AccountTx entry;
    entry.height = keys::ReadBE(k, prefix.size(), 8);
    entry.index = static_cast<uint32_t>(keys::ReadBE(k, prefix.size() + 8, 4));
    std::memcpy(entry.tx_hash.data(), it->value().data(), 32);
    page.items.push_back(entry);
  }
  if (!it->status().ok()) return FromRocks(it->status(), "listing account transactions");
  return page;
}

Result<Page<BlockHeader>> LedgerStore::GetHeaders(size_t limit,
                                                  const std::optional<std::string>& cursor) const {
  if (limit == 0 || limit > kMaxPageSize) {
    return Status::InvalidArgument("page size must be 1.." + std::to_string(kMaxPageSize));
  }
  uint64_t top = last_height();
  if (cursor) {
    uint64_t h = 0;
    auto [end, ec] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), h);
    if (ec != std::errc() || end != cursor->data() + cursor->size() || cursor->empty()) {
      return Status::InvalidArgument("bad header cursor '" + *cursor + "'");
    }
    if (h > top) return Status::InvalidArgument("header cursor is above the last height");
    top = h;
  }
  Page<BlockHeader> page;
  for (uint64_t h = top;; --h) {
    if (page.items.size() == limit) {
      page.next_cursor = std::to_string(h);
      break;
    }
    ML_ASSIGN_OR_RETURN(Block b, GetBlock(h));
    page.items.push_back(b.header);
    if (h == 0) break;
  }
  return page;
}

const StateView& LedgerStore::LatestState() const { return *impl_; }

Result<StateProofResult> LedgerStore::GetWithProof(ByteView key, uint64_t height) const {
  if (height > last_height()) {
    return Status::NotFound("height " + std::to_string(height) +
                            " is above the last committed height " + std::to_string(last_height()));
  }
  ML_ASSIGN_OR_RETURN(NodeRef root, impl_->RootAt(height));
  ML_ASSIGN_OR_RETURN(TreeLookup lookup, ProveInTree(*impl_, root, key));
  StateProofResult out;
  out.height = height;
  out.state_root = root.hash;
  out.value = std::move(lookup.value);
  out.proof = std::move(lookup.proof);
  return out;
}

Status LedgerStore::SaveSafety(ByteView encoded) {
  rocksdb::WriteBatch batch;
  ML_RETURN_IF_ERROR(FromRocks(
      batch.Put(impl_->handles_[keys::kConsensus], keys::kSafety,
                rocksdb::Slice(reinterpret_cast<const char*>(encoded.data()), encoded.size())),
      "batching"));
  return impl_->Write(batch, "saving safety record");
}

Result<std::optional<Bytes>> LedgerStore::LoadSafety() const {
  ML_ASSIGN_OR_RETURN(auto raw, impl_->GetOptional(keys::kConsensus, keys::kSafety, "safety"));
  if (!raw) return std::optional<Bytes>();
  return std::optional<Bytes>(Bytes(raw->begin(), raw->end()));
}

Status LedgerStore::SavePendingBlock(const Block& block) {
  rocksdb::WriteBatch batch;
  ML_RETURN_IF_ERROR(
      FromRocks(batch.Put(impl_->handles_[keys::kConsensus],
                          keys::Pending(block.header.height, block.Hash(impl_->chain_id_)),
                          EncodeToString(block)),
                "batching"));
  // Not synced: a pending block matters after a crash only if this node voted for it, and the
  // vote's SaveSafety syncs the WAL, this record included. One fsync less per block per node.
  return impl_->Write(batch, "saving pending block", /*durable=*/false);
}

Result<std::vector<Block>> LedgerStore::LoadPendingBlocks() const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db_->NewIterator(rocksdb::ReadOptions(), impl_->handles_[keys::kConsensus]));
  std::vector<Block> blocks;
  const std::string prefix(1, keys::kPendingPrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    ML_ASSIGN_OR_RETURN(Block b, DecodeStored<Block>(it->value().ToStringView(), "pending block"));
    blocks.push_back(std::move(b));
  }
  if (!it->status().ok()) return FromRocks(it->status(), "loading pending blocks");
  return blocks;
}

Status LedgerStore::PrunePending(uint64_t upto_height) {
  ML_RETURN_IF_ERROR(impl_->CheckWritable());
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db_->NewIterator(rocksdb::ReadOptions(), impl_->handles_[keys::kConsensus]));
  rocksdb::WriteBatch batch;
  const std::string prefix(1, keys::kPendingPrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() < 9 || keys::ReadBE(it->key().ToStringView(), 1, 8) > upto_height) break;
    ML_RETURN_IF_ERROR(
        FromRocks(batch.Delete(impl_->handles_[keys::kConsensus], it->key()), "batching"));
  }
  if (!it->status().ok()) return FromRocks(it->status(), "pruning pending blocks");
  if (batch.Count() == 0) return Status::Ok();
  return impl_->Write(batch, "pruning pending blocks");
}

Status LedgerStore::CreateSnapshot(const std::string& dir) const {
  rocksdb::Checkpoint* raw = nullptr;
  ML_RETURN_IF_ERROR(FromRocks(rocksdb::Checkpoint::Create(impl_->db_, &raw), "snapshot"));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(dir), "creating snapshot in " + dir);
}

}  // namespace metaledger::storage