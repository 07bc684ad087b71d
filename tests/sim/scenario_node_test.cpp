// metaledger-sim scenario --node against a real 4-node testnet created with the scenario's
// exported accounts: the same planning and invariants as in process, on the chain's own heights
// and block times, through the REST API.
#include <gtest/gtest.h>

#include <regex>

#include "tests/node/process_harness.h"
#include "tests/sim/sim_process.h"

namespace metaledger::sim {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using node::testing::ProcessCluster;
using testing::RunSim;

const std::string kTiny = std::string(METALEDGER_SCENARIOS_DIR) + "/metaverse-tiny.toml";

// The first capture of `pattern` in the report as a number, -1 when the pattern is absent.
long long Figure(const std::string& output, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(output, m, std::regex(pattern))) return -1;
  return std::stoll(m[1].str());
}

TEST(ScenarioOnTestnet, PlaysTheTinyMetaverseWithItsInvariants) {
  fs::path accounts =
      fs::temp_directory_path() / ("ml-sim-live-accounts-" + std::to_string(::getpid()) + ".json");
  auto exported = RunSim("scenario " + kTiny + " --seed 5 --export-accounts " + accounts.string());
  ASSERT_EQ(exported.exit_code, 0) << exported.output;

  ProcessCluster cluster("sim-scenario", 4,
                         "--chain-id metaverse-tiny --accounts " + accounts.string());
  fs::remove(accounts);
  ASSERT_TRUE(cluster.ok());
  cluster.StartAll();
  ASSERT_TRUE(node::testing::Eventually([&] { return cluster.AllAtLeast(2); }, 30s));

  std::string url = "http://127.0.0.1:" + std::to_string(cluster.api_port(0));
  // 8 blocks a step: commits take 4-6 blocks into their step, and a node that makes idle blocks
  // slowly makes every extra block of a step cost time (12 s at 20 idle blocks a second, ~50 s
  // at 2).
  auto run = RunSim("scenario " + kTiny + " --seed 5 --blocks-per-step 8 --node " + url, 150);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string& out = run.output;
  EXPECT_NE(out.find("all invariants hold"), std::string::npos) << out;
  EXPECT_NE(out.find("live testnet " + url), std::string::npos) << out;
  EXPECT_EQ(out.find("NOT CONSERVED"), std::string::npos) << out;
  // Late commits are reported (the outcomes below show whether a deadline was missed).
  EXPECT_GE(Figure(out, R"(, (\d+) committed late)"), 0) << out;
  EXPECT_GT(Figure(out, R"(slowest commit (\d+) blocks into its step)"), 0) << out;
  EXPECT_GT(Figure(out, R"(ledger throughput \d+ txs committed in [\d.]+ s wall = (\d+) tx/s)"), 0)
      << out;

  // The auction settled: bids were revealed, a winner delivered and was paid.
  EXPECT_EQ(Figure(out, R"(auctions: (\d+))"), 1) << out;
  EXPECT_GE(Figure(out, R"(valid bids=(\d+))"), 2) << out;
  EXPECT_EQ(Figure(out, R"(winners=(\d+))"), 1) << out;
  EXPECT_EQ(Figure(out, R"( paid=(\d+))"), 1) << out;
  // Twins synced from the chain's block times, and the stale attempts were refused.
  EXPECT_GT(Figure(out, R"(twins: (\d+) updates accepted)"), 0) << out;
  EXPECT_GT(Figure(out, R"(stale attempts refused (\d+))"), 0) << out;
  EXPECT_EQ(Figure(out, R"(stale attempts refused \d+ / accepted (\d+))"), 0) << out;
  EXPECT_EQ(Figure(out, R"(accepted with a stale input (\d+))"), 0) << out;
  // FL: both tasks ran their rounds; honest clients earned, free-riders and poisoners nothing.
  EXPECT_EQ(Figure(out, R"(twin   model: (\d+) rounds \((\d+) approved)"), 2) << out;
  EXPECT_GT(Figure(out, R"(FL honest\s+\d+ accounts\s+\+(\d+))"), 0) << out;
  EXPECT_EQ(Figure(out, R"(FL free-riding\s+\d+ accounts\s+\+?(\d+))"), 0) << out;
  EXPECT_EQ(Figure(out, R"(FL poisoning\s+\d+ accounts\s+\+?(\d+))"), 0) << out;
  // The first per-client range is the honest clients': each of them earned something.
  EXPECT_GT(Figure(out, R"(earned \d+ \(per client (\d+)\.\.)"), 0) << out;
  EXPECT_GT(Figure(out, R"(pools: funded \d+ = paid (\d+))"), 0) << out;

  // Running it again on the same chain fails at setup with a precise refusal (the pools and
  // twins exist), not a hang: a live run wants a fresh testnet.
  auto again = RunSim("scenario " + kTiny + " --seed 5 --blocks-per-step 8 --node " + url, 60);
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_NE(again.output.find("scenario setup:"), std::string::npos) << again.output;
}

TEST(ScenarioOnTestnet, AccountsMissingFromTheGenesisAreNamed) {
  // A default testnet (its own accounts) under the scenario's chain id.
  ProcessCluster cluster("sim-noaccounts", 4, "--chain-id metaverse-tiny");
  ASSERT_TRUE(cluster.ok());
  cluster.StartAll();
  ASSERT_TRUE(node::testing::Eventually([&] { return cluster.AllAtLeast(1); }, 30s));
  std::string url = "http://127.0.0.1:" + std::to_string(cluster.api_port(0));
  auto run = RunSim("scenario " + kTiny + " --seed 5 --node " + url, 60);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("is not in the testnet's genesis"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("--export-accounts"), std::string::npos) << run.output;
  EXPECT_LT(run.seconds, 20.0);
}

}  // namespace
}  // namespace metaledger::sim
