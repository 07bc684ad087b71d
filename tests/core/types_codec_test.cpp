// Every ledger type encodes and decodes back to itself, and its decoder enforces its limits.

#include <gtest/gtest.h>

#include "tests/core/samples.h"

namespace metaledger {
namespace {

template <typename T>
void ExpectRoundTrip(const T& value) {
  Bytes bytes = Encode(value);
  auto back = Decode<T>(bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, value);
  EXPECT_EQ(Encode(*back), bytes) << "one value, one encoding";
}

class TypesRoundTrip : public ::testing::Test {
 protected:
  testing::Samples s_{7};
};

TEST_F(TypesRoundTrip, Transaction) {
  for (int i = 0; i < 50; ++i) ExpectRoundTrip(s_.Tx());
  ExpectRoundTrip(Transaction{});
  Transaction max;
  max.chain_id = std::string(Transaction::kMaxChainId, 'c');
  max.payload = Bytes(Transaction::kMaxPayload, 0xab);
  max.nonce = ~0ull;
  max.kind = 0xffff;
  ExpectRoundTrip(max);
  EXPECT_LE(Encode(max).size(), Transaction::kMaxEncoded);
}

TEST_F(TypesRoundTrip, BlockHeader) {
  for (int i = 0; i < 20; ++i) ExpectRoundTrip(s_.Header());
}

TEST_F(TypesRoundTrip, BlockWithAndWithoutTimeoutCert) {
  for (int i = 0; i < 20; ++i) {
    Block without = s_.MakeBlock(false);
    ExpectRoundTrip(without);
    Block with = s_.MakeBlock(true);
    ExpectRoundTrip(with);
    EXPECT_NE(Encode(with), Encode(without));
  }
}

TEST_F(TypesRoundTrip, VoteAndQuorumCert) {
  for (int i = 0; i < 20; ++i) {
    ExpectRoundTrip(s_.MakeVote());
    ExpectRoundTrip(s_.Qc());
  }
  ExpectRoundTrip(QuorumCert{});
}

TEST_F(TypesRoundTrip, TimeoutMsgAndTimeoutCert) {
  for (int i = 0; i < 20; ++i) {
    ExpectRoundTrip(s_.Timeout());
    ExpectRoundTrip(s_.Tc());
  }
}

TEST_F(TypesRoundTrip, CommitVoteAndCommitCert) {
  for (int i = 0; i < 20; ++i) {
    ExpectRoundTrip(s_.MakeCommitVote());
    ExpectRoundTrip(s_.MakeCommitCert());
  }
}

TEST_F(TypesRoundTrip, ValidatorSet) {
  ExpectRoundTrip(s_.Validators(1));
  ExpectRoundTrip(s_.Validators(7));
  ExpectRoundTrip(ValidatorSet{});
}

TEST_F(TypesRoundTrip, InclusionProof) {
  for (int i = 0; i < 20; ++i) ExpectRoundTrip(s_.Proof());
}

TEST_F(TypesRoundTrip, EventAndReceipts) {
  for (int i = 0; i < 20; ++i) ExpectRoundTrip(s_.MakeEvent());
  for (int i = 0; i < 20; ++i) {
    ExecutionResult r = s_.Receipts();
    Writer w;
    r.EncodeReceipts(w);
    Reader rd(w.bytes());
    ExecutionResult back = ExecutionResult::DecodeReceipts(rd);
    ASSERT_TRUE(rd.Finish().ok()) << rd.Finish().ToString();
    EXPECT_EQ(back.tx_codes, r.tx_codes);
    EXPECT_EQ(back.events, r.events);
  }
}

TEST(TypesLimits, SignatureCountAboveValidatorLimit) {
  QuorumCert qc;
  qc.sigs.resize(ValidatorSet::kMaxValidators + 1);
  auto r = Decode<QuorumCert>(Encode(qc));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("signature count"), std::string::npos);
}

TEST(TypesLimits, SignerIndexAboveValidatorLimit) {
  Vote v;
  v.voter = ValidatorSet::kMaxValidators;
  auto r = Decode<Vote>(Encode(v));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("voter index"), std::string::npos);
}

TEST(TypesLimits, BlockPayloadAboveLimit) {
  Block b;
  b.payload.resize(Block::kMaxPayload + 1);
  auto r = Decode<Block>(Encode(b));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("block payload"), std::string::npos);
}

TEST(TypesLimits, BlockWithBadTcFlag) {
  Block b;
  Bytes bytes = Encode(b);
  // Header and justify come first; the TC presence flag follows them.
  Writer prefix;
  b.header.Encode(prefix);
  b.justify.Encode(prefix);
  ASSERT_EQ(bytes[prefix.size()], 0);
  bytes[prefix.size()] = 2;
  auto r = Decode<Block>(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bad boolean"), std::string::npos);
}

TEST(TypesHash, BlockHashCoversEveryHeaderFieldAndChain) {
  testing::Samples s(3);
  BlockHeader h = s.Header();
  Hash256 base = h.Hash("c");
  EXPECT_NE(base, h.Hash("d"));
  BlockHeader m = h;
  m.height++;
  EXPECT_NE(m.Hash("c"), base);
  m = h;
  m.round++;
  EXPECT_NE(m.Hash("c"), base);
  m = h;
  m.parent_hash.bytes[0] ^= 1;
  EXPECT_NE(m.Hash("c"), base);
  m = h;
  m.proposer ^= 1;
  EXPECT_NE(m.Hash("c"), base);
  m = h;
  m.time_ms++;
  EXPECT_NE(m.Hash("c"), base);
  m = h;
  m.payload_hash.bytes[0] ^= 1;
  EXPECT_NE(m.Hash("c"), base);
  m = h;
  m.tx_root.bytes[0] ^= 1;
  EXPECT_NE(m.Hash("c"), base);
  m = h;
  m.tx_count ^= 1;
  EXPECT_NE(m.Hash("c"), base);
  m = h;
  m.validator_set_hash.bytes[0] ^= 1;
  EXPECT_NE(m.Hash("c"), base);
}

TEST(TypesHash, GenesisBlockIsFixed) {
  Hash256 vs = Sha256("validators");
  Block a = MakeGenesisBlock("chain", 1000, vs);
  Block b = MakeGenesisBlock("chain", 1000, vs);
  EXPECT_EQ(a.Hash("chain"), b.Hash("chain"));
  EXPECT_EQ(a.header.height, 0u);
  EXPECT_EQ(a.header.tx_root, MerkleRoot({}));
  EXPECT_EQ(a.header.payload_hash, PayloadHash("chain", {}));
  EXPECT_NE(MakeGenesisBlock("chain", 1001, vs).Hash("chain"), a.Hash("chain"));
}

}  // namespace
}  // namespace metaledger
