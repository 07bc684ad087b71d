#pragma once
// A deterministic test chain for the storage tests and the crash child: block h is a pure
// function of (seed, h), so a checker can replay heights 1..h from scratch and compare.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/block.h"
#include "core/execution.h"
#include "core/genesis.h"
#include "core/transaction.h"
#include "storage/ledger_store.h"

namespace metaledger::storage::testing {

inline constexpr char kChainId[] = "storage-test";

Genesis TestGenesis(const std::string& chain_id = kChainId);
WriteSet TestGenesisWrites();

struct ChainParams {
  uint64_t seed = 1;
  size_t txs_per_block = 8;
  size_t key_space = 200;  // writes go to keys "k/0".."k/<key_space-1>"
  size_t payload_bytes = 40;
  size_t senders = 5;
};

struct TestBlock {
  Block block;
  std::vector<Transaction> txs;
  ExecutionResult result;
};

// Produces blocks 1, 2, ... of one chain; Next() needs the previous block's hash, which it keeps.
class ChainGenerator {
 public:
  explicit ChainGenerator(ChainParams params, const std::string& chain_id = kChainId);
  // Block at `height` given its parent's hash.
  TestBlock Make(uint64_t height, const Hash256& parent_hash) const;
  const ChainParams& params() const { return params_; }
  PublicKey Sender(size_t i) const;

 private:
  ChainParams params_;
  std::string chain_id_;
};

// A certificate naming exactly what `p` will commit (no signatures: storage does not check them).
CommitCert CertFor(const PreparedCommit& p);

// Prepare + CommitBlock of the next block from `gen`; returns the committed TestBlock.
Result<TestBlock> CommitNext(LedgerStore& store, const ChainGenerator& gen);

// Prepare + CommitBlock of the next block from `gen` carrying `txs` with these result codes
// instead of its own (a repeated or refused transaction, for the tx index rules).
Status CommitWithCodes(LedgerStore& store, const ChainGenerator& gen, std::vector<Transaction> txs,
                       std::vector<uint16_t> codes);

// The sparse Merkle root of a full key -> value map, computed from scratch by the definition in
// core/sparse_merkle.h (independent of storage/state_tree.cpp).
Hash256 ReferenceRoot(const std::map<Bytes, Bytes, BytesLess>& state);

// Applies a write set to a plain map (the replay model).
void ApplyWrites(std::map<Bytes, Bytes, BytesLess>& state, const WriteSet& writes);

}  // namespace metaledger::storage::testing
