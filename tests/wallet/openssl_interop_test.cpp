// Wallet signatures verify under OpenSSL's independent Ed25519 (EVP_DigestVerify), and
// OpenSSL's signatures verify under the wallet's strict verifier. Keys come from the keystore
// and mnemonic paths the wallet really uses.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <memory>

#include "core/payload/payloads.h"
#include "wallet/mnemonic.h"

namespace metaledger::wallet {
namespace {

using PKeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

bool OpenSslVerify(const PublicKey& pk, ByteView msg, const Signature& sig) {
  PKeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pk.data(), 32), EVP_PKEY_free);
  if (!key) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), sig.data(), 64, msg.data(), msg.size()) == 1;
}

Signature OpenSslSign(ByteView seed32, ByteView msg, PublicKey* pk_out) {
  PKeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed32.data(), 32),
              EVP_PKEY_free);
  EXPECT_TRUE(key);
  size_t pk_len = 32;
  EXPECT_EQ(EVP_PKEY_get_raw_public_key(key.get(), pk_out->data(), &pk_len), 1);
  MdCtxPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EXPECT_EQ(EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()), 1);
  Signature sig;
  size_t sig_len = 64;
  EXPECT_EQ(EVP_DigestSign(ctx.get(), sig.data(), &sig_len, msg.data(), msg.size()), 1);
  EXPECT_EQ(sig_len, 64u);
  return sig;
}

TEST(OpenSslInteropTest, WalletSignaturesVerifyUnderOpenSsl) {
  auto key = KeyFromMnemonic(GenerateMnemonic(), "");
  ASSERT_TRUE(key.ok());
  for (size_t len : {0, 1, 32, 1000}) {
    Bytes msg(len, static_cast<uint8_t>(len));
    Signature sig = key->Sign(msg);
    EXPECT_TRUE(OpenSslVerify(key->public_key(), msg, sig)) << len;
    sig.bytes[10] ^= 1;
    EXPECT_FALSE(OpenSslVerify(key->public_key(), msg, sig)) << len;
  }
}

TEST(OpenSslInteropTest, SignedTransactionVerifiesUnderOpenSsl) {
  PrivateKey key = PrivateKey::Generate();
  Transaction tx = BuildTransaction("interop", key.public_key(), 3,
                                    TransferPayload{AddressOf(key.public_key()), 42});
  tx.Sign(key);
  EXPECT_TRUE(OpenSslVerify(key.public_key(), tx.SigningHash().view(), tx.signature));
}

TEST(OpenSslInteropTest, OpenSslSignaturesVerifyUnderWallet) {
  for (uint8_t b : {1, 7, 200}) {
    Bytes seed(32, b);
    Bytes msg = ToBytes("metaledger interop " + std::to_string(b));
    PublicKey openssl_pk;
    Signature sig = OpenSslSign(seed, msg, &openssl_pk);
    auto ours = PrivateKey::FromSeed(seed);
    ASSERT_TRUE(ours.ok());
    EXPECT_EQ(ours->public_key(), openssl_pk);  // same key from the same seed
    EXPECT_TRUE(Verify(openssl_pk, msg, sig));
    EXPECT_EQ(ours->Sign(msg), sig);  // Ed25519 is deterministic: identical signatures
    msg.push_back(0);
    EXPECT_FALSE(Verify(openssl_pk, msg, sig));
  }
}

}  // namespace
}  // namespace metaledger::wallet
