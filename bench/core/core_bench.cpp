// Core figures for docs/benchmarks.md: hashing, signatures, codec and Merkle roots.
//   build-release/bin/core_bench --benchmark_min_time=1

#include <benchmark/benchmark.h>

#include <vector>

#include "core/crypto/ed25519.h"
#include "core/crypto/ed25519_batch.h"
#include "core/crypto/ed25519_rules.h"
#include "core/crypto/hash.h"
#include "core/merkle.h"
#include "core/transaction.h"
#include "tests/core/signed_messages.h"

namespace metaledger {
namespace {

void BM_Sha256(benchmark::State& state) {
  Bytes data(static_cast<size_t>(state.range(0)), 0x5a);
  for (auto _ : state) benchmark::DoNotOptimize(Sha256(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Sha256)->Arg(64)->Arg(1 << 20);

void BM_Ed25519Sign(benchmark::State& state) {
  PrivateKey key = PrivateKey::Generate();
  Hash256 msg = Sha256("message");
  for (auto _ : state) benchmark::DoNotOptimize(key.Sign(msg.view()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Ed25519Sign);

// Distinct keys so no single verifier benefits from a warm key cache.
using testing::MakeSignedMessages;
using testing::SignedMessage;

template <bool (*VerifyFn)(const PublicKey&, ByteView, const Signature&)>
void BM_Verify(benchmark::State& state) {
  static const std::vector<SignedMessage> items = MakeSignedMessages(64);
  size_t i = 0;
  for (auto _ : state) {
    const SignedMessage& s = items[i++ % items.size()];
    if (!VerifyFn(s.key, s.message.view(), s.sig)) state.SkipWithError("valid signature refused");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Verify<ed25519::LibsodiumVerify>)->Name("BM_Ed25519Verify/libsodium");
BENCHMARK(BM_Verify<ed25519::CryptoppEquationOnly>)->Name("BM_Ed25519Verify/cryptopp");
BENCHMARK(BM_Verify<Verify>)->Name("BM_Ed25519Verify/facade");
BENCHMARK(BM_Verify<ed25519::VerifyCofactored>)->Name("BM_Ed25519Verify/cofactored");

// Items per second is signatures per second: compare with the single verifications above. The
// 1 024 keys stay in the batch verifier's per-thread key cache (4 096 keys), as an account's
// keys do in a node; the cold variant cycles through 8 192 keys, so that every key is decoded.
void BM_Ed25519VerifyBatch(benchmark::State& state) {
  static const std::vector<SignedMessage> all = MakeSignedMessages(1024);
  std::vector<ed25519::BatchItem> items;
  for (int64_t i = 0; i < state.range(0); ++i) {
    const SignedMessage& s = all[static_cast<size_t>(i)];
    items.push_back({&s.key, s.message.view(), &s.sig});
  }
  for (auto _ : state) {
    if (!ed25519::VerifyBatch(items)) state.SkipWithError("valid batch refused");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void BM_Ed25519VerifyBatchColdKeys(benchmark::State& state) {
  static const std::vector<SignedMessage> all = MakeSignedMessages(8192);
  size_t n = static_cast<size_t>(state.range(0)), at = 0;
  std::vector<ed25519::BatchItem> items(n);
  for (auto _ : state) {
    for (size_t i = 0; i < n; ++i) {
      const SignedMessage& s = all[(at + i) % all.size()];
      items[i] = {&s.key, s.message.view(), &s.sig};
    }
    at += n;
    if (!ed25519::VerifyBatch(items)) state.SkipWithError("valid batch refused");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Ed25519VerifyBatchColdKeys)->Arg(64);
BENCHMARK(BM_Ed25519VerifyBatch)->Arg(1)->Arg(8)->Arg(32)->Arg(64)->Arg(400);

Transaction SampleTx() {
  Transaction tx;
  tx.chain_id = "metaledger-bench";
  tx.nonce = 123456;
  tx.kind = 7;
  tx.payload = Bytes(100, 0x42);
  tx.Sign(PrivateKey::Generate());
  return tx;
}

void BM_TxEncode(benchmark::State& state) {
  Transaction tx = SampleTx();
  for (auto _ : state) benchmark::DoNotOptimize(Encode(tx));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_TxEncode);

void BM_TxDecode(benchmark::State& state) {
  Bytes b = Encode(SampleTx());
  for (auto _ : state) {
    auto tx = Decode<Transaction>(b);
    if (!tx.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(tx);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_TxDecode);

void BM_TxHash(benchmark::State& state) {
  Transaction tx = SampleTx();
  for (auto _ : state) benchmark::DoNotOptimize(tx.Hash());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_TxHash);

void BM_MerkleRoot(benchmark::State& state) {
  std::vector<Hash256> leaves;
  for (int64_t i = 0; i < state.range(0); ++i) leaves.push_back(Sha256(std::to_string(i)));
  for (auto _ : state) benchmark::DoNotOptimize(MerkleRoot(leaves));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_MerkleRoot)->Arg(10000);

}  // namespace
}  // namespace metaledger

BENCHMARK_MAIN();
