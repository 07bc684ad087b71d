// Genesis JSON: round trip, hashing over the binary encoding, and each rejection.

#include "core/genesis.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace metaledger {
namespace {

using nlohmann::json;

Genesis Sample() {
  Genesis g;
  g.chain_id = "metaverse-6g.test_1";
  g.genesis_time_ms = 1764000000000ull;
  std::vector<Validator> vs;
  for (int i = 0; i < 4; ++i) {
    vs.push_back({"op" + std::to_string(i), PrivateKey::Generate().public_key(),
                  "127.0.0.1:" + std::to_string(7000 + i)});
  }
  g.validators = ValidatorSet(std::move(vs));
  GenesisAccount vsp{"vsp", PrivateKey::Generate().public_key(), ~0ull, {"VSP"}, std::nullopt};
  GenesisAccount dev{"uav-1", PrivateKey::Generate().public_key(), 5, {"DEVICE", "UAV"}, vsp.key};
  g.accounts = {vsp, dev};
  g.params = {{"block_reward", 10}, {"max_bid", 18446744073709551615ull}};
  return g;
}

Status Parse(const json& j) { return Genesis::FromJson(j.dump()).status(); }

void ExpectRejected(const json& j, std::string_view fragment) {
  Status s = Parse(j);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find(fragment), std::string::npos)
      << "expected \"" << fragment << "\" in " << s.ToString();
}

TEST(Genesis, JsonRoundTrip) {
  Genesis g = Sample();
  ASSERT_TRUE(g.Validate().ok());
  auto back = Genesis::FromJson(g.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, g);
  EXPECT_EQ(back->Hash(), g.Hash());
  EXPECT_EQ(back->ToJson(), g.ToJson());
}

TEST(Genesis, HashIgnoresJsonFormattingButCoversContent) {
  Genesis g = Sample();
  json j = json::parse(g.ToJson());
  j["genesis_time_ms"] = g.genesis_time_ms;  // a number instead of a string
  auto compact = Genesis::FromJson(j.dump());
  ASSERT_TRUE(compact.ok()) << compact.status().ToString();
  EXPECT_EQ(compact->Hash(), g.Hash());
  Genesis changed = g;
  changed.accounts[0].balance--;
  EXPECT_NE(changed.Hash(), g.Hash());
  EXPECT_EQ(g.GenesisBlock().header.validator_set_hash, g.validators.Hash(g.chain_id));
}

TEST(Genesis, ToJsonDoesNotThrowOnInvalidUtf8) {
  // A validator set decoded from binary can carry any bytes in a name.
  Genesis g = Sample();
  std::vector<Validator> vs = g.validators.validators();
  vs[0].name = "bad\xff\xfe";
  g.validators = ValidatorSet(vs);
  std::string text;
  EXPECT_NO_THROW(text = g.ToJson());
  auto back = Genesis::FromJson(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_NE(back->validators.at(0).name, vs[0].name) << "invalid bytes are replaced";
}

TEST(GenesisRejects, NotJsonOrNotObject) {
  EXPECT_FALSE(Genesis::FromJson("{not json").ok());
  EXPECT_FALSE(Genesis::FromJson("[]").ok());
  EXPECT_FALSE(Genesis::FromJson("").ok());
}

TEST(GenesisRejects, MissingFields) {
  json base = json::parse(Sample().ToJson());
  for (const char* field : {"chain_id", "genesis_time_ms", "validators"}) {
    json j = base;
    j.erase(field);
    ExpectRejected(j, field);
  }
  json j = base;
  j["validators"][0].erase("public_key");
  ExpectRejected(j, "public_key");
}

TEST(GenesisRejects, BadChainId) {
  json j = json::parse(Sample().ToJson());
  j["chain_id"] = "";
  ExpectRejected(j, "chain_id");
  j["chain_id"] = "has space";
  ExpectRejected(j, "chain_id");
  j["chain_id"] = std::string(65, 'a');
  ExpectRejected(j, "chain_id");
}

TEST(GenesisRejects, BadNumbers) {
  json base = json::parse(Sample().ToJson());
  for (json bad : {json("012"), json("-1"), json("18446744073709551616"), json(""), json("1e3"),
                   json(-5), json(1.5), json(true)}) {
    json j = base;
    j["genesis_time_ms"] = bad;
    EXPECT_FALSE(Parse(j).ok()) << bad.dump();
  }
}

TEST(GenesisRejects, BadKeys) {
  json base = json::parse(Sample().ToJson());
  json j = base;
  j["validators"][0]["public_key"] = "abcd";
  ExpectRejected(j, "validators[0].public_key");
  j = base;
  j["accounts"][0]["public_key"] = std::string(64, 'z');
  ExpectRejected(j, "accounts[0].public_key");
  j = base;
  j["validators"][1]["public_key"] = std::string(64, '0');  // small order
  ExpectRejected(j, "invalid key");
}

TEST(GenesisRejects, DuplicateKeys) {
  json j = json::parse(Sample().ToJson());
  j["validators"][1]["public_key"] = j["validators"][0]["public_key"];
  ExpectRejected(j, "repeats a key");
  j = json::parse(Sample().ToJson());
  j["accounts"][1]["public_key"] = j["accounts"][0]["public_key"];
  ExpectRejected(j, "repeats a key");
}

TEST(GenesisRejects, UnknownOperator) {
  json j = json::parse(Sample().ToJson());
  j["accounts"][1]["operator"] = PrivateKey::Generate().public_key().Hex();
  ExpectRejected(j, "operator");
}

TEST(GenesisRejects, WrongShapes) {
  json base = json::parse(Sample().ToJson());
  json j = base;
  j["validators"] = json::object();
  ExpectRejected(j, "validators");
  j = base;
  j["accounts"] = "none";
  ExpectRejected(j, "accounts");
  j = base;
  j["accounts"][0]["roles"] = "VSP";
  ExpectRejected(j, "roles");
  j = base;
  j["params"] = json::array();
  ExpectRejected(j, "params");
  j = base;
  j["params"]["block_reward"] = "ten";
  ExpectRejected(j, "params.block_reward");
  j = base;
  j["validators"] = json::array();
  ExpectRejected(j, "empty");
}

}  // namespace
}  // namespace metaledger
