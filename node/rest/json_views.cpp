#include "node/rest/json_views.h"

#include "core/payload/error_codes.h"
#include "core/payload/kinds.h"
#include "core/proof_bundle.h"

namespace metaledger::rest {

using nlohmann::json;

json HeaderView(const BlockHeader& header) { return json::parse(BlockHeaderToJson(header)); }

json CommitCertView(const CommitCert& cert) { return json::parse(CommitCertToJson(cert)); }

json TxView(const Transaction& tx) {
  const KindInfo* kind = FindKind(tx.kind);
  return {{"chain_id", tx.chain_id},
          {"sender", tx.sender.Hex()},
          {"sender_address", AddressOf(tx.sender).Hex()},
          {"nonce", std::to_string(tx.nonce)},
          {"kind", tx.kind},
          {"kind_name", kind ? std::string(kind->name) : "UNKNOWN"},
          {"payload", ToHex(tx.payload)},
          {"signature", tx.signature.Hex()}};
}

json ResultView(uint16_t code) {
  auto known = ErrorCodeFromValue(code);
  return {{"code", code},
          {"name", known ? std::string(ToString(*known)) : "UNKNOWN_ERROR_CODE"},
          {"message", known ? std::string(ErrorMessage(*known)) : "unknown result code"}};
}

json EventView(const Event& event) {
  json attributes = json::array();
  for (const auto& [key, value] : event.attributes) {
    attributes.push_back({{"key", key}, {"value", value}});
  }
  return {{"type", event.type},
          {"tx_index", event.tx_index == Event::kEndOfBlock ? json(nullptr) : json(event.tx_index)},
          {"attributes", attributes}};
}

}  // namespace metaledger::rest
