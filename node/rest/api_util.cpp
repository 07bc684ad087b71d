#include "node/rest/api_util.h"

namespace metaledger::rest::internal {

Result<uint64_t> ParseU64(std::string_view text, std::string_view what) {
  auto bad = [&] {
    return Status::InvalidArgument(std::string(what) +
                                   " must be a decimal integer without sign or "
                                   "leading zeros, got '" +
                                   std::string(text.substr(0, 64)) + "'");
  };
  if (text.empty() || text.size() > 20) return bad();
  if (text.size() > 1 && text[0] == '0') return bad();
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad();
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) {
      return Status::InvalidArgument(std::string(what) + " does not fit in 64 bits");
    }
    value = value * 10 + digit;
  }
  return value;
}

Result<Hash256> ParseHash(std::string_view text, std::string_view what) {
  auto h = Hash256::FromHex(text);
  if (!h.ok()) return Status::InvalidArgument(std::string(what) + ": " + h.status().message());
  return h;
}

Result<Address> ParseAddress(std::string_view text, std::string_view what) {
  auto a = Address::FromHex(text);
  if (!a.ok()) return Status::InvalidArgument(std::string(what) + ": " + a.status().message());
  return a;
}

Result<Bytes> ParseHexBytes(std::string_view text, size_t max_bytes, std::string_view what) {
  if (text.empty()) return Status::InvalidArgument(std::string(what) + " is empty");
  if (text.size() > 2 * max_bytes) {
    return Status::InvalidArgument(std::string(what) + " is longer than " +
                                   std::to_string(max_bytes) + " bytes");
  }
  auto b = FromHex(text);
  if (!b.ok()) return Status::InvalidArgument(std::string(what) + ": " + b.status().message());
  return b;
}

Result<size_t> ParseLimit(const Request& request, size_t default_page, size_t max_page) {
  auto text = request.Query("limit");
  if (!text) return default_page;
  ML_ASSIGN_OR_RETURN(uint64_t limit, ParseU64(*text, "limit"));
  if (limit == 0 || limit > max_page) {
    return Status::InvalidArgument("limit must be between 1 and " + std::to_string(max_page));
  }
  return static_cast<size_t>(limit);
}

Reply WithHeight(Reply reply, uint64_t served_height) {
  reply.AddHeader("X-Metaledger-Height", std::to_string(served_height));
  return reply;
}

Reply Finalized(const Request& request, const nlohmann::json& body, const Hash256& object_hash,
                uint64_t served_height) {
  std::string etag = "\"" + object_hash.Hex() + "\"";
  std::string_view if_none_match = request.Header(http::field::if_none_match);
  bool matches = if_none_match == "*" ||
                 (!if_none_match.empty() && if_none_match.find(etag) != std::string_view::npos);
  Reply reply;
  if (matches) {
    reply.status = http::status::not_modified;
  } else {
    reply = JsonReply(body);
  }
  reply.AddHeader("ETag", etag);
  reply.AddHeader("Cache-Control", "public, max-age=31536000, immutable");
  return WithHeight(std::move(reply), served_height);
}

}  // namespace metaledger::rest::internal
