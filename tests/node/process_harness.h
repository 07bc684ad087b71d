#pragma once
// Helpers for tests that run real metaledger-node processes: a testnet on disk, processes
// started and signalled by pid, a tiny HTTP client for the ops endpoint, and signed transfers.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/genesis.h"
#include "core/payload/kinds.h"
#include "core/payload/payloads.h"
#include "node/home.h"

namespace metaledger::node::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline std::string NodeBinary() {
  const char* bin = std::getenv("METALEDGER_BIN");
  return std::string(bin ? bin : "bin") + "/metaledger-node";
}

struct HttpResult {
  int status = 0;
  std::string body;
  nlohmann::json Json() const {
    return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  }
};

inline HttpResult Http(uint16_t port, const std::string& method, const std::string& path,
                       const std::string& body = "") {
  namespace asio = boost::asio;
  HttpResult r;
  try {
    asio::io_context io;
    asio::ip::tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    asio::write(s, asio::buffer(req));
    std::string resp;
    boost::system::error_code ec;
    char buf[4096];
    for (;;) {
      size_t n = s.read_some(asio::buffer(buf), ec);
      resp.append(buf, n);
      if (ec) break;
    }
    auto sp = resp.find(' ');
    if (sp == std::string::npos) return r;
    r.status = std::atoi(resp.c_str() + sp + 1);
    auto end = resp.find("\r\n\r\n");
    if (end != std::string::npos) r.body = resp.substr(end + 4);
  } catch (const std::exception&) {
    r.status = 0;  // not reachable
  }
  return r;
}

// True if `port` on 127.0.0.1 can be listened on right now.
inline bool PortFree(uint16_t port) {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::acceptor a(io);
  boost::system::error_code ec;
  a.open(asio::ip::tcp::v4(), ec);
  if (!ec) a.bind({asio::ip::make_address("127.0.0.1"), port}, ec);
  return !ec;
}

// A base port whose testnet ports (base + 10 i + {0,1,2}) are free. Slots stay below the kernel's
// ephemeral range (32768+), so client sockets cannot take a node's port between its restarts, and
// the first slot tried depends on the pid so test binaries running in parallel start apart. They
// start above scripts/demo's 10000..10929, since ctest runs the demo beside these tests.
inline uint16_t PickBasePort(uint32_t n) {
  constexpr uint32_t kFirst = 11000, kStride = 50, kSlots = (32000 - kFirst) / kStride;
  for (uint32_t k = 0; k < kSlots; ++k) {
    uint32_t base = kFirst + ((static_cast<uint32_t>(::getpid()) + k) % kSlots) * kStride;
    bool all_free = true;
    for (uint32_t i = 0; i < n && all_free; ++i)
      for (uint32_t j = 0; j < 3 && all_free; ++j) all_free = PortFree(base + 10 * i + j);
    if (all_free) return static_cast<uint16_t>(base);
  }
  return static_cast<uint16_t>(kFirst);
}

// A testnet of `n` validators in a fresh directory, and its processes.
class ProcessCluster {
 public:
  // `testnet_args` go to `metaledger-node testnet` as they are (e.g. "--accounts FILE").
  ProcessCluster(const std::string& name, uint32_t n, const std::string& testnet_args = "")
      : n_(n) {
    dir_ = fs::temp_directory_path() / ("ml-proc-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    base_port_ = PickBasePort(n);
    std::string cmd = NodeBinary() + " testnet --validators " + std::to_string(n) + " --output " +
                      dir_.string() + " --base-port " + std::to_string(base_port_) + " " +
                      testnet_args + " > /dev/null";
    ok_ = std::system(cmd.c_str()) == 0;
    pids_.assign(n, -1);
    if (ok_) {
      auto text = ReadTextFile(dir_ / "genesis.json");
      auto g = Genesis::FromJson(*text);
      ok_ = g.ok();
      if (ok_) genesis_ = *g;
    }
  }
  ~ProcessCluster() {
    for (uint32_t i = 0; i < n_; ++i) Kill(i);
    if (!std::getenv("METALEDGER_KEEP_TEST_DIRS")) fs::remove_all(dir_);
  }
  bool ok() const { return ok_; }
  const Genesis& genesis() const { return genesis_; }
  uint16_t ops_port(uint32_t i) const { return static_cast<uint16_t>(base_port_ + 10 * i + 2); }
  uint16_t api_port(uint32_t i) const { return static_cast<uint16_t>(base_port_ + 10 * i + 1); }
  uint16_t p2p_port(uint32_t i) const { return static_cast<uint16_t>(base_port_ + 10 * i); }
  fs::path home(uint32_t i) const { return dir_ / ("node" + std::to_string(i)); }
  fs::path dir() const { return dir_; }

  void Start(uint32_t i) {
    std::string log = (dir_ / ("node" + std::to_string(i) + ".log")).string();
    pid_t pid = ::fork();
    if (pid == 0) {
      // Short timeouts so view changes and recovery fit the test's time budget.
      ::setenv("METALEDGER_CONSENSUS_BASE_TIMEOUT_MS", "1000", 0);
      ::setenv("METALEDGER_CONSENSUS_MAX_TIMEOUT_MS", "4000", 0);
      // Tests that wait for block windows (auctions) would spend most of their time idle at the
      // default 500 ms; the idle pace itself is tested with its own setting.
      ::setenv("METALEDGER_CONSENSUS_IDLE_BLOCK_INTERVAL_MS", "100", 0);
      FILE* f = std::freopen(log.c_str(), "a", stderr);
      (void)f;
      std::string bin = NodeBinary(), h = home(i).string();
      ::execl(bin.c_str(), bin.c_str(), "start", "--home", h.c_str(), nullptr);
      ::_exit(127);
    }
    pids_[i] = pid;
  }
  void StartAll() {
    for (uint32_t i = 0; i < n_; ++i) Start(i);
  }
  void Kill(uint32_t i) {
    if (pids_[i] <= 0) return;
    ::kill(pids_[i], SIGKILL);
    ::waitpid(pids_[i], nullptr, 0);
    pids_[i] = -1;
  }
  // SIGTERM; returns the exit status if the process exits within `limit`, else kills it.
  std::optional<int> Terminate(uint32_t i, std::chrono::milliseconds limit) {
    if (pids_[i] <= 0) return std::nullopt;
    ::kill(pids_[i], SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pids_[i], &status, WNOHANG) == pids_[i]) {
        pids_[i] = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(20ms);
    }
    Kill(i);
    return std::nullopt;
  }

  nlohmann::json Status(uint32_t i) const {
    HttpResult r = Http(ops_port(i), "GET", "/status");
    if (r.status != 200) return nlohmann::json();
    return r.Json();
  }
  uint64_t Height(uint32_t i) const {
    auto s = Status(i);
    return s.is_object() ? s["height"].get<uint64_t>() : 0;
  }
  // Every node of the cluster has certified at least `height`.
  bool AllAtLeast(uint64_t height) const {
    for (uint32_t i = 0; i < n_; ++i)
      if (Height(i) < height) return false;
    return true;
  }

  PrivateKey AccountKey(const std::string& name) const {
    return ReadKeyFile(dir_ / "accounts" / (name + ".key"))->key;
  }
  // A signed TRANSFER from `from` as canonical hex.
  std::string Transfer(const PrivateKey& from, const PublicKey& to, uint64_t nonce,
                       uint64_t amount) const {
    Transaction tx;
    tx.chain_id = genesis_.chain_id;
    tx.nonce = nonce;
    tx.kind = static_cast<uint16_t>(TxKind::TRANSFER);
    tx.payload = Encode(TransferPayload{AddressOf(to), amount});
    tx.Sign(from);
    return ToHex(Encode(tx));
  }

 private:
  uint32_t n_;
  fs::path dir_;
  uint16_t base_port_ = 0;
  bool ok_ = false;
  Genesis genesis_;
  std::vector<pid_t> pids_;
};

// Submits `count` transfers of `amount` from account `sender` (nonces from `first_nonce`) to
// auditor-1 through node `at`'s legacy POST /tx; returns the hashes it accepted.
inline std::vector<std::string> SubmitTransfers(ProcessCluster& c, uint32_t at,
                                                const std::string& sender, uint64_t first_nonce,
                                                uint64_t count, uint64_t amount = 5) {
  PrivateKey from = c.AccountKey(sender);
  PublicKey to = c.AccountKey("auditor-1").public_key();
  std::vector<std::string> hashes;
  for (uint64_t i = 0; i < count; ++i) {
    HttpResult r =
        Http(c.ops_port(at), "POST", "/tx", c.Transfer(from, to, first_nonce + i, amount));
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status == 200) hashes.push_back(r.Json()["tx_hash"].get<std::string>());
  }
  return hashes;
}

// Every node in `nodes` reports every transaction in `hashes` as certified.
inline bool AllFound(ProcessCluster& c, const std::vector<uint32_t>& nodes,
                     const std::vector<std::string>& hashes) {
  for (uint32_t n : nodes) {
    for (const std::string& h : hashes) {
      if (Http(c.ops_port(n), "GET", "/tx/" + h).status != 200) return false;
    }
  }
  return true;
}

template <typename Pred>
bool Eventually(Pred pred, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return pred();
}

}  // namespace metaledger::node::testing
