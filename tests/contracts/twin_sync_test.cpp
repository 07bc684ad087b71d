#include "tests/contracts/harness.h"

namespace metaledger::contracts::testing {
namespace {

// A VSP with a twin over cells {1, 2} (max AoI 60 s) operated by `twop`; an operator with a UAV
// producing datasets; a TWIN-family task whose genesis model is APPROVED and an AVATAR one.
struct TwinSync : ::testing::Test {
  PrivateKey vsp = KeyFor(120), twop = KeyFor(121), other_vsp = KeyFor(122), op = KeyFor(123),
             uav = KeyFor(124), agg = KeyFor(125), member = KeyFor(126);
  PrivateKey ev[3] = {KeyFor(127), KeyFor(128), KeyFor(129)};
  AcceptAll verifier;
  std::unique_ptr<Chain> c;
  Hash256 twin = H(0x80), twin_model = H(0x81), avatar_model = H(0x82), spare_model = H(0x83);

  void SetUp() override {
    Genesis g;
    g.genesis_time_ms = 50'000'000;
    g.params["MAX_AOI_BLOCKS"] = 5;
    g.accounts.push_back(Acct(vsp, 1000, {"VSP"}, "vsp"));
    g.accounts.push_back(Acct(twop, 0, {"TWIN_OPERATOR"}, "twop"));
    g.accounts.push_back(Acct(other_vsp, 0, {"VSP"}, "other"));
    g.accounts.push_back(Acct(op, 0, {"UAV_OPERATOR"}, "op"));
    g.accounts.push_back(Acct(agg, 0, {"AGGREGATOR"}, "agg"));
    g.accounts.push_back(Acct(member, 0, {"MEMBER"}, "member"));
    for (int i = 0; i < 3; ++i)
      g.accounts.push_back(Acct(ev[i], 0, {"EVALUATOR"}, "ev" + std::to_string(i)));
    GenesisAccount u = Acct(uav, 0, {}, "uav");
    u.operator_key = op.public_key();
    g.accounts.push_back(u);
    c = std::make_unique<Chain>(g, verifier);
    std::vector<Address> evs = {Addr(ev[0]), Addr(ev[1]), Addr(ev[2])};
    std::sort(evs.begin(), evs.end());
    auto codes = c->Block(
        {c->Tx(vsp, CreateFlTaskPayload{H(0x91), ModelFamily::TWIN, Addr(agg), evs, twin_model}),
         c->Tx(vsp,
               CreateFlTaskPayload{H(0x92), ModelFamily::AVATAR, Addr(agg), evs, avatar_model}),
         c->Tx(vsp, CreateFlTaskPayload{H(0x93), ModelFamily::TWIN, Addr(agg), evs, spare_model}),
         c->Tx(vsp,
               RegisterTwinPayload{twin, 7, {1, 2}, 60'000, ModelFamily::TWIN, {Addr(twop)}})});
    for (ErrorCode e : codes) ASSERT_EQ(e, ErrorCode::OK);
  }

  // Registers (in its own block) a dataset generated `age_ms` before that block's time.
  Hash256 Data(uint8_t tag, uint64_t age_ms, std::vector<uint64_t> cells = {2, 3},
               uint32_t purposes = kPurposeTwinSync) {
    RegisterDatasetPayload p;
    p.content_root = H(tag);
    p.collector = Addr(uav);
    p.generation_ts_ms = c->time_ms_ + 1000 - age_ms;
    p.cells = std::move(cells);
    p.consent_ref = H(0xCC);
    p.purposes = purposes;
    p.device_sig = uav.Sign(
        DeviceSigningHash(Chain::kChainId, p.content_root, p.generation_ts_ms, p.cells).view());
    EXPECT_EQ(c->Do(op, p), ErrorCode::OK);
    return DataId(Chain::kChainId, H(tag), Addr(op));
  }
  TwinUpdatePayload Update(std::vector<Hash256> inputs, Hash256 model = {}) {
    TwinView v = View();
    std::sort(inputs.begin(), inputs.end());
    return {twin,
            v.twin.head_seq + 1,
            v.twin.head_state_hash,
            H(static_cast<uint8_t>(0xE0 + v.twin.head_seq)),
            model.IsZero() ? twin_model : model,
            inputs};
  }
  TwinView View() { return **QueryTwin(c->state_, twin, c->time_ms_); }
};

TEST_F(TwinSync, AcceptedUpdateAdvancesTheHeadAndRecordsProvenance) {
  Hash256 d = Data(1, 10'000);
  uint64_t gen = c->time_ms_ - 10'000;
  TwinUpdatePayload u = Update({d});
  ASSERT_EQ(c->Do(twop, u), ErrorCode::OK);
  TwinView v = View();
  EXPECT_EQ(v.twin.head_seq, 1u);
  EXPECT_EQ(v.twin.head_state_hash, u.new_state_hash);
  EXPECT_EQ(v.twin.freshest_input_ts, gen);
  EXPECT_EQ(v.twin.last_sync_h, c->height_);
  EXPECT_EQ(v.aoi_ms, 11'000u);
  EXPECT_TRUE(v.in_sync);
  ASSERT_EQ(v.history.size(), 1u);
  EXPECT_EQ(v.history[0].submitter, Addr(twop));
  EXPECT_EQ(v.history[0].inputs, std::vector<Hash256>{d});
  EXPECT_EQ((*QueryDataset(c->state_, d))->users, std::vector<Hash256>{TwinUpdateId(twin, 1)});
  // The VSP may also update; a VSP that is neither owner nor operator may not.
  Hash256 d2 = Data(2, 0);
  EXPECT_EQ(c->Do(other_vsp, Update({d2})), ErrorCode::UNAUTHORIZED);
  EXPECT_EQ(c->Do(vsp, Update({d2})), ErrorCode::OK);
  // Out of sync once the freshest input is older than max_aoi_ms.
  EXPECT_FALSE((*QueryTwin(c->state_, twin, c->time_ms_ + 60'001))->in_sync);
}

TEST_F(TwinSync, OrderParentAndModelChecks) {
  Hash256 d = Data(1, 0);
  TwinUpdatePayload u = Update({d});
  TwinUpdatePayload skip = u;
  skip.seq = 2;
  TwinUpdatePayload stale = u;
  stale.prev_state_hash = H(0x01);
  ASSERT_EQ(c->Do(member, RevokeModelPayload{spare_model}), ErrorCode::OK);
  auto codes = c->Block(
      {c->Tx(twop, skip), c->Tx(twop, stale), c->Tx(twop, Update({d}, H(0x02))),  // no such model
       c->Tx(twop, Update({d}, avatar_model)), c->Tx(twop, Update({d}, spare_model))});
  EXPECT_EQ(codes,
            (std::vector<ErrorCode>{ErrorCode::OUT_OF_ORDER, ErrorCode::STALE_PARENT,
                                    ErrorCode::MODEL_NOT_APPROVED, ErrorCode::MODEL_FAMILY_MISMATCH,
                                    ErrorCode::MODEL_REVOKED}));
  EXPECT_EQ(View().twin.head_seq, 0u);
}

TEST_F(TwinSync, InputChecks) {
  Hash256 voided = Data(2, 0);
  ASSERT_EQ(c->Do(member, VoidDatasetPayload{voided}), ErrorCode::OK);
  Hash256 far = Data(3, 0, {9});
  Hash256 no_purpose = Data(4, 0, {2}, kPurposeFlTraining);
  Hash256 old_by_time = Data(5, 59'000);  // 62 000 ms old when used (3 blocks later)
  Hash256 ok = Data(1, 0);
  const uint64_t ok_h = c->height_;
  std::vector<Hash256> too_many;
  for (uint8_t i = 0; i < 33; ++i) too_many.push_back(H(static_cast<uint8_t>(i + 1)));
  TwinUpdatePayload unsorted = Update({ok, far});
  std::swap(unsorted.inputs[0], unsorted.inputs[1]);
  TwinUpdatePayload just_in_time = Update({Data(6, 59'000)});  // 60 000 ms old when used
  auto codes =
      c->Block({c->Tx(twop, Update({ok, H(0x77)})), c->Tx(twop, Update({voided})),
                c->Tx(twop, Update({far})), c->Tx(twop, Update({no_purpose})),
                c->Tx(twop, Update({old_by_time})), c->Tx(twop, Update({})),
                c->Tx(twop, Update(too_many)), c->Tx(twop, unsorted), c->Tx(twop, just_in_time)});
  EXPECT_EQ(codes,
            (std::vector<ErrorCode>{
                ErrorCode::INPUT_NOT_FOUND, ErrorCode::INPUT_VOIDED, ErrorCode::INPUT_OUT_OF_AREA,
                ErrorCode::CONSENT_PURPOSE, ErrorCode::INPUT_TOO_OLD, ErrorCode::TOO_MANY_INPUTS,
                ErrorCode::TOO_MANY_INPUTS, ErrorCode::UNSORTED_INPUTS, ErrorCode::OK}));
  // By height (MAX_AOI_BLOCKS = 5): an input registered more than 5 blocks ago is refused
  // although it passes every other check (in area, TWIN_SYNC, fresher than the head, and only
  // 6 s old by time).
  Hash256 newer = Data(7, 0);
  const uint64_t newer_h = c->height_;
  c->AdvanceTo(newer_h + 5);
  EXPECT_EQ(c->Do(twop, Update({newer})), ErrorCode::INPUT_TOO_OLD);  // at newer_h + 6
  EXPECT_GT(newer_h, ok_h);
}

TEST_F(TwinSync, InputsMustBeFresherThanTheTwinsFreshest) {
  Hash256 a = Data(1, 5'000);
  ASSERT_EQ(c->Do(twop, Update({a})), ErrorCode::OK);
  Hash256 older = Data(2, 8'000);  // generated 1 s before `a`
  Hash256 same = Data(3, 8'000);   // generated at the same time as `a`
  EXPECT_EQ(c->Do(twop, Update({older})), ErrorCode::NOT_FRESHER);
  EXPECT_EQ(c->Do(twop, Update({same})), ErrorCode::NOT_FRESHER);
  Hash256 newer = Data(4, 0);
  EXPECT_EQ(c->Do(twop, Update({older, newer})), ErrorCode::OK);  // the newest input counts
}

TEST_F(TwinSync, ConsentRevocationBlocksLaterUse) {
  Hash256 d = Data(1, 0);
  ASSERT_EQ(c->Do(twop, Update({d})), ErrorCode::OK);
  Hash256 d2 = Data(2, 0);
  ASSERT_EQ(c->Do(op, RevokeConsentPayload{d2}), ErrorCode::OK);
  EXPECT_EQ(c->Do(twop, Update({d2})), ErrorCode::CONSENT_PURPOSE);
  EXPECT_EQ(View().twin.head_seq, 1u);
}

TEST_F(TwinSync, VoidingAnInputTaintsTheUpdateUntilTheNextSync) {
  Hash256 d = Data(1, 0);
  ASSERT_EQ(c->Do(twop, Update({d})), ErrorCode::OK);
  ASSERT_EQ(c->Do(member, VoidDatasetPayload{d}), ErrorCode::OK);
  TwinView v = View();
  EXPECT_TRUE(v.twin.requires_resync);
  EXPECT_TRUE(v.history[0].tainted);
  Hash256 d2 = Data(2, 0);
  ASSERT_EQ(c->Do(twop, Update({d2})), ErrorCode::OK);
  EXPECT_FALSE(View().twin.requires_resync);
  // Revoking the model taints every update that used it.
  ASSERT_EQ(c->Do(member, RevokeModelPayload{twin_model}), ErrorCode::OK);
  EXPECT_TRUE(View().history[1].tainted);
  EXPECT_TRUE(View().twin.requires_resync);
}

}  // namespace
}  // namespace metaledger::contracts::testing
