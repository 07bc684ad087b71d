#include "node/ops_server.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "node/logging.h"

namespace metaledger::node {

namespace asio = boost::asio;
using asio::ip::tcp;
using nlohmann::json;

namespace {

constexpr size_t kMaxRequest = 256 * 1024;

HttpReply Error(int status, const std::string& code, const std::string& detail) {
  return {status, "application/json", json{{"error", code}, {"detail", detail}}.dump()};
}

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

}  // namespace

OpsServer::OpsServer(Node& node, const storage::LedgerStore& store) : node_(node), store_(store) {}

OpsServer::~OpsServer() { Stop(); }

Status OpsServer::Start(const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return Status::InvalidArgument("ops listen host: " + ec.message());
  acceptor_ = std::make_unique<tcp::acceptor>(io_);
  tcp::endpoint ep(address, port);
  acceptor_->open(ep.protocol(), ec);
  if (!ec) acceptor_->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_->bind(ep, ec);
  if (!ec) acceptor_->listen(128, ec);
  if (ec) return Status::IOError(fmt::format("ops listen on {}:{}: {}", host, port, ec.message()));
  port_ = acceptor_->local_endpoint().port();
  thread_ = std::thread([this] { Serve(); });
  return Status::Ok();
}

void OpsServer::Stop() {
  if (stopping_.exchange(true)) return;
  // A blocking accept() is not woken by close() from another thread; shutdown() wakes it.
  if (acceptor_) ::shutdown(acceptor_->native_handle(), SHUT_RDWR);
  if (thread_.joinable()) thread_.join();
  boost::system::error_code ec;
  if (acceptor_) acceptor_->close(ec);
}

void OpsServer::Serve() {
  while (!stopping_) {
    boost::system::error_code ec;
    tcp::socket socket(io_);
    acceptor_->accept(socket, ec);
    if (ec) {
      if (stopping_) return;
      continue;
    }
    struct timeval tv {5, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    asio::streambuf buf(kMaxRequest);
    size_t header_len = asio::read_until(socket, buf, "\r\n\r\n", ec);
    HttpReply reply;
    if (ec) {
      reply = Error(400, "BAD_REQUEST", "unreadable request head");
    } else {
      std::string head(asio::buffers_begin(buf.data()),
                       asio::buffers_begin(buf.data()) + static_cast<long>(header_len));
      buf.consume(header_len);
      std::istringstream lines(head);
      std::string method, target, version, line;
      lines >> method >> target >> version;
      size_t content_length = 0;
      while (std::getline(lines, line)) {
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == "content-length") content_length = std::strtoul(line.c_str() + colon + 1, nullptr, 10);
      }
      if (content_length > kMaxRequest) {
        reply = Error(413, "TOO_LARGE", "request body over 256 KiB");
      } else {
        std::string body(asio::buffers_begin(buf.data()), asio::buffers_end(buf.data()));
        if (body.size() < content_length) {
          std::string rest(content_length - body.size(), '\0');
          asio::read(socket, asio::buffer(rest), ec);
          body += rest;
        }
        body.resize(std::min(body.size(), content_length));
        reply = ec ? Error(400, "BAD_REQUEST", "short body") : Handle(method, target, body);
      }
    }
    std::string out = fmt::format(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        reply.status, Reason(reply.status), reply.content_type, reply.body.size(), reply.body);
    asio::write(socket, asio::buffer(out), ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
}

HttpReply OpsServer::Handle(const std::string& method, const std::string& path,
                            const std::string& body) {
  NodeSnapshot s = node_.Snapshot();
  if (method == "GET" && path == "/healthz") return {200, "text/plain", "ok\n"};
  if (method == "GET" && path == "/status") {
    json j = {{"moniker", s.moniker},       {"validator", s.self},
              {"height", s.height},         {"state_root", s.state_root.Hex()},
              {"block_hash", s.block_hash.Hex()},
              {"round", s.round},           {"peers", s.peers},
              {"mempool_txs", s.mempool_txs}, {"halted", s.halted},
              {"syncing", s.syncing},       {"txs_committed", s.txs_committed},
              {"blocks_synced", s.blocks_synced}, {"state_root_mismatch", s.state_root_mismatch},
              {"p2p_refused", s.p2p_refused}, {"p2p_bad_frames", s.p2p_bad_frames},
              {"bad_messages", s.bad_messages}, {"proposals_sent", s.proposals_sent},
              {"votes_sent", s.votes_sent}, {"qcs_formed", s.qcs_formed},
              {"tcs_formed", s.tcs_formed}, {"parked_proposals", s.parked_proposals}};
    return {200, "application/json", j.dump()};
  }
  if (method == "GET" && path == "/metrics") {
    std::string m;
    auto metric = [&](const char* name, const char* help, uint64_t v) {
      m += fmt::format("# HELP {0} {1}\n# TYPE {0} gauge\n{0} {2}\n", name, help, v);
    };
    metric("metaledger_height", "Highest certified block", s.height);
    metric("metaledger_round", "Current consensus round", s.round);
    metric("metaledger_peers", "Connected validators", s.peers);
    metric("metaledger_mempool_txs", "Transactions in the mempool", s.mempool_txs);
    metric("metaledger_txs_committed", "Transactions certified by this process", s.txs_committed);
    metric("metaledger_blocks_synced", "Blocks obtained by block sync", s.blocks_synced);
    metric("metaledger_state_root_mismatch", "Quorum certified another state root",
           s.state_root_mismatch);
    metric("metaledger_execution_halted", "1 when execution halted", s.halted ? 1 : 0);
    metric("metaledger_p2p_handshakes_refused", "Refused handshakes", s.p2p_refused);
    metric("metaledger_p2p_bad_frames", "Oversized or forged frames", s.p2p_bad_frames);
    metric("metaledger_p2p_frames_dropped", "Frames dropped at full send queues", s.p2p_dropped);
    metric("metaledger_bad_messages", "Undecodable or invalid peer messages", s.bad_messages);
    metric("metaledger_consensus_dropped", "Consensus inputs dropped", s.consensus_dropped);
    metric("metaledger_consensus_timeouts", "Round timeouts sent", s.timeouts_sent);
    return {200, "text/plain; version=0.0.4", m};
  }
  if (method == "POST" && path == "/tx") {
    std::string hex = body;
    while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.pop_back();
    auto bytes = FromHex(hex);
    if (!bytes.ok()) return Error(400, "BAD_ENCODING", bytes.status().message());
    auto id = node_.Submit(*bytes);
    if (!id.ok()) {
      int status = 422;
      std::string code = std::string(StatusCodeName(id.status().code()));
      if (id.status().code() == StatusCode::kResourceExhausted) status = 429, code = "MEMPOOL_FULL";
      if (id.status().code() == StatusCode::kAlreadyExists) status = 409, code = "DUPLICATE";
      if (id.status().code() == StatusCode::kUnavailable) status = 503;
      return Error(status, code, id.status().message());
    }
    return {200, "application/json", json{{"tx_hash", id->Hex()}}.dump()};
  }
  if (method == "GET" && path.rfind("/tx/", 0) == 0) {
    auto hash = Hash256::FromHex(path.substr(4));
    if (!hash.ok()) return Error(400, "BAD_HASH", hash.status().message());
    auto loc = store_.GetTxLocation(*hash);
    if (!loc.ok()) return Error(404, "NOT_FOUND", loc.status().message());
    if (loc->height > s.height) return Error(404, "NOT_FOUND", "not yet certified");
    return {200, "application/json",
            json{{"height", loc->height}, {"index", loc->index}, {"code", loc->code}}.dump()};
  }
  if (method == "GET" && path.rfind("/cert/", 0) == 0) {
    uint64_t h = std::strtoull(path.c_str() + 6, nullptr, 10);
    auto cert = store_.GetCert(h);
    if (!cert.ok()) return Error(404, "NOT_FOUND", cert.status().message());
    json signers = json::array();
    for (const auto& sig : cert->sigs) signers.push_back(sig.signer);
    return {200, "application/json",
            json{{"height", cert->height},
                 {"block_hash", cert->block_hash.Hex()},
                 {"tx_root", cert->tx_root.Hex()},
                 {"state_root", cert->state_root.Hex()},
                 {"signers", signers},
                 {"encoded", ToHex(Encode(*cert))}}
                .dump()};
  }
  return Error(404, "NOT_FOUND", "no route " + method + " " + path);
}

}  // namespace metaledger::node
