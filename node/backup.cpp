#include "node/backup.h"

#include <nlohmann/json.hpp>

#include "contracts/executor.h"
#include "core/genesis.h"
#include "node/config.h"
#include "node/home.h"
#include "storage/ledger_store.h"

namespace metaledger::node {

namespace fs = std::filesystem;

namespace {

bool IsLockHeld(const Status& s) {
  std::string m = s.message();
  for (char& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return m.find("lock") != std::string::npos;
}

}  // namespace

Result<SnapshotInfo> SnapshotHome(const fs::path& home, const fs::path& output) {
  std::error_code ec;
  if (fs::exists(output, ec)) {
    return Status::AlreadyExists("snapshot output " + output.string() + " already exists");
  }
  HomeLayout layout{home};
  ML_ASSIGN_OR_RETURN(NodeConfig config,
                      LoadConfig(layout.ConfigFile().string(), ProcessEnvironment()));
  ML_ASSIGN_OR_RETURN(std::string genesis_text, ReadTextFile(layout.GenesisFile()));
  auto genesis = Genesis::FromJson(genesis_text);
  if (!genesis.ok()) return genesis.status().Annotate(layout.GenesisFile().string());
  fs::path db = layout.DataDir(config) / "ledger";
  if (!fs::exists(db / "CURRENT", ec)) {
    return Status::NotFound("no ledger database in " + db.string() +
                            " (has the node been started?)");
  }
  auto genesis_state = contracts::Executor::GenesisState(*genesis);
  if (!genesis_state.ok()) return genesis_state.status().Annotate("genesis state");

  SnapshotInfo info;
  storage::StoreOptions options;
  options.create_if_missing = false;
  std::unique_ptr<storage::LedgerStore> store;
  auto opened = storage::LedgerStore::Open(db.string(), *genesis, *genesis_state, options);
  if (opened.ok()) {
    store = std::move(opened).value();
  } else if (IsLockHeld(opened.status())) {
    // A running node holds the database's lock: read it beside the node. The read-only view
    // is the database as of this open, a complete committed block (one WriteBatch per block).
    auto ro = storage::LedgerStore::OpenReadOnly(db.string(), options);
    if (!ro.ok()) return ro.status().Annotate("opening the running node's ledger read-only");
    store = std::move(ro).value();
    info.node_was_running = true;
  } else {
    return opened.status().Annotate(db.string());
  }
  if (store->chain_id() != genesis->chain_id || store->genesis_hash() != genesis->Hash()) {
    return Status::FailedPrecondition("ledger in " + db.string() + " is not of chain " +
                                      genesis->chain_id);
  }
  info.chain_id = store->chain_id();
  info.genesis_hash = store->genesis_hash();
  info.height = store->last_height();
  auto root = store->state_root(info.height);
  if (!root.ok()) return root.status().Annotate("state root");
  info.state_root = *root;

  fs::create_directories(output, ec);
  if (ec) return Status::IOError("creating " + output.string() + ": " + ec.message());
  Status s = store->CreateSnapshot((output / "ledger").string());
  if (s.ok()) {
    nlohmann::json j = {{"chain_id", info.chain_id},
                        {"genesis_hash", info.genesis_hash.Hex()},
                        {"height", info.height},
                        {"state_root", info.state_root.Hex()},
                        {"node_was_running", info.node_was_running}};
    s = WriteTextFile(output / "snapshot.json", j.dump(2) + "\n");
  }
  if (!s.ok()) {
    fs::remove_all(output, ec);
    return s;
  }
  return info;
}

}  // namespace metaledger::node
