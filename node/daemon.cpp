#include "node/daemon.h"

#include <chrono>
#include <cstdio>
#include <functional>
#include <thread>

#include "contracts/executor.h"
#include "node/home.h"
#include "node/ledger_chain_store.h"
#include "node/logging.h"
#include "node/node.h"
#include "node/ops_server.h"
#include "node/p2p/client_gateway.h"
#include "node/rest/contract_views.h"
#include "node/rest/ledger_reader.h"
#include "node/rest/rest_service.h"
#include "node/rest_backend.h"

namespace metaledger::node {

namespace asio = boost::asio;

namespace {
constexpr const char* kVersion = "0.1.0";
// How long SIGTERM waits for HTTP requests in flight before cutting them.
constexpr auto kDrainTimeout = std::chrono::seconds(5);
constexpr auto kLatencySamplePeriod = std::chrono::milliseconds(20);

int Fatal(const Status& s) {
  std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
  return s.code() == StatusCode::kInvalidArgument ? 2 : 1;
}
}  // namespace

int RunDaemon(const std::filesystem::path& home) {
  HomeLayout layout{home};
  auto config = LoadConfig(layout.ConfigFile().string(), ProcessEnvironment());
  if (!config.ok()) return Fatal(config.status());
  if (Status s = SetupLogging(config->log_format, config->log_level, config->log_modules);
      !s.ok()) {
    return Fatal(s);
  }
  auto genesis_text = ReadTextFile(layout.GenesisFile());
  if (!genesis_text.ok()) return Fatal(genesis_text.status());
  auto genesis = Genesis::FromJson(*genesis_text);
  if (!genesis.ok()) return Fatal(genesis.status().Annotate(layout.GenesisFile().string()));
  auto key = ReadKeyFile(layout.KeyFile());
  if (!key.ok()) return Fatal(key.status());
  if (!genesis->validators.IndexOf(key->key.public_key())) {
    return Fatal(Status::PermissionDenied("validator key " + key->key.public_key().Hex() +
                                          " is not in the genesis validator set"));
  }
  auto genesis_state = contracts::Executor::GenesisState(*genesis);
  if (!genesis_state.ok()) return Fatal(genesis_state.status().Annotate("genesis state"));
  std::filesystem::path db = layout.DataDir(*config) / "ledger";
  auto ledger = storage::LedgerStore::Open(db.string(), *genesis, *genesis_state);
  if (!ledger.ok()) return Fatal(ledger.status().Annotate(db.string()));
  LedgerChainStore chain(**ledger);

  asio::io_context io(1);
  Node node(io, *config, *genesis, key->key, chain);
  // The REST API runs on its own thread so slow clients and RocksDB reads never delay
  // consensus; it touches Node only through its thread-safe Snapshot() and Submit().
  rest::LedgerStoreReader reader(**ledger, *genesis);
  rest::ContractQueryViews views(**ledger);
  NodeRestBackend backend(node, key->key.public_key().Hex(), kVersion);
  rest::MetricsRegistry rest_metrics;
  rest::RestOptions api_options;
  api_options.address = config->api_listen.host;
  api_options.port = config->api_listen.port;
  // One operator server on [ops] listen: /livez, /readyz, /metrics, /version from node/rest,
  // plus the node's legacy routes (/status, /tx, /tx/{hash}, /cert/{height}, /healthz). It is
  // for operators and local scripts, so it has no per-client rate limit.
  rest::RestOptions ops_options;
  ops_options.address = config->ops_listen.host;
  ops_options.port = config->ops_listen.port;
  ops_options.rate_per_second = 0;
  asio::io_context rest_io(1);  // declared before what holds timers or sockets on it
  NodeMetrics node_metrics(node, **ledger, rest_metrics);
  rest::RestService rest_service(rest_io, api_options, ops_options,
                                 {&reader, &views, &backend, &rest_metrics, kVersion,
                                  [&node_metrics] { node_metrics.Collect(); }});
  RegisterLegacyOpsRoutes(rest_service.ops_router(), node, **ledger);
  Status started;
  asio::post(io, [&] {
    started = node.Start();
    if (!started.ok()) io.stop();
  });
  // BENCHMARK ONLY ([bench] in config.toml, off by default): see bench/cluster/README.md.
  if (config->bench_unsigned_commands) {
    Log("node")->warn("BENCH MODE: unsigned commands are admitted without signature checks");
    node.mempool().EnableBenchUnsigned();
  }
  ClientGateway gateway(node);
  if (config->bench_gateway_port != 0) {
    if (Status s = gateway.Start("127.0.0.1", static_cast<uint16_t>(config->bench_gateway_port));
        !s.ok()) {
      return Fatal(s);
    }
  }
  if (Status s = rest_service.Start(); !s.ok()) {
    gateway.Stop();
    return Fatal(s.Annotate("api listen " + config->api_listen.ToString() + " / ops listen " +
                            config->ops_listen.ToString()));
  }
  Log("api")->info("REST API on {}:{}, operator endpoints on {}:{}", config->api_listen.host,
                   rest_service.api_port(), config->ops_listen.host, rest_service.ops_port());
  node_metrics.StartCommitLatencySampler(rest_io, kLatencySamplePeriod);
  std::thread rest_thread([&rest_io] { rest_io.run(); });
  // Graceful shutdown: the HTTP servers stop accepting and close idle connections while the node
  // keeps running, so requests in flight (including POST /v1/txs?wait=commit) are answered;
  // after kDrainTimeout the rest are cut. Then the node stops (the block in hand finishes).
  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::steady_timer drain_timer(io);
  auto drain_deadline = std::chrono::steady_clock::now();
  std::function<void()> wait_for_drain = [&] {
    if (rest_service.open_connections() > 0 && std::chrono::steady_clock::now() < drain_deadline) {
      drain_timer.expires_after(std::chrono::milliseconds(20));
      drain_timer.async_wait([&](boost::system::error_code ec) {
        if (!ec) wait_for_drain();
      });
      return;
    }
    Log("api")->info("HTTP drained ({} connections cut)", rest_service.open_connections());
    node.Stop();  // intake and network stop; the block in hand already finished (same thread)
    io.stop();
  };
  signals.async_wait([&](boost::system::error_code ec, int signo) {
    if (ec) return;
    Log("node")->info("signal {}: shutting down", signo);
    rest_service.BeginDrain();
    drain_deadline = std::chrono::steady_clock::now() + kDrainTimeout;
    wait_for_drain();
  });
  io.run();
  rest_service.Stop();
  node_metrics.Stop();
  rest_io.stop();
  rest_thread.join();
  gateway.Stop();
  if (!started.ok()) return Fatal(started);
  Log("node")->info("stopped at height {}", chain.Height());
  spdlog::shutdown();
  return 0;  // ledger (RocksDB) closes as `ledger` goes out of scope
}

}  // namespace metaledger::node
