#pragma once
// Node-to-node messages: one kind byte, then the body. Consensus messages travel as the exact
// bytes of consensus::EncodeMessage.

#include <cstdint>
#include <vector>

#include "core/block.h"
#include "core/certificates.h"
#include "core/codec.h"
#include "core/transaction.h"

namespace metaledger::node {

enum class WireKind : uint8_t {
  kConsensus = 1,     // consensus::Message
  kBatch = 2,         // Batch
  kBatchRequest = 3,  // varint n, n batch hashes
  kCommitVote = 4,    // CommitVote
  kSyncRequest = 5,   // u64 first height, u32 max blocks
  kSyncBlock = 6,     // SyncBlock
  kBlockRequest = 7,  // block hash
  kBlockResponse = 8, // Block
  kStatus = 9,        // u64 certified height
};

// A certified block as block sync ships it: the block, its transactions and its certificate.
struct SyncBlock {
  static constexpr size_t kMaxTxs = 1 << 20;
  Block block;
  std::vector<Transaction> txs;
  CommitCert cert;

  void Encode(Writer& w) const {
    block.Encode(w);
    w.Varint(txs.size());
    for (const Transaction& tx : txs) tx.Encode(w);
    cert.Encode(w);
  }
  static SyncBlock DecodeFrom(Reader& r) {
    SyncBlock s;
    s.block = Block::DecodeFrom(r);
    uint64_t n = r.VarintMax(kMaxTxs, "sync block txs");
    for (uint64_t i = 0; i < n && r.ok(); ++i) s.txs.push_back(Transaction::DecodeFrom(r));
    s.cert = CommitCert::DecodeFrom(r);
    return s;
  }
};

inline Bytes WireMessage(WireKind kind, ByteView body) {
  Bytes out;
  out.reserve(body.size() + 1);
  out.push_back(static_cast<uint8_t>(kind));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

template <typename T>
Bytes WireMessageOf(WireKind kind, const T& value) {
  Writer w;
  w.U8(static_cast<uint8_t>(kind));
  value.Encode(w);
  return w.Take();
}

}  // namespace metaledger::node
