// BIP39 (published English vectors, passphrase "TREZOR") and SLIP-0010 Ed25519 vectors 1 and 2.
#include "wallet/mnemonic.h"

#include <gtest/gtest.h>

#include <set>

#include "core/crypto/hash.h"

namespace metaledger::wallet {
namespace {

struct Bip39Vector {
  const char* entropy;
  const char* words;
  const char* seed;
};

// From the BIP39 reference vectors (trezor/python-mnemonic vectors.json), English.
const Bip39Vector kBip39[] = {
    {"00000000000000000000000000000000",
     "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
     "about",
     "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf"
     "1"
     "41630c7a3c4ab7c81b2f001698e7463b04"},
    {"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
     "legal winner thank year wave sausage worth useful legal winner thank yellow",
     "2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1"
     "069be3a3a5bd381ee6260e8d9739fce1f607"},
    {"80808080808080808080808080808080",
     "letter advice cage absurd amount doctor acoustic avoid letter advice cage above",
     "d71de856f81a8acc65e6fc851a38d4d7ec216fd0796d0a6827a3ad6ed5511a30fa280f12eb2e47ed2ac03b5c462a"
     "0358d18d69fe4f985ec81778c1b370b652a8"},
    {"ffffffffffffffffffffffffffffffff", "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong",
     "ac27495480225222079d7be181583751e86f571027b0497b5b5d11218e0a8a13332572917f0f8e5a589620c6f15b"
     "11c61dee327651a14c34e18231052e48c069"},
    {"000000000000000000000000000000000000000000000000",
     "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
     "abandon "
     "abandon abandon abandon abandon abandon agent",
     "035895f2f481b1b0f01fcf8c289c794660b289981a78f8106447707fdd9666ca06da5a9a565181599b79f53b844d"
     "8a71dd9f439c52a3d7b3e8a79c906ac845fa"},
    {"0000000000000000000000000000000000000000000000000000000000000000",
     "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
     "abandon "
     "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art",
     "bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cca8d561"
     "a7c3de6f5d4a10be8ed2a5e608d68f92fcc8"},
    {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
     "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo "
     "vote",
     "dd48c104698c30cfe2b6142103248622fb7bb0ff692eebb00089b32d22484e1613912f0a5b694407be899ffd31ed"
     "3992c456cdf60f5d4564b8ba3f05a69890ad"},
};

TEST(Bip39Test, WordlistIsTheStandardOne) {
  const auto& words = Bip39EnglishWords();
  EXPECT_EQ(words.front(), "abandon");
  EXPECT_EQ(words.back(), "zoo");
  // SHA-256 of english.txt (each word followed by '\n'), as published with BIP39.
  std::string file;
  for (std::string_view w : words) (file += w) += '\n';
  EXPECT_EQ(Sha256(file).Hex(), "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda");
}

TEST(Bip39Test, ReferenceVectors) {
  for (const Bip39Vector& v : kBip39) {
    Bytes entropy = *FromHex(v.entropy);
    auto words = EntropyToMnemonic(entropy);
    ASSERT_TRUE(words.ok());
    EXPECT_EQ(*words, v.words);
    auto back = MnemonicToEntropy(v.words);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, entropy);
    auto seed = MnemonicToSeed(v.words, "TREZOR");
    ASSERT_TRUE(seed.ok());
    EXPECT_EQ(ToHex(ByteView(seed->data(), 64)), v.seed) << v.words;
  }
}

TEST(Bip39Test, RejectsBadWordsChecksumsAndLengths) {
  auto unknown = MnemonicToEntropy(
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
      "abot");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("word 12"), std::string::npos);
  auto checksum = MnemonicToEntropy(
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
      "abandon");
  ASSERT_FALSE(checksum.ok());
  EXPECT_NE(checksum.status().message().find("checksum"), std::string::npos);
  EXPECT_FALSE(MnemonicToEntropy("abandon about").ok());
  EXPECT_FALSE(EntropyToMnemonic(Bytes(15, 0)).ok());
  EXPECT_FALSE(MnemonicToSeed("abandon", "caf\xc3\xa9").ok());  // non-ASCII passphrase
}

TEST(Bip39Test, GeneratedMnemonicsAre24ValidDistinctWords) {
  std::set<std::string> seen;
  for (int i = 0; i < 8; ++i) {
    std::string m = GenerateMnemonic();
    EXPECT_EQ(std::count(m.begin(), m.end(), ' '), 23);
    auto e = MnemonicToEntropy(m);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->size(), 32u);
    seen.insert(m);
  }
  EXPECT_EQ(seen.size(), 8u);
}

struct SlipVector {
  const char* path;
  const char* chain_code;
  const char* key;
  const char* public_key;  // SLIP-0010 prints it with a leading 00
};

void CheckSlip(const char* seed_hex, const std::vector<SlipVector>& vectors) {
  Bytes seed = *FromHex(seed_hex);
  for (const SlipVector& v : vectors) {
    auto k = DerivePath(seed, v.path);
    ASSERT_TRUE(k.ok()) << v.path << ": " << k.status().ToString();
    EXPECT_EQ(ToHex(ByteView(k->chain_code.data(), 32)), v.chain_code) << v.path;
    EXPECT_EQ(ToHex(ByteView(k->key.data(), 32)), v.key) << v.path;
    auto priv = PrivateKey::FromSeed(ByteView(k->key.data(), 32));
    ASSERT_TRUE(priv.ok());
    EXPECT_EQ("00" + priv->public_key().Hex(), v.public_key) << v.path;
  }
}

TEST(Slip10Test, Ed25519Vector1) {
  CheckSlip("000102030405060708090a0b0c0d0e0f",
            {{"m", "90046a93de5380a72b5e45010748567d5ea02bbf6522f979e05c0d8d8ca9fffb",
              "2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7",
              "00a4b2856bfec510abab89753fac1ac0e1112364e7d250545963f135f2a33188ed"},
             {"m/0'", "8b59aa11380b624e81507a27fedda59fea6d0b779a778918a2fd3590e16e9c69",
              "68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3",
              "008c8a13df77a28f3445213a0f432fde644acaa215fc72dcdf300d5efaa85d350c"},
             {"m/0'/1'", "a320425f77d1b5c2505a6b1b27382b37368ee640e3557c315416801243552f14",
              "b1d0bad404bf35da785a64ca1ac54b2617211d2777696fbffaf208f746ae84f2",
              "001932a5270f335bed617d5b935c80aedb1a35bd9fc1e31acafd5372c30f5c1187"},
             {"m/0'/1'/2'", "2e69929e00b5ab250f49c3fb1c12f252de4fed2c1db88387094a0f8c4c9ccd6c",
              "92a5b23c0b8a99e37d07df3fb9966917f5d06e02ddbd909c7e184371463e9fc9",
              "00ae98736566d30ed0e9d2f4486a64bc95740d89c7db33f52121f8ea8f76ff0fc1"},
             {"m/0'/1'/2'/2'", "8f6d87f93d750e0efccda017d662a1b31a266e4a6f5993b15f5c1f07f74dd5cc",
              "30d1dc7e5fc04c31219ab25a27ae00b50f6fd66622f6e9c913253d6511d1e662",
              "008abae2d66361c879b900d204ad2cc4984fa2aa344dd7ddc46007329ac76c429c"},
             {"m/0'/1'/2'/2'/1000000000'",
              "68789923a0cac2cd5a29172a475fe9e0fb14cd6adb5ad98a3fa70333e7afa230",
              "8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793",
              "003c24da049451555d51a7014a37337aa4e12d41e485abccfa46b47dfb2af54b7a"}});
}

TEST(Slip10Test, Ed25519Vector2) {
  CheckSlip(
      "fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b78"
      "75726f6c696663605d5a5754514e4b484542",
      {{"m", "ef70a74db9c3a5af931b5fe73ed8e1a53464133654fd55e7a66f8570b8e33c3b",
        "171cb88b1b3c1db25add599712e36245d75bc65a1a5c9e18d76f9f2b1eab4012",
        "008fe9693f8fa62a4305a140b9764c5ee01e455963744fe18204b4fb948249308a"},
       {"m/0'", "0b78a3226f915c082bf118f83618a618ab6dec793752624cbeb622acb562862d",
        "1559eb2bbec5790b0c65d8693e4d0875b1747f4970ae8b650486ed7470845635",
        "0086fab68dcb57aa196c77c5f264f215a112c22a912c10d123b0d03c3c28ef1037"},
       {"m/0'/2147483647'", "138f0b2551bcafeca6ff2aa88ba8ed0ed8de070841f0c4ef0165df8181eaad7f",
        "ea4f5bfe8694d8bb74b7b59404632fd5968b774ed545e810de9c32a4fb4192f4",
        "005ba3b9ac6e90e83effcd25ac4e58a1365a9e35a3d3ae5eb07b9e4d90bcf7506d"},
       {"m/0'/2147483647'/1'", "73bd9fff1cfbde33a1b846c27085f711c0fe2d66fd32e139d3ebc28e5a4a6b90",
        "3757c7577170179c7868353ada796c839135b3d30554bbb74a4b1e4a5a58505c",
        "002e66aa57069c86cc18249aecf5cb5a9cebbfd6fadeab056254763874a9352b45"}});
  // The deepest step of vector 2, key and chain code only.
  Bytes seed = *FromHex(
      "fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b78"
      "75726f6c696663605d5a5754514e4b484542");
  auto k = DerivePath(seed, "m/0'/2147483647'/1'/2147483646'/2'");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(ToHex(ByteView(k->chain_code.data(), 32)),
            "5d70af781f3a37b829f0d060924d5e960bdc02e85423494afc0b1a41bbe196d4");
  EXPECT_EQ(ToHex(ByteView(k->key.data(), 32)),
            "551d333177df541ad876a60ea71f00447931c0a9da16f227c11ea080d7391b8d");
}

TEST(Slip10Test, PathsMustBeHardenedAndWellFormed) {
  EXPECT_TRUE(ParsePath("m").ok());
  EXPECT_TRUE(ParsePath(kDefaultPath).ok());
  EXPECT_EQ(*ParsePath("m/44h/1'"), (std::vector<uint32_t>{44 | kHardened, 1 | kHardened}));
  for (const char* bad :
       {"", "x/0'", "m/0", "m/44'/0", "m//0'", "m/2147483648'", "m/0'/", "m/a'"}) {
    EXPECT_FALSE(ParsePath(bad).ok()) << bad;
  }
  EXPECT_FALSE(DeriveChild(ExtendedKey{}, 5).ok());
}

TEST(Slip10Test, WalletKeyFromMnemonicIsDeterministicAndPathDependent) {
  const char* words = kBip39[5].words;
  auto a = KeyFromMnemonic(words, "");
  auto b = KeyFromMnemonic(words, "");
  auto c = KeyFromMnemonic(words, "", "m/44'/7777'/0'/0'/1'");
  auto d = KeyFromMnemonic(words, "TREZOR");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  EXPECT_EQ(a->public_key(), b->public_key());
  EXPECT_NE(a->public_key(), c->public_key());
  EXPECT_NE(a->public_key(), d->public_key());
  // Independently recomputed from the pieces: BIP39 seed -> SLIP-0010 at the default path.
  auto seed = MnemonicToSeed(words, "");
  auto ext = DerivePath(ByteView(seed->data(), 64), kDefaultPath);
  EXPECT_EQ(PrivateKey::FromSeed(ByteView(ext->key.data(), 32))->public_key(), a->public_key());
  EXPECT_FALSE(KeyFromMnemonic("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo", "").ok());
}

}  // namespace
}  // namespace metaledger::wallet
