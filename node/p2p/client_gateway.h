#pragma once
// ClientGateway: a binary TCP submission port for load generators (bench/cluster), off unless
// [bench] gateway_port is set. HTTP polling per transaction does not scale to tens of thousands
// of transactions per second; this port takes a stream of transactions on one long-lived
// connection and answers each one exactly once:
//
//   client -> node:  u32 little-endian length, then a canonical encoded transaction
//   node -> client:  u8 code, then the 32-byte transaction id
//                    code 0: committed (certified and durable on this node)
//                    code 1: refused at admission (the id is H(tx) as the node computed it,
//                            or all zero if the bytes did not decode)
//
// Commits are learnt from the mempool's commit observer (called after the block is durable),
// so "committed" means what GET /tx would report. Outstanding transactions of a closed
// connection are forgotten. One thread serves all connections; admission runs on it.

#include <atomic>
#include <memory>
#include <thread>
#include <unordered_map>
#include <utility>  // before Asio: Boost 1.74 awaitable.hpp needs std::exchange
#include <vector>

#include <boost/asio.hpp>

#include "core/crypto/hash.h"
#include "core/status.h"
#include "node/mempool.h"

namespace metaledger::node {

class Node;

class ClientGateway {
 public:
  static constexpr uint8_t kCommitted = 0;
  static constexpr uint8_t kRefused = 1;
  static constexpr size_t kReplyBytes = 33;

  explicit ClientGateway(Node& node);
  ~ClientGateway();
  // Listens on host:port (0 = any free port) and starts the serving thread.
  Status Start(const std::string& host, uint16_t port);
  void Stop();
  uint16_t port() const { return port_; }

 private:
  class Session;
  void Accept();
  void OnCommitted(std::vector<Hash256> ids);

  Node& node_;
  boost::asio::io_context io_{1};
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::thread thread_;
  uint16_t port_ = 0;
  uint64_t next_session_ = 0;
  // Only touched on the gateway thread.
  std::unordered_map<uint64_t, std::shared_ptr<Session>> sessions_;
  std::unordered_map<Hash256, uint64_t, FixedBytesHash> waiting_;  // id -> session
  std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
};

}  // namespace metaledger::node
