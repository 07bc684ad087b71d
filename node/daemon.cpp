#include "node/daemon.h"

#include <cstdio>
#include <thread>

#include "contracts/executor.h"
#include "node/home.h"
#include "node/ledger_chain_store.h"
#include "node/logging.h"
#include "node/node.h"
#include "node/ops_server.h"
#include "node/rest/contract_views.h"
#include "node/rest/ledger_reader.h"
#include "node/rest/rest_service.h"
#include "node/rest_backend.h"

namespace metaledger::node {

namespace asio = boost::asio;

namespace {
constexpr const char* kVersion = "0.1.0";

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
  OpsServer ops(node, **ledger);
  // The REST API runs on its own thread so slow clients and RocksDB reads never delay
  // consensus; it touches Node only through its thread-safe Snapshot() and Submit().
  rest::LedgerStoreReader reader(**ledger, *genesis);
  rest::ContractQueryViews views(**ledger);
  NodeRestBackend backend(node, key->key.public_key().Hex(), kVersion);
  rest::MetricsRegistry rest_metrics;
  rest::RestOptions api_options;
  api_options.address = config->api_listen.host;
  api_options.port = config->api_listen.port;
  // The node's own OpsServer holds [ops] listen (/status, /tx, /cert, /metrics, /healthz);
  // RestService's operator routes (/livez, /readyz, /version) get a loopback port of their own.
  rest::RestOptions rest_ops_options;
  rest_ops_options.address = "127.0.0.1";
  rest_ops_options.port = 0;
  asio::io_context rest_io(1);
  rest::RestService rest_service(rest_io, api_options, rest_ops_options,
                                 {&reader, &views, &backend, &rest_metrics, kVersion});
  Status started;
  asio::post(io, [&] {
    started = node.Start();
    if (!started.ok()) io.stop();
  });
  if (Status s = ops.Start(config->ops_listen.host, config->ops_listen.port); !s.ok()) {
    return Fatal(s);
  }
  if (Status s = rest_service.Start(); !s.ok()) {
    ops.Stop();
    return Fatal(s.Annotate("api listen " + config->api_listen.ToString()));
  }
  Log("api")->info("REST API on {}:{}, its operator routes on 127.0.0.1:{}",
                   config->api_listen.host, rest_service.api_port(), rest_service.ops_port());
  std::thread rest_thread([&rest_io] { rest_io.run(); });
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int signo) {
    if (ec) return;
    Log("node")->info("signal {}: shutting down", signo);
    node.Stop();  // intake and network stop; the block in hand already finished (same thread)
    io.stop();
  });
  io.run();
  rest_service.Stop();
  rest_io.stop();
  rest_thread.join();
  ops.Stop();
  if (!started.ok()) return Fatal(started);
  Log("node")->info("stopped at height {}", chain.Height());
  spdlog::shutdown();
  return 0;  // ledger (RocksDB) closes as `ledger` goes out of scope
}

}  // namespace metaledger::node
