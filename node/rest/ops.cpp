#include "node/rest/ops.h"

namespace metaledger::rest {

using nlohmann::json;

void RegisterOpsRoutes(Router& router, const ChainReader& chain, const RestBackend& backend,
                       const MetricsRegistry& metrics, std::string version,
                       std::function<void()> before_scrape) {
  router.Add(http::verb::get, "/livez", [](const Request&) {
    return JsonReply({{"status", "ok"}});
  });

  router.Add(http::verb::get, "/readyz", [&chain, &backend](const Request&) -> Reply {
    std::vector<ReadinessPart> parts;
    auto latest = chain.LatestHeight();
    parts.push_back({"storage", latest.ok(), latest.ok() ? "" : latest.status().ToString()});
    for (ReadinessPart& p : backend.Readiness()) parts.push_back(std::move(p));
    json listed = json::array();
    std::string failing;
    for (const ReadinessPart& p : parts) {
      listed.push_back({{"name", p.name}, {"ready", p.ready}, {"detail", p.detail}});
      if (!p.ready) {
        failing += (failing.empty() ? "" : ", ") + p.name +
                   (p.detail.empty() ? "" : " (" + p.detail + ")");
      }
    }
    if (failing.empty()) return JsonReply({{"status", "ready"}, {"parts", listed}});
    Reply reply =
        ProblemReply(http::status::service_unavailable, "NOT_READY", "not ready: " + failing);
    json doc = json::parse(reply.body);
    doc["parts"] = listed;
    reply.body = doc.dump();
    return reply;
  });

  router.Add(http::verb::get, "/metrics", [&metrics, before_scrape](const Request&) {
    if (before_scrape) before_scrape();
    Reply reply;
    reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
    reply.body = metrics.RenderPrometheus();
    return reply;
  });

  router.Add(http::verb::get, "/version", [&chain, version](const Request&) {
    return JsonReply({{"version", version}, {"chain_id", chain.genesis().chain_id}});
  });
}

}  // namespace metaledger::rest
