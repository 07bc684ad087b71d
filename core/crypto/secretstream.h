#pragma once
// Authenticated encryption of an ordered message stream (libsodium
// crypto_secretstream_xchacha20poly1305). Each message is bound to its position in the stream,
// so a dropped, replayed or reordered frame fails to open. One Sealer per direction; the
// receiver builds an Opener from the 24-byte header the Sealer produced.

#include <cstddef>

#include "core/bytes.h"
#include "core/crypto/kx.h"
#include "core/status.h"

namespace metaledger {

inline constexpr size_t kSecretStreamHeaderBytes = 24;
inline constexpr size_t kSecretStreamOverhead = 17;  // per message: tag byte + MAC

using SecretStreamHeader = FixedBytes<kSecretStreamHeaderBytes>;

class SecretStreamSealer {
 public:
  // Starts a stream under `key`; header() must reach the receiver before the first message.
  explicit SecretStreamSealer(const SessionKey& key);
  ~SecretStreamSealer();
  SecretStreamSealer(const SecretStreamSealer&) = delete;
  SecretStreamSealer& operator=(const SecretStreamSealer&) = delete;

  const SecretStreamHeader& header() const { return header_; }
  // Appends the ciphertext (plain.size() + kSecretStreamOverhead bytes) to `out`.
  void Seal(ByteView plain, Bytes& out);

 private:
  SecretStreamHeader header_;
  alignas(16) unsigned char state_[64];
};

class SecretStreamOpener {
 public:
  ~SecretStreamOpener();
  SecretStreamOpener(const SecretStreamOpener&) = delete;
  SecretStreamOpener& operator=(const SecretStreamOpener&) = delete;
  SecretStreamOpener(SecretStreamOpener&&) noexcept;

  static Result<SecretStreamOpener> Create(const SessionKey& key, const SecretStreamHeader& header);
  // Unauthenticated when the ciphertext was forged, damaged, replayed or reordered; after a
  // failure the stream must be abandoned.
  Result<Bytes> Open(ByteView cipher);

 private:
  SecretStreamOpener() = default;
  alignas(16) unsigned char state_[64];
};

}  // namespace metaledger
