#pragma once
// What the REST layer needs from the rest of the node, as three small interfaces.
//
//   ChainReader   read-only access to committed, certified data (blocks, transactions, receipts,
//                 commit certificates, historic state with proofs). The node implements it over
//                 storage's LedgerStore; tests implement it in memory.
//   ContractViews read-only contract queries (accounts, models, FL tasks, datasets, pools,
//                 auctions, twins, rewards) as JSON, at a given height.
//   RestBackend   what only the running node knows: identity, peers, consensus progress,
//                 mempool admission and readiness.
//
// All methods may be called from the REST I/O thread; they must be thread-safe and should not
// block for long (a point read from RocksDB is fine; waiting for a commit is not — the REST layer
// polls ChainReader::LocateTx instead). "Not found" is reported as StatusCode::kNotFound.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/block.h"
#include "core/certificates.h"
#include "core/execution.h"
#include "core/genesis.h"
#include "core/status.h"
#include "core/transaction.h"
#include "core/validator_set.h"

namespace metaledger::rest {

struct TxLocation {
  uint64_t height = 0;
  uint32_t index = 0;  // position in the block, which is also its leaf index under tx_root
};

// One page of an account's transactions, newest first. `next_cursor` is opaque to REST clients
// and empty on the last page.
struct TxPage {
  std::vector<Hash256> tx_hashes;
  std::string next_cursor;
};

struct StateEntry {
  std::optional<Bytes> value;  // nullopt: the key is absent at that height
  Hash256 state_root;          // the certified root the value (or absence) is proven against
  // The state proof bundle (core/proof_bundle.h format) when a proof was asked for.
  std::optional<nlohmann::json> proof;
};

class ChainReader {
 public:
  virtual ~ChainReader() = default;

  virtual const Genesis& genesis() const = 0;
  // The highest block that is committed, executed and has a commit certificate.
  virtual Result<uint64_t> LatestHeight() const = 0;

  virtual Result<Block> GetBlock(uint64_t height) const = 0;
  virtual Result<uint64_t> HeightOfBlock(const Hash256& block_hash) const = 0;
  virtual Result<CommitCert> GetCommitCert(uint64_t height) const = 0;
  // The block's transactions in order (their ids are the leaves of header.tx_root).
  virtual Result<std::vector<Transaction>> GetBlockTxs(uint64_t height) const = 0;
  // Result codes and events of a block.
  virtual Result<ExecutionResult> GetReceipts(uint64_t height) const = 0;
  // The validator set that certified blocks at this height.
  virtual Result<ValidatorSet> ValidatorsAt(uint64_t height) const = 0;

  virtual Result<TxLocation> LocateTx(const Hash256& tx_hash) const = 0;
  // `cursor` is empty for the first page; a malformed cursor is kInvalidArgument.
  virtual Result<TxPage> AccountTxs(const Address& account, const std::string& cursor,
                                    size_t limit) const = 0;

  virtual Result<StateEntry> GetState(ByteView key, uint64_t height, bool prove) const = 0;
};

enum class ViewKind : uint8_t {
  kAccount,      // id: 20-byte address -> balance, nonce, roles, stake, reputation
  kModel,        // id: 32-byte model id
  kFlTask,       // id: 32-byte task id
  kFlRound,      // id: task id, plus `round`
  kDataset,      // id: 32-byte data id
  kLineage,      // id: 32-byte data id -> ancestors, descendants, users
  kSensingPool,  // id: 32-byte pool id
  kAuction,      // id: 32-byte auction task id
  kTwin,         // id: 32-byte twin id (AoI is computed at `height`)
  kRewards,      // id: 20-byte address
};

struct ViewQuery {
  ViewKind kind = ViewKind::kAccount;
  Bytes id;
  uint64_t round = 0;   // kFlRound only
  uint64_t height = 0;  // the state to read
};

class ContractViews {
 public:
  virtual ~ContractViews() = default;
  // A JSON object following docs/api/openapi.yaml; kNotFound when the object does not exist.
  virtual Result<nlohmann::json> Query(const ViewQuery& query) const = 0;
};

struct NodeStatus {
  std::string node_id;  // hex of the validator public key (or a name for non-validators)
  std::string version;
  uint64_t round = 0;
  size_t peers = 0;
  bool catching_up = false;
};

// The mempool's answer to a submission. `error_code` is an admission or contract error name
// (e.g. "BAD_SIGNATURE", "BAD_NONCE", "MEMPOOL_FULL"), shown to clients verbatim.
struct Admission {
  bool accepted = false;
  Hash256 tx_hash;
  std::string error_code;
  std::string detail;
};

// One part of readiness; the node is ready when every part is.
struct ReadinessPart {
  std::string name;  // "storage", "peers", "catching_up", ...
  bool ready = false;
  std::string detail;
};

class RestBackend {
 public:
  virtual ~RestBackend() = default;
  virtual NodeStatus Status() const = 0;
  // Decodes and admits a canonical transaction encoding. Must not block on consensus.
  virtual Admission SubmitTx(ByteView tx_bytes) = 0;
  virtual std::vector<ReadinessPart> Readiness() const = 0;
};

}  // namespace metaledger::rest
