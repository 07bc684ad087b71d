// metaledger-sim scenario: the invariants of the metaverse scenario played through the real
// contracts, its determinism, and clear errors for bad scenario files.
#include <gtest/gtest.h>

#include "sim/scenario/scenario_runner.h"
#include "sim/scenario/scenario_spec.h"

namespace metaledger::sim {
namespace {

const std::string kSmall = std::string(METALEDGER_SCENARIOS_DIR) + "/metaverse-small.toml";

class SmallScenario : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto spec = LoadScenario(kSmall);
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    auto r = RunScenario(*spec, 1);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    report_ = new ScenarioReport(std::move(*r));
  }
  static void TearDownTestSuite() { delete report_; }
  static ScenarioReport* report_;
};
ScenarioReport* SmallScenario::report_ = nullptr;

TEST_F(SmallScenario, AuctionsPayWinnersAtLeastTheirCostAndVspAtMostKTimesReserve) {
  ASSERT_GE(report_->auctions.size(), 2u);
  for (const AuctionOutcome& a : report_->auctions) {
    EXPECT_LE(a.vsp_spend, uint64_t{a.k} * a.reserve);
    ASSERT_FALSE(a.winner_costs.empty());
    for (uint64_t cost : a.winner_costs) EXPECT_GE(a.price, cost);  // individually rational
    EXPECT_EQ(a.paid, a.winner_costs.size());
  }
}

TEST_F(SmallScenario, EveryAcceptedTwinUpdateHadFreshInputsAndStaleOnesAreRefused) {
  EXPECT_GT(report_->twin_updates_accepted, 0u);
  EXPECT_EQ(report_->accepted_with_stale_input, 0u);
  EXPECT_GT(report_->stale_updates_refused, 0u);
  EXPECT_EQ(report_->stale_updates_accepted, 0u);
}

TEST_F(SmallScenario, PoolsAndSupplyConserve) {
  EXPECT_GT(report_->pools_paid, 0u);
  EXPECT_TRUE(report_->pools_conserve)
      << report_->pools_funded << " vs " << report_->pools_paid << " + " << report_->pools_balance
      << ", claimable " << report_->claimable_total;
  EXPECT_TRUE(report_->supply_conserves);
}

TEST_F(SmallScenario, SensingAndAuctionsMoveValueFromVspsToUavOperators) {
  ASSERT_EQ(report_->rewards.size(), 5u);        // UAV operators, VSPs, three FL behaviours
  EXPECT_GT(report_->rewards[0].net_change, 0);  // UAV operators
  EXPECT_LT(report_->rewards[1].net_change, 0);  // VSPs
  EXPECT_GT(report_->derived_datasets, 0u);      // lineage was exercised
  EXPECT_GT(report_->sensing_records, 0u);
}

TEST_F(SmallScenario, FlRoundsRunForTwinAndAvatarModels) {
  ASSERT_EQ(report_->fl_tasks.size(), 2u);
  for (const FlTaskOutcome& t : report_->fl_tasks) {
    EXPECT_GT(t.rounds, 0u) << t.family;
    EXPECT_EQ(t.approved, t.rounds) << t.family;  // honest aggregator and evaluators
    EXPECT_GT(t.head_acc_bps, 0u) << t.family;
    EXPECT_GT(t.paid, 0u) << t.family;
  }
  EXPECT_EQ(report_->fl_tasks[0].family, "twin");
  EXPECT_EQ(report_->fl_tasks[1].family, "avatar");
  EXPECT_TRUE(report_->fl_conserves);
}

TEST_F(SmallScenario, HonestFlClientsEarnMoreThanFreeRidersAndPoisonersWhoEarnNothing) {
  ASSERT_EQ(report_->fl_classes.size(), 3u);
  const FlClassOutcome& honest = report_->fl_classes[0];
  const FlClassOutcome& free_riding = report_->fl_classes[1];
  const FlClassOutcome& poisoning = report_->fl_classes[2];
  ASSERT_EQ(honest.behaviour, "honest");
  ASSERT_GT(honest.clients, 0u);
  ASSERT_GT(free_riding.clients, 0u);
  ASSERT_GT(poisoning.clients, 0u);
  EXPECT_GT(honest.min_per_client, 0u);
  EXPECT_EQ(free_riding.earned, 0u);
  EXPECT_EQ(poisoning.earned, 0u);
  // They did take part: their first updates were accepted, then flagged by the evaluators.
  EXPECT_GT(free_riding.submitted, 0u);
  EXPECT_GT(poisoning.submitted, 0u);
  EXPECT_EQ(free_riding.flagged, free_riding.submitted);
  EXPECT_EQ(poisoning.flagged, poisoning.submitted);
  EXPECT_EQ(honest.flagged, 0u);
  EXPECT_EQ(honest.refused, 0u);
  // Flagged clients lose reputation, so later rounds refuse them (LOW_REPUTATION).
  EXPECT_GT(report_->refusals.count("LOW_REPUTATION"), 0u);
  EXPECT_TRUE(InvariantFailures(*report_).empty());
}

TEST(ScenarioInvariants, NameEachBrokenInvariant) {
  ScenarioReport r;
  r.pools_conserve = r.supply_conserves = true;
  r.fl_tasks.push_back({"twin", 1, 1, 0, 0, 7000, 100, 100, 0});
  r.fl_classes.push_back({"honest", 2, 2, 0, 0, 100, 40, 60});
  r.fl_classes.push_back({"poisoning", 1, 1, 0, 1, 0, 0, 0});
  EXPECT_TRUE(InvariantFailures(r).empty());

  ScenarioReport paid_poisoner = r;
  paid_poisoner.fl_classes[1].earned = 5;
  auto f = InvariantFailures(paid_poisoner);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].find("poisoning FL clients earned 5"), std::string::npos) << f[0];

  ScenarioReport unpaid_honest = r;
  unpaid_honest.fl_classes[0].min_per_client = 0;
  ASSERT_EQ(InvariantFailures(unpaid_honest).size(), 1u);

  ScenarioReport overspent = r;
  AuctionOutcome a;
  a.vsp = "v";
  a.k = 2;
  a.reserve = 100;
  a.vsp_spend = 201;
  overspent.auctions.push_back(a);
  ASSERT_EQ(InvariantFailures(overspent).size(), 1u);

  ScenarioReport leaky = r;
  leaky.fl_conserves = false;
  leaky.accepted_with_stale_input = 1;
  EXPECT_EQ(InvariantFailures(leaky).size(), 2u);
}

TEST(ScenarioFl, RoundsThatDoNotFitTheScheduleAreNotOpened) {
  auto spec = LoadScenario(kSmall);
  ASSERT_TRUE(spec.ok());
  spec->schedule.blocks = 10;  // room for one 6-block round from block 3
  spec->fl.rounds = 3;
  spec->vsps.resize(1);
  spec->vsps[0].auction_every_blocks = 0;
  auto r = RunScenario(*spec, 2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->fl_tasks.size(), 2u);
  EXPECT_EQ(r->fl_tasks[0].rounds, 1u);
  EXPECT_EQ(r->fl_tasks[0].approved, 1u);
  EXPECT_NE(r->fl_note.find("1 of 3 rounds"), std::string::npos) << r->fl_note;
  EXPECT_TRUE(InvariantFailures(*r).empty());
}

TEST_F(SmallScenario, SameSeedSameReport) {
  auto spec = LoadScenario(kSmall);
  ASSERT_TRUE(spec.ok());
  auto again = RunScenario(*spec, 1);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(FormatReport(*report_, false), FormatReport(*again, false));
}

TEST(ScenarioSpec, BadFilesGetAClearError) {
  auto missing = LoadScenario("/nonexistent/x.toml");
  EXPECT_EQ(missing.status().code(), StatusCode::kIOError);
  auto syntax = ParseScenario("name = \n", "t.toml");
  EXPECT_EQ(syntax.status().code(), StatusCode::kInvalidArgument);
  auto no_vsp = ParseScenario("[schedule]\nblocks = 5\n", "t.toml");
  EXPECT_NE(no_vsp.status().ToString().find("vsp"), std::string::npos);
  auto bad_cells = ParseScenario(
      "[[vsp]]\nname=\"v\"\ntwins=[{cells=[1,1], max_aoi_ms=5}]\n[schedule]\nblocks=5\n", "t.toml");
  EXPECT_NE(bad_cells.status().ToString().find("duplicate cell"), std::string::npos)
      << bad_cells.status().ToString();
  auto negative = ParseScenario("[[vsp]]\nbalance=-1\n[schedule]\nblocks=5\n", "t.toml");
  EXPECT_NE(negative.status().ToString().find("vsp[0].balance"), std::string::npos);
}

TEST(ScenarioSpec, ShippedScenariosParse) {
  for (const char* f : {"metaverse-small.toml", "metaverse.toml"}) {
    auto s = LoadScenario(std::string(METALEDGER_SCENARIOS_DIR) + "/" + f);
    EXPECT_TRUE(s.ok()) << f << ": " << s.status().ToString();
  }
}

}  // namespace
}  // namespace metaledger::sim
