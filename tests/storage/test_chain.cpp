#include "tests/storage/test_chain.h"

#include <algorithm>
#include <random>

#include "core/merkle.h"
#include "core/sparse_merkle.h"

namespace metaledger::storage::testing {

Genesis TestGenesis(const std::string& chain_id) {
  Genesis g;
  g.chain_id = chain_id;
  g.genesis_time_ms = 1'700'000'000'000;
  std::vector<Validator> vs;
  for (uint8_t i = 0; i < 4; ++i) {
    Bytes seed(32, static_cast<uint8_t>(i + 1));
    auto key = PrivateKey::FromSeed(seed);
    vs.push_back({"v" + std::to_string(i), key->public_key(), ""});
  }
  g.validators = ValidatorSet(std::move(vs));
  return g;
}

WriteSet TestGenesisWrites() {
  WriteSet w;
  for (int i = 0; i < 10; ++i)
    w[ToBytes("g/" + std::to_string(i))] = ToBytes("genesis-" + std::to_string(i));
  return w;
}

ChainGenerator::ChainGenerator(ChainParams params, const std::string& chain_id)
    : params_(params), chain_id_(chain_id) {}

PublicKey ChainGenerator::Sender(size_t i) const {
  PublicKey k;
  k.bytes.fill(static_cast<uint8_t>(0x40 + i));
  return k;
}

TestBlock ChainGenerator::Make(uint64_t height, const Hash256& parent_hash) const {
  std::mt19937_64 rng(params_.seed * 1'000'003 + height);
  TestBlock tb;
  std::vector<Hash256> ids;
  for (size_t i = 0; i < params_.txs_per_block; ++i) {
    Transaction tx;
    tx.chain_id = chain_id_;
    tx.sender = Sender(rng() % params_.senders);
    tx.nonce = height * 100'000 + i;
    tx.kind = 1;
    tx.payload.resize(params_.payload_bytes);
    for (auto& b : tx.payload) b = static_cast<uint8_t>(rng());
    ids.push_back(tx.Hash());
    tb.txs.push_back(std::move(tx));
    tb.result.tx_codes.push_back(static_cast<uint16_t>(rng() % 7 == 0 ? 3 : 0));
    // Each tx sets one key and sometimes deletes another.
    Bytes key = ToBytes("k/" + std::to_string(rng() % params_.key_space));
    tb.result.writes[key] = ToBytes("v" + std::to_string(height) + "/" + std::to_string(i));
    if (rng() % 4 == 0) {
      Bytes del = ToBytes("k/" + std::to_string(rng() % params_.key_space));
      if (!tb.result.writes.count(del)) tb.result.writes[del] = std::nullopt;
    }
  }
  tb.result.events.push_back(Event{0, "test.block", {{"height", std::to_string(height)}}});
  BlockHeader& h = tb.block.header;
  h.height = height;
  h.round = height + 1;
  h.parent_hash = parent_hash;
  h.time_ms = 1'700'000'000'000 + height * 1000;
  h.tx_root = MerkleRoot(ids);
  h.tx_count = static_cast<uint32_t>(ids.size());
  tb.block.payload = ToBytes("payload-" + std::to_string(height));
  h.payload_hash = PayloadHash(chain_id_, tb.block.payload);
  return tb;
}

CommitCert CertFor(const PreparedCommit& p) {
  CommitCert c;
  c.height = p.height();
  c.block_hash = p.block_hash();
  c.tx_root = p.tx_root();
  c.state_root = p.state_root();
  return c;
}

Result<TestBlock> CommitNext(LedgerStore& store, const ChainGenerator& gen) {
  uint64_t h = store.last_height();
  ML_ASSIGN_OR_RETURN(Block parent, store.GetBlock(h));
  TestBlock tb = gen.Make(h + 1, parent.Hash(store.chain_id()));
  ML_ASSIGN_OR_RETURN(PreparedCommit p, store.Prepare(tb.block, tb.txs, tb.result));
  ML_RETURN_IF_ERROR(store.CommitBlock(p, CertFor(p)));
  return tb;
}

Status CommitWithCodes(LedgerStore& store, const ChainGenerator& gen, std::vector<Transaction> txs,
                       std::vector<uint16_t> codes) {
  uint64_t h = store.last_height();
  ML_ASSIGN_OR_RETURN(Block parent, store.GetBlock(h));
  TestBlock tb = gen.Make(h + 1, parent.Hash(store.chain_id()));
  std::vector<Hash256> ids;
  for (const Transaction& tx : txs) ids.push_back(tx.Hash());
  tb.txs = std::move(txs);
  tb.result.tx_codes = std::move(codes);
  tb.block.header.tx_root = MerkleRoot(ids);
  tb.block.header.tx_count = static_cast<uint32_t>(ids.size());
  ML_ASSIGN_OR_RETURN(PreparedCommit p, store.Prepare(tb.block, tb.txs, tb.result));
  return store.CommitBlock(p, CertFor(p));
}

namespace {

using Leaf = std::pair<Hash256, Hash256>;  // key hash, value hash

Hash256 SubtreeRoot(std::span<const Leaf> leaves, size_t depth) {
  if (leaves.empty()) return kSmtEmptyHash;
  if (leaves.size() == 1) return SmtLeafHash(leaves[0].first, leaves[0].second);
  size_t split = 0;
  while (split < leaves.size() && !SmtBit(leaves[split].first, depth)) ++split;
  return SmtInternalHash(SubtreeRoot(leaves.first(split), depth + 1),
                         SubtreeRoot(leaves.subspan(split), depth + 1));
}

}  // namespace

Hash256 ReferenceRoot(const std::map<Bytes, Bytes, BytesLess>& state) {
  std::vector<Leaf> leaves;
  for (const auto& [k, v] : state) leaves.emplace_back(SmtKeyHash(k), SmtValueHash(v));
  std::sort(leaves.begin(), leaves.end());
  return SubtreeRoot(leaves, 0);
}

void ApplyWrites(std::map<Bytes, Bytes, BytesLess>& state, const WriteSet& writes) {
  for (const auto& [k, v] : writes) {
    if (v) {
      state[k] = *v;
    } else {
      state.erase(k);
    }
  }
}

}  // namespace metaledger::storage::testing
