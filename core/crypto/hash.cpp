#include "core/crypto/hash.h"

#include <cryptopp/sha.h>

#include <new>

namespace metaledger {

static_assert(sizeof(CryptoPP::SHA256) <= 512, "grow Sha256Hasher::state_");

static CryptoPP::SHA256* Impl(unsigned char* state) {
  return std::launder(reinterpret_cast<CryptoPP::SHA256*>(state));
}

Sha256Hasher::Sha256Hasher() { new (state_) CryptoPP::SHA256(); }
Sha256Hasher::~Sha256Hasher() { Impl(state_)->~SHA256(); }

Sha256Hasher& Sha256Hasher::Update(ByteView data) {
  Impl(state_)->Update(data.data(), data.size());
  return *this;
}

Hash256 Sha256Hasher::Finish() {
  Hash256 out;
  Impl(state_)->Final(out.data());
  return out;
}

Hash256 Sha256(ByteView data) {
  Hash256 out;
  CryptoPP::SHA256 h;
  h.CalculateDigest(out.data(), data.data(), data.size());
  return out;
}

TaggedHasher::TaggedHasher(std::string_view tag, std::string_view chain_id) {
  uint8_t len = static_cast<uint8_t>(tag.size() > 255 ? 255 : tag.size());
  hasher_.Update(ByteView(&len, 1)).Update(tag.substr(0, len));
  len = static_cast<uint8_t>(chain_id.size() > 255 ? 255 : chain_id.size());
  hasher_.Update(ByteView(&len, 1)).Update(chain_id.substr(0, len));
}

Hash256 TaggedHash(std::string_view tag, std::string_view chain_id, ByteView data) {
  TaggedHasher h(tag, chain_id);
  h.Update(data);
  return h.Finish();
}

}  // namespace metaledger
