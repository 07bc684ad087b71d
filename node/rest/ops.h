#pragma once
// The operator endpoints, served on their own port (ops.listen) so they can be exposed to a
// monitoring network without exposing the API, and keep answering when the API is saturated:
//   GET /livez    200 while the process serves requests
//   GET /readyz   200 when every readiness part holds, else 503 naming the failing parts
//   GET /metrics  Prometheus text format from the MetricsRegistry
//   GET /version  software version and chain id

#include <functional>
#include <string>

#include "node/rest/backend.h"
#include "node/rest/metrics.h"
#include "node/rest/router.h"

namespace metaledger::rest {

// `chain` is checked as the "storage" readiness part (its latest height must be readable);
// the backend supplies the other parts. `before_scrape`, when set, runs before /metrics renders.
// References must outlive the router.
void RegisterOpsRoutes(Router& router, const ChainReader& chain, const RestBackend& backend,
                       const MetricsRegistry& metrics, std::string version,
                       std::function<void()> before_scrape = {});

}  // namespace metaledger::rest
