#include "sim/scenario/http_client.h"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <optional>

namespace metaledger::sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::string NodeUrl::Text() const { return fmt::format("http://{}:{}", host, port); }

Result<NodeUrl> ParseNodeUrl(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  std::string_view rest(url);
  if (!rest.starts_with(kScheme)) {
    return Status::InvalidArgument(
        fmt::format("--node '{}': expected http://HOST:PORT (https is not supported)", url));
  }
  rest.remove_prefix(kScheme.size());
  if (rest.ends_with('/')) rest.remove_suffix(1);
  size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || rest.find('/') != std::string_view::npos) {
    return Status::InvalidArgument(fmt::format("--node '{}': expected http://HOST:PORT", url));
  }
  std::string_view port_text = rest.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return Status::InvalidArgument(fmt::format("--node '{}': bad port '{}'", url, port_text));
  }
  return NodeUrl{std::string(rest.substr(0, colon)), static_cast<uint16_t>(port)};
}

struct HttpClient::Impl {
  asio::io_context io;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(NodeUrl url, std::chrono::milliseconds timeout)
    : url_(std::move(url)), timeout_(timeout), impl_(std::make_unique<Impl>()) {}

HttpClient::~HttpClient() = default;

Result<HttpReply> HttpClient::Get(const std::string& target) {
  return Exchange(false, target, "", "");
}

Result<HttpReply> HttpClient::Post(const std::string& target, const std::string& content_type,
                                   std::string body) {
  return Exchange(true, target, content_type, body);
}

Result<HttpReply> HttpClient::Exchange(bool post, const std::string& target,
                                       const std::string& content_type, const std::string& body) {
  http::request<http::string_body> req{post ? http::verb::post : http::verb::get, target, 11};
  req.set(http::field::host, url_.host);
  req.set(http::field::user_agent, "metaledger-sim");
  if (post) {
    req.set(http::field::content_type, content_type);
    req.body() = body;
  }
  req.prepare_payload();
  req.keep_alive(true);

  // A request on a reused connection may find it closed by the server; retry once on a fresh
  // one. A fresh connection that fails is the answer.
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool fresh = !impl_->stream.has_value();
    beast::error_code ec;
    if (fresh) {
      impl_->io.restart();
      impl_->stream.emplace(impl_->io);
      asio::ip::tcp::resolver resolver(impl_->io);
      auto endpoints = resolver.resolve(url_.host, std::to_string(url_.port), ec);
      if (ec) {
        impl_->stream.reset();
        return Status::Unavailable(fmt::format("cannot resolve {}: {}", url_.Text(), ec.message()));
      }
      impl_->stream->expires_after(timeout_);
      impl_->stream->async_connect(endpoints, [&ec](beast::error_code e, const auto&) { ec = e; });
      impl_->io.run();
      if (ec) {
        impl_->stream.reset();
        return Status::Unavailable(
            fmt::format("cannot reach the node at {}: {}", url_.Text(),
                        ec == beast::error::timeout ? "timed out" : ec.message()));
      }
    }
    http::response<http::string_body> res;
    impl_->io.restart();
    impl_->stream->expires_after(timeout_);
    http::async_write(*impl_->stream, req, [&](beast::error_code e, size_t) {
      ec = e;
      if (e) return;
      http::async_read(*impl_->stream, impl_->buffer, res,
                       [&ec](beast::error_code e2, size_t) { ec = e2; });
    });
    impl_->io.run();
    if (!ec) {
      if (!res.keep_alive()) impl_->stream.reset();
      return HttpReply{static_cast<int>(res.result_int()), std::move(res.body())};
    }
    impl_->stream.reset();
    impl_->buffer.clear();
    if (ec == beast::error::timeout) {
      return Status::Unavailable(fmt::format("{} {}{}: no answer within {} ms",
                                             post ? "POST" : "GET", url_.Text(), target,
                                             timeout_.count()));
    }
    if (fresh) {
      return Status::Unavailable(
          fmt::format("{} {}{}: {}", post ? "POST" : "GET", url_.Text(), target, ec.message()));
    }
  }
  return Status::Unavailable(fmt::format("{}: connection lost", url_.Text()));
}

}  // namespace metaledger::sim
