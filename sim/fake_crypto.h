#pragma once
// Cheap deterministic stand-ins for Ed25519, for simulating 100 replicas: a "signature" is a
// keyed mix of the message hash. Anyone who knows the public key could forge one, so these are
// only for the simulator, whose faulty replicas never forge (they send garbage, which fails).

#include "consensus/signer.h"
#include "core/crypto/verifier.h"

namespace metaledger::sim {

// A distinct, fixed public key per validator index.
PublicKey FakePublicKey(uint32_t index);
Signature FakeSign(const PublicKey& key, ByteView message);

class FakeSigner final : public consensus::Signer {
 public:
  explicit FakeSigner(PublicKey key) : key_(key) {}
  Signature Sign(const Hash256& message) override { return FakeSign(key_, message.view()); }

 private:
  PublicKey key_;
};

class FakeVerifier final : public SignatureVerifier {
 public:
  bool Verify(const PublicKey& key, ByteView message, const Signature& sig) override {
    return FakeSign(key, message) == sig;
  }
};

}  // namespace metaledger::sim
