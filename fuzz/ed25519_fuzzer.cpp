// libFuzzer target: Ed25519 verification on arbitrary input, key (32) || signature (64) ||
// message. The facade, the cofactored check and a batch must give the same verdict; whatever
// libsodium accepts must be accepted; a key that decodes must encode back to its bytes.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/crypto/ed25519.h"
#include "core/crypto/ed25519_batch.h"
#include "core/crypto/ed25519_rules.h"
#include "core/crypto/edwards25519.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "ed25519 fuzz: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace metaledger;
  if (size < 96) return 0;
  PublicKey key;
  Signature sig;
  std::memcpy(key.bytes.data(), data, 32);
  std::memcpy(sig.bytes.data(), data + 32, 64);
  ByteView message(data + 96, size - 96);

  bool facade = Verify(key, message, sig);
  if (facade != ed25519::VerifyCofactored(key, message, sig)) Fail("facade and cofactored differ");
  if (ed25519::LibsodiumVerify(key, message, sig) && !facade)
    Fail("libsodium accepts, facade refuses");

  static const PrivateKey signer = PrivateKey::Generate();
  static const Bytes good_message = ToBytes("a good signature beside the fuzzed one");
  static const Signature good = signer.Sign(good_message);
  ed25519::BatchItem items[2] = {{&signer.public_key(), good_message, &good},
                                 {&key, message, &sig}};
  if (ed25519::VerifyBatch(std::span(items + 1, 1)) != facade) Fail("batch of one differs");
  if (ed25519::VerifyBatch(items) != facade) Fail("batch of two differs");

  edwards25519::Point p;
  if (edwards25519::Decompress(key.data(), &p)) {
    uint8_t back[32];
    edwards25519::Compress(p, back);
    if (std::memcmp(back, key.data(), 32) != 0) Fail("key does not encode back to its bytes");
  }
  return 0;
}
