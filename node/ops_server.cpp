#include "node/ops_server.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace metaledger::node {

using nlohmann::json;
using rest::Reply;
using rest::Request;
namespace http = rest::http;

namespace {

Reply LegacyError(http::status status, const std::string& code, const std::string& detail) {
  Reply r = rest::JsonReply(json{{"error", code}, {"detail", detail}}, status);
  r.error_code = code;
  return r;
}

Reply StatusJson(const NodeSnapshot& s) {
  json j = {{"moniker", s.moniker},
            {"validator", s.self},
            {"height", s.height},
            {"state_root", s.state_root.Hex()},
            {"block_hash", s.block_hash.Hex()},
            {"round", s.round},
            {"leader", s.leader},
            {"peers", s.peers},
            {"mempool_txs", s.mempool_txs},
            {"halted", s.halted},
            {"syncing", s.syncing},
            {"txs_committed", s.txs_committed},
            {"blocks_synced", s.blocks_synced},
            {"state_root_mismatch", s.state_root_mismatch},
            {"p2p_refused", s.p2p_refused},
            {"p2p_bad_frames", s.p2p_bad_frames},
            {"p2p_bytes_in", s.p2p_bytes_in},
            {"p2p_bytes_out", s.p2p_bytes_out},
            {"bad_messages", s.bad_messages},
            {"proposals_sent", s.proposals_sent},
            {"votes_sent", s.votes_sent},
            {"qcs_formed", s.qcs_formed},
            {"tcs_formed", s.tcs_formed},
            {"parked_proposals", s.parked_proposals}};
  return rest::JsonReply(j);
}

Reply SubmitHex(Node& node, const std::string& body) {
  std::string hex = body;
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.pop_back();
  auto bytes = FromHex(hex);
  if (!bytes.ok())
    return LegacyError(http::status::bad_request, "BAD_ENCODING", bytes.status().message());
  auto id = node.Submit(*bytes);
  if (id.ok()) return rest::JsonReply(json{{"tx_hash", id->Hex()}});
  auto status = http::status::unprocessable_entity;
  std::string code(StatusCodeName(id.status().code()));
  switch (id.status().code()) {
    case StatusCode::kResourceExhausted:
      status = http::status::too_many_requests, code = "MEMPOOL_FULL";
      break;
    case StatusCode::kAlreadyExists:
      status = http::status::conflict, code = "DUPLICATE";
      break;
    case StatusCode::kUnavailable:
      status = http::status::service_unavailable;
      break;
    default:
      break;
  }
  return LegacyError(status, code, id.status().message());
}

}  // namespace

void RegisterLegacyOpsRoutes(rest::Router& router, Node& node, const storage::LedgerStore& store) {
  router.Add(http::verb::get, "/healthz", [](const Request&) {
    Reply r;
    r.content_type = "text/plain";
    r.body = "ok\n";
    return r;
  });
  router.Add(http::verb::get, "/status",
             [&node](const Request&) { return StatusJson(node.Snapshot()); });
  router.Add(http::verb::post, "/tx",
             [&node](const Request& req) { return SubmitHex(node, req.body()); });
  router.Add(http::verb::get, "/tx/{hash}", [&node, &store](const Request& req) {
    auto hash = Hash256::FromHex(req.Param("hash"));
    if (!hash.ok())
      return LegacyError(http::status::bad_request, "BAD_HASH", hash.status().message());
    auto loc = store.GetTxLocation(*hash);
    if (auto acked = node.UnwrittenAck(*hash); !loc.ok() && acked) {  // control builds only
      return rest::JsonReply(
          json{{"height", acked->height}, {"index", acked->index}, {"code", acked->code}});
    }
    if (!loc.ok()) return LegacyError(http::status::not_found, "NOT_FOUND", loc.status().message());
    if (loc->height > node.Snapshot().height) {
      return LegacyError(http::status::not_found, "NOT_FOUND", "not yet certified");
    }
    return rest::JsonReply(
        json{{"height", loc->height}, {"index", loc->index}, {"code", loc->code}});
  });
  router.Add(http::verb::get, "/cert/{height}", [&store](const Request& req) {
    const std::string& text = req.Param("height");
    uint64_t h = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), h);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return LegacyError(http::status::bad_request, "BAD_HEIGHT",
                         "height must be a decimal number");
    }
    auto cert = store.GetCert(h);
    if (!cert.ok())
      return LegacyError(http::status::not_found, "NOT_FOUND", cert.status().message());
    json signers = json::array();
    for (const auto& sig : cert->sigs) signers.push_back(sig.signer);
    return rest::JsonReply(json{{"height", cert->height},
                                {"block_hash", cert->block_hash.Hex()},
                                {"tx_root", cert->tx_root.Hex()},
                                {"state_root", cert->state_root.Hex()},
                                {"signers", signers},
                                {"encoded", ToHex(Encode(*cert))}});
  });
}

NodeMetrics::NodeMetrics(const Node& node, const storage::LedgerStore& store,
                         rest::MetricsRegistry& metrics)
    : node_(node), store_(store), metrics_(metrics) {
  // Registered up front so a scrape shows every family, even before the first block.
  metrics_.GetHistogram("metaledger_commit_latency_seconds",
                        "Time from a block's proposal (header time) until this node saw it "
                        "certified");
  Collect();
}

NodeMetrics::~NodeMetrics() { Stop(); }

void NodeMetrics::Collect() {
  NodeSnapshot s = node_.Snapshot();
  std::lock_guard lock(mu_);
  auto gauge = [&](const char* name, const char* help, int64_t v) {
    metrics_.GetGauge(name, help).Set(v);
  };
  gauge("metaledger_height", "Highest certified block", static_cast<int64_t>(s.height));
  gauge("metaledger_round", "Current consensus round", static_cast<int64_t>(s.round));
  gauge("metaledger_peers", "Connected validators", static_cast<int64_t>(s.peers));
  gauge("metaledger_mempool_txs", "Transactions in the mempool",
        static_cast<int64_t>(s.mempool_txs));
  gauge("metaledger_parked_proposals", "Proposals waiting for their parent",
        static_cast<int64_t>(s.parked_proposals));
  gauge("metaledger_execution_halted", "1 when execution halted on a state root mismatch",
        s.halted ? 1 : 0);
  gauge("metaledger_catching_up", "1 while fetching certified blocks from peers",
        s.syncing ? 1 : 0);
  // Counters advance by what the node counted since the last copy.
  auto counter = [&](const char* name, const char* help, uint64_t now, uint64_t before) {
    rest::Counter& c = metrics_.GetCounter(name, help);
    if (now > before) c.Inc(now - before);
  };
  counter("metaledger_blocks_committed_total", "Blocks committed by this process",
          s.blocks_committed, last_.blocks_committed);
  counter("metaledger_txs_committed_total", "Transactions certified by this process",
          s.txs_committed, last_.txs_committed);
  counter("metaledger_commit_certs_total", "Commit certificates stored", s.commit_certs,
          last_.commit_certs);
  counter("metaledger_blocks_synced_total", "Blocks obtained by block sync", s.blocks_synced,
          last_.blocks_synced);
  counter("metaledger_state_root_mismatch_total", "Quorum certified another state root",
          s.state_root_mismatch, last_.state_root_mismatch);
  counter("metaledger_consensus_timeouts_total", "Round timeouts sent", s.timeouts_sent,
          last_.timeouts_sent);
  counter("metaledger_consensus_proposals_total", "Proposals sent", s.proposals_sent,
          last_.proposals_sent);
  counter("metaledger_consensus_votes_total", "Votes sent", s.votes_sent, last_.votes_sent);
  counter("metaledger_consensus_qcs_total", "Quorum certificates formed", s.qcs_formed,
          last_.qcs_formed);
  counter("metaledger_consensus_tcs_total", "Timeout certificates formed", s.tcs_formed,
          last_.tcs_formed);
  counter("metaledger_consensus_dropped_total", "Consensus inputs dropped", s.consensus_dropped,
          last_.consensus_dropped);
  counter("metaledger_p2p_handshakes_refused_total", "Refused handshakes", s.p2p_refused,
          last_.p2p_refused);
  counter("metaledger_p2p_bad_frames_total", "Oversized or forged frames", s.p2p_bad_frames,
          last_.p2p_bad_frames);
  counter("metaledger_p2p_frames_dropped_total", "Frames dropped at full send queues",
          s.p2p_dropped, last_.p2p_dropped);
  counter("metaledger_p2p_bad_messages_total", "Undecodable or invalid peer messages",
          s.bad_messages, last_.bad_messages);
  counter("metaledger_p2p_received_bytes_total", "Bytes received from peers (on the wire)",
          s.p2p_bytes_in, last_.p2p_bytes_in);
  counter("metaledger_p2p_sent_bytes_total", "Bytes sent to peers (on the wire)", s.p2p_bytes_out,
          last_.p2p_bytes_out);
  last_ = s;
}

void NodeMetrics::StartCommitLatencySampler(boost::asio::io_context& io,
                                            std::chrono::milliseconds period) {
  period_ = period;
  timer_ = std::make_unique<boost::asio::steady_timer>(io);
  Tick();
}

void NodeMetrics::Stop() {
  std::lock_guard lock(mu_);
  stopped_ = true;  // the pending tick returns without rescheduling
}

void NodeMetrics::Tick() {
  NodeSnapshot s = node_.Snapshot();
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    if (!latency_primed_ || s.syncing) {
      // Blocks certified before this process watched (or fetched by sync) are not observed.
      latency_seen_height_ = s.height;
      latency_primed_ = true;
    }
  }
  constexpr uint64_t kMaxPerTick = 64;
  uint64_t from =
      std::max(latency_seen_height_ + 1, s.height > kMaxPerTick ? s.height - kMaxPerTick + 1 : 1);
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  rest::Histogram& latency = metrics_.GetHistogram(
      "metaledger_commit_latency_seconds",
      "Time from a block's proposal (header time) until this node saw it certified");
  for (uint64_t h = from; h <= s.height; ++h) {
    auto block = store_.GetBlock(h);
    if (!block.ok()) continue;
    int64_t ms = now_ms - static_cast<int64_t>(block->header.time_ms);
    latency.Observe(static_cast<double>(std::max<int64_t>(ms, 0)) / 1000.0);
  }
  latency_seen_height_ = std::max(latency_seen_height_, s.height);
  timer_->expires_after(period_);
  timer_->async_wait([this](boost::system::error_code ec) {
    if (!ec) Tick();
  });
}

}  // namespace metaledger::node
