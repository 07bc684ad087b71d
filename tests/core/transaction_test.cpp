// Transaction signing and ids, and the signed consensus messages and certificates.

#include "core/transaction.h"

#include <gtest/gtest.h>

#include "core/certificates.h"

namespace metaledger {
namespace {

Transaction SampleTx(std::string chain) {
  Transaction tx;
  tx.chain_id = std::move(chain);
  tx.nonce = 42;
  tx.kind = 3;
  tx.payload = ToBytes("register model");
  return tx;
}

TEST(Transaction, SignThenVerify) {
  PrivateKey key = PrivateKey::Generate();
  Transaction tx = SampleTx("metaledger-test");
  tx.Sign(key);
  EXPECT_EQ(tx.sender, key.public_key());
  EXPECT_TRUE(tx.VerifySignature());
}

TEST(Transaction, SignatureForAnotherChainFails) {
  PrivateKey key = PrivateKey::Generate();
  Transaction tx = SampleTx("chain-a");
  tx.Sign(key);
  Transaction moved = tx;
  moved.chain_id = "chain-b";
  EXPECT_FALSE(moved.VerifySignature());
  EXPECT_NE(moved.SigningHash(), tx.SigningHash());
}

TEST(Transaction, EverySignedFieldIsCovered) {
  PrivateKey key = PrivateKey::Generate();
  Transaction tx = SampleTx("c");
  tx.Sign(key);
  Transaction m = tx;
  m.nonce++;
  EXPECT_FALSE(m.VerifySignature());
  m = tx;
  m.kind++;
  EXPECT_FALSE(m.VerifySignature());
  m = tx;
  m.payload.push_back(0);
  EXPECT_FALSE(m.VerifySignature());
  m = tx;
  m.sender = PrivateKey::Generate().public_key();
  EXPECT_FALSE(m.VerifySignature());
  m = tx;
  m.signature.bytes[5] ^= 1;
  EXPECT_FALSE(m.VerifySignature());
}

TEST(Transaction, SigningHashExcludesSignatureAndIdIncludesIt) {
  Transaction tx = SampleTx("c");
  Transaction other = tx;
  other.signature.bytes[0] = 1;
  EXPECT_EQ(tx.SigningHash(), other.SigningHash());
  EXPECT_NE(tx.Hash(), other.Hash());
  EXPECT_NE(tx.Hash(), tx.SigningHash());
}

TEST(Transaction, SigningHashIsTaggedHashOfUnsignedEncoding) {
  Transaction tx = SampleTx("c");
  Writer w;
  tx.EncodeUnsigned(w);
  EXPECT_EQ(tx.SigningHash(), TaggedHash("metaledger/tx/v1", "c", w.bytes()));
  EXPECT_EQ(tx.Hash(), TaggedHash("metaledger/txid/v1", "c", Encode(tx)));
}

TEST(Transaction, AddressIsChainIndependentPrefixOfTaggedKeyHash) {
  PublicKey k = PrivateKey::Generate().public_key();
  Address a = AddressOf(k);
  Hash256 h = TaggedHash("metaledger/addr/v1", "", k.view());
  EXPECT_TRUE(std::equal(a.bytes.begin(), a.bytes.end(), h.bytes.begin()));
  EXPECT_NE(AddressOf(PrivateKey::Generate().public_key()), a);
}

// The worked example of docs/encoding.md section 3. These bytes are the specification: if this
// test fails, the encoding changed and every signed transaction with it.
TEST(Transaction, DocumentedExample) {
  auto key = PrivateKey::FromSeed(
      *FromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_TRUE(key.ok());
  Transaction tx;
  tx.chain_id = "ml-test";
  tx.nonce = 300;
  tx.kind = 2;
  tx.payload = ToBytes("hi");
  tx.Sign(*key);
  Writer unsigned_bytes;
  tx.EncodeUnsigned(unsigned_bytes);
  const std::string kUnsigned =
      "01"
      "076d6c2d74657374"
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
      "ac02"
      "02"
      "026869";
  EXPECT_EQ(ToHex(unsigned_bytes.bytes()), kUnsigned);
  EXPECT_EQ(ToHex(Encode(tx)),
            kUnsigned +
                "277248dbdde316a131a2af1bd7d605b632ba0a02dc4481139ffa8dda40d97a2e"
                "86381bfb4e4c40e5f2f8341be3bf10007332711fd086ef4e8ed6b634e7fca006");
  EXPECT_EQ(tx.SigningHash().Hex(),
            "6e659eabb41bada7814d23b504dd7408b09522bb3311fc1dbaf6550555f3af16");
  EXPECT_EQ(tx.Hash().Hex(), "a8d073cd060d14ef9a319aedfe7ca18c4d1f543999b568da3ff8ff9a688976e9");
  EXPECT_EQ(AddressOf(tx.sender).Hex(), "82624c44633d8b5106c7c215edb430c41843e112");
  EXPECT_EQ(TaggedHash("metaledger/tx/v1", "ml-test", AsBytes("abc")).Hex(),
            "537dd899a7e3a9f9a8c8d94715eaa612299a122e11df844471d0a8aaab10edc8");
}

// ---- consensus messages

struct Committee {
  std::vector<PrivateKey> keys;
  ValidatorSet set;
  explicit Committee(size_t n) {
    std::vector<Validator> vs;
    for (size_t i = 0; i < n; ++i) {
      keys.push_back(PrivateKey::Generate());
      vs.push_back({"v" + std::to_string(i), keys.back().public_key(), ""});
    }
    set = ValidatorSet(std::move(vs));
  }
};

TEST(Certificates, VoteSignVerifyAndCrossChain) {
  Committee c(4);
  Vote v{5, Sha256("block"), 2, {}};
  v.Sign("chain", c.keys[2]);
  EXPECT_TRUE(v.Verify("chain", c.set, StrictVerifier::Instance()).ok());
  EXPECT_EQ(v.Verify("other", c.set, StrictVerifier::Instance()).code(),
            StatusCode::kUnauthenticated);
  Vote wrong_voter = v;
  wrong_voter.voter = 1;
  EXPECT_FALSE(wrong_voter.Verify("chain", c.set, StrictVerifier::Instance()).ok());
  Vote outsider = v;
  outsider.voter = 9;
  EXPECT_EQ(outsider.Verify("chain", c.set, StrictVerifier::Instance()).code(),
            StatusCode::kUnauthenticated);
}

QuorumCert MakeQc(const Committee& c, std::string_view chain, uint64_t round, const Hash256& block,
                  std::vector<uint32_t> signers) {
  QuorumCert qc{round, block, {}};
  for (uint32_t i : signers) {
    qc.sigs.push_back({i, c.keys[i].Sign(VoteMessage(chain, round, block).view())});
  }
  return qc;
}

TEST(Certificates, QuorumCertNeedsQuorumOfDistinctSortedSigners) {
  Committee c(4);  // f = 1, quorum 3
  Hash256 genesis = Sha256("genesis");
  Hash256 block = Sha256("b1");
  auto& v = StrictVerifier::Instance();
  EXPECT_TRUE(MakeQc(c, "ch", 1, block, {0, 1, 2}).Verify("ch", c.set, v, genesis).ok());
  EXPECT_TRUE(MakeQc(c, "ch", 1, block, {0, 1, 2, 3}).Verify("ch", c.set, v, genesis).ok());
  EXPECT_EQ(MakeQc(c, "ch", 1, block, {0, 1}).Verify("ch", c.set, v, genesis).code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(MakeQc(c, "ch", 1, block, {0, 0, 1}).Verify("ch", c.set, v, genesis).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeQc(c, "ch", 1, block, {2, 1, 0}).Verify("ch", c.set, v, genesis).code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(MakeQc(c, "other", 1, block, {0, 1, 2}).Verify("ch", c.set, v, genesis).ok());
  QuorumCert tampered = MakeQc(c, "ch", 1, block, {0, 1, 2});
  tampered.round = 2;
  EXPECT_FALSE(tampered.Verify("ch", c.set, v, genesis).ok());
}

TEST(Certificates, GenesisQcOnlyForGenesis) {
  Committee c(4);
  Hash256 genesis = Sha256("genesis");
  QuorumCert g{0, genesis, {}};
  EXPECT_TRUE(g.IsGenesis());
  EXPECT_TRUE(g.Verify("ch", c.set, StrictVerifier::Instance(), genesis).ok());
  QuorumCert fake{0, Sha256("not genesis"), {}};
  EXPECT_FALSE(fake.Verify("ch", c.set, StrictVerifier::Instance(), genesis).ok());
}

TEST(Certificates, TimeoutCertChecksRoundsAndSignatures) {
  Committee c(4);
  Hash256 genesis = Sha256("genesis");
  auto& v = StrictVerifier::Instance();
  QuorumCert high = MakeQc(c, "ch", 3, Sha256("b3"), {0, 1, 2});
  TimeoutCert tc;
  tc.round = 5;
  tc.high_qc = high;
  for (uint32_t i : {0u, 1u, 3u}) {
    uint64_t reported = i == 1 ? 3 : 2;
    tc.entries.push_back({i, reported, c.keys[i].Sign(TimeoutMessage("ch", 5, reported).view())});
  }
  EXPECT_TRUE(tc.Verify("ch", c.set, v, genesis).ok())
      << tc.Verify("ch", c.set, v, genesis).ToString();
  TimeoutCert wrong_high = tc;
  wrong_high.entries[0].high_qc_round = 1;  // signature no longer matches
  EXPECT_FALSE(wrong_high.Verify("ch", c.set, v, genesis).ok());
  TimeoutCert too_few = tc;
  too_few.entries.pop_back();
  EXPECT_EQ(too_few.Verify("ch", c.set, v, genesis).code(), StatusCode::kUnauthenticated);
  TimeoutCert stale = tc;
  stale.high_qc = MakeQc(c, "ch", 2, Sha256("b2"), {0, 1, 2});
  EXPECT_EQ(stale.Verify("ch", c.set, v, genesis).code(), StatusCode::kInvalidArgument);
}

TEST(Certificates, TimeoutMsgSignature) {
  Committee c(4);
  TimeoutMsg t{7, QuorumCert{4, Sha256("b4"), {}}, 3, {}};
  t.Sign("ch", c.keys[3]);
  EXPECT_TRUE(t.VerifySignature("ch", c.set, StrictVerifier::Instance()).ok());
  t.high_qc.round = 5;
  EXPECT_FALSE(t.VerifySignature("ch", c.set, StrictVerifier::Instance()).ok());
}

TEST(Certificates, CommitVoteAndCertCoverStateRoot) {
  Committee c(4);
  auto& v = StrictVerifier::Instance();
  CommitCert cert{9, Sha256("b9"), Sha256("tx"), Sha256("state"), {}};
  for (uint32_t i : {1u, 2u, 3u}) {
    CommitVote cv{cert.height, cert.block_hash, cert.tx_root, cert.state_root, i, {}};
    cv.Sign("ch", c.keys[i]);
    EXPECT_TRUE(cv.Verify("ch", c.set, v).ok());
    cert.sigs.push_back({i, cv.sig});
  }
  EXPECT_TRUE(cert.Verify("ch", c.set, v).ok());
  CommitCert divergent = cert;
  divergent.state_root = Sha256("other state");
  EXPECT_EQ(divergent.Verify("ch", c.set, v).code(), StatusCode::kUnauthenticated);
}

TEST(ValidatorSetRules, QuorumSizes) {
  for (size_t n : {1, 2, 3, 4, 5, 6, 7, 10, 100}) {
    Committee c(n);
    size_t f = (n - 1) / 3;
    EXPECT_EQ(c.set.max_faulty(), f);
    EXPECT_EQ(c.set.quorum(), n - f);
    EXPECT_GT(2 * c.set.quorum(), n + f) << "two quorums intersect in an honest validator";
  }
}

TEST(ValidatorSetRules, ValidateRefusesBadSets) {
  Committee c(3);
  EXPECT_TRUE(c.set.Validate().ok());
  EXPECT_FALSE(ValidatorSet{}.Validate().ok());
  std::vector<Validator> dup = c.set.validators();
  dup.push_back(dup[0]);
  EXPECT_FALSE(ValidatorSet(dup).Validate().ok());
  std::vector<Validator> small_order = c.set.validators();
  small_order[1].key = PublicKey{};  // y = 0, order 4
  EXPECT_FALSE(ValidatorSet(small_order).Validate().ok());
  EXPECT_EQ(c.set.IndexOf(c.keys[2].public_key()), 2u);
  EXPECT_FALSE(c.set.IndexOf(PrivateKey::Generate().public_key()).has_value());
}

TEST(ValidatorSetRules, HashIgnoresAddressesButNotKeysOrChain) {
  Committee c(3);
  std::vector<Validator> moved = c.set.validators();
  moved[0].p2p_address = "elsewhere:1";
  EXPECT_EQ(ValidatorSet(moved).Hash("ch"), c.set.Hash("ch"));
  EXPECT_NE(c.set.Hash("ch"), c.set.Hash("ch2"));
  std::vector<Validator> renamed = c.set.validators();
  renamed[0].key = PrivateKey::Generate().public_key();
  EXPECT_NE(ValidatorSet(renamed).Hash("ch"), c.set.Hash("ch"));
}

}  // namespace
}  // namespace metaledger
