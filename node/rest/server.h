#pragma once
// An HTTP/1.1 server (Boost.Beast) on a caller-provided io_context, used for both the public
// API and the operator port. It owns the socket-level defences; routing and content are the
// handler's business.
//
// Per connection: an idle timeout while waiting for a request's first byte, then one deadline
// for the whole request (so a client dripping header bytes cannot hold the connection), limits
// on header and body size (431 / 413, then close), and a write deadline. Per server: a cap on
// open connections (further ones are closed at once) and a per-client-IP token bucket (429 with
// Retry-After). Every request is counted in the metrics registry by route and status.
//
// Handlers run on the io_context's thread(s); with one thread nothing here needs a lock.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "node/rest/http_types.h"
#include "node/rest/metrics.h"

namespace metaledger::rest {

struct RestOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: any free port (see HttpServer::port())

  size_t max_header_bytes = 8 * 1024;
  size_t max_body_bytes = 256 * 1024;
  std::chrono::milliseconds idle_timeout{30'000};     // waiting for the next request
  std::chrono::milliseconds request_timeout{10'000};  // first byte to complete request
  std::chrono::milliseconds write_timeout{10'000};
  size_t max_connections = 2048;

  double rate_per_second = 200;  // per client IP; 0 disables the limit
  double rate_burst = 400;
  size_t rate_limit_clients = 10'000;

  std::chrono::milliseconds poll_interval{100};        // long polls and event streams
  std::chrono::milliseconds max_commit_wait{10'000};   // bound on POST /v1/txs?wait=commit
  std::chrono::milliseconds max_stream_time{300'000};  // an event stream is closed after this

  size_t default_page = 50;
  size_t max_page = 200;
};

class HttpServer {
 public:
  using Handler = std::function<Reply(Request&)>;

  // `name` labels this server's metrics ("api" or "ops"). `metrics` may be null.
  HttpServer(boost::asio::io_context& io, RestOptions options, Handler handler,
             MetricsRegistry* metrics, std::string name);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting. Fails on a bad address or a port in use.
  Status Start();
  // Graceful shutdown, first half: stops accepting and closes idle connections; requests being
  // answered finish (their connections then close). Returns at once; watch open_connections()
  // and call Stop() when it reaches 0 or the caller's patience ends. Any thread.
  void BeginDrain();
  // Stops accepting and closes open connections. Safe to call from any thread, and twice.
  void Stop();
  uint16_t port() const;
  size_t open_connections() const;

  struct State;  // shared with connections, which may outlive a Stop()

 private:
  void CloseAll(bool idle_only);
  boost::asio::io_context& io_;
  std::shared_ptr<State> state_;
};

}  // namespace metaledger::rest
