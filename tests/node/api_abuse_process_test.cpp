// Hostile HTTP clients against a real metaledger-node process (the in-memory versions are in
// tests/node/rest/rest_abuse_test.cpp): malformed JSON and hex, oversized bodies and headers,
// slowloris connections, unknown methods, path tricks and a flood of connections. The node must
// answer 4xx or close the connection, never crash, and keep serving everyone else; its operator
// port counts what it rejected, by reason.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <atomic>
#include <thread>

#include "process_harness.h"
#include "tests/node/rest/http_client.h"

namespace metaledger::node::testing {
namespace {

namespace rt = metaledger::rest::testing;

// Raw bytes on a fresh connection; the parsed answer (status 0 if none) and whether it closed.
rt::HttpResult Raw(uint16_t port, const std::string& bytes, bool* closed = nullptr) {
  int fd = rt::Connect(port);
  if (fd < 0) return {};
  rt::SendAll(fd, bytes);
  std::string got = rt::ReadUntilClose(fd, 5s, closed);
  ::close(fd);
  return rt::ParseResponse(got);
}

class ApiAbuseProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Four validators, as in production; only node 0 is attacked.
    cluster_ = new ProcessCluster("abuse", 4);
    ASSERT_TRUE(cluster_->ok());
    cluster_->StartAll();
    ASSERT_TRUE(
        Eventually([] { return rt::Get(cluster_->api_port(0), "/v1/status").status == 200; }, 15s))
        << "API not reachable";
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  uint16_t api() const { return cluster_->api_port(0); }
  uint16_t ops() const { return cluster_->ops_port(0); }
  // The process has not exited and both ports answer.
  void ExpectAliveAndServing() {
    EXPECT_EQ(rt::Get(api(), "/v1/status").status, 200);
    EXPECT_EQ(rt::Get(ops(), "/livez").status, 200);
  }
  static ProcessCluster* cluster_;
};

ProcessCluster* ApiAbuseProcessTest::cluster_ = nullptr;

TEST_F(ApiAbuseProcessTest, BadInputGets4xxAndTheNodeKeepsServing) {
  // Slowloris in the background: header bytes dripped forever on 20 connections. The node's
  // request deadline (10 s by default) must cut every one of them while others are served.
  constexpr int kSlow = 20;
  std::vector<int> slow;
  for (int i = 0; i < kSlow; ++i) {
    int fd = rt::Connect(api());
    ASSERT_GE(fd, 0);
    rt::SendAll(fd, "GET /v1/status HTTP/1.1\r\nHost: x\r\n");
    slow.push_back(fd);
  }
  std::atomic<int> slow_cut{0};
  auto slow_started = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration slow_took{};
  std::thread dripper([&] {
    std::vector<bool> open(kSlow, true);
    while (slow_cut < kSlow && std::chrono::steady_clock::now() - slow_started < 20s) {
      for (int i = 0; i < kSlow; ++i) {
        if (!open[i]) continue;
        bool closed = false;
        if (!rt::SendAll(slow[i], "X")) {
          closed = true;
        } else {
          rt::ReadUntilClose(slow[i], 20ms, &closed);
        }
        if (closed) open[i] = false, ++slow_cut;
      }
    }
    slow_took = std::chrono::steady_clock::now() - slow_started;
  });

  // Malformed JSON and hex.
  for (const std::string& body : {std::string("{"), std::string("{\"tx\": 12}"),
                                  std::string("[1,2]"), std::string("{\"tx\":\"zz\"}")}) {
    rt::HttpResult r =
        rt::Fetch(api(), "POST", "/v1/txs", body, {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  }
  rt::HttpResult not_hex = rt::Fetch(api(), "POST", "/v1/txs", "xyz");
  EXPECT_EQ(not_hex.status, 400);
  EXPECT_EQ(not_hex.Json()["code"], "BAD_REQUEST");
  rt::HttpResult not_tx = rt::Fetch(api(), "POST", "/v1/txs", "abcd");  // hex, not a transaction
  EXPECT_EQ(not_tx.status, 400);
  EXPECT_EQ(not_tx.Json()["code"], "BAD_ENCODING");
  {  // well formed and signed, but for another chain
    Transaction tx;
    tx.chain_id = "some-other-chain";
    tx.nonce = 1;
    tx.kind = static_cast<uint16_t>(TxKind::TRANSFER);
    tx.payload = Encode(TransferPayload{Address{}, 1});
    tx.Sign(PrivateKey::Generate());
    rt::HttpResult other_chain = rt::Fetch(api(), "POST", "/v1/txs", ToHex(Encode(tx)));
    EXPECT_EQ(other_chain.status, 400) << other_chain.body;
    EXPECT_EQ(other_chain.Json()["code"], "WRONG_CHAIN") << other_chain.body;
  }
  for (const char* target : {"/v1/txs/zz",
                             "/v1/txs/"
                             "0123",
                             "/v1/blocks/by-hash/xyz", "/v1/blocks/-1",
                             "/v1/blocks/99999999999999999999999", "/v1/accounts/nothex",
                             "/v1/state/abc", "/v1/blocks?limit=0", "/v1/blocks?cursor=garbage"}) {
    rt::HttpResult r = rt::Get(api(), target);
    EXPECT_EQ(r.status, 400) << target << " -> " << r.body;
  }
  // The legacy ops routes refuse bad input too.
  EXPECT_EQ(rt::Fetch(ops(), "POST", "/tx", "not hex").status, 400);
  EXPECT_EQ(rt::Get(ops(), "/tx/zz").status, 400);
  EXPECT_EQ(rt::Get(ops(), "/cert/abc").status, 400);

  // Huge bodies (declared or sent) and huge headers.
  EXPECT_EQ(rt::Fetch(api(), "POST", "/v1/txs", std::string(1 << 20, 'a')).status, 413);
  EXPECT_EQ(Raw(api(), "POST /v1/txs HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n").status, 413);
  EXPECT_EQ(rt::Get(api(), "/v1/status", {{"X-Junk", std::string(64 << 10, 'h')}}).status, 431);
  EXPECT_EQ(rt::Get(ops(), "/status", {{"X-Junk", std::string(64 << 10, 'h')}}).status, 431);

  // Unknown methods, HEAD, path tricks.
  rt::HttpResult brew = Raw(api(), "BREW /v1/status HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(brew.status, 405);
  EXPECT_EQ(brew.Header("allow"), "GET, HEAD");
  EXPECT_EQ(rt::Fetch(ops(), "DELETE", "/tx").status, 405);
  EXPECT_EQ(rt::Fetch(ops(), "DELETE", "/tx").Header("allow"), "POST");
  rt::HttpResult head = rt::Fetch(api(), "HEAD", "/v1/genesis");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_NE(head.Header("content-length"), "0");
  for (const char* trick : {"/v1/../v1/status", "/v1/%2e%2e/status", "/v1/blocks%2F1", "/v1/%zz",
                            "/v1/blocks/1%00", "/../../etc/passwd"}) {
    EXPECT_EQ(rt::Get(api(), trick).status, 400) << trick;
    EXPECT_EQ(rt::Get(ops(), trick).status, 400) << trick;
  }
  for (const std::string& bad :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET /v1/status HTTP/9.9\r\n\r\n"),
        std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)}) {
    bool closed = false;
    rt::HttpResult r = Raw(api(), bad, &closed);
    EXPECT_TRUE(r.status == 400 || (r.status == 0 && closed)) << bad << " -> " << r.status;
  }
  ExpectAliveAndServing();

  dripper.join();
  for (int fd : slow) ::close(fd);
  EXPECT_EQ(slow_cut.load(), kSlow) << "slow clients still connected";
  EXPECT_LT(slow_took, 15s);

  std::string metrics = rt::Get(ops(), "/metrics").body;
  for (const char* reason :
       {"body_too_large", "header_too_large", "request_timeout", "bad_target"}) {
    EXPECT_NE(metrics.find(std::string("reason=\"") + reason + "\""), std::string::npos) << reason;
  }
  EXPECT_NE(metrics.find("route=\"/v1/txs\",status=\"400\""), std::string::npos);
  ExpectAliveAndServing();
}

TEST_F(ApiAbuseProcessTest, AConnectionFloodIsCappedAndTheNodeRecovers) {
  // More connections than the API's cap (2048 by default): the node accepts up to the cap and
  // closes the rest at once; none of this reaches the operator port.
  constexpr int kFlood = 2500;
  std::vector<int> fds;
  fds.reserve(kFlood);
  for (int i = 0; i < kFlood; ++i) {
    int fd = rt::Connect(api());
    if (fd >= 0) fds.push_back(fd);
  }
  EXPECT_GT(fds.size(), 2000u);
  EXPECT_EQ(rt::Get(ops(), "/livez").status, 200);
  // Every connection either is served or is closed: the flood cannot wedge the node.
  int answered = 0;
  for (size_t i = 0; i < fds.size(); i += 50) {
    bool closed = false;
    rt::SendAll(fds[i], "GET /v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    rt::HttpResult r = rt::ParseResponse(rt::ReadUntilClose(fds[i], 5s, &closed));
    EXPECT_TRUE(r.status == 200 || r.status == 429 || (r.status == 0 && closed)) << r.status;
    answered += r.status != 0;
  }
  EXPECT_GT(answered, 0);
  for (int fd : fds) ::close(fd);
  ASSERT_TRUE(Eventually([&] { return rt::Get(api(), "/v1/status").status == 200; }, 10s));
  std::string metrics = rt::Get(ops(), "/metrics").body;
  EXPECT_NE(metrics.find("reason=\"too_many_connections\""), std::string::npos);
  ExpectAliveAndServing();
}

}  // namespace
}  // namespace metaledger::node::testing
