#pragma once
// Offline proof bundles: everything an auditor needs, next to a genesis file, to convince
// themselves that a transaction was committed, without trusting the node that served it.
//
// A TxProofBundle carries the transaction's canonical bytes, its RFC 6962 inclusion proof, the
// header of its block, that block's commit certificate and the validator set that signed it.
// VerifyTxProof checks the chain of trust genesis -> validator set -> certificate -> header ->
// tx root -> transaction, and reports the first link that does not hold. Each failure message
// starts with a stable check name followed by ": " (see ProofCheckName) so tools can tell
// which check failed without parsing prose.
//
// JSON form (the REST API serves it, `metaledger-wallet verify proof` reads it): byte fields
// are lowercase hex, 64-bit numbers are decimal strings (numbers are accepted too), unknown
// fields are ignored.

#include <optional>
#include <string>
#include <string_view>

#include "core/block.h"
#include "core/certificates.h"
#include "core/genesis.h"
#include "core/merkle.h"
#include "core/sparse_merkle.h"
#include "core/validator_set.h"

namespace metaledger {

// The checks of VerifyTxProof, in the order they run.
enum class ProofCheck : uint8_t {
  kChainId,             // bundle chain id == genesis chain id
  kValidatorSet,        // bundle validator set == genesis validator set (by hash)
  kHeaderValidatorSet,  // header.validator_set_hash == that hash
  kCertSignatures,      // >= 2f+1 valid, distinct signatures of the genesis set
  kCertHeight,          // cert.height == header.height
  kCertBlockHash,       // cert.block_hash == header.Hash(chain)
  kCertTxRoot,          // cert.tx_root == header.tx_root
  kTxDecode,            // tx bytes decode canonically, for this chain
  kTxInclusion,         // tx id is at proof.index under header.tx_root (tree of tx_count leaves)
  kStateHeight,         // (state bundles) bundle height == header.height
  kStateProof,          // (state bundles) key -> value (or absence) under cert.state_root
};

// "chain_id", "validator_set", "header_validator_set", "cert_signatures", "cert_height",
// "cert_block_hash", "cert_tx_root", "tx_decode", "tx_inclusion", "state_height",
// "state_proof".
std::string_view ProofCheckName(ProofCheck check);

struct TxProofBundle {
  std::string chain_id;
  Bytes tx;  // canonical Transaction encoding
  InclusionProof proof;
  BlockHeader header;
  CommitCert cert;
  ValidatorSet validators;

  std::string ToJson() const;
  static Result<TxProofBundle> FromJson(std::string_view json);
};

// Which check failed, and why. ok() when every check held.
struct ProofVerdict {
  std::optional<ProofCheck> failed;
  Status status;
  bool ok() const { return status.ok(); }
};

ProofVerdict CheckTxProof(const TxProofBundle& bundle, const Genesis& genesis);

// CheckTxProof's status: OK, or "<check name>: <what did not hold>".
Status VerifyTxProof(const TxProofBundle& bundle, const Genesis& genesis);

// What a key held (value) or that it held nothing (no value) after executing block `height`,
// proven by a sparse Merkle proof against the state root the block's commit certificate signs.
// The JSON form has "key" and "value" as hex ("value": null for absence), "height" as a string,
// and "proof": {"leaf": null | {"key_hash", "value_hash"}, "siblings": [hex, ...]}.
struct StateProofBundle {
  std::string chain_id;
  Bytes key;
  std::optional<Bytes> value;
  uint64_t height = 0;
  SmtProof proof;
  BlockHeader header;
  CommitCert cert;
  ValidatorSet validators;

  std::string ToJson() const;
  static Result<StateProofBundle> FromJson(std::string_view json);
};

// The checks chain_id .. cert_tx_root as for transactions, then state_height and state_proof.
ProofVerdict CheckStateProof(const StateProofBundle& bundle, const Genesis& genesis);
Status VerifyStateProof(const StateProofBundle& bundle, const Genesis& genesis);

// Shared by the state bundle and the REST layer: JSON forms of the pieces of a bundle.
// Each returns a JSON text; the parsers accept exactly what the writers produce.
std::string BlockHeaderToJson(const BlockHeader& header);
std::string CommitCertToJson(const CommitCert& cert);
Result<BlockHeader> BlockHeaderFromJson(std::string_view json);
Result<CommitCert> CommitCertFromJson(std::string_view json);

}  // namespace metaledger
