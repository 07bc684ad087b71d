// The REST API over a real LedgerStore (RocksDB in a temp dir) filled by committing certified
// blocks through storage's API: proofs for transactions and state verify independently.

#include <gtest/gtest.h>

#include <filesystem>

#include "core/payload/error_codes.h"
#include "core/proof_bundle.h"
#include "node/rest/ledger_reader.h"
#ifdef METALEDGER_REST_HAS_CONTRACTS
#include "contracts/executor.h"
#include "node/rest/contract_views.h"
#endif
#include "tests/node/rest/audit.h"
#include "tests/node/rest/rest_fixture.h"

namespace metaledger::rest::testing {
namespace {

using nlohmann::json;

class RestLedgerTest : public RestFixture {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("metaledger-rest-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    const Genesis& genesis = chain_.genesis();
    WriteSet genesis_writes;
#ifdef METALEDGER_REST_HAS_CONTRACTS
    auto contract_genesis = contracts::Executor::GenesisState(genesis);
    ASSERT_TRUE(contract_genesis.ok()) << contract_genesis.status().ToString();
    genesis_writes = *contract_genesis;
#endif
    genesis_writes[ToBytes("greeting")] = ToBytes("hello");
    storage::StoreOptions opts;
    opts.sync_writes = false;
    auto store = storage::LedgerStore::Open(dir_.string(), genesis, genesis_writes, opts);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    // Copy the test chain's blocks into the store, with state writes, certifying the real roots.
    for (uint64_t h = 1; h <= *chain_.LatestHeight(); ++h) {
      Block block = *chain_.GetBlock(h);
      std::vector<Transaction> txs = *chain_.GetBlockTxs(h);
      ExecutionResult result = *chain_.GetReceipts(h);
      result.writes[ToBytes("key-" + std::to_string(h))] = ToBytes("value-" + std::to_string(h));
      if (h == 4) result.writes[ToBytes("greeting")] = std::nullopt;  // deleted at height 4
      auto prepared = store_->Prepare(block, txs, result);
      ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
      Status s = store_->CommitBlock(*prepared, chain_.SignCert(block, prepared->state_root()));
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
    reader_store_ = std::make_unique<LedgerStoreReader>(*store_, genesis);
    reader_ = reader_store_.get();
#ifdef METALEDGER_REST_HAS_CONTRACTS
    contract_views_ = std::make_unique<ContractQueryViews>(*store_);
    views_ptr_ = contract_views_.get();
#endif
    StartServer();
  }
  void TearDown() override {
    RestFixture::TearDown();
    reader_store_.reset();
#ifdef METALEDGER_REST_HAS_CONTRACTS
    contract_views_.reset();
#endif
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::LedgerStore> store_;
  std::unique_ptr<LedgerStoreReader> reader_store_;
#ifdef METALEDGER_REST_HAS_CONTRACTS
  std::unique_ptr<ContractQueryViews> contract_views_;
#endif
};

TEST_F(RestLedgerTest, ServesCommittedBlocksAndCertificates) {
  json status = Get(api_port_, "/v1/status").Json();
  EXPECT_EQ(status["latest_height"], "6");
  EXPECT_EQ(status["state_root"], store_->GetCert(6)->state_root.Hex());
  json blocks = Get(api_port_, "/v1/blocks?limit=3").Json();
  ASSERT_EQ(blocks["items"].size(), 3u);
  EXPECT_EQ(blocks["items"][0]["height"], "6");
  EXPECT_EQ(blocks["next_cursor"], "3");
  std::string hash = store_->GetBlock(5)->Hash(chain_.genesis().chain_id).Hex();
  EXPECT_EQ(Get(api_port_, "/v1/blocks/by-hash/" + hash).Json()["height"], "5");
  EXPECT_EQ(Get(api_port_, "/v1/blocks/7").status, 404);
  EXPECT_EQ(Get(api_port_, "/v1/blocks/5/certificate").Json()["certificate"]["state_root"],
            store_->GetCert(5)->state_root.Hex());
}

TEST_F(RestLedgerTest, TransactionProofsVerifyAtEveryHeight) {
  size_t n = 0;
  for (const Hash256& hash : chain_.AllTxHashes()) {
    json bundle = Get(api_port_, "/v1/txs/" + hash.Hex() + "/proof").Json();
    EXPECT_EQ(AuditBundle(bundle, chain_.genesis()), "") << bundle.dump();
    json tx = Get(api_port_, "/v1/txs/" + hash.Hex()).Json();
    EXPECT_EQ(tx["height"], bundle["header"]["height"]);
    ++n;
  }
  EXPECT_EQ(n, 20u);
}

TEST_F(RestLedgerTest, AccountHistoryComesFromTheStoreIndex) {
  Address who = AddressOf(chain_.account(0).public_key());
  std::set<std::string> got;
  std::string cursor;
  for (int pages = 0; pages < 20; ++pages) {
    json page = Get(api_port_, "/v1/accounts/" + who.Hex() + "/txs?limit=2" +
                                   (cursor.empty() ? "" : "&cursor=" + cursor))
                    .Json();
    for (const json& item : page["items"]) EXPECT_TRUE(got.insert(item["hash"]).second);
    cursor = page["next_cursor"];
    if (cursor.empty()) break;
  }
  // Listed: what the account sent that ran (consumed its nonce).
  size_t ran = 0;
  for (const Hash256& h : chain_.AllTxHashes()) {
    auto loc = chain_.LocateTx(h);
    const std::vector<Transaction> txs = *chain_.GetBlockTxs(loc->height);
    const uint16_t code = chain_.GetReceipts(loc->height)->tx_codes[loc->index];
    ran += AddressOf(txs[loc->index].sender) == who && RanToNonce(code);
  }
  EXPECT_GT(ran, 0u);
  EXPECT_EQ(got.size(), ran);
}

TEST_F(RestLedgerTest, StateProofsShowValuesAndAbsenceAtHistoricHeights) {
  const std::string greeting = ToHex(AsBytes("greeting"));
  struct Case {
    std::string key;
    uint64_t height;
    bool present;
  };
  for (const Case& c :
       {Case{greeting, 3, true}, Case{greeting, 4, false}, Case{greeting, 6, false},
        Case{ToHex(AsBytes("key-2")), 2, true}, Case{ToHex(AsBytes("key-5")), 4, false},
        Case{ToHex(AsBytes("key-5")), 6, true}, Case{"00ff", 5, false}}) {
    std::string target = "/v1/state/" + c.key + "?prove=true&height=" + std::to_string(c.height);
    HttpResult r = Get(api_port_, target);
    ASSERT_EQ(r.status, 200) << target << " " << r.body;
    json j = r.Json();
    EXPECT_EQ(j["present"], c.present) << target;
    EXPECT_EQ(j["state_root"], store_->GetCert(c.height)->state_root.Hex());
    EXPECT_EQ(AuditStateBundle(j["proof"], chain_.genesis()), "") << target << j.dump();
    // It is a core StateProofBundle: what `metaledger-wallet verify state` reads.
    auto bundle = StateProofBundle::FromJson(j["proof"].dump());
    ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
    EXPECT_TRUE(VerifyStateProof(*bundle, chain_.genesis()).ok()) << target;
    EXPECT_EQ(bundle->validators.Hash(chain_.genesis().chain_id),
              chain_.genesis().validators.Hash(chain_.genesis().chain_id));
    // Any flipped field breaks the proof.
    std::vector<std::string> fields = {"/key",
                                       "/proof/leaf/key_hash",
                                       "/proof/leaf/value_hash",
                                       "/header/tx_root",
                                       "/cert/state_root",
                                       "/cert/sigs/0/sig"};
    if (c.present) fields.push_back("/value");
    for (const std::string& f : fields) {
      json tampered = j["proof"];
      json::json_pointer at(f);
      if (!tampered.contains(at) || !tampered[at].is_string()) continue;
      // A non-inclusion proof may equally prove another absent key near the same path, so the
      // key is only a tamper target when the proof shows a value.
      if (!c.present && f == "/key") continue;
      std::string s = tampered[at];
      s[s.size() / 2] = s[s.size() / 2] == '0' ? '1' : '0';
      tampered[at] = s;
      EXPECT_NE(AuditStateBundle(tampered, chain_.genesis()), "") << target << " flip " << f;
    }
    // Claiming the opposite of what the proof shows fails too.
    json lie = j["proof"];
    lie["value"] = c.present ? json(nullptr) : json("01");
    EXPECT_NE(AuditStateBundle(lie, chain_.genesis()), "") << target;
  }
}

TEST_F(RestLedgerTest, StateAtHeightZeroHasNoCertificateToProveAgainst) {
  const std::string target = "/v1/state/" + ToHex(AsBytes("greeting"));
  EXPECT_EQ(Get(api_port_, target + "?height=0").status, 200);
  HttpResult r = Get(api_port_, target + "?height=0&prove=true");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.Json()["detail"].get<std::string>().find("genesis"), std::string::npos);
}

#ifdef METALEDGER_REST_HAS_CONTRACTS
TEST_F(RestLedgerTest, ContractViewsReadGenesisAccountsAtAnyHeight) {
  Address who = AddressOf(chain_.account(1).public_key());
  for (const std::string& query : {std::string(""), std::string("?height=2")}) {
    HttpResult r = Get(api_port_, "/v1/accounts/" + who.Hex() + query);
    ASSERT_EQ(r.status, 200) << r.body;
    json j = r.Json();
    EXPECT_EQ(j["balance"], "1000");
    EXPECT_EQ(j["public_key"], chain_.account(1).public_key().Hex());
    EXPECT_EQ(j["height"], query.empty() ? "6" : "2");
  }
  EXPECT_EQ(Get(api_port_, "/v1/rewards/" + who.Hex()).Json()["claimable"], "0");
  EXPECT_EQ(Get(api_port_, "/v1/accounts/" + std::string(40, '7')).status, 404);
  for (const char* prefix : {"/v1/models/", "/v1/fl/tasks/", "/v1/datasets/", "/v1/sensing/pools/",
                             "/v1/auctions/", "/v1/twins/"}) {
    EXPECT_EQ(Get(api_port_, prefix + std::string(64, '5')).status, 404) << prefix;
  }
}
#endif

}  // namespace
}  // namespace metaledger::rest::testing
