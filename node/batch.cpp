#include "node/batch.h"

#include <algorithm>

namespace metaledger::node {

Hash256 Batch::Hash(std::string_view chain_id) const {
  Writer w;
  Encode(w);
  return HashOfEncoding(chain_id, w.bytes());
}

Hash256 Batch::HashOfEncoding(std::string_view chain_id, ByteView encoded) {
  return TaggedHash("metaledger/batch/v1", chain_id, encoded);
}

void Batch::Encode(Writer& w) const {
  w.U8(kVersion).U32(author).U64(seq).Varint(txs.size());
  for (const Transaction& tx : txs) tx.Encode(w);
}

Batch Batch::DecodeFrom(Reader& r) { return DecodeWithIds(r, {}, nullptr); }

Batch Batch::DecodeWithIds(Reader& r, ByteView encoded, std::vector<Hash256>* ids) {
  Batch b;
  r.ExpectVersion(kVersion, "batch");
  b.author = r.U32();
  b.seq = r.U64();
  uint64_t n = r.VarintMax(kMaxTxs, "batch size");
  // A transaction takes at least 100 bytes: a forged count cannot make this reserve more than
  // the input could hold.
  const size_t expected = std::min<uint64_t>(n, r.remaining() / 100);
  b.txs.reserve(expected);
  if (ids) ids->reserve(expected);
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    size_t start = r.position();
    b.txs.push_back(Transaction::DecodeFrom(r));
    if (ids && r.ok()) {
      ids->push_back(TaggedHash("metaledger/txid/v1", b.txs.back().chain_id,
                                encoded.subspan(start, r.position() - start)));
    }
  }
  return b;
}

Result<Batch> Batch::DecodeReceived(ByteView encoded) {
  Reader r(encoded);
  std::vector<Hash256> ids;
  Batch b = DecodeWithIds(r, encoded, &ids);
  ML_RETURN_IF_ERROR(r.Finish());
  b.tx_ids_ = std::move(ids);
  return b;
}

void BlockPayload::Encode(Writer& w) const {
  w.U8(kVersion).Varint(batches.size());
  for (const Hash256& h : batches) w.Fixed(h);
}

BlockPayload BlockPayload::DecodeFrom(Reader& r) {
  BlockPayload p;
  r.ExpectVersion(kVersion, "block payload");
  uint64_t n = r.VarintMax(kMaxBatches, "batch count");
  for (uint64_t i = 0; i < n && r.ok(); ++i) p.batches.push_back(r.Fixed<32>());
  return p;
}

const std::vector<Hash256>& Batch::TxIds() const {
  if (tx_ids_.size() != txs.size()) {
    tx_ids_.clear();
    tx_ids_.reserve(txs.size());
    for (const Transaction& tx : txs) tx_ids_.push_back(tx.Hash());
  }
  return tx_ids_;
}

std::vector<Hash256> TxIds(const std::vector<const Batch*>& batches) {
  size_t n = 0;
  for (const Batch* b : batches) n += b->txs.size();
  std::vector<Hash256> ids;
  ids.reserve(n);
  for (const Batch* b : batches) {
    const std::vector<Hash256>& mine = b->TxIds();
    ids.insert(ids.end(), mine.begin(), mine.end());
  }
  return ids;
}

Result<BlockPayload> PayloadOf(const Block& block) {
  if (block.payload.empty()) return BlockPayload{};
  return Decode<BlockPayload>(block.payload);
}

}  // namespace metaledger::node
