#pragma once
// A SignatureVerifier that remembers what it verified, so each signature costs one Ed25519 check
// per node: the mempool checks a transaction at admission (or when a peer's batch arrives, on
// the worker pool) and the contract executor's later check of the same signature is a lookup.
// Only successes are remembered. Thread-safe.

#include <mutex>
#include <unordered_set>

#include "core/crypto/hash.h"
#include "core/crypto/verifier.h"

namespace metaledger::node {

class VerifyCache final : public SignatureVerifier {
 public:
  explicit VerifyCache(size_t capacity = 1 << 20) : capacity_(capacity) {}

  bool Verify(const PublicKey& key, ByteView message, const Signature& sig) override;
  // What is not remembered is checked in one batch (ed25519::FirstInvalid).
  std::optional<size_t> FirstInvalid(std::span<const ed25519::BatchItem> items) override;
  // For a signature this node made itself: remembered without a check.
  void Remember(const PublicKey& key, ByteView message, const Signature& sig);
  uint64_t checks() const;
  uint64_t hits() const;

 private:
  static Hash256 DigestOf(const PublicKey& key, ByteView message, const Signature& sig);
  void RememberLocked(const Hash256& digest);

  size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_set<Hash256, FixedBytesHash> ok_;
  uint64_t checks_ = 0, hits_ = 0;
};

}  // namespace metaledger::node
