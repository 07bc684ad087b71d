#pragma once
// The node's consensus signer. Every signature it makes goes into the node's verify cache, so
// that the node never spends an Ed25519 check on its own signature when that signature comes
// back to it inside a certificate (a quorum certificate names up to all validators' votes).

#include "consensus/signer.h"
#include "node/verify_cache.h"

namespace metaledger::node {

class RememberingSigner final : public consensus::Signer {
 public:
  // `cache` must outlive the signer.
  RememberingSigner(PrivateKey key, VerifyCache& cache) : key_(std::move(key)), cache_(cache) {}

  Signature Sign(const Hash256& message) override {
    Signature sig = key_.Sign(message.view());
    cache_.Remember(key_.public_key(), message.view(), sig);
    return sig;
  }

 private:
  PrivateKey key_;
  VerifyCache& cache_;
};

}  // namespace metaledger::node
