#pragma once
// The request and reply types REST handlers see, independent of the socket code.
//
// A handler gets a parsed Request (decoded path segments, query parameters, path parameters
// filled in by the Router) and returns a Reply. Two kinds of reply do not complete at once:
//   - a long poll (`poll`): the server calls it every poll interval until it returns a reply, and
//     once more with final = true at the deadline, when it must return one;
//   - an event stream (`stream`, Server-Sent Events): after the headers, the server calls it every
//     poll interval and sends what it returns, until it fails, the client leaves or the stream's
//     time is up.

#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace metaledger::rest {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;

// Beast (Boost 1.74) has its own string_view type.
inline std::string_view ToStd(boost::beast::string_view s) { return {s.data(), s.size()}; }

struct Request {
  http::verb method = http::verb::unknown;
  std::string method_text;                    // as sent, also for unknown methods
  std::vector<std::string> segments;          // percent-decoded path segments
  std::map<std::string, std::string> query;   // percent-decoded
  std::map<std::string, std::string> params;  // path parameters, set by the Router
  std::string route;                          // the matched route pattern (metrics label)
  std::string client;                         // remote IP address
  const HttpRequest* http = nullptr;          // headers and body as received

  std::string_view Header(http::field f) const;
  std::string_view Header(std::string_view name) const;
  const std::string& body() const;
  const std::string& Param(const std::string& name) const;  // "" when absent
  std::optional<std::string> Query(const std::string& name) const;
};

struct Reply {
  http::status status = http::status::ok;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // For errors: the stable error code (the problem's `code`); the server counts refused input
  // by it in metaledger_rest_rejected_total.
  std::string error_code;

  std::function<std::optional<Reply>(bool final)> poll;
  std::chrono::milliseconds poll_for{0};
  std::function<Result<std::string>()> stream;

  Reply& AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

Reply JsonReply(const nlohmann::json& body, http::status status = http::status::ok);

// RFC 9457 problem document: {"type","title","status","code","detail"} as
// application/problem+json. `code` is stable (an error name such as NOT_FOUND or BAD_NONCE).
Reply ProblemReply(http::status status, std::string_view code, std::string_view detail);

// Maps a Status to a problem: InvalidArgument -> 400 BAD_REQUEST, NotFound -> 404 NOT_FOUND,
// ResourceExhausted -> 429, Unavailable -> 503, anything else -> 500 INTERNAL.
Reply StatusReply(const Status& status);

struct ParsedTarget {
  std::vector<std::string> segments;
  std::map<std::string, std::string> query;
};

// Splits "/a/b%20c?x=1&y" into segments and query. Rejects (InvalidArgument) targets that do
// not start with '/', bad percent escapes, encoded '/' or NUL, and "." or ".." segments.
Result<ParsedTarget> ParseTarget(std::string_view target);

}  // namespace metaledger::rest
