// Unit tests of the REST building blocks that need no sockets.

#include <gtest/gtest.h>

#include "node/rest/http_types.h"
#include "node/rest/metrics.h"
#include "node/rest/rate_limiter.h"
#include "node/rest/router.h"

namespace metaledger::rest {
namespace {

TEST(ParseTarget, DecodesSegmentsAndQuery) {
  auto t = ParseTarget("/v1/state/ab%43d?height=5&prove=true&x=a+b%21");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->segments, (std::vector<std::string>{"v1", "state", "abCd"}));
  EXPECT_EQ(t->query.at("height"), "5");
  EXPECT_EQ(t->query.at("x"), "a b!");
  EXPECT_EQ(ParseTarget("/")->segments, std::vector<std::string>{""});
}

TEST(ParseTarget, RejectsPathTricks) {
  for (const char* bad : {"", "v1/status", "http://evil/v1/status", "*", "/v1/../status",
                          "/v1/./status", "/v1/%2e%2e/status", "/v1/%2E/status", "/v1/a%2fb",
                          "/v1/a%00b", "/v1/%zz", "/v1/%4", "/v1/%", "/v1?a=%g1", "/v1?a=1&a=2"}) {
    auto t = ParseTarget(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << bad;
    }
  }
}

TEST(Router, MatchesLiteralsBeforeParametersAndReports405) {
  Router router;
  router.Add(http::verb::get, "/v1/blocks/{height}", [](const Request& r) {
    return JsonReply({{"height", r.Param("height")}});
  });
  router.Add(http::verb::get, "/v1/blocks/by-hash/{hash}", [](const Request& r) {
    return JsonReply({{"hash", r.Param("hash")}});
  });
  router.Add(http::verb::post, "/v1/txs", [](const Request&) { return JsonReply({}); });
  auto dispatch = [&](http::verb verb, const std::string& target) {
    Request req;
    req.method = verb;
    req.method_text = std::string(http::to_string(verb));
    req.segments = ParseTarget(target)->segments;
    Reply reply = router.Dispatch(req);
    return std::make_pair(reply, req.route);
  };
  auto [r1, route1] = dispatch(http::verb::get, "/v1/blocks/12");
  EXPECT_EQ(r1.body, R"({"height":"12"})");
  EXPECT_EQ(route1, "/v1/blocks/{height}");
  auto [r2, route2] = dispatch(http::verb::get, "/v1/blocks/by-hash/ab");
  EXPECT_EQ(r2.body, R"({"hash":"ab"})");
  EXPECT_EQ(dispatch(http::verb::get, "/v1/blocks").first.status, http::status::not_found);
  EXPECT_EQ(dispatch(http::verb::get, "/v1/blocks/").first.status, http::status::not_found);
  EXPECT_EQ(dispatch(http::verb::get, "/v1/blocks/1/x").first.status, http::status::not_found);
  auto [r3, route3] = dispatch(http::verb::get, "/v1/txs");
  EXPECT_EQ(r3.status, http::status::method_not_allowed);
  ASSERT_EQ(r3.headers.size(), 1u);
  EXPECT_EQ(r3.headers[0], (std::pair<std::string, std::string>{"Allow", "POST"}));
  EXPECT_EQ(router.Routes().size(), 3u);
}

TEST(ProblemReply, IsAnRfc9457Document) {
  Reply r = ProblemReply(http::status::not_found, "NOT_FOUND", "no block 9");
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["status"], 404);
  EXPECT_EQ(j["code"], "NOT_FOUND");
  EXPECT_EQ(j["detail"], "no block 9");
  EXPECT_EQ(j["title"], "Not Found");
  // Bytes that are not UTF-8 (echoed input) do not break the document.
  EXPECT_FALSE(ProblemReply(http::status::bad_request, "BAD_REQUEST", "\xff\xfe").body.empty());
}

TEST(RateLimiter, RefusesBeyondBurstAndRefillsAtTheRate) {
  RateLimiter limiter(2.0, 3.0, 100);
  auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("a", t0).allowed);
  auto refused = limiter.Take("a", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1u);
  EXPECT_TRUE(limiter.Take("b", t0).allowed);  // per client
  EXPECT_TRUE(limiter.Take("a", t0 + std::chrono::milliseconds(500)).allowed);
  EXPECT_FALSE(limiter.Take("a", t0 + std::chrono::milliseconds(600)).allowed);
  RateLimiter off(0, 1);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.Take("a", t0).allowed);
}

TEST(RateLimiter, BoundsTheClientTable) {
  RateLimiter limiter(1.0, 2.0, 10);
  auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 1000; ++i) {
    limiter.Take("10.0.0." + std::to_string(i), t0 + std::chrono::milliseconds(i));
    ASSERT_LE(limiter.tracked_clients(), 10u);
  }
}

TEST(Metrics, RendersPrometheusTextFormat) {
  MetricsRegistry m;
  m.GetCounter("ml_requests_total", "Requests", {{"route", "/a"}, {"status", "200"}}).Inc(3);
  m.GetCounter("ml_requests_total", "Requests", {{"route", "/a"}, {"status", "200"}}).Inc();
  m.GetGauge("ml_height", "Height").Set(42);
  Histogram& h = m.GetHistogram("ml_latency_seconds", "Latency", {}, {0.1, 1});
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(5);
  m.GetCounter("ml_odd", "Help", {{"v", "a\"b\\c\nd"}}).Inc();
  std::string text = m.RenderPrometheus();
  EXPECT_NE(text.find("# TYPE ml_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("ml_requests_total{route=\"/a\",status=\"200\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE ml_height gauge\nml_height 42\n"), std::string::npos);
  EXPECT_NE(text.find("ml_latency_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("ml_latency_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("ml_latency_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("ml_latency_seconds_sum 5.55\n"), std::string::npos) << text;
  EXPECT_NE(text.find("ml_latency_seconds_count 3\n"), std::string::npos);
  EXPECT_NE(text.find("ml_odd{v=\"a\\\"b\\\\c\\nd\"} 1\n"), std::string::npos) << text;
  // A name clash with another type, or an invalid name, is never rendered.
  m.GetGauge("ml_requests_total", "clash").Set(7);
  m.GetCounter("bad name", "x").Inc();
  std::string again = m.RenderPrometheus();
  EXPECT_EQ(again.find("clash"), std::string::npos);
  EXPECT_EQ(again.find("bad name"), std::string::npos);
}

}  // namespace
}  // namespace metaledger::rest
