// SHA-256 against NIST FIPS 180-4 example vectors, streaming against one-shot, and the domain
// separation TaggedHash promises.

#include <gtest/gtest.h>
#include <sodium.h>

#include <random>
#include <string>

#include "core/crypto/hash.h"

namespace metaledger {
namespace {

TEST(Sha256, NistAbc) {
  EXPECT_EQ(Sha256("abc").Hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, Nist448BitMessage) {
  EXPECT_EQ(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").Hex(),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, NistOneMillionA) {
  EXPECT_EQ(Sha256(std::string(1000000, 'a')).Hex(),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, Empty) {
  EXPECT_EQ(Sha256(ByteView{}).Hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, OneMillionAStreamedInChunks) {
  Sha256Hasher h;
  std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.Update(chunk);
  EXPECT_EQ(h.Finish(), Sha256(std::string(1000000, 'a')));
}

TEST(Sha256, StreamingEqualsOneShotForRandomSplits) {
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 200; ++trial) {
    Bytes data(rng() % 600);
    for (auto& b : data) b = static_cast<uint8_t>(rng());
    Sha256Hasher h;
    size_t pos = 0;
    while (pos < data.size()) {
      size_t n = std::min<size_t>(data.size() - pos, rng() % 130);
      h.Update(ByteView(data.data() + pos, n));
      pos += n;
    }
    EXPECT_EQ(h.Finish(), Sha256(data)) << "size " << data.size();
  }
}

// Against an independent implementation (libsodium's), at every length around the block and
// padding boundaries, one-shot and streamed a byte at a time.
TEST(Sha256, AgreesWithLibsodiumAtEveryLengthUpTo300) {
  ASSERT_GE(sodium_init(), 0);
  std::mt19937_64 rng(7);
  Bytes data(300);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  for (size_t n = 0; n <= data.size(); ++n) {
    Hash256 expected;
    crypto_hash_sha256(expected.data(), data.data(), n);
    EXPECT_EQ(Sha256(ByteView(data.data(), n)), expected) << "length " << n;
    Sha256Hasher h;
    for (size_t i = 0; i < n; ++i) h.Update(ByteView(data.data() + i, 1));
    EXPECT_EQ(h.Finish(), expected) << "length " << n << ", streamed";
  }
}

TEST(Sha256, FinishResetsForReuse) {
  Sha256Hasher h;
  h.Update("garbage");
  (void)h.Finish();
  h.Update("abc");
  EXPECT_EQ(h.Finish(), Sha256("abc"));
}

TEST(TaggedHash, IsHashOfLengthPrefixedTagAndChain) {
  // 1-byte length ‖ tag ‖ 1-byte length ‖ chain id ‖ data
  Bytes manual = {3, 't', 'a', 'g', 2, 'c', '1', 'x', 'y'};
  EXPECT_EQ(TaggedHash("tag", "c1", AsBytes("xy")), Sha256(manual));
}

TEST(TaggedHash, SeparatesTagsChainsAndBoundaries) {
  Bytes data = ToBytes("payload");
  Hash256 base = TaggedHash("metaledger/tx/v1", "chain-a", data);
  EXPECT_NE(base, TaggedHash("metaledger/txid/v1", "chain-a", data));
  EXPECT_NE(base, TaggedHash("metaledger/tx/v1", "chain-b", data));
  EXPECT_NE(base, Sha256(data));
  // Moving bytes between tag, chain id and data changes the hash.
  EXPECT_NE(TaggedHash("ab", "c", AsBytes("d")), TaggedHash("a", "bc", AsBytes("d")));
  EXPECT_NE(TaggedHash("a", "bc", AsBytes("d")), TaggedHash("a", "b", AsBytes("cd")));
  EXPECT_NE(TaggedHash("a", "", AsBytes("")), TaggedHash("", "a", AsBytes("")));
}

TEST(TaggedHash, StreamingMatchesOneShot) {
  TaggedHasher h("metaledger/block/v1", "chain");
  h.Update(AsBytes("ab")).Update(AsBytes("cd"));
  EXPECT_EQ(h.Finish(), TaggedHash("metaledger/block/v1", "chain", AsBytes("abcd")));
}

}  // namespace
}  // namespace metaledger
