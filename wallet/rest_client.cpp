#include "wallet/rest_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace metaledger::wallet {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

std::optional<Problem> ParseProblem(const HttpResponse& response) {
  auto j = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  if (!j.contains("code") && !j.contains("detail") && !j.contains("title")) return std::nullopt;
  Problem p;
  p.status = response.status;
  auto str = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  p.code = str("code");
  p.title = str("title");
  p.detail = str("detail");
  return p;
}

Result<NodeUrl> ParseNodeUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return Status::InvalidArgument("node URL must start with http:// (got \"" + std::string(url) +
                                   "\")");
  }
  std::string_view rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  NodeUrl out;
  if (slash != std::string_view::npos) {
    out.base_path = std::string(rest.substr(slash));
    while (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
  }
  size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) {
    out.host = std::string(authority);
    out.port = "80";
  } else {
    out.host = std::string(authority.substr(0, colon));
    out.port = std::string(authority.substr(colon + 1));
    if (out.port.empty() || out.port.size() > 5 ||
        out.port.find_first_not_of("0123456789") != std::string::npos) {
      return Status::InvalidArgument("node URL has a bad port");
    }
  }
  if (out.host.empty()) return Status::InvalidArgument("node URL has no host");
  return out;
}

Result<HttpResponse> RestClient::Get(std::string_view path) const {
  return Request(false, path, {}, {});
}

Result<HttpResponse> RestClient::Post(std::string_view path, std::string_view body,
                                      std::string_view content_type) const {
  return Request(true, path, body, content_type);
}

Result<HttpResponse> RestClient::Request(bool post, std::string_view path, std::string_view body,
                                         std::string_view content_type) const {
  const std::string where = "http://" + url_.host + ":" + url_.port;
  try {
    net::io_context ioc;
    net::ip::tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url_.host, url_.port, ec);
    if (ec) return Status::Unavailable(where + ": cannot resolve: " + ec.message());
    stream.expires_after(timeout_);
    stream.connect(endpoints, ec);
    if (ec) return Status::Unavailable(where + ": cannot connect: " + ec.message());

    http::request<http::string_body> req(post ? http::verb::post : http::verb::get,
                                         url_.base_path + std::string(path), 11);
    req.set(http::field::host, url_.host);
    req.set(http::field::user_agent, "metaledger-wallet");
    req.set(http::field::accept, "application/json, application/problem+json");
    if (post) {
      req.set(http::field::content_type, std::string(content_type));
      req.body() = std::string(body);
      req.prepare_payload();
    }
    stream.expires_after(timeout_);
    http::write(stream, req, ec);
    if (ec) return Status::Unavailable(where + ": send failed: " + ec.message());

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    http::read(stream, buffer, parser, ec);
    if (ec) return Status::Unavailable(where + ": no response: " + ec.message());
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);

    const auto& res = parser.get();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    out.content_type = std::string(res[http::field::content_type]);
    out.body = res.body();
    return out;
  } catch (const std::exception& e) {  // Beast reports some failures by exception only
    return Status::Unavailable(where + ": " + e.what());
  }
}

}  // namespace metaledger::wallet
