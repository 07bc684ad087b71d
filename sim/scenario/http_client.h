#pragma once
// A minimal synchronous HTTP/1.1 client (Boost.Beast) for the simulator's live mode: one
// keep-alive connection to one node, every request bounded by a timeout, reconnecting once when
// the node closed an idle connection. Failures are Status values naming the URL, never throws.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"

namespace metaledger::sim {

// "http://HOST:PORT" (an optional trailing slash; no path, no https).
struct NodeUrl {
  std::string host;
  uint16_t port = 0;
  std::string Text() const;
};
// InvalidArgument saying what is wrong with `url`.
Result<NodeUrl> ParseNodeUrl(const std::string& url);

struct HttpReply {
  int status = 0;
  std::string body;
};

class HttpClient {
 public:
  HttpClient(NodeUrl url, std::chrono::milliseconds timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Unavailable when the node cannot be reached or the exchange times out; any HTTP status is
  // a reply (the caller decides what a 4xx means).
  Result<HttpReply> Get(const std::string& target);
  Result<HttpReply> Post(const std::string& target, const std::string& content_type,
                         std::string body);

  const NodeUrl& url() const { return url_; }

 private:
  struct Impl;
  Result<HttpReply> Exchange(bool post, const std::string& target, const std::string& content_type,
                             const std::string& body);
  NodeUrl url_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace metaledger::sim
