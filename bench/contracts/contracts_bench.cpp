// Contract execution throughput for docs/benchmarks.md: transactions per second through
// Executor::ExecuteBlock over an in-memory state on one core, with a verifier that accepts every
// signature (signature checks are cached at admission, so they are measured in core_bench).
//   build-release/bin/contracts_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "contracts/executor.h"
#include "core/payload/ids.h"
#include "core/payload/payloads.h"

namespace metaledger::contracts {
namespace {

constexpr const char* kChain = "bench-chain";

class AcceptAll final : public SignatureVerifier {
 public:
  bool Verify(const PublicKey&, ByteView, const Signature&) override { return true; }
};

PrivateKey Key(uint32_t i) {
  uint8_t seed[32] = {};
  seed[0] = static_cast<uint8_t>(i);
  seed[1] = static_cast<uint8_t>(i >> 8);
  seed[2] = 0xbe;
  return *PrivateKey::FromSeed(ByteView(seed, 32));
}

GenesisAccount Account(const PrivateKey& k, uint64_t balance, std::vector<std::string> roles) {
  GenesisAccount a;
  a.name = "a";
  a.key = k.public_key();
  a.balance = balance;
  a.roles = std::move(roles);
  return a;
}

template <typename P>
Transaction Tx(const PrivateKey& k, uint64_t nonce, const P& p) {
  Transaction tx = BuildTransaction(kChain, k.public_key(), nonce, p);
  tx.signature = Signature{};  // never checked here
  return tx;
}

// Runs `block` against `state` at height h once per iteration; reports transactions/s.
void RunBlock(benchmark::State& st, const MemoryState& state, uint64_t h,
              const std::vector<Transaction>& block) {
  AcceptAll verifier;
  Executor exec(verifier);
  BlockContext ctx{kChain, h, 1'000'000 + h * 1000};
  for (auto _ : st) {
    auto r = exec.ExecuteBlock(state, ctx, block);
    if (!r.ok() || r->tx_codes.empty() || r->tx_codes[0] != 0) {
      st.SkipWithError("block failed");
      return;
    }
    benchmark::DoNotOptimize(r->writes.size());
  }
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * block.size()));
}

MemoryState Genesis0(const Genesis& g) {
  MemoryState s;
  s.Apply(*Executor::GenesisState(g));
  return s;
}

// A block of transfers: 100 senders, each sending range(0)/100 transfers to the next sender.
void BM_Transfers(benchmark::State& st) {
  const uint32_t senders = 100;
  const uint64_t per_sender = static_cast<uint64_t>(st.range(0)) / senders;
  Genesis g;
  g.chain_id = kChain;
  std::vector<PrivateKey> keys;
  for (uint32_t i = 0; i < senders; ++i) {
    keys.push_back(Key(i));
    g.accounts.push_back(Account(keys.back(), 1'000'000, {}));
  }
  MemoryState s = Genesis0(g);
  std::vector<Transaction> block;
  for (uint64_t n = 0; n < per_sender; ++n) {
    for (uint32_t i = 0; i < senders; ++i) {
      block.push_back(
          Tx(keys[i], n, TransferPayload{AddressOf(keys[(i + 1) % senders].public_key()), 1}));
    }
  }
  RunBlock(st, s, 1, block);
}
BENCHMARK(BM_Transfers)->Arg(1000)->Arg(5000);

// A block of sealed-bid commitments to one auction: range(0) operators, one UAV each.
void BM_AuctionCommitBids(benchmark::State& st) {
  const uint32_t n = static_cast<uint32_t>(st.range(0));
  Genesis g;
  g.chain_id = kChain;
  PrivateKey vsp = Key(60'000);
  g.accounts.push_back(Account(vsp, 1'000'000, {"VSP"}));
  std::vector<PrivateKey> ops;
  for (uint32_t i = 0; i < n; ++i) {
    ops.push_back(Key(2 * i));
    g.accounts.push_back(Account(ops.back(), 1'000, {"UAV_OPERATOR"}));
    GenesisAccount uav = Account(Key(2 * i + 1), 0, {});
    uav.operator_key = ops.back().public_key();
    g.accounts.push_back(uav);
  }
  MemoryState s = Genesis0(g);
  PostTaskPayload t;
  t.cells = {1};
  t.window_start_ms = 0;
  t.window_end_ms = 1;
  t.k = 10;
  t.reserve = 100;
  t.bid_bond = 100;
  t.commit_end_h = 100;
  t.reveal_end_h = 200;
  t.delivery_end_h = 300;
  AcceptAll verifier;
  Executor exec(verifier);
  std::vector<Transaction> post = {Tx(vsp, 0, t)};
  auto posted = exec.ExecuteBlock(s, BlockContext{kChain, 1, 1'001'000}, post);
  if (!posted.ok() || posted->tx_codes[0] != 0) {
    st.SkipWithError("post failed");
    return;
  }
  s.Apply(posted->writes);
  Hash256 task = AuctionTaskId(kChain, AddressOf(vsp.public_key()), 0);
  std::vector<Transaction> block;
  for (uint32_t i = 0; i < n; ++i) {
    Address op = AddressOf(ops[i].public_key());
    Address uav = AddressOf(Key(2 * i + 1).public_key());
    Hash256 salt = Sha256(std::to_string(i));
    block.push_back(
        Tx(ops[i], 0, CommitBidPayload{task, uav, BidCommitment(kChain, task, op, uav, 50, salt)}));
  }
  RunBlock(st, s, 2, block);
}
BENCHMARK(BM_AuctionCommitBids)->Arg(100)->Arg(1000);

}  // namespace
}  // namespace metaledger::contracts

BENCHMARK_MAIN();
