#pragma once
// X25519 key exchange for peer channels (libsodium crypto_kx). Each side makes an ephemeral
// key pair per connection; the dialer takes the client role, the listener the server role,
// and both derive the same pair of one-direction session keys (client tx == server rx).

#include "core/bytes.h"
#include "core/status.h"

namespace metaledger {

using KxPublicKey = FixedBytes<32>;
using SessionKey = FixedBytes<32>;

// An ephemeral X25519 key pair. The secret half is wiped on destruction; not copyable.
class KxKeyPair {
 public:
  KxKeyPair(const KxKeyPair&) = delete;
  KxKeyPair& operator=(const KxKeyPair&) = delete;
  KxKeyPair(KxKeyPair&& other) noexcept;
  KxKeyPair& operator=(KxKeyPair&& other) noexcept;
  ~KxKeyPair();

  static KxKeyPair Generate();  // from the OS CSPRNG
  const KxPublicKey& public_key() const { return public_key_; }

 private:
  friend struct SessionKeys;
  KxKeyPair() = default;
  KxPublicKey public_key_;
  unsigned char secret_[32] = {};
};

// Keys for one connection: `rx` decrypts what the peer sends, `tx` encrypts what we send.
struct SessionKeys {
  SessionKey rx, tx;

  ~SessionKeys();
  // Fails (Unauthenticated) when the peer key is unusable, e.g. a small-order point.
  static Result<SessionKeys> ForClient(const KxKeyPair& own, const KxPublicKey& server_key);
  static Result<SessionKeys> ForServer(const KxKeyPair& own, const KxPublicKey& client_key);
};

}  // namespace metaledger
