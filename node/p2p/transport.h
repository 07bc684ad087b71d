#pragma once
// Transport: authenticated, encrypted, length-framed channels between the validators of one
// chain over TCP (Boost.Asio). See handshake.h for the protocol.
//
// Promises:
//  - a message is handed to the handler only from a peer that proved a genesis validator key,
//    decrypted and authenticated, in the order the peer sent it;
//  - a peer that sends garbage, a frame above max_frame_bytes, or a frame that fails
//    authentication is disconnected and counted; the transport keeps serving everyone else;
//  - at most send_queue_frames frames wait per peer; beyond that new frames are dropped and
//    counted (consensus recovers lost messages through timeouts and sync);
//  - validator i dials every validator j > i and redials after a loss with exponential backoff
//    (reconnect_min_ms doubling up to reconnect_max_ms); j accepts. A newer authenticated
//    connection from a peer replaces an older one.
// Threading: every method and callback runs on the io_context's thread (post to it from
// elsewhere).

#include <atomic>
#include <utility>  // before Asio: Boost 1.74 awaitable.hpp needs std::exchange

#include <boost/asio.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/crypto/ed25519.h"
#include "core/validator_set.h"

namespace metaledger::node::p2p {

struct TransportOptions {
  std::string chain_id;
  ValidatorSet validators;
  uint32_t self = 0;
  PrivateKey key;
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 0;  // 0 = any free port (tests)
  // host:port per validator index; defaults to the genesis p2p_address when empty.
  std::vector<std::string> peer_addresses;
  uint32_t max_frame_bytes = 4 << 20;
  uint32_t send_queue_frames = 4096;
  uint32_t handshake_timeout_ms = 5000;
  uint32_t reconnect_min_ms = 100;
  uint32_t reconnect_max_ms = 5000;
  // BENCHMARK ONLY (like-for-like with libhotstuff): after the authenticated handshake, frames
  // travel in the clear. Both ends must agree; the node refuses this unless [bench] allows it.
  bool encrypt = true;
};

struct TransportStats {
  std::atomic<uint64_t> handshakes_ok{0};
  std::atomic<uint64_t> handshakes_refused{0};  // unknown key, bad signature, garbage hello
  std::atomic<uint64_t> frames_oversized{0};
  std::atomic<uint64_t> frames_unauthenticated{0};
  std::atomic<uint64_t> frames_received{0};
  std::atomic<uint64_t> frames_sent{0};
  std::atomic<uint64_t> frames_dropped{0};  // send queue full or peer not connected
  std::atomic<uint64_t> disconnects{0};
  std::atomic<uint64_t> bytes_received{0};
  std::atomic<uint64_t> bytes_sent{0};
};

class Connection;

class Transport {
 public:
  using MessageHandler = std::function<void(uint32_t peer, Bytes message)>;
  using PeerHandler = std::function<void(uint32_t peer, bool connected)>;

  Transport(boost::asio::io_context& io, TransportOptions options, MessageHandler on_message,
            PeerHandler on_peer = nullptr);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Binds and starts accepting. IOError when the address is taken.
  Status Listen();
  // Starts dialing the validators this one dials (index above self).
  void StartDialing();
  // Closes every connection and stops accepting and dialing.
  void Stop();

  uint16_t listen_port() const;
  // Queues `message` for one peer; dropped (and counted) when not connected or the queue is full.
  void Send(uint32_t peer, ByteView message);
  void Broadcast(ByteView message);
  bool IsConnected(uint32_t peer) const;
  std::vector<uint32_t> ConnectedPeers() const;
  const TransportStats& stats() const { return stats_; }
  void SetPeerAddress(uint32_t peer, std::string address);

 private:
  friend class Connection;
  struct Dialer;

  void Accept();
  void Dial(uint32_t peer);
  void ScheduleDial(uint32_t peer, bool failed);
  void OnAuthenticated(const std::shared_ptr<Connection>& conn);
  void OnClosed(Connection* conn, bool was_authenticated);
  void Deliver(uint32_t peer, Bytes message);

  boost::asio::io_context& io_;
  TransportOptions options_;
  MessageHandler on_message_;
  PeerHandler on_peer_;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  std::set<std::shared_ptr<Connection>> pending_;
  std::map<uint32_t, std::shared_ptr<Connection>> peers_;
  std::map<uint32_t, std::unique_ptr<Dialer>> dialers_;
  bool stopped_ = false;
  TransportStats stats_;
};

}  // namespace metaledger::node::p2p
