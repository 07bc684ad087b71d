#pragma once
// A signed transaction: the unit users submit and blocks order.
//
// Signing bytes are H("metaledger/tx/v1" ‖ chain_id ‖ unsigned encoding); the transaction
// hash (its id) is H("metaledger/txid/v1" ‖ chain_id ‖ full encoding). Because verification
// is strict (non-malleable), one transaction has exactly one id.

#include <cstdint>
#include <string>

#include "core/codec.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/hash.h"

namespace metaledger {

using Address = FixedBytes<20>;

// First 20 bytes of H("metaledger/addr/v1" ‖ pubkey); independent of the chain.
Address AddressOf(const PublicKey& key);

struct Transaction {
  static constexpr uint8_t kVersion = 1;
  static constexpr size_t kMaxChainId = 64;
  static constexpr size_t kMaxPayload = 64 * 1024;
  static constexpr size_t kMaxEncoded = kMaxPayload + 256;

  std::string chain_id;
  PublicKey sender;
  uint64_t nonce = 0;
  uint16_t kind = 0;
  Bytes payload;
  Signature signature;

  void EncodeUnsigned(Writer& w) const;
  void Encode(Writer& w) const;
  static Transaction DecodeFrom(Reader& r);

  Hash256 SigningHash() const;
  Hash256 Hash() const;
  void Sign(const PrivateKey& key);
  bool VerifySignature() const;

  bool operator==(const Transaction&) const = default;
};

}  // namespace metaledger
