// The batch verifier's arithmetic against libsodium's, and its verdicts against the rule:
// good batches pass at every size, a batch with any one bad signature fails, and signatures
// that only the cofactored equation accepts are accepted the same way one by one and in batches.

#include "core/crypto/ed25519_batch.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "core/crypto/ed25519_rules.h"
#include "core/crypto/edwards25519.h"
#include "tests/core/curve_util.h"
#include "tests/core/signed_messages.h"

namespace metaledger {
namespace {

using testing::Point;
using testing::Scalar;

Scalar RandomScalar() {
  uint8_t wide[64];
  RandomBytes(wide, sizeof(wide));
  return testing::Reduce64(wide);
}

Point Encode(const edwards25519::Point& p) {
  Point out{};
  edwards25519::Compress(p, out.data());
  return out;
}

edwards25519::Point Decode(const Point& p) {
  edwards25519::Point out;
  EXPECT_TRUE(edwards25519::Decompress(p.data(), &out)) << ToHex(p);
  return out;
}

// sum scalars[i] * points[i] through the prepared form MultiScalarMul takes.
edwards25519::Point MultiScalarMul(const std::vector<edwards25519::Scalar>& scalars,
                                   const std::vector<edwards25519::Point>& points) {
  std::vector<edwards25519::OddMultiples> tables(points.size());
  std::vector<const edwards25519::OddMultiples*> prepared;
  for (size_t i = 0; i < points.size(); ++i) {
    edwards25519::Prepare(points[i], &tables[i]);
    prepared.push_back(&tables[i]);
  }
  return edwards25519::MultiScalarMul(scalars.data(), prepared.data(), points.size());
}

edwards25519::Scalar AsScalar(const Scalar& s) {
  edwards25519::Scalar out;
  std::copy(s.begin(), s.end(), out.bytes);
  return out;
}

TEST(Edwards25519, BasePointMatchesLibsodium) {
  Scalar one{};
  one[0] = 1;
  Point b{};
  ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(b.data(), one.data()), 0);
  EXPECT_EQ(Encode(edwards25519::BasePoint()), b);
  EXPECT_EQ(Encode(Decode(b)), b);
}

TEST(Edwards25519, MultiScalarMulMatchesLibsodium) {
  for (size_t n : {1u, 2u, 3u, 9u}) {
    std::vector<edwards25519::Scalar> scalars;
    std::vector<edwards25519::Point> points;
    Point expected = testing::Identity();
    for (size_t i = 0; i < n; ++i) {
      Scalar k = RandomScalar();
      Point p{};
      Scalar base_multiple = RandomScalar();
      ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(p.data(), base_multiple.data()), 0);
      Point kp{};
      ASSERT_EQ(crypto_scalarmult_ed25519_noclamp(kp.data(), k.data(), p.data()), 0);
      expected = testing::Add(expected, kp);
      scalars.push_back(AsScalar(k));
      points.push_back(Decode(p));
    }
    EXPECT_EQ(Encode(MultiScalarMul(scalars, points)), expected) << n << " points";
  }
}

TEST(Edwards25519, SmallScalarsAndTheIdentity) {
  Point b{};
  Scalar one{};
  one[0] = 1;
  ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(b.data(), one.data()), 0);
  edwards25519::Point base = Decode(b);
  Point acc = testing::Identity();
  for (int k = 0; k < 40; ++k) {
    edwards25519::Scalar s{};
    s.bytes[0] = static_cast<uint8_t>(k);
    EXPECT_EQ(Encode(MultiScalarMul({s}, {base})), acc) << k;
    acc = testing::Add(acc, b);
  }
  EXPECT_TRUE(edwards25519::IsIdentity(edwards25519::Identity()));
  EXPECT_FALSE(edwards25519::IsSmallOrder(base));
  for (const Point& t : testing::DeriveSmallOrderPoints()) {
    edwards25519::Point p;
    if (!edwards25519::Decompress(t.data(), &p)) continue;  // x = 0 with the sign bit set
    EXPECT_TRUE(edwards25519::IsSmallOrder(p)) << ToHex(t);
  }
}

// libsodium's point addition decodes both operands and refuses points off the curve, so it
// tells, for random canonical encodings, whether a y is on the curve; ours must agree, and a
// point it decodes must encode back to the same bytes.
TEST(Edwards25519, DecompressAgreesWithLibsodiumOnRandomEncodings) {
  int refused = 0, decoded = 0;
  Point identity = testing::Identity();
  for (int i = 0; i < 2000; ++i) {
    Point p{};
    RandomBytes(p.data(), p.size());
    if (!ed25519::IsCanonicalPointEncoding(p.data())) continue;
    edwards25519::Point ours;
    bool ok = edwards25519::Decompress(p.data(), &ours);
    Point sum{};
    bool theirs = crypto_core_ed25519_add(sum.data(), p.data(), identity.data()) == 0;
    ASSERT_EQ(ok, theirs) << ToHex(p);
    if (ok) {
      EXPECT_EQ(Encode(ours), p);
      ++decoded;
    } else {
      ++refused;
    }
  }
  EXPECT_GT(refused, 500);  // about half of all y are off the curve
  EXPECT_GT(decoded, 500);
  Point non_canonical{};
  non_canonical[0] = 0xee;  // p + 1, an alias of y = 1
  for (int j = 1; j < 31; ++j) non_canonical[j] = 0xff;
  non_canonical[31] = 0x7f;
  edwards25519::Point ignored;
  EXPECT_FALSE(edwards25519::Decompress(non_canonical.data(), &ignored));
}

using testing::BatchItems;
using testing::MakeSignedMessages;
using testing::SignedMessage;

TEST(Ed25519Batch, GoodBatchesPassAtEverySize) {
  std::vector<SignedMessage> all = MakeSignedMessages(140);
  for (size_t n : {0u, 1u, 2u, 7u, 63u, 64u, 65u, 140u}) {
    std::vector<SignedMessage> some(all.begin(), all.begin() + n);
    EXPECT_TRUE(ed25519::VerifyBatch(BatchItems(some))) << n;
  }
  for (const SignedMessage& s : all) {
    EXPECT_TRUE(ed25519::VerifyCofactored(s.key, s.message.view(), s.sig));
  }
}

TEST(Ed25519Batch, OneBadSignatureFailsTheBatchWhereverItIs) {
  std::vector<SignedMessage> all = MakeSignedMessages(130);
  for (size_t bad : {0u, 5u, 63u, 64u, 129u}) {
    for (int what = 0; what < 4; ++what) {
      std::vector<SignedMessage> copy = all;
      SignedMessage& s = copy[bad];
      switch (what) {
        case 0:
          s.message.bytes[0] ^= 1;
          break;  // another message
        case 1:
          s.sig.bytes[40] ^= 0x10;
          break;  // S changed
        case 2:
          s.sig.bytes[3] ^= 0x01;
          break;  // R changed (often off the curve)
        case 3:
          s.key = copy[(bad + 1) % copy.size()].key;
          break;  // another signer's key
      }
      EXPECT_FALSE(ed25519::VerifyBatch(BatchItems(copy)))
          << "bad item " << bad << ", change " << what;
      EXPECT_FALSE(ed25519::VerifyCofactored(s.key, s.message.view(), s.sig));
      EXPECT_FALSE(Verify(s.key, s.message.view(), s.sig));
    }
  }
}

TEST(Ed25519Batch, EncodingRulesHoldInBatches) {
  std::vector<SignedMessage> all = MakeSignedMessages(3);
  // S + L: the same point equation, a non-canonical scalar.
  SignedMessage s_plus_l = all[1];
  Scalar s{};
  std::copy(s_plus_l.sig.bytes.begin() + 32, s_plus_l.sig.bytes.end(), s.begin());
  Scalar l = testing::GroupOrder();
  unsigned carry = 0;
  for (int i = 0; i < 32; ++i) {
    unsigned sum = s[i] + l[i] + carry;
    s_plus_l.sig.bytes[32 + i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
  std::vector<SignedMessage> batch = all;
  batch[1] = s_plus_l;
  EXPECT_FALSE(ed25519::VerifyBatch(BatchItems(batch)));
  // A small-order R or key.
  for (const Point& t : testing::DeriveSmallOrderPoints()) {
    batch = all;
    std::copy(t.begin(), t.end(), batch[2].sig.bytes.begin());
    EXPECT_FALSE(ed25519::VerifyBatch(BatchItems(batch))) << ToHex(t);
    batch = all;
    std::copy(t.begin(), t.end(), batch[2].key.bytes.begin());
    EXPECT_FALSE(ed25519::VerifyBatch(BatchItems(batch))) << ToHex(t);
  }
}

// A signer who knows its secret can put a torsion point into R: S = r + h a for R = [r]B + T.
// Then [S]B - R - [h]A = -T: the cofactorless equation (libsodium) fails, the cofactored one
// holds, and the ledger's rule accepts it one by one and in a batch alike.
TEST(Ed25519Batch, TorsionInRIsAcceptedOneByOneAndInBatches) {
  std::vector<SignedMessage> all = MakeSignedMessages(10);
  Point t = testing::OrderEightPoint();
  int crafted = 0;
  for (int i = 0; i < 40 && crafted < 8; ++i) {
    uint8_t seed[32];
    RandomBytes(seed, sizeof(seed));
    auto key = PrivateKey::FromSeed(ByteView(seed, 32));
    ASSERT_TRUE(key.ok());
    Scalar secret = testing::SecretScalar(ByteView(seed, 32));
    Scalar r = RandomScalar();
    Point r_point{};
    ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(r_point.data(), r.data()), 0);
    Point big_r = testing::Add(r_point, t);
    if (ed25519::IsSmallOrderEncoding(big_r.data())) continue;
    Point a{};
    std::copy(key->public_key().bytes.begin(), key->public_key().bytes.end(), a.begin());
    Hash256 msg = Sha256("torsion " + std::to_string(i));
    Scalar h = testing::Challenge(big_r, a, msg.view());
    Signature sig =
        testing::MakeSignature(big_r, testing::ScalarAdd(r, testing::ScalarMul(h, secret)));
    EXPECT_FALSE(ed25519::LibsodiumVerify(key->public_key(), msg.view(), sig));
    EXPECT_TRUE(ed25519::VerifyCofactored(key->public_key(), msg.view(), sig));
    EXPECT_TRUE(Verify(key->public_key(), msg.view(), sig));
    std::vector<SignedMessage> batch = all;
    batch[4] = SignedMessage{key->public_key(), msg, sig};
    EXPECT_TRUE(ed25519::VerifyBatch(BatchItems(batch)));
    ++crafted;
  }
  EXPECT_EQ(crafted, 8);
}

}  // namespace
}  // namespace metaledger
