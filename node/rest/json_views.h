#pragma once
// JSON forms of ledger objects as the REST API serves them. 64-bit integers are decimal strings,
// hashes, keys and bytes are lowercase hex. Headers and certificates use exactly the forms of
// core/proof_bundle.h, so what the API shows and what a proof bundle carries look the same.

#include <nlohmann/json.hpp>

#include "core/block.h"
#include "core/certificates.h"
#include "core/execution.h"
#include "core/transaction.h"

namespace metaledger::rest {

nlohmann::json HeaderView(const BlockHeader& header);
nlohmann::json CommitCertView(const CommitCert& cert);

// The signed transaction's fields, with the sender's address and the kind's name.
nlohmann::json TxView(const Transaction& tx);

// {"code": 0, "name": "OK", "message": "..."} for a receipt code.
nlohmann::json ResultView(uint16_t code);

// {"type": ..., "tx_index": n or null, "attributes": [{"key","value"}...]}.
nlohmann::json EventView(const Event& event);

}  // namespace metaledger::rest
