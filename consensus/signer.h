#pragma once
// Signer: how a replica signs consensus messages (votes, timeouts, proposals). It signs a
// 32-byte message hash that already carries the domain tag and chain id. Behind an interface so
// the simulator can use cheap deterministic signatures at n = 100 while the node and small tests
// use real Ed25519.

#include "core/crypto/ed25519.h"
#include "core/crypto/hash.h"

namespace metaledger::consensus {

class Signer {
 public:
  virtual ~Signer() = default;
  virtual Signature Sign(const Hash256& message) = 0;
};

// Real Ed25519 signatures with a validator's private key.
class Ed25519Signer final : public Signer {
 public:
  explicit Ed25519Signer(PrivateKey key) : key_(std::move(key)) {}
  Signature Sign(const Hash256& message) override { return key_.Sign(message.view()); }
  const PublicKey& public_key() const { return key_.public_key(); }

 private:
  PrivateKey key_;
};

}  // namespace metaledger::consensus
