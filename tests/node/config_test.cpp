#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "core/genesis.h"
#include "node/config.h"
#include "node/home.h"
#include "node/testnet.h"

namespace metaledger::node {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("ml-node-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

TEST(ConfigTest, DefaultRenderParsesBackToDefaults) {
  NodeConfig defaults;
  defaults.moniker = "alpha";
  auto parsed = ParseConfig(RenderConfig(defaults), "config.toml", {});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->moniker, "alpha");
  EXPECT_EQ(parsed->p2p_listen.ToString(), defaults.p2p_listen.ToString());
  EXPECT_EQ(parsed->mempool_max_txs, defaults.mempool_max_txs);
}

TEST(ConfigTest, UnknownKeyNamesFileSectionAndKey) {
  auto r = ParseConfig("[p2p]\nlisten = \"127.0.0.1:1\"\nlisten_typo = 3\n", "/x/config.toml", {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/x/config.toml"), std::string::npos);
  EXPECT_NE(r.status().message().find("[p2p] listen_typo"), std::string::npos);
  EXPECT_NE(r.status().message().find("unknown key"), std::string::npos);
  EXPECT_FALSE(ParseConfig("[nosuch]\nx = 1\n", "c", {}).ok());
}

TEST(ConfigTest, BadValuesAreRefusedWithReason) {
  auto wrong_type = ParseConfig("[mempool]\nmax_txs = \"many\"\n", "c", {});
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.status().message().find("expected an integer"), std::string::npos);
  auto range = ParseConfig("[mempool]\nmax_txs = 0\n", "c", {});
  ASSERT_FALSE(range.ok());
  EXPECT_NE(range.status().message().find("[mempool] max_txs"), std::string::npos);
  EXPECT_FALSE(ParseConfig("[p2p]\nlisten = \"nohost\"\n", "c", {}).ok());
  EXPECT_FALSE(ParseConfig("[p2p]\nlisten = \"h:70000\"\n", "c", {}).ok());
  EXPECT_FALSE(ParseConfig("[log]\nformat = \"xml\"\n", "c", {}).ok());
  EXPECT_FALSE(ParseConfig("[log]\nmodules = \"p2p=loud\"\n", "c", {}).ok());
  EXPECT_FALSE(ParseConfig("[p2p\n", "c", {}).ok());
}

TEST(ConfigTest, BlockPaceMustFitInAHalfRoundTimeout) {
  auto ok =
      ParseConfig("[consensus]\nbase_timeout_ms = 1000\nmin_block_interval_ms = 500\n", "c", {});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->consensus_min_block_interval_ms, 500u);
  EXPECT_EQ(NodeConfig{}.consensus_min_block_interval_ms, 0u) << "off unless asked for";
  auto slow =
      ParseConfig("[consensus]\nbase_timeout_ms = 1000\nmin_block_interval_ms = 501\n", "c", {});
  ASSERT_FALSE(slow.ok());
  EXPECT_NE(slow.status().message().find("[consensus] min_block_interval_ms"), std::string::npos);
  EXPECT_NE(slow.status().message().find("half of base_timeout_ms (500)"), std::string::npos);
}

TEST(ConfigTest, EnvironmentOverridesFileAndIsChecked) {
  std::map<std::string, std::string> env = {{"METALEDGER_MEMPOOL_MAX_TXS", "77"},
                                            {"METALEDGER_LOG_FORMAT", "json"},
                                            {"METALEDGER_BIN", "/ignored"}};
  auto r = ParseConfig("[mempool]\nmax_txs = 5\n", "c", env);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->mempool_max_txs, 77u);
  EXPECT_EQ(r->log_format, "json");
  auto bad = ParseConfig("", "c", {{"METALEDGER_MEMPOOL_MAX_TXS", "7x"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("METALEDGER_MEMPOOL_MAX_TXS"), std::string::npos);
  EXPECT_FALSE(ParseConfig("", "c", {{"METALEDGER_P2P_NOPE", "1"}}).ok());
  // The API address the daemon serves REST on.
  auto api = ParseConfig("[api]\nlisten = \"127.0.0.1:1\"\n", "c",
                         {{"METALEDGER_API_LISTEN", "0.0.0.0:8443"}});
  ASSERT_TRUE(api.ok()) << api.status().ToString();
  EXPECT_EQ(api->api_listen.ToString(), "0.0.0.0:8443");
  EXPECT_FALSE(ParseConfig("", "c", {{"METALEDGER_API_LISTEN", "8443"}}).ok());
}

TEST(HomeTest, InitWritesPrivateKeyAndRefusesSecondInit) {
  fs::path home = TempDir("init");
  auto key = InitHome(home, "val-a");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  HomeLayout layout{home};
  struct stat st {};
  ASSERT_EQ(::stat(layout.KeyFile().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(fs::is_directory(home / "data"));
  auto config = LoadConfig(layout.ConfigFile().string(), {});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->moniker, "val-a");
  auto read = ReadKeyFile(layout.KeyFile());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->key.public_key(), key->key.public_key());
  EXPECT_EQ(InitHome(home, "again").status().code(), StatusCode::kAlreadyExists);
  fs::permissions(layout.KeyFile(), fs::perms::others_read, fs::perm_options::add);
  EXPECT_EQ(ReadKeyFile(layout.KeyFile()).status().code(), StatusCode::kPermissionDenied);
  fs::remove_all(home);
}

TEST(TestnetTest, BuildsWiredHomesAndRoleAccounts) {
  fs::path out = TempDir("testnet");
  TestnetOptions o;
  o.validators = 4;
  o.output = out;
  o.base_port = 31000;
  auto r = MakeTestnet(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->homes.size(), 4u);
  auto text = ReadTextFile(out / "genesis.json");
  ASSERT_TRUE(text.ok());
  auto g = Genesis::FromJson(*text);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->validators.size(), 4u);
  std::set<std::string> ports;
  for (uint32_t i = 0; i < 4; ++i) {
    HomeLayout layout{r->homes[i]};
    auto c = LoadConfig(layout.ConfigFile().string(), {});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(g->validators.at(i).p2p_address, c->p2p_listen.ToString());
    ports.insert(c->p2p_listen.ToString());
    ports.insert(c->api_listen.ToString());
    ports.insert(c->ops_listen.ToString());
    auto key = ReadKeyFile(layout.KeyFile());
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key->key.public_key(), g->validators.at(i).key);
    EXPECT_EQ(*ReadTextFile(layout.GenesisFile()), *text);
  }
  EXPECT_EQ(ports.size(), 12u);  // all distinct
  std::map<std::string, int> role_count;
  for (const GenesisAccount& a : g->accounts) {
    for (const std::string& role : a.roles) role_count[role]++;
    auto key = ReadKeyFile(out / "accounts" / (a.name + ".key"));
    ASSERT_TRUE(key.ok()) << a.name;
    EXPECT_EQ(key->key.public_key(), a.key);
    EXPECT_GT(a.balance, 0u);
  }
  EXPECT_EQ(role_count["DEVICE"], 2);
  EXPECT_GE(role_count["FL_CLIENT"], 5);
  EXPECT_GE(role_count["EVALUATOR"], 3);
  EXPECT_EQ(role_count["MEMBER"], 4);
  for (const char* role : {"VSP", "UAV_OPERATOR", "AGGREGATOR", "TWIN_OPERATOR", "AUDITOR"}) {
    EXPECT_EQ(role_count[role], 1) << role;
  }
  EXPECT_EQ(MakeTestnet(o).status().code(), StatusCode::kAlreadyExists);
  fs::remove_all(out);
}

}  // namespace
}  // namespace metaledger::node
