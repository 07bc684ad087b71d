#include "node/p2p/handshake.h"

#include <fmt/format.h>

#include "core/crypto/hash.h"

namespace metaledger::node::p2p {

void Hello::Encode(Writer& w) const {
  w.U8(kVersion).Fixed(validator).Fixed(ephemeral).Fixed(sig);
}

Hello Hello::DecodeFrom(Reader& r) {
  Hello h;
  r.ExpectVersion(kVersion, "p2p hello");
  h.validator = r.Fixed<32>();
  h.ephemeral = r.Fixed<32>();
  h.sig = r.Fixed<64>();
  return h;
}

Hash256 HelloMessage(std::string_view chain_id, HandshakeRole role, const PublicKey& validator,
                     const KxPublicKey& ephemeral) {
  Writer w;
  w.U8(static_cast<uint8_t>(role)).Fixed(validator).Fixed(ephemeral);
  return TaggedHash("metaledger/p2p-hello/v1", chain_id, w.bytes());
}

Hello MakeHello(std::string_view chain_id, HandshakeRole role, const PrivateKey& validator_key,
                const KxKeyPair& ephemeral) {
  Hello h;
  h.validator = validator_key.public_key();
  h.ephemeral = ephemeral.public_key();
  h.sig = validator_key.Sign(HelloMessage(chain_id, role, h.validator, h.ephemeral).view());
  return h;
}

Result<uint32_t> VerifyHello(std::string_view chain_id, const ValidatorSet& validators,
                             uint32_t self, HandshakeRole peer_role, const Hello& hello,
                             std::optional<uint32_t> expected) {
  std::optional<uint32_t> index = validators.IndexOf(hello.validator);
  if (!index) {
    return Status::Unauthenticated(
        fmt::format("handshake: key {} is not a validator of this chain", hello.validator.Hex()));
  }
  if (*index == self) return Status::Unauthenticated("handshake: peer presented our own key");
  if (expected && *expected != *index) {
    return Status::Unauthenticated(
        fmt::format("handshake: dialed validator {} but {} answered", *expected, *index));
  }
  Hash256 msg = HelloMessage(chain_id, peer_role, hello.validator, hello.ephemeral);
  if (!Verify(hello.validator, msg.view(), hello.sig)) {
    return Status::Unauthenticated("handshake: bad signature on hello");
  }
  return *index;
}

void AppendFrame(ByteView body, Bytes& out) {
  uint32_t n = static_cast<uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(n >> (8 * i)));
  out.insert(out.end(), body.begin(), body.end());
}

}  // namespace metaledger::node::p2p
