// metaledger-sim scenario's command line around the live mode: the exported genesis accounts
// are the runner's parties, and a bad or unreachable --node fails fast with a clear message.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "sim/scenario/live_ledger.h"
#include "sim/scenario/scenario_spec.h"
#include "tests/sim/sim_process.h"

namespace metaledger::sim {
namespace {

namespace fs = std::filesystem;
using testing::RunSim;

const std::string kTiny = std::string(METALEDGER_SCENARIOS_DIR) + "/metaverse-tiny.toml";

fs::path TempFile(const std::string& name) {
  return fs::temp_directory_path() / ("ml-sim-" + std::to_string(::getpid()) + "-" + name);
}

nlohmann::json ReadJson(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str(), nullptr, false);
}

// A port nothing listens on: bound once by us and released.
uint16_t ClosedPort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

TEST(ScenarioCli, ExportedAccountsAreTheScenariosPartiesWithTheirRoles) {
  fs::path out = TempFile("accounts.json");
  auto run = RunSim("scenario " + kTiny + " --seed 5 --export-accounts " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("--accounts " + out.string()), std::string::npos) << run.output;
  nlohmann::json accounts = ReadJson(out);
  ASSERT_TRUE(accounts.is_array()) << accounts;

  auto spec = LoadScenario(kTiny);
  ASSERT_TRUE(spec.ok());
  auto genesis = ScenarioGenesis(*spec, 5);
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  // 4 operators, 2 VSPs, 3 UAV operators and their 3 UAVs, aggregator, 3 evaluators, 5 clients.
  ASSERT_EQ(accounts.size(), 21u);
  ASSERT_EQ(genesis->accounts.size(), accounts.size());
  std::set<std::string> names;
  for (size_t i = 0; i < accounts.size(); ++i) {
    EXPECT_EQ(accounts[i]["name"], genesis->accounts[i].name);
    EXPECT_NE(accounts[i].dump().find(genesis->accounts[i].key.Hex()), std::string::npos)
        << accounts[i];
    names.insert(accounts[i]["name"].get<std::string>());
  }
  EXPECT_EQ(names.size(), accounts.size());
  EXPECT_TRUE(names.count("vsp-city") && names.count("uav0-0") && names.count("fl-poisoning0"));

  // The keys come from the seed: the same seed gives the same file, another seed other keys.
  fs::path again = TempFile("again.json"), other = TempFile("other.json");
  ASSERT_EQ(RunSim("scenario " + kTiny + " --seed 5 --export-accounts " + again.string()).exit_code,
            0);
  ASSERT_EQ(RunSim("scenario " + kTiny + " --seed 6 --export-accounts " + other.string()).exit_code,
            0);
  EXPECT_EQ(ReadJson(again), accounts);
  EXPECT_NE(ReadJson(other)[0], accounts[0]);
  for (const fs::path& p : {out, again, other}) fs::remove(p);
}

TEST(ScenarioCli, UnreachableNodeFailsFastWithAClearMessage) {
  uint16_t port = ClosedPort();
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  auto run = RunSim("scenario " + kTiny + " --node " + url, 30);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("cannot reach the node at " + url), std::string::npos) << run.output;
  EXPECT_LT(run.seconds, 10.0);
}

TEST(ScenarioCli, MalformedNodeUrlIsAUsageError) {
  for (const char* bad : {"127.0.0.1:80", "https://127.0.0.1:80", "http://127.0.0.1:99999",
                          "http://127.0.0.1:80/v1"}) {
    auto run = RunSim("scenario " + kTiny + " --node " + bad, 30);
    EXPECT_EQ(run.exit_code, 2) << bad << ": " << run.output;
    EXPECT_NE(run.output.find("--node"), std::string::npos) << run.output;
  }
  EXPECT_EQ(ParseNodeUrl("http://localhost:26601/")->port, 26601);
  EXPECT_EQ(ParseNodeUrl("http://localhost:26601")->host, "localhost");
}

TEST(ScenarioCli, ExportAndNodeAreExclusive) {
  auto run = RunSim("scenario " + kTiny + " --node http://127.0.0.1:1 --export-accounts x.json");
  EXPECT_EQ(run.exit_code, 2) << run.output;
}

}  // namespace
}  // namespace metaledger::sim
