#include "node/rest/ledger_reader.h"

#include "node/rest/json_views.h"

namespace metaledger::rest {

using nlohmann::json;

namespace {

// Storage reports a height above its last one as NotFound already; this keeps the message
// uniform for heights the API asks about.
Status AboveLatest(uint64_t height, uint64_t last) {
  return Status::NotFound("no committed block at height " + std::to_string(height) +
                          " (latest is " + std::to_string(last) + ")");
}

}  // namespace

Result<Block> LedgerStoreReader::GetBlock(uint64_t height) const {
  if (height > store_.last_height()) return AboveLatest(height, store_.last_height());
  return store_.GetBlock(height);
}

Result<uint64_t> LedgerStoreReader::HeightOfBlock(const Hash256& block_hash) const {
  return store_.HeightOf(block_hash);
}

Result<CommitCert> LedgerStoreReader::GetCommitCert(uint64_t height) const {
  if (height > store_.last_height()) return AboveLatest(height, store_.last_height());
  return store_.GetCert(height);
}

Result<std::vector<Transaction>> LedgerStoreReader::GetBlockTxs(uint64_t height) const {
  if (height > store_.last_height()) return AboveLatest(height, store_.last_height());
  return store_.GetTxs(height);
}

Result<ExecutionResult> LedgerStoreReader::GetReceipts(uint64_t height) const {
  if (height > store_.last_height()) return AboveLatest(height, store_.last_height());
  return store_.GetReceipts(height);
}

Result<ValidatorSet> LedgerStoreReader::ValidatorsAt(uint64_t) const { return genesis_.validators; }

Result<TxLocation> LedgerStoreReader::LocateTx(const Hash256& tx_hash) const {
  ML_ASSIGN_OR_RETURN(storage::TxLocation loc, store_.GetTxLocation(tx_hash));
  return TxLocation{loc.height, loc.index};
}

Result<TxPage> LedgerStoreReader::AccountTxs(const Address& account, const std::string& cursor,
                                             size_t limit) const {
  std::optional<std::string> from;
  if (!cursor.empty()) from = cursor;
  ML_ASSIGN_OR_RETURN(auto page, store_.GetAccountTxs(account, limit, from));
  TxPage out;
  for (const storage::AccountTx& tx : page.items) out.tx_hashes.push_back(tx.tx_hash);
  out.next_cursor = page.next_cursor.value_or("");
  return out;
}

Result<StateEntry> LedgerStoreReader::GetState(ByteView key, uint64_t height, bool prove) const {
  ML_ASSIGN_OR_RETURN(storage::StateProofResult read, store_.GetWithProof(key, height));
  StateEntry entry;
  entry.value = read.value;
  entry.state_root = read.state_root;
  if (!prove) return entry;
  ML_ASSIGN_OR_RETURN(Block block, store_.GetBlock(height));
  json siblings = json::array();
  for (const Hash256& s : read.proof.siblings) siblings.push_back(s.Hex());
  json leaf = nullptr;
  if (read.proof.leaf) {
    leaf = {{"key_hash", read.proof.leaf->key_hash.Hex()},
            {"value_hash", read.proof.leaf->value_hash.Hex()}};
  }
  json validators = json::array();
  for (const Validator& v : genesis_.validators.validators()) {
    validators.push_back({{"name", v.name}, {"public_key", v.key.Hex()}});
  }
  json bundle = {{"chain_id", genesis_.chain_id},
                 {"key", ToHex(key)},
                 {"value", read.value ? json(ToHex(*read.value)) : json(nullptr)},
                 {"height", std::to_string(height)},
                 {"proof", {{"leaf", leaf}, {"siblings", siblings}}},
                 {"header", HeaderView(block.header)},
                 {"validators", validators}};
  if (height > 0) {
    ML_ASSIGN_OR_RETURN(CommitCert cert, store_.GetCert(height));
    bundle["cert"] = CommitCertView(cert);
  } else {
    // Height 0's root is fixed by the genesis file itself; there is no certificate.
    bundle["cert"] = nullptr;
  }
  entry.proof = std::move(bundle);
  return entry;
}

}  // namespace metaledger::rest
