#pragma once
// The P2P handshake, as pure functions so tests can play either side byte by byte.
//
// Each side sends a Hello in a plaintext frame: its validator key, a fresh X25519 key and an
// Ed25519 signature by the validator key over
//   H("metaledger/p2p-hello/v1" ‖ chain_id ‖ role ‖ validator key ‖ ephemeral key),
// role being 'C' for the dialer and 'S' for the listener (a Hello cannot be reflected back).
// A Hello from a key outside the validator set, from ourselves, from a validator other than
// the one dialed, or with a bad signature is refused. Session keys come from crypto_kx (dialer =
// client); each side then sends the 24-byte secretstream header of its sending direction, and
// every later frame is secretstream ciphertext.
//
// Frames on the wire: u32 little-endian length, then that many bytes.

#include <optional>

#include "core/codec.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/kx.h"
#include "core/validator_set.h"

namespace metaledger::node::p2p {

enum class HandshakeRole : uint8_t { kDialer = 'C', kListener = 'S' };

struct Hello {
  static constexpr uint8_t kVersion = 1;
  static constexpr size_t kEncodedSize = 1 + 32 + 32 + 64;

  PublicKey validator;
  KxPublicKey ephemeral;
  Signature sig;

  void Encode(Writer& w) const;
  static Hello DecodeFrom(Reader& r);
};

Hash256 HelloMessage(std::string_view chain_id, HandshakeRole role, const PublicKey& validator,
                     const KxPublicKey& ephemeral);

Hello MakeHello(std::string_view chain_id, HandshakeRole role, const PrivateKey& validator_key,
                const KxKeyPair& ephemeral);

// Returns the peer's validator index. `peer_role` is the role of the side that sent `hello`;
// `expected` is the validator we dialed (nullopt when accepting).
Result<uint32_t> VerifyHello(std::string_view chain_id, const ValidatorSet& validators,
                             uint32_t self, HandshakeRole peer_role, const Hello& hello,
                             std::optional<uint32_t> expected);

// Appends a u32 length prefix and `body`.
void AppendFrame(ByteView body, Bytes& out);

}  // namespace metaledger::node::p2p
