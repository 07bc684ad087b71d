// Batches as received from a peer: the hash and transaction ids taken from the received bytes
// must be exactly those the batch's own encoding gives, and anything else is refused.

#include <gtest/gtest.h>

#include "core/crypto/ed25519.h"
#include "node/batch.h"

namespace metaledger::node {
namespace {

Batch SampleBatch(size_t n) {
  PrivateKey key = PrivateKey::Generate();
  Batch b;
  b.author = 2;
  b.seq = 77;
  for (size_t i = 0; i < n; ++i) {
    Transaction tx;
    tx.chain_id = i % 2 ? "batch-test" : "a-chain-id-longer-than-sixteen-bytes";
    tx.nonce = i * 300;  // multi-byte varints too
    tx.kind = static_cast<uint16_t>(1 + i);
    tx.payload = Bytes(i * 7, static_cast<uint8_t>(i));
    tx.Sign(key);
    b.txs.push_back(tx);
  }
  return b;
}

TEST(BatchTest, ReceivedHashAndIdsAreThoseOfTheEncoding) {
  for (size_t n : {0, 1, 5, 40}) {
    Batch sent = SampleBatch(n);
    Bytes wire = Encode(sent);
    auto received = Batch::DecodeReceived(wire);
    ASSERT_TRUE(received.ok()) << received.status().ToString();
    EXPECT_EQ(Batch::HashOfEncoding("batch-test", wire), sent.Hash("batch-test"));
    EXPECT_NE(Batch::HashOfEncoding("batch-test", wire), sent.Hash("another-chain"));
    ASSERT_EQ(received->txs.size(), n);
    ASSERT_EQ(received->TxIds().size(), n);
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(received->TxIds()[i], sent.txs[i].Hash()) << i;
      EXPECT_EQ(received->txs[i].payload, sent.txs[i].payload) << i;
    }
    EXPECT_EQ(Encode(*received), wire);
  }
}

TEST(BatchTest, ReceivedBatchRefusesMalformedBytes) {
  Bytes wire = Encode(SampleBatch(3));
  Bytes trailing = wire;
  trailing.push_back(0);
  EXPECT_FALSE(Batch::DecodeReceived(trailing).ok());
  for (size_t cut : {size_t{0}, size_t{1}, size_t{13}, wire.size() / 2, wire.size() - 1}) {
    EXPECT_FALSE(Batch::DecodeReceived(ByteView(wire).first(cut)).ok())
        << cut;
  }
  Bytes bad_version = wire;
  bad_version[0] ^= 0x7f;
  EXPECT_FALSE(Batch::DecodeReceived(bad_version).ok());
  // A count far above what the bytes hold: refused, without reserving for it.
  Writer w;
  w.U8(Batch::kVersion).U32(0).U64(0).Varint(Batch::kMaxTxs);
  auto forged = Batch::DecodeReceived(w.bytes());
  EXPECT_FALSE(forged.ok());
  Writer over;
  over.U8(Batch::kVersion).U32(0).U64(0).Varint(Batch::kMaxTxs + 1);
  EXPECT_FALSE(Batch::DecodeReceived(over.bytes()).ok());
}

}  // namespace
}  // namespace metaledger::node
