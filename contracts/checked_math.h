#pragma once
// Integer-only arithmetic for contracts: u64 amounts, u128 intermediates, floor division, and
// nullopt instead of wrapping (callers turn it into OVERFLOW).
#include <cstdint>
#include <optional>

namespace metaledger::contracts {

using u128 = unsigned __int128;

inline std::optional<uint64_t> CheckedAdd(uint64_t a, uint64_t b) {
  uint64_t out;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

inline std::optional<uint64_t> CheckedSub(uint64_t a, uint64_t b) {
  if (b > a) return std::nullopt;
  return a - b;
}

inline std::optional<uint64_t> CheckedMul(uint64_t a, uint64_t b) {
  uint64_t out;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// floor(a * b / c) with a u128 product; nullopt when c == 0 or the quotient exceeds u64.
inline std::optional<uint64_t> MulDiv(uint64_t a, uint64_t b, uint64_t c) {
  if (c == 0) return std::nullopt;
  u128 q = static_cast<u128>(a) * b / c;
  if (q > UINT64_MAX) return std::nullopt;
  return static_cast<uint64_t>(q);
}

// floor(a * b / c) entirely in u128 (for chains of ratios evaluated left to right).
inline u128 MulDiv128(u128 a, uint64_t b, uint64_t c) { return c == 0 ? 0 : a * b / c; }

// ceil(2m/3): the governance and committee quorum.
inline uint64_t TwoThirdsCeil(uint64_t m) { return (2 * m + 2) / 3; }

}  // namespace metaledger::contracts
