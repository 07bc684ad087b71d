// Simulated power loss: a FileSystem wrapper drops everything not synced at a random moment.
// After each loss the store must reopen at a complete block at or after the last one CommitBlock
// acknowledged, and the safety record must be the last acknowledged one. The control run skips
// fsync and must be caught losing acknowledged blocks, proving the check can fail.

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <set>

#include "storage/ledger_store.h"
#include "tests/storage/fault_fs.h"
#include "tests/storage/test_chain.h"
#include "tests/storage/test_dir.h"

namespace metaledger::storage {
namespace {

using testing::ChainGenerator;
using testing::ChainParams;
using testing::FaultFs;
using Model = std::map<Bytes, Bytes, BytesLess>;

struct TrialResult {
  int cuts = 0;
  int acked_blocks = 0;
  int lost_acked = 0;    // reopened below the last acknowledged height
  int lost_safety = 0;   // safety record older than the last acknowledged one
  int lost_pending = 0;  // a pending block saved before an acknowledged safety record is gone
  int inconsistent = 0;  // anything else wrong after recovery
  std::string first_problem;
};

// Checks the recovered store against a replay of the deterministic chain; returns "" if fine.
std::string CheckRecovered(LedgerStore& store, const ChainGenerator& gen) {
  const uint64_t h = store.last_height();
  Model model;
  testing::ApplyWrites(model, testing::TestGenesisWrites());
  Hash256 parent = store.GetBlock(0)->Hash(testing::kChainId);
  testing::TestBlock tb;
  for (uint64_t i = 1; i <= h; ++i) {
    tb = gen.Make(i, parent);
    parent = tb.block.Hash(testing::kChainId);
    testing::ApplyWrites(model, tb.result.writes);
  }
  auto stored = store.GetBlock(h);
  if (!stored.ok()) return "block " + std::to_string(h) + ": " + stored.status().ToString();
  if (h > 0 && *stored != tb.block) return "block " + std::to_string(h) + " differs from replay";
  auto root = store.state_root(h);
  if (!root.ok() || *root != testing::ReferenceRoot(model)) return "state root differs";
  for (const auto& [k, v] : model) {
    auto got = store.LatestState().Get(k);
    if (!got.ok() || *got != std::optional<Bytes>(v)) return "state value differs";
  }
  // Every transaction's location, whether sealed into the family or rebuilt from the blocks.
  parent = store.GetBlock(0)->Hash(testing::kChainId);
  for (uint64_t i = 1; i <= h; ++i) {
    testing::TestBlock replayed = gen.Make(i, parent);
    parent = replayed.block.Hash(testing::kChainId);
    for (size_t t = 0; t < replayed.txs.size(); ++t) {
      auto loc = store.GetTxLocation(replayed.txs[t].Hash());
      if (!loc.ok() || loc->height != i || loc->index != t) {
        return "tx index of block " + std::to_string(i) + " differs";
      }
    }
  }
  if (store.GetBlock(h + 1).ok() || store.state_root(h + 1).ok() || store.GetCert(h + 1).ok()) {
    return "data of an uncommitted height " + std::to_string(h + 1);
  }
  return "";
}

TrialResult RunPowerLossTrial(bool sync_writes, int cuts, uint64_t seed) {
  testing::TempDir dir;
  const std::string path = dir.Sub("db");
  auto fs = std::make_shared<FaultFs>();
  StoreOptions options;
  options.sync_writes = sync_writes;
  options.file_system = fs;
  options.tx_index_seal_entries = 10;  // 6 transactions a block: power cuts land in seals too
  ChainGenerator gen(ChainParams{.seed = seed, .txs_per_block = 6, .key_space = 120});
  std::mt19937_64 rng(seed);
  TrialResult out;
  uint64_t acked_height = 0;
  uint64_t acked_safety = 0;
  // SavePendingBlock does not sync; the next SaveSafety syncs the WAL past it.
  std::set<Hash256> covered_pending;
  auto note = [&out](int& counter, std::string what) {
    ++counter;
    if (out.first_problem.empty()) out.first_problem = std::move(what);
  };
  for (int cut = 0; cut < cuts; ++cut) {
    auto store =
        LedgerStore::Open(path, testing::TestGenesis(), testing::TestGenesisWrites(), options);
    if (!store.ok()) {
      note(out.inconsistent, "reopen failed: " + store.status().ToString());
      return out;
    }
    LedgerStore& s = **store;
    if (s.last_height() < acked_height) {
      note(out.lost_acked, "reopened at " + std::to_string(s.last_height()) + " after acking " +
                               std::to_string(acked_height));
    }
    auto safety = s.LoadSafety();
    uint64_t safety_round = 0;
    if (safety.ok() && *safety)
      safety_round = std::stoull(std::string(safety->value().begin(), safety->value().end()));
    if (safety_round < acked_safety) note(out.lost_safety, "safety record went back");
    if (auto pending = s.LoadPendingBlocks(); pending.ok()) {
      std::set<Hash256> found;
      for (const Block& b : *pending) found.insert(b.Hash(testing::kChainId));
      for (const Hash256& h : covered_pending) {
        if (sync_writes && !found.contains(h)) note(out.lost_pending, "pending block lost");
      }
      covered_pending = std::move(found);
    } else {
      note(out.inconsistent, "pending blocks: " + pending.status().ToString());
    }
    if (std::string problem = CheckRecovered(s, gen); !problem.empty()) {
      note(out.inconsistent, problem);
    }
    // The recovered state is the new truth (the control run may legitimately be behind).
    acked_height = s.last_height();
    acked_safety = safety_round;

    fs->PowerCutAfter(1 + static_cast<int64_t>(rng() % 60));
    for (int i = 0; i < 40; ++i) {
      const uint64_t next = s.last_height() + 1;
      testing::TestBlock pending = gen.Make(next, s.GetBlock(next - 1)->Hash(testing::kChainId));
      pending.block.header.round += 1000;  // not the block CommitNext will make
      if (!s.SavePendingBlock(pending.block).ok()) break;
      std::string round = std::to_string(acked_safety + 1);
      if (!s.SaveSafety(AsBytes(round)).ok()) break;
      acked_safety += 1;
      covered_pending.insert(pending.block.Hash(testing::kChainId));
      if (!testing::CommitNext(s, gen).ok()) break;
      acked_height = s.last_height();
      ++out.acked_blocks;
    }
    fs->PowerCut();  // if the countdown did not fire, cut now
    store->reset();
    fs->DropUnsyncedData();
    fs->PowerOn();
    ++out.cuts;
  }
  return out;
}

int Cuts() {
  return std::getenv("METALEDGER_LONG") && std::string(std::getenv("METALEDGER_LONG")) == "1" ? 400
                                                                                              : 40;
}

TEST(PowerLoss, SyncedCommitsSurvive) {
  TrialResult r = RunPowerLossTrial(/*sync_writes=*/true, Cuts(), 7);
  std::printf("sync: %d cuts, %d acknowledged blocks, %d lost\n", r.cuts, r.acked_blocks,
              r.lost_acked);
  EXPECT_EQ(r.cuts, Cuts());
  EXPECT_GT(r.acked_blocks, 20);  // the cuts did not all happen before any commit
  EXPECT_EQ(r.lost_acked, 0) << r.first_problem;
  EXPECT_EQ(r.lost_safety, 0) << r.first_problem;
  EXPECT_EQ(r.lost_pending, 0) << r.first_problem;
  EXPECT_EQ(r.inconsistent, 0) << r.first_problem;
}

// The control: without fsync the same check must notice acknowledged blocks going missing.
TEST(PowerLoss, ControlWithoutSyncIsCaught) {
  TrialResult r = RunPowerLossTrial(/*sync_writes=*/false, 20, 11);
  std::printf(
      "control: %d cuts, %d acknowledged blocks, %d reopens below the acknowledged height\n",
      r.cuts, r.acked_blocks, r.lost_acked);
  EXPECT_GT(r.acked_blocks, 0);
  EXPECT_GT(r.lost_acked + r.lost_safety, 0)
      << "skipping fsync went unnoticed: the power-loss check cannot detect lost commits";
  // What survives is still a complete block: atomicity holds even without durability.
  EXPECT_EQ(r.inconsistent, 0) << r.first_problem;
}

}  // namespace
}  // namespace metaledger::storage
