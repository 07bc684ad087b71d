#pragma once
// Decodes a payload of a given kind into a JSON object of its fields (for `tx inspect`):
// hashes and addresses as hex, 64-bit numbers as strings, enums by name.

#include <string>

#include "core/bytes.h"
#include "core/payload/kinds.h"

namespace metaledger::wallet {

// InvalidArgument for an unknown kind or a payload that does not decode for it.
Result<std::string> PayloadToJson(TxKind kind, ByteView payload);

}  // namespace metaledger::wallet
