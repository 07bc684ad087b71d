#include "core/crypto/secretstream.h"

#include <sodium.h>

#include <cstring>

#include "core/crypto/ed25519.h"

namespace metaledger {

using State = crypto_secretstream_xchacha20poly1305_state;
static_assert(sizeof(State) <= 64);
static_assert(crypto_secretstream_xchacha20poly1305_HEADERBYTES == kSecretStreamHeaderBytes);
static_assert(crypto_secretstream_xchacha20poly1305_ABYTES == kSecretStreamOverhead);

SecretStreamSealer::SecretStreamSealer(const SessionKey& key) {
  CryptoInit();
  crypto_secretstream_xchacha20poly1305_init_push(reinterpret_cast<State*>(state_),
                                                  header_.data(), key.data());
}

SecretStreamSealer::~SecretStreamSealer() { sodium_memzero(state_, sizeof(state_)); }

void SecretStreamSealer::Seal(ByteView plain, Bytes& out) {
  size_t at = out.size();
  out.resize(at + plain.size() + kSecretStreamOverhead);
  crypto_secretstream_xchacha20poly1305_push(reinterpret_cast<State*>(state_), out.data() + at,
                                             nullptr, plain.data(), plain.size(), nullptr, 0,
                                             crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
}

SecretStreamOpener::~SecretStreamOpener() { sodium_memzero(state_, sizeof(state_)); }

SecretStreamOpener::SecretStreamOpener(SecretStreamOpener&& other) noexcept {
  std::memcpy(state_, other.state_, sizeof(state_));
  sodium_memzero(other.state_, sizeof(other.state_));
}

Result<SecretStreamOpener> SecretStreamOpener::Create(const SessionKey& key,
                                                      const SecretStreamHeader& header) {
  CryptoInit();
  SecretStreamOpener opener;
  if (crypto_secretstream_xchacha20poly1305_init_pull(reinterpret_cast<State*>(opener.state_),
                                                      header.data(), key.data()) != 0) {
    return Status::Unauthenticated("secretstream: invalid header");
  }
  return opener;
}

Result<Bytes> SecretStreamOpener::Open(ByteView cipher) {
  if (cipher.size() < kSecretStreamOverhead) {
    return Status::Unauthenticated("secretstream: frame shorter than its MAC");
  }
  Bytes plain(cipher.size() - kSecretStreamOverhead);
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(reinterpret_cast<State*>(state_), plain.data(),
                                                 nullptr, &tag, cipher.data(), cipher.size(),
                                                 nullptr, 0) != 0) {
    return Status::Unauthenticated("secretstream: frame failed authentication");
  }
  if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
    return Status::Unauthenticated("secretstream: unexpected stream tag");
  }
  return plain;
}

}  // namespace metaledger
