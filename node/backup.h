#pragma once
// Backups of a node's ledger: `metaledger-node snapshot --home DIR --output OUT`.
//
// OUT/ledger is a RocksDB checkpoint of HOME's ledger database (storage's CreateSnapshot: SST
// files hard-linked where the file system allows, the rest copied), consistent at one committed
// block, and OUT/snapshot.json describes it (chain id, genesis hash, height, state root). The
// node may be running (the database is then opened read-only beside it) or stopped.
// Restoring is copying OUT/ledger to HOME/<storage dir>/ledger of a stopped node whose genesis
// matches; it then starts at the snapshot's height and block-syncs the rest from its peers.

#include <filesystem>
#include <string>

#include "core/bytes.h"
#include "core/crypto/hash.h"
#include "core/status.h"

namespace metaledger::node {

struct SnapshotInfo {
  std::string chain_id;
  Hash256 genesis_hash;
  uint64_t height = 0;
  Hash256 state_root;
  bool node_was_running = false;  // the database was locked by a running node
};

// Refuses an `output` that exists, a home without config or genesis, and a database of another
// chain. Nothing is left in `output` when it fails.
Result<SnapshotInfo> SnapshotHome(const std::filesystem::path& home,
                                  const std::filesystem::path& output);

}  // namespace metaledger::node
