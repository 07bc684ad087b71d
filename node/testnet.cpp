#include "node/testnet.h"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "node/config.h"
#include "node/home.h"

namespace metaledger::node {

namespace fs = std::filesystem;

namespace {

// Role names as contracts/ spells them (CONTRACTS.md section 1).
constexpr const char* kMember = "MEMBER";

struct PlannedAccount {
  std::string name;
  std::vector<std::string> roles;
  std::string operator_name;  // for DEVICE keys
};

std::vector<PlannedAccount> DefaultAccounts(uint32_t validators) {
  std::vector<PlannedAccount> a = {
      {"vsp-1", {"VSP"}, ""},
      {"uav-operator-1", {"UAV_OPERATOR"}, ""},
      {"uav-1", {"DEVICE"}, "uav-operator-1"},
      {"uav-2", {"DEVICE"}, "uav-operator-1"},
  };
  for (int i = 1; i <= 5; ++i) a.push_back({fmt::format("fl-client-{}", i), {"FL_CLIENT"}, ""});
  a.push_back({"aggregator-1", {"AGGREGATOR"}, ""});
  for (int i = 1; i <= 3; ++i) a.push_back({fmt::format("evaluator-{}", i), {"EVALUATOR"}, ""});
  a.push_back({"twin-operator-1", {"TWIN_OPERATOR"}, ""});
  a.push_back({"auditor-1", {"AUDITOR"}, ""});
  for (uint32_t i = 0; i < validators; ++i) {
    a.push_back({fmt::format("member-{}", i), {kMember}, ""});
  }
  return a;
}

Result<std::vector<GenesisAccount>> ReadAccounts(const fs::path& path) {
  ML_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  // Reuse the genesis parser for the account entries: wrap them in a minimal document.
  nlohmann::json accounts = nlohmann::json::parse(text, nullptr, false);
  if (accounts.is_discarded() || !accounts.is_array()) {
    return Status::InvalidArgument(path.string() + ": expected a JSON array of accounts");
  }
  Genesis probe;
  probe.chain_id = "probe";
  probe.validators = ValidatorSet({Validator{"probe", PrivateKey::Generate().public_key(), ""}});
  nlohmann::json doc = nlohmann::json::parse(probe.ToJson());
  doc["accounts"] = accounts;
  auto g = Genesis::FromJson(doc.dump());
  if (!g.ok()) return g.status().Annotate(path.string());
  return g->accounts;
}

}  // namespace

Result<TestnetResult> MakeTestnet(const TestnetOptions& options) {
  if (options.validators < 1 || options.validators > 64) {
    return Status::InvalidArgument("--validators must be 1..64");
  }
  if (static_cast<uint32_t>(options.base_port) + 10 * options.validators + 2 > 65535) {
    return Status::InvalidArgument("--base-port too high for that many validators");
  }
  if (fs::exists(options.output) && !fs::is_empty(options.output)) {
    return Status::AlreadyExists(options.output.string() + " exists and is not empty");
  }
  TestnetResult result;
  Genesis& g = result.genesis;
  g.chain_id = options.chain_id;
  g.genesis_time_ms = options.genesis_time_ms;
  if (g.genesis_time_ms == 0) {
    g.genesis_time_ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::chrono::system_clock::now().time_since_epoch())
                                                  .count());
  }
  std::vector<NamedKey> validator_keys;
  std::vector<Validator> validators;
  for (uint32_t i = 0; i < options.validators; ++i) {
    NamedKey k{fmt::format("node{}", i), PrivateKey::Generate()};
    validators.push_back(Validator{k.name, k.key.public_key(),
                                   fmt::format("127.0.0.1:{}", options.base_port + 10 * i)});
    validator_keys.push_back(std::move(k));
  }
  g.validators = ValidatorSet(validators);

  if (options.accounts_file) {
    ML_ASSIGN_OR_RETURN(g.accounts, ReadAccounts(*options.accounts_file));
  } else {
    std::vector<PlannedAccount> plan = DefaultAccounts(options.validators);
    std::vector<NamedKey> keys;
    for (const PlannedAccount& p : plan) keys.push_back({p.name, PrivateKey::Generate()});
    for (size_t i = 0; i < plan.size(); ++i) {
      GenesisAccount acc{plan[i].name, keys[i].key.public_key(), options.balance, plan[i].roles,
                         std::nullopt};
      for (size_t j = 0; j < plan.size(); ++j) {
        if (!plan[i].operator_name.empty() && plan[j].name == plan[i].operator_name) {
          acc.operator_key = keys[j].key.public_key();
        }
      }
      g.accounts.push_back(std::move(acc));
      ML_RETURN_IF_ERROR(
          WriteKeyFile(options.output / "accounts" / (plan[i].name + ".key"), keys[i]));
      result.account_names.push_back(plan[i].name);
    }
  }
  ML_RETURN_IF_ERROR(g.Validate().Annotate("testnet genesis"));
  std::string genesis_json = g.ToJson() + "\n";
  ML_RETURN_IF_ERROR(WriteTextFile(options.output / "genesis.json", genesis_json));

  for (uint32_t i = 0; i < options.validators; ++i) {
    fs::path home = options.output / fmt::format("node{}", i);
    HomeLayout layout{home};
    NodeConfig config;
    config.moniker = validator_keys[i].name;
    config.p2p_listen = {"127.0.0.1", static_cast<uint16_t>(options.base_port + 10 * i)};
    config.api_listen = {"127.0.0.1", static_cast<uint16_t>(options.base_port + 10 * i + 1)};
    config.ops_listen = {"127.0.0.1", static_cast<uint16_t>(options.base_port + 10 * i + 2)};
    ML_RETURN_IF_ERROR(WriteTextFile(layout.ConfigFile(), RenderConfig(config)));
    ML_RETURN_IF_ERROR(WriteTextFile(layout.GenesisFile(), genesis_json));
    ML_RETURN_IF_ERROR(WriteKeyFile(layout.KeyFile(), validator_keys[i]));
    std::error_code ec;
    fs::create_directories(layout.DataDir(config), ec);
    if (ec) return Status::IOError(layout.DataDir(config).string() + ": " + ec.message());
    result.homes.push_back(home);
  }
  return result;
}

}  // namespace metaledger::node
