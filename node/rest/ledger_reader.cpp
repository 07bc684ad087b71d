#include "node/rest/ledger_reader.h"

#include "core/proof_bundle.h"
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

// No contract or transaction kind changes the validator set (docs/rest.md), so the set in force at
// every height is the genesis set. The header says which set certified it; checking that here
// means a bundle can never pair a block with a set that did not sign it, and a future
// reconfiguration would surface as an error instead of a proof that fails offline.
Result<ValidatorSet> LedgerStoreReader::ValidatorsAt(uint64_t height) const {
  ML_ASSIGN_OR_RETURN(Block block, GetBlock(height));
  if (block.header.validator_set_hash != genesis_.validators.Hash(genesis_.chain_id)) {
    return Status::Internal("block " + std::to_string(height) +
                            " was certified by a validator set other than the genesis set; "
                            "this node cannot serve proofs for it");
  }
  return genesis_.validators;
}

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
  if (height == 0) {
    // Height 0 has no commit certificate: its state is what the genesis file says, which an
    // auditor recomputes from the file itself rather than from a proof.
    return Status::InvalidArgument(
        "state at height 0 is fixed by the genesis file and has no certificate; ask for a "
        "height >= 1");
  }
  // The bundle is a core StateProofBundle, so `metaledger-wallet verify state` and
  // VerifyStateProof read exactly what is served.
  StateProofBundle bundle;
  bundle.chain_id = genesis_.chain_id;
  bundle.key = Bytes(key.begin(), key.end());
  bundle.value = read.value;
  bundle.height = height;
  bundle.proof = read.proof;
  ML_ASSIGN_OR_RETURN(Block block, store_.GetBlock(height));
  bundle.header = block.header;
  ML_ASSIGN_OR_RETURN(bundle.cert, store_.GetCert(height));
  ML_ASSIGN_OR_RETURN(bundle.validators, ValidatorsAt(height));
  entry.proof = json::parse(bundle.ToJson());
  return entry;
}

}  // namespace metaledger::rest
