// Transport over real sockets on 127.0.0.1: four validators, plus hand-driven intruders.

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <thread>

#include "core/crypto/secretstream.h"
#include "node/p2p/handshake.h"
#include "node/p2p/transport.h"

namespace metaledger::node::p2p {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

constexpr const char* kChain = "p2p-test";

template <typename F>
auto OnIo(asio::io_context& io, F f) {
  std::promise<decltype(f())> p;
  asio::post(io, [&] { p.set_value(f()); });
  return p.get_future().get();
}

template <typename Pred>
bool WaitFor(Pred pred, std::chrono::milliseconds limit = 10s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

struct Cluster {
  explicit Cluster(size_t n, size_t running) {
    std::vector<Validator> vs;
    for (size_t i = 0; i < n; ++i) {
      keys.push_back(PrivateKey::Generate());
      vs.push_back({"v" + std::to_string(i), keys[i].public_key(), ""});
    }
    validators = ValidatorSet(vs);
    received.resize(n);
    for (size_t i = 0; i < running; ++i) Add(static_cast<uint32_t>(i));
    for (auto& t : transports) {
      for (size_t j = 0; j < transports.size(); ++j) {
        t->SetPeerAddress(static_cast<uint32_t>(j),
                          "127.0.0.1:" + std::to_string(transports[j]->listen_port()));
      }
      t->StartDialing();
    }
    thread = std::thread([this] { io.run(); });
  }
  ~Cluster() {
    OnIo(io, [this] {
      for (auto& t : transports) t->Stop();
      return 0;
    });
    work.reset();
    io.stop();
    thread.join();
  }
  void Add(uint32_t i) {
    TransportOptions o;
    o.chain_id = kChain;
    o.validators = validators;
    o.self = i;
    o.key = keys[i];
    o.max_frame_bytes = 64 * 1024;
    o.handshake_timeout_ms = 2000;
    o.reconnect_min_ms = 20;
    o.reconnect_max_ms = 200;
    transports.push_back(std::make_unique<Transport>(
        io, o, [this, i](uint32_t from, Bytes m) {
          std::lock_guard<std::mutex> lock(mu);
          received[i].emplace_back(from, std::move(m));
        }));
    EXPECT_TRUE(transports.back()->Listen().ok());
  }
  size_t Connected(size_t i) {
    return OnIo(io, [&] { return transports[i]->ConnectedPeers().size(); });
  }
  size_t CountFrom(size_t at, uint32_t from) {
    std::lock_guard<std::mutex> lock(mu);
    size_t n = 0;
    for (auto& [f, m] : received[at]) n += f == from;
    return n;
  }

  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{io.get_executor()};
  std::vector<PrivateKey> keys;
  ValidatorSet validators;
  std::vector<std::unique_ptr<Transport>> transports;
  std::mutex mu;
  std::vector<std::vector<std::pair<uint32_t, Bytes>>> received;
  std::thread thread;
};

// A blocking client that speaks the handshake itself, so tests can misbehave after it.
struct RawPeer {
  asio::io_context io;
  tcp::socket socket{io};
  std::unique_ptr<SecretStreamSealer> sealer;

  explicit RawPeer(uint16_t port) { socket.connect({asio::ip::make_address("127.0.0.1"), port}); }
  void WriteFrame(ByteView body) {
    Bytes f;
    AppendFrame(body, f);
    asio::write(socket, asio::buffer(f));
  }
  Result<Bytes> ReadFrame() {
    std::array<uint8_t, 4> len{};
    boost::system::error_code ec;
    asio::read(socket, asio::buffer(len), ec);
    if (ec) return Status::Unavailable(ec.message());
    uint32_t n = len[0] | len[1] << 8 | len[2] << 16 | static_cast<uint32_t>(len[3]) << 24;
    Bytes body(n);
    asio::read(socket, asio::buffer(body), ec);
    if (ec) return Status::Unavailable(ec.message());
    return body;
  }
  // True when the server hangs up (EOF) within the timeout.
  bool ServerClosed() {
    socket.non_blocking(false);
    struct timeval tv {5, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    uint8_t b;
    boost::system::error_code ec;
    for (int i = 0; i < 1000; ++i) {
      socket.read_some(asio::buffer(&b, 1), ec);
      if (ec) return ec == asio::error::eof || ec == asio::error::connection_reset;
    }
    return false;
  }
  Status Handshake(const PrivateKey& key, const ValidatorSet& vs, uint32_t self) {
    auto eph = KxKeyPair::Generate();
    WriteFrame(Encode(MakeHello(kChain, HandshakeRole::kDialer, key, eph)));
    ML_ASSIGN_OR_RETURN(Bytes reply, ReadFrame());
    ML_ASSIGN_OR_RETURN(Hello hello, Decode<Hello>(reply));
    ML_ASSIGN_OR_RETURN(uint32_t idx, VerifyHello(kChain, vs, self, HandshakeRole::kListener,
                                                  hello, std::nullopt));
    (void)idx;
    ML_ASSIGN_OR_RETURN(SessionKeys keys, SessionKeys::ForClient(eph, hello.ephemeral));
    sealer = std::make_unique<SecretStreamSealer>(keys.tx);
    WriteFrame(sealer->header().view());
    ML_ASSIGN_OR_RETURN(Bytes header, ReadFrame());
    return header.size() == kSecretStreamHeaderBytes ? Status::Ok()
                                                     : Status::Corruption("bad header");
  }
};

TEST(TransportTest, FourValidatorsConnectAndDeliverInOrder) {
  Cluster c(4, 4);
  ASSERT_TRUE(WaitFor([&] {
    for (size_t i = 0; i < 4; ++i)
      if (c.Connected(i) != 3) return false;
    return true;
  }));
  OnIo(c.io, [&] {
    for (uint32_t k = 0; k < 200; ++k) {
      Writer w;
      w.U32(k);
      c.transports[2]->Broadcast(w.bytes());
    }
    return 0;
  });
  for (size_t at : {0, 1, 3}) {
    ASSERT_TRUE(WaitFor([&] { return c.CountFrom(at, 2) == 200; })) << at;
    std::lock_guard<std::mutex> lock(c.mu);
    uint32_t expect = 0;
    for (auto& [from, m] : c.received[at]) {
      if (from != 2) continue;
      Reader r(m);
      EXPECT_EQ(r.U32(), expect++);
    }
  }
  EXPECT_EQ(c.transports[0]->stats().handshakes_refused.load(), 0u);
}

TEST(TransportTest, UnknownKeyAndGarbageAreRefusedOthersUnaffected) {
  Cluster c(3, 3);
  ASSERT_TRUE(WaitFor([&] { return c.Connected(0) == 2 && c.Connected(1) == 2; }));
  uint16_t port = c.transports[1]->listen_port();
  {
    RawPeer stranger(port);
    PrivateKey outsider = PrivateKey::Generate();
    auto eph = KxKeyPair::Generate();
    stranger.WriteFrame(Encode(MakeHello(kChain, HandshakeRole::kDialer, outsider, eph)));
    EXPECT_TRUE(stranger.ServerClosed());
  }
  {
    RawPeer garbage(port);
    Bytes junk(300);
    RandomBytes(junk.data(), junk.size());
    asio::write(garbage.socket, asio::buffer(junk));
    EXPECT_TRUE(garbage.ServerClosed());
  }
  EXPECT_TRUE(WaitFor([&] { return c.transports[1]->stats().handshakes_refused.load() >= 2; }));
  EXPECT_EQ(c.Connected(1), 2u);
  OnIo(c.io, [&] {
    c.transports[1]->Send(0, AsBytes("still here"));
    return 0;
  });
  EXPECT_TRUE(WaitFor([&] { return c.CountFrom(0, 1) == 1; }));
}

TEST(TransportTest, OversizedAndForgedFramesDisconnectOnlyThatPeer) {
  Cluster c(4, 3);  // validator 3's key is played by hand
  ASSERT_TRUE(WaitFor([&] { return c.Connected(0) == 2; }));
  uint16_t port = c.transports[0]->listen_port();
  {
    RawPeer v3(port);
    ASSERT_TRUE(v3.Handshake(c.keys[3], c.validators, 3).ok());
    ASSERT_TRUE(WaitFor([&] { return c.Connected(0) == 3; }));
    Bytes ok_frame(4);
    v3.sealer->Seal(AsBytes("hello"), ok_frame);
    uint32_t n = static_cast<uint32_t>(ok_frame.size() - 4);
    for (int i = 0; i < 4; ++i) ok_frame[i] = static_cast<uint8_t>(n >> (8 * i));
    asio::write(v3.socket, asio::buffer(ok_frame));
    ASSERT_TRUE(WaitFor([&] { return c.CountFrom(0, 3) == 1; }));
    uint8_t huge[4] = {0, 0, 0, 0x10};  // 256 MiB
    asio::write(v3.socket, asio::buffer(huge));
    EXPECT_TRUE(v3.ServerClosed());
  }
  EXPECT_TRUE(WaitFor([&] { return c.transports[0]->stats().frames_oversized.load() == 1; }));
  {
    RawPeer v3(port);
    ASSERT_TRUE(v3.Handshake(c.keys[3], c.validators, 3).ok());
    Bytes forged(64);
    RandomBytes(forged.data(), forged.size());
    v3.WriteFrame(forged);
    EXPECT_TRUE(v3.ServerClosed());
  }
  EXPECT_TRUE(WaitFor([&] { return c.transports[0]->stats().frames_unauthenticated.load() == 1; }));
  EXPECT_EQ(c.Connected(0), 2u);
  EXPECT_EQ(c.Connected(1), 2u);
}

TEST(TransportTest, ReconnectsAfterPeerRestart) {
  Cluster c(2, 2);
  ASSERT_TRUE(WaitFor([&] { return c.Connected(0) == 1; }));
  uint16_t port1 = c.transports[1]->listen_port();
  OnIo(c.io, [&] {
    c.transports[1]->Stop();
    return 0;
  });
  ASSERT_TRUE(WaitFor([&] { return c.Connected(0) == 0; }));
  OnIo(c.io, [&] {
    TransportOptions o;
    o.chain_id = kChain;
    o.validators = c.validators;
    o.self = 1;
    o.key = c.keys[1];
    o.listen_port = port1;
    c.transports[1] = std::make_unique<Transport>(c.io, o, [](uint32_t, Bytes) {});
    EXPECT_TRUE(c.transports[1]->Listen().ok());
    return 0;
  });
  EXPECT_TRUE(WaitFor([&] { return c.Connected(0) == 1 && c.Connected(1) == 1; }));
  EXPECT_GE(c.transports[0]->stats().disconnects.load(), 1u);
}

}  // namespace
}  // namespace metaledger::node::p2p
