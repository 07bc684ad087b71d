#include "node/batch.h"

namespace metaledger::node {

Hash256 Batch::Hash(std::string_view chain_id) const {
  Writer w;
  Encode(w);
  return TaggedHash("metaledger/batch/v1", chain_id, w.bytes());
}

void Batch::Encode(Writer& w) const {
  w.U8(kVersion).U32(author).U64(seq).Varint(txs.size());
  for (const Transaction& tx : txs) tx.Encode(w);
}

Batch Batch::DecodeFrom(Reader& r) {
  Batch b;
  r.ExpectVersion(kVersion, "batch");
  b.author = r.U32();
  b.seq = r.U64();
  uint64_t n = r.VarintMax(kMaxTxs, "batch size");
  for (uint64_t i = 0; i < n && r.ok(); ++i) b.txs.push_back(Transaction::DecodeFrom(r));
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

std::vector<Hash256> TxIds(const std::vector<const Batch*>& batches) {
  std::vector<Hash256> ids;
  for (const Batch* b : batches) {
    for (const Transaction& tx : b->txs) ids.push_back(tx.Hash());
  }
  return ids;
}

}  // namespace metaledger::node
