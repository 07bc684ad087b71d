#pragma once
// Turning command-line text into transaction fields, and signed transactions into files and
// back. Kept apart from the CLI so tests can drive it directly.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/hash.h"
#include "core/transaction.h"

namespace metaledger::wallet {

class Keystore;

// A canonical decimal u64 ("0", "42"; no sign, no leading zeros, no overflow).
Result<uint64_t> ParseU64Arg(std::string_view text, std::string_view what);
Result<uint32_t> ParseU32Arg(std::string_view text, std::string_view what);
// 64 hex characters, or "@PATH" for the SHA-256 of that file's bytes.
Result<Hash256> ParseHashArg(std::string_view text, std::string_view what);
// 40 hex characters, 64 hex characters (a public key, converted), or the name of a key in the
// keystore (when one is given).
Result<Address> ParseAddressArg(std::string_view text, std::string_view what, const Keystore* keys);
// 64 hex characters or the name of a key in the keystore.
Result<PublicKey> ParsePublicKeyArg(std::string_view text, std::string_view what,
                                    const Keystore* keys);
// Comma-separated lists; an empty text is an empty list.
Result<std::vector<uint64_t>> ParseU64ListArg(std::string_view text, std::string_view what);
Result<std::vector<Hash256>> ParseHashListArg(std::string_view text, std::string_view what);
Result<std::vector<Address>> ParseAddressListArg(std::string_view text, std::string_view what,
                                                 const Keystore* keys);
std::vector<std::string> SplitList(std::string_view text);

// SHA-256 and length of a file, streamed (for --content FILE).
struct FileDigest {
  Hash256 sha256;
  uint64_t length = 0;
};
Result<FileDigest> DigestFile(const std::filesystem::path& path);

// The signed-transaction file written by --offline and read by `tx broadcast` / `tx inspect`:
//   {"format": "metaledger-signed-tx/v1", "chain_id", "hash", "kind", "tx": hex}
// Only "tx" is trusted; the other fields are checked against it on read.
std::string SignedTxToJson(const Transaction& tx);
Result<Transaction> SignedTxFromJson(std::string_view text);

// A JSON description of a transaction for `tx inspect` and -o json: chain, sender, address,
// nonce, kind name, hash, signature validity and the decoded payload fields.
std::string DescribeTxJson(const Transaction& tx);

}  // namespace metaledger::wallet
