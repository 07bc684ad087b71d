#include "core/genesis.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

namespace metaledger {
namespace {

using nlohmann::json;

Result<uint64_t> ParseU64(const json& j, std::string_view what) {
  if (j.is_number_unsigned()) return j.get<uint64_t>();
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) {
      return Status::InvalidArgument(fmt::format("{}: not a canonical unsigned integer", what));
    }
    uint64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return Status::InvalidArgument(fmt::format("{}: not a number", what));
      unsigned __int128 next = static_cast<unsigned __int128>(v) * 10 + static_cast<unsigned>(c - '0');
      if (next > UINT64_MAX) return Status::InvalidArgument(fmt::format("{}: exceeds 2^64-1", what));
      v = static_cast<uint64_t>(next);
    }
    return v;
  }
  return Status::InvalidArgument(fmt::format("{}: expected an unsigned integer", what));
}

Result<PublicKey> ParseKey(const json& j, std::string_view what) {
  if (!j.is_string()) return Status::InvalidArgument(fmt::format("{}: expected hex string", what));
  auto k = PublicKey::FromHex(j.get<std::string>());
  if (!k.ok()) return k.status().Annotate(what);
  return *k;
}

Result<std::string> ParseString(const json& obj, const char* key, std::string_view where) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) {
    return Status::InvalidArgument(fmt::format("{}: missing string field \"{}\"", where, key));
  }
  return it->get<std::string>();
}

}  // namespace

Status Genesis::Validate() const {
  if (chain_id.empty() || chain_id.size() > 64) {
    return Status::InvalidArgument("chain_id must be 1..64 characters");
  }
  for (char c : chain_id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return Status::InvalidArgument("chain_id may contain only letters, digits, '-', '_' and '.'");
    }
  }
  ML_RETURN_IF_ERROR(validators.Validate().Annotate("validators"));
  std::set<PublicKey> keys;
  for (const GenesisAccount& a : accounts) {
    if (!IsValidPublicKey(a.key)) return Status::InvalidArgument("account " + a.name + " has an invalid key");
    if (!keys.insert(a.key).second) return Status::InvalidArgument("account " + a.name + " repeats a key");
  }
  for (const GenesisAccount& a : accounts) {
    if (a.operator_key && !keys.count(*a.operator_key)) {
      return Status::InvalidArgument("account " + a.name + " names an operator not in the genesis");
    }
  }
  return Status::Ok();
}

void Genesis::Encode(Writer& w) const {
  w.U8(1).String(chain_id).U64(genesis_time_ms);
  validators.Encode(w);
  w.Varint(accounts.size());
  for (const GenesisAccount& a : accounts) {
    w.String(a.name).Fixed(a.key).Varint(a.balance).Varint(a.roles.size());
    for (const std::string& r : a.roles) w.String(r);
    w.Bool(a.operator_key.has_value());
    if (a.operator_key) w.Fixed(*a.operator_key);
  }
  w.Varint(params.size());
  for (const auto& [k, v] : params) w.String(k).Varint(v);
}

Hash256 Genesis::Hash() const {
  Writer w;
  Encode(w);
  return TaggedHash("metaledger/genesis/v1", chain_id, w.bytes());
}

std::string Genesis::ToJson() const {
  json j;
  j["chain_id"] = chain_id;
  j["genesis_time_ms"] = std::to_string(genesis_time_ms);
  json vs = json::array();
  for (const Validator& v : validators.validators()) {
    vs.push_back({{"name", v.name}, {"public_key", v.key.Hex()}, {"p2p_address", v.p2p_address}});
  }
  j["validators"] = vs;
  json as = json::array();
  for (const GenesisAccount& a : accounts) {
    json o = {{"name", a.name}, {"public_key", a.key.Hex()}, {"balance", std::to_string(a.balance)},
              {"roles", a.roles}};
    if (a.operator_key) o["operator"] = a.operator_key->Hex();
    as.push_back(o);
  }
  j["accounts"] = as;
  json ps = json::object();
  for (const auto& [k, v] : params) ps[k] = std::to_string(v);
  j["params"] = ps;
  // Names decoded from binary may hold any bytes; replace invalid UTF-8 rather than throw.
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

Result<Genesis> Genesis::FromJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("genesis: not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("genesis: expected a JSON object");
  Genesis g;
  ML_ASSIGN_OR_RETURN(g.chain_id, ParseString(j, "chain_id", "genesis"));
  if (!j.contains("genesis_time_ms")) return Status::InvalidArgument("genesis: missing genesis_time_ms");
  ML_ASSIGN_OR_RETURN(g.genesis_time_ms, ParseU64(j["genesis_time_ms"], "genesis_time_ms"));

  if (!j.contains("validators") || !j["validators"].is_array()) {
    return Status::InvalidArgument("genesis: missing validators array");
  }
  std::vector<Validator> vs;
  for (size_t i = 0; i < j["validators"].size(); ++i) {
    const json& v = j["validators"][i];
    std::string where = fmt::format("validators[{}]", i);
    if (!v.is_object()) return Status::InvalidArgument(where + ": expected an object");
    Validator val;
    ML_ASSIGN_OR_RETURN(val.name, ParseString(v, "name", where));
    if (!v.contains("public_key")) return Status::InvalidArgument(where + ": missing public_key");
    ML_ASSIGN_OR_RETURN(val.key, ParseKey(v["public_key"], where + ".public_key"));
    if (v.contains("p2p_address")) {
      ML_ASSIGN_OR_RETURN(val.p2p_address, ParseString(v, "p2p_address", where));
    }
    vs.push_back(std::move(val));
  }
  g.validators = ValidatorSet(std::move(vs));

  if (j.contains("accounts")) {
    if (!j["accounts"].is_array()) return Status::InvalidArgument("genesis: accounts must be an array");
    for (size_t i = 0; i < j["accounts"].size(); ++i) {
      const json& a = j["accounts"][i];
      std::string where = fmt::format("accounts[{}]", i);
      if (!a.is_object()) return Status::InvalidArgument(where + ": expected an object");
      GenesisAccount acc;
      if (a.contains("name")) { ML_ASSIGN_OR_RETURN(acc.name, ParseString(a, "name", where)); }
      if (!a.contains("public_key")) return Status::InvalidArgument(where + ": missing public_key");
      ML_ASSIGN_OR_RETURN(acc.key, ParseKey(a["public_key"], where + ".public_key"));
      if (a.contains("balance")) { ML_ASSIGN_OR_RETURN(acc.balance, ParseU64(a["balance"], where + ".balance")); }
      if (a.contains("roles")) {
        if (!a["roles"].is_array()) return Status::InvalidArgument(where + ".roles: expected an array");
        for (const json& r : a["roles"]) {
          if (!r.is_string()) return Status::InvalidArgument(where + ".roles: expected strings");
          acc.roles.push_back(r.get<std::string>());
        }
      }
      if (a.contains("operator")) {
        ML_ASSIGN_OR_RETURN(PublicKey op, ParseKey(a["operator"], where + ".operator"));
        acc.operator_key = op;
      }
      g.accounts.push_back(std::move(acc));
    }
  }
  if (j.contains("params")) {
    if (!j["params"].is_object()) return Status::InvalidArgument("genesis: params must be an object");
    for (auto it = j["params"].begin(); it != j["params"].end(); ++it) {
      ML_ASSIGN_OR_RETURN(uint64_t v, ParseU64(it.value(), "params." + it.key()));
      g.params[it.key()] = v;
    }
  }
  ML_RETURN_IF_ERROR(g.Validate().Annotate("genesis"));
  return g;
}

}  // namespace metaledger
