// TxProofBundle: a bundle built from real signatures verifies against the genesis, survives a
// JSON round trip, and each kind of tampering fails at exactly the check that guards it.
#include "core/proof_bundle.h"

#include <gtest/gtest.h>

#include "core/payload/payloads.h"

namespace metaledger {
namespace {

PrivateKey KeyFromByte(uint8_t b) {
  Bytes seed(32, b);
  return *PrivateKey::FromSeed(seed);
}

class ProofBundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Validator> vals;
    for (uint8_t i = 0; i < 4; ++i) {
      validator_keys_.push_back(KeyFromByte(static_cast<uint8_t>(0x10 + i)));
      vals.push_back({"v" + std::to_string(i), validator_keys_.back().public_key(), ""});
    }
    genesis_.chain_id = "proof-test";
    genesis_.genesis_time_ms = 1000;
    genesis_.validators = ValidatorSet(vals);
    ASSERT_TRUE(genesis_.Validate().ok());

    PrivateKey user = KeyFromByte(0x77);
    for (uint64_t n = 0; n < 5; ++n) {
      TransferPayload p{AddressOf(user.public_key()), 100 + n};
      Transaction tx = BuildTransaction(genesis_.chain_id, user.public_key(), n, p);
      tx.Sign(user);
      txs_.push_back(tx);
      ids_.push_back(tx.Hash());
    }
    header_.height = 7;
    header_.round = 9;
    header_.time_ms = 5000;
    header_.tx_root = MerkleRoot(ids_);
    header_.tx_count = static_cast<uint32_t>(ids_.size());
    header_.validator_set_hash = genesis_.validators.Hash(genesis_.chain_id);
    state_root_ = Sha256(std::string_view("state"));
    bundle_ = MakeBundle(kIndex);
  }

  CommitCert SignCert(uint64_t height, const Hash256& block_hash, const Hash256& tx_root,
                      std::vector<uint32_t> signers) const {
    CommitCert c{height, block_hash, tx_root, state_root_, {}};
    Hash256 msg = CommitMessage(genesis_.chain_id, height, block_hash, tx_root, state_root_);
    for (uint32_t s : signers) c.sigs.push_back({s, validator_keys_[s].Sign(msg.view())});
    return c;
  }

  TxProofBundle MakeBundle(uint64_t index) const {
    TxProofBundle b;
    b.chain_id = genesis_.chain_id;
    b.tx = Encode(txs_[index]);
    b.proof = *MerkleProve(ids_, index);
    b.header = header_;
    b.cert = SignCert(header_.height, header_.Hash(genesis_.chain_id), header_.tx_root, {0, 1, 3});
    b.validators = genesis_.validators;
    return b;
  }

  void ExpectFails(const TxProofBundle& b, ProofCheck check) const {
    ProofVerdict v = CheckTxProof(b, genesis_);
    ASSERT_FALSE(v.ok()) << "expected failure at " << ProofCheckName(check);
    ASSERT_TRUE(v.failed.has_value());
    EXPECT_EQ(*v.failed, check) << v.status.ToString();
    EXPECT_EQ(v.status.message().rfind(std::string(ProofCheckName(check)) + ": ", 0), 0u)
        << v.status.message();
    EXPECT_EQ(VerifyTxProof(b, genesis_).message(), v.status.message());
  }

  static constexpr uint64_t kIndex = 3;
  std::vector<PrivateKey> validator_keys_;
  Genesis genesis_;
  std::vector<Transaction> txs_;
  std::vector<Hash256> ids_;
  BlockHeader header_;
  Hash256 state_root_;
  TxProofBundle bundle_;
};

TEST_F(ProofBundleTest, GenuineBundleVerifiesAtEveryIndex) {
  for (uint64_t i = 0; i < txs_.size(); ++i) {
    Status s = VerifyTxProof(MakeBundle(i), genesis_);
    EXPECT_TRUE(s.ok()) << i << ": " << s.ToString();
  }
}

TEST_F(ProofBundleTest, JsonRoundTripPreservesEveryField) {
  auto parsed = TxProofBundle::FromJson(bundle_.ToJson());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->chain_id, bundle_.chain_id);
  EXPECT_EQ(parsed->tx, bundle_.tx);
  EXPECT_EQ(parsed->proof, bundle_.proof);
  EXPECT_EQ(parsed->header, bundle_.header);
  EXPECT_EQ(parsed->cert, bundle_.cert);
  EXPECT_EQ(parsed->validators.Hash("x"), bundle_.validators.Hash("x"));
  EXPECT_TRUE(VerifyTxProof(*parsed, genesis_).ok());
}

TEST_F(ProofBundleTest, JsonErrorsNameTheField) {
  auto missing = TxProofBundle::FromJson(R"({"chain_id":"proof-test","tx":"00"})");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("proof"), std::string::npos);
  EXPECT_FALSE(TxProofBundle::FromJson("not json").ok());
  std::string text = bundle_.ToJson();
  std::string bad_height = text;
  bad_height.replace(bad_height.find("\"height\": \"7\""), 13, "\"height\": \"x7\"");
  auto r = TxProofBundle::FromJson(bad_height);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("height"), std::string::npos);
}

TEST_F(ProofBundleTest, WrongChainId) {
  TxProofBundle b = bundle_;
  b.chain_id = "other-chain";
  ExpectFails(b, ProofCheck::kChainId);
}

TEST_F(ProofBundleTest, ValidatorSetNotTheGenesisSet) {
  TxProofBundle b = bundle_;
  std::vector<Validator> vals = b.validators.validators();
  vals[2].key = KeyFromByte(0x99).public_key();
  b.validators = ValidatorSet(vals);
  ExpectFails(b, ProofCheck::kValidatorSet);
}

TEST_F(ProofBundleTest, HeaderNamesAnotherValidatorSet) {
  TxProofBundle b = bundle_;
  b.header.validator_set_hash.bytes[0] ^= 1;
  ExpectFails(b, ProofCheck::kHeaderValidatorSet);
}

TEST_F(ProofBundleTest, TooFewSignatures) {
  TxProofBundle b = bundle_;
  b.cert.sigs.pop_back();
  ExpectFails(b, ProofCheck::kCertSignatures);
}

TEST_F(ProofBundleTest, ForgedSignature) {
  TxProofBundle b = bundle_;
  b.cert.sigs[1].sig.bytes[5] ^= 0x40;
  ExpectFails(b, ProofCheck::kCertSignatures);
}

TEST_F(ProofBundleTest, DuplicatedSigner) {
  TxProofBundle b = bundle_;
  b.cert.sigs[2] = b.cert.sigs[1];
  ExpectFails(b, ProofCheck::kCertSignatures);
}

TEST_F(ProofBundleTest, StateRootChangedAfterSigning) {
  TxProofBundle b = bundle_;
  b.cert.state_root.bytes[0] ^= 1;  // the signatures cover it
  ExpectFails(b, ProofCheck::kCertSignatures);
}

TEST_F(ProofBundleTest, CertificateForAnotherHeight) {
  TxProofBundle b = bundle_;
  b.cert =
      SignCert(header_.height + 1, header_.Hash(genesis_.chain_id), header_.tx_root, {0, 1, 2});
  ExpectFails(b, ProofCheck::kCertHeight);
}

TEST_F(ProofBundleTest, HeaderAlteredUnderTheCertificate) {
  TxProofBundle b = bundle_;
  b.header.time_ms += 1;
  ExpectFails(b, ProofCheck::kCertBlockHash);
}

TEST_F(ProofBundleTest, CertificateTxRootDiffersFromHeader) {
  TxProofBundle b = bundle_;
  Hash256 other_root = Sha256(std::string_view("other"));
  b.cert = SignCert(header_.height, header_.Hash(genesis_.chain_id), other_root, {1, 2, 3});
  ExpectFails(b, ProofCheck::kCertTxRoot);
}

TEST_F(ProofBundleTest, TransactionBytesDoNotDecode) {
  TxProofBundle b = bundle_;
  b.tx.push_back(0);  // trailing byte
  ExpectFails(b, ProofCheck::kTxDecode);
}

TEST_F(ProofBundleTest, TransactionSwappedForAnotherInTheBlock) {
  TxProofBundle b = bundle_;
  b.tx = Encode(txs_[kIndex - 1]);
  ExpectFails(b, ProofCheck::kTxInclusion);
}

TEST_F(ProofBundleTest, TransactionAmountEdited) {
  TxProofBundle b = bundle_;
  Transaction tx = txs_[kIndex];
  tx.payload.back() ^= 1;
  b.tx = Encode(tx);
  ExpectFails(b, ProofCheck::kTxInclusion);
}

TEST_F(ProofBundleTest, ProofPathOrIndexOrSizeAltered) {
  TxProofBundle path = bundle_;
  path.proof.path[0].bytes[31] ^= 1;
  ExpectFails(path, ProofCheck::kTxInclusion);
  TxProofBundle index = bundle_;
  index.proof.index = kIndex - 1;
  ExpectFails(index, ProofCheck::kTxInclusion);
  TxProofBundle size = bundle_;
  size.proof.tree_size += 1;
  ExpectFails(size, ProofCheck::kTxInclusion);
}

// A two-leaf state tree whose keys split at the first bit, and a third key that is absent.
class StateProofTest : public ProofBundleTest {
 protected:
  void SetUp() override {
    ProofBundleTest::SetUp();
    // Pick keys by their hash's first bit: a and c go left of b (or right; only "same side"
    // matters).
    for (int i = 0; i < 64 && (key_b_.empty() || key_c_.empty()); ++i) {
      Bytes k = ToBytes("key-" + std::to_string(i));
      if (key_a_.empty()) {
        key_a_ = k;
      } else if (SmtBit(SmtKeyHash(k), 0) != SmtBit(SmtKeyHash(key_a_), 0)) {
        if (key_b_.empty()) key_b_ = k;
      } else if (key_c_.empty()) {
        key_c_ = k;
      }
    }
    ASSERT_FALSE(key_b_.empty());
    ASSERT_FALSE(key_c_.empty());
    leaf_a_ = SmtLeafHash(SmtKeyHash(key_a_), SmtValueHash(value_a_));
    leaf_b_ = SmtLeafHash(SmtKeyHash(key_b_), SmtValueHash(ToBytes("value-b")));
    bool a_right = SmtBit(SmtKeyHash(key_a_), 0);
    Hash256 root = a_right ? SmtInternalHash(leaf_b_, leaf_a_) : SmtInternalHash(leaf_a_, leaf_b_);

    state_.chain_id = genesis_.chain_id;
    state_.key = key_a_;
    state_.value = value_a_;
    state_.height = header_.height;
    state_.proof.leaf = SmtProof::Leaf{SmtKeyHash(key_a_), SmtValueHash(value_a_)};
    state_.proof.siblings = {leaf_b_};
    state_.header = header_;
    Hash256 block_hash = header_.Hash(genesis_.chain_id);
    state_.cert = CommitCert{header_.height, block_hash, header_.tx_root, root, {}};
    Hash256 msg =
        CommitMessage(genesis_.chain_id, header_.height, block_hash, header_.tx_root, root);
    for (uint32_t s : {0u, 1u, 2u}) {
      state_.cert.sigs.push_back({s, validator_keys_[s].Sign(msg.view())});
    }
    state_.validators = genesis_.validators;
  }
  void ExpectStateFails(const StateProofBundle& b, ProofCheck check) const {
    ProofVerdict v = CheckStateProof(b, genesis_);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(*v.failed, check) << v.status.ToString();
  }
  Bytes key_a_, key_b_, key_c_;
  Bytes value_a_ = ToBytes("value-a");
  Hash256 leaf_a_, leaf_b_;
  StateProofBundle state_;
};

TEST_F(StateProofTest, InclusionVerifiesAndSurvivesJson) {
  ASSERT_TRUE(VerifyStateProof(state_, genesis_).ok())
      << VerifyStateProof(state_, genesis_).ToString();
  auto parsed = StateProofBundle::FromJson(state_.ToJson());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->key, state_.key);
  EXPECT_EQ(parsed->value, state_.value);
  EXPECT_EQ(parsed->proof, state_.proof);
  EXPECT_TRUE(VerifyStateProof(*parsed, genesis_).ok());
}

TEST_F(StateProofTest, AbsenceOfAKeyOnTheSamePathVerifies) {
  StateProofBundle b = state_;
  b.key = key_c_;
  b.value.reset();
  EXPECT_TRUE(VerifyStateProof(b, genesis_).ok()) << VerifyStateProof(b, genesis_).ToString();
  auto parsed = StateProofBundle::FromJson(b.ToJson());
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->value.has_value());
}

TEST_F(StateProofTest, EachTamperingFailsAtItsCheck) {
  StateProofBundle wrong_value = state_;
  wrong_value.value = ToBytes("value-x");
  ExpectStateFails(wrong_value, ProofCheck::kStateProof);
  StateProofBundle claims_absent = state_;
  claims_absent.value.reset();
  ExpectStateFails(claims_absent, ProofCheck::kStateProof);
  StateProofBundle sibling = state_;
  sibling.proof.siblings[0].bytes[0] ^= 1;
  ExpectStateFails(sibling, ProofCheck::kStateProof);
  StateProofBundle height = state_;
  height.height += 1;
  ExpectStateFails(height, ProofCheck::kStateHeight);
  StateProofBundle root = state_;
  root.cert.state_root.bytes[3] ^= 1;
  ExpectStateFails(root, ProofCheck::kCertSignatures);
  StateProofBundle header = state_;
  header.header.round += 1;
  ExpectStateFails(header, ProofCheck::kCertBlockHash);
  StateProofBundle chain = state_;
  chain.chain_id = "elsewhere";
  ExpectStateFails(chain, ProofCheck::kChainId);
}

}  // namespace
}  // namespace metaledger
