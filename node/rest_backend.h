#pragma once
// NodeRestBackend: what the REST API (node/rest) needs from a running Node — identity, consensus
// progress, mempool admission and readiness. Every method only touches Node's thread-safe
// surface (Snapshot, Submit), so the REST server may run on its own thread.

#include <string>
#include <vector>

#include "node/node.h"
#include "node/rest/backend.h"

namespace metaledger::node {

class NodeRestBackend final : public rest::RestBackend {
 public:
  // `node` must outlive the backend; `node_id` is the hex validator public key.
  NodeRestBackend(Node& node, std::string node_id, std::string version)
      : node_(node), node_id_(std::move(node_id)), version_(std::move(version)) {}

  rest::NodeStatus Status() const override;
  // Admission errors are named as clients see them: contract precheck errors by their contract
  // error name (e.g. "BAD_NONCE"), otherwise BAD_ENCODING, TX_TOO_LARGE, WRONG_CHAIN,
  // BAD_SIGNATURE, DUPLICATE, MEMPOOL_FULL or NODE_STOPPING (docs/rest.md).
  rest::Admission SubmitTx(ByteView tx_bytes) override;
  // "execution" (not halted), "catching_up" (not syncing) and "peers" (a quorum reachable).
  std::vector<rest::ReadinessPart> Readiness() const override;

 private:
  Node& node_;
  std::string node_id_;
  std::string version_;
};

}  // namespace metaledger::node
