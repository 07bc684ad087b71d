#pragma once
// SHA-256 content hashing (Crypto++, which takes the SHA-NI path where the CPU has it).
// Every hashed ledger structure goes through TaggedHasher so that a hash made for one
// purpose or chain can never be mistaken for another.

#include <cstdint>
#include <string_view>

#include "core/bytes.h"

namespace metaledger {

using Hash256 = FixedBytes<32>;

// Streaming SHA-256. Holds the Crypto++ state inline: no allocation per hash.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  Sha256Hasher& Update(ByteView data);
  Sha256Hasher& Update(std::string_view s) { return Update(AsBytes(s)); }
  // Returns the digest and resets the hasher for reuse.
  Hash256 Finish();

 private:
  alignas(16) unsigned char state_[512];
};

Hash256 Sha256(ByteView data);
inline Hash256 Sha256(std::string_view s) { return Sha256(AsBytes(s)); }

// H(tag ‖ chain_id ‖ fields), with tag and chain id each prefixed by a one-byte length so
// that ("ab","c") and ("a","bc") cannot collide. An empty chain id is allowed (addresses).
class TaggedHasher {
 public:
  TaggedHasher(std::string_view tag, std::string_view chain_id);
  TaggedHasher& Update(ByteView data) {
    hasher_.Update(data);
    return *this;
  }
  Hash256 Finish() { return hasher_.Finish(); }

 private:
  Sha256Hasher hasher_;
};

Hash256 TaggedHash(std::string_view tag, std::string_view chain_id, ByteView data);

}  // namespace metaledger
