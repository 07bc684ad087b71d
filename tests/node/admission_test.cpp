// Signature checks in batches: the verify cache's batch check and Mempool::SubmitMany give,
// item by item, the verdicts that one-by-one checks give, and a bad signature costs only its
// own transaction; the node's own signatures are never checked.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/crypto/ed25519.h"
#include "core/transaction.h"
#include "node/mempool.h"
#include "node/remembering_signer.h"
#include "node/verify_cache.h"
#include "tests/core/signed_messages.h"

namespace metaledger::node {
namespace {

constexpr char kChain[] = "admission-test";

Transaction SignedTx(const PrivateKey& key, uint64_t nonce, const std::string& chain = kChain) {
  Transaction tx;
  tx.chain_id = chain;
  tx.nonce = nonce;
  tx.kind = 1;
  tx.payload = Bytes(24, static_cast<uint8_t>(nonce));
  tx.Sign(key);
  return tx;
}

using testing::BatchItems;
using testing::MakeSignedMessages;
using testing::SignedMessage;

TEST(VerifyCacheBatch, RemembersWhatABatchVouchedFor) {
  VerifyCache cache;
  std::vector<SignedMessage> good = MakeSignedMessages(20);
  EXPECT_EQ(cache.FirstInvalid(BatchItems(good)), std::nullopt);
  EXPECT_EQ(cache.checks(), 20u);
  EXPECT_EQ(cache.FirstInvalid(BatchItems(good)), std::nullopt);
  EXPECT_EQ(cache.checks(), 20u) << "a second look is a lookup";
  EXPECT_EQ(cache.hits(), 20u);
  for (const SignedMessage& s : good) EXPECT_TRUE(cache.Verify(s.key, s.message.view(), s.sig));
  EXPECT_EQ(cache.checks(), 20u);
}

TEST(VerifyCacheBatch, NamesTheFirstBadSignatureAndRemembersOnlyThoseBeforeIt) {
  VerifyCache cache;
  std::vector<SignedMessage> mixed = MakeSignedMessages(12);
  mixed[7].sig.bytes[40] ^= 1;
  mixed[10].sig.bytes[40] ^= 1;
  EXPECT_EQ(cache.FirstInvalid(BatchItems(mixed)), std::optional<size_t>(7));
  uint64_t checks = cache.checks();
  for (size_t i = 0; i < 7; ++i)
    EXPECT_TRUE(cache.Verify(mixed[i].key, mixed[i].message.view(), mixed[i].sig));
  EXPECT_EQ(cache.checks(), checks) << "the items before the bad one were remembered";
  EXPECT_TRUE(cache.Verify(mixed[8].key, mixed[8].message.view(), mixed[8].sig));
  EXPECT_EQ(cache.checks(), checks + 1) << "nothing after the bad one was vouched for";
  // Already-remembered items in front do not shift the index reported.
  std::vector<SignedMessage> again = mixed;
  EXPECT_EQ(cache.FirstInvalid(BatchItems(again)), std::optional<size_t>(7));
}

TEST(RememberingSignerTest, OwnSignaturesAreNotCheckedAgain) {
  VerifyCache cache;
  PrivateKey key = PrivateKey::Generate();
  RememberingSigner signer(key, cache);
  Hash256 message = Sha256("a vote");
  Signature sig = signer.Sign(message);
  EXPECT_TRUE(Verify(key.public_key(), message.view(), sig));
  EXPECT_TRUE(cache.Verify(key.public_key(), message.view(), sig));
  EXPECT_EQ(cache.checks(), 0u);
  EXPECT_EQ(cache.hits(), 1u);
  Signature forged = sig;
  forged.bytes[50] ^= 1;
  EXPECT_FALSE(cache.Verify(key.public_key(), message.view(), forged)) << "only what it signed";
}

class SubmitManyTest : public ::testing::Test {
 protected:
  SubmitManyTest() : mempool_(MempoolOptions{kChain}, cache_, nullptr) {}
  VerifyCache cache_;
  Mempool mempool_;
};

TEST_F(SubmitManyTest, EachResultIsWhatSubmitWouldGive) {
  PrivateKey alice = PrivateKey::Generate(), bob = PrivateKey::Generate();
  Transaction held = SignedTx(alice, 1);
  ASSERT_TRUE(mempool_.Submit(Encode(held)).ok());

  Transaction bad_sig = SignedTx(bob, 9);
  bad_sig.signature.bytes[35] ^= 0x04;
  std::vector<Bytes> wire = {
      Encode(SignedTx(alice, 2)),                 // 0 admitted
      Encode(bad_sig),                            // 1 bad signature
      Encode(SignedTx(bob, 3, "another-chain")),  // 2 wrong chain
      Bytes{0x01, 0x02, 0x03},                    // 3 not a transaction
      Bytes(Transaction::kMaxEncoded + 1, 0),     // 4 too large
      Encode(held),                               // 5 already held
      Encode(SignedTx(bob, 4)),                   // 6 admitted
      Encode(SignedTx(bob, 4)),                   // 7 the same again in this call
      Encode(SignedTx(alice, 5)),                 // 8 admitted, after the bad signature
  };
  std::vector<ByteView> views(wire.begin(), wire.end());
  auto results = mempool_.SubmitMany(views);
  ASSERT_EQ(results.size(), wire.size());
  auto code = [&](size_t i) {
    return results[i].ok() ? StatusCode::kOk : results[i].status().code();
  };
  EXPECT_EQ(code(0), StatusCode::kOk);
  EXPECT_EQ(code(1), StatusCode::kUnauthenticated);
  EXPECT_EQ(code(2), StatusCode::kInvalidArgument);
  EXPECT_NE(results[2].status().message().find("WRONG_CHAIN"), std::string::npos);
  EXPECT_NE(results[3].status().message().find("BAD_ENCODING"), std::string::npos);
  EXPECT_NE(results[4].status().message().find("TX_TOO_LARGE"), std::string::npos);
  EXPECT_EQ(code(5), StatusCode::kAlreadyExists);
  EXPECT_EQ(code(6), StatusCode::kOk);
  EXPECT_EQ(code(7), StatusCode::kAlreadyExists);
  EXPECT_EQ(code(8), StatusCode::kOk);
  EXPECT_EQ(*results[0], SignedTx(alice, 2).Hash());
  EXPECT_EQ(mempool_.size(), 4u);  // held + 0, 6, 8
  MempoolStats stats = mempool_.stats();
  EXPECT_EQ(stats.admitted, 4u);
  EXPECT_EQ(stats.duplicates, 2u);
  EXPECT_EQ(stats.rejected, 2u);  // bad signature, wrong chain

  // One by one, the same verdicts.
  Mempool fresh(MempoolOptions{kChain}, cache_, nullptr);
  ASSERT_TRUE(fresh.Submit(Encode(held)).ok());
  for (size_t i = 0; i < wire.size(); ++i) {
    auto one = fresh.Submit(wire[i]);
    StatusCode c = one.ok() ? StatusCode::kOk : one.status().code();
    EXPECT_EQ(c, code(i)) << "item " << i;
  }
}

TEST_F(SubmitManyTest, SeveralBadSignaturesEachCostOnlyTheirOwnTransaction) {
  std::vector<Bytes> wire;
  std::vector<bool> good;
  for (int i = 0; i < 70; ++i) {
    Transaction tx = SignedTx(PrivateKey::Generate(), static_cast<uint64_t>(i));
    bool bad = i % 9 == 4;
    if (bad) tx.signature.bytes[33] ^= 0x20;
    wire.push_back(Encode(tx));
    good.push_back(!bad);
  }
  std::vector<ByteView> views(wire.begin(), wire.end());
  auto results = mempool_.SubmitMany(views);
  for (size_t i = 0; i < wire.size(); ++i) EXPECT_EQ(results[i].ok(), good[i]) << i;
}

}  // namespace
}  // namespace metaledger::node
