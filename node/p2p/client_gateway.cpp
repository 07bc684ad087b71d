#include "node/p2p/client_gateway.h"

#include <cstring>
#include <vector>

#include "node/logging.h"
#include "node/node.h"

namespace metaledger::node {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
constexpr size_t kReadChunk = 256 * 1024;
}  // namespace

class ClientGateway::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ClientGateway& gw, uint64_t id, tcp::socket socket)
      : gw_(gw), id_(id), socket_(std::move(socket)) {}

  void Start() {
    socket_.set_option(tcp::no_delay(true));
    Read();
  }
  void Close() {
    boost::system::error_code ec;
    socket_.close(ec);
  }
  // Queues one reply; replies are written in large chunks.
  void Reply(uint8_t code, const Hash256& id) {
    pending_.push_back(code);
    pending_.insert(pending_.end(), id.data(), id.data() + Hash256::kSize);
    if (!writing_) Flush();
  }

 private:
  void Read() {
    size_t old = in_.size();
    in_.resize(old + kReadChunk);
    socket_.async_read_some(
        asio::buffer(in_.data() + old, kReadChunk),
        [self = shared_from_this(), old](boost::system::error_code ec, size_t n) {
          self->in_.resize(old + n);
          if (ec) return self->gw_.sessions_.erase(self->id_), void();
          self->Parse();
          self->Read();
        });
  }

  // Every complete frame of the read is admitted in one call, so that their signatures are
  // checked as one batch.
  void Parse() {
    size_t pos = 0;
    std::vector<ByteView> txs;
    bool oversized = false;
    while (in_.size() - pos >= 4) {
      uint32_t len;
      std::memcpy(&len, in_.data() + pos, 4);  // little-endian hosts only (x86-64, aarch64)
      if (len > Transaction::kMaxEncoded) {
        Log("api")->warn("gateway: frame of {} bytes, closing the connection", len);
        oversized = true;
        break;
      }
      if (in_.size() - pos - 4 < len) break;
      txs.emplace_back(in_.data() + pos + 4, len);
      pos += 4 + len;
    }
    auto ids = gw_.node_.SubmitMany(txs);
    for (size_t i = 0; i < txs.size(); ++i) {
      if (ids[i].ok()) {
        gw_.waiting_[*ids[i]] = id_;
      } else {
        Hash256 h{};
        if (auto decoded = Decode<Transaction>(txs[i]); decoded.ok()) h = decoded->Hash();
        Reply(kRefused, h);
      }
    }
    if (oversized) {
      Close();
      in_.clear();
      return;
    }
    in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(pos));
  }

  void Flush() {
    if (pending_.empty()) return;
    writing_ = true;
    out_.swap(pending_);
    pending_.clear();
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this()](boost::system::error_code ec, size_t) {
                        self->writing_ = false;
                        self->out_.clear();
                        if (ec) return;
                        self->Flush();
                      });
  }

  ClientGateway& gw_;
  uint64_t id_;
  tcp::socket socket_;
  Bytes in_, out_, pending_;
  bool writing_ = false;
};

ClientGateway::ClientGateway(Node& node) : node_(node) {}

ClientGateway::~ClientGateway() { Stop(); }

Status ClientGateway::Start(const std::string& host, uint16_t port) {
  try {
    tcp::endpoint ep(asio::ip::make_address(host), port);
    acceptor_ = std::make_unique<tcp::acceptor>(io_, ep);
    port_ = acceptor_->local_endpoint().port();
  } catch (const std::exception& e) {
    return Status::IOError("bench gateway " + host + ":" + std::to_string(port) + ": " + e.what());
  }
  std::shared_ptr<std::atomic<bool>> alive = alive_;
  node_.mempool().SetCommitObserver([this, alive](const std::vector<Hash256>& ids) {
    if (!alive->load()) return;
    asio::post(io_, [this, ids] { OnCommitted(ids); });
  });
  Accept();
  thread_ = std::thread([this] { io_.run(); });
  Log("api")->warn("BENCH gateway listening on {}:{} (benchmark use only)", host, port_);
  return Status::Ok();
}

void ClientGateway::Stop() {
  if (!thread_.joinable()) return;
  alive_->store(false);
  node_.mempool().SetCommitObserver(nullptr);
  io_.stop();
  thread_.join();
  sessions_.clear();
}

void ClientGateway::Accept() {
  acceptor_->async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;
    uint64_t id = next_session_++;
    auto session = std::make_shared<Session>(*this, id, std::move(socket));
    sessions_[id] = session;
    session->Start();
    Accept();
  });
}

void ClientGateway::OnCommitted(std::vector<Hash256> ids) {
  for (const Hash256& id : ids) {
    auto it = waiting_.find(id);
    if (it == waiting_.end()) continue;
    auto s = sessions_.find(it->second);
    if (s != sessions_.end()) s->second->Reply(kCommitted, id);
    waiting_.erase(it);
  }
}

}  // namespace metaledger::node
