#include "core/crypto/edwards25519.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <vector>

namespace metaledger::edwards25519 {
namespace {

using namespace field25519;

// A point prepared for addition: (Y+X, Y-X, 2Z, 2dT) saves work in every addition it enters.
using Cached = OddMultiples::Cached;

struct Constants {
  Fe d, d2, sqrt_m1;
};

// Derived rather than written out as limbs, so that no hand-copied constant can be wrong:
// d = -121665/121666; sqrt(-1) = 2^((p-1)/4), as 2 is not a square mod p.
Constants MakeConstants() {
  Constants c;
  c.d = FeMul(FeNeg(FeSmall(121665)), FeInvert(FeSmall(121666)));
  c.d2 = FeAdd(c.d, c.d);
  c.sqrt_m1 = FeMul(FeSquare(FePow22523(FeSmall(2))), FeSmall(2));
  return c;
}

const Constants& K() {
  static const Constants constants = MakeConstants();
  return constants;
}

Cached ToCached(const Point& p) {
  return Cached{FeAdd(p.Y, p.X), FeSub(p.Y, p.X), FeAdd(p.Z, p.Z), FeMul(p.T, K().d2)};
}

// Unified addition for a = -1 (Hisil, Wong, Carter, Dawson 2008), 8 multiplications. The sums
// only feed multiplications, so they skip their carries (field25519.h, bounds).
Point AddCached(const Point& p, const Cached& q) {
  Fe a = FeMul(FeSubLazy(p.Y, p.X), q.y_minus_x);
  Fe b = FeMul(FeAddLazy(p.Y, p.X), q.y_plus_x);
  Fe c = FeMul(p.T, q.t2d);
  Fe d = FeMul(p.Z, q.z2);
  Fe e = FeSubLazy(b, a), f = FeSubLazy(d, c), g = FeAddLazy(d, c), h = FeAddLazy(b, a);
  return Point{FeMul(e, f), FeMul(g, h), FeMul(f, g), FeMul(e, h)};
}

// p - q: -q swaps Y+X with Y-X and negates T.
Point SubCached(const Point& p, const Cached& q) {
  Fe a = FeMul(FeSubLazy(p.Y, p.X), q.y_plus_x);
  Fe b = FeMul(FeAddLazy(p.Y, p.X), q.y_minus_x);
  Fe c = FeMul(p.T, q.t2d);
  Fe d = FeMul(p.Z, q.z2);
  Fe e = FeSubLazy(b, a), f = FeAddLazy(d, c), g = FeSubLazy(d, c), h = FeAddLazy(b, a);
  return Point{FeMul(e, f), FeMul(g, h), FeMul(f, g), FeMul(e, h)};
}

constexpr int kWindow = 5;
constexpr int kTableSize = 1 << (kWindow - 2);  // P, 3P, ..., 15P
constexpr int kDigits = 256;

// Signed digits d[i] in {0, +-1, +-3, ..., +-15}, sum d[i] 2^i = k, at most one non-zero digit
// in any 5 consecutive positions. Returns one past the highest non-zero digit (0 for k = 0).
// Runs of zero bits are skipped whole, so the work is per non-zero digit, not per bit.
int Wnaf(const Scalar& k, int8_t digits[kDigits]) {
  uint64_t x[5] = {0, 0, 0, 0, 0};
  std::memcpy(x, k.bytes, 32);
  std::memset(digits, 0, kDigits);
  int top = 0, i = 0;
  auto shift_right = [&x, &i](int s) {  // 0 < s < 64
    for (int j = 0; j < 4; ++j) x[j] = (x[j] >> s) | (x[j + 1] << (64 - s));
    x[4] >>= s;
    i += s;
  };
  while (i < kDigits && (x[0] | x[1] | x[2] | x[3] | x[4]) != 0) {
    if (x[0] == 0) {
      for (int j = 0; j < 4; ++j) x[j] = x[j + 1];
      x[4] = 0;
      i += 64;
      continue;
    }
    if ((x[0] & 1) == 0) {
      shift_right(__builtin_ctzll(x[0]));
      continue;
    }
    int d = static_cast<int>(x[0] & ((1u << kWindow) - 1));
    if (d >= (1 << (kWindow - 1))) d -= 1 << kWindow;
    digits[i] = static_cast<int8_t>(d);
    top = i + 1;
    // x -= d clears the low kWindow bits: nothing to borrow for d > 0 (d is those bits), a
    // carry may run up for d < 0.
    if (d > 0) {
      x[0] -= static_cast<uint64_t>(d);
    } else {
      uint64_t before = x[0];
      x[0] += static_cast<uint64_t>(-d);
      for (int j = 1; j < 5 && x[j - 1] < before; ++j) {
        before = x[j];
        x[j] += 1;
      }
    }
    shift_right(kWindow);
  }
  return top;
}

}  // namespace

Point Identity() { return Point{FeZero(), FeOne(), FeOne(), FeZero()}; }

// B has y = 4/5 and an even x.
const Point& BasePoint() {
  static const Point base = [] {
    uint8_t encoding[32];
    FeToBytes(encoding, FeMul(FeSmall(4), FeInvert(FeSmall(5))));
    Point b;
    Decompress(encoding, &b);
    return b;
  }();
  return base;
}

bool Decompress(const uint8_t encoding[32], Point* out) {
  Fe y = FeFromBytes(encoding);
  uint8_t canonical[32];
  FeToBytes(canonical, y);
  canonical[31] |= encoding[31] & 0x80;
  if (std::memcmp(canonical, encoding, 32) != 0) return false;  // y >= p

  // x^2 = (y^2 - 1) / (d y^2 + 1) = u / v; x = u v^3 (u v^7)^((p-5)/8) is a root of it, or of
  // -u/v, in which case sqrt(-1) x is; if neither, y is not on the curve.
  const Constants& k = K();
  Fe y2 = FeSquare(y);
  Fe u = FeSub(y2, FeOne());
  Fe v = FeAdd(FeMul(y2, k.d), FeOne());
  Fe v3 = FeMul(FeSquare(v), v);
  Fe v7 = FeMul(FeSquare(v3), v);
  Fe x = FeMul(FeMul(u, v3), FePow22523(FeMul(u, v7)));
  Fe vx2 = FeMul(v, FeSquare(x));
  if (!FeEqual(vx2, u)) {
    if (!FeEqual(vx2, FeNeg(u))) return false;
    x = FeMul(x, k.sqrt_m1);
  }
  bool negative = encoding[31] >> 7;
  if (negative && FeIsZero(x)) return false;
  if (FeIsNegative(x) != negative) x = FeNeg(x);
  *out = Point{x, y, FeOne(), FeMul(x, y)};
  return true;
}

void Compress(const Point& p, uint8_t out[32]) {
  Fe z_inverse = FeInvert(p.Z);
  Fe x = FeMul(p.X, z_inverse);
  FeToBytes(out, FeMul(p.Y, z_inverse));
  out[31] |= static_cast<uint8_t>(FeIsNegative(x)) << 7;
}

// Doubling for a = -1 (same paper), 4 multiplications and 4 squarings.
Point Double(const Point& p) {
  Fe a = FeSquare(p.X);
  Fe b = FeSquare(p.Y);
  Fe c = FeSquare(p.Z);
  Fe h = FeAddLazy(a, b);
  Fe e = FeSubLazy(h, FeSquare(FeAddLazy(p.X, p.Y)));
  Fe g = FeSubLazy(a, b);
  Fe f = FeAddLazy(FeAddLazy(c, c), g);
  return Point{FeMul(e, f), FeMul(g, h), FeMul(f, g), FeMul(e, h)};
}

bool IsIdentity(const Point& p) { return FeIsZero(p.X) && FeEqual(p.Y, p.Z); }

bool IsSmallOrder(const Point& p) { return IsIdentity(Double(Double(Double(p)))); }

void Prepare(const Point& p, OddMultiples* out) {
  static_assert(std::size(OddMultiples{}.entries) == kTableSize);
  Cached p2 = ToCached(Double(p));
  Point acc = p;
  out->entries[0] = ToCached(p);
  for (int i = 1; i < kTableSize; ++i) {
    acc = AddCached(acc, p2);
    out->entries[i] = ToCached(acc);
  }
}

Point MultiScalarMul(const Scalar* scalars, const OddMultiples* const* points, size_t n) {
  thread_local std::vector<int8_t> digit_scratch;
  if (digit_scratch.size() < n * kDigits) digit_scratch.resize(n * kDigits);
  int8_t* digits = digit_scratch.data();
  int top = 0;
  for (size_t i = 0; i < n; ++i) top = std::max(top, Wnaf(scalars[i], digits + i * kDigits));
  Point acc = Identity();
  for (int bit = top - 1; bit >= 0; --bit) {
    acc = Double(acc);
    for (size_t i = 0; i < n; ++i) {
      int d = digits[i * kDigits + bit];
      if (d > 0) {
        acc = AddCached(acc, points[i]->entries[d / 2]);
      } else if (d < 0) {
        acc = SubCached(acc, points[i]->entries[(-d) / 2]);
      }
    }
  }
  return acc;
}

}  // namespace metaledger::edwards25519
