// Hostile clients: malformed requests, oversized input, slow and idle connections, connection
// floods and rate limits. The server must answer 4xx or close, never crash, and keep serving.

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <random>

#include "tests/node/rest/rest_fixture.h"

namespace metaledger::rest::testing {
namespace {

using namespace std::chrono_literals;

// Sends raw bytes on a fresh connection and returns the parsed answer (status 0 if none).
HttpResult Raw(uint16_t port, const std::string& bytes, bool* closed = nullptr) {
  int fd = Connect(port);
  if (fd < 0) return {};
  SendAll(fd, bytes);
  std::string got = ReadUntilClose(fd, 3s, closed);
  ::close(fd);
  return ParseResponse(got);
}

class RestAbuseTest : public RestFixture {
 protected:
  void Start(RestOptions api) { StartServer(api); }
  void ExpectStillServing() {
    HttpResult r = Get(api_port_, "/v1/status");
    EXPECT_EQ(r.status, 200);
  }
};

TEST_F(RestAbuseTest, MalformedRequestsGet400OrClose) {
  Start({});
  for (const std::string& bad :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET\r\n\r\n"),
        std::string("GET /v1/status HTTP/9.9\r\n\r\n"),
        std::string("GET /v1/status HTTP/1.1\r\nNoColon\r\n\r\n"),
        std::string("POST /v1/txs HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
        std::string("POST /v1/txs HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)}) {
    bool closed = false;
    HttpResult r = Raw(api_port_, bad, &closed);
    EXPECT_TRUE(r.status == 400 || (r.status == 0 && closed)) << bad << " -> " << r.status;
  }
  ExpectStillServing();
}

TEST_F(RestAbuseTest, UnknownMethodsAndPathTricks) {
  Start({});
  HttpResult brew =
      Raw(api_port_, "BREW /v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(brew.status, 405);
  HttpResult del = Fetch(api_port_, "DELETE", "/v1/status");
  EXPECT_EQ(del.status, 405);
  EXPECT_EQ(del.Header("allow"), "GET, HEAD");
  EXPECT_EQ(del.Json()["code"], "METHOD_NOT_ALLOWED");
  for (const char* trick :
       {"/v1/../v1/status", "/v1/%2e%2e/status", "/v1/status/..", "/v1/blocks%2F1", "/v1/%zz",
        "/v1/blocks/%", "http://x/v1/status", "/v1/blocks/1%00"}) {
    HttpResult r = Get(api_port_, trick);
    EXPECT_EQ(r.status, 400) << trick << " -> " << r.body;
  }
  EXPECT_EQ(Get(api_port_, "/v1/blocks/%31").Json()["height"], "1");  // %31 is '1'
  EXPECT_EQ(Get(api_port_, "/etc/passwd").status, 404);
  EXPECT_EQ(Get(api_port_, "/v1/status/").status, 404);
  ExpectStillServing();
}

TEST_F(RestAbuseTest, OversizedBodiesAndHeadersAreRefused) {
  RestOptions opts;
  opts.max_body_bytes = 4096;
  opts.max_header_bytes = 2048;
  Start(opts);
  HttpResult big = Fetch(api_port_, "POST", "/v1/txs", std::string(100'000, 'a'));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.Json()["code"], "BODY_TOO_LARGE");
  // A huge declared length is refused before any body byte is sent.
  HttpResult declared =
      Raw(api_port_, "POST /v1/txs HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n");
  EXPECT_EQ(declared.status, 413);
  HttpResult headers = Get(api_port_, "/v1/status", {{"X-Junk", std::string(10'000, 'h')}});
  EXPECT_EQ(headers.status, 431);
  std::string many = "GET /v1/status HTTP/1.1\r\n";
  for (int i = 0; i < 500; ++i) many += "X-" + std::to_string(i) + ": y\r\n";
  EXPECT_EQ(Raw(api_port_, many + "\r\n").status, 431);
  ExpectStillServing();
}

TEST_F(RestAbuseTest, SlowAndIdleClientsAreDisconnected) {
  RestOptions opts;
  opts.idle_timeout = 400ms;
  opts.request_timeout = 800ms;
  Start(opts);
  // Idle: connects and says nothing.
  int idle = Connect(api_port_);
  // Slowloris: a header byte every 100 ms, never finishing.
  int slow = Connect(api_port_);
  ASSERT_GE(idle, 0);
  ASSERT_GE(slow, 0);
  SendAll(slow, "GET /v1/status HTTP/1.1\r\n");
  auto start = std::chrono::steady_clock::now();
  bool slow_closed = false;
  for (int i = 0; i < 40 && !slow_closed; ++i) {
    if (!SendAll(slow, "X")) {
      slow_closed = true;
      break;
    }
    bool closed = false;
    ReadUntilClose(slow, 100ms, &closed);
    slow_closed = closed;
    if (i == 2) ExpectStillServing();  // others are served meanwhile
  }
  EXPECT_TRUE(slow_closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
  bool idle_closed = false;
  ReadUntilClose(idle, 2s, &idle_closed);
  EXPECT_TRUE(idle_closed);
  ::close(idle);
  ::close(slow);
  ExpectStillServing();
}

TEST_F(RestAbuseTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Start({});
  int fd = Connect(api_port_);
  ASSERT_GE(fd, 0);
  SendAll(fd,
          "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/blocks/1 HTTP/1.1\r\nHost: x\r\n"
          "Connection: close\r\n\r\n");
  bool closed = false;
  std::string both = ReadUntilClose(fd, 3s, &closed);
  ::close(fd);
  EXPECT_TRUE(closed);
  size_t first = both.find("HTTP/1.1 200");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(both.find("HTTP/1.1 200", first + 1), std::string::npos);
}

TEST_F(RestAbuseTest, ThousandConcurrentConnectionsDoNotStopService) {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur < 4096 && lim.rlim_max >= 4096) {
    lim.rlim_cur = 4096;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur < 2400) GTEST_SKIP() << "needs 2400 file descriptors";
  RestOptions opts;
  opts.max_connections = 600;
  opts.rate_per_second = 0;
  Start(opts);
  std::vector<int> fds;
  for (int i = 0; i < 1000; ++i) {
    int fd = Connect(api_port_);
    if (fd >= 0) {
      SendAll(fd, "GET /v1/sta");  // half a request
      fds.push_back(fd);
    }
  }
  EXPECT_EQ(fds.size(), 1000u);
  // Past the cap, connections are closed at once; under it, they wait for their timeout.
  std::this_thread::sleep_for(300ms);
  size_t refused = 0;
  for (int fd : fds) {
    bool closed = false;
    ReadUntilClose(fd, 1ms, &closed);
    refused += closed;
  }
  EXPECT_GE(refused, 350u);
  for (int fd : fds) ::close(fd);
  std::this_thread::sleep_for(200ms);
  ExpectStillServing();
}

TEST_F(RestAbuseTest, RateLimitAnswers429WithRetryAfter) {
  RestOptions opts;
  opts.rate_per_second = 2;
  opts.rate_burst = 5;
  Start(opts);
  int ok = 0, limited = 0;
  std::string retry_after;
  for (int i = 0; i < 12; ++i) {
    HttpResult r = Get(api_port_, "/v1/status");
    if (r.status == 200) ++ok;
    if (r.status == 429) {
      ++limited;
      retry_after = r.Header("retry-after");
      EXPECT_EQ(r.Json()["code"], "RATE_LIMITED");
    }
  }
  EXPECT_GE(ok, 5);
  EXPECT_LE(ok, 7);
  EXPECT_GE(limited, 5);
  EXPECT_GE(std::atoi(retry_after.c_str()), 1);
  // The ops port has its own budget: monitoring still works while the API client is limited.
  EXPECT_EQ(Get(ops_port_, "/livez").status, 200);
}

TEST_F(RestAbuseTest, RandomBytesNeverCrashTheServer) {
  RestOptions opts;
  opts.request_timeout = 300ms;
  opts.idle_timeout = 300ms;
  opts.rate_per_second = 0;
  Start(opts);
  std::mt19937 rng(7);
  const std::string prefixes[] = {"", "GET /v1/", "POST /v1/txs HTTP/1.1\r\n",
                                  "GET / HTTP/1.1\r\nHost: "};
  for (int i = 0; i < 150; ++i) {
    std::string junk = prefixes[i % 4];
    size_t n = rng() % 300;
    for (size_t k = 0; k < n; ++k) junk.push_back(static_cast<char>(rng() % 256));
    if (i % 3 == 0) junk += "\r\n\r\n";
    int fd = Connect(api_port_);
    ASSERT_GE(fd, 0);
    SendAll(fd, junk);
    bool closed = false;
    std::string got = ReadUntilClose(fd, 1s, &closed);
    ::close(fd);
    HttpResult r = ParseResponse(got);
    EXPECT_TRUE(closed || r.status != 0);
    if (r.status != 0) {
      EXPECT_GE(r.status, 400) << junk;
    }
  }
  ExpectStillServing();
}

}  // namespace
}  // namespace metaledger::rest::testing
