#pragma once
// An injectable signature check, so the consensus simulator can charge CPU time for it and
// tests can count or batch verifications. The default is the strict Ed25519 Verify().

#include "core/crypto/ed25519.h"

namespace metaledger {

class SignatureVerifier {
 public:
  virtual ~SignatureVerifier() = default;
  virtual bool Verify(const PublicKey& key, ByteView message, const Signature& sig) = 0;
};

class StrictVerifier final : public SignatureVerifier {
 public:
  bool Verify(const PublicKey& key, ByteView message, const Signature& sig) override {
    return ::metaledger::Verify(key, message, sig);
  }
  static StrictVerifier& Instance() {
    static StrictVerifier v;
    return v;
  }
};

}  // namespace metaledger
