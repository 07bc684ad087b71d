#pragma once
// Which location of a transaction id the index keeps, and the tx_index merge operator that
// applies the same rule inside RocksDB.
//
// A transaction can be carried by more than one block (a client resends it to another validator
// and both batch it). Its location is the inclusion that ran it (consumed its nonce; at most one
// does); until one does, the earliest refusal. Because the rule is a total order on locations,
// entries can be written blindly and in any grouping: the in-memory index, the sealed files and
// compactions all pick the same winner. Refusals therefore need no lookup when committed.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/ledger_store.h"

namespace rocksdb {
class MergeOperator;
}

namespace metaledger::storage {

// The stored form of a location in tx_index: the codec's height, index and code. Decode returns
// nullopt for anything else.
std::string EncodeTxLocation(const TxLocation& location);
std::optional<TxLocation> DecodeTxLocation(std::string_view raw);

// True when the index keeps `a` rather than `b` for the same id.
bool TakesPrecedence(const TxLocation& a, const TxLocation& b);

// Whether `location` ran its transaction: such an entry is final and is written with Put.
bool RanItsTransaction(const TxLocation& location);

// The tx_index family's merge operator: of the base value and the operands (encoded
// TxLocations), keeps the one that takes precedence. A value that does not decode fails the
// read or compaction with a corruption error.
std::shared_ptr<rocksdb::MergeOperator> NewTxLocationMergeOperator();

}  // namespace metaledger::storage
