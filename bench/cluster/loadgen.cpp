// metaledger-loadgen: drives a running cluster through the nodes' bench gateways
// (node/p2p/client_gateway.h) and reports committed transactions per second, commit latency
// percentiles and CPU / resident memory per node process. See bench/cluster/README.md.
//
//   metaledger-loadgen accounts --count N --out FILE     genesis accounts for `testnet --accounts`
//   metaledger-loadgen run --gateways H:P,... [--outstanding N | --rate R] [--mode real|unsigned]
//
// One thread, non-blocking sockets and poll(): the generator must cost the 2 shared cores as
// little as possible. In real mode every transaction is signed before the clock starts.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "bench/cluster/loadgen_stats.h"
#include "core/payload/payloads.h"
#include "core/transaction.h"

using namespace metaledger;
using namespace metaledger::bench;
using Clock = std::chrono::steady_clock;

namespace {

PrivateKey AccountKey(uint64_t i) {
  std::string tag = "metaledger/bench-account/" + std::to_string(i);
  Hash256 seed = Sha256(ByteView(reinterpret_cast<const uint8_t*>(tag.data()), tag.size()));
  return *PrivateKey::FromSeed(seed.view());
}

int Accounts(uint64_t count, const std::string& out) {
  nlohmann::json arr = nlohmann::json::array();
  for (uint64_t i = 0; i < count; ++i) {
    arr.push_back({{"name", "bench" + std::to_string(i)},
                   {"public_key", AccountKey(i).public_key().Hex()},
                   {"balance", "1000000000000"},
                   {"roles", nlohmann::json::array()}});
  }
  std::ofstream f(out);
  f << arr.dump(1) << "\n";
  if (!f) {
    std::fprintf(stderr, "cannot write %s\n", out.c_str());
    return 1;
  }
  return 0;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

struct Conn {
  int fd = -1;
  Bytes out;  // frames not yet written
  size_t out_pos = 0;
  Bytes in;  // replies not yet parsed
  uint64_t outstanding = 0;
};

struct Pending {
  double sent_s;
  uint32_t account;  // real mode: the account to release; UINT32_MAX otherwise
};

struct Args {
  std::string gateways, mode = "unsigned", chain_id = "metaledger-testnet", pids;
  uint64_t outstanding = 0, rate = 0, accounts = 4000;
  double duration = 60, warmup = 5, cooldown = 5;
  double presign_rate = 12000;  // closed loop, real mode: transfers signed per second of run
};

int ConnectTo(const Endpoint& e) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(e.port);
  if (inet_pton(AF_INET, e.host.c_str(), &a.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    std::fprintf(stderr, "cannot connect to %s:%u: %s\n", e.host.c_str(), e.port,
                 std::strerror(errno));
    std::exit(1);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  fcntl(fd, F_SETFL, O_NONBLOCK);
  return fd;
}

struct ProcSample {
  uint64_t ticks = 0, rss_kib = 0;
};
ProcSample SampleProc(const std::string& pid) {
  ProcSample s;
  if (auto t = CpuTicksFromStat(ReadFile("/proc/" + pid + "/stat"))) s.ticks = *t;
  if (auto r = RssKibFromStatus(ReadFile("/proc/" + pid + "/status"))) s.rss_kib = *r;
  return s;
}

int Run(const Args& args) {
  auto endpoints = ParseEndpoints(args.gateways);
  auto window = MeasurementWindow(args.duration, args.warmup, args.cooldown);
  if (!endpoints.ok() || !window.ok()) {
    std::fprintf(stderr, "%s\n",
                 (!endpoints.ok() ? endpoints.status() : window.status()).ToString().c_str());
    return 2;
  }
  if ((args.outstanding == 0) == (args.rate == 0)) {
    std::fprintf(stderr, "give exactly one of --outstanding (closed loop) or --rate (open loop)\n");
    return 2;
  }
  const bool real = args.mode == "real";
  if (!real && args.mode != "unsigned") {
    std::fprintf(stderr, "--mode must be real or unsigned\n");
    return 2;
  }
  const size_t n = endpoints->size();

  // Real mode: each account sends to one node, one transaction at a time (nonces in order),
  // all signed up front.
  std::vector<std::deque<Bytes>> signed_txs;
  std::vector<std::deque<uint32_t>> idle(n);  // per node: accounts with nothing in flight
  if (real) {
    double peak = args.rate ? static_cast<double>(args.rate) : args.presign_rate;
    uint64_t per_account =
        static_cast<uint64_t>(peak * args.duration / static_cast<double>(args.accounts)) + 2;
    std::fprintf(stderr, "signing %llu transfers ...\n",
                 static_cast<unsigned long long>(per_account * args.accounts));
    signed_txs.resize(args.accounts);
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (uint64_t a = t; a < args.accounts; a += threads) {
          PrivateKey key = AccountKey(a);
          Address to = AddressOf(AccountKey((a + 1) % args.accounts).public_key());
          for (uint64_t nonce = 0; nonce < per_account; ++nonce) {
            Transaction tx;
            tx.chain_id = args.chain_id;
            tx.nonce = nonce;
            tx.kind = static_cast<uint16_t>(TxKind::TRANSFER);
            TransferPayload p{to, 1};
            Writer w;
            p.Encode(w);
            tx.payload = w.Take();
            tx.Sign(key);
            signed_txs[a].push_back(Encode(tx));
          }
        }
      });
    }
    for (auto& th : pool) th.join();
    for (uint32_t a = 0; a < args.accounts; ++a) idle[a % n].push_back(a);
  }

  std::vector<Conn> conns(n);
  for (size_t i = 0; i < n; ++i) conns[i].fd = ConnectTo((*endpoints)[i]);
  std::unordered_map<Hash256, Pending, FixedBytesHash> pending;
  pending.reserve(1 << 20);

  std::vector<std::string> pids;
  {
    std::stringstream in(args.pids);
    std::string p;
    while (std::getline(in, p, ',')) {
      if (!p.empty()) pids.push_back(p);
    }
  }
  std::vector<ProcSample> at_begin(pids.size()), at_end(pids.size());
  std::vector<uint64_t> rss_peak(pids.size(), 0);
  ProcSample self_begin, self_end;
  bool begun = false, ended = false;

  Hash256 bench_sender = Sha256(ByteView(reinterpret_cast<const uint8_t*>("bench"), 5));
  uint64_t counter = 0, sent = 0, refused = 0, committed_total = 0, starved = 0;
  std::vector<double> latencies_ms;
  uint64_t committed_in_window = 0;
  std::vector<uint64_t> per_second(static_cast<size_t>(args.duration) + 1, 0);
  auto start = Clock::now();
  auto now_s = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  size_t rr = 0;

  // Appends one transaction to node i's output; false if none is available (real mode).
  auto submit = [&](size_t i, double t) -> bool {
    Bytes tx;
    uint32_t account = UINT32_MAX;
    if (real) {
      if (idle[i].empty()) return false;
      account = idle[i].front();
      if (signed_txs[account].empty()) return false;
      idle[i].pop_front();
      tx = std::move(signed_txs[account].front());
      signed_txs[account].pop_front();
    } else {
      Transaction c;
      c.chain_id = args.chain_id;
      std::memcpy(c.sender.data(), bench_sender.data(), Hash256::kSize);
      c.nonce = counter;
      c.kind = static_cast<uint16_t>(TxKind::TRANSFER);
      c.payload.resize(32);  // the 32-byte command: a counter, then zeros
      std::memcpy(c.payload.data(), &counter, sizeof(counter));
      std::memcpy(c.payload.data() + 8, &i, sizeof(i));
      ++counter;
      tx = Encode(c);
    }
    auto decoded = Decode<Transaction>(tx);
    Hash256 id = decoded->Hash();
    pending[id] = {t, account};
    uint32_t len = static_cast<uint32_t>(tx.size());
    Conn& c = conns[i];
    const uint8_t* lp = reinterpret_cast<const uint8_t*>(&len);
    c.out.insert(c.out.end(), lp, lp + 4);
    c.out.insert(c.out.end(), tx.begin(), tx.end());
    ++c.outstanding;
    ++sent;
    return true;
  };

  uint64_t per_node_outstanding = args.outstanding ? (args.outstanding + n - 1) / n : 0;
  std::vector<pollfd> fds(n);
  while (true) {
    double t = now_s();
    if (t >= args.duration) break;
    if (!begun && t >= window->begin_s) {
      begun = true;
      for (size_t p = 0; p < pids.size(); ++p) at_begin[p] = SampleProc(pids[p]);
      self_begin = SampleProc("self");
    }
    if (!ended && t >= window->end_s) {
      ended = true;
      for (size_t p = 0; p < pids.size(); ++p) at_end[p] = SampleProc(pids[p]);
      self_end = SampleProc("self");
    }
    // Offer load.
    if (args.outstanding) {
      for (size_t i = 0; i < n; ++i) {
        while (conns[i].outstanding < per_node_outstanding && submit(i, t)) {
        }
      }
    } else {
      uint64_t due = static_cast<uint64_t>(t * static_cast<double>(args.rate));
      while (sent + starved < due) {
        bool ok = false;
        for (size_t k = 0; k < n && !ok; ++k) ok = submit((rr + k) % n, t);
        rr = (rr + 1) % n;
        if (!ok) ++starved;  // real mode: every account of every node has a tx in flight
      }
    }
    for (size_t i = 0; i < n; ++i) {
      fds[i].fd = conns[i].fd;
      fds[i].events = POLLIN | (conns[i].out_pos < conns[i].out.size() ? POLLOUT : 0);
    }
    ::poll(fds.data(), n, 1);
    for (size_t i = 0; i < n; ++i) {
      Conn& c = conns[i];
      if (fds[i].revents & (POLLERR | POLLHUP)) {
        std::fprintf(stderr, "connection to node %zu lost\n", i);
        return 1;
      }
      if (c.out_pos < c.out.size()) {
        ssize_t w = ::send(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
        if (w > 0) c.out_pos += static_cast<size_t>(w);
        if (c.out_pos == c.out.size()) {
          c.out.clear();
          c.out_pos = 0;
        } else if (c.out_pos > (1u << 20)) {
          c.out.erase(c.out.begin(), c.out.begin() + static_cast<std::ptrdiff_t>(c.out_pos));
          c.out_pos = 0;
        }
      }
      if (fds[i].revents & POLLIN) {
        uint8_t buf[65536];
        ssize_t r;
        while ((r = ::recv(c.fd, buf, sizeof(buf), 0)) > 0) c.in.insert(c.in.end(), buf, buf + r);
        double tc = now_s();
        size_t pos = 0;
        for (; pos + 33 <= c.in.size(); pos += 33) {
          uint8_t code = c.in[pos];
          Hash256 id;
          std::memcpy(id.data(), c.in.data() + pos + 1, Hash256::kSize);
          auto it = pending.find(id);
          if (it == pending.end()) continue;
          --c.outstanding;
          if (code == 0) {
            ++committed_total;
            if (tc < args.duration) ++per_second[static_cast<size_t>(tc)];
            if (window->Contains(tc)) {
              ++committed_in_window;
              latencies_ms.push_back((tc - it->second.sent_s) * 1000.0);
            }
          } else {
            ++refused;
          }
          if (it->second.account != UINT32_MAX) idle[i].push_back(it->second.account);
          pending.erase(it);
        }
        c.in.erase(c.in.begin(), c.in.begin() + static_cast<std::ptrdiff_t>(pos));
      }
    }
  }

  double len = window->length();
  double tps = static_cast<double>(committed_in_window) / len;
  double mean = 0;
  for (double l : latencies_ms) mean += l;
  if (!latencies_ms.empty()) mean /= static_cast<double>(latencies_ms.size());
  double p50 = Percentile(latencies_ms, 50), p90 = Percentile(latencies_ms, 90),
         p99 = Percentile(latencies_ms, 99);
  double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  nlohmann::json result = {
      {"mode", args.mode},
      {"loop", args.outstanding ? "closed" : "open"},
      {"outstanding", args.outstanding},
      {"rate", args.rate},
      {"window_s", len},
      {"committed_per_s", tps},
      {"latency_ms", {{"mean", mean}, {"p50", p50}, {"p90", p90}, {"p99", p99}}},
      {"sent", sent},
      {"committed", committed_total},
      {"refused", refused},
      {"client_starved", starved},
      {"loadgen_cpu_pct",
       100.0 * static_cast<double>(self_end.ticks - self_begin.ticks) / tick / len},
      {"loadavg", ReadFile("/proc/loadavg").substr(0, 14)}};
  nlohmann::json nodes = nlohmann::json::array();
  for (size_t p = 0; p < pids.size(); ++p) {
    nodes.push_back(
        {{"pid", pids[p]},
         {"cpu_pct", 100.0 * static_cast<double>(at_end[p].ticks - at_begin[p].ticks) / tick / len},
         {"rss_mib", static_cast<double>(at_end[p].rss_kib) / 1024.0}});
  }
  result["nodes"] = nodes;
  std::printf("%s: %s loop, %s; window %.0f s\n", args.mode.c_str(),
              args.outstanding ? "closed" : "open",
              args.outstanding ? (std::to_string(args.outstanding) + " outstanding").c_str()
                               : (std::to_string(args.rate) + " tx/s offered").c_str(),
              len);
  std::printf("  committed: %.0f tx/s; latency mean %.1f ms, p50 %.1f, p90 %.1f, p99 %.1f ms\n",
              tps, mean, p50, p90, p99);
  std::printf("  sent %llu, committed %llu, refused %llu, client-starved %llu\n",
              static_cast<unsigned long long>(sent),
              static_cast<unsigned long long>(committed_total),
              static_cast<unsigned long long>(refused), static_cast<unsigned long long>(starved));
  for (const auto& node : nodes) {
    std::printf("  node pid %s: cpu %.0f%%, rss %.0f MiB\n", node["pid"].get<std::string>().c_str(),
                node["cpu_pct"].get<double>(), node["rss_mib"].get<double>());
  }
  std::printf("  per second:");
  for (uint64_t c : per_second) std::printf(" %llu", static_cast<unsigned long long>(c));
  std::printf("\nRESULT %s\n", result.dump().c_str());
  for (Conn& c : conns) ::close(c.fd);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"metaledger-loadgen: cluster load generator (benchmark only)"};
  app.require_subcommand(1);
  uint64_t count = 4000;
  std::string out;
  auto* accounts = app.add_subcommand("accounts", "write genesis accounts for testnet --accounts");
  accounts->add_option("--count", count, "number of funded bench accounts");
  accounts->add_option("--out", out, "output JSON file")->required();
  Args args;
  auto* run = app.add_subcommand("run", "drive the cluster and print figures");
  run->add_option("--gateways", args.gateways, "host:port of each node's [bench] gateway")
      ->required();
  run->add_option("--mode", args.mode, "real (signed transfers) or unsigned (32-byte commands)");
  run->add_option("--chain-id", args.chain_id, "chain id of the testnet");
  run->add_option("--outstanding", args.outstanding, "closed loop: requests in flight in total");
  run->add_option("--rate", args.rate, "open loop: transactions per second offered");
  run->add_option("--accounts", args.accounts, "real mode: bench accounts in the genesis");
  run->add_option("--duration", args.duration, "seconds of load in total");
  run->add_option("--warmup", args.warmup, "first seconds not measured");
  run->add_option("--cooldown", args.cooldown, "last seconds not measured");
  run->add_option("--presign-rate", args.presign_rate,
                  "real mode, closed loop: sign this many transfers per second of --duration");
  run->add_option("--pids", args.pids, "node process ids for CPU and RSS, comma separated");
  CLI11_PARSE(app, argc, argv);
  if (accounts->parsed()) return Accounts(count, out);
  return Run(args);
}
