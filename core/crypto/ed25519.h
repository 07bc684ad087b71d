#pragma once
// Ed25519 keys and signatures: the one facade every layer signs and verifies through.
//
// Verification rules are strict and identical on every node (see docs/encoding.md, section 5):
// the public key and R must be canonical encodings of curve points that are not of small
// order, S must be canonical (S < L), and the check is the cofactored equation
// [8]([S]B - R - [H(R,A,M)]A) = O. That accepts everything libsodium 1.0.18 accepts and, beyond
// it, only signatures carrying a crafted torsion component; it is the rule that batches of
// signatures can be checked under with the same verdicts (core/crypto/ed25519_batch.h).

#include <optional>
#include <string>

#include "core/bytes.h"

namespace metaledger {

using PublicKey = FixedBytes<32>;
using Signature = FixedBytes<64>;

// A 32-byte Ed25519 seed and its expanded key. Wiped on destruction; never printed.
class PrivateKey {
 public:
  PrivateKey() = default;
  ~PrivateKey();
  PrivateKey(const PrivateKey& other);
  PrivateKey& operator=(const PrivateKey& other);

  static PrivateKey Generate();  // from the OS CSPRNG
  static Result<PrivateKey> FromSeed(ByteView seed32);

  const PublicKey& public_key() const { return public_key_; }
  // The 32-byte seed, for keystores. Callers must wipe their copy.
  ByteView seed() const { return {secret_, 32}; }
  Signature Sign(ByteView message) const;
  bool valid() const { return valid_; }

 private:
  unsigned char secret_[64] = {};  // libsodium layout: seed ‖ public key
  PublicKey public_key_;
  bool valid_ = false;
};

// Strict verification (rules above). Thread-safe.
bool Verify(const PublicKey& key, ByteView message, const Signature& sig);

// Public-key checks alone, used to refuse bad keys early (genesis, registrations): canonical,
// on the curve and in the prime-order subgroup. Stricter than Verify(), which like libsodium
// also accepts keys with a torsion component.
bool IsValidPublicKey(const PublicKey& key);

// Fills `out` with OS randomness. Not for the deterministic layers.
void RandomBytes(uint8_t* out, size_t len);

// Overwrites memory in a way the compiler cannot elide.
void SecureWipe(void* data, size_t len);

// Initializes libsodium once; called by every entry point above, safe to call again.
void CryptoInit();

}  // namespace metaledger
