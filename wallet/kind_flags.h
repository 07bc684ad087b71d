#pragma once
// Flag plumbing shared by the transaction-kind subcommands (internal to the wallet CLI).
// Each kind keeps its flag values in a map keyed by flag name; the build function parses
// them once chain id, sender and nonce are known.

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/payload/payloads.h"
#include "wallet/cli_internal.h"
#include "wallet/tx_builder.h"

namespace metaledger::wallet {

using Flags = std::map<std::string, std::string>;
using FlagsPtr = std::shared_ptr<Flags>;

inline void Req(CLI::App* cmd, Flags& f, const std::string& name, const std::string& help) {
  cmd->add_option("--" + name, f[name], help)->required();
}
inline void Opt(CLI::App* cmd, Flags& f, const std::string& name, const std::string& help) {
  cmd->add_option("--" + name, f[name], help);
}
inline const std::string& V(const Flags& f, const std::string& k) { return f.at(k); }
inline std::string W(const std::string& k) { return "--" + k; }

inline Result<Hash256> GetHash(const Flags& f, const std::string& k) {
  return ParseHashArg(V(f, k), W(k));
}
inline Result<Hash256> GetHashOr0(const Flags& f, const std::string& k) {
  if (V(f, k).empty()) return Hash256{};
  return GetHash(f, k);
}
inline Result<uint64_t> GetU64(const Flags& f, const std::string& k) {
  return ParseU64Arg(V(f, k), W(k));
}
inline Result<uint64_t> GetU64Or(const Flags& f, const std::string& k, uint64_t def) {
  if (V(f, k).empty()) return def;
  return GetU64(f, k);
}
inline Result<uint32_t> GetU32Or(const Flags& f, const std::string& k, uint32_t def) {
  if (V(f, k).empty()) return def;
  return ParseU32Arg(V(f, k), W(k));
}
inline Result<Address> GetAddr(const Flags& f, const std::string& k, const TxEnv& env) {
  return ParseAddressArg(V(f, k), W(k), env.keys);
}
inline Result<std::vector<uint64_t>> GetU64s(const Flags& f, const std::string& k) {
  return ParseU64ListArg(V(f, k), W(k));
}
inline Result<std::vector<Hash256>> GetHashes(const Flags& f, const std::string& k) {
  return ParseHashListArg(V(f, k), W(k));
}
inline Result<std::vector<Address>> GetAddrs(const Flags& f, const std::string& k,
                                             const TxEnv& env) {
  return ParseAddressListArg(V(f, k), W(k), env.keys);
}
inline Result<ModelFamily> GetFamily(const Flags& f, const std::string& k) {
  const std::string& s = V(f, k);
  if (s == "twin" || s.empty()) return ModelFamily::TWIN;
  if (s == "avatar") return ModelFamily::AVATAR;
  if (s == "other") return ModelFamily::OTHER;
  return Status::InvalidArgument(W(k) + " must be twin, avatar or other");
}

// Adds a kind subcommand whose flags live in a shared map.
template <typename Fn>
CLI::App* Kind(CLI::App& parent, Context& ctx, const std::string& name, const std::string& help,
               const std::vector<std::pair<std::string, std::string>>& required,
               const std::vector<std::pair<std::string, std::string>>& optional, Fn build) {
  auto f = std::make_shared<Flags>();
  CLI::App* cmd = AddTxCommand(parent, ctx, name, help,
                               [f, build](const TxEnv& env) { return build(*f, env); });
  for (const auto& [k, h] : required) Req(cmd, *f, k, h);
  for (const auto& [k, h] : optional) Opt(cmd, *f, k, h);
  return cmd;
}

}  // namespace metaledger::wallet
