#include "core/crypto/kx.h"

#include <sodium.h>

#include <cstring>

#include "core/crypto/ed25519.h"

namespace metaledger {

static_assert(crypto_kx_PUBLICKEYBYTES == 32 && crypto_kx_SECRETKEYBYTES == 32 &&
              crypto_kx_SESSIONKEYBYTES == 32);

KxKeyPair::KxKeyPair(KxKeyPair&& other) noexcept : public_key_(other.public_key_) {
  std::memcpy(secret_, other.secret_, sizeof(secret_));
  sodium_memzero(other.secret_, sizeof(other.secret_));
}

KxKeyPair& KxKeyPair::operator=(KxKeyPair&& other) noexcept {
  if (this != &other) {
    public_key_ = other.public_key_;
    std::memcpy(secret_, other.secret_, sizeof(secret_));
    sodium_memzero(other.secret_, sizeof(other.secret_));
  }
  return *this;
}

KxKeyPair::~KxKeyPair() { sodium_memzero(secret_, sizeof(secret_)); }

KxKeyPair KxKeyPair::Generate() {
  CryptoInit();
  KxKeyPair kp;
  crypto_kx_keypair(kp.public_key_.data(), kp.secret_);
  return kp;
}

SessionKeys::~SessionKeys() {
  sodium_memzero(rx.data(), SessionKey::kSize);
  sodium_memzero(tx.data(), SessionKey::kSize);
}

Result<SessionKeys> SessionKeys::ForClient(const KxKeyPair& own, const KxPublicKey& server_key) {
  SessionKeys keys;
  if (crypto_kx_client_session_keys(keys.rx.data(), keys.tx.data(), own.public_key_.data(),
                                    own.secret_, server_key.data()) != 0) {
    return Status::Unauthenticated("key exchange: unusable server public key");
  }
  return keys;
}

Result<SessionKeys> SessionKeys::ForServer(const KxKeyPair& own, const KxPublicKey& client_key) {
  SessionKeys keys;
  if (crypto_kx_server_session_keys(keys.rx.data(), keys.tx.data(), own.public_key_.data(),
                                    own.secret_, client_key.data()) != 0) {
    return Status::Unauthenticated("key exchange: unusable client public key");
  }
  return keys;
}

}  // namespace metaledger
