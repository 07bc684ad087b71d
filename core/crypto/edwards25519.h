#pragma once
// Points of the Edwards25519 curve and a multi-scalar multiplication, the arithmetic under
// batch verification (core/crypto/ed25519_batch.h). Neither libsodium nor Crypto++ exposes a
// multi-scalar multiplication, and one of many points is what makes a batch cheaper than its
// signatures one by one: the doublings are shared and each point needs only its additions.
//
// Variable time, for public data only. Points are in extended coordinates (X:Y:Z:T) with
// x = X/Z, y = Y/Z, xy = T/Z.

#include <cstddef>
#include <cstdint>

#include "core/crypto/field25519.h"

namespace metaledger::edwards25519 {

struct Point {
  field25519::Fe X, Y, Z, T;
};

// A little-endian scalar below 2^253 (anything reduced mod L, or a 128-bit coefficient).
struct Scalar {
  uint8_t bytes[32];
};

// A point prepared for multiplication: its odd multiples P, 3P, ..., 15P in the form additions
// take. Worth keeping for a point that comes back often, such as a public key.
struct OddMultiples {
  struct Cached {
    field25519::Fe y_plus_x, y_minus_x, z2, t2d;
  };
  Cached entries[8];
};

Point Identity();
const Point& BasePoint();

// Decodes a 32-byte encoding: y canonical (below p) and on the curve. x = 0 with the sign bit
// set is refused. False leaves *out unspecified.
bool Decompress(const uint8_t encoding[32], Point* out);
void Compress(const Point& p, uint8_t out[32]);

Point Double(const Point& p);
bool IsIdentity(const Point& p);
// [8]P is the identity: P lies in the small-order subgroup.
bool IsSmallOrder(const Point& p);

void Prepare(const Point& p, OddMultiples* out);

// sum of scalars[i] * P_i for the prepared points P_i (Straus, signed windows of 5 bits).
// Allocates scratch once per thread and keeps it.
Point MultiScalarMul(const Scalar* scalars, const OddMultiples* const* points, size_t n);

}  // namespace metaledger::edwards25519
