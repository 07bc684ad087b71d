#include "core/transaction.h"

namespace metaledger {

Address AddressOf(const PublicKey& key) {
  Hash256 h = TaggedHash("metaledger/addr/v1", "", key.view());
  Address a;
  std::copy(h.bytes.begin(), h.bytes.begin() + 20, a.bytes.begin());
  return a;
}

void Transaction::EncodeUnsigned(Writer& w) const {
  w.U8(kVersion).String(chain_id).Fixed(sender).Varint(nonce).Varint(kind).Bytes(payload);
}

void Transaction::Encode(Writer& w) const {
  EncodeUnsigned(w);
  w.Fixed(signature);
}

Transaction Transaction::DecodeFrom(Reader& r) {
  Transaction tx;
  r.ExpectVersion(kVersion, "transaction");
  tx.chain_id = r.String(kMaxChainId, "chain id");
  tx.sender = r.Fixed<32>();
  tx.nonce = r.Varint();
  tx.kind = static_cast<uint16_t>(r.VarintMax(0xffff, "transaction kind"));
  tx.payload = r.Bytes(kMaxPayload, "transaction payload");
  tx.signature = r.Fixed<64>();
  return tx;
}

Hash256 Transaction::SigningHash() const {
  Writer w(64 + payload.size());
  EncodeUnsigned(w);
  return TaggedHash("metaledger/tx/v1", chain_id, w.bytes());
}

Hash256 Transaction::Hash() const {
  Writer w(128 + payload.size());
  Encode(w);
  return TaggedHash("metaledger/txid/v1", chain_id, w.bytes());
}

void Transaction::Sign(const PrivateKey& key) {
  sender = key.public_key();
  Hash256 h = SigningHash();
  signature = key.Sign(h.view());
}

bool Transaction::VerifySignature() const {
  Hash256 h = SigningHash();
  return Verify(sender, h.view(), signature);
}

}  // namespace metaledger
