#pragma once
// Arithmetic in GF(2^255 - 19) for the batch verifier (core/crypto/edwards25519.h): five 51-bit
// limbs, products in 128 bits. Variable time: it only ever handles public data (keys,
// signatures, messages), never a secret.
//
// Bounds: every function except the lazy ones returns "tight" limbs, below 2^51 + 2^13, and
// accepts them. FeMul and FeSquare also accept limbs up to 2^54, which is what FeAddLazy and
// FeSubLazy return: a few additions may feed a multiplication without carrying in between.

#include <cstdint>
#include <cstring>

namespace metaledger::field25519 {

struct Fe {
  uint64_t v[5];
};

using u128 = unsigned __int128;

// The hot functions are forced inline: as calls they cost a fifth of a batch check.
#define METALEDGER_FE_INLINE [[gnu::always_inline]] inline
inline constexpr uint64_t kMask51 = (uint64_t{1} << 51) - 1;

inline Fe FeZero() { return Fe{{0, 0, 0, 0, 0}}; }
inline Fe FeOne() { return Fe{{1, 0, 0, 0, 0}}; }
inline Fe FeSmall(uint64_t x) { return Fe{{x, 0, 0, 0, 0}}; }

// Carries limbs 0 to 3 into their successors; limb 4 keeps its excess for the caller.
METALEDGER_FE_INLINE void CarryUp(uint64_t& a0, uint64_t& a1, uint64_t& a2, uint64_t& a3,
                                  uint64_t& a4) {
  a1 += a0 >> 51;
  a0 &= kMask51;
  a2 += a1 >> 51;
  a1 &= kMask51;
  a3 += a2 >> 51;
  a2 &= kMask51;
  a4 += a3 >> 51;
  a3 &= kMask51;
}

// One pass of carries, the top limb's wrapping in as 19 (2^255 = 19 mod p).
METALEDGER_FE_INLINE Fe Carry(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4) {
  CarryUp(a0, a1, a2, a3, a4);
  a0 += 19 * (a4 >> 51);
  a4 &= kMask51;
  return Fe{{a0, a1, a2, a3, a4}};
}

METALEDGER_FE_INLINE Fe FeAdd(const Fe& a, const Fe& b) {
  return Carry(a.v[0] + b.v[0], a.v[1] + b.v[1], a.v[2] + b.v[2], a.v[3] + b.v[3], a.v[4] + b.v[4]);
}

// a - b + 4p, so that no limb goes negative for inputs below 2^53.
METALEDGER_FE_INLINE Fe FeSub(const Fe& a, const Fe& b) {
  constexpr uint64_t k4p0 = 0x1fffffffffffb4;  // 4 * (2^51 - 19)
  constexpr uint64_t k4pi = 0x1ffffffffffffc;  // 4 * (2^51 - 1)
  return Carry(a.v[0] + k4p0 - b.v[0], a.v[1] + k4pi - b.v[1], a.v[2] + k4pi - b.v[2],
               a.v[3] + k4pi - b.v[3], a.v[4] + k4pi - b.v[4]);
}

inline Fe FeNeg(const Fe& a) { return FeSub(FeZero(), a); }

// Without carries, for multiplication inputs only (limbs below 2^54 in the sum).
METALEDGER_FE_INLINE Fe FeAddLazy(const Fe& a, const Fe& b) {
  return Fe{{a.v[0] + b.v[0], a.v[1] + b.v[1], a.v[2] + b.v[2], a.v[3] + b.v[3], a.v[4] + b.v[4]}};
}

// a - b + 2p without carries, for multiplication inputs only; b must be tight, a below 2^53.
METALEDGER_FE_INLINE Fe FeSubLazy(const Fe& a, const Fe& b) {
  constexpr uint64_t k2p0 = 0xfffffffffffda;  // 2 * (2^51 - 19)
  constexpr uint64_t k2pi = 0xffffffffffffe;  // 2 * (2^51 - 1)
  return Fe{{a.v[0] + k2p0 - b.v[0], a.v[1] + k2pi - b.v[1], a.v[2] + k2pi - b.v[2],
             a.v[3] + k2pi - b.v[3], a.v[4] + k2pi - b.v[4]}};
}

METALEDGER_FE_INLINE Fe CarryWide(u128 r0, u128 r1, u128 r2, u128 r3, u128 r4) {
  // With inputs below 2^54 every r is below 2^115 and r4 below 2^110, so the shifted carries,
  // and 19 times the top one, fit in 64 bits.
  r1 += static_cast<uint64_t>(r0 >> 51);
  uint64_t a0 = static_cast<uint64_t>(r0) & kMask51;
  r2 += static_cast<uint64_t>(r1 >> 51);
  uint64_t a1 = static_cast<uint64_t>(r1) & kMask51;
  r3 += static_cast<uint64_t>(r2 >> 51);
  uint64_t a2 = static_cast<uint64_t>(r2) & kMask51;
  r4 += static_cast<uint64_t>(r3 >> 51);
  uint64_t a3 = static_cast<uint64_t>(r3) & kMask51;
  uint64_t top = static_cast<uint64_t>(r4 >> 51);
  uint64_t a4 = static_cast<uint64_t>(r4) & kMask51;
  a0 += top * 19;
  a1 += a0 >> 51;
  a0 &= kMask51;
  return Fe{{a0, a1, a2, a3, a4}};
}

METALEDGER_FE_INLINE Fe FeMul(const Fe& a, const Fe& b) {
  const uint64_t a0 = a.v[0], a1 = a.v[1], a2 = a.v[2], a3 = a.v[3], a4 = a.v[4];
  const uint64_t b0 = b.v[0], b1 = b.v[1], b2 = b.v[2], b3 = b.v[3], b4 = b.v[4];
  const uint64_t b1_19 = 19 * b1, b2_19 = 19 * b2, b3_19 = 19 * b3, b4_19 = 19 * b4;
  u128 r0 =
      (u128)a0 * b0 + (u128)a1 * b4_19 + (u128)a2 * b3_19 + (u128)a3 * b2_19 + (u128)a4 * b1_19;
  u128 r1 = (u128)a0 * b1 + (u128)a1 * b0 + (u128)a2 * b4_19 + (u128)a3 * b3_19 + (u128)a4 * b2_19;
  u128 r2 = (u128)a0 * b2 + (u128)a1 * b1 + (u128)a2 * b0 + (u128)a3 * b4_19 + (u128)a4 * b3_19;
  u128 r3 = (u128)a0 * b3 + (u128)a1 * b2 + (u128)a2 * b1 + (u128)a3 * b0 + (u128)a4 * b4_19;
  u128 r4 = (u128)a0 * b4 + (u128)a1 * b3 + (u128)a2 * b2 + (u128)a3 * b1 + (u128)a4 * b0;
  return CarryWide(r0, r1, r2, r3, r4);
}

METALEDGER_FE_INLINE Fe FeSquare(const Fe& a) {
  const uint64_t a0 = a.v[0], a1 = a.v[1], a2 = a.v[2], a3 = a.v[3], a4 = a.v[4];
  const uint64_t d0 = 2 * a0, d1 = 2 * a1, d2 = 2 * a2;
  const uint64_t a3_19 = 19 * a3, a4_19 = 19 * a4;
  u128 r0 = (u128)a0 * a0 + (u128)d1 * a4_19 + (u128)d2 * a3_19;
  u128 r1 = (u128)d0 * a1 + (u128)d2 * a4_19 + (u128)a3 * a3_19;
  u128 r2 = (u128)d0 * a2 + (u128)a1 * a1 + (u128)(2 * a3) * a4_19;
  u128 r3 = (u128)d0 * a3 + (u128)d1 * a2 + (u128)a4 * a4_19;
  u128 r4 = (u128)d0 * a4 + (u128)d1 * a3 + (u128)a2 * a2;
  return CarryWide(r0, r1, r2, r3, r4);
}

inline Fe FeSquareTimes(Fe a, int n) {
  for (int i = 0; i < n; ++i) a = FeSquare(a);
  return a;
}

// z^(2^250 - 1) and z^11, the common prefix of the two exponentiation chains below.
inline Fe FePow2250Minus1(const Fe& z, Fe* z11) {
  Fe z2 = FeSquare(z);
  Fe z9 = FeMul(FeSquareTimes(z2, 2), z);
  *z11 = FeMul(z9, z2);
  Fe e5 = FeMul(FeSquare(*z11), z9);                // 2^5 - 1
  Fe e10 = FeMul(FeSquareTimes(e5, 5), e5);         // 2^10 - 1
  Fe e20 = FeMul(FeSquareTimes(e10, 10), e10);      // 2^20 - 1
  Fe e40 = FeMul(FeSquareTimes(e20, 20), e20);      // 2^40 - 1
  Fe e50 = FeMul(FeSquareTimes(e40, 10), e10);      // 2^50 - 1
  Fe e100 = FeMul(FeSquareTimes(e50, 50), e50);     // 2^100 - 1
  Fe e200 = FeMul(FeSquareTimes(e100, 100), e100);  // 2^200 - 1
  return FeMul(FeSquareTimes(e200, 50), e50);       // 2^250 - 1
}

// z^(p - 2) = 1/z (0 for 0).
inline Fe FeInvert(const Fe& z) {
  Fe z11;
  Fe e250 = FePow2250Minus1(z, &z11);
  return FeMul(FeSquareTimes(e250, 5), z11);  // 2^255 - 32 + 11
}

// z^((p - 5) / 8) = z^(2^252 - 3), the exponent of the square-root-of-a-ratio trick.
inline Fe FePow22523(const Fe& z) {
  Fe z11;
  Fe e250 = FePow2250Minus1(z, &z11);
  return FeMul(FeSquareTimes(e250, 2), z);
}

// The 255 low bits of a little-endian encoding; the top bit is the caller's (a sign).
inline Fe FeFromBytes(const uint8_t s[32]) {
  uint64_t w[4];
  std::memcpy(w, s, 32);  // x86-64 and every target Debian builds this for here: little-endian
  return Fe{{w[0] & kMask51, ((w[0] >> 51) | (w[1] << 13)) & kMask51,
             ((w[1] >> 38) | (w[2] << 26)) & kMask51, ((w[2] >> 25) | (w[3] << 39)) & kMask51,
             (w[3] >> 12) & kMask51}};
}

// The canonical (fully reduced) little-endian encoding.
inline void FeToBytes(uint8_t out[32], const Fe& a) {
  Fe t = Carry(a.v[0], a.v[1], a.v[2], a.v[3], a.v[4]);
  t = Carry(t.v[0], t.v[1], t.v[2], t.v[3], t.v[4]);  // now below 2^255 + 19 * small
  // q = 1 exactly when t >= p, i.e. when t + 19 carries out of bit 255.
  uint64_t q = (t.v[0] + 19) >> 51;
  q = (t.v[1] + q) >> 51;
  q = (t.v[2] + q) >> 51;
  q = (t.v[3] + q) >> 51;
  q = (t.v[4] + q) >> 51;
  uint64_t a0 = t.v[0] + 19 * q, a1 = t.v[1], a2 = t.v[2], a3 = t.v[3], a4 = t.v[4];
  CarryUp(a0, a1, a2, a3, a4);
  a4 &= kMask51;  // drops the 2^255 that subtracting p leaves
  uint64_t w[4] = {a0 | (a1 << 51), (a1 >> 13) | (a2 << 38), (a2 >> 26) | (a3 << 25),
                   (a3 >> 39) | (a4 << 12)};
  std::memcpy(out, w, 32);
}

inline bool FeIsZero(const Fe& a) {
  uint8_t b[32];
  FeToBytes(b, a);
  uint8_t acc = 0;
  for (uint8_t x : b) acc |= x;
  return acc == 0;
}

inline bool FeEqual(const Fe& a, const Fe& b) { return FeIsZero(FeSub(a, b)); }

// The low bit of the canonical encoding: the "sign" of x in a point encoding.
inline bool FeIsNegative(const Fe& a) {
  uint8_t b[32];
  FeToBytes(b, a);
  return b[0] & 1;
}

}  // namespace metaledger::field25519

#undef METALEDGER_FE_INLINE
