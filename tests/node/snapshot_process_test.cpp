// `metaledger-node snapshot`: backups of a running and of a stopped node, and a node restored
// from one starts at the snapshot's height and catches up with its peers.

#include <gtest/gtest.h>

#include "process_harness.h"

namespace metaledger::node::testing {
namespace {

// Runs `metaledger-node snapshot`; returns the exit code.
int Snapshot(const fs::path& home, const fs::path& output) {
  std::string cmd = NodeBinary() + " snapshot --home " + home.string() + " --output " +
                    output.string() + " > /dev/null 2>&1";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

nlohmann::json SnapshotInfo(const fs::path& output) {
  auto text = ReadTextFile(output / "snapshot.json");
  return text.ok() ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
}

TEST(SnapshotProcessTest, BackupOfRunningAndStoppedNodeAndRestore) {
  ProcessCluster c("snapshot", 4);
  ASSERT_TRUE(c.ok());
  c.StartAll();
  ASSERT_TRUE(Eventually([&] { return c.AllAtLeast(2); }, 20s))
      << "cluster did not start committing";
  auto before = SubmitTransfers(c, 0, "vsp-1", 0, 10);
  ASSERT_EQ(before.size(), 10u);
  ASSERT_TRUE(Eventually([&] { return AllFound(c, {0, 1, 2, 3}, before); }, 30s));
  uint64_t height_with_txs = c.Height(3);

  // A running node: the database is locked, the snapshot is taken beside it.
  fs::path running = c.dir() / "snap-running";
  ASSERT_EQ(Snapshot(c.home(3), running), 0);
  auto info = SnapshotInfo(running);
  ASSERT_TRUE(info.is_object());
  EXPECT_TRUE(info["node_was_running"].get<bool>());
  EXPECT_EQ(info["chain_id"].get<std::string>(), c.genesis().chain_id);
  uint64_t snap_height = info["height"].get<uint64_t>();
  EXPECT_GE(snap_height, height_with_txs);
  EXPECT_TRUE(fs::exists(running / "ledger" / "CURRENT"));
  EXPECT_NE(Snapshot(c.home(3), running), 0) << "an existing output was overwritten";
  EXPECT_NE(Snapshot(c.dir() / "no-such-home", c.dir() / "snap-x"), 0);
  EXPECT_FALSE(fs::exists(c.dir() / "snap-x"));

  // A stopped node.
  ASSERT_TRUE(c.Terminate(3, 10s).has_value());
  uint64_t stopped_height = 0;
  fs::path stopped = c.dir() / "snap-stopped";
  ASSERT_EQ(Snapshot(c.home(3), stopped), 0);
  info = SnapshotInfo(stopped);
  ASSERT_TRUE(info.is_object());
  EXPECT_FALSE(info["node_was_running"].get<bool>());
  stopped_height = info["height"].get<uint64_t>();
  EXPECT_GE(stopped_height, snap_height);

  // The cluster moves on without node 3; its disk is lost and restored from the older backup.
  auto after = SubmitTransfers(c, 1, "vsp-1", 10, 10);
  ASSERT_EQ(after.size(), 10u);
  ASSERT_TRUE(Eventually([&] { return AllFound(c, {0, 1, 2}, after); }, 30s));
  fs::path ledger = c.home(3) / "data" / "ledger";
  fs::remove_all(ledger);
  fs::copy(running / "ledger", ledger, fs::copy_options::recursive);
  c.Start(3);
  nlohmann::json first;
  ASSERT_TRUE(Eventually(
      [&] {
        first = c.Status(3);
        return first.is_object();
      },
      20s))
      << "the restored node did not start";
  EXPECT_GE(first["height"].get<uint64_t>(), snap_height) << "restored node lost the snapshot";
  ASSERT_TRUE(Eventually([&] { return AllFound(c, {3}, before) && AllFound(c, {3}, after); }, 40s))
      << "the restored node did not catch up";
  // It started from the snapshot, not from genesis: it synced fewer blocks than it holds.
  auto s = c.Status(3);
  EXPECT_LT(s["blocks_synced"].get<uint64_t>(), s["height"].get<uint64_t>() - snap_height + 1);
  for (const std::string& h : after) {
    auto a = Http(c.ops_port(0), "GET", "/tx/" + h).Json();
    auto b = Http(c.ops_port(3), "GET", "/tx/" + h).Json();
    EXPECT_EQ(a["height"], b["height"]);
    auto ca = Http(c.ops_port(0), "GET", "/cert/" + a["height"].dump()).Json();
    auto cb = Http(c.ops_port(3), "GET", "/cert/" + b["height"].dump()).Json();
    EXPECT_EQ(ca["state_root"], cb["state_root"]);
    EXPECT_EQ(ca["block_hash"], cb["block_hash"]);
  }
  EXPECT_FALSE(s["halted"].get<bool>());
}

}  // namespace
}  // namespace metaledger::node::testing
