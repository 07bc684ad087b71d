#pragma once
// `metaledger-node testnet`: N validator homes sharing one genesis, wired to each other on
// 127.0.0.1, plus (unless the caller brings its own accounts) one funded account per role with
// its key in OUTPUT/accounts/NAME.key.
//
// Ports: node i listens for P2P on base_port + 10 i, serves the API on base_port + 10 i + 1
// and ops on base_port + 10 i + 2.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/genesis.h"

namespace metaledger::node {

struct TestnetOptions {
  uint32_t validators = 4;
  std::filesystem::path output;
  uint16_t base_port = 26600;
  std::string chain_id = "metaledger-testnet";
  std::optional<std::filesystem::path> accounts_file;  // JSON array in genesis account form
  uint64_t genesis_time_ms = 0;                        // 0 = now
  uint64_t balance = 1'000'000'000'000;                // per generated account
};

struct TestnetResult {
  Genesis genesis;
  std::vector<std::filesystem::path> homes;
  std::vector<std::string> account_names;  // generated accounts (empty with accounts_file)
};

Result<TestnetResult> MakeTestnet(const TestnetOptions& options);

}  // namespace metaledger::node
