#include "core/codec.h"

#include <fmt/format.h>

namespace metaledger {

Writer& Writer::U16(uint16_t v) {
  U8(static_cast<uint8_t>(v));
  return U8(static_cast<uint8_t>(v >> 8));
}
Writer& Writer::U32(uint32_t v) {
  for (int i = 0; i < 4; ++i) U8(static_cast<uint8_t>(v >> (8 * i)));
  return *this;
}
Writer& Writer::U64(uint64_t v) {
  for (int i = 0; i < 8; ++i) U8(static_cast<uint8_t>(v >> (8 * i)));
  return *this;
}
Writer& Writer::Varint(uint64_t v) {
  while (v >= 0x80) {
    U8(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  return U8(static_cast<uint8_t>(v));
}
Writer& Writer::Bytes(ByteView v) {
  Varint(v.size());
  return Raw(v);
}

void Reader::Fail(Status s) {
  if (status_.ok()) status_ = std::move(s);
}

bool Reader::Need(size_t n) {
  if (!ok()) return false;
  if (remaining() < n) {
    Fail(Status::InvalidArgument(
        fmt::format("truncated input: need {} bytes at offset {}, have {}", n, pos_, remaining())));
    return false;
  }
  return true;
}

uint8_t Reader::U8() {
  if (!Need(1)) return 0;
  return data_[pos_++];
}
uint16_t Reader::U16() {
  if (!Need(2)) return 0;
  uint16_t v = static_cast<uint16_t>(data_[pos_] | (data_[pos_ + 1] << 8));
  pos_ += 2;
  return v;
}
uint32_t Reader::U32() {
  if (!Need(4)) return 0;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(data_[pos_ + i]) << (8 * i);
  pos_ += 4;
  return v;
}
uint64_t Reader::U64() {
  if (!Need(8)) return 0;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
  pos_ += 8;
  return v;
}
bool Reader::Bool() {
  size_t at = pos_;
  uint8_t b = U8();
  if (ok() && b > 1) Fail(Status::InvalidArgument(fmt::format("bad boolean {} at offset {}", b, at)));
  return b == 1;
}

uint64_t Reader::Varint() {
  size_t start = pos_;
  uint64_t v = 0;
  for (int i = 0; i < 10; ++i) {
    if (!Need(1)) return 0;
    uint8_t b = data_[pos_++];
    if (i == 9 && b > 1) {
      Fail(Status::InvalidArgument(fmt::format("varint overflows 64 bits at offset {}", start)));
      return 0;
    }
    v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      if (b == 0 && i > 0) {
        Fail(Status::InvalidArgument(fmt::format("non-minimal varint at offset {}", start)));
        return 0;
      }
      return v;
    }
  }
  Fail(Status::InvalidArgument(fmt::format("varint longer than 10 bytes at offset {}", start)));
  return 0;
}

uint64_t Reader::VarintMax(uint64_t max, std::string_view what) {
  size_t at = pos_;
  uint64_t v = Varint();
  if (ok() && v > max) {
    Fail(Status::InvalidArgument(fmt::format("{} = {} exceeds limit {} at offset {}", what, v, max, at)));
    return 0;
  }
  return v;
}

ByteView Reader::BytesView(size_t max_len, std::string_view what) {
  size_t at = pos_;
  uint64_t len = Varint();
  if (!ok()) return {};
  if (len > max_len) {
    Fail(Status::InvalidArgument(
        fmt::format("{} length {} exceeds limit {} at offset {}", what, len, max_len, at)));
    return {};
  }
  return Raw(static_cast<size_t>(len));
}

Bytes Reader::Bytes(size_t max_len, std::string_view what) {
  ByteView v = BytesView(max_len, what);
  return metaledger::Bytes(v.begin(), v.end());
}

std::string Reader::String(size_t max_len, std::string_view what) {
  ByteView v = BytesView(max_len, what);
  return std::string(v.begin(), v.end());
}

ByteView Reader::Raw(size_t n) {
  if (!Need(n)) return {};
  ByteView v = data_.subspan(pos_, n);
  pos_ += n;
  return v;
}

void Reader::ExpectVersion(uint8_t supported, std::string_view what) {
  uint8_t v = U8();
  if (ok() && v != supported) {
    Fail(Status::InvalidArgument(fmt::format("unknown {} version {} (supported: {})", what, v, supported)));
  }
}

Status Reader::Finish() const {
  if (!ok()) return status_;
  if (remaining() != 0) {
    return Status::InvalidArgument(fmt::format("{} trailing bytes after offset {}", remaining(), pos_));
  }
  return Status::Ok();
}

}  // namespace metaledger
