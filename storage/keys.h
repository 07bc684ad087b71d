#pragma once
// Column families and key formats of the ledger database (documented in docs/storage.md).
// Heights are big-endian in keys so RocksDB's bytewise order is height order.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/crypto/hash.h"
#include "core/transaction.h"

namespace metaledger::storage::keys {

enum Cf : int {
  kDefault = 0,  // required by RocksDB, unused
  kBlocks,
  kBlockIndex,
  kTxIndex,
  kStateTree,
  kCerts,
  kConsensus,
  kMeta,
  kAccountTxs,
  kCfCount,
};

// Stores written before the state values moved into the tree alone also hold a "state" family;
// it is opened like any unknown family and never read.
inline constexpr std::string_view kCfNames[kCfCount] = {"default",   "blocks",     "block_index",
                                                        "tx_index",  "state_tree", "certs",
                                                        "consensus", "meta",       "account_txs"};

// blocks: height ‖ part
inline constexpr char kBlockPart = 0, kTxsPart = 1, kReceiptsPart = 2;

// meta keys
inline constexpr std::string_view kSchemaVersion = "schema_version";
inline constexpr std::string_view kChainId = "chain_id";
inline constexpr std::string_view kGenesisHash = "genesis_hash";
inline constexpr std::string_view kLastHeight = "last_height";
// consensus keys
inline constexpr std::string_view kSafety = "safety";
inline constexpr char kPendingPrefix = 'p';
// tx_index: 't' ‖ id; account_txs: 'a' ‖ address ‖ height ‖ index. Before schema 4 the
// account entries were in tx_index too, hence distinct prefixes.
inline constexpr char kTxPrefix = 't', kAccountPrefix = 'a';
// tx_index: the height up to which the 't' entries are in the family (recent_tx_index.h).
inline constexpr std::string_view kIndexedThrough = "i";
// state_tree: roots by height ('r'); nodes ('n') are keyed in state_tree.h
inline constexpr char kRootPrefix = 'r';

inline void AppendBE(std::string& s, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) s.push_back(static_cast<char>(v >> (8 * i)));
}
inline uint64_t ReadBE(std::string_view s, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(s[pos + i]);
  return v;
}
inline void AppendRaw(std::string& s, ByteView b) { s.append(b.begin(), b.end()); }

inline std::string Height(uint64_t h) {
  std::string k;
  AppendBE(k, h, 8);
  return k;
}
inline std::string BlockPart(uint64_t h, char part) {
  std::string k = Height(h);
  k.push_back(part);
  return k;
}
inline std::string Root(uint64_t h) {
  std::string k(1, kRootPrefix);
  AppendBE(k, h, 8);
  return k;
}
inline std::string Tx(const Hash256& tx_hash) {
  std::string k(1, kTxPrefix);
  AppendRaw(k, tx_hash.view());
  return k;
}
inline std::string AccountPrefix(const Address& a) {
  std::string k(1, kAccountPrefix);
  AppendRaw(k, a.view());
  return k;
}
inline std::string AccountTx(const Address& a, uint64_t height, uint32_t index) {
  std::string k = AccountPrefix(a);
  AppendBE(k, height, 8);
  AppendBE(k, index, 4);
  return k;
}
inline std::string Pending(uint64_t height, const Hash256& block_hash) {
  std::string k(1, kPendingPrefix);
  AppendBE(k, height, 8);
  AppendRaw(k, block_hash.view());
  return k;
}

}  // namespace metaledger::storage::keys
