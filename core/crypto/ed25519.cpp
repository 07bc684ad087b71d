#include "core/crypto/ed25519.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

#include "core/crypto/ed25519_batch.h"
#include "core/crypto/ed25519_rules.h"

namespace metaledger {

void CryptoInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no safe way to run without a CSPRNG
  });
}

PrivateKey::~PrivateKey() { sodium_memzero(secret_, sizeof(secret_)); }

PrivateKey::PrivateKey(const PrivateKey& other)
    : public_key_(other.public_key_), valid_(other.valid_) {
  std::memcpy(secret_, other.secret_, sizeof(secret_));
}

PrivateKey& PrivateKey::operator=(const PrivateKey& other) {
  if (this != &other) {
    std::memcpy(secret_, other.secret_, sizeof(secret_));
    public_key_ = other.public_key_;
    valid_ = other.valid_;
  }
  return *this;
}

PrivateKey PrivateKey::Generate() {
  CryptoInit();
  unsigned char seed[32];
  randombytes_buf(seed, sizeof(seed));
  auto key = FromSeed(ByteView(seed, 32));
  sodium_memzero(seed, sizeof(seed));
  return *key;
}

Result<PrivateKey> PrivateKey::FromSeed(ByteView seed32) {
  CryptoInit();
  if (seed32.size() != 32) return Status::InvalidArgument("Ed25519 seed must be 32 bytes");
  PrivateKey key;
  crypto_sign_seed_keypair(key.public_key_.data(), key.secret_, seed32.data());
  key.valid_ = true;
  return key;
}

Signature PrivateKey::Sign(ByteView message) const {
  Signature sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_);
  return sig;
}

bool Verify(const PublicKey& key, ByteView message, const Signature& sig) {
  // The rule is the cofactored one (ed25519_batch.h), so that batches and single checks agree.
  // Crypto++ (ed25519-donna) is the fastest single check here but computes the cofactorless
  // equation, which implies the cofactored one: what it accepts, behind libsodium's encoding
  // checks, is accepted at once. Only what it refuses pays for the cofactored check as well;
  // honest signers' signatures never do.
  const uint8_t* r = sig.data();
  const uint8_t* s = sig.data() + 32;
  if (!ed25519::IsCanonicalScalar(s) || ed25519::IsSmallOrderEncoding(r)) return false;
  if (!ed25519::IsCanonicalPointEncoding(key.data()) || ed25519::IsSmallOrderEncoding(key.data())) {
    return false;
  }
  if (ed25519::CryptoppEquationOnly(key, message, sig)) return true;
  return ed25519::VerifyCofactored(key, message, sig);
}

bool IsValidPublicKey(const PublicKey& key) {
  CryptoInit();
  return crypto_core_ed25519_is_valid_point(key.data()) == 1;
}

void RandomBytes(uint8_t* out, size_t len) {
  CryptoInit();
  randombytes_buf(out, len);
}

void SecureWipe(void* data, size_t len) { sodium_memzero(data, len); }

}  // namespace metaledger
