// Crash safety with real processes: a child commits blocks in a loop and is SIGKILLed at random
// moments. After each kill the store must reopen at a complete block: block, tx index, state
// and root equal a replay of the chain from scratch, and nothing of the next height exists.
// At least 50 kills normally; METALEDGER_LONG=1 runs 400.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "storage/ledger_store.h"
#include "tests/storage/test_chain.h"
#include "tests/storage/test_dir.h"

namespace metaledger::storage {
namespace {

using Model = std::map<Bytes, Bytes, BytesLess>;

std::string ChildPath() {
  const char* bin = std::getenv("METALEDGER_BIN");
  return std::string(bin ? bin : ".") + "/storage_crash_child";
}

// The child seals the transaction index every 2 blocks, so kills land in seals too.
constexpr size_t kSealEntries = 16;

// Starts the child with its stdout on a pipe; *progress_fd reads one byte per commit.
pid_t Spawn(const std::string& db, uint64_t seed, int* progress_fd) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::string exe = ChildPath();
    std::string seed_arg = std::to_string(seed);
    std::string seal_arg = std::to_string(kSealEntries);
    execl(exe.c_str(), exe.c_str(), db.c_str(), seed_arg.c_str(), seal_arg.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  *progress_fd = fds[0];
  return pid;
}

// Replays the chain incrementally as the store grows.
class Replay {
 public:
  explicit Replay(const testing::ChainGenerator& gen) : gen_(gen) {
    testing::ApplyWrites(model_, testing::TestGenesisWrites());
  }

  // Advances to `height`, checking every block on the way; returns "" if all matched.
  std::string AdvanceAndCheck(LedgerStore& store, uint64_t height) {
    if (height < height_) return "height went back from " + std::to_string(height_);
    if (height_ == 0 && parent_.IsZero()) parent_ = store.GetBlock(0)->Hash(testing::kChainId);
    while (height_ < height) {
      last_ = gen_.Make(height_ + 1, parent_);
      ++height_;
      parent_ = last_.block.Hash(testing::kChainId);
      testing::ApplyWrites(model_, last_.result.writes);
      auto b = store.GetBlock(height_);
      if (!b.ok() || *b != last_.block) return "block " + std::to_string(height_) + " differs";
      for (size_t i = 0; i < last_.txs.size(); ++i) {
        auto loc = store.GetTxLocation(last_.txs[i].Hash());
        if (!loc.ok() || loc->height != height_ || loc->index != i) {
          return "tx index of block " + std::to_string(height_) + " differs";
        }
      }
      auto root = store.state_root(height_);
      if (!root.ok() || *root != testing::ReferenceRoot(model_)) {
        return "state root " + std::to_string(height_) + " differs";
      }
    }
    if (height_ > 0) {
      auto txs = store.GetTxs(height_);
      if (!txs.ok() || *txs != last_.txs) return "transactions of the last block differ";
      for (size_t i = 0; i < last_.txs.size(); ++i) {
        auto loc = store.GetTxLocation(last_.txs[i].Hash());
        if (!loc.ok() || loc->height != height_ || loc->index != i) return "tx index differs";
      }
      auto cert = store.GetCert(height_);
      if (!cert.ok() || cert->block_hash != parent_) return "certificate differs";
    }
    for (size_t k = 0; k < gen_.params().key_space; ++k) {
      Bytes key = ToBytes("k/" + std::to_string(k));
      auto got = store.LatestState().Get(key);
      auto it = model_.find(key);
      auto want = it == model_.end() ? std::nullopt : std::optional<Bytes>(it->second);
      if (!got.ok() || *got != want) return "state of " + std::string(key.begin(), key.end());
    }
    if (store.GetBlock(height_ + 1).ok() || store.state_root(height_ + 1).ok() ||
        store.GetCert(height_ + 1).ok()) {
      return "half-written height " + std::to_string(height_ + 1);
    }
    return "";
  }

 private:
  const testing::ChainGenerator& gen_;
  Model model_;
  uint64_t height_ = 0;
  Hash256 parent_;
  testing::TestBlock last_;
};

TEST(CrashSafety, SigkillAtRandomMomentsLeavesACompleteBlock) {
  ASSERT_EQ(access(ChildPath().c_str(), X_OK), 0) << ChildPath() << " is missing";
  const bool long_mode =
      std::getenv("METALEDGER_LONG") && std::string(std::getenv("METALEDGER_LONG")) == "1";
  const int kills = long_mode ? 400 : 60;
  testing::TempDir dir;
  const std::string db = dir.Sub("db");
  const uint64_t seed = 42;
  testing::ChainParams params;
  params.seed = seed;
  testing::ChainGenerator gen(params);
  Replay replay(gen);
  const uint64_t timing_seed = std::random_device{}();
  std::printf("kill timing seed %llu\n", static_cast<unsigned long long>(timing_seed));
  std::mt19937_64 rng(timing_seed);
  int killed_while_running = 0;
  uint64_t previous = 0;
  for (int i = 0; i < kills; ++i) {
    int progress = -1;
    pid_t pid = Spawn(db, seed, &progress);
    ASSERT_GT(pid, 0);
    // Mostly after a few commits, then somewhere inside the next one; sometimes while the child
    // is still opening (recovering) the store.
    const uint64_t wait_commits = rng() % 8;
    char byte;
    for (uint64_t c = 0; c < wait_commits; ++c) {
      ASSERT_EQ(read(progress, &byte, 1), 1) << "child stopped before commit " << c;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 4'000));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    close(progress);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
      ++killed_while_running;
    } else {
      FAIL() << "child exited on its own with status " << status;
    }
    StoreOptions options;
    options.tx_index_seal_entries = kSealEntries;
    auto store =
        LedgerStore::Open(db, testing::TestGenesis(), testing::TestGenesisWrites(), options);
    ASSERT_TRUE(store.ok()) << "after kill " << i << ": " << store.status().ToString();
    const uint64_t h = (*store)->last_height();
    std::string problem = replay.AdvanceAndCheck(**store, h);
    ASSERT_EQ(problem, "") << "after kill " << i << " at height " << h;
    // The safety record is written before each block, so it is never behind the height.
    auto safety = (*store)->LoadSafety();
    ASSERT_TRUE(safety.ok());
    if (h > 0) {
      ASSERT_TRUE(safety->has_value());
      EXPECT_GE(std::stoull(std::string((*safety)->begin(), (*safety)->end())), h);
    }
    previous = h;
  }
  std::printf("%d kills, last height %llu\n", killed_while_running,
              static_cast<unsigned long long>(previous));
  EXPECT_EQ(killed_while_running, kills);
  EXPECT_GT(previous, 20u) << "the children hardly committed anything";
}

}  // namespace
}  // namespace metaledger::storage
