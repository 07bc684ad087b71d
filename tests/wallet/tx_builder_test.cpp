// Argument parsing, the signed-transaction file format, payload description and bid secrets.
#include "wallet/tx_builder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "core/payload/ids.h"
#include "core/payload/payloads.h"
#include "wallet/keystore.h"
#include "wallet/salt_store.h"

namespace metaledger::wallet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path TempDir() {
  std::random_device rd;
  fs::path p = fs::temp_directory_path() / ("ml-txb-test-" + std::to_string(rd()));
  fs::create_directories(p);
  return p;
}

TEST(TxBuilderTest, NumbersAreCanonical) {
  EXPECT_EQ(*ParseU64Arg("0", "n"), 0u);
  EXPECT_EQ(*ParseU64Arg("18446744073709551615", "n"), UINT64_MAX);
  for (const char* bad : {"", "-1", "01", "1.5", "18446744073709551616", " 1", "0x10"}) {
    EXPECT_FALSE(ParseU64Arg(bad, "n").ok()) << bad;
  }
  EXPECT_FALSE(ParseU32Arg("4294967296", "n").ok());
}

TEST(TxBuilderTest, HashesFromHexOrFile) {
  fs::path dir = TempDir();
  std::ofstream(dir / "model.bin") << "weights";
  auto from_file = ParseHashArg("@" + (dir / "model.bin").string(), "--h");
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(*from_file, Sha256(std::string_view("weights")));
  auto digest = DigestFile(dir / "model.bin");
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(digest->length, 7u);
  EXPECT_EQ(ParseHashArg(from_file->Hex(), "--h").value(), *from_file);
  EXPECT_FALSE(ParseHashArg("abcd", "--h").ok());
  EXPECT_EQ(ParseHashArg("@" + (dir / "missing").string(), "--h").status().code(),
            StatusCode::kNotFound);
  fs::remove_all(dir);
}

TEST(TxBuilderTest, AddressesFromHexKeyOrKeyName) {
  fs::path dir = TempDir();
  Keystore ks(dir);
  PrivateKey k = PrivateKey::Generate();
  ASSERT_TRUE(ks.Add("uav1", k, "pw", KdfParams{1, 8ull << 20}).ok());
  Address expected = AddressOf(k.public_key());
  EXPECT_EQ(*ParseAddressArg(expected.Hex(), "--to", nullptr), expected);
  EXPECT_EQ(*ParseAddressArg(k.public_key().Hex(), "--to", nullptr), expected);
  EXPECT_EQ(*ParseAddressArg("uav1", "--to", &ks), expected);
  EXPECT_FALSE(ParseAddressArg("uav2", "--to", &ks).ok());
  auto list = ParseAddressListArg(expected.Hex() + ", uav1", "--ops", &ks);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);
  EXPECT_EQ(*ParseU64ListArg("3,1, 2", "--cells"), (std::vector<uint64_t>{3, 1, 2}));
  EXPECT_TRUE(ParseU64ListArg("", "--cells")->empty());
  fs::remove_all(dir);
}

TEST(TxBuilderTest, SignedTxFileRoundTripAndTamperChecks) {
  PrivateKey k = PrivateKey::Generate();
  Transaction tx = BuildTransaction("chain-a", k.public_key(), 9, StakePayload{500});
  tx.Sign(k);
  std::string text = SignedTxToJson(tx);
  auto back = SignedTxFromJson(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, tx);
  EXPECT_TRUE(back->VerifySignature());

  json j = json::parse(text);
  j["hash"] = std::string(64, '0');
  EXPECT_FALSE(SignedTxFromJson(j.dump()).ok());
  j = json::parse(text);
  j["format"] = "something-else";
  EXPECT_FALSE(SignedTxFromJson(j.dump()).ok());
  j = json::parse(text);
  j["tx"] = j["tx"].get<std::string>() + "00";
  EXPECT_FALSE(SignedTxFromJson(j.dump()).ok());
}

TEST(TxBuilderTest, DescribeDecodesPayloadFields) {
  PrivateKey k = PrivateKey::Generate();
  TwinUpdatePayload p;
  p.twin_id = Sha256(std::string_view("twin"));
  p.seq = 12;
  p.inputs = {Sha256(std::string_view("a"))};
  Transaction tx = BuildTransaction("chain-a", k.public_key(), 1, p);
  tx.Sign(k);
  json d = json::parse(DescribeTxJson(tx));
  EXPECT_EQ(d["kind"], "TWIN_UPDATE");
  EXPECT_EQ(d["signature_valid"], true);
  EXPECT_EQ(d["payload"]["twin_id"], p.twin_id.Hex());
  EXPECT_EQ(d["payload"]["seq"], "12");
  EXPECT_EQ(d["payload"]["inputs"][0], p.inputs[0].Hex());
  EXPECT_EQ(d["sender_address"], AddressOf(k.public_key()).Hex());

  tx.payload.push_back(1);  // no longer decodes for its kind
  json bad = json::parse(DescribeTxJson(tx));
  EXPECT_TRUE(bad.contains("payload_error"));
  EXPECT_EQ(bad["signature_valid"], false);
}

TEST(SaltStoreTest, SaveLoadNeverOverwrite) {
  fs::path dir = TempDir();
  SaltStore store(dir);
  BidSecret s;
  s.chain_id = "chain-a";
  s.task_id = Sha256(std::string_view("task"));
  s.op = AddressOf(PrivateKey::Generate().public_key());
  s.uav = AddressOf(PrivateKey::Generate().public_key());
  s.ask = 77;
  RandomBytes(s.salt.data(), 32);
  s.commitment = BidCommitment(s.chain_id, s.task_id, s.op, s.uav, s.ask, s.salt);
  ASSERT_TRUE(store.Save(s).ok());
  auto loaded = store.Load(s.chain_id, s.task_id, s.uav);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->salt, s.salt);
  EXPECT_EQ(loaded->ask, 77u);

  BidSecret other = s;
  other.ask = 78;
  EXPECT_EQ(store.Save(other).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store.Load(s.chain_id, s.task_id, s.op).status().code(), StatusCode::kNotFound);

  // A record whose fields no longer match its commitment is refused.
  fs::path path = store.PathFor(s.chain_id, s.task_id, s.uav);
  json j = json::parse(*ReadSmallFile(path));
  j["ask"] = "1";
  std::ofstream(path, std::ios::trunc) << j.dump();
  EXPECT_EQ(store.Load(s.chain_id, s.task_id, s.uav).status().code(), StatusCode::kCorruption);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace metaledger::wallet
