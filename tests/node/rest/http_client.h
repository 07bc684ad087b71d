#pragma once
// A deliberately simple HTTP/1.1 client over POSIX sockets for REST tests: it can send
// malformed requests, dribble bytes slowly and hold connections open, which real clients won't.

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace metaledger::rest::testing {

struct HttpResult {
  int status = 0;                              // 0: no parsable response
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  std::string Header(const std::string& lower_name) const;
  nlohmann::json Json() const;  // discarded value when the body is not JSON
};

// -1 on failure.
int Connect(uint16_t port);
bool SendAll(int fd, std::string_view data);
// Reads until the peer closes or `timeout` passes; `closed` tells which.
std::string ReadUntilClose(int fd, std::chrono::milliseconds timeout, bool* closed = nullptr);
HttpResult ParseResponse(const std::string& raw);

// One request with "Connection: close"; reads the whole response.
HttpResult Fetch(uint16_t port, const std::string& method, const std::string& target,
                 const std::string& body = "",
                 const std::vector<std::pair<std::string, std::string>>& headers = {});
inline HttpResult Get(uint16_t port, const std::string& target,
                      const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  return Fetch(port, "GET", target, "", headers);
}

}  // namespace metaledger::rest::testing
