#pragma once
// What the node adds to the operator server of node/rest (RestService::ops_router(), on
// [ops] listen), next to its /livez, /readyz, /metrics and /version:
//
//   - NodeMetrics: the node's own Prometheus metrics (height, round, peers, mempool size,
//     consensus timeouts and counters, a commit latency histogram), copied from
//     Node::Snapshot() into the shared MetricsRegistry before every scrape.
//   - RegisterLegacyOpsRoutes: the plain routes scripts and the process-level tests use
//     (test/legacy; new clients should use /v1 on [api] listen):
//       GET  /healthz            "ok"
//       GET  /status             JSON NodeSnapshot (height, state root, round, peers, counters)
//       POST /tx                 body: hex of a canonical transaction -> {"tx_hash"} or an error
//       GET  /tx/{hash}          {"height","index","code"} once certified, 404 before
//       GET  /cert/{height}      the block's commit certificate as JSON
//     Errors are {"error": CODE, "detail": text}.
//
// Everything here touches Node only through its thread-safe Snapshot() and Submit(), so it may
// run on the REST thread.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include "node/node.h"
#include "node/rest/metrics.h"
#include "node/rest/router.h"
#include "storage/ledger_store.h"

namespace metaledger::node {

void RegisterLegacyOpsRoutes(rest::Router& router, Node& node, const storage::LedgerStore& store);

class NodeMetrics {
 public:
  // All references must outlive this object.
  NodeMetrics(const Node& node, const storage::LedgerStore& store, rest::MetricsRegistry& metrics);
  ~NodeMetrics();

  // Copies the node's current counters and gauges into the registry (before a scrape).
  void Collect();

  // Watches for newly certified blocks every `period` on `io` and observes, for each, the time
  // from its proposal (header time_ms) until this node saw it certified. Blocks fetched while
  // catching up are not observed: their latency would measure the outage, not consensus.
  // `io` must outlive this object; its thread runs the ticks. Stop() is safe from any thread.
  void StartCommitLatencySampler(boost::asio::io_context& io, std::chrono::milliseconds period);
  void Stop();

 private:
  void Tick();

  const Node& node_;
  const storage::LedgerStore& store_;
  rest::MetricsRegistry& metrics_;
  std::mutex mu_;
  NodeSnapshot last_;  // counters already copied
  uint64_t latency_seen_height_ = 0;
  bool latency_primed_ = false;
  bool stopped_ = false;
  std::chrono::milliseconds period_{20};
  std::unique_ptr<boost::asio::steady_timer> timer_;
};

}  // namespace metaledger::node
