#include "tests/core/curve_util.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace metaledger::testing {

Point Identity() {
  Point p{};
  p[0] = 1;
  return p;
}

Point Add(const Point& p, const Point& q) {
  Point r{};
  if (crypto_core_ed25519_add(r.data(), p.data(), q.data()) != 0) {
    ADD_FAILURE() << "crypto_core_ed25519_add refused " << ToHex(p) << " + " << ToHex(q);
  }
  return r;
}

Point Multiply(const Point& p, const Scalar& k) {
  Point acc = Identity();
  for (int bit = 255; bit >= 0; --bit) {
    acc = Add(acc, acc);
    if ((k[bit / 8] >> (bit % 8)) & 1) acc = Add(acc, p);
  }
  return acc;
}

Scalar GroupOrder() {
  Scalar l{};
  auto b = FromHex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  std::copy(b->begin(), b->end(), l.begin());
  return l;
}

Scalar Reduce64(const uint8_t wide[64]) {
  Scalar out{};
  uint8_t copy[64];
  std::memcpy(copy, wide, 64);
  crypto_core_ed25519_scalar_reduce(out.data(), copy);
  return out;
}

Scalar ScalarAdd(const Scalar& a, const Scalar& b) {
  Scalar out{};
  crypto_core_ed25519_scalar_add(out.data(), a.data(), b.data());
  return out;
}

Scalar ScalarMul(const Scalar& a, const Scalar& b) {
  Scalar out{};
  crypto_core_ed25519_scalar_mul(out.data(), a.data(), b.data());
  return out;
}

Point OrderEightPoint() {
  CryptoInit();
  const Point identity = Identity();
  for (int attempt = 0; attempt < 1000; ++attempt) {
    Point candidate{};
    randombytes_buf(candidate.data(), candidate.size());
    candidate[31] &= 0x7f;
    Point sum{};
    // Not every y is on the curve; libsodium tells us which are.
    if (crypto_core_ed25519_add(sum.data(), candidate.data(), identity.data()) != 0) continue;
    // L * P kills the prime-order part and leaves (L mod 8) * T, of the same order as T.
    Point torsion = Multiply(candidate, GroupOrder());
    Point twice = Add(torsion, torsion);
    Point four = Add(twice, twice);
    if (four != identity) return torsion;
  }
  ADD_FAILURE() << "no order-8 point found";
  return identity;
}

std::vector<Point> DeriveSmallOrderPoints() {
  Point t = OrderEightPoint();
  std::vector<Point> out;
  Point acc = Identity();
  for (int k = 0; k < 8; ++k) {
    out.push_back(acc);
    acc = Add(acc, t);
  }
  EXPECT_EQ(acc, Identity()) << "8T must be the identity";
  return out;
}

Scalar Challenge(const Point& r, const Point& a, ByteView message) {
  crypto_hash_sha512_state st;
  crypto_hash_sha512_init(&st);
  crypto_hash_sha512_update(&st, r.data(), 32);
  crypto_hash_sha512_update(&st, a.data(), 32);
  crypto_hash_sha512_update(&st, message.data(), message.size());
  uint8_t h[64];
  crypto_hash_sha512_final(&st, h);
  return Reduce64(h);
}

Scalar SecretScalar(ByteView seed32) {
  uint8_t h[64];
  crypto_hash_sha512(h, seed32.data(), seed32.size());
  h[0] &= 248;
  h[31] &= 127;
  h[31] |= 64;
  std::memset(h + 32, 0, 32);
  return Reduce64(h);
}

Signature MakeSignature(const Point& r, const Scalar& s) {
  Signature sig;
  std::copy(r.begin(), r.end(), sig.bytes.begin());
  std::copy(s.begin(), s.end(), sig.bytes.begin() + 32);
  return sig;
}

Bytes HexBytes(std::string_view hex) {
  auto b = FromHex(hex);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return b.ok() ? *b : Bytes{};
}

}  // namespace metaledger::testing
