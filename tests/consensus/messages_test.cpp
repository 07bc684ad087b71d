#include "consensus/messages.h"

#include <gtest/gtest.h>

#include "consensus/safety_data.h"

namespace metaledger::consensus {
namespace {

QuorumCert SomeQc(uint64_t round) {
  QuorumCert qc;
  qc.round = round;
  qc.block_hash = Sha256("block" + std::to_string(round));
  for (uint32_t i = 0; i < 3; ++i) qc.sigs.push_back({i, Signature{}});
  qc.sigs[1].sig.bytes[0] = 7;
  return qc;
}

TimeoutCert SomeTc(uint64_t round) {
  TimeoutCert tc;
  tc.round = round;
  tc.high_qc = SomeQc(round - 2);
  for (uint32_t i = 0; i < 3; ++i) tc.entries.push_back({i, round - 2 - i, Signature{}});
  return tc;
}

std::vector<Message> Samples() {
  Proposal p;
  p.block.header.height = 3;
  p.block.header.round = 9;
  p.block.header.proposer = 1;
  p.block.justify = SomeQc(7);
  p.block.tc = SomeTc(8);
  p.block.payload = {1, 2, 3};
  p.sig.bytes[5] = 9;
  Vote v{9, Sha256("b"), 2, Signature{}};
  TimeoutMsg t;
  t.round = 9;
  t.high_qc = SomeQc(4);
  t.voter = 3;
  return {p, v, t, SyncInfo{SomeQc(5), SomeTc(6)}, SyncInfo{SomeQc(5), std::nullopt}};
}

TEST(Messages, EveryKindRoundTrips) {
  for (const Message& m : Samples()) {
    Bytes bytes = EncodeMessage(m);
    auto back = DecodeMessage(bytes);
    ASSERT_TRUE(back.ok()) << MessageKindName(m) << ": " << back.status().ToString();
    EXPECT_EQ(*back, m) << MessageKindName(m);
    EXPECT_EQ(EncodeMessage(*back), bytes);
  }
}

TEST(Messages, UnknownKindTrailingAndTruncatedBytesAreRejected) {
  for (const Message& m : Samples()) {
    Bytes bytes = EncodeMessage(m);
    Bytes trailing = bytes;
    trailing.push_back(0);
    EXPECT_FALSE(DecodeMessage(trailing).ok()) << MessageKindName(m);
    for (size_t cut : {size_t{0}, size_t{1}, bytes.size() / 2, bytes.size() - 1}) {
      EXPECT_FALSE(DecodeMessage(ByteView(bytes.data(), cut)).ok()) << MessageKindName(m) << cut;
    }
  }
  for (uint8_t kind : {uint8_t{0}, uint8_t{5}, uint8_t{255}}) {
    Bytes bytes = EncodeMessage(Samples()[1]);
    bytes[0] = kind;
    auto r = DecodeMessage(bytes);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("kind"), std::string::npos) << r.status().ToString();
  }
}

TEST(Messages, ProposalMessageBindsChainRoundAndBlock) {
  Hash256 h = Sha256("x");
  EXPECT_NE(ProposalMessage("a", 1, h), ProposalMessage("b", 1, h));
  EXPECT_NE(ProposalMessage("a", 1, h), ProposalMessage("a", 2, h));
  EXPECT_NE(ProposalMessage("a", 1, h), ProposalMessage("a", 1, Sha256("y")));
  // A vote signature can never be replayed as a proposal signature.
  EXPECT_NE(ProposalMessage("a", 1, h), VoteMessage("a", 1, h));
}

TEST(SafetyData, RoundTripsAndRejectsALockAboveTheHighestQc) {
  SafetyData s;
  s.last_voted_round = 12;
  s.locked_round = 9;
  s.highest_qc = SomeQc(10);
  s.highest_tc = SomeTc(11);
  auto back = Decode<SafetyData>(Encode(s));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, s);

  s.locked_round = 11;
  auto bad = Decode<SafetyData>(Encode(s));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);

  Bytes wrong_version = Encode(SafetyData{});
  wrong_version[0] = 2;
  EXPECT_FALSE(Decode<SafetyData>(wrong_version).ok());
}

}  // namespace
}  // namespace metaledger::consensus
