#pragma once
// The node's HTTP side in one object: the public API server ([api] listen) and the operator
// server ([ops] listen), each on its own port, sharing one io_context and one metrics registry.
// The operator server serves /livez, /readyz, /metrics and /version (node/rest/ops.h); the
// embedding process may add routes of its own with ops_router() before Start().
//
//   RestService rest(io, api_options, ops_options, {&reader, &views, &backend, &metrics, "0.1.0"});
//   ML_RETURN_IF_ERROR(rest.Start());
//   ... io.run() ...
//   rest.BeginDrain();  // graceful: wait for open_connections() == 0, bounded, then
//   rest.Stop();

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "node/rest/api.h"
#include "node/rest/backend.h"
#include "node/rest/metrics.h"
#include "node/rest/ops.h"
#include "node/rest/router.h"
#include "node/rest/server.h"

namespace metaledger::rest {

struct RestDeps {
  const ChainReader* chain = nullptr;
  const ContractViews* views = nullptr;
  RestBackend* backend = nullptr;
  MetricsRegistry* metrics = nullptr;
  std::string version;
  // Optional: runs before each /metrics scrape, e.g. to copy node counters into `metrics`.
  std::function<void()> before_scrape;
};

class RestService {
 public:
  // Every pointer in deps must be set and outlive the service.
  RestService(boost::asio::io_context& io, RestOptions api_options, RestOptions ops_options,
              RestDeps deps);

  Status Start();  // both servers, or neither
  // Both servers stop accepting and close idle connections; in-flight requests finish.
  void BeginDrain();
  void Stop();
  size_t open_connections() const;
  uint16_t api_port() const { return api_server_->port(); }
  uint16_t ops_port() const { return ops_server_->port(); }
  const Router& api_router() const { return api_router_; }
  Router& ops_router() { return ops_router_; }

 private:
  RestDeps deps_;
  RestApi api_;
  Router api_router_;
  Router ops_router_;
  std::unique_ptr<HttpServer> api_server_;
  std::unique_ptr<HttpServer> ops_server_;
};

}  // namespace metaledger::rest
