#include "tests/contracts/harness.h"

namespace metaledger::contracts::testing {
namespace {

// An operator with one UAV, a second operator with its own UAV, and a member (the committee).
struct Provenance : ::testing::Test {
  PrivateKey op = KeyFor(100), uav = KeyFor(101), op2 = KeyFor(102), uav2 = KeyFor(103);
  PrivateKey member = KeyFor(104);
  AcceptAll verifier;  // transaction signatures; device signatures are always checked for real
  std::unique_ptr<Chain> c;

  void SetUp() override {
    Genesis g;
    g.genesis_time_ms = 5'000'000;
    g.accounts.push_back(Acct(op, 1000, {"UAV_OPERATOR"}, "op"));
    g.accounts.push_back(Acct(op2, 1000, {"UAV_OPERATOR"}, "op2"));
    g.accounts.push_back(Acct(member, 1000, {"MEMBER"}, "member"));
    GenesisAccount u = Acct(uav, 0, {}, "uav");
    u.operator_key = op.public_key();
    g.accounts.push_back(u);
    GenesisAccount u2 = Acct(uav2, 0, {}, "uav2");
    u2.operator_key = op2.public_key();
    g.accounts.push_back(u2);
    c = std::make_unique<Chain>(g, verifier);
  }

  // A dataset collected by `device`, signed by `signer` (the device itself unless testing).
  RegisterDatasetPayload Data(uint8_t tag, std::vector<Hash256> parents = {},
                              Derivation d = Derivation::RAW) {
    RegisterDatasetPayload p;
    p.content_root = H(tag);
    p.byte_len = 1000;
    p.media_type = "application/octet-stream";
    p.collector = Addr(uav);
    p.parents = std::move(parents);
    p.derivation = d;
    p.generation_ts_ms = c->time_ms_;
    p.cells = {1, 2};
    p.consent_ref = H(0xCC);
    p.purposes = kPurposeFlTraining | kPurposeTwinSync;
    return Signed(p, uav);
  }
  RegisterDatasetPayload Signed(RegisterDatasetPayload p, const PrivateKey& signer) {
    p.device_sig = signer.Sign(
        DeviceSigningHash(Chain::kChainId, p.content_root, p.generation_ts_ms, p.cells).view());
    return p;
  }
  Hash256 Id(uint8_t tag, const PrivateKey& owner) {
    return DataId(Chain::kChainId, H(tag), Addr(owner));
  }
  DatasetView View(const Hash256& id) { return **QueryDataset(c->state_, id); }
};

std::vector<Hash256> Sorted(std::vector<Hash256> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST_F(Provenance, LineageIsADagWithAncestorAndDescendantQueries) {
  ASSERT_EQ(c->Do(op, Data(1)), ErrorCode::OK);
  ASSERT_EQ(c->Do(op, Data(2)), ErrorCode::OK);
  Hash256 a = Id(1, op), b = Id(2, op);
  ASSERT_EQ(c->Do(op, Data(3, {a}, Derivation::CLEANED)), ErrorCode::OK);
  Hash256 cl = Id(3, op);
  ASSERT_EQ(c->Do(op, Data(4, Sorted({b, cl}), Derivation::AGGREGATED)), ErrorCode::OK);
  Hash256 agg = Id(4, op);

  DatasetView v = View(agg);
  EXPECT_EQ(v.record.owner, Addr(op));
  EXPECT_EQ(v.record.collector, Addr(uav));
  EXPECT_EQ(v.record.parents, Sorted({b, cl}));
  EXPECT_EQ(v.ancestors, Sorted({a, b, cl}));
  EXPECT_TRUE(v.descendants.empty());
  EXPECT_EQ(View(a).descendants, Sorted({cl, agg}));
  EXPECT_TRUE(View(a).ancestors.empty());
  EXPECT_EQ(View(b).descendants, std::vector<Hash256>{agg});
  // The same content from the same owner is the same dataset.
  EXPECT_EQ(c->Do(op, Data(1)), ErrorCode::DUP_DATA);
}

TEST_F(Provenance, UnknownAndVoidedParentsAreRefusedAndVoidingMarksDescendants) {
  ASSERT_EQ(c->Do(op, Data(1)), ErrorCode::OK);
  Hash256 a = Id(1, op);
  ASSERT_EQ(c->Do(op, Data(2, {a}, Derivation::LABELLED)), ErrorCode::OK);
  Hash256 child = Id(2, op);
  EXPECT_EQ(c->Do(op, Data(3, {H(0x99)}, Derivation::CLEANED)), ErrorCode::UNKNOWN_PARENT);
  EXPECT_EQ(c->Do(op, VoidDatasetPayload{a}), ErrorCode::UNAUTHORIZED);  // committee only
  ASSERT_EQ(c->Do(member, VoidDatasetPayload{a}), ErrorCode::OK);
  EXPECT_EQ(View(a).record.status, DatasetStatus::VOIDED);
  EXPECT_TRUE(View(child).record.ancestor_voided);
  EXPECT_EQ(View(child).record.status, DatasetStatus::ACTIVE);
  EXPECT_EQ(c->Do(op, Data(4, {a}, Derivation::REVISION)), ErrorCode::PARENT_VOIDED);
  EXPECT_EQ(c->Do(member, VoidDatasetPayload{H(0x98)}), ErrorCode::DATA_NOT_FOUND);
}

TEST_F(Provenance, DeviceSignatureMustComeFromTheSendersOwnDevice) {
  // Signed by the operator instead of the UAV.
  EXPECT_EQ(c->Do(op, Signed(Data(1), op)), ErrorCode::BAD_DEVICE_SIG);
  // Signature over different cells than registered.
  RegisterDatasetPayload tampered = Data(1);
  tampered.cells = {1, 3};
  EXPECT_EQ(c->Do(op, tampered), ErrorCode::BAD_DEVICE_SIG);
  // A UAV of another operator, correctly signed by that UAV.
  RegisterDatasetPayload foreign = Data(1);
  foreign.collector = Addr(uav2);
  EXPECT_EQ(c->Do(op, Signed(foreign, uav2)), ErrorCode::BAD_DEVICE_SIG);
  EXPECT_EQ(c->Do(op2, Signed(foreign, uav2)), ErrorCode::OK);
}

TEST_F(Provenance, ShapeAndConsentChecks) {
  RegisterDatasetPayload p = Data(1);
  p.generation_ts_ms = c->time_ms_ + 1000 + 2000 + 1;  // next block's time + MAX_SKEW_MS + 1
  EXPECT_EQ(c->Do(op, Signed(p, uav)), ErrorCode::FUTURE_TS);
  p = Data(1);
  p.generation_ts_ms = c->time_ms_ + 1000 + 2000;  // exactly at the skew bound
  EXPECT_EQ(c->Do(op, Signed(p, uav)), ErrorCode::OK);
  p = Data(2);
  p.cells = {2, 1};
  EXPECT_EQ(c->Do(op, Signed(p, uav)), ErrorCode::BAD_CELLS);
  p.cells = {};
  EXPECT_EQ(c->Do(op, Signed(p, uav)), ErrorCode::BAD_CELLS);
  EXPECT_EQ(c->Do(op, Data(2, {Id(1, op)}, Derivation::RAW)), ErrorCode::RAW_WITH_PARENTS);
  std::vector<Hash256> many;
  for (uint8_t i = 0; i < 17; ++i) many.push_back(H(static_cast<uint8_t>(0x50 + i)));
  EXPECT_EQ(c->Do(op, Data(2, many, Derivation::AGGREGATED)), ErrorCode::TOO_MANY_PARENTS);
  p = Data(2);
  p.consent_ref = Hash256{};
  EXPECT_EQ(c->Do(op, Signed(p, uav)), ErrorCode::CONSENT_REQUIRED);
  p.purposes = 0;  // no use permitted: no consent needed
  EXPECT_EQ(c->Do(op, Signed(p, uav)), ErrorCode::OK);
}

TEST_F(Provenance, OnlyTheOwnerRevokesConsent) {
  ASSERT_EQ(c->Do(op, Data(1)), ErrorCode::OK);
  Hash256 a = Id(1, op);
  EXPECT_EQ(c->Do(op2, RevokeConsentPayload{a}), ErrorCode::UNAUTHORIZED);
  EXPECT_EQ(c->Do(op, RevokeConsentPayload{a}), ErrorCode::OK);
  EXPECT_TRUE(View(a).record.consent_revoked);
  // Later use by a twin update is refused: see TwinSync.ConsentRevocationBlocksLaterUse.
}

}  // namespace
}  // namespace metaledger::contracts::testing
