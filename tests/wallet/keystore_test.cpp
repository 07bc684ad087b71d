// Keystore: round trip, distinct errors for wrong password / tampering / unknown version,
// KDF parameters refused outside policy, file permissions, rename and password change.
#include "wallet/keystore.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

namespace metaledger::wallet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The smallest parameters the policy allows: keeps the suite fast while exercising Argon2id.
const KdfParams kFast{1, 8ull << 20};

fs::path TempHome() {
  std::random_device rd;
  fs::path p = fs::temp_directory_path() / ("ml-wallet-test-" + std::to_string(rd()));
  fs::create_directories(p);
  return p;
}

class KeystoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = PrivateKey::Generate();
    auto text = SealKey("alice", key_, "correct horse", kFast);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    text_ = *text;
  }
  // Edits one JSON field and returns the new file text.
  std::string Edit(const std::function<void(json&)>& change) const {
    json j = json::parse(text_);
    change(j);
    return j.dump();
  }
  static std::string FlipHex(const json& field, size_t pos = 0) {
    std::string hex = field.get<std::string>();
    if (pos < hex.size()) hex.replace(pos, 1, hex.substr(pos, 1) == "0" ? "1" : "0");
    return hex;
  }
  PrivateKey key_;
  std::string text_;
};

TEST_F(KeystoreTest, RoundTripRecoversTheSameKey) {
  auto opened = OpenKey(text_, "correct horse");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->public_key(), key_.public_key());
  Bytes msg = ToBytes("hello");
  EXPECT_TRUE(Verify(key_.public_key(), msg, opened->Sign(msg)));
}

TEST_F(KeystoreTest, PublicFieldsInClearSecretNot) {
  json j = json::parse(text_);
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["public_key"], key_.public_key().Hex());
  EXPECT_EQ(j["address"], AddressOf(key_.public_key()).Hex());
  EXPECT_EQ(j["kdf"]["name"], "argon2id");
  EXPECT_EQ(j["kdf"]["ops_limit"], "1");
  EXPECT_EQ(j["kdf"]["mem_limit_bytes"], std::to_string(8ull << 20));
  EXPECT_EQ(text_.find(ToHex(key_.seed())), std::string::npos);
  auto info = ReadKeyInfo(text_);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->address, AddressOf(key_.public_key()));
}

TEST_F(KeystoreTest, SealingTwiceUsesFreshSaltAndNonce) {
  auto again = SealKey("alice", key_, "correct horse", kFast);
  ASSERT_TRUE(again.ok());
  json a = json::parse(text_), b = json::parse(*again);
  EXPECT_NE(a["kdf"]["salt"], b["kdf"]["salt"]);
  EXPECT_NE(a["cipher"]["nonce"], b["cipher"]["nonce"]);
  EXPECT_NE(a["ciphertext"], b["ciphertext"]);
}

TEST_F(KeystoreTest, WrongPasswordIsPermissionDenied) {
  auto r = OpenKey(text_, "correct hors");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(r.status().message().find("wrong password"), std::string::npos);
}

TEST_F(KeystoreTest, TamperedCiphertextIsCorruption) {
  auto r =
      OpenKey(Edit([](json& j) { j["ciphertext"] = FlipHex(j["ciphertext"]); }), "correct horse");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << r.status().ToString();
}

TEST_F(KeystoreTest, TamperedHeaderFieldsAreCorruption) {
  std::vector<std::function<void(json&)>> edits = {
      [](json& j) { j["cipher"]["nonce"] = FlipHex(j["cipher"]["nonce"]); },
      [](json& j) { j["kdf"]["salt"] = FlipHex(j["kdf"]["salt"]); },
      [](json& j) { j["kdf"]["ops_limit"] = "2"; },
      [](json& j) { j["password_check"] = FlipHex(j["password_check"]); },
      [](json& j) { j["address"] = FlipHex(j["address"]); },
      [](json& j) { j["public_key"] = FlipHex(j["public_key"], 63); },
      [](json& j) { j.erase("checksum"); },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    auto r = OpenKey(Edit(edits[i]), "correct horse");
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << i << ": " << r.status().ToString();
  }
}

TEST_F(KeystoreTest, UnknownVersionIsFailedPrecondition) {
  auto r = OpenKey(Edit([](json& j) { j["version"] = 2; }), "correct horse");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("version 2"), std::string::npos);
  EXPECT_EQ(ReadKeyInfo(Edit([](json& j) { j["version"] = 2; })).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(KeystoreTest, NotJsonIsCorruption) {
  EXPECT_EQ(OpenKey("{not json", "x").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(OpenKey("[]", "x").status().code(), StatusCode::kCorruption);
}

TEST_F(KeystoreTest, KdfParametersOutsidePolicyAreRefused) {
  for (KdfParams p : {KdfParams{0, 8ull << 20}, KdfParams{17, 8ull << 20},
                      KdfParams{1, (8ull << 20) - 1}, KdfParams{1, (4ull << 30) + 1}}) {
    EXPECT_EQ(p.Validate().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(SealKey("a", key_, "pw", p).status().code(), StatusCode::kInvalidArgument);
  }
  // A file demanding 1 TiB of memory is refused before any work is done.
  auto r = OpenKey(Edit([](json& j) { j["kdf"]["mem_limit_bytes"] = std::to_string(1ull << 40); }),
                   "correct horse");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("mem_limit_bytes"), std::string::npos);
  EXPECT_TRUE(KdfParams::Standard().Validate().ok());
  EXPECT_TRUE(KdfParams::Device().Validate().ok());
  EXPECT_LT(KdfParams::Device().mem_limit_bytes, KdfParams::Standard().mem_limit_bytes);
}

TEST(KeystoreDirTest, FilesAreMode0600AndDirectory0700) {
  fs::path home = TempHome();
  Keystore ks(home);
  PrivateKey key = PrivateKey::Generate();
  ASSERT_TRUE(ks.Add("uav-7", key, "pw", kFast).ok());
  struct stat st {};
  ASSERT_EQ(::stat(ks.KeyPath("uav-7").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((home / "keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  fs::remove_all(home);
}

TEST(KeystoreDirTest, AddListRenameChangePasswordRemove) {
  fs::path home = TempHome();
  Keystore ks(home);
  PrivateKey a = PrivateKey::Generate(), b = PrivateKey::Generate();
  ASSERT_TRUE(ks.Add("bob", b, "pw-b", kFast).ok());
  ASSERT_TRUE(ks.Add("alice", a, "pw-a", kFast).ok());
  EXPECT_EQ(ks.Add("alice", b, "pw", kFast).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(ks.Add("../evil", b, "pw", kFast).code(), StatusCode::kInvalidArgument);

  auto list = ks.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "alice");
  EXPECT_EQ((*list)[1].public_key, b.public_key());

  ASSERT_TRUE(ks.Rename("alice", "carol").ok());
  EXPECT_EQ(ks.Info("alice").status().code(), StatusCode::kNotFound);
  auto carol = ks.Unlock("carol", "pw-a");
  ASSERT_TRUE(carol.ok()) << carol.status().ToString();
  EXPECT_EQ(carol->public_key(), a.public_key());

  EXPECT_EQ(ks.ChangePassword("carol", "wrong", "new").code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(ks.ChangePassword("carol", "pw-a", "new").ok());
  EXPECT_EQ(ks.Unlock("carol", "pw-a").status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(ks.Unlock("carol", "new").ok());
  struct stat st {};
  ASSERT_EQ(::stat(ks.KeyPath("carol").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  ASSERT_TRUE(ks.Remove("carol").ok());
  EXPECT_EQ(ks.Remove("carol").code(), StatusCode::kNotFound);
  EXPECT_EQ(ks.List()->size(), 1u);
  fs::remove_all(home);
}

}  // namespace
}  // namespace metaledger::wallet
