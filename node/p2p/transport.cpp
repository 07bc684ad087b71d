#include "node/p2p/transport.h"

#include <fmt/format.h>

#include <cstring>
#include <deque>

#include "core/crypto/secretstream.h"
#include "node/config.h"
#include "node/logging.h"
#include "node/p2p/handshake.h"

namespace metaledger::node::p2p {

namespace asio = boost::asio;
using asio::ip::tcp;

// One TCP connection through its handshake and then its encrypted life.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Transport& transport, tcp::socket socket, HandshakeRole role,
             std::optional<uint32_t> expected)
      : transport_(transport),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        role_(role),
        expected_(expected),
        kx_(KxKeyPair::Generate()) {}

  void Start() {
    boost::system::error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);
    remote_ = socket_.remote_endpoint(ec);
    timer_.expires_after(std::chrono::milliseconds(transport_.options_.handshake_timeout_ms));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code e) {
      if (!e && !self->authenticated_) self->Fail("handshake timed out", true);
    });
    const TransportOptions& o = transport_.options_;
    Hello hello = MakeHello(o.chain_id, role_, o.key, kx_);
    Bytes frame;
    AppendFrame(Encode(hello), frame);
    Enqueue(std::move(frame));
    ReadFrame(Hello::kEncodedSize, [this](Bytes body) { OnHello(body); });
  }

  // Seals and queues one message; only once authenticated.
  void Send(ByteView plain) {
    if (closed_ || !authenticated_ || queue_.size() >= transport_.options_.send_queue_frames) {
      ++transport_.stats_.frames_dropped;
      return;
    }
    Bytes frame;
    if (transport_.options_.encrypt) {
      frame.resize(4);
      sealer_->Seal(plain, frame);
    } else {
      frame.resize(4 + plain.size());
      if (!plain.empty()) std::memcpy(frame.data() + 4, plain.data(), plain.size());
    }
    uint32_t n = static_cast<uint32_t>(frame.size() - 4);
    for (int i = 0; i < 4; ++i) frame[i] = static_cast<uint8_t>(n >> (8 * i));
    Enqueue(std::move(frame));
  }

  void Close() {
    if (closed_) return;
    auto keep = shared_from_this();
    closed_ = true;
    boost::system::error_code ec;
    timer_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    transport_.OnClosed(this, authenticated_);
  }

  bool authenticated() const { return authenticated_; }
  uint32_t peer() const { return peer_; }
  std::optional<uint32_t> expected() const { return expected_; }

 private:
  void Fail(const std::string& why, bool during_handshake) {
    if (closed_) return;
    Log("p2p")->warn("disconnecting {} (validator {}): {}", RemoteName(),
                     authenticated_ ? std::to_string(peer_) : std::string("?"), why);
    if (during_handshake) ++transport_.stats_.handshakes_refused;
    Close();
  }

  std::string RemoteName() const {
    return fmt::format("{}:{}", remote_.address().to_string(), remote_.port());
  }

  void OnHello(const Bytes& body) {
    auto hello = Decode<Hello>(body);
    if (!hello.ok()) return Fail("garbage hello: " + hello.status().message(), true);
    const TransportOptions& o = transport_.options_;
    HandshakeRole peer_role =
        role_ == HandshakeRole::kDialer ? HandshakeRole::kListener : HandshakeRole::kDialer;
    auto index = VerifyHello(o.chain_id, o.validators, o.self, peer_role, *hello, expected_);
    if (!index.ok()) return Fail(index.status().message(), true);
    auto keys = role_ == HandshakeRole::kDialer
                    ? SessionKeys::ForClient(kx_, hello->ephemeral)
                    : SessionKeys::ForServer(kx_, hello->ephemeral);
    if (!keys.ok()) return Fail(keys.status().message(), true);
    peer_ = *index;
    sealer_ = std::make_unique<SecretStreamSealer>(keys->tx);
    rx_key_ = keys->rx;
    Bytes frame;
    AppendFrame(sealer_->header().view(), frame);
    Enqueue(std::move(frame));
    ReadFrame(kSecretStreamHeaderBytes, [this](Bytes header) { OnStreamHeader(header); });
  }

  void OnStreamHeader(const Bytes& body) {
    auto header = SecretStreamHeader::FromView(body);
    if (!header.ok()) return Fail("bad stream header", true);
    auto opener = SecretStreamOpener::Create(rx_key_, *header);
    SecureWipe(rx_key_.data(), rx_key_.kSize);
    if (!opener.ok()) return Fail(opener.status().message(), true);
    opener_ = std::make_unique<SecretStreamOpener>(std::move(opener).value());
    authenticated_ = true;
    timer_.cancel();
    ++transport_.stats_.handshakes_ok;
    transport_.OnAuthenticated(shared_from_this());
    if (!closed_) ReadLoop();
  }

  void ReadLoop() {
    ReadFrame(transport_.options_.max_frame_bytes + kSecretStreamOverhead, [this](Bytes body) {
      if (!transport_.options_.encrypt) {
        ++transport_.stats_.frames_received;
        transport_.stats_.bytes_received += body.size() + 4;
        transport_.Deliver(peer_, std::move(body));
        if (!closed_) ReadLoop();
        return;
      }
      auto plain = opener_->Open(body);
      if (!plain.ok()) {
        ++transport_.stats_.frames_unauthenticated;
        return Fail(plain.status().message(), false);
      }
      ++transport_.stats_.frames_received;
      transport_.stats_.bytes_received += body.size() + 4;
      transport_.Deliver(peer_, std::move(plain).value());
      if (!closed_) ReadLoop();
    });
  }

  // Reads one length-prefixed frame of at most `limit` bytes and passes its body on.
  void ReadFrame(size_t limit, std::function<void(Bytes)> then) {
    auto self = shared_from_this();
    asio::async_read(
        socket_, asio::buffer(len_buf_),
        [this, self, limit, then = std::move(then)](boost::system::error_code ec, size_t) mutable {
          if (closed_) return;
          if (ec) return Fail(ec == asio::error::eof ? "closed by peer" : ec.message(),
                              !authenticated_);
          uint32_t n = 0;
          for (int i = 0; i < 4; ++i) n |= static_cast<uint32_t>(len_buf_[i]) << (8 * i);
          if (n > limit) {
            if (authenticated_) ++transport_.stats_.frames_oversized;
            return Fail(fmt::format("frame of {} bytes exceeds the limit of {}", n, limit),
                        !authenticated_);
          }
          auto body = std::make_shared<Bytes>(n);
          asio::async_read(socket_, asio::buffer(*body),
                           [this, self, body, then = std::move(then)](boost::system::error_code e,
                                                                      size_t) {
                             if (closed_) return;
                             if (e) return Fail(e.message(), !authenticated_);
                             then(std::move(*body));
                           });
        });
  }

  void Enqueue(Bytes frame) {
    queue_.push_back(std::move(frame));
    if (!writing_) WriteSome();
  }

  void WriteSome() {
    if (closed_ || queue_.empty()) {
      writing_ = false;
      return;
    }
    writing_ = true;
    in_flight_.clear();
    std::vector<asio::const_buffer> buffers;
    size_t bytes = 0;
    while (!queue_.empty() && in_flight_.size() < 64 && bytes < (1u << 20)) {
      bytes += queue_.front().size();
      in_flight_.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    for (const Bytes& b : in_flight_) buffers.emplace_back(asio::buffer(b));
    asio::async_write(socket_, buffers,
                      [this, self = shared_from_this()](boost::system::error_code ec, size_t n) {
                        if (closed_) return;
                        if (ec) return Fail("write: " + ec.message(), !authenticated_);
                        transport_.stats_.frames_sent += in_flight_.size();
                        transport_.stats_.bytes_sent += n;
                        WriteSome();
                      });
  }

  Transport& transport_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  tcp::endpoint remote_;
  HandshakeRole role_;
  std::optional<uint32_t> expected_;
  KxKeyPair kx_;
  SessionKey rx_key_;
  std::unique_ptr<SecretStreamSealer> sealer_;
  std::unique_ptr<SecretStreamOpener> opener_;
  uint32_t peer_ = 0;
  bool authenticated_ = false;
  bool closed_ = false;
  bool writing_ = false;
  std::array<uint8_t, 4> len_buf_{};
  std::deque<Bytes> queue_;
  std::vector<Bytes> in_flight_;
};

struct Transport::Dialer {
  explicit Dialer(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
  uint32_t backoff_ms = 0;
};

Transport::Transport(asio::io_context& io, TransportOptions options, MessageHandler on_message,
                     PeerHandler on_peer)
    : io_(io),
      options_(std::move(options)),
      on_message_(std::move(on_message)),
      on_peer_(std::move(on_peer)) {
  options_.peer_addresses.resize(options_.validators.size());
  for (size_t i = 0; i < options_.validators.size(); ++i) {
    if (options_.peer_addresses[i].empty()) {
      options_.peer_addresses[i] = options_.validators.at(i).p2p_address;
    }
  }
}

Transport::~Transport() { Stop(); }

Status Transport::Listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options_.listen_host, ec);
  if (ec) return Status::InvalidArgument("p2p listen host: " + ec.message());
  tcp::endpoint ep(address, options_.listen_port);
  acceptor_.emplace(io_);
  acceptor_->open(ep.protocol(), ec);
  if (!ec) acceptor_->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_->bind(ep, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.reset();
    return Status::IOError(fmt::format("p2p listen on {}:{}: {}", options_.listen_host,
                                       options_.listen_port, ec.message()));
  }
  Accept();
  return Status::Ok();
}

uint16_t Transport::listen_port() const {
  boost::system::error_code ec;
  return acceptor_ ? acceptor_->local_endpoint(ec).port() : 0;
}

void Transport::SetPeerAddress(uint32_t peer, std::string address) {
  if (peer < options_.peer_addresses.size()) options_.peer_addresses[peer] = std::move(address);
}

void Transport::Accept() {
  if (stopped_ || !acceptor_) return;
  acceptor_->async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (stopped_) return;
    if (!ec) {
      auto conn = std::make_shared<Connection>(*this, std::move(socket), HandshakeRole::kListener,
                                               std::nullopt);
      pending_.insert(conn);
      conn->Start();
    }
    Accept();
  });
}

void Transport::StartDialing() {
  for (uint32_t j = options_.self + 1; j < options_.validators.size(); ++j) {
    auto& d = dialers_[j];
    if (!d) {
      d = std::make_unique<Dialer>(io_);
      d->backoff_ms = options_.reconnect_min_ms;
    }
    Dial(j);
  }
}

void Transport::Dial(uint32_t peer) {
  if (stopped_) return;
  auto hp = ParseHostPort(options_.peer_addresses[peer]);
  boost::system::error_code ec;
  asio::ip::address address;
  if (hp.ok()) address = asio::ip::make_address(hp->host == "localhost" ? "127.0.0.1" : hp->host, ec);
  if (!hp.ok() || ec) {
    Log("p2p")->error("validator {} has an unusable address \"{}\"", peer,
                      options_.peer_addresses[peer]);
    return ScheduleDial(peer, true);
  }
  auto socket = std::make_shared<tcp::socket>(io_);
  socket->async_connect(tcp::endpoint(address, hp->port),
                        [this, socket, peer](boost::system::error_code e) {
                          if (stopped_) return;
                          if (e) return ScheduleDial(peer, true);
                          auto conn = std::make_shared<Connection>(
                              *this, std::move(*socket), HandshakeRole::kDialer, peer);
                          pending_.insert(conn);
                          conn->Start();
                        });
}

void Transport::ScheduleDial(uint32_t peer, bool failed) {
  if (stopped_) return;
  auto it = dialers_.find(peer);
  if (it == dialers_.end()) return;
  Dialer& d = *it->second;
  d.timer.expires_after(std::chrono::milliseconds(d.backoff_ms));
  if (failed) d.backoff_ms = std::min(d.backoff_ms * 2, options_.reconnect_max_ms);
  d.timer.async_wait([this, peer](boost::system::error_code ec) {
    if (!ec) Dial(peer);
  });
}

void Transport::OnAuthenticated(const std::shared_ptr<Connection>& conn) {
  pending_.erase(conn);
  uint32_t peer = conn->peer();
  auto old = peers_.find(peer);
  std::shared_ptr<Connection> replaced;
  if (old != peers_.end()) replaced = old->second;
  peers_[peer] = conn;
  if (replaced) replaced->Close();  // no longer registered: closes quietly
  if (auto d = dialers_.find(peer); d != dialers_.end()) d->second->backoff_ms = options_.reconnect_min_ms;
  Log("p2p")->info("connected to validator {} ({})", peer, options_.validators.at(peer).name);
  if (on_peer_) on_peer_(peer, true);
}

void Transport::OnClosed(Connection* conn, bool was_authenticated) {
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (it->get() == conn) {
      auto keep = *it;
      pending_.erase(it);
      if (conn->expected()) ScheduleDial(*conn->expected(), true);
      return;
    }
  }
  if (!was_authenticated) return;
  auto it = peers_.find(conn->peer());
  if (it == peers_.end() || it->second.get() != conn) return;  // replaced or already gone
  auto keep = it->second;
  peers_.erase(it);
  ++stats_.disconnects;
  Log("p2p")->info("lost validator {}", conn->peer());
  if (on_peer_ && !stopped_) on_peer_(conn->peer(), false);
  ScheduleDial(conn->peer(), false);
}

void Transport::Deliver(uint32_t peer, Bytes message) {
  if (!stopped_ && on_message_) on_message_(peer, std::move(message));
}

void Transport::Send(uint32_t peer, ByteView message) {
  auto it = peers_.find(peer);
  if (it == peers_.end()) {
    ++stats_.frames_dropped;
    return;
  }
  it->second->Send(message);
}

void Transport::Broadcast(ByteView message) {
  for (auto& [peer, conn] : peers_) conn->Send(message);
}

bool Transport::IsConnected(uint32_t peer) const { return peers_.count(peer) != 0; }

std::vector<uint32_t> Transport::ConnectedPeers() const {
  std::vector<uint32_t> out;
  for (const auto& [peer, conn] : peers_) out.push_back(peer);
  return out;
}

void Transport::Stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ec;
  if (acceptor_) acceptor_->close(ec);
  for (auto& [peer, d] : dialers_) d->timer.cancel();
  std::vector<std::shared_ptr<Connection>> all(pending_.begin(), pending_.end());
  for (auto& [peer, conn] : peers_) all.push_back(conn);
  for (auto& conn : all) conn->Close();
  pending_.clear();
  peers_.clear();
}

}  // namespace metaledger::node::p2p
