#include "node/rest/http_types.h"

namespace metaledger::rest {

std::string_view Request::Header(http::field f) const {
  if (!http) return {};
  auto it = http->find(f);
  return it == http->end() ? std::string_view{} : ToStd(it->value());
}

std::string_view Request::Header(std::string_view name) const {
  if (!http) return {};
  auto it = http->find(boost::beast::string_view(name.data(), name.size()));
  return it == http->end() ? std::string_view{} : ToStd(it->value());
}

const std::string& Request::body() const {
  static const std::string kEmpty;
  return http ? http->body() : kEmpty;
}

const std::string& Request::Param(const std::string& name) const {
  static const std::string kEmpty;
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

std::optional<std::string> Request::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Reply JsonReply(const nlohmann::json& body, http::status status) {
  Reply r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Reply ProblemReply(http::status status, std::string_view code, std::string_view detail) {
  nlohmann::json doc = {{"type", "about:blank"},
                        {"title", std::string(http::obsolete_reason(status))},
                        {"status", static_cast<unsigned>(status)},
                        {"code", std::string(code)},
                        {"detail", std::string(detail)}};
  Reply r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.error_code = std::string(code);
  // Invalid UTF-8 in a detail (echoed input) is replaced rather than thrown on.
  r.body = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Reply StatusReply(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return ProblemReply(http::status::bad_request, "BAD_REQUEST", status.message());
    case StatusCode::kNotFound:
      return ProblemReply(http::status::not_found, "NOT_FOUND", status.message());
    case StatusCode::kResourceExhausted:
      return ProblemReply(http::status::too_many_requests, "RESOURCE_EXHAUSTED", status.message());
    case StatusCode::kUnavailable:
      return ProblemReply(http::status::service_unavailable, "UNAVAILABLE", status.message());
    default:
      return ProblemReply(http::status::internal_server_error, "INTERNAL", status.message());
  }
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> PercentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) {
        return Status::InvalidArgument("truncated percent escape in request target");
      }
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return Status::InvalidArgument("bad percent escape in request target");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

Result<ParsedTarget> ParseTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return Status::InvalidArgument("request target must be an absolute path");
  }
  ParsedTarget out;
  std::string_view path = target, query;
  if (size_t q = target.find('?'); q != std::string_view::npos) {
    path = target.substr(0, q);
    query = target.substr(q + 1);
  }
  if (size_t h = query.find('#'); h != std::string_view::npos) query = query.substr(0, h);
  std::string_view rest = path.substr(1);
  while (true) {
    size_t slash = rest.find('/');
    std::string_view raw = rest.substr(0, slash);
    ML_ASSIGN_OR_RETURN(std::string seg, PercentDecode(raw, false));
    if (seg.find('/') != std::string::npos || seg.find('\0') != std::string::npos) {
      return Status::InvalidArgument("encoded '/' or NUL in a path segment");
    }
    if (seg == "." || seg == "..")
      return Status::InvalidArgument("'.' and '..' segments are not allowed");
    out.segments.push_back(std::move(seg));
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  constexpr size_t kMaxQueryParams = 32;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      if (out.query.size() >= kMaxQueryParams)
        return Status::InvalidArgument("too many query parameters");
      size_t eq = pair.find('=');
      ML_ASSIGN_OR_RETURN(std::string key, PercentDecode(pair.substr(0, eq), true));
      std::string value;
      if (eq != std::string_view::npos) {
        ML_ASSIGN_OR_RETURN(value, PercentDecode(pair.substr(eq + 1), true));
      }
      if (out.query.count(key))
        return Status::InvalidArgument("query parameter '" + key + "' repeated");
      out.query.emplace(std::move(key), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  return out;
}

}  // namespace metaledger::rest
