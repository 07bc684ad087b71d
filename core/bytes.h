#pragma once
// Byte strings, fixed-size byte arrays and lowercase hex.

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace metaledger {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

std::string ToHex(ByteView bytes);
// Rejects odd length and any character outside [0-9a-fA-F].
Result<Bytes> FromHex(std::string_view hex);

// A fixed-size value type for hashes, keys and signatures; ordered bytewise.
template <size_t N>
struct FixedBytes {
  std::array<uint8_t, N> bytes{};

  static constexpr size_t kSize = N;
  ByteView view() const { return {bytes.data(), N}; }
  const uint8_t* data() const { return bytes.data(); }
  uint8_t* data() { return bytes.data(); }
  bool IsZero() const {
    for (uint8_t b : bytes) if (b) return false;
    return true;
  }
  std::string Hex() const { return ToHex(view()); }

  static Result<FixedBytes> FromView(ByteView v) {
    if (v.size() != N) {
      return Status::InvalidArgument("expected " + std::to_string(N) + " bytes, got " +
                                     std::to_string(v.size()));
    }
    FixedBytes out;
    std::memcpy(out.bytes.data(), v.data(), N);
    return out;
  }
  static Result<FixedBytes> FromHex(std::string_view hex) {
    if (hex.size() != 2 * N) {
      return Status::InvalidArgument("expected " + std::to_string(2 * N) + " hex characters, got " +
                                     std::to_string(hex.size()));
    }
    auto b = ::metaledger::FromHex(hex);
    if (!b.ok()) return b.status();
    return FromView(*b);
  }

  auto operator<=>(const FixedBytes&) const = default;
  bool operator==(const FixedBytes&) const = default;
};

// Hash-table hasher for FixedBytes whose bytes are already uniform (digests, public keys): the
// first eight bytes. Not for attacker-chosen keys that are not hashes.
struct FixedBytesHash {
  template <size_t N>
  size_t operator()(const FixedBytes<N>& b) const {
    static_assert(N >= sizeof(size_t));
    size_t v;
    std::memcpy(&v, b.data(), sizeof(v));
    return v;
  }
};

}  // namespace metaledger
