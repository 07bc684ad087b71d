// Storage figures for docs/benchmarks.md:
//   committed blocks/s with 1 000 transactions of 200 bytes (sync = true),
//   state tree updates/s (and new nodes per key, which should grow like log n),
//   state proof generation and verification time,
//   bytes on disk per transaction (extrapolated to a million).

#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <unordered_map>

#include "core/merkle.h"
#include "storage/ledger_store.h"
#include "storage/state_tree.h"

namespace metaledger::storage {
namespace {

constexpr char kChain[] = "bench-chain";

Genesis BenchGenesis() {
  Genesis g;
  g.chain_id = kChain;
  std::vector<Validator> vs;
  for (uint8_t i = 0; i < 4; ++i) {
    auto key = PrivateKey::FromSeed(Bytes(32, static_cast<uint8_t>(i + 1)));
    vs.push_back({"v" + std::to_string(i), key->public_key(), ""});
  }
  g.validators = ValidatorSet(std::move(vs));
  return g;
}

struct BenchDir {
  std::filesystem::path path;
  explicit BenchDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() / ("metaledger-bench-" + name)) {
    std::filesystem::remove_all(path);
  }
  ~BenchDir() { std::filesystem::remove_all(path); }
};

// Block `height` of 1 000 transactions with 200-byte payloads; each writes one account key.
struct BlockMaker {
  std::mt19937_64 rng{1};
  size_t txs = 1000;
  size_t accounts = 100'000;

  void Next(LedgerStore& store, Block& block, std::vector<Transaction>& out, ExecutionResult& r) {
    const uint64_t h = store.last_height() + 1;
    out.clear();
    r = ExecutionResult{};
    std::vector<Hash256> ids;
    for (size_t i = 0; i < txs; ++i) {
      Transaction tx;
      tx.chain_id = kChain;
      tx.sender.bytes.fill(static_cast<uint8_t>(rng()));
      tx.nonce = h * txs + i;
      tx.kind = 1;
      tx.payload.resize(200);
      for (auto& b : tx.payload) b = static_cast<uint8_t>(rng());
      ids.push_back(tx.Hash());
      r.tx_codes.push_back(0);
      r.writes[ToBytes("acct/" + std::to_string(rng() % accounts))] =
          Bytes(48, static_cast<uint8_t>(h));
      out.push_back(std::move(tx));
    }
    block = Block{};
    block.header.height = h;
    block.header.round = h;
    block.header.parent_hash = store.GetBlock(h - 1)->Hash(kChain);
    block.header.tx_root = MerkleRoot(ids);
    block.header.tx_count = static_cast<uint32_t>(txs);
  }
};

Status CommitOne(LedgerStore& store, BlockMaker& maker) {
  Block block;
  std::vector<Transaction> txs;
  ExecutionResult result;
  maker.Next(store, block, txs, result);
  ML_ASSIGN_OR_RETURN(PreparedCommit p, store.Prepare(block, txs, result));
  CommitCert cert{p.height(), p.block_hash(), p.tx_root(), p.state_root(), {}};
  return store.CommitBlock(p, cert);
}

void BM_CommitBlock1000Txs(benchmark::State& state) {
  BenchDir dir("commit");
  auto store = LedgerStore::Open(dir.path.string(), BenchGenesis(), {});
  if (!store.ok()) return state.SkipWithError(store.status().ToString().c_str());
  BlockMaker maker;
  double prepare_ms = 0, write_ms = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Block block;
    std::vector<Transaction> txs;
    ExecutionResult result;
    maker.Next(**store, block, txs, result);
    state.ResumeTiming();
    auto t0 = std::chrono::steady_clock::now();
    auto p = (*store)->Prepare(block, txs, result);
    auto t1 = std::chrono::steady_clock::now();
    CommitCert cert{p->height(), p->block_hash(), p->tx_root(), p->state_root(), {}};
    Status s = (*store)->CommitBlock(*p, cert);
    auto t2 = std::chrono::steady_clock::now();
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
    prepare_ms += std::chrono::duration<double, std::milli>(t1 - t0).count();
    write_ms += std::chrono::duration<double, std::milli>(t2 - t1).count();
  }
  state.counters["prepare_ms"] = prepare_ms / static_cast<double>(state.iterations());
  state.counters["write_ms"] = write_ms / static_cast<double>(state.iterations());
  state.counters["blocks/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["txs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * 1000),
                                               benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CommitBlock1000Txs)->Unit(benchmark::kMillisecond)->Iterations(100)->UseRealTime();

class MemoryNodes final : public TreeNodeSource {
 public:
  Result<bool> ReadNode(uint64_t version, const Hash256& hash, std::string* out) const override {
    auto it = nodes.find(TreeNodeKey(version, hash));
    if (it == nodes.end()) return Status::NotFound("node");
    *out = it->second;
    return false;  // the tree checks every node's hash
  }
  std::unordered_map<std::string, std::string> nodes;
};

// Batches of 1 000 updates into a tree of state.range(0) keys (in memory: CPU and hashing only).
void BM_TreeUpdate(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  MemoryNodes nodes;
  NodeRef root;
  uint64_t version = 1;
  for (size_t start = 0; start < n; start += 10'000, ++version) {
    WriteSet w;
    for (size_t i = start; i < std::min(n, start + 10'000); ++i)
      w[ToBytes("k" + std::to_string(i))] = Bytes(32, 1);
    auto u = UpdateTree(nodes, root, version, w);
    for (const auto& node : u->new_nodes.nodes()) {
      nodes.nodes.emplace(TreeNodeKey(u->version, node.hash), u->new_nodes.encoded(node));
    }
    root = u->root;
  }
  std::mt19937_64 rng(3);
  size_t new_nodes = 0, updates = 0;
  for (auto _ : state) {
    WriteSet w;
    for (int i = 0; i < 1000; ++i)
      w[ToBytes("k" + std::to_string(rng() % n))] = Bytes(32, static_cast<uint8_t>(version));
    auto u = UpdateTree(nodes, root, ++version, w);
    new_nodes += u->new_nodes.size();
    updates += w.size();
    state.PauseTiming();
    for (const auto& node : u->new_nodes.nodes()) {
      nodes.nodes.emplace(TreeNodeKey(u->version, node.hash), u->new_nodes.encoded(node));
    }
    root = u->root;
    state.ResumeTiming();
  }
  state.counters["updates/s"] =
      benchmark::Counter(static_cast<double>(updates), benchmark::Counter::kIsRate);
  state.counters["nodes/key"] = static_cast<double>(new_nodes) / static_cast<double>(updates);
}
BENCHMARK(BM_TreeUpdate)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

// A store with 50 blocks x 1 000 txs over 100 000 accounts, shared by the proof benchmarks.
LedgerStore& ProofStore() {
  static BenchDir dir("proof");
  static std::unique_ptr<LedgerStore> store = [] {
    auto s = LedgerStore::Open(dir.path.string(), BenchGenesis(), {});
    BlockMaker maker;
    for (int i = 0; i < 50; ++i) (void)CommitOne(**s, maker);
    return std::move(*s);
  }();
  return *store;
}

void BM_ProofGenerate(benchmark::State& state) {
  LedgerStore& store = ProofStore();
  std::mt19937_64 rng(5);
  for (auto _ : state) {
    auto r =
        store.GetWithProof(AsBytes("acct/" + std::to_string(rng() % 100'000)), store.last_height());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ProofGenerate)->Unit(benchmark::kMicrosecond);

void BM_ProofVerify(benchmark::State& state) {
  LedgerStore& store = ProofStore();
  std::vector<std::pair<Bytes, StateProofResult>> proofs;
  for (int i = 0; i < 256; ++i) {
    Bytes key = ToBytes("acct/" + std::to_string(i * 331));
    proofs.emplace_back(key, *store.GetWithProof(key, store.last_height()));
  }
  size_t i = 0, depth = 0;
  for (auto _ : state) {
    const auto& [key, r] = proofs[i++ % proofs.size()];
    depth += r.proof.siblings.size();
    if (!SmtVerify(r.state_root, key, r.value, r.proof).ok()) return state.SkipWithError("verify");
  }
  state.counters["siblings"] = static_cast<double>(depth) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ProofVerify)->Unit(benchmark::kMicrosecond);

uint64_t DirBytes(const std::filesystem::path& p) {
  uint64_t total = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(p)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

// Commits 20 000 transactions, takes a checkpoint (flushed table files only, no WAL) and
// extrapolates its size linearly to a million transactions.
void BM_BytesOnDisk(benchmark::State& state) {
  for (auto _ : state) {
    BenchDir dir("disk");
    BenchDir snap("disk-snap");
    auto store = LedgerStore::Open(dir.path.string(), BenchGenesis(), {});
    BlockMaker maker;
    const int blocks = 20;
    for (int i = 0; i < blocks; ++i) (void)CommitOne(**store, maker);
    (void)(*store)->CreateSnapshot(snap.path.string());
    double per_tx = static_cast<double>(DirBytes(snap.path)) / (blocks * 1000.0);
    state.counters["bytes/tx"] = per_tx;
    state.counters["MB/million txs"] = per_tx;  // bytes per tx == MB per million txs
  }
}
BENCHMARK(BM_BytesOnDisk)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace metaledger::storage

BENCHMARK_MAIN();
