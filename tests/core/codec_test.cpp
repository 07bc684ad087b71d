// The canonical codec: exact byte layouts, round trips, and one test per rejection reason.

#include "core/codec.h"

#include <gtest/gtest.h>

#include <limits>

#include "core/transaction.h"

namespace metaledger {
namespace {

Bytes Enc(void (*fill)(Writer&)) {
  Writer w;
  fill(w);
  return w.Take();
}

void ExpectRejected(const Status& s, std::string_view fragment) {
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find(fragment), std::string::npos)
      << "expected \"" << fragment << "\" in: " << s.ToString();
}

TEST(Codec, FixedWidthIntegersAreLittleEndian) {
  Bytes b = Enc([](Writer& w) { w.U16(0x0102).U32(0x03040506).U64(0x0708090a0b0c0d0eull); });
  EXPECT_EQ(ToHex(b),
            "0201"
            "06050403"
            "0e0d0c0b0a090807");
  Reader r(b);
  EXPECT_EQ(r.U16(), 0x0102);
  EXPECT_EQ(r.U32(), 0x03040506u);
  EXPECT_EQ(r.U64(), 0x0708090a0b0c0d0eull);
  EXPECT_TRUE(r.Finish().ok());
}

TEST(Codec, VarintKnownEncodings) {
  struct Case {
    uint64_t value;
    const char* hex;
  };
  const Case cases[] = {{0, "00"},
                        {1, "01"},
                        {127, "7f"},
                        {128, "8001"},
                        {300, "ac02"},
                        {16383, "ff7f"},
                        {16384, "808001"},
                        {0xffffffffull, "ffffffff0f"},
                        {std::numeric_limits<uint64_t>::max(), "ffffffffffffffffff01"}};
  for (const Case& c : cases) {
    Writer w;
    w.Varint(c.value);
    EXPECT_EQ(ToHex(w.bytes()), c.hex);
    Reader r(w.bytes());
    EXPECT_EQ(r.Varint(), c.value);
    EXPECT_TRUE(r.Finish().ok()) << c.hex;
  }
}

TEST(Codec, VarintRoundTripEveryBitLength) {
  for (int bits = 0; bits <= 64; ++bits) {
    uint64_t v = bits == 0 ? 0 : (bits == 64 ? ~0ull : (1ull << bits) - 1);
    for (uint64_t x : {v, v / 2 + 1}) {
      Writer w;
      w.Varint(x);
      Reader r(w.bytes());
      EXPECT_EQ(r.Varint(), x);
      EXPECT_TRUE(r.Finish().ok());
    }
  }
}

TEST(Codec, BytesAndStringsAreLengthPrefixed) {
  Bytes b = Enc([](Writer& w) { w.String("abc").Bytes(Bytes{}).Raw(Bytes{0xff}); });
  EXPECT_EQ(ToHex(b),
            "03616263"
            "00"
            "ff");
  Reader r(b);
  EXPECT_EQ(r.String(3), "abc");
  EXPECT_TRUE(r.Bytes(0).empty());
  EXPECT_EQ(r.Raw(1)[0], 0xff);
  EXPECT_TRUE(r.Finish().ok());
}

// ---- one test per rejection reason

TEST(CodecRejects, NonMinimalVarint) {
  for (const char* hex : {"8000", "ff00", "808000", "ffffffffffffffffff00"}) {
    Bytes b = *FromHex(hex);
    Reader r(b);
    r.Varint();
    ExpectRejected(r.Finish(), "non-minimal varint");
  }
}

TEST(CodecRejects, VarintBeyondSixtyFourBits) {
  for (const char* hex : {"ffffffffffffffffff02", "ffffffffffffffffff7f", "80808080808080808002"}) {
    Bytes b = *FromHex(hex);
    Reader r(b);
    r.Varint();
    ExpectRejected(r.Finish(), "overflows 64 bits");
  }
  // Eleven bytes: the tenth already has its continuation bit set.
  Bytes eleven = *FromHex("ffffffffffffffffff8101");
  Reader r(eleven);
  r.Varint();
  ExpectRejected(r.Finish(), "overflows 64 bits");
}

TEST(CodecRejects, Truncation) {
  Transaction tx;
  tx.chain_id = "chain";
  tx.payload = Bytes(10, 7);
  Bytes full = Encode(tx);
  for (size_t len = 0; len < full.size(); ++len) {
    auto r = Decode<Transaction>(ByteView(full.data(), len));
    ExpectRejected(r.status(), "truncated");
  }
  Bytes cut_varint = {0x80};
  Reader r(cut_varint);
  r.Varint();
  ExpectRejected(r.Finish(), "truncated");
}

TEST(CodecRejects, TrailingBytes) {
  Transaction tx;
  tx.chain_id = "chain";
  Bytes b = Encode(tx);
  b.push_back(0);
  ExpectRejected(Decode<Transaction>(b).status(), "trailing bytes");
}

TEST(CodecRejects, OverLimitLength) {
  Bytes b = Enc([](Writer& w) { w.String("toolong"); });
  Reader r(b);
  (void)r.String(6, "name");
  ExpectRejected(r.Finish(), "name length 7 exceeds limit 6");

  // A length far beyond the input is refused as over-limit before any allocation.
  Bytes huge = Enc([](Writer& w) { w.Varint(~0ull); });
  Reader r2(huge);
  (void)r2.Bytes(1024, "payload");
  ExpectRejected(r2.Finish(), "exceeds limit");

  Transaction tx;
  tx.chain_id = std::string(Transaction::kMaxChainId + 1, 'c');
  ExpectRejected(Decode<Transaction>(Encode(tx)).status(), "chain id length");
}

TEST(CodecRejects, OverLimitCount) {
  Bytes b = Enc([](Writer& w) { w.Varint(70000); });
  Reader r(b);
  (void)r.VarintMax(0xffff, "transaction kind");
  ExpectRejected(r.Finish(), "transaction kind = 70000 exceeds limit 65535");
}

TEST(CodecRejects, UnknownVersion) {
  Transaction tx;
  Bytes b = Encode(tx);
  for (uint8_t v : {0, 2, 255}) {
    b[0] = v;
    ExpectRejected(Decode<Transaction>(b).status(), "unknown transaction version");
  }
}

TEST(CodecRejects, BadBoolean) {
  for (uint8_t v : {2, 0x80, 0xff}) {
    Bytes b = {v};
    Reader r(b);
    (void)r.Bool();
    ExpectRejected(r.Finish(), "bad boolean");
  }
  Bytes ok = {0, 1};
  Reader r(ok);
  EXPECT_FALSE(r.Bool());
  EXPECT_TRUE(r.Bool());
  EXPECT_TRUE(r.Finish().ok());
}

TEST(Codec, FirstErrorWinsAndLaterReadsReturnZero) {
  Bytes b = {0x80, 0x00, 0x05};
  Reader r(b);
  EXPECT_EQ(r.Varint(), 0u);
  EXPECT_EQ(r.U8(), 0u);  // no-op after failure
  r.Fail(Status::Corruption("later"));
  ExpectRejected(r.status(), "non-minimal");
}

}  // namespace
}  // namespace metaledger
