#include <gtest/gtest.h>

#include "core/crypto/kx.h"
#include "core/crypto/secretstream.h"
#include "node/p2p/handshake.h"

namespace metaledger {
namespace {

TEST(KxTest, ClientAndServerDeriveMatchingDirectionalKeys) {
  auto client = KxKeyPair::Generate();
  auto server = KxKeyPair::Generate();
  auto ck = SessionKeys::ForClient(client, server.public_key());
  auto sk = SessionKeys::ForServer(server, client.public_key());
  ASSERT_TRUE(ck.ok() && sk.ok());
  EXPECT_EQ(ck->tx, sk->rx);
  EXPECT_EQ(ck->rx, sk->tx);
  EXPECT_NE(ck->tx, ck->rx);
  KxPublicKey zero;  // small-order point: refused
  EXPECT_FALSE(SessionKeys::ForClient(client, zero).ok());
}

TEST(SecretStreamTest, RoundTripsInOrderAndRejectsTamperingAndReplay) {
  SessionKey key;
  key.bytes.fill(7);
  SecretStreamSealer sealer(key);
  auto opener = SecretStreamOpener::Create(key, sealer.header());
  ASSERT_TRUE(opener.ok());
  Bytes c1, c2;
  sealer.Seal(AsBytes("first"), c1);
  sealer.Seal(AsBytes("second"), c2);
  EXPECT_EQ(c1.size(), 5 + kSecretStreamOverhead);
  auto p1 = opener->Open(c1);
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(*p1, ToBytes("first"));
  EXPECT_FALSE(opener->Open(c1).ok());  // replay of an earlier frame

  auto fresh = SecretStreamOpener::Create(key, sealer.header());
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(fresh->Open(c2).ok());  // out of order

  SecretStreamSealer s2(key);
  auto o2 = SecretStreamOpener::Create(key, s2.header());
  Bytes c3;
  s2.Seal(AsBytes("payload"), c3);
  c3[3] ^= 1;
  EXPECT_EQ(o2->Open(c3).status().code(), StatusCode::kUnauthenticated);
}

TEST(HelloTest, AcceptsMembersOnlyWithTheRightRoleAndKey) {
  PrivateKey a = PrivateKey::Generate(), b = PrivateKey::Generate(), outsider = PrivateKey::Generate();
  ValidatorSet vs({{"a", a.public_key(), ""}, {"b", b.public_key(), ""}});
  auto eph = KxKeyPair::Generate();
  using node::p2p::HandshakeRole;
  node::p2p::Hello hello = node::p2p::MakeHello("chain", HandshakeRole::kDialer, b, eph);
  auto ok = node::p2p::VerifyHello("chain", vs, 0, HandshakeRole::kDialer, hello, std::nullopt);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(*ok, 1u);
  // Reflected with the other role, another chain, or expected someone else: refused.
  EXPECT_FALSE(node::p2p::VerifyHello("chain", vs, 0, HandshakeRole::kListener, hello, {}).ok());
  EXPECT_FALSE(node::p2p::VerifyHello("other", vs, 0, HandshakeRole::kDialer, hello, {}).ok());
  EXPECT_FALSE(node::p2p::VerifyHello("chain", vs, 0, HandshakeRole::kDialer, hello, 0u).ok());
  // Our own key, or a key outside the set.
  EXPECT_FALSE(node::p2p::VerifyHello("chain", vs, 1, HandshakeRole::kDialer, hello, {}).ok());
  auto stranger = node::p2p::MakeHello("chain", HandshakeRole::kDialer, outsider, eph);
  auto refused = node::p2p::VerifyHello("chain", vs, 0, HandshakeRole::kDialer, stranger, {});
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
  hello.sig.bytes[5] ^= 1;
  EXPECT_FALSE(node::p2p::VerifyHello("chain", vs, 0, HandshakeRole::kDialer, hello, {}).ok());
}

}  // namespace
}  // namespace metaledger
