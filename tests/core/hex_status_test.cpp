// Hex helpers, FixedBytes and Status/Result behaviour.

#include <gtest/gtest.h>

#include <set>

#include "core/bytes.h"
#include "core/status.h"

namespace metaledger {
namespace {

TEST(Hex, RoundTripAllByteValues) {
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<uint8_t>(i);
  std::string hex = ToHex(all);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
  auto back = FromHex(hex);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, all);
}

TEST(Hex, AcceptsUpperCaseAndEmpty) {
  auto b = FromHex("ABcdEF");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, (Bytes{0xab, 0xcd, 0xef}));
  auto e = FromHex("");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->empty());
}

TEST(Hex, RejectsOddLength) {
  auto b = FromHex("abc");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(b.status().message().find("odd"), std::string::npos);
}

TEST(Hex, RejectsNonHexWithPosition) {
  for (std::string_view bad : {"0g", "g0", "00 1", "0x12", "zz", "1-"}) {
    if (bad.size() % 2) continue;
    auto b = FromHex(bad);
    EXPECT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.status().code(), StatusCode::kInvalidArgument);
  }
  auto b = FromHex("00a!");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("position 3"), std::string::npos) << b.status().ToString();
}

TEST(FixedBytes, FromHexAndViewChecks) {
  auto h = FixedBytes<4>::FromHex("deadbeef");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->Hex(), "deadbeef");
  EXPECT_FALSE(h->IsZero());
  EXPECT_TRUE(FixedBytes<4>{}.IsZero());
  EXPECT_FALSE(FixedBytes<4>::FromHex("deadbe").ok());
  EXPECT_FALSE(FixedBytes<4>::FromHex("deadbeefee").ok());
  EXPECT_FALSE(FixedBytes<4>::FromHex("deadbeeg").ok());
  Bytes three = {1, 2, 3};
  EXPECT_FALSE(FixedBytes<4>::FromView(three).ok());
}

TEST(FixedBytes, OrdersBytewise) {
  FixedBytes<2> a{{0x01, 0xff}}, b{{0x02, 0x00}};
  EXPECT_LT(a, b);
  EXPECT_NE(a, b);
}

TEST(Status, OkAndErrors) {
  Status ok = Status::Ok();
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.ToString(), "OK");
  Status bad = Status::Corruption("bad block");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), StatusCode::kCorruption);
  EXPECT_EQ(bad.message(), "bad block");
  EXPECT_NE(bad.ToString().find("bad block"), std::string::npos);
  EXPECT_NE(bad.ToString(), ok.ToString());
}

TEST(Status, AnnotateKeepsCodeAndPrefixes) {
  Status s = Status::NotFound("key x").Annotate("reading block 7");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message().find("reading block 7"), 0u);
  EXPECT_NE(s.message().find("key x"), std::string::npos);
  EXPECT_TRUE(Status::Ok().Annotate("ctx").ok());
}

TEST(Status, EveryCodeHasADistinctName) {
  std::set<std::string_view> names;
  for (int c = 0; c <= static_cast<int>(StatusCode::kInternal); ++c) {
    names.insert(StatusCodeName(static_cast<StatusCode>(c)));
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(StatusCode::kInternal) + 1);
}

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ML_ASSIGN_OR_RETURN(int h, Half(x));
  ML_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int x) {
  ML_RETURN_IF_ERROR(Half(x).status());
  return Status::Ok();
}

TEST(Result, ValueOrStatusAndMacros) {
  auto r = Quarter(8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 2);
  EXPECT_TRUE(r.status().ok());
  auto e = Quarter(6);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(3).code(), StatusCode::kInvalidArgument);
}

TEST(Result, BuiltFromOkStatusBecomesInternalError) {
  Result<int> r{Status::Ok()};
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST(Result, MovesValueOut) {
  Result<std::string> r{std::string(100, 'x')};
  std::string s = std::move(r).value();
  EXPECT_EQ(s.size(), 100u);
}

}  // namespace
}  // namespace metaledger
