#pragma once
// `metaledger-node start`: loads the home (config, genesis, validator key), opens the ledger,
// runs the node until SIGINT/SIGTERM, then shuts down gracefully (stops intake and the network,
// lets the block in hand finish, closes RocksDB) and returns the process exit code.

#include <filesystem>

namespace metaledger::node {

int RunDaemon(const std::filesystem::path& home);

}  // namespace metaledger::node
