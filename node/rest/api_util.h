#pragma once
// Helpers shared by the route files: parsing path and query values into precise 400s, and
// the headers every /v1 response carries. Internal to node/rest.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/crypto/hash.h"
#include "core/transaction.h"
#include "node/rest/http_types.h"

namespace metaledger::rest::internal {

// A canonical decimal u64: digits only, no sign, no leading zeros (except "0"), no overflow.
Result<uint64_t> ParseU64(std::string_view text, std::string_view what);
Result<Hash256> ParseHash(std::string_view text, std::string_view what);
Result<Address> ParseAddress(std::string_view text, std::string_view what);
// Lowercase or uppercase hex, even length, 1..max_bytes bytes.
Result<Bytes> ParseHexBytes(std::string_view text, size_t max_bytes, std::string_view what);
// `limit` query value: absent -> default_page; 1..max_page, else 400.
Result<size_t> ParseLimit(const Request& request, size_t default_page, size_t max_page);

// Adds X-Metaledger-Height.
Reply WithHeight(Reply reply, uint64_t served_height);
// A finalized object: ETag "<hash hex>"; 304 when If-None-Match names it (or is "*").
Reply Finalized(const Request& request, const nlohmann::json& body, const Hash256& object_hash,
                uint64_t served_height);

}  // namespace metaledger::rest::internal
