#pragma once
// Test-only Edwards25519 helpers built on libsodium's point and scalar primitives, used to
// derive small-order points and to craft signatures that pass the bare cofactorless equation
// while breaking an encoding rule.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/crypto/ed25519.h"

namespace metaledger::testing {

using Point = std::array<uint8_t, 32>;
using Scalar = std::array<uint8_t, 32>;

Point Identity();
Point Add(const Point& p, const Point& q);           // aborts the test on a bad point
Point Multiply(const Point& p, const Scalar& k);     // double-and-add over libsodium's Add
Scalar GroupOrder();                                 // L, little-endian
Scalar Reduce64(const uint8_t wide[64]);             // x mod L
Scalar ScalarAdd(const Scalar& a, const Scalar& b);  // mod L
Scalar ScalarMul(const Scalar& a, const Scalar& b);  // mod L

// The eight points of order dividing 8, derived by multiplying a random curve point by L and
// walking the multiples of the order-8 torsion point found that way.
std::vector<Point> DeriveSmallOrderPoints();
// One point of order exactly 8.
Point OrderEightPoint();

// H(R ‖ A ‖ M) mod L, the Ed25519 challenge.
Scalar Challenge(const Point& r, const Point& a, ByteView message);

// The clamped secret scalar of a seed, reduced mod L.
Scalar SecretScalar(ByteView seed32);

// Signature from explicit R and S.
Signature MakeSignature(const Point& r, const Scalar& s);

Bytes HexBytes(std::string_view hex);  // aborts the test on bad hex

}  // namespace metaledger::testing
