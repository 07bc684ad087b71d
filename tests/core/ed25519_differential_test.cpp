// The facade's Verify() (Crypto++'s cofactorless equation behind strict pre-checks, then the
// cofactored check for what that refuses) must give the same verdict as the batch verifier's
// cofactored check on every input, and must accept everything libsodium 1.0.18's
// crypto_sign_verify_detached accepts. The only signatures it accepts beyond libsodium carry a
// torsion component (MixedOrderKeys below, and ed25519_batch_test.cpp for R).

#include <gtest/gtest.h>
#include <sodium.h>

#include <random>

#include "core/crypto/ed25519.h"
#include "core/crypto/ed25519_batch.h"
#include "core/crypto/ed25519_rules.h"
#include "tests/core/curve_util.h"

namespace metaledger {
namespace {

using testing::Point;
using testing::Scalar;

struct Tally {
  int accepted = 0;
  int rejected = 0;
  int only_cofactored = 0;  // accepted by the facade, refused by libsodium
};

// `torsion_possible`: the input may carry a torsion component, so the facade may accept what
// libsodium refuses. Elsewhere the two must agree exactly.
void ExpectSameVerdict(const PublicKey& pk, ByteView msg, const Signature& sig, Tally& tally,
                       const char* what, bool torsion_possible = false) {
  bool facade = Verify(pk, msg, sig);
  bool cofactored = ed25519::VerifyCofactored(pk, msg, sig);
  bool libsodium = ed25519::LibsodiumVerify(pk, msg, sig);
  std::string context =
      std::string(what) + " key=" + pk.Hex() + " sig=" + sig.Hex() + " msg=" + ToHex(msg);
  EXPECT_EQ(facade, cofactored) << context;
  if (libsodium) {
    EXPECT_TRUE(facade) << context;
  }
  if (!torsion_possible) {
    EXPECT_EQ(facade, libsodium) << context;
  }
  if (facade && !libsodium) tally.only_cofactored++;
  (facade ? tally.accepted : tally.rejected)++;
}

std::vector<Point> EdgeEncodings() {
  std::vector<Point> out = testing::DeriveSmallOrderPoints();
  size_t n = out.size();
  for (size_t i = 0; i < n; ++i) {
    Point p = out[i];
    p[31] ^= 0x80;
    out.push_back(p);
  }
  for (int low = 0xec; low <= 0xff; ++low) {  // p - 1 .. 2^255 - 1
    Point p;
    p.fill(0xff);
    p[0] = static_cast<uint8_t>(low);
    p[31] = 0x7f;
    out.push_back(p);
    p[31] = 0xff;
    out.push_back(p);
  }
  for (uint8_t small_y = 2; small_y < 19; ++small_y) {  // y + p aliases of small y
    Point p;
    p.fill(0xff);
    p[0] = static_cast<uint8_t>(0xed + small_y);
    p[31] = 0x7f;
    out.push_back(p);
  }
  Point zero{};
  out.push_back(zero);
  return out;
}

TEST(Ed25519Differential, RandomValidAndMutatedSignatures) {
  std::mt19937_64 rng(20261124);
  Tally tally;
  for (int i = 0; i < 150; ++i) {
    PrivateKey key = PrivateKey::Generate();
    Bytes msg(rng() % 100);
    for (auto& b : msg) b = static_cast<uint8_t>(rng());
    Signature sig = key.Sign(msg);
    ExpectSameVerdict(key.public_key(), msg, sig, tally, "valid");

    Signature bad_sig = sig;
    bad_sig.bytes[rng() % 64] ^= static_cast<uint8_t>(1u << (rng() % 8));
    ExpectSameVerdict(key.public_key(), msg, bad_sig, tally, "flipped signature bit");

    PublicKey bad_key = key.public_key();
    bad_key.bytes[rng() % 32] ^= static_cast<uint8_t>(1u << (rng() % 8));
    ExpectSameVerdict(bad_key, msg, sig, tally, "flipped key bit");

    Bytes bad_msg = msg;
    bad_msg.push_back(static_cast<uint8_t>(rng()));
    ExpectSameVerdict(key.public_key(), bad_msg, sig, tally, "extended message");

    Signature random_sig;
    for (auto& b : random_sig.bytes) b = static_cast<uint8_t>(rng());
    ExpectSameVerdict(key.public_key(), msg, random_sig, tally, "random signature");

    PublicKey random_key;
    for (auto& b : random_key.bytes) b = static_cast<uint8_t>(rng());
    ExpectSameVerdict(random_key, msg, sig, tally, "random key");

    // S + L and S with the top bits set.
    Signature high_s = sig;
    high_s.bytes[63] |= static_cast<uint8_t>(0x10 << (rng() % 4));
    ExpectSameVerdict(key.public_key(), msg, high_s, tally, "high S");
  }
  EXPECT_GE(tally.accepted, 150);
  EXPECT_GT(tally.rejected, 700);
}

TEST(Ed25519Differential, EdgeEncodingsAsKeyAndAsR) {
  Tally tally;
  PrivateKey key = PrivateKey::Generate();
  Bytes msg = ToBytes("edge");
  Signature sig = key.Sign(msg);
  for (const Point& e : EdgeEncodings()) {
    PublicKey pk;
    std::copy(e.begin(), e.end(), pk.bytes.begin());
    ExpectSameVerdict(pk, msg, sig, tally, "edge key");
    Signature with_r = sig;
    std::copy(e.begin(), e.end(), with_r.bytes.begin());
    ExpectSameVerdict(key.public_key(), msg, with_r, tally, "edge R");
    Signature s_edge = sig;
    std::copy(e.begin(), e.end(), s_edge.bytes.begin() + 32);
    ExpectSameVerdict(key.public_key(), msg, s_edge, tally, "edge S");
  }
  EXPECT_GT(tally.rejected, 0);
}

// Keys with a torsion component (A + T, T of order 8) are canonical and not of small order, so
// libsodium runs its cofactorless equation, which holds only when [h]T is the identity (about
// one challenge in eight). The cofactored rule removes [h]T and accepts them all.
TEST(Ed25519Differential, MixedOrderKeys) {
  Tally tally;
  Point t = testing::OrderEightPoint();
  for (int i = 0;
       i < 600 && (tally.accepted - tally.only_cofactored < 8 || tally.only_cofactored < 8); ++i) {
    uint8_t seed[32];
    RandomBytes(seed, sizeof(seed));
    auto key = PrivateKey::FromSeed(ByteView(seed, 32));
    ASSERT_TRUE(key.ok());
    Point a;
    std::copy(key->public_key().bytes.begin(), key->public_key().bytes.end(), a.begin());
    Point mixed = testing::Add(a, t);
    PublicKey pk;
    std::copy(mixed.begin(), mixed.end(), pk.bytes.begin());
    EXPECT_FALSE(IsValidPublicKey(pk)) << "key registration refuses torsion components";
    Scalar secret = testing::SecretScalar(ByteView(seed, 32));

    Bytes msg = ToBytes("mixed order " + std::to_string(i));
    uint8_t wide[64];
    RandomBytes(wide, sizeof(wide));
    Scalar r = testing::Reduce64(wide);
    Point big_r{};
    ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(big_r.data(), r.data()), 0);
    Scalar h = testing::Challenge(big_r, mixed, msg);
    Scalar s = testing::ScalarAdd(r, testing::ScalarMul(h, secret));
    ExpectSameVerdict(pk, msg, testing::MakeSignature(big_r, s), tally, "mixed-order key",
                      /*torsion_possible=*/true);
  }
  // Both of libsodium's outcomes must have occurred for the comparison to mean something.
  EXPECT_EQ(tally.rejected, 0);
  EXPECT_GE(tally.accepted - tally.only_cofactored, 8);
  EXPECT_GE(tally.only_cofactored, 8);
}

}  // namespace
}  // namespace metaledger
