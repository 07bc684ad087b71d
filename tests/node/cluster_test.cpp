// Four Node objects with in-memory stores on one io_context, talking over real 127.0.0.1
// sockets: consensus, batches, execution and commit certificates end to end, without processes.

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "contracts/executor.h"
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

struct InProcessCluster {
  explicit InProcessCluster(size_t n) {
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
      stores.push_back(std::make_unique<MemoryChainStore>(*state));
      NodeConfig c;
      c.moniker = "v" + std::to_string(i);
      auto hp = ParseHostPort(vs[i].p2p_address);
      c.p2p_listen = *hp;
      c.consensus_base_timeout_ms = 500;
      c.consensus_block_max_wait_ms = 20;
      c.consensus_idle_block_interval_ms = 100;
      c.p2p_reconnect_min_ms = 20;
      c.p2p_reconnect_max_ms = 200;
      nodes.push_back(std::make_unique<Node>(io, c, genesis, keys[i], *stores[i]));
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

  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{io.get_executor()};
  Genesis genesis;
  std::vector<PrivateKey> keys;
  PrivateKey alice, bob;
  std::vector<std::unique_ptr<MemoryChainStore>> stores;
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

}  // namespace
}  // namespace metaledger::node
