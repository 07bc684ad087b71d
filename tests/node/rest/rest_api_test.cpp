// Every /v1 and ops endpoint over real HTTP on 127.0.0.1, against a certified test chain.

#include <gtest/gtest.h>

#include <set>

#include "core/crypto/verifier.h"
#include "core/payload/error_codes.h"
#include "core/proof_bundle.h"
#include "tests/node/rest/audit.h"
#include "tests/node/rest/rest_fixture.h"

namespace metaledger::rest::testing {
namespace {

using nlohmann::json;

// Every string and number leaf of a JSON document, by JSON pointer.
void Leaves(const json& j, const json::json_pointer& at, std::vector<json::json_pointer>* out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) Leaves(it.value(), at / it.key(), out);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) Leaves(j[i], at / i, out);
  } else {
    out->push_back(at);
  }
}

class RestApiTest : public RestFixture {
 protected:
  void SetUp() override {
    RestOptions api;
    api.max_commit_wait = std::chrono::milliseconds(1500);
    StartServer(api);
  }
  json GetJson(const std::string& target, int want_status = 200) {
    HttpResult r = Get(api_port_, target);
    EXPECT_EQ(r.status, want_status) << target << " -> " << r.body;
    return r.Json();
  }
  void ExpectProblem(const std::string& target, int status, const std::string& code) {
    HttpResult r = Get(api_port_, target);
    EXPECT_EQ(r.status, status) << target << " -> " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << target;
    json j = r.Json();
    ASSERT_TRUE(j.is_object()) << target;
    EXPECT_EQ(j.value("code", ""), code) << target << " -> " << r.body;
    EXPECT_EQ(j.value("status", 0), status);
    EXPECT_FALSE(j.value("detail", "").empty());
  }
};

TEST_F(RestApiTest, StatusReportsChainAndServedHeight) {
  HttpResult r = Get(api_port_, "/v1/status");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("x-metaledger-height"), "6");
  json j = r.Json();
  EXPECT_EQ(j["chain_id"], chain_.genesis().chain_id);
  EXPECT_EQ(j["latest_height"], "6");
  EXPECT_EQ(j["latest_hash"], chain_.GetBlock(6)->Hash(chain_.genesis().chain_id).Hex());
  EXPECT_EQ(j["state_root"], chain_.GetCommitCert(6)->state_root.Hex());
  EXPECT_EQ(j["node_id"], "node-0");
  EXPECT_EQ(j["peers"], 3);
  EXPECT_EQ(j["catching_up"], false);
}

TEST_F(RestApiTest, GenesisIsCacheableByHash) {
  HttpResult r = Get(api_port_, "/v1/genesis");
  ASSERT_EQ(r.status, 200);
  std::string hash = chain_.genesis().Hash().Hex();
  EXPECT_EQ(r.Json()["hash"], hash);
  EXPECT_EQ(r.Header("etag"), "\"" + hash + "\"");
  HttpResult again = Get(api_port_, "/v1/genesis", {{"If-None-Match", "\"" + hash + "\""}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(RestApiTest, BlockListPagesNewestFirstWithoutGapsOrRepeats) {
  json all = GetJson("/v1/blocks");
  EXPECT_EQ(all["items"].size(), 7u);
  EXPECT_EQ(all["next_cursor"], "");
  std::vector<std::string> heights;
  std::string cursor;
  do {
    json page = GetJson("/v1/blocks?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_LE(page["items"].size(), 2u);
    for (const json& h : page["items"]) heights.push_back(h["height"]);
    cursor = page["next_cursor"];
  } while (!cursor.empty() && heights.size() < 20);
  EXPECT_EQ(heights, (std::vector<std::string>{"6", "5", "4", "3", "2", "1", "0"}));
  for (const char* bad : {"/v1/blocks?cursor=abc", "/v1/blocks?cursor=99", "/v1/blocks?limit=0",
                          "/v1/blocks?limit=201", "/v1/blocks?limit=x", "/v1/blocks?cursor=-1"}) {
    ExpectProblem(bad, 400, "BAD_REQUEST");
  }
}

TEST_F(RestApiTest, BlockByHeightAndHashAgree) {
  std::string hash = chain_.GetBlock(3)->Hash(chain_.genesis().chain_id).Hex();
  HttpResult r = Get(api_port_, "/v1/blocks/3");
  ASSERT_EQ(r.status, 200);
  json j = r.Json();
  EXPECT_EQ(j["hash"], hash);
  EXPECT_EQ(j["txs"].size(), 3u);
  EXPECT_EQ(j["txs"][2]["result"]["name"], "BAD_NONCE");
  EXPECT_EQ(r.Header("etag"), "\"" + hash + "\"");
  EXPECT_EQ(Get(api_port_, "/v1/blocks/3", {{"If-None-Match", "\"" + hash + "\""}}).status, 304);
  EXPECT_EQ(GetJson("/v1/blocks/by-hash/" + hash), j);
  ExpectProblem("/v1/blocks/7", 404, "NOT_FOUND");
  ExpectProblem("/v1/blocks/by-hash/" + std::string(64, 'e'), 404, "NOT_FOUND");
  for (const char* bad : {"/v1/blocks/abc", "/v1/blocks/01", "/v1/blocks/-1", "/v1/blocks/1.5",
                          "/v1/blocks/99999999999999999999999", "/v1/blocks/by-hash/xyz",
                          "/v1/blocks/by-hash/abcd"}) {
    ExpectProblem(bad, 400, "BAD_REQUEST");
  }
}

TEST_F(RestApiTest, CertificateIsServedWithItsHeader) {
  json j = GetJson("/v1/blocks/4/certificate");
  CommitCert cert = *chain_.GetCommitCert(4);
  EXPECT_EQ(j["certificate"]["state_root"], cert.state_root.Hex());
  EXPECT_EQ(j["certificate"]["sigs"].size(), 3u);
  EXPECT_EQ(j["header"]["height"], "4");
  ExpectProblem("/v1/blocks/0/certificate", 404, "NOT_FOUND");
  ExpectProblem("/v1/blocks/8/certificate", 404, "NOT_FOUND");
  ExpectProblem("/v1/blocks/x/certificate", 400, "BAD_REQUEST");
}

TEST_F(RestApiTest, TransactionsCarryLocationAndResult) {
  for (const Hash256& hash : chain_.AllTxHashes()) {
    TxLocation loc = *chain_.LocateTx(hash);
    json j = GetJson("/v1/txs/" + hash.Hex());
    EXPECT_EQ(j["height"], std::to_string(loc.height));
    EXPECT_EQ(j["index"], loc.index);
    EXPECT_EQ(j["result"]["code"], loc.index % 3 == 2 ? 3 : 0);
    EXPECT_EQ(j["events"].size(), 1u);
    auto raw = FromHex(j["raw"].get<std::string>());
    ASSERT_TRUE(raw.ok());
    EXPECT_EQ(Decode<Transaction>(*raw)->Hash(), hash);
  }
  ExpectProblem("/v1/txs/" + std::string(64, '0'), 404, "NOT_FOUND");
  ExpectProblem("/v1/txs/0123", 400, "BAD_REQUEST");
  ExpectProblem("/v1/txs/" + std::string(64, 'g'), 400, "BAD_REQUEST");
  ExpectProblem("/v1/txs/" + std::string(64, '0') + "/proof", 404, "NOT_FOUND");
}

TEST_F(RestApiTest, ProofBundlesVerifyOfflineAndAnyFlipBreaksThem) {
  size_t checked = 0;
  for (const Hash256& hash : chain_.AllTxHashes()) {
    HttpResult r = Get(api_port_, "/v1/txs/" + hash.Hex() + "/proof");
    ASSERT_EQ(r.status, 200) << r.body;
    json bundle = r.Json();
    EXPECT_EQ(AuditBundle(bundle, chain_.genesis()), "") << bundle.dump();
    // The wallet's verifier (core/proof_bundle.h) accepts the same document.
    auto parsed = TxProofBundle::FromJson(r.body);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_TRUE(VerifyTxProof(*parsed, chain_.genesis()).ok());
    ++checked;
  }
  EXPECT_GE(checked, 15u);

  // Flip one byte (one hex digit, or one unit of a number) in every field of two bundles.
  for (const Hash256& hash : {chain_.AllTxHashes().front(), chain_.AllTxHashes().back()}) {
    json bundle = Get(api_port_, "/v1/txs/" + hash.Hex() + "/proof").Json();
    std::vector<json::json_pointer> leaves;
    Leaves(bundle, json::json_pointer(), &leaves);
    ASSERT_GT(leaves.size(), 20u);
    for (const auto& at : leaves) {
      json tampered = bundle;
      json& leaf = tampered[at];
      if (leaf.is_string()) {
        std::string s = leaf.get<std::string>();
        ASSERT_FALSE(s.empty());
        char& c = s[s.size() / 2];
        c = c == '0' ? '1' : (c == '1' ? '2' : '0');
        leaf = s;
      } else {
        leaf = leaf.get<uint64_t>() + 1;
      }
      EXPECT_NE(AuditBundle(tampered, chain_.genesis()), "") << "flip at " << at.to_string();
    }
  }
}

TEST_F(RestApiTest, AccountTransactionsPageThroughEverySentTransaction) {
  Address who = AddressOf(chain_.account(1).public_key());
  std::set<std::string> want;
  for (const Hash256& h : chain_.AllTxHashes()) {
    auto loc = chain_.LocateTx(h);
    auto txs = chain_.GetBlockTxs(loc->height);
    auto receipts = chain_.GetReceipts(loc->height);
    if (AddressOf((*txs)[loc->index].sender) == who && RanToNonce(receipts->tx_codes[loc->index])) {
      want.insert(h.Hex());
    }
  }
  ASSERT_GE(want.size(), 3u);
  std::set<std::string> got;
  std::string cursor;
  int pages = 0;
  do {
    json page = GetJson("/v1/accounts/" + who.Hex() + "/txs?limit=2" +
                        (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const json& item : page["items"]) EXPECT_TRUE(got.insert(item["hash"]).second);
    cursor = page["next_cursor"];
  } while (!cursor.empty() && ++pages < 20);
  EXPECT_EQ(got, want);
  ExpectProblem("/v1/accounts/" + who.Hex() + "/txs?cursor=zz", 400, "BAD_REQUEST");
  ExpectProblem("/v1/accounts/" + who.Hex() + "/txs?limit=1000", 400, "BAD_REQUEST");
  ExpectProblem("/v1/accounts/nothex/txs", 400, "BAD_REQUEST");
}

TEST_F(RestApiTest, StateReadsValuesAbsenceAndRejectsBadQueries) {
  json j = GetJson("/v1/state/" + ToHex(AsBytes("greeting")) + "?height=3");
  EXPECT_EQ(j["present"], true);
  EXPECT_EQ(j["value"], ToHex(AsBytes("hello")));
  EXPECT_EQ(j["height"], "3");
  EXPECT_EQ(j["state_root"], chain_.GetCommitCert(3)->state_root.Hex());
  json absent = GetJson("/v1/state/abcd");
  EXPECT_EQ(absent["present"], false);
  EXPECT_TRUE(absent["value"].is_null());
  // The in-memory chain cannot prove state: the API says so instead of serving no proof.
  ExpectProblem("/v1/state/abcd?prove=true", 503, "UNAVAILABLE");
  ExpectProblem("/v1/state/abcd?prove=yes", 400, "BAD_REQUEST");
  ExpectProblem("/v1/state/abcd?height=50", 404, "NOT_FOUND");
  ExpectProblem("/v1/state/xyz", 400, "BAD_REQUEST");
  ExpectProblem("/v1/state/" + std::string(4000, 'a'), 400, "BAD_REQUEST");
}

TEST_F(RestApiTest, ContractViewsValidateIdsAndReportMissingObjects) {
  std::string id(64, 'a'), missing(64, 'b'), addr(40, 'a'), missing_addr(40, 'b');
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"/v1/models/", id},        {"/v1/fl/tasks/", id}, {"/v1/datasets/", id},
      {"/v1/sensing/pools/", id}, {"/v1/auctions/", id}, {"/v1/twins/", id},
      {"/v1/accounts/", addr},    {"/v1/rewards/", addr}};
  for (const auto& [prefix, good] : routes) {
    json j = GetJson(prefix + good);
    EXPECT_EQ(j["id"], good) << prefix;
    EXPECT_EQ(j["height"], "6");
    ExpectProblem(prefix + (good.size() == 64 ? missing : missing_addr), 404, "NOT_FOUND");
    ExpectProblem(prefix + good.substr(2), 400, "BAD_REQUEST");
    ExpectProblem(prefix + good + "?height=x", 400, "BAD_REQUEST");
  }
  EXPECT_EQ(GetJson("/v1/datasets/" + id + "/lineage")["kind"],
            static_cast<int>(ViewKind::kLineage));
  json round = GetJson("/v1/fl/tasks/" + id + "/rounds/7?height=2");
  EXPECT_EQ(round["round"], "7");
  EXPECT_EQ(round["at"], "2");
  ExpectProblem("/v1/fl/tasks/" + id + "/rounds/seven", 400, "BAD_REQUEST");
  ExpectProblem("/v1/models/" + id + "?height=99", 404, "NOT_FOUND");
}

TEST_F(RestApiTest, SubmissionAcceptsHexBinaryAndJsonBodies) {
  Transaction a = chain_.MakeTx(0, 100), b = chain_.MakeTx(1, 100), c = chain_.MakeTx(2, 100);
  HttpResult r1 =
      Fetch(api_port_, "POST", "/v1/txs", ToHex(Encode(a)), {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r1.status, 202) << r1.body;
  EXPECT_EQ(r1.Json()["hash"], a.Hash().Hex());
  Bytes raw = Encode(b);
  HttpResult r2 = Fetch(api_port_, "POST", "/v1/txs", std::string(raw.begin(), raw.end()),
                        {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(r2.status, 202) << r2.body;
  EXPECT_EQ(r2.Json()["hash"], b.Hash().Hex());
  HttpResult r3 = Fetch(api_port_, "POST", "/v1/txs", json{{"tx", ToHex(Encode(c))}}.dump(),
                        {{"Content-Type", "application/json"}});
  EXPECT_EQ(r3.status, 202) << r3.body;
  EXPECT_EQ(backend_.TakeSubmitted().size(), 3u);

  Transaction forged = a;
  forged.signature.bytes[0] ^= 1;
  HttpResult bad_sig = Fetch(api_port_, "POST", "/v1/txs", ToHex(Encode(forged)));
  EXPECT_EQ(bad_sig.status, 400);
  EXPECT_EQ(bad_sig.Json()["code"], "BAD_SIGNATURE");
  EXPECT_EQ(Fetch(api_port_, "POST", "/v1/txs", "{not json", {{"Content-Type", "application/json"}})
                .Json()["code"],
            "BAD_REQUEST");
  EXPECT_EQ(
      Fetch(api_port_, "POST", "/v1/txs", "[1,2]", {{"Content-Type", "application/json"}}).status,
      400);
  EXPECT_EQ(Fetch(api_port_, "POST", "/v1/txs", "xyz").status, 400);
  EXPECT_EQ(Fetch(api_port_, "POST", "/v1/txs", "").status, 400);
  EXPECT_EQ(Fetch(api_port_, "POST", "/v1/txs", "abcd").Json()["code"], "BAD_ENCODING");
  EXPECT_EQ(Fetch(api_port_, "POST", "/v1/txs?wait=later", ToHex(Encode(a))).status, 400);
  EXPECT_TRUE(backend_.TakeSubmitted().empty());
}

TEST_F(RestApiTest, WaitForCommitAnswersOnceTheBlockIsCertified) {
  Transaction tx = chain_.MakeTx(0, 200);
  std::thread committer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    chain_.AppendBlock({tx});
  });
  HttpResult r = Fetch(api_port_, "POST", "/v1/txs?wait=commit", ToHex(Encode(tx)));
  committer.join();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["status"], "committed");
  EXPECT_EQ(r.Json()["height"], "7");
  EXPECT_EQ(r.Json()["result"]["name"], "OK");

  // Never committed: the wait is bounded (1.5 s here) and ends in 202 pending.
  auto start = std::chrono::steady_clock::now();
  HttpResult late =
      Fetch(api_port_, "POST", "/v1/txs?wait=commit", ToHex(Encode(chain_.MakeTx(1, 300))));
  EXPECT_EQ(late.status, 202);
  EXPECT_EQ(late.Json()["status"], "pending");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(RestApiTest, DrainAnswersRequestsInFlightAndRefusesNewOnes) {
  int idle = Connect(api_port_);  // connected, no request yet
  ASSERT_GE(idle, 0);
  Transaction tx = chain_.MakeTx(0, 200);
  HttpResult waited;
  std::thread waiter(
      [&] { waited = Fetch(api_port_, "POST", "/v1/txs?wait=commit", ToHex(Encode(tx))); });
  // The long poll is in flight once the backend has the transaction.
  for (int i = 0; i < 200 && backend_.submitted_count() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(backend_.submitted_count(), 1u);
  service_->BeginDrain();
  bool closed = false;
  ReadUntilClose(idle, std::chrono::seconds(2), &closed);
  EXPECT_TRUE(closed) << "an idle connection is closed at once";
  ::close(idle);
  EXPECT_EQ(Get(api_port_, "/v1/status").status, 0) << "no new connections while draining";
  for (int i = 0; i < 100 && service_->open_connections() > 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(service_->open_connections(), 1u) << "the request in flight is still open";
  chain_.AppendBlock({tx});
  waiter.join();
  EXPECT_EQ(waited.status, 200) << waited.body;
  EXPECT_EQ(waited.Json()["status"], "committed");
  for (int i = 0; i < 100 && service_->open_connections() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(service_->open_connections(), 0u);
}

TEST_F(RestApiTest, EventsResumeFromCursorsInOrder) {
  std::vector<std::string> ids;
  std::string cursor = "0.0";
  for (int pages = 0; pages < 50; ++pages) {
    json page = GetJson("/v1/events?limit=4&cursor=" + cursor);
    for (const json& e : page["items"]) ids.push_back(e["id"]);
    if (page["items"].empty()) break;
    cursor = page["next_cursor"];
  }
  // Block h has min(h,5) tx events plus one end-of-block event.
  EXPECT_EQ(ids.size(), 1u + 2 + 3 + 4 + 5 + 5 + 6);
  EXPECT_EQ(ids.front(), "1.0");
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  json block3 = GetJson("/v1/events?cursor=3.3&limit=1");
  EXPECT_EQ(block3["items"][0]["type"], "test.block");
  EXPECT_TRUE(block3["items"][0]["tx_index"].is_null());
  for (const char* bad : {"/v1/events?cursor=x", "/v1/events?cursor=1", "/v1/events?cursor=1.x",
                          "/v1/events?limit=0"}) {
    ExpectProblem(bad, 400, "BAD_REQUEST");
  }
}

TEST_F(RestApiTest, EventStreamDeliversNewEventsAsServerSentEvents) {
  int fd = Connect(api_port_);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd,
                      "GET /v1/events?cursor=6.0 HTTP/1.1\r\nHost: x\r\n"
                      "Accept: text/event-stream\r\n\r\n"));
  std::string first = ReadUntilClose(fd, std::chrono::milliseconds(600));
  EXPECT_NE(first.find("Content-Type: text/event-stream"), std::string::npos) << first;
  EXPECT_NE(first.find("event: test.block"), std::string::npos);
  EXPECT_NE(first.find("id: 6.6"), std::string::npos) << first;  // resume point after 6.5
  EXPECT_EQ(first.find("\"height\":\"7\""), std::string::npos);
  chain_.AppendBlock({chain_.MakeTx(2, 400)});
  std::string more = ReadUntilClose(fd, std::chrono::milliseconds(800));
  EXPECT_NE(more.find("\"height\":\"7\""), std::string::npos) << more;
  ::close(fd);
}

TEST_F(RestApiTest, OpenApiListsExactlyTheServedRoutes) {
  json doc = GetJson("/v1/openapi.json");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  std::set<std::pair<std::string, std::string>> documented, served;
  size_t legacy = 0;
  for (auto& [path, ops] : doc["paths"].items()) {
    for (auto& [method, op] : ops.items()) {
      if (method == "servers" || method == "parameters") continue;  // path-item fields
      // The node adds the test/legacy routes to the ops router (node/ops_server.h); the
      // real-process test checks those.
      if (op["tags"][0] == "legacy") {
        ++legacy;
        continue;
      }
      std::string upper = method;
      for (char& ch : upper) ch = static_cast<char>(std::toupper(ch));
      documented.emplace(upper, path);
    }
  }
  for (const auto& route : service_->api_router().Routes()) served.insert(route);
  for (const auto& route : service_->ops_router().Routes()) served.insert(route);
  EXPECT_EQ(documented, served);
  EXPECT_EQ(legacy, 5u);
}

TEST_F(RestApiTest, HeadAnswersLikeGetWithoutABody) {
  HttpResult get = Get(api_port_, "/v1/blocks/3");
  HttpResult head = Fetch(api_port_, "HEAD", "/v1/blocks/3");
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.Header("content-length"), std::to_string(get.body.size()));
  EXPECT_EQ(head.Header("etag"), get.Header("etag"));
  EXPECT_EQ(head.Header("x-metaledger-height"), "6");
  EXPECT_EQ(Fetch(api_port_, "HEAD", "/v1/blocks/99").status, 404);
  EXPECT_EQ(Fetch(ops_port_, "HEAD", "/livez").status, 200);
  // A POST-only route: 405 naming what is allowed.
  HttpResult post_only = Fetch(api_port_, "HEAD", "/v1/txs");
  EXPECT_EQ(post_only.status, 405);
  EXPECT_EQ(post_only.Header("allow"), "POST");
  // A GET route allows HEAD too, for any other method, known or not.
  for (const char* method : {"DELETE", "PUT", "OPTIONS", "BREW"}) {
    HttpResult r = Fetch(api_port_, method, "/v1/status");
    EXPECT_EQ(r.status, 405) << method;
    EXPECT_EQ(r.Header("allow"), "GET, HEAD") << method;
    EXPECT_EQ(r.Json()["code"], "METHOD_NOT_ALLOWED") << method;
  }
  EXPECT_EQ(Fetch(api_port_, "BREW", "/v1/nowhere").status, 404);
}

TEST_F(RestApiTest, OpsEndpointsReportLivenessReadinessMetricsAndVersion) {
  EXPECT_EQ(Get(ops_port_, "/livez").status, 200);
  EXPECT_EQ(Get(ops_port_, "/readyz").status, 200);
  backend_.set_peers_ready(false);
  HttpResult r = Get(ops_port_, "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.Json()["code"], "NOT_READY");
  EXPECT_NE(r.Json()["detail"].get<std::string>().find("peers"), std::string::npos);
  EXPECT_EQ(Get(ops_port_, "/version").Json()["version"], "0.1.0-test");
  // The API port does not serve ops routes, nor the other way round.
  EXPECT_EQ(Get(api_port_, "/metrics").status, 404);
  EXPECT_EQ(Get(ops_port_, "/v1/status").status, 404);

  Get(api_port_, "/v1/status");
  Get(api_port_, "/v1/blocks/999");
  Fetch(api_port_, "POST", "/v1/txs", "xyz");
  HttpResult m = Get(ops_port_, "/metrics");
  // Refused input is counted by its error code; a miss (404) is not a refusal.
  EXPECT_NE(m.body.find("metaledger_rest_rejected_total{server=\"api\",reason=\"bad_request\"} 1"),
            std::string::npos)
      << m.body;
  EXPECT_EQ(m.body.find("reason=\"not_found\""), std::string::npos);
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.Header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(
      m.body.find(
          "metaledger_rest_requests_total{server=\"api\",route=\"/v1/status\",status=\"200\"}"),
      std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("route=\"/v1/blocks/{height}\",status=\"404\""), std::string::npos);
  EXPECT_NE(m.body.find("# TYPE metaledger_rest_request_seconds histogram"), std::string::npos);
}

TEST_F(RestApiTest, ErrorsCarryTheServedHeight) {
  HttpResult r = Get(api_port_, "/v1/blocks/100");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Header("x-metaledger-height"), "6");
}

}  // namespace
}  // namespace metaledger::rest::testing
