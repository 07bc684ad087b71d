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
  ASSERT_EQ(report_->rewards.size(), 3u);
  EXPECT_GT(report_->rewards[0].net_change, 0);  // UAV operators
  EXPECT_LT(report_->rewards[1].net_change, 0);  // VSPs
  EXPECT_GT(report_->derived_datasets, 0u);      // lineage was exercised
  EXPECT_GT(report_->sensing_records, 0u);
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
