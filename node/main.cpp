// metaledger-node: the operator's command line. Exceptions stop here; library code returns Status.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "core/genesis.h"
#include "node/home.h"
#include "node/testnet.h"
#ifdef METALEDGER_NODE_FULL
#include "node/backup.h"
#include "node/daemon.h"
#endif

namespace fs = std::filesystem;
using namespace metaledger;
using namespace metaledger::node;

namespace {

int Fail(const Status& s) {
  std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
  switch (s.code()) {
    case StatusCode::kInvalidArgument: return 2;
    case StatusCode::kAlreadyExists: return 3;
    case StatusCode::kNotFound: return 4;
    default: return 1;
  }
}

int CmdInit(const fs::path& home, const std::string& moniker) {
  auto key = InitHome(home, moniker);
  if (!key.ok()) return Fail(key.status());
  std::printf("initialized %s\nvalidator key: %s\n", home.c_str(),
              key->key.public_key().Hex().c_str());
  std::printf("next: put the chain's genesis.json in %s\n",
              HomeLayout{home}.GenesisFile().c_str());
  return 0;
}

int CmdTestnet(const TestnetOptions& options) {
  auto result = MakeTestnet(options);
  if (!result.ok()) return Fail(result.status());
  std::printf("testnet \"%s\" with %zu validators in %s\n", result->genesis.chain_id.c_str(),
              result->homes.size(), options.output.c_str());
  for (const fs::path& home : result->homes) {
    std::printf("  metaledger-node start --home %s\n", home.c_str());
  }
  if (!result->account_names.empty()) {
    std::printf("accounts (keys in %s/accounts/NAME.key):", options.output.c_str());
    for (const std::string& n : result->account_names) std::printf(" %s", n.c_str());
    std::printf("\n");
  }
  return 0;
}

int CmdShowId(const fs::path& home) {
  HomeLayout layout{home};
  auto key = ReadKeyFile(layout.KeyFile());
  if (!key.ok()) return Fail(key.status());
  std::printf("%s\n", key->key.public_key().Hex().c_str());
  return 0;
}

int CmdGenesisValidate(const fs::path& file) {
  auto text = ReadTextFile(file);
  if (!text.ok()) return Fail(text.status());
  auto g = Genesis::FromJson(*text);
  if (!g.ok()) return Fail(g.status().Annotate(file.string()));
  std::printf("ok: chain %s, %zu validators, %zu accounts, genesis hash %s\n",
              g->chain_id.c_str(), g->validators.size(), g->accounts.size(),
              g->Hash().Hex().c_str());
  return 0;
}

#ifdef METALEDGER_NODE_FULL
int CmdSnapshot(const fs::path& home, const fs::path& output) {
  auto info = SnapshotHome(home, output);
  if (!info.ok()) return Fail(info.status());
  std::printf("snapshot of chain %s at height %llu (state root %s) in %s%s\n",
              info->chain_id.c_str(), static_cast<unsigned long long>(info->height),
              info->state_root.Hex().c_str(), output.c_str(),
              info->node_was_running ? " (taken beside the running node)" : "");
  std::printf("restore: stop the node, move its data/ledger away, copy %s/ledger there\n",
              output.c_str());
  return 0;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"MetaLedger consortium node"};
  app.require_subcommand(1);

  std::string home, moniker = "node";
  auto* init = app.add_subcommand("init", "create a home: config, validator key, data dir");
  init->add_option("--home", home, "home directory")->required();
  init->add_option("--moniker", moniker, "node name");

  TestnetOptions tn;
  std::string output, accounts;
  auto* testnet = app.add_subcommand("testnet", "create N wired validator homes on 127.0.0.1");
  testnet->add_option("--validators", tn.validators, "number of validators")->required();
  testnet->add_option("--output", output, "output directory")->required();
  testnet->add_option("--base-port", tn.base_port, "first port (node i uses base+10i..+2)");
  testnet->add_option("--chain-id", tn.chain_id, "chain id");
  testnet->add_option("--accounts", accounts, "JSON array of genesis accounts to use instead");

  auto* start = app.add_subcommand("start", "run the node until SIGINT/SIGTERM");
  start->add_option("--home", home, "home directory")->required();

  auto* show_id = app.add_subcommand("show-id", "print this validator's public key");
  show_id->add_option("--home", home, "home directory")->required();

  auto* version = app.add_subcommand("version", "print the version");

  std::string snapshot_output;
  auto* snapshot = app.add_subcommand(
      "snapshot", "back up the ledger (RocksDB checkpoint) of a running or stopped node");
  snapshot->add_option("--home", home, "home directory")->required();
  snapshot->add_option("--output", snapshot_output, "new directory for the snapshot")->required();

  std::string genesis_file;
  auto* genesis = app.add_subcommand("genesis", "genesis tools");
  genesis->require_subcommand(1);
  auto* validate = genesis->add_subcommand("validate", "check a genesis.json");
  validate->add_option("file", genesis_file, "genesis file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*init) return CmdInit(home, moniker);
    if (*testnet) {
      tn.output = output;
      if (!accounts.empty()) tn.accounts_file = accounts;
      return CmdTestnet(tn);
    }
    if (*show_id) return CmdShowId(home);
    if (*version) {
#ifdef METALEDGER_TEST_ACK_BEFORE_WRITE
      std::printf("metaledger-node 0.1.0 TEST CONTROL BUILD: acknowledges commits before writing\n");
#else
      std::printf("metaledger-node 0.1.0\n");
#endif
      return 0;
    }
    if (*validate) return CmdGenesisValidate(genesis_file);
    if (*snapshot) {
#ifdef METALEDGER_NODE_FULL
      return CmdSnapshot(home, snapshot_output);
#else
      return Fail(Status::Unavailable("this build lacks storage"));
#endif
    }
    if (*start) {
#ifdef METALEDGER_NODE_FULL
      return RunDaemon(home);
#else
      return Fail(Status::Unavailable("this build lacks storage/consensus/contracts"));
#endif
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fatal: %s\n", e.what());
    return 1;
  }
  return 0;
}
