// The REST API (node/rest) served by real metaledger-node processes on [api] listen: a transfer
// submitted over POST /v1/txs commits, and its proof verifies offline against genesis.json.

#include <gtest/gtest.h>

#include "core/proof_bundle.h"
#include "process_harness.h"

namespace metaledger::node::testing {
namespace {

TEST(ApiProcessTest, SubmitCommitAndVerifyProofOverRest) {
  ProcessCluster c("api", 4);
  ASSERT_TRUE(c.ok());
  c.StartAll();
  ASSERT_TRUE(
      Eventually([&] { return Http(c.api_port(0), "GET", "/v1/status").status == 200; }, 10s))
      << "API not reachable on node 0";

  // Admission errors come back as problem documents with the admission error name.
  PrivateKey from = c.AccountKey("vsp-1");
  PublicKey to = c.AccountKey("auditor-1").public_key();
  Transaction forged;
  forged.chain_id = c.genesis().chain_id;
  forged.nonce = 0;
  forged.kind = static_cast<uint16_t>(TxKind::TRANSFER);
  forged.payload = Encode(TransferPayload{AddressOf(to), 5});
  forged.Sign(from);
  forged.nonce = 1;  // signed over nonce 0
  HttpResult bad = Http(c.api_port(1), "POST", "/v1/txs", ToHex(Encode(forged)));
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.Json().value("code", ""), "BAD_SIGNATURE") << bad.body;

  HttpResult posted = Http(c.api_port(1), "POST", "/v1/txs", c.Transfer(from, to, 0, 5));
  ASSERT_EQ(posted.status, 202) << posted.body;
  std::string hash = posted.Json()["hash"].get<std::string>();
  EXPECT_EQ(posted.Json()["status"], "pending");

  // Every node's API sees the transfer committed, and it succeeded.
  HttpResult tx;
  for (uint32_t n = 0; n < 4; ++n) {
    ASSERT_TRUE(Eventually(
        [&] {
          tx = Http(c.api_port(n), "GET", "/v1/txs/" + hash);
          return tx.status == 200;
        },
        30s))
        << "node " << n << ": " << tx.status << " " << tx.body;
    EXPECT_EQ(tx.Json()["result"]["name"], "OK") << tx.body;
  }
  uint64_t height = std::stoull(tx.Json()["height"].get<std::string>());
  ASSERT_GE(height, 1u);

  HttpResult status = Http(c.api_port(2), "GET", "/v1/status");
  ASSERT_EQ(status.status, 200) << status.body;
  auto s = status.Json();
  EXPECT_EQ(s["chain_id"], c.genesis().chain_id);
  EXPECT_EQ(s["node_id"], ReadKeyFile(HomeLayout{c.home(2)}.KeyFile())->key.public_key().Hex());
  EXPECT_GE(std::stoull(s["latest_height"].get<std::string>()), height);
  EXPECT_TRUE(s["state_root"].is_string());
  EXPECT_GE(s["peers"].get<size_t>(), 2u);

  HttpResult cert =
      Http(c.api_port(3), "GET", "/v1/blocks/" + std::to_string(height) + "/certificate");
  ASSERT_EQ(cert.status, 200) << cert.body;
  EXPECT_EQ(cert.Json()["height"], std::to_string(height));

  HttpResult proof = Http(c.api_port(0), "GET", "/v1/txs/" + hash + "/proof");
  ASSERT_EQ(proof.status, 200) << proof.body;
  auto genesis_text = ReadTextFile(c.dir() / "genesis.json");
  ASSERT_TRUE(genesis_text.ok());
  auto genesis = Genesis::FromJson(*genesis_text);
  ASSERT_TRUE(genesis.ok());
  auto bundle = TxProofBundle::FromJson(proof.body);
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  EXPECT_TRUE(VerifyTxProof(*bundle, *genesis).ok());
  EXPECT_EQ(bundle->header.height, height);

  // A tampered bundle is refused: the proof is what carries the trust, not the node.
  TxProofBundle tampered = *bundle;
  tampered.tx = Encode(forged);
  EXPECT_FALSE(VerifyTxProof(tampered, *genesis).ok());
}

}  // namespace
}  // namespace metaledger::node::testing
