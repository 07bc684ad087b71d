#pragma once
// Maps (method, path) to handlers. Patterns are literal segments and `{name}` parameters,
// e.g. "/v1/blocks/{height}/certificate"; a literal segment beats a parameter at the same
// position, so "/v1/blocks/by-hash/{hash}" and "/v1/blocks/{height}" coexist.
//
// Dispatch answers 404 NOT_FOUND when no pattern matches the path and 405 METHOD_NOT_ALLOWED
// (with an Allow header) when one does but not for this method. HEAD runs the GET route (the
// server drops the body), so every GET route also allows HEAD.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "node/rest/http_types.h"

namespace metaledger::rest {

class Router {
 public:
  using Handler = std::function<Reply(const Request&)>;

  // Patterns must start with '/'; registering the same (method, pattern) twice replaces it.
  void Add(http::verb method, const std::string& pattern, Handler handler);

  // Fills request.params and request.route, then runs the handler.
  Reply Dispatch(Request& request) const;

  // Every (method, pattern) served, in registration order, e.g. ("GET", "/v1/status").
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  struct Route {
    http::verb method;
    std::string pattern;
    std::vector<std::string> parts;  // "{name}" for parameters
    Handler handler;
  };
  // Number of literal segments matched (higher is more specific), or -1 for no match.
  static int Match(const Route& route, const std::vector<std::string>& segments);

  std::vector<Route> routes_;
};

}  // namespace metaledger::rest
