#pragma once
// Ed25519 verification under the cofactored rule, one signature or many at once.
//
// The rule (docs/encoding.md, section 5): the encoding checks of Verify() (S canonical; A and R
// canonical, decodable and not small-order encodings), then [8]([S]B - R - [h]A) = O with
// h = SHA-512(R || A || M) mod L. It accepts every signature libsodium accepts and, beyond them,
// only signatures whose R or A carries a torsion component that the cofactorless equation
// notices and the cofactored one does not. Only the cofactored rule can be checked in batches
// with the same verdict as one by one, which is why the ledger uses it.

#include <optional>
#include <span>

#include "core/crypto/ed25519.h"

namespace metaledger::ed25519 {

struct BatchItem {
  const PublicKey* key;
  ByteView message;
  const Signature* signature;
};

bool VerifyCofactored(const PublicKey& key, ByteView message, const Signature& sig);

// True when every item satisfies VerifyCofactored; an empty batch is true. Each chunk of up to
// 64 signatures is one multi-scalar multiplication with fresh random 128-bit coefficients, so a
// batch holding a bad signature passes with probability below 2^-125 and a good batch always
// passes. False names no item: check them one by one to find which. Thread-safe.
bool VerifyBatch(std::span<const BatchItem> items);

// The index of the first item that Verify() refuses, or nullopt when it accepts all: a batch
// check first, then, only if that fails, the items one by one up to the first bad one.
std::optional<size_t> FirstInvalid(std::span<const BatchItem> items);

}  // namespace metaledger::ed25519
