#pragma once
// A small HTTP/1.1 operator endpoint on [ops] listen, served by one thread, one request per
// connection. It is what scripts and the process-level tests use until the REST API (node/rest)
// is wired in:
//   GET  /healthz            "ok"
//   GET  /status             JSON NodeSnapshot (height, state root, round, peers, counters)
//   GET  /metrics            Prometheus text
//   POST /tx                 body: hex of a canonical transaction -> {"tx_hash"} or an error
//   GET  /tx/<hash hex>      {"height","index","code"} once certified, 404 before
//   GET  /cert/<height>      the block's commit certificate as JSON

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <boost/asio.hpp>

#include "node/node.h"
#include "storage/ledger_store.h"

namespace metaledger::node {

struct HttpReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

class OpsServer {
 public:
  OpsServer(Node& node, const storage::LedgerStore& store);
  ~OpsServer();
  Status Start(const std::string& host, uint16_t port);
  void Stop();
  uint16_t port() const { return port_; }

  // Routing, separate from the socket code so it can be tested directly.
  HttpReply Handle(const std::string& method, const std::string& path, const std::string& body);

 private:
  void Serve();

  Node& node_;
  const storage::LedgerStore& store_;
  boost::asio::io_context io_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  uint16_t port_ = 0;
};

}  // namespace metaledger::node
