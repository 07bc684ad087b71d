#pragma once
// Signatures by fresh keys on distinct 32-byte messages, for the verifier tests (core and node)
// and core_bench. The keys are random: tests that need reproducible values use samples.h.

#include <string>
#include <vector>

#include "core/crypto/ed25519_batch.h"
#include "core/crypto/hash.h"

namespace metaledger::testing {

struct SignedMessage {
  PublicKey key;
  Hash256 message;
  Signature sig;
};

inline std::vector<SignedMessage> MakeSignedMessages(size_t n) {
  std::vector<SignedMessage> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    PrivateKey key = PrivateKey::Generate();
    Hash256 message = Sha256("signed message " + std::to_string(i));
    out.push_back({key.public_key(), message, key.Sign(message.view())});
  }
  return out;
}

// Items pointing into `signed_messages`, which must outlive them.
inline std::vector<ed25519::BatchItem> BatchItems(
    const std::vector<SignedMessage>& signed_messages) {
  std::vector<ed25519::BatchItem> items;
  items.reserve(signed_messages.size());
  for (const SignedMessage& s : signed_messages)
    items.push_back({&s.key, s.message.view(), &s.sig});
  return items;
}

}  // namespace metaledger::testing
