#include "node/rest/rest_service.h"

namespace metaledger::rest {

RestService::RestService(boost::asio::io_context& io, RestOptions api_options,
                         RestOptions ops_options, RestDeps deps)
    : deps_(std::move(deps)), api_(*deps_.chain, *deps_.views, *deps_.backend, api_options) {
  api_.Register(api_router_);
  RegisterOpsRoutes(ops_router_, *deps_.chain, *deps_.backend, *deps_.metrics, deps_.version,
                    deps_.before_scrape);
  api_server_ = std::make_unique<HttpServer>(
      io, std::move(api_options), [this](Request& r) { return api_router_.Dispatch(r); },
      deps_.metrics, "api");
  ops_server_ = std::make_unique<HttpServer>(
      io, std::move(ops_options), [this](Request& r) { return ops_router_.Dispatch(r); },
      deps_.metrics, "ops");
}

Status RestService::Start() {
  ML_RETURN_IF_ERROR(api_server_->Start());
  Status ops = ops_server_->Start();
  if (!ops.ok()) api_server_->Stop();
  return ops;
}

void RestService::BeginDrain() {
  api_server_->BeginDrain();
  ops_server_->BeginDrain();
}

size_t RestService::open_connections() const {
  return api_server_->open_connections() + ops_server_->open_connections();
}

void RestService::Stop() {
  api_server_->Stop();
  ops_server_->Stop();
}

}  // namespace metaledger::rest
