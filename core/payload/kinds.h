#pragma once
// The table of transaction kinds: numeric id (Transaction::kind), name, the roles that may send
// it and a one-line description. The wallet, the REST API and docs list kinds from here; the
// contract layer dispatches on the same ids. Ids are stable and never reused.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/payload/roles.h"

namespace metaledger {

enum class TxKind : uint16_t {
  // 1. accounts, membership, governance, rewards
  TRANSFER = 1,
  STAKE = 2,
  UNSTAKE = 3,
  REGISTER_DEVICE = 4,
  PROPOSE = 5,
  VOTE = 6,
  CLAIM = 7,
  // 2. model registry and FL rounds
  CREATE_FL_TASK = 10,
  ENROLL_CLIENT = 11,
  OPEN_ROUND = 12,
  SUBMIT_UPDATE = 13,
  PUBLISH_AGGREGATE = 14,
  SUBMIT_EVALUATION = 15,
  REVOKE_MODEL = 16,
  // 4. dataset provenance
  REGISTER_DATASET = 20,
  REVOKE_CONSENT = 21,
  VOID_DATASET = 22,
  // 5. sensing pools
  CREATE_POOL = 30,
  FUND_POOL = 31,
  REGISTER_SENSING = 32,
  // 6. VSP-UAV auction
  POST_TASK = 40,
  COMMIT_BID = 41,
  REVEAL_BID = 42,
  SUBMIT_DELIVERY = 43,
  ACCEPT_DELIVERY = 44,
  // 7. twin synchronization
  REGISTER_TWIN = 50,
  TWIN_UPDATE = 51,
};

struct KindInfo {
  TxKind kind;
  std::string_view name;        // "TRANSFER", "COMMIT_BID", ...
  RoleMask required_roles;      // sender needs ANY of these; kNoRole = any account
  std::string_view description;
};

// Every kind, in numeric order.
std::span<const KindInfo> AllKinds();
// nullptr for an unknown id.
const KindInfo* FindKind(uint16_t kind);
std::optional<TxKind> KindFromName(std::string_view name);
std::string_view KindName(TxKind kind);

}  // namespace metaledger
