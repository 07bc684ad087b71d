#include "node/rest/router.h"

#include <set>

namespace metaledger::rest {

namespace {

bool IsParam(const std::string& part) {
  return part.size() > 2 && part.front() == '{' && part.back() == '}';
}

std::vector<std::string> SplitPattern(const std::string& pattern) {
  std::vector<std::string> parts;
  size_t start = 1;
  while (true) {
    size_t slash = pattern.find('/', start);
    parts.push_back(pattern.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

}  // namespace

void Router::Add(http::verb method, const std::string& pattern, Handler handler) {
  for (Route& r : routes_) {
    if (r.method == method && r.pattern == pattern) {
      r.handler = std::move(handler);
      return;
    }
  }
  routes_.push_back({method, pattern, SplitPattern(pattern), std::move(handler)});
}

int Router::Match(const Route& route, const std::vector<std::string>& segments) {
  if (route.parts.size() != segments.size()) return -1;
  int literals = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (IsParam(route.parts[i])) {
      if (segments[i].empty()) return -1;
      continue;
    }
    if (route.parts[i] != segments[i]) return -1;
    ++literals;
  }
  return literals;
}

Reply Router::Dispatch(Request& request) const {
  const Route* best = nullptr;
  int best_score = -1;
  std::set<std::string> allowed;
  // HEAD is answered by the GET route (the server sends its headers without the body).
  http::verb wanted = request.method == http::verb::head ? http::verb::get : request.method;
  for (const Route& r : routes_) {
    int score = Match(r, request.segments);
    if (score < 0) continue;
    if (r.method != wanted) {
      allowed.insert(std::string(http::to_string(r.method)));
      if (r.method == http::verb::get) allowed.insert("HEAD");
      continue;
    }
    if (score > best_score) {
      best = &r;
      best_score = score;
    }
  }
  if (!best) {
    if (allowed.empty()) {
      request.route = "unmatched";
      return ProblemReply(http::status::not_found, "NOT_FOUND", "no such route");
    }
    request.route = "method_not_allowed";
    std::string allow;
    for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    Reply reply = ProblemReply(http::status::method_not_allowed, "METHOD_NOT_ALLOWED",
                               "method " + request.method_text + " is not allowed here");
    reply.AddHeader("Allow", allow);
    return reply;
  }
  request.route = best->pattern;
  request.params.clear();
  for (size_t i = 0; i < best->parts.size(); ++i) {
    if (IsParam(best->parts[i])) {
      request.params[best->parts[i].substr(1, best->parts[i].size() - 2)] = request.segments[i];
    }
  }
  return best->handler(request);
}

std::vector<std::pair<std::string, std::string>> Router::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Route& r : routes_)
    out.emplace_back(std::string(http::to_string(r.method)), r.pattern);
  return out;
}

}  // namespace metaledger::rest
