#include "wallet/tx_builder.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/payload/kinds.h"
#include "wallet/keystore.h"
#include "wallet/payload_json.h"

namespace metaledger::wallet {
namespace {

using nlohmann::json;

constexpr std::string_view kSignedTxFormat = "metaledger-signed-tx/v1";

bool IsHex(std::string_view s) {
  return s.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

}  // namespace

Result<uint64_t> ParseU64Arg(std::string_view s, std::string_view what) {
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0') ||
      s.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::InvalidArgument(fmt::format("{}: \"{}\" is not an unsigned integer", what, s));
  }
  unsigned __int128 v = 0;
  for (char c : s) v = v * 10 + static_cast<unsigned>(c - '0');
  if (v > UINT64_MAX) return Status::InvalidArgument(fmt::format("{}: exceeds 2^64-1", what));
  return static_cast<uint64_t>(v);
}

Result<uint32_t> ParseU32Arg(std::string_view s, std::string_view what) {
  ML_ASSIGN_OR_RETURN(uint64_t v, ParseU64Arg(s, what));
  if (v > UINT32_MAX) return Status::InvalidArgument(fmt::format("{}: exceeds 2^32-1", what));
  return static_cast<uint32_t>(v);
}

Result<FileDigest> DigestFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path.string() + ": cannot open");
  Sha256Hasher h;
  FileDigest d;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    auto n = static_cast<size_t>(in.gcount());
    h.Update(ByteView(reinterpret_cast<const uint8_t*>(buf), n));
    d.length += n;
  }
  if (in.bad()) return Status::IOError(path.string() + ": read failed");
  d.sha256 = h.Finish();
  return d;
}

Result<Hash256> ParseHashArg(std::string_view s, std::string_view what) {
  if (!s.empty() && s[0] == '@') {
    auto d = DigestFile(std::string(s.substr(1)));
    if (!d.ok()) return d.status().Annotate(what);
    return d->sha256;
  }
  if (s.size() != 64 || !IsHex(s)) {
    return Status::InvalidArgument(
        fmt::format("{}: expected 64 hex characters or @FILE, got \"{}\"", what, s));
  }
  return *Hash256::FromHex(s);
}

Result<PublicKey> ParsePublicKeyArg(std::string_view s, std::string_view what,
                                    const Keystore* keys) {
  if (s.size() == 64 && IsHex(s)) {
    PublicKey k = *PublicKey::FromHex(s);
    if (!IsValidPublicKey(k)) return Status::InvalidArgument(fmt::format("{}: invalid key", what));
    return k;
  }
  if (keys != nullptr && ValidateKeyName(s).ok()) {
    auto info = keys->Info(s);
    if (info.ok()) return info->public_key;
  }
  return Status::InvalidArgument(
      fmt::format("{}: \"{}\" is neither a 64-hex public key nor a key name", what, s));
}

Result<Address> ParseAddressArg(std::string_view s, std::string_view what, const Keystore* keys) {
  if (s.size() == 40 && IsHex(s)) return *Address::FromHex(s);
  if (s.size() == 64 && IsHex(s)) {
    ML_ASSIGN_OR_RETURN(PublicKey k, ParsePublicKeyArg(s, what, nullptr));
    return AddressOf(k);
  }
  if (keys != nullptr && ValidateKeyName(s).ok()) {
    auto info = keys->Info(s);
    if (info.ok()) return info->address;
  }
  return Status::InvalidArgument(fmt::format(
      "{}: \"{}\" is not a 40-hex address, a 64-hex public key or a key name", what, s));
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= text.size() && !text.empty()) {
    size_t j = text.find(',', i);
    if (j == std::string_view::npos) j = text.size();
    std::string item(text.substr(i, j - i));
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    i = j + 1;
  }
  return out;
}

Result<std::vector<uint64_t>> ParseU64ListArg(std::string_view text, std::string_view what) {
  std::vector<uint64_t> out;
  for (const std::string& item : SplitList(text)) {
    ML_ASSIGN_OR_RETURN(uint64_t v, ParseU64Arg(item, what));
    out.push_back(v);
  }
  return out;
}

Result<std::vector<Hash256>> ParseHashListArg(std::string_view text, std::string_view what) {
  std::vector<Hash256> out;
  for (const std::string& item : SplitList(text)) {
    ML_ASSIGN_OR_RETURN(Hash256 v, ParseHashArg(item, what));
    out.push_back(v);
  }
  return out;
}

Result<std::vector<Address>> ParseAddressListArg(std::string_view text, std::string_view what,
                                                 const Keystore* keys) {
  std::vector<Address> out;
  for (const std::string& item : SplitList(text)) {
    ML_ASSIGN_OR_RETURN(Address v, ParseAddressArg(item, what, keys));
    out.push_back(v);
  }
  return out;
}

std::string SignedTxToJson(const Transaction& tx) {
  const KindInfo* info = FindKind(tx.kind);
  json j = {{"format", kSignedTxFormat},
            {"chain_id", tx.chain_id},
            {"hash", tx.Hash().Hex()},
            {"kind", info ? std::string(info->name) : std::to_string(tx.kind)},
            {"tx", ToHex(Encode(tx))}};
  return j.dump(2) + "\n";
}

Result<Transaction> SignedTxFromJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("signed transaction file: not a JSON object");
  }
  auto fmt_it = j.find("format");
  if (fmt_it == j.end() || *fmt_it != kSignedTxFormat) {
    return Status::InvalidArgument(
        fmt::format("signed transaction file: format must be \"{}\"", kSignedTxFormat));
  }
  auto tx_it = j.find("tx");
  if (tx_it == j.end() || !tx_it->is_string()) {
    return Status::InvalidArgument("signed transaction file: missing \"tx\"");
  }
  auto bytes = FromHex(tx_it->get<std::string>());
  if (!bytes.ok()) return bytes.status().Annotate("signed transaction file: tx");
  auto tx = Decode<Transaction>(*bytes);
  if (!tx.ok()) return tx.status().Annotate("signed transaction file: tx does not decode");
  auto hash_it = j.find("hash");
  if (hash_it != j.end() && (!hash_it->is_string() || *hash_it != tx->Hash().Hex())) {
    return Status::InvalidArgument("signed transaction file: \"hash\" does not match \"tx\"");
  }
  return tx;
}

std::string DescribeTxJson(const Transaction& tx) {
  const KindInfo* info = FindKind(tx.kind);
  json j = {{"chain_id", tx.chain_id},
            {"hash", tx.Hash().Hex()},
            {"sender", tx.sender.Hex()},
            {"sender_address", AddressOf(tx.sender).Hex()},
            {"nonce", std::to_string(tx.nonce)},
            {"kind", info ? std::string(info->name) : "UNKNOWN"},
            {"kind_id", tx.kind},
            {"signature_valid", tx.VerifySignature()},
            {"payload_hex", ToHex(tx.payload)}};
  auto payload = PayloadToJson(static_cast<TxKind>(tx.kind), tx.payload);
  if (payload.ok()) {
    j["payload"] = json::parse(*payload);
  } else {
    j["payload_error"] = payload.status().message();
  }
  return j.dump(2);
}

}  // namespace metaledger::wallet
