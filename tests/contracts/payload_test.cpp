#include <gtest/gtest.h>

#include <set>

#include "core/payload/error_codes.h"
#include "core/payload/kinds.h"
#include "core/payload/payloads.h"

namespace metaledger {
namespace {

TEST(ErrorCodes, NamesAndValuesAreDistinctAndRoundTrip) {
  std::set<std::string_view> names;
  std::set<uint16_t> values;
  for (ErrorCode c : AllErrorCodes()) {
    EXPECT_TRUE(names.insert(ToString(c)).second) << ToString(c);
    EXPECT_TRUE(values.insert(static_cast<uint16_t>(c)).second);
    EXPECT_EQ(ErrorCodeFromString(ToString(c)), c);
    EXPECT_EQ(ErrorCodeFromValue(static_cast<uint16_t>(c)), c);
    EXPECT_FALSE(ErrorMessage(c).empty());
  }
  EXPECT_EQ(static_cast<uint16_t>(ErrorCode::OK), 0);
  EXPECT_EQ(ToString(ErrorCode::NOT_FRESHER), "NOT_FRESHER");
  EXPECT_FALSE(ErrorCodeFromString("not_fresher").has_value());
  EXPECT_FALSE(ErrorCodeFromValue(9999).has_value());
}

TEST(Kinds, TableIsConsistent) {
  for (const KindInfo& k : AllKinds()) {
    EXPECT_EQ(FindKind(static_cast<uint16_t>(k.kind)), &k);
    EXPECT_EQ(KindFromName(k.name), k.kind);
  }
  EXPECT_EQ(FindKind(0), nullptr);
  EXPECT_EQ(RolesFromNames({"VSP", "DEVICE"}).value(), Mask(Role::VSP) | Mask(Role::DEVICE));
  EXPECT_FALSE(RolesFromNames({"vsp"}).ok());
}

TEST(Payloads, RoundTripAndRejectTrailingBytes) {
  RegisterDatasetPayload p;
  p.content_root.bytes.fill(7);
  p.media_type = "image/png";
  p.parents = {Hash256{}, Hash256{}};
  p.cells = {1, 5, 9};
  p.purposes = kPurposeTwinSync;
  Bytes b = Encode(p);
  auto back = Decode<RegisterDatasetPayload>(b);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, p);
  b.push_back(0);
  EXPECT_FALSE(Decode<RegisterDatasetPayload>(b).ok());

  PostTaskPayload t;
  t.cells = {3};
  t.k = 2;
  t.reserve = 100;
  auto t2 = Decode<PostTaskPayload>(Encode(t));
  ASSERT_TRUE(t2.ok());
  EXPECT_EQ(*t2, t);

  ProposePayload pr;
  pr.action.type = GovActionType::SET_PARAM;
  pr.action.param_name = "CAP";
  pr.action.value = 3;
  EXPECT_EQ(*Decode<ProposePayload>(Encode(pr)), pr);
  Bytes bad = {9};  // action type out of range
  EXPECT_FALSE(Decode<ProposePayload>(bad).ok());
}

}  // namespace
}  // namespace metaledger
