#pragma once
// An injectable signature check, so the consensus simulator can charge CPU time for it and
// tests can count or batch verifications. The default is the strict Ed25519 Verify().

#include <optional>
#include <span>

#include "core/crypto/ed25519.h"
#include "core/crypto/ed25519_batch.h"

namespace metaledger {

class SignatureVerifier {
 public:
  virtual ~SignatureVerifier() = default;
  virtual bool Verify(const PublicKey& key, ByteView message, const Signature& sig) = 0;

  // The index of the first item that does not verify, or nullopt when all do: the verdicts of
  // Verify() item by item, which implementations may reach in batches.
  virtual std::optional<size_t> FirstInvalid(std::span<const ed25519::BatchItem> items) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (!Verify(*items[i].key, items[i].message, *items[i].signature)) return i;
    }
    return std::nullopt;
  }
};

class StrictVerifier final : public SignatureVerifier {
 public:
  bool Verify(const PublicKey& key, ByteView message, const Signature& sig) override {
    return ::metaledger::Verify(key, message, sig);
  }
  std::optional<size_t> FirstInvalid(std::span<const ed25519::BatchItem> items) override {
    return ed25519::FirstInvalid(items);
  }
  static StrictVerifier& Instance() {
    static StrictVerifier v;
    return v;
  }
};

}  // namespace metaledger
