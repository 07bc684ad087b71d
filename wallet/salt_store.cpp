#include "wallet/salt_store.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "core/payload/ids.h"
#include "wallet/keystore.h"

namespace metaledger::wallet {

using nlohmann::json;

std::filesystem::path SaltStore::PathFor(std::string_view chain_id, const Hash256& task_id,
                                         const Address& uav) const {
  // Chain ids are restricted to [A-Za-z0-9._-] by genesis validation, so they are path-safe.
  return dir_ / fmt::format("{}-{}-{}.json", chain_id, task_id.Hex(), uav.Hex());
}

Status SaltStore::Save(const BidSecret& s) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Status::IOError(dir_.string() + ": " + ec.message());
  ::chmod(dir_.c_str(), 0700);
  json j = {{"chain_id", s.chain_id},          {"task_id", s.task_id.Hex()},
            {"operator", s.op.Hex()},          {"uav", s.uav.Hex()},
            {"ask", std::to_string(s.ask)},    {"salt", s.salt.Hex()},
            {"commitment", s.commitment.Hex()}};
  Status st = WritePrivateFile(PathFor(s.chain_id, s.task_id, s.uav), j.dump(2) + "\n",
                               /*overwrite=*/false);
  if (st.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists(fmt::format(
        "a sealed bid for task {} and UAV {} is already stored in {}; reveal it, or move the "
        "file away yourself before committing again",
        s.task_id.Hex(), s.uav.Hex(), PathFor(s.chain_id, s.task_id, s.uav).string()));
  }
  return st;
}

Result<BidSecret> SaltStore::Load(std::string_view chain_id, const Hash256& task_id,
                                  const Address& uav) const {
  auto path = PathFor(chain_id, task_id, uav);
  auto text = ReadSmallFile(path);
  if (!text.ok()) {
    return Status::NotFound(fmt::format("no stored bid for task {} and UAV {} (expected {})",
                                        task_id.Hex(), uav.Hex(), path.string()));
  }
  json j = json::parse(*text, nullptr, false);
  auto bad = [&] { return Status::Corruption(path.string() + ": not a bid record"); };
  if (j.is_discarded() || !j.is_object()) return bad();
  BidSecret s;
  try {
    s.chain_id = j.at("chain_id").get<std::string>();
    auto th = Hash256::FromHex(j.at("task_id").get<std::string>());
    auto op = Address::FromHex(j.at("operator").get<std::string>());
    auto ua = Address::FromHex(j.at("uav").get<std::string>());
    auto salt = Hash256::FromHex(j.at("salt").get<std::string>());
    auto com = Hash256::FromHex(j.at("commitment").get<std::string>());
    if (!th.ok() || !op.ok() || !ua.ok() || !salt.ok() || !com.ok()) return bad();
    s.task_id = *th;
    s.op = *op;
    s.uav = *ua;
    s.salt = *salt;
    s.commitment = *com;
    s.ask = std::stoull(j.at("ask").get<std::string>());
  } catch (const std::exception&) {  // nlohmann and stoull report by exception
    return bad();
  }
  if (BidCommitment(s.chain_id, s.task_id, s.op, s.uav, s.ask, s.salt) != s.commitment) {
    return Status::Corruption(path.string() + ": fields do not match the stored commitment");
  }
  return s;
}

}  // namespace metaledger::wallet
