#pragma once
// The encoding rules Ed25519 verification enforces before the curve equation, exposed so that
// tests, benchmarks and docs/encoding.md can name them. They are libsodium 1.0.18's; the
// equation behind them is the cofactored one (core/crypto/ed25519_batch.h).
//
// All inputs are 32-byte little-endian encodings. None of these functions allocate or fail.

#include <cstdint>

#include "core/crypto/ed25519.h"

namespace metaledger::ed25519 {

// s < L, the prime order of the base point (L = 2^252 + 27742317777372353535851937790883648493).
bool IsCanonicalScalar(const uint8_t s[32]);

// The y coordinate (sign bit masked off) is below p = 2^255 - 19.
bool IsCanonicalPointEncoding(const uint8_t point[32]);

// True for the encodings of the eight points of order dividing 8 and the two non-canonical
// aliases of y = 0 and y = 1, compared with the sign bit masked off (libsodium's blocklist).
bool IsSmallOrderEncoding(const uint8_t point[32]);

// Verification through libsodium's crypto_sign_verify_detached alone: the reference whose every
// acceptance the facade must share, kept for differential tests and benchmarks.
bool LibsodiumVerify(const PublicKey& key, ByteView message, const Signature& sig);

// Crypto++'s cofactorless equation alone, WITHOUT the rules above. Never use it to accept
// anything; it exists to measure the cost of the pre-checks.
bool CryptoppEquationOnly(const PublicKey& key, ByteView message, const Signature& sig);

}  // namespace metaledger::ed25519
