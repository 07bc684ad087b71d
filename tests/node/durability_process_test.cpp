// Crash tests on real metaledger-node processes: the leader killed repeatedly, and "no
// acknowledged commit lost" under random kill -9 cycles.
//
// The durability test is only meaningful if it can fail: build the node with
// -DMETALEDGER_TEST_ACK_BEFORE_WRITE=ON (it then reports a commit before writing its block) and
// this test must fail. How to run that control: docs/operator-guide.md, "Crash safety".
//
// METALEDGER_TEST_SEED fixes the kill schedule (the seed used is always printed);
// METALEDGER_KILL_CYCLES sets the number of kill cycles (default 6; ctest's "long" label runs 20).

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "process_harness.h"
#include "storage/ledger_store.h"
#include "storage/tx_location_merge.h"

namespace metaledger::node::testing {
namespace {

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

std::string TxHashOf(const std::string& tx_hex) {
  auto bytes = FromHex(tx_hex);
  auto tx = Decode<Transaction>(*bytes);
  return tx->Hash().Hex();
}

// ---- the leader, killed again and again ------------------------------------------------------

TEST(LeaderFailureProcessTest, KillingTheLeaderRepeatedlyKeepsTheClusterCommitting) {
  ProcessCluster c("leader", 4);
  ASSERT_TRUE(c.ok());
  c.StartAll();
  ASSERT_TRUE(Eventually([&] { return c.AllAtLeast(3); }, 20s))
      << "cluster did not start committing";

  PrivateKey from = c.AccountKey("vsp-1");
  PublicKey to = c.AccountKey("auditor-1").public_key();
  uint64_t nonce = 0;
  std::vector<std::string> all;
  std::set<uint32_t> killed;
  uint32_t rejoined = 4;  // none yet
  for (int cycle = 0; cycle < 4; ++cycle) {
    // The leader of the highest round any node that stayed up is in (a node that has just
    // restarted may still be in an old round). Rounds move on every ~50 ms, so waiting for a
    // round led by another node than the one just restarted makes each cycle kill a new leader.
    uint32_t leader = 4;
    ASSERT_TRUE(Eventually(
        [&] {
          uint64_t best_round = 0;
          leader = 4;
          for (uint32_t i = 0; i < 4; ++i) {
            if (i == rejoined) continue;
            auto st = c.Status(i);
            if (!st.is_object()) return false;
            if (leader == 4 || st["round"].get<uint64_t>() > best_round) {
              best_round = st["round"].get<uint64_t>();
              leader = st["leader"].get<uint32_t>();
            }
          }
          return leader < 4 && leader != rejoined;
        },
        10s))
        << "no round led by a node other than " << rejoined;
    c.Kill(leader);
    killed.insert(leader);
    std::vector<uint32_t> live;
    for (uint32_t i = 0; i < 4; ++i)
      if (i != leader) live.push_back(i);
    uint64_t tcs_before = 0, height_before = 0;
    for (uint32_t i : live) {
      auto s = c.Status(i);
      tcs_before += s["tcs_formed"].get<uint64_t>();
      height_before = std::max(height_before, s["height"].get<uint64_t>());
    }
    std::vector<std::string> hashes;
    for (int k = 0; k < 5; ++k) {
      HttpResult r = Http(c.ops_port(live[k % 3]), "POST", "/tx", c.Transfer(from, to, nonce++, 1));
      ASSERT_EQ(r.status, 200) << r.body;
      hashes.push_back(r.Json()["tx_hash"].get<std::string>());
    }
    bool progressed = Eventually(
        [&] {
          for (uint32_t i : live) {
            if (c.Height(i) < height_before + 3) return false;
          }
          return AllFound(c, live, hashes);
        },
        30s);
    ASSERT_TRUE(progressed) << "cycle " << cycle << ": 3 of 4 stopped committing after leader "
                            << leader << " was killed";
    uint64_t tcs_after = 0;
    for (uint32_t i : live) tcs_after += c.Status(i)["tcs_formed"].get<uint64_t>();
    EXPECT_GT(tcs_after, tcs_before) << "no view change although leader " << leader << " is down";
    c.Start(leader);
    ASSERT_TRUE(Eventually([&] { return AllFound(c, {leader}, hashes); }, 30s))
        << "restarted leader " << leader << " did not catch up";
    all.insert(all.end(), hashes.begin(), hashes.end());
    rejoined = leader;
  }
  EXPECT_GE(killed.size(), 2u) << "the leader never changed across cycles";
  // Every node certifies the same statement for every block holding one of the transfers.
  for (const std::string& h : all) {
    std::string first;
    for (uint32_t i = 0; i < 4; ++i) {
      HttpResult r = Http(c.ops_port(i), "GET", "/tx/" + h);
      ASSERT_EQ(r.status, 200);
      uint64_t height = r.Json()["height"].get<uint64_t>();
      auto cert = Http(c.ops_port(i), "GET", "/cert/" + std::to_string(height)).Json();
      std::string statement = std::to_string(height) + cert["block_hash"].get<std::string>() +
                              cert["state_root"].get<std::string>();
      if (first.empty()) first = statement;
      EXPECT_EQ(statement, first) << "node " << i << " disagrees on tx " << h;
    }
  }
}

// ---- no acknowledged commit lost -------------------------------------------------------------

// What a node told the client: "tx committed at height h, with result code c".
struct Ack {
  std::string tx;
  uint32_t node = 0;
  uint64_t height = 0;
  uint16_t code = 0;
};

// Whether a location read later still agrees with an acknowledgement. The same as it, or, when
// the acknowledged inclusion refused the transaction without running it (its nonce not yet due:
// a predecessor was lost with a killed node), a later inclusion that ran it: the resent copy.
// The index moves to the inclusion that ran (storage/tx_location_merge.h), and the refusal stays
// true of its own block.
bool AckStillHolds(const Ack& a, uint64_t height, uint16_t code) {
  if (height == a.height) return true;
  return height > a.height && !storage::RanItsTransaction({a.height, 0, a.code}) &&
         storage::RanItsTransaction({height, 0, code});
}

// A client that keeps transfers flowing to random nodes and records every acknowledgement:
// a 200 from GET /tx/<hash> (the API reporting the transaction committed) and every height a
// node reports on /status. Unacknowledged transactions are resubmitted, as a real client would.
class LoadClient {
 public:
  LoadClient(ProcessCluster& c, std::vector<std::string> senders, uint64_t seed)
      : c_(c), rng_(seed) {
    for (const std::string& s : senders) senders_.push_back({c.AccountKey(s), 0, {}});
    to_ = c.AccountKey("auditor-1").public_key();
  }
  ~LoadClient() { Stop(); }

  void Start() {
    running_ = true;
    submitter_ = std::thread([this] { SubmitLoop(); });
    poller_ = std::thread([this] { PollLoop(); });
  }
  void StopSubmitting() { submitting_ = false; }
  void Stop() {
    running_ = false;
    if (submitter_.joinable()) submitter_.join();
    if (poller_.joinable()) poller_.join();
  }

  std::vector<Ack> AcksFrom(uint32_t node) const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Ack> out;
    for (const Ack& a : acks_)
      if (a.node == node) out.push_back(a);
    return out;
  }
  std::vector<Ack> AllAcks() const {
    std::lock_guard<std::mutex> lock(mu_);
    return acks_;
  }
  uint64_t MaxReported(uint32_t node) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = max_reported_.find(node);
    return it == max_reported_.end() ? 0 : it->second;
  }
  std::vector<std::string> HeightRegressions() const {
    std::lock_guard<std::mutex> lock(mu_);
    return regressions_;
  }

 private:
  struct Pending {
    std::string hex, hash;
    std::chrono::steady_clock::time_point sent;
  };
  struct Sender {
    PrivateKey key;
    uint64_t next_nonce;
    std::vector<Pending> pending;
  };
  static constexpr size_t kOutstandingPerSender = 6;

  uint32_t RandomNode() {
    std::lock_guard<std::mutex> lock(rng_mu_);
    return static_cast<uint32_t>(rng_() % 4);
  }

  void SubmitLoop() {
    while (running_) {
      auto now = std::chrono::steady_clock::now();
      std::vector<std::string> sends;
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (Sender& s : senders_) {
          for (Pending& p : s.pending) {
            if (now - p.sent > 1500ms) {  // lost with a killed node, or still queued: resend
              p.sent = now;
              sends.push_back(p.hex);
            }
          }
          while (submitting_ && s.pending.size() < kOutstandingPerSender) {
            std::string hex = c_.Transfer(s.key, to_, s.next_nonce++, 1);
            s.pending.push_back({hex, TxHashOf(hex), now});
            sends.push_back(hex);
          }
        }
      }
      for (const std::string& hex : sends)
        (void)Http(c_.ops_port(RandomNode()), "POST", "/tx", hex);
      std::this_thread::sleep_for(20ms);
    }
  }

  void PollLoop() {
    while (running_) {
      for (uint32_t i = 0; i < 4; ++i) {
        HttpResult r = Http(c_.ops_port(i), "GET", "/status");
        if (r.status != 200) continue;
        uint64_t h = r.Json()["height"].get<uint64_t>();
        std::lock_guard<std::mutex> lock(mu_);
        uint64_t& max = max_reported_[i];
        if (h < max) {
          regressions_.push_back("node " + std::to_string(i) + " reported height " +
                                 std::to_string(h) + " after " + std::to_string(max));
        }
        max = std::max(max, h);
      }
      std::vector<std::string> hashes;
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (const Sender& s : senders_)
          for (const Pending& p : s.pending) hashes.push_back(p.hash);
      }
      for (const std::string& h : hashes) {
        uint32_t node = RandomNode();
        HttpResult r = Http(c_.ops_port(node), "GET", "/tx/" + h);
        if (r.status != 200) continue;
        uint64_t height = r.Json()["height"].get<uint64_t>();
        uint16_t code = r.Json()["code"].get<uint16_t>();
        std::lock_guard<std::mutex> lock(mu_);
        acks_.push_back({h, node, height, code});
        for (Sender& s : senders_) {
          std::erase_if(s.pending, [&](const Pending& p) { return p.hash == h; });
        }
      }
      std::this_thread::sleep_for(5ms);
    }
  }

  ProcessCluster& c_;
  PublicKey to_;
  std::mutex rng_mu_;
  std::mt19937_64 rng_;
  mutable std::mutex mu_;
  std::vector<Sender> senders_;
  std::vector<Ack> acks_;
  std::map<uint32_t, uint64_t> max_reported_;
  std::vector<std::string> regressions_;
  std::atomic<bool> running_{false}, submitting_{true};
  std::thread submitter_, poller_;
};

// Right after a kill -9 (before the node restarts and could repair itself from its peers): its
// disk holds every block it reported and every transaction it acknowledged. Returns the failures.
std::vector<std::string> CheckDurable(ProcessCluster& c, const LoadClient& load, uint32_t node) {
  std::vector<std::string> failures;
  auto store = storage::LedgerStore::OpenReadOnly((c.home(node) / "data" / "ledger").string());
  if (!store.ok()) return {"node " + std::to_string(node) + ": " + store.status().ToString()};
  uint64_t durable = (*store)->last_height(), reported = load.MaxReported(node);
  if (durable < reported) {
    failures.push_back("node " + std::to_string(node) + " reported height " +
                       std::to_string(reported) + " but its disk holds only " +
                       std::to_string(durable));
  }
  for (const Ack& a : load.AcksFrom(node)) {
    auto hash = Hash256::FromHex(a.tx);
    auto loc = (*store)->GetTxLocation(*hash);
    if (!loc.ok() || !AckStillHolds(a, loc->height, loc->code)) {
      failures.push_back("node " + std::to_string(node) + " acknowledged tx " + a.tx.substr(0, 16) +
                         " at height " + std::to_string(a.height) + ", its disk " +
                         (loc.ok() ? "has it at " + std::to_string(loc->height) : "lacks it"));
    }
  }
  return failures;
}

TEST(NoAckedCommitLostProcessTest, AcknowledgedCommitsSurviveRandomKillCycles) {
  uint64_t seed = EnvOr("METALEDGER_TEST_SEED", std::random_device{}());
  uint64_t cycles = EnvOr("METALEDGER_KILL_CYCLES", 6);
  std::printf("kill schedule seed %llu (METALEDGER_TEST_SEED=%llu reproduces it), %llu cycles\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(cycles));
  SCOPED_TRACE("METALEDGER_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  auto uniform = [&](uint64_t lo, uint64_t hi) { return lo + rng() % (hi - lo + 1); };

  ProcessCluster c("durable", 4);
  ASSERT_TRUE(c.ok());
  c.StartAll();
  ASSERT_TRUE(Eventually([&] { return c.AllAtLeast(2); }, 20s))
      << "cluster did not start committing";

  LoadClient load(c, {"vsp-1", "fl-client-1", "fl-client-2", "fl-client-3"}, seed ^ 0x5eed);
  load.Start();
  std::vector<std::string> failures;
  size_t double_kills = 0;
  auto kill_and_check = [&](const std::vector<uint32_t>& victims) {
    for (uint32_t v : victims) c.Kill(v);
    std::this_thread::sleep_for(150ms);  // replies already on the wire reach the client
    for (uint32_t v : victims) {
      auto f = CheckDurable(c, load, v);
      failures.insert(failures.end(), f.begin(), f.end());
    }
  };
  for (uint64_t cycle = 0; cycle < cycles; ++cycle) {
    std::this_thread::sleep_for(std::chrono::milliseconds(uniform(300, 1500)));
    std::vector<uint32_t> victims{static_cast<uint32_t>(uniform(0, 3))};
    if (uniform(0, 3) == 0) {  // sometimes two at once: no quorum until they are back
      victims.push_back((victims[0] + static_cast<uint32_t>(uniform(1, 3))) % 4);
      ++double_kills;
    }
    kill_and_check(victims);
    std::this_thread::sleep_for(std::chrono::milliseconds(uniform(0, 700)));
    for (uint32_t v : victims) c.Start(v);
  }
  // Finally the whole cluster at once (a site-wide power cut), at a random moment.
  std::this_thread::sleep_for(std::chrono::milliseconds(uniform(300, 1500)));
  kill_and_check({0, 1, 2, 3});
  c.StartAll();
  std::this_thread::sleep_for(1s);
  load.StopSubmitting();
  std::this_thread::sleep_for(3s);  // some of the last transactions get acknowledged too
  load.Stop();

  std::vector<Ack> acks = load.AllAcks();
  std::printf("%zu acknowledged transactions, %llu kill cycles (%zu double), final heights:",
              acks.size(), static_cast<unsigned long long>(cycles), double_kills);
  for (uint32_t i = 0; i < 4; ++i) std::printf(" %llu", (unsigned long long)c.Height(i));
  std::printf("\n");
  for (const std::string& f : failures) ADD_FAILURE() << f;
  for (const std::string& r : load.HeightRegressions()) ADD_FAILURE() << "height went back: " << r;
  EXPECT_GT(acks.size(), 20u) << "the load made too little progress to mean anything";

  // Every acknowledged transaction is on every node, where it was acknowledged (AckStillHolds).
  std::map<std::string, Ack> ack_of;
  for (const Ack& a : acks) ack_of[a.tx] = a;
  bool everywhere = Eventually(
      [&] {
        for (const auto& [tx, ack] : ack_of) {
          for (uint32_t i = 0; i < 4; ++i) {
            HttpResult r = Http(c.ops_port(i), "GET", "/tx/" + tx);
            if (r.status != 200) return false;
          }
        }
        return true;
      },
      60s);
  for (const auto& [tx, ack] : ack_of) {
    for (uint32_t i = 0; i < 4; ++i) {
      HttpResult r = Http(c.ops_port(i), "GET", "/tx/" + tx);
      if (r.status != 200) {
        ADD_FAILURE() << "acknowledged tx " << tx << " (height " << ack.height
                      << ") missing on node " << i;
      } else {
        uint64_t height = r.Json()["height"].get<uint64_t>();
        EXPECT_TRUE(AckStillHolds(ack, height, r.Json()["code"].get<uint16_t>()))
            << "tx " << tx << " acknowledged at height " << ack.height << " (code " << ack.code
            << "), node " << i << " has it at " << height;
      }
    }
  }
  EXPECT_TRUE(everywhere);

  // All nodes agree on every height they all certified.
  uint64_t common = UINT64_MAX;
  for (uint32_t i = 0; i < 4; ++i) common = std::min(common, c.Height(i));
  ASSERT_NE(common, UINT64_MAX);
  for (uint64_t h = 1; h <= common; ++h) {
    std::string first;
    for (uint32_t i = 0; i < 4; ++i) {
      auto cert = Http(c.ops_port(i), "GET", "/cert/" + std::to_string(h)).Json();
      ASSERT_TRUE(cert.is_object()) << "node " << i << " lacks the certificate of height " << h;
      std::string statement = cert["block_hash"].get<std::string>() +
                              cert["tx_root"].get<std::string>() +
                              cert["state_root"].get<std::string>();
      if (first.empty()) first = statement;
      ASSERT_EQ(statement, first) << "node " << i << " disagrees at height " << h;
    }
  }
  for (uint32_t i = 0; i < 4; ++i) {
    auto s = c.Status(i);
    EXPECT_FALSE(s["halted"].get<bool>()) << "node " << i;
    EXPECT_EQ(s["state_root_mismatch"].get<uint64_t>(), 0u) << "node " << i;
  }
}

}  // namespace
}  // namespace metaledger::node::testing
