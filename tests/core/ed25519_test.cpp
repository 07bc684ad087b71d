// Ed25519 through the core facade: RFC 8032 vectors, agreement between libsodium and Crypto++,
// and the strict acceptance rules (docs/encoding.md, "Ed25519 acceptance").

#include "core/crypto/ed25519.h"

#include <cryptopp/cryptlib.h>
#include <cryptopp/xed25519.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <set>

#include "core/crypto/ed25519_rules.h"
#include "tests/core/curve_util.h"

namespace metaledger {
namespace {

using testing::HexBytes;
using testing::Point;
using testing::Scalar;

struct Rfc8032Vector {
  const char* seed;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 section 7.1, TEST 1, 2, 3 and 1024.
const Rfc8032Vector kVectors[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
     "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
     "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f7"
     "7b1"
     "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b203"
     "29d"
     "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e"
     "93a"
     "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a365"
     "53e"
     "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bb"
     "c10"
     "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7"
     "ed1"
     "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb"
     "39d"
     "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f"
     "270"
     "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d90"
     "89b"
     "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a4612"
     "8ba"
     "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af89"
     "69b"
     "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47ac"
     "db7"
     "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd9"
     "88d"
     "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee3"
     "4df"
     "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4a"
     "ca7"
     "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae4"
     "9e4"
     "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aa"
     "c09"
     "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496af"
     "c5f"
     "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f"
     "161"
     "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb686069373"
     "80d"
     "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b"
     "8ca"
     "c60c905c15fc910840b94c00a0b9d0",
     "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
     "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
};

TEST(Ed25519Rfc8032, SeedGivesPublicKeyAndSignature) {
  for (const auto& v : kVectors) {
    Bytes seed = HexBytes(v.seed);
    Bytes message = HexBytes(v.message);
    auto key = PrivateKey::FromSeed(seed);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key->public_key().Hex(), v.public_key);
    Signature sig = key->Sign(message);
    EXPECT_EQ(sig.Hex(), v.signature);
    EXPECT_TRUE(Verify(key->public_key(), message, sig));
    EXPECT_TRUE(ed25519::LibsodiumVerify(key->public_key(), message, sig));
  }
}

TEST(Ed25519Rfc8032, MessageOfTest1024HasItsLength) {
  EXPECT_EQ(HexBytes(kVectors[3].message).size(), 1023u);
}

TEST(Ed25519, FromSeedRejectsWrongLength) {
  Bytes short_seed(31, 7);
  auto key = PrivateKey::FromSeed(short_seed);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
}

TEST(Ed25519, GeneratedKeysDifferAndSign) {
  PrivateKey a = PrivateKey::Generate();
  PrivateKey b = PrivateKey::Generate();
  EXPECT_TRUE(a.valid());
  EXPECT_NE(a.public_key(), b.public_key());
  Bytes msg = ToBytes("hello");
  EXPECT_TRUE(Verify(a.public_key(), msg, a.Sign(msg)));
  EXPECT_FALSE(Verify(b.public_key(), msg, a.Sign(msg)));
}

TEST(Ed25519CrossLibrary, LibsodiumSignaturesVerifyInCryptopp) {
  for (int i = 0; i < 20; ++i) {
    PrivateKey key = PrivateKey::Generate();
    Bytes msg(static_cast<size_t>(i * 13), static_cast<uint8_t>(i));
    Signature sig = key.Sign(msg);
    CryptoPP::ed25519Verifier verifier(key.public_key().data());
    EXPECT_TRUE(verifier.VerifyMessage(msg.data(), msg.size(), sig.data(), sig.kSize));
  }
}

TEST(Ed25519CrossLibrary, CryptoppSignaturesVerifyInLibsodiumAndFacade) {
  CryptoPP::RandomNumberGenerator& rng = CryptoPP::NullRNG();
  for (int i = 0; i < 20; ++i) {
    uint8_t seed[32];
    RandomBytes(seed, sizeof(seed));
    CryptoPP::ed25519Signer signer(seed);
    PublicKey pk;
    // Crypto++ derives the same public key from the seed as libsodium.
    auto ours = PrivateKey::FromSeed(ByteView(seed, 32));
    ASSERT_TRUE(ours.ok());
    CryptoPP::ed25519Verifier from_signer(signer);
    const auto& pub = dynamic_cast<const CryptoPP::ed25519PublicKey&>(from_signer.GetPublicKey());
    std::copy(pub.GetPublicKeyBytePtr(), pub.GetPublicKeyBytePtr() + 32, pk.bytes.begin());
    EXPECT_EQ(pk, ours->public_key());

    Bytes msg(static_cast<size_t>(i * 7 + 1), static_cast<uint8_t>(255 - i));
    Signature sig;
    signer.SignMessage(rng, msg.data(), msg.size(), sig.data());
    EXPECT_EQ(sig, ours->Sign(msg)) << "Ed25519 signing is deterministic";
    EXPECT_TRUE(ed25519::LibsodiumVerify(pk, msg, sig));
    EXPECT_TRUE(Verify(pk, msg, sig));
  }
}

class Ed25519Rejection : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = PrivateKey::Generate();
    msg_ = ToBytes("metaledger rejection test");
    sig_ = key_.Sign(msg_);
    ASSERT_TRUE(Verify(key_.public_key(), msg_, sig_));
  }
  // Both the facade and libsodium refuse it.
  void ExpectRejected(const PublicKey& pk, ByteView msg, const Signature& sig) {
    EXPECT_FALSE(Verify(pk, msg, sig));
    EXPECT_FALSE(ed25519::LibsodiumVerify(pk, msg, sig));
  }
  PrivateKey key_;
  Bytes msg_;
  Signature sig_;
};

TEST_F(Ed25519Rejection, WrongMessage) {
  Bytes other = msg_;
  other.back() ^= 1;
  ExpectRejected(key_.public_key(), other, sig_);
  ExpectRejected(key_.public_key(), ByteView(msg_.data(), msg_.size() - 1), sig_);
}

TEST_F(Ed25519Rejection, EveryFlippedSignatureBit) {
  for (size_t bit = 0; bit < 512; ++bit) {
    Signature bad = sig_;
    bad.bytes[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(Verify(key_.public_key(), msg_, bad)) << "bit " << bit;
  }
}

TEST_F(Ed25519Rejection, EveryFlippedPublicKeyBit) {
  for (size_t bit = 0; bit < 256; ++bit) {
    PublicKey bad = key_.public_key();
    bad.bytes[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(Verify(bad, msg_, sig_)) << "bit " << bit;
  }
}

TEST_F(Ed25519Rejection, NonCanonicalScalarSPlusL) {
  // S + L satisfies the equation exactly as S does; only the canonical-S rule refuses it.
  Scalar s{};
  std::copy(sig_.bytes.begin() + 32, sig_.bytes.end(), s.begin());
  Scalar l = testing::GroupOrder();
  Scalar sum{};
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    unsigned t = s[i] + l[i] + carry;
    sum[i] = static_cast<uint8_t>(t);
    carry = t >> 8;
  }
  ASSERT_EQ(carry, 0u);
  Signature bad = sig_;
  std::copy(sum.begin(), sum.end(), bad.bytes.begin() + 32);
  EXPECT_FALSE(ed25519::IsCanonicalScalar(sum.data()));
  ExpectRejected(key_.public_key(), msg_, bad);
  if ((sum[31] & 0xe0) == 0) {
    // Crypto++ alone reduces S mod L and would accept: the pre-check is what makes us strict.
    EXPECT_TRUE(ed25519::CryptoppEquationOnly(key_.public_key(), msg_, bad));
  }
}

TEST(Ed25519Rules, CanonicalScalarBoundary) {
  Scalar l = testing::GroupOrder();
  EXPECT_FALSE(ed25519::IsCanonicalScalar(l.data()));
  Scalar below = l;
  below[0] -= 1;
  EXPECT_TRUE(ed25519::IsCanonicalScalar(below.data()));
  Scalar above = l;
  above[0] += 1;
  EXPECT_FALSE(ed25519::IsCanonicalScalar(above.data()));
  Scalar zero{};
  EXPECT_TRUE(ed25519::IsCanonicalScalar(zero.data()));
  Scalar max;
  max.fill(0xff);
  EXPECT_FALSE(ed25519::IsCanonicalScalar(max.data()));
}

TEST(Ed25519Rules, CanonicalPointBoundary) {
  Point p_minus_1;  // y = p - 1 = 2^255 - 20
  p_minus_1.fill(0xff);
  p_minus_1[0] = 0xec;
  p_minus_1[31] = 0x7f;
  EXPECT_TRUE(ed25519::IsCanonicalPointEncoding(p_minus_1.data()));
  for (int low = 0xed; low <= 0xff; ++low) {  // y = p .. 2^255 - 1, either sign bit
    Point y = p_minus_1;
    y[0] = static_cast<uint8_t>(low);
    EXPECT_FALSE(ed25519::IsCanonicalPointEncoding(y.data())) << low;
    y[31] |= 0x80;
    EXPECT_FALSE(ed25519::IsCanonicalPointEncoding(y.data())) << low;
  }
}

TEST_F(Ed25519Rejection, NonCanonicalPublicKeys) {
  // Every encoding with y >= p, whatever R and S.
  for (int low = 0xed; low <= 0xff; ++low) {
    for (uint8_t sign : {0x00, 0x80}) {
      PublicKey pk;
      pk.bytes.fill(0xff);
      pk.bytes[0] = static_cast<uint8_t>(low);
      pk.bytes[31] = static_cast<uint8_t>(0x7f | sign);
      ExpectRejected(pk, msg_, sig_);
      EXPECT_FALSE(IsValidPublicKey(pk));
    }
  }
}

TEST(Ed25519SmallOrder, DerivedPointsMatchTheBlocklist) {
  std::vector<Point> derived = testing::DeriveSmallOrderPoints();
  std::set<Point> unique(derived.begin(), derived.end());
  ASSERT_EQ(unique.size(), 8u);
  // The well-known encodings: y = 1, y = -1, y = 0 (both signs) and the two order-8 y values
  // (both signs).
  const char* kKnown[] = {
      "0100000000000000000000000000000000000000000000000000000000000000",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "0000000000000000000000000000000000000000000000000000000000000000",
      "0000000000000000000000000000000000000000000000000000000000000080",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
  };
  std::set<Point> known;
  for (const char* hex : kKnown) {
    Bytes b = HexBytes(hex);
    Point p;
    std::copy(b.begin(), b.end(), p.begin());
    known.insert(p);
  }
  EXPECT_EQ(unique, known);
  for (const Point& p : derived) {
    EXPECT_TRUE(ed25519::IsSmallOrderEncoding(p.data())) << ToHex(p);
    EXPECT_EQ(crypto_core_ed25519_is_valid_point(p.data()), 0) << ToHex(p);
    Point flipped = p;
    flipped[31] ^= 0x80;  // the blocklist ignores the sign bit
    EXPECT_TRUE(ed25519::IsSmallOrderEncoding(flipped.data())) << ToHex(flipped);
  }
}

TEST(Ed25519SmallOrder, NonCanonicalAliasesAreBlocked) {
  for (const char* hex : {"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                          "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                          "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}) {
    Bytes b = HexBytes(hex);
    EXPECT_TRUE(ed25519::IsSmallOrderEncoding(b.data())) << hex;
  }
}

TEST(Ed25519SmallOrder, OrdinaryKeysAreNotBlocked) {
  for (int i = 0; i < 50; ++i) {
    PrivateKey k = PrivateKey::Generate();
    EXPECT_FALSE(ed25519::IsSmallOrderEncoding(k.public_key().data()));
    EXPECT_TRUE(IsValidPublicKey(k.public_key()));
  }
}

// For a small-order key A, find R = rB with [H(R,A,M)]A = identity; then (R, r) passes the bare
// cofactorless equation for ANY message, which is why such keys are refused.
TEST(Ed25519SmallOrder, SmallOrderPublicKeysAreRejectedEvenWhenTheEquationHolds) {
  Bytes msg = ToBytes("anything at all");
  for (const Point& a : testing::DeriveSmallOrderPoints()) {
    PublicKey pk;
    std::copy(a.begin(), a.end(), pk.bytes.begin());
    bool forged = false;
    for (int attempt = 0; attempt < 200 && !forged; ++attempt) {
      uint8_t wide[64];
      RandomBytes(wide, sizeof(wide));
      Scalar r = testing::Reduce64(wide);
      Point big_r{};
      ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(big_r.data(), r.data()), 0);
      Scalar h = testing::Challenge(big_r, a, msg);
      if (testing::Multiply(a, h) != testing::Identity()) continue;
      Signature sig = testing::MakeSignature(big_r, r);
      EXPECT_TRUE(ed25519::CryptoppEquationOnly(pk, msg, sig)) << ToHex(a);
      EXPECT_FALSE(Verify(pk, msg, sig)) << ToHex(a);
      EXPECT_FALSE(ed25519::LibsodiumVerify(pk, msg, sig)) << ToHex(a);
      EXPECT_FALSE(IsValidPublicKey(pk));
      forged = true;
    }
    EXPECT_TRUE(forged) << "no equation-satisfying signature found for " << ToHex(a);
  }
}

// R = identity and S = h·a satisfies [S]B = R + [h]A for a real key; only the small-order-R rule
// refuses it. Every other small-order R is tried with both sign bits as well.
TEST(Ed25519SmallOrder, SmallOrderRIsRejected) {
  uint8_t seed[32];
  RandomBytes(seed, sizeof(seed));
  auto key = PrivateKey::FromSeed(ByteView(seed, 32));
  ASSERT_TRUE(key.ok());
  Point a;
  std::copy(key->public_key().bytes.begin(), key->public_key().bytes.end(), a.begin());
  Bytes msg = ToBytes("small order R");
  Scalar secret = testing::SecretScalar(ByteView(seed, 32));

  Point identity = testing::Identity();
  Scalar h = testing::Challenge(identity, a, msg);
  Signature sig = testing::MakeSignature(identity, testing::ScalarMul(h, secret));
  EXPECT_TRUE(ed25519::CryptoppEquationOnly(key->public_key(), msg, sig));
  EXPECT_FALSE(Verify(key->public_key(), msg, sig));
  EXPECT_FALSE(ed25519::LibsodiumVerify(key->public_key(), msg, sig));

  for (const Point& r : testing::DeriveSmallOrderPoints()) {
    for (uint8_t flip : {0x00, 0x80}) {
      Point rr = r;
      rr[31] ^= flip;
      Scalar hh = testing::Challenge(rr, a, msg);
      Signature s2 = testing::MakeSignature(rr, testing::ScalarMul(hh, secret));
      EXPECT_FALSE(Verify(key->public_key(), msg, s2)) << ToHex(rr);
      EXPECT_FALSE(ed25519::LibsodiumVerify(key->public_key(), msg, s2)) << ToHex(rr);
    }
  }
}

TEST(Ed25519, PrivateKeyCopiesSignAlike) {
  PrivateKey a = PrivateKey::Generate();
  PrivateKey b = a;
  PrivateKey c;
  EXPECT_FALSE(c.valid());
  c = a;
  Bytes msg = ToBytes("copy");
  EXPECT_EQ(a.Sign(msg), b.Sign(msg));
  EXPECT_EQ(a.Sign(msg), c.Sign(msg));
  EXPECT_EQ(Bytes(a.seed().begin(), a.seed().end()), Bytes(c.seed().begin(), c.seed().end()));
}

TEST(Ed25519, SecureWipeZeroes) {
  uint8_t buf[16];
  std::fill(std::begin(buf), std::end(buf), 0xaa);
  SecureWipe(buf, sizeof(buf));
  for (uint8_t b : buf) EXPECT_EQ(b, 0);
}

}  // namespace
}  // namespace metaledger
