#pragma once
// The canonical binary codec for everything that is hashed or signed.
//
// Fixed-width integers are little-endian; varints are minimal unsigned LEB128 (at most 10
// bytes); byte strings are a varint length then the bytes. A value has exactly one encoding,
// so equal values hash equally. See docs/encoding.md for worked examples.
//
// Reader keeps the first error and turns every later read into a no-op returning zero, so a
// decoder reads all its fields and checks once: `return r.Finish();`.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/status.h"

namespace metaledger {

class Writer {
 public:
  Writer() = default;
  explicit Writer(size_t reserve) { buf_.reserve(reserve); }

  Writer& U8(uint8_t v) { buf_.push_back(v); return *this; }
  Writer& U16(uint16_t v);
  Writer& U32(uint32_t v);
  Writer& U64(uint64_t v);
  Writer& Bool(bool v) { return U8(v ? 1 : 0); }
  Writer& Varint(uint64_t v);
  // Length-prefixed.
  Writer& Bytes(ByteView v);
  Writer& String(std::string_view s) { return Bytes(AsBytes(s)); }
  // Raw, no prefix: for fixed-size fields such as hashes and keys.
  Writer& Raw(ByteView v) { buf_.insert(buf_.end(), v.begin(), v.end()); return *this; }
  template <size_t N>
  Writer& Fixed(const FixedBytes<N>& v) { return Raw(v.view()); }

  const metaledger::Bytes& bytes() const { return buf_; }
  metaledger::Bytes Take() { return std::move(buf_); }
  size_t size() const { return buf_.size(); }
  // Empties the buffer and keeps its capacity, to encode many small things with one.
  void Clear() { buf_.clear(); }

 private:
  metaledger::Bytes buf_;
};

class Reader {
 public:
  explicit Reader(ByteView data) : data_(data) {}

  uint8_t U8();
  uint16_t U16();
  uint32_t U32();
  uint64_t U64();
  bool Bool();  // rejects anything but 0 and 1
  uint64_t Varint();
  // A varint that must be <= max (for counts and enum values).
  uint64_t VarintMax(uint64_t max, std::string_view what);
  // Length-prefixed, refusing lengths above max_len.
  metaledger::Bytes Bytes(size_t max_len, std::string_view what = "bytes");
  // A view into the input, valid while the input lives.
  ByteView BytesView(size_t max_len, std::string_view what = "bytes");
  std::string String(size_t max_len, std::string_view what = "string");
  ByteView Raw(size_t n);
  template <size_t N>
  FixedBytes<N> Fixed() {
    FixedBytes<N> out;
    ByteView v = Raw(N);
    if (ok()) std::copy(v.begin(), v.end(), out.bytes.begin());
    return out;
  }
  // Checks a version byte against the one the decoder understands.
  void ExpectVersion(uint8_t supported, std::string_view what);

  // Records an error found by the caller (e.g. a semantic check); the first one wins.
  void Fail(Status s);
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  // OK only when nothing failed and every byte was consumed.
  Status Finish() const;

 private:
  bool Need(size_t n);

  ByteView data_;
  size_t pos_ = 0;
  Status status_;
};

// Encoding helpers for types that define `void Encode(Writer&) const` and
// `static T DecodeFrom(Reader&)`.
template <typename T>
Bytes Encode(const T& value) {
  Writer w;
  value.Encode(w);
  return w.Take();
}

template <typename T>
Result<T> Decode(ByteView data) {
  Reader r(data);
  T value = T::DecodeFrom(r);
  Status s = r.Finish();
  if (!s.ok()) return s;
  return value;
}

}  // namespace metaledger
