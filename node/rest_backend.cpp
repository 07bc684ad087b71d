#include "node/rest_backend.h"

#include <fmt/format.h>

namespace metaledger::node {

namespace {

// The contract precheck reports "<ERROR_NAME>: <message>"; anything else is named by its kind.
// The mempool and the contract precheck name their refusals "CODE: detail".
std::string NamedCode(const Status& s, std::string_view fallback) {
  const std::string& m = s.message();
  size_t colon = m.find(':');
  if (colon == std::string::npos || colon == 0) return std::string(fallback);
  for (char c : std::string_view(m).substr(0, colon)) {
    if (!((c >= 'A' && c <= 'Z') || c == '_')) return std::string(fallback);
  }
  return m.substr(0, colon);
}

std::string AdmissionErrorName(const Status& s) {
  switch (s.code()) {
    case StatusCode::kFailedPrecondition:
      return NamedCode(s, "PRECHECK_FAILED");
    case StatusCode::kInvalidArgument:
      return NamedCode(s, "BAD_TRANSACTION");
    case StatusCode::kUnauthenticated:
      return "BAD_SIGNATURE";
    case StatusCode::kAlreadyExists:
      return "DUPLICATE";
    case StatusCode::kResourceExhausted:
      return "MEMPOOL_FULL";
    case StatusCode::kUnavailable:
      return "NODE_STOPPING";
    default:
      return "BAD_TRANSACTION";
  }
}

}  // namespace

rest::NodeStatus NodeRestBackend::Status() const {
  NodeSnapshot s = node_.Snapshot();
  rest::NodeStatus out;
  out.node_id = node_id_;
  out.version = version_;
  out.round = s.round;
  out.peers = s.peers;
  out.catching_up = s.syncing;
  return out;
}

rest::Admission NodeRestBackend::SubmitTx(ByteView tx_bytes) {
  rest::Admission a;
  auto id = node_.Submit(tx_bytes);
  if (id.ok()) {
    a.accepted = true;
    a.tx_hash = *id;
    return a;
  }
  a.error_code = AdmissionErrorName(id.status());
  a.detail = id.status().message();
  return a;
}

std::vector<rest::ReadinessPart> NodeRestBackend::Readiness() const {
  NodeSnapshot s = node_.Snapshot();
  const ValidatorSet& set = node_.genesis().validators;
  size_t validators = set.size();
  size_t needed_peers = set.quorum() - 1;  // a quorum, counting this validator
  return {
      {"execution", !s.halted, s.halted ? "execution halted on a state root mismatch" : ""},
      {"catching_up", !s.syncing, s.syncing ? "fetching certified blocks from peers" : ""},
      {"peers", s.peers >= needed_peers,
       fmt::format("{} of {} other validators connected, {} needed", s.peers, validators - 1,
                   needed_peers)},
  };
}

}  // namespace metaledger::node
