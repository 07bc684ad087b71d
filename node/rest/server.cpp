#include "node/rest/server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>

#include "node/rest/rate_limiter.h"

namespace metaledger::rest {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {
class Session;
constexpr auto kStreamKeepAlive = std::chrono::seconds(15);
constexpr auto kAcceptBackoff = std::chrono::milliseconds(50);
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr size_t kLingerBytes = 4 << 20;
}  // namespace

struct HttpServer::State {
  State(asio::io_context& io_context, RestOptions opts, Handler h, MetricsRegistry* m,
        std::string server_name)
      : io(io_context),
        options(std::move(opts)),
        handler(std::move(h)),
        metrics(m),
        name(std::move(server_name)),
        acceptor(io_context),
        accept_backoff(io_context),
        limiter(options.rate_per_second, options.rate_burst, options.rate_limit_clients) {
    if (metrics) {
      open_gauge = &metrics->GetGauge("metaledger_rest_open_connections", "Open HTTP connections",
                                      {{"server", name}});
      bytes_in = &metrics->GetCounter("metaledger_rest_bytes_received_total",
                                      "Bytes received by the HTTP servers", {{"server", name}});
      bytes_out = &metrics->GetCounter("metaledger_rest_bytes_sent_total",
                                       "Bytes sent by the HTTP servers", {{"server", name}});
    }
  }

  void CountBytesIn(size_t n) {
    if (bytes_in) bytes_in->Inc(n);
  }
  void CountBytesOut(size_t n) {
    if (bytes_out) bytes_out->Inc(n);
  }
  void Reject(const std::string& reason) {
    if (metrics) {
      metrics
          ->GetCounter("metaledger_rest_rejected_total",
                       "Requests or connections refused, by reason",
                       {{"server", name}, {"reason", reason}})
          .Inc();
    }
  }
  void CountRequest(const std::string& route, http::status status, Clock::time_point started) {
    if (!metrics) return;
    metrics
        ->GetCounter("metaledger_rest_requests_total", "HTTP requests by route and status",
                     {{"server", name},
                      {"route", route},
                      {"status", std::to_string(static_cast<unsigned>(status))}})
        .Inc();
    metrics
        ->GetHistogram("metaledger_rest_request_seconds", "Time to produce a response",
                       {{"server", name}})
        .Observe(std::chrono::duration<double>(Clock::now() - started).count());
  }
  RateLimiter::Decision TakeToken(const std::string& client) {
    std::lock_guard lock(limiter_mu);
    return limiter.Take(client, Clock::now());
  }

  asio::io_context& io;
  RestOptions options;
  Handler handler;
  MetricsRegistry* metrics;
  std::string name;
  tcp::acceptor acceptor;
  asio::steady_timer accept_backoff;
  std::mutex limiter_mu;
  RateLimiter limiter;
  std::atomic<size_t> connections{0};
  std::atomic<bool> stopped{false};
  std::atomic<bool> draining{false};  // no new connections or requests; in-flight ones finish
  bool Closing() const { return stopped.load() || draining.load(); }
  std::mutex sessions_mu;
  std::map<uint64_t, std::weak_ptr<Session>> sessions;
  uint64_t next_session = 0;
  Gauge* open_gauge = nullptr;
  Counter* bytes_in = nullptr;
  Counter* bytes_out = nullptr;
};

namespace {

using State = HttpServer::State;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<State> state, tcp::socket socket, uint64_t id)
      : state_(std::move(state)),
        stream_(std::move(socket)),
        timer_(stream_.get_executor()),
        id_(id) {
    beast::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    client_ = ec ? "unknown" : remote.address().to_string();
    state_->connections.fetch_add(1);
    if (state_->open_gauge) state_->open_gauge->Add(1);
  }
  ~Session() {
    state_->connections.fetch_sub(1);
    if (state_->open_gauge) state_->open_gauge->Add(-1);
    std::lock_guard lock(state_->sessions_mu);
    state_->sessions.erase(id_);
  }

  void Start() { DoIdleRead(); }

  // Ends the connection from any thread.
  void Close() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->Shutdown(); });
  }
  // Ends the connection from any thread unless a request is being answered; such a connection
  // closes after its response, since the server is closing.
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->Shutdown();
    });
  }

 private:
  const RestOptions& options() const { return state_->options; }

  void DoIdleRead() {
    busy_ = false;
    if (state_->Closing()) return Shutdown();
    if (buffer_.size() > 0) return DoRead();
    stream_.expires_after(options().idle_timeout);
    stream_.async_read_some(buffer_.prepare(1024),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->Shutdown();
                              self->buffer_.commit(n);
                              self->state_->CountBytesIn(n);
                              self->DoRead();
                            });
  }

  void DoRead() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(options().max_header_bytes));
    parser_->body_limit(options().max_body_bytes);
    size_t buffered = buffer_.size();
    stream_.expires_after(options().request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this(), buffered](beast::error_code ec, size_t n) {
                       if (n > buffered) self->state_->CountBytesIn(n - buffered);
                       self->OnRead(ec);
                     });
  }

  void OnRead(beast::error_code ec) {
    started_ = Clock::now();
    busy_ = true;
    head_ = false;
    if (ec == http::error::end_of_stream) return Shutdown();
    if (ec == beast::error::timeout) {
      state_->Reject("request_timeout");
      return Shutdown();
    }
    if (ec == http::error::header_limit) {
      state_->Reject("header_too_large");
      return WriteError(http::status::request_header_fields_too_large, "HEADER_TOO_LARGE",
                        "request headers exceed the limit");
    }
    if (ec == http::error::body_limit) {
      state_->Reject("body_too_large");
      return WriteError(http::status::payload_too_large, "BODY_TOO_LARGE",
                        "request body exceeds the limit of " +
                            std::to_string(options().max_body_bytes) + " bytes");
    }
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category()) {
      state_->Reject("malformed_http");
      return WriteError(http::status::bad_request, "BAD_REQUEST", "malformed HTTP request");
    }
    if (ec) return Shutdown();
    Handle();
  }

  void WriteError(http::status status, std::string_view code, const std::string& detail) {
    route_ = "rejected";
    keep_alive_ = false;
    linger_ = true;
    version_ = 11;
    Write(ProblemReply(status, code, detail));
  }

  void Handle() {
    req_ = parser_->release();
    parser_.reset();
    version_ = req_.version();
    keep_alive_ = req_.keep_alive();
    head_ = req_.method() == http::verb::head;
    Request request;
    request.method = req_.method();
    request.method_text = std::string(req_.method_string());
    request.client = client_;
    request.http = &req_;
    Reply reply;
    if (auto decision = state_->TakeToken(client_); !decision.allowed) {
      state_->Reject("rate_limited");
      route_ = "rate_limited";
      reply = ProblemReply(http::status::too_many_requests, "RATE_LIMITED",
                           "too many requests from this client; retry later");
      reply.AddHeader("Retry-After", std::to_string(decision.retry_after_seconds));
    } else if (auto target = ParseTarget(ToStd(req_.target())); !target.ok()) {
      state_->Reject("bad_target");
      route_ = "bad_target";
      reply = StatusReply(target.status());
    } else {
      request.segments = std::move(target->segments);
      request.query = std::move(target->query);
      try {
        reply = state_->handler(request);
      } catch (const std::exception& e) {
        reply = ProblemReply(http::status::internal_server_error, "INTERNAL", e.what());
      }
      route_ = request.route.empty() ? "unmatched" : request.route;
      // Refused input, by its error name (a miss, 404, is not a refusal).
      unsigned code = static_cast<unsigned>(reply.status);
      if (code >= 400 && code < 500 && code != 404 && !reply.error_code.empty()) {
        std::string reason = reply.error_code;
        for (char& ch : reason)
          ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        state_->Reject(reason);
      }
    }
    if (head_ && reply.stream) {  // HEAD of an event stream: its headers, no events
      reply.stream = nullptr;
      reply.content_type = "text/event-stream";
      reply.body.clear();
    }
    if (reply.stream) return StartStream(std::move(reply));
    if (reply.poll) return StartPoll(std::move(reply));
    Write(std::move(reply));
  }

  void Write(Reply reply) {
    res_ = std::make_unique<http::response<http::string_body>>(reply.status, version_);
    res_->set(http::field::server, "metaledger");
    if (!reply.body.empty() || head_) res_->set(http::field::content_type, reply.content_type);
    for (auto& [name, value] : reply.headers)
      res_->set(boost::beast::string_view(name.data(), name.size()), value);
    res_->keep_alive(keep_alive_ && !state_->Closing());
    if (head_) {
      // The GET response's headers, with the length its body would have had, and no body.
      res_->content_length(reply.body.size());
    } else {
      res_->body() = std::move(reply.body);
      res_->prepare_payload();
    }
    state_->CountRequest(route_, reply.status, started_);
    stream_.expires_after(options().write_timeout);
    http::async_write(stream_, *res_, [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->state_->CountBytesOut(n);
      if (ec || !self->res_->keep_alive()) return self->Shutdown();
      self->res_.reset();
      self->DoIdleRead();
    });
  }

  void StartPoll(Reply reply) {
    pending_ = std::move(reply);
    deadline_ = Clock::now() + std::min(pending_.poll_for, options().max_commit_wait);
    PollTick();
  }

  void PollTick() {
    timer_.expires_after(options().poll_interval);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Shutdown();
      bool final = Clock::now() >= self->deadline_;
      std::optional<Reply> out;
      try {
        out = self->pending_.poll(final);
      } catch (const std::exception& e) {
        out = ProblemReply(http::status::internal_server_error, "INTERNAL", e.what());
      }
      if (!out && final) {
        out = ProblemReply(http::status::gateway_timeout, "TIMEOUT", "gave up waiting");
      }
      if (!out) return self->PollTick();
      self->pending_ = {};
      self->Write(std::move(*out));
    });
  }

  void StartStream(Reply reply) {
    pending_ = std::move(reply);
    deadline_ = Clock::now() + options().max_stream_time;
    stream_res_ = std::make_unique<http::response<http::empty_body>>(http::status::ok, version_);
    stream_res_->set(http::field::server, "metaledger");
    stream_res_->set(http::field::content_type, "text/event-stream");
    stream_res_->set(http::field::cache_control, "no-cache");
    for (auto& [name, value] : pending_.headers)
      stream_res_->set(boost::beast::string_view(name.data(), name.size()), value);
    stream_res_->keep_alive(false);
    stream_sr_ = std::make_unique<http::response_serializer<http::empty_body>>(*stream_res_);
    state_->CountRequest(route_, http::status::ok, started_);
    stream_.expires_after(options().write_timeout);
    http::async_write_header(stream_, *stream_sr_,
                             [self = shared_from_this()](beast::error_code ec, size_t n) {
                               self->state_->CountBytesOut(n);
                               if (ec) return self->Shutdown();
                               self->last_sent_ = Clock::now();
                               self->StreamNext();
                             });
  }

  void StreamNext() {
    if (Clock::now() >= deadline_ || state_->Closing()) return Shutdown();
    Result<std::string> chunk = pending_.stream();
    bool last = false;
    if (!chunk.ok()) {
      chunk_ = "event: error\ndata: " + chunk.status().message() + "\n\n";
      last = true;
    } else if (!chunk->empty()) {
      chunk_ = std::move(*chunk);
    } else if (Clock::now() - last_sent_ >= kStreamKeepAlive) {
      chunk_ = ": keep-alive\n\n";
    } else {
      timer_.expires_after(options().poll_interval);
      timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (ec) return self->Shutdown();
        self->StreamNext();
      });
      return;
    }
    stream_.expires_after(options().write_timeout);
    asio::async_write(stream_, asio::buffer(chunk_),
                      [self = shared_from_this(), last](beast::error_code ec, size_t n) {
                        self->state_->CountBytesOut(n);
                        if (ec || last) return self->Shutdown();
                        self->last_sent_ = Clock::now();
                        self->timer_.expires_after(self->options().poll_interval);
                        self->timer_.async_wait([self](beast::error_code ec2) {
                          if (ec2) return self->Shutdown();
                          self->StreamNext();
                        });
                      });
  }

  void Shutdown() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (linger_ && !ec) {
      buffer_.consume(buffer_.size());
      stream_.expires_after(kLingerTime);
      return Linger(0);
    }
    stream_.close();
  }

  // Closing with unread bytes makes the kernel send a reset, and a client still sending a
  // refused request (an oversized body) would see that instead of the answer. So after an error
  // answer, read and drop what the client still sends, within a time and a byte limit.
  void Linger(size_t drained) {
    stream_.async_read_some(buffer_.prepare(16 * 1024),
                            [self = shared_from_this(), drained](beast::error_code ec, size_t n) {
                              self->buffer_.consume(self->buffer_.size());
                              if (ec || drained + n > kLingerBytes) return self->stream_.close();
                              self->Linger(drained + n);
                            });
  }

  std::shared_ptr<State> state_;
  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  uint64_t id_;
  std::string client_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpRequest req_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool linger_ = false;  // an error answer: drain the request before closing
  bool head_ = false;  // answering a HEAD request
  bool busy_ = false;  // between a complete request and the end of its response
  bool closed_ = false;
  std::string route_;
  Clock::time_point started_ = Clock::now();
  std::unique_ptr<http::response<http::string_body>> res_;
  Reply pending_;
  Clock::time_point deadline_;
  Clock::time_point last_sent_;
  std::unique_ptr<http::response<http::empty_body>> stream_res_;
  std::unique_ptr<http::response_serializer<http::empty_body>> stream_sr_;
  std::string chunk_;
};

void DoAccept(std::shared_ptr<State> state) {
  state->acceptor.async_accept(
      asio::make_strand(state->io), [state](beast::error_code ec, tcp::socket socket) {
        if (state->Closing() || ec == asio::error::operation_aborted) return;
        if (ec) {
          // Out of descriptors and the like: back off instead of spinning.
          state->Reject("accept_failed");
          state->accept_backoff.expires_after(kAcceptBackoff);
          state->accept_backoff.async_wait([state](beast::error_code) {
            if (!state->Closing()) DoAccept(state);
          });
          return;
        }
        if (state->connections.load() >= state->options.max_connections) {
          state->Reject("too_many_connections");
          beast::error_code ignored;
          socket.close(ignored);
        } else {
          std::lock_guard lock(state->sessions_mu);
          uint64_t id = state->next_session++;
          auto session = std::make_shared<Session>(state, std::move(socket), id);
          state->sessions[id] = session;
          session->Start();
        }
        DoAccept(state);
      });
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, RestOptions options, Handler handler,
                       MetricsRegistry* metrics, std::string name)
    : io_(io),
      state_(std::make_shared<State>(io, std::move(options), std::move(handler), metrics,
                                     std::move(name))) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(state_->options.address, ec);
  if (ec) return Status::InvalidArgument("bad listen address '" + state_->options.address + "'");
  tcp::endpoint endpoint(address, state_->options.port);
  auto& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + state_->options.address + ":" +
                               std::to_string(state_->options.port) + ": " + ec.message());
  }
  DoAccept(state_);
  return Status::Ok();
}

// Closes the acceptor, then every open session (`idle_only`: only those not answering a
// request; the others close after their response). Runs on the server's thread.
void HttpServer::CloseAll(bool idle_only) {
  auto close = [state = state_, idle_only] {
    beast::error_code ec;
    state->acceptor.close(ec);
    state->accept_backoff.cancel();
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard lock(state->sessions_mu);
      for (auto& [id, weak] : state->sessions) {
        if (auto s = weak.lock()) open.push_back(std::move(s));
      }
    }
    for (auto& s : open) idle_only ? s->CloseIfIdle() : s->Close();
  };
  if (io_.stopped()) {
    close();
  } else {
    asio::post(io_, close);
  }
}

void HttpServer::BeginDrain() {
  if (state_->stopped.load() || state_->draining.exchange(true)) return;
  CloseAll(/*idle_only=*/true);
}

void HttpServer::Stop() {
  if (state_->stopped.exchange(true)) return;
  CloseAll(/*idle_only=*/false);
}

uint16_t HttpServer::port() const {
  beast::error_code ec;
  auto endpoint = state_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

size_t HttpServer::open_connections() const { return state_->connections.load(); }

}  // namespace metaledger::rest
