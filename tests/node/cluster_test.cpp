// Four Node objects with in-memory stores on one io_context, talking over real 127.0.0.1
// sockets: consensus, batches, execution and commit certificates end to end, without processes.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "contracts/executor.h"
#include "contracts/queries.h"
#include "core/payload/payloads.h"
#include "node/logging.h"
#include "node/memory_chain_store.h"
#include "node/node.h"

namespace metaledger::node {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

uint16_t FreePort() {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// A MemoryChainStore behind a lock. `threaded`: the node executes and writes blocks on its
// execution thread (ChainStore::WritesOnAnotherThread), and each Prepare and Commit takes a few
// ms, as on a loaded disk, which widens the windows where a block's transactions are lent out
// of their batches and where the store's height runs ahead of the node's bookkeeping.
class TestStore final : public ChainStore {
  template <typename F>
  auto Locked(F f) const {
    std::lock_guard lock(mu_);
    return f();
  }

 public:
  TestStore(const WriteSet& genesis_state, bool threaded)
      : inner_(genesis_state), threaded_(threaded), state_(*this) {}

  uint64_t Height() const override { return Locked([&] { return inner_.Height(); }); }
  Hash256 StateRoot() const override { return Locked([&] { return inner_.StateRoot(); }); }
  const StateView& State() const override { return state_; }
  Result<Block> BlockAt(uint64_t h) const override {
    return Locked([&] { return inner_.BlockAt(h); });
  }
  Result<uint64_t> HeightOf(const Hash256& hash) const override {
    return Locked([&] { return inner_.HeightOf(hash); });
  }
  Result<CommitCert> CertAt(uint64_t h) const override {
    return Locked([&] { return inner_.CertAt(h); });
  }
  Result<std::vector<Transaction>> TxsAt(uint64_t h) const override {
    return Locked([&] { return inner_.TxsAt(h); });
  }
  Result<std::vector<uint16_t>> CodesAt(uint64_t h) const {
    return Locked([&] { return inner_.CodesAt(h); });
  }
  Result<Hash256> Prepare(const Block& block, const std::vector<Transaction>& txs,
                          std::span<const Hash256> ids, const ExecutionResult& result) override {
    if (threaded_) std::this_thread::sleep_for(3ms);
    return Locked([&] { return inner_.Prepare(block, txs, ids, result); });
  }
  Status Commit(const CommitCert& cert) override {
    Status s = Locked([&] { return inner_.Commit(cert); });
    // After the write: its height is visible to the node's thread meanwhile.
    if (threaded_) std::this_thread::sleep_for(6ms);
    return s;
  }
  bool WritesOnAnotherThread() const override { return threaded_; }
  Status SaveSafety(ByteView data) override {
    return Locked([&] { return inner_.SaveSafety(data); });
  }
  Result<std::optional<Bytes>> LoadSafety() const override {
    return Locked([&] { return inner_.LoadSafety(); });
  }

 private:
  class LockedState final : public StateView {
   public:
    explicit LockedState(const TestStore& store) : store_(store) {}
    Result<std::optional<Bytes>> Get(ByteView key) const override {
      return store_.Locked([&] { return store_.inner_.State().Get(key); });
    }

   private:
    const TestStore& store_;
  };
  mutable std::mutex mu_;
  MemoryChainStore inner_;
  const bool threaded_;
  LockedState state_;
};

struct InProcessCluster {
  // `before_start` may set up a node (fault injection) before it starts; `configure` may change
  // the test's node configuration; `threaded`: see TestStore.
  explicit InProcessCluster(size_t n, std::function<void(Node&, size_t)> before_start = {},
                            std::function<void(NodeConfig&)> configure = {},
                            bool threaded = false) {
    genesis.chain_id = "cluster-test";
    genesis.genesis_time_ms = 1'700'000'000'000;
    std::vector<Validator> vs;
    for (size_t i = 0; i < n; ++i) {
      keys.push_back(PrivateKey::Generate());
      vs.push_back({"v" + std::to_string(i), keys[i].public_key(),
                    "127.0.0.1:" + std::to_string(FreePort())});
    }
    genesis.validators = ValidatorSet(vs);
    alice = PrivateKey::Generate();
    bob = PrivateKey::Generate();
    genesis.accounts.push_back({"alice", alice.public_key(), 1'000'000, {"VSP"}, std::nullopt});
    genesis.accounts.push_back({"bob", bob.public_key(), 0, {"VSP"}, std::nullopt});
    auto state = contracts::Executor::GenesisState(genesis);
    EXPECT_TRUE(state.ok()) << state.status().ToString();
    for (size_t i = 0; i < n; ++i) {
      stores.push_back(std::make_unique<TestStore>(*state, threaded));
      NodeConfig c;
      c.moniker = "v" + std::to_string(i);
      auto hp = ParseHostPort(vs[i].p2p_address);
      c.p2p_listen = *hp;
      c.consensus_base_timeout_ms = 500;
      c.consensus_block_max_wait_ms = 20;
      c.consensus_idle_block_interval_ms = 100;
      c.p2p_reconnect_min_ms = 20;
      c.p2p_reconnect_max_ms = 200;
      if (configure) configure(c);
      nodes.push_back(std::make_unique<Node>(io, c, genesis, keys[i], *stores[i]));
    }
    if (before_start) {
      for (size_t i = 0; i < n; ++i) before_start(*nodes[i], i);
    }
    asio::post(io, [this] {
      for (auto& node : nodes) EXPECT_TRUE(node->Start().ok());
    });
    thread = std::thread([this] { io.run(); });
  }
  ~InProcessCluster() {
    asio::post(io, [this] {
      for (auto& node : nodes) node->Stop();
    });
    std::this_thread::sleep_for(50ms);
    work.reset();
    io.stop();
    thread.join();
  }
  Bytes Transfer(uint64_t nonce, uint64_t amount) {
    Transaction tx;
    tx.chain_id = genesis.chain_id;
    tx.nonce = nonce;
    tx.kind = static_cast<uint16_t>(TxKind::TRANSFER);
    TransferPayload p{AddressOf(bob.public_key()), amount};
    tx.payload = Encode(p);
    tx.Sign(alice);
    return Encode(tx);
  }

  bool WaitConnected();

  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{io.get_executor()};
  Genesis genesis;
  std::vector<PrivateKey> keys;
  PrivateKey alice, bob;
  std::vector<std::unique_ptr<TestStore>> stores;
  std::vector<std::unique_ptr<Node>> nodes;
  std::thread thread;
};

template <typename Pred>
bool WaitFor(Pred pred, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

bool InProcessCluster::WaitConnected() {
  return WaitFor(
      [&] {
        for (auto& n : nodes)
          if (n->Snapshot().peers != nodes.size() - 1) return false;
        return true;
      },
      10s);
}

template <typename F>
auto OnIo(asio::io_context& io, F f) {
  std::promise<decltype(f())> p;
  asio::post(io, [&] { p.set_value(f()); });
  return p.get_future().get();
}

TEST(InProcessClusterTest, CommitsTransactionsWithIdenticalCertificates) {
  if (getenv("NODE_TEST_DEBUG")) (void)SetupLogging("text", "debug", "");
  InProcessCluster c(4);
  constexpr uint64_t kTxs = 60;
  // One sender's transactions go to one node, so their nonces stay in order.
  for (uint64_t i = 0; i < kTxs; ++i) {
    auto id = c.nodes[1]->Submit(c.Transfer(i, 10));
    ASSERT_TRUE(id.ok()) << id.status().ToString();
  }
  EXPECT_EQ(c.nodes[1]->Submit(c.Transfer(0, 10)).status().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(WaitFor(
      [&] {
        for (auto& n : c.nodes)
          if (n->Snapshot().txs_committed < kTxs) return false;
        return true;
      },
      30s))
      << "node 0: height " << c.nodes[0]->Snapshot().height << " round "
      << c.nodes[0]->Snapshot().round << " dropped " << c.nodes[0]->Snapshot().consensus_dropped
      << " timeouts " << c.nodes[0]->Snapshot().timeouts_sent << " bad "
      << c.nodes[0]->Snapshot().bad_messages << " mempool " << c.nodes[0]->Snapshot().mempool_txs;
  // Same blocks, certificates and roots everywhere; every transfer succeeded.
  OnIo(c.io, [&]() -> int {
    uint64_t h = c.stores[0]->Height();
    for (auto& s : c.stores) h = std::min(h, s->Height());
    EXPECT_GT(h, 0u);
    uint64_t ok_codes = 0;
    for (uint64_t i = 1; i <= h; ++i) {
      auto cert0 = c.stores[0]->CertAt(i);
      EXPECT_TRUE(cert0->Verify(c.genesis.chain_id, c.genesis.validators,
                                StrictVerifier::Instance()).ok());
      for (auto& s : c.stores) {
        EXPECT_EQ(s->CertAt(i)->block_hash, cert0->block_hash) << i;
        EXPECT_EQ(s->CertAt(i)->state_root, cert0->state_root) << i;
      }
      auto codes = c.stores[0]->CodesAt(i);
      EXPECT_TRUE(codes.ok());
      if (codes.ok()) {
        for (uint16_t code : codes.value()) ok_codes += code == 0;
      }
    }
    EXPECT_EQ(ok_codes, kTxs);
    return 0;
  });
  for (auto& n : c.nodes) {
    EXPECT_EQ(n->Snapshot().state_root_mismatch, 0u);
    EXPECT_EQ(n->mempool().size(), 0u);
  }
}

// Where each transaction id was ordered in one store: (height, result code) per occurrence.
std::map<Hash256, std::vector<std::pair<uint64_t, uint16_t>>> Occurrences(
    const TestStore& store) {
  std::map<Hash256, std::vector<std::pair<uint64_t, uint16_t>>> out;
  for (uint64_t h = 1; h <= store.Height(); ++h) {
    auto txs = store.TxsAt(h);
    auto codes = store.CodesAt(h);
    EXPECT_TRUE(txs.ok() && codes.ok() && txs->size() == codes->size()) << h;
    if (!txs.ok() || !codes.ok()) continue;
    for (size_t i = 0; i < txs->size() && i < codes->size(); ++i) {
      out[(*txs)[i].Hash()].push_back({h, (*codes)[i]});
    }
  }
  return out;
}

// On the io thread: up to the lowest height any node has, every node certified the same block
// hash and state root.
void ExpectSameCertificates(InProcessCluster& c) {
  uint64_t h = c.stores[0]->Height();
  for (auto& s : c.stores) h = std::min(h, s->Height());
  for (uint64_t i = 1; i <= h; ++i) {
    for (auto& s : c.stores) {
      EXPECT_EQ(s->CertAt(i)->block_hash, c.stores[0]->CertAt(i)->block_hash) << i;
      EXPECT_EQ(s->CertAt(i)->state_root, c.stores[0]->CertAt(i)->state_root) << i;
    }
  }
}

// Transactions that ran (result OK) in `node`'s store, counting every inclusion.
uint64_t Applied(InProcessCluster& c, size_t node) {
  return OnIo(c.io, [&] {
    uint64_t ok = 0;
    for (const auto& [id, seen] : Occurrences(*c.stores[node])) {
      for (const auto& occurrence : seen) ok += occurrence.second == 0;
    }
    return ok;
  });
}

// Waits until every node's store ran `n` transactions; on failure says how many each did.
::testing::AssertionResult AllApplied(InProcessCluster& c, uint64_t n,
                                      std::chrono::milliseconds limit) {
  bool done = WaitFor(
      [&] {
        for (size_t i = 0; i < c.nodes.size(); ++i)
          if (Applied(c, i) < n) return false;
        return true;
      },
      limit);
  if (done) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure() << "applied, height per node:";
  for (size_t i = 0; i < c.nodes.size(); ++i) {
    failure << " " << Applied(c, i) << ", " << c.nodes[i]->Snapshot().height << ";";
  }
  return failure;
}

// Signs `n` transfers of one sender first, then submits them all to validator 1.
::testing::AssertionResult SendBurst(InProcessCluster& c, uint64_t n) {
  std::vector<Bytes> txs;
  for (uint64_t i = 0; i < n; ++i) txs.push_back(c.Transfer(i, 1));
  for (const Bytes& tx : txs) {
    auto submitted = c.nodes[1]->Submit(tx);
    if (!submitted.ok()) return ::testing::AssertionFailure() << submitted.status().ToString();
  }
  return ::testing::AssertionSuccess();
}

// One sender's burst, sent to one validator faster than it closes batches, spreads over many
// small batches that every other validator checks two at a time. They must still be accepted
// (and so proposed by any leader) in the order they were sent: a later nonce ordered first is
// refused and its sender's whole burst with it.
TEST(InProcessClusterTest, OneSendersBurstOverManyBatchesIsAppliedInOrder) {
  InProcessCluster c(4, {}, [](NodeConfig& config) { config.mempool_batch_max_txs = 5; });
  ASSERT_TRUE(c.WaitConnected());
  constexpr uint64_t kTxs = 400;
  ASSERT_TRUE(SendBurst(c, kTxs));
  EXPECT_TRUE(AllApplied(c, kTxs, 20s));
}

// The same burst with blocks executed and written on each node's execution thread, slowly:
// peers ask for batches whose transactions are out being executed (the answer waits for them),
// and leaders propose while the store's height is a block ahead of the node's bookkeeping.
// Every transfer must still run exactly once, with the same certificates everywhere.
TEST(InProcessClusterTest, ExecutionOnItsOwnThreadWithSlowWritesAppliesEveryTransferOnce) {
  InProcessCluster c(
      4, {}, [](NodeConfig& config) { config.mempool_batch_max_txs = 5; }, /*threaded=*/true);
  ASSERT_TRUE(c.WaitConnected());
  constexpr uint64_t kTxs = 400;
  ASSERT_TRUE(SendBurst(c, kTxs));
  ASSERT_TRUE(AllApplied(c, kTxs, 30s));
  OnIo(c.io, [&]() -> int {
    ExpectSameCertificates(c);
    for (const auto& [id, seen] : Occurrences(*c.stores[0])) {
      EXPECT_EQ(seen.size(), 1u) << "ordered at heights " << seen.front().first << ", ...";
    }
    return 0;
  });
  for (auto& n : c.nodes) {
    EXPECT_EQ(n->Snapshot().state_root_mismatch, 0u);
    EXPECT_FALSE(n->Snapshot().halted);
    EXPECT_EQ(n->Snapshot().bad_messages, 0u);
  }
}

// A validator whose commit votes carry bad signatures. A node checks a peer's commit vote only
// when a certificate would take it (the first quorum of matching votes, in voter order), so a
// bad one must be found then and give its place to the next good vote. Validator 0 is the
// faulty one: first in voter order, its votes are always among those a certificate would take.
TEST(InProcessClusterTest, BadCommitVoteSignaturesNeverEnterACertificate) {
  InProcessCluster c(4, [](Node& node, size_t i) {
    if (i == 0) node.ForgeCommitVotesForTest();
  });
  ASSERT_TRUE(c.WaitConnected());
  constexpr uint64_t kTxs = 40;
  ASSERT_TRUE(SendBurst(c, kTxs));
  ASSERT_TRUE(AllApplied(c, kTxs, 30s));
  OnIo(c.io, [&]() -> int {
    ExpectSameCertificates(c);
    for (auto& store : c.stores) {
      for (uint64_t h = 1; h <= store->Height(); ++h) {
        auto cert = store->CertAt(h);
        if (!cert.ok()) {
          ADD_FAILURE() << "no certificate at height " << h;
          continue;
        }
        EXPECT_TRUE(
            cert->Verify(c.genesis.chain_id, c.genesis.validators, StrictVerifier::Instance()).ok())
            << "height " << h;
        for (const auto& sig : cert->sigs) EXPECT_NE(sig.signer, 0u) << "height " << h;
      }
    }
    return 0;
  });
  uint64_t refused = 0;
  for (auto& n : c.nodes) {
    EXPECT_EQ(n->Snapshot().state_root_mismatch, 0u);
    EXPECT_FALSE(n->Snapshot().halted);
    refused += n->Snapshot().bad_messages;
  }
  EXPECT_GT(refused, 0u) << "no bad commit vote was ever checked: the test proved nothing";
}

// A faulty leader that proposes again the batches of the block it extends. Both blocks commit;
// the first execution drops the batch everywhere unless it is kept for the replay, and then the
// replaying block could never be executed and the whole chain would stall. The replayed
// transactions must be refused (their nonces are used), applied once, identically everywhere.
void FaultyLeaderReplayingBatches(bool threaded) {
  if (getenv("NODE_TEST_DEBUG")) (void)SetupLogging("text", "debug", "");
  InProcessCluster c(
      4,
      [](Node& node, size_t i) {
        if (i == 3) node.ReplayParentBatchesForTest();
      },
      {}, threaded);
  // A batch closed before the validators are connected reaches only its author, and a later
  // batch of the same sender could then be ordered first (and refused for its nonce).
  ASSERT_TRUE(c.WaitConnected());
  auto replays = [&] {
    return OnIo(c.io, [&] {
      size_t n = 0;
      for (const auto& [id, seen] : Occurrences(*c.stores[0])) n += seen.size() > 1;
      return n;
    });
  };
  // Spread over many blocks, so the faulty validator leads rounds whose parent carries a batch,
  // until a replay has committed (how soon depends on the rotation and the machine's speed).
  constexpr uint64_t kMinTxs = 60, kMaxTxs = 1500;
  uint64_t sent = 0;
  while (sent < kMaxTxs && (sent < kMinTxs || sent % 10 != 0 || replays() == 0)) {
    auto submitted = c.nodes[1]->Submit(c.Transfer(sent, 10));
    ASSERT_TRUE(submitted.ok()) << "transfer " << sent << " (has the chain stalled?): "
                                << submitted.status().ToString();
    ++sent;
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(AllApplied(c, sent, 60s))
      << "; codes at node 0: " << OnIo(c.io, [&] {
           std::string out;
           for (const auto& [id, seen] : Occurrences(*c.stores[0])) {
             for (const auto& [h, code] : seen) out += fmt::format("{}:{} ", h, code);
             out += "| ";
           }
           return out;
         });
  // The chain goes on after the replays.
  uint64_t base = 0;
  for (auto& n : c.nodes) base = std::max(base, n->Snapshot().height);
  ASSERT_TRUE(WaitFor(
      [&] {
        for (auto& n : c.nodes)
          if (n->Snapshot().height < base + 3) return false;
        return true;
      },
      30s));

  OnIo(c.io, [&]() -> int {
    ExpectSameCertificates(c);
    size_t replayed = 0;
    auto occurrences = Occurrences(*c.stores[0]);
    EXPECT_EQ(occurrences.size(), sent);
    for (const auto& [id, seen] : occurrences) {
      EXPECT_EQ(seen.front().second, 0) << "first occurrence at height " << seen.front().first;
      for (size_t k = 1; k < seen.size(); ++k) {
        EXPECT_EQ(seen[k].second, static_cast<uint16_t>(ErrorCode::BAD_NONCE))
            << "replay at height " << seen[k].first;
        EXPECT_GT(seen[k].first, seen[k - 1].first);
      }
      replayed += seen.size() > 1;
    }
    EXPECT_GT(replayed, 0u) << "the faulty leader never replayed a batch: the test proved nothing";
    return 0;
  });
  for (auto& n : c.nodes) {
    EXPECT_EQ(n->Snapshot().state_root_mismatch, 0u);
    EXPECT_FALSE(n->Snapshot().halted);
  }
  // Bob received each transfer once, however often it was ordered.
  auto bob = OnIo(c.io, [&] {
    return contracts::QueryAccount(c.stores[2]->State(), AddressOf(c.bob.public_key()));
  });
  ASSERT_TRUE(bob.ok() && bob->has_value());
  EXPECT_EQ((*bob)->account.balance, sent * 10);
}

TEST(InProcessClusterTest, FaultyLeaderReplayingBatchesDoesNotStallExecution) {
  FaultyLeaderReplayingBatches(/*threaded=*/false);
}

// The same with execution on its own thread: a replayed batch is lent to the first block's
// execution while the replaying block is validated and proposed.
TEST(InProcessClusterTest, FaultyLeaderReplayingBatchesWithExecutionOnItsOwnThread) {
  FaultyLeaderReplayingBatches(/*threaded=*/true);
}

}  // namespace
}  // namespace metaledger::node
