#pragma once
// A small blocking HTTP/1.1 client for the node's REST API (Boost.Beast, plain HTTP; the node
// listens on a trusted interface and everything it returns that matters is verifiable).
//
// Errors: Unavailable when the node cannot be reached or times out; otherwise the response
// with its status code, so callers can map 404 and RFC 9457 problem documents themselves.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace metaledger::wallet {

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

// An RFC 9457 problem document: {"type","title","status","code","detail"}.
struct Problem {
  int status = 0;
  std::string code;  // e.g. "NOT_FRESHER", "NOT_FOUND"
  std::string title;
  std::string detail;
};
// Parses a problem body; nullopt when the body is not one.
std::optional<Problem> ParseProblem(const HttpResponse& response);

struct NodeUrl {
  std::string host;
  std::string port;
  std::string base_path;  // no trailing slash, may be empty
};
// "http://host[:port][/base]"; https and other schemes are refused.
Result<NodeUrl> ParseNodeUrl(std::string_view url);

class RestClient {
 public:
  explicit RestClient(NodeUrl url, std::chrono::milliseconds timeout = std::chrono::seconds(10))
      : url_(std::move(url)), timeout_(timeout) {}

  Result<HttpResponse> Get(std::string_view path) const;
  Result<HttpResponse> Post(std::string_view path, std::string_view body,
                            std::string_view content_type) const;

 private:
  Result<HttpResponse> Request(bool post, std::string_view path, std::string_view body,
                               std::string_view content_type) const;
  NodeUrl url_;
  std::chrono::milliseconds timeout_;
};

}  // namespace metaledger::wallet
