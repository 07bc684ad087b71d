#pragma once
// Account roles as a bitmask. Bit positions are stable (they are stored in state).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace metaledger {

using RoleMask = uint32_t;

enum class Role : RoleMask {
  MEMBER = 1u << 0,         // consortium organization; votes on governance
  VALIDATOR = 1u << 1,
  VSP = 1u << 2,            // virtual service provider
  UAV_OPERATOR = 1u << 3,
  DEVICE = 1u << 4,         // a UAV or sensor key bound to an operator
  FL_CLIENT = 1u << 5,
  AGGREGATOR = 1u << 6,
  EVALUATOR = 1u << 7,
  TWIN_OPERATOR = 1u << 8,
  AUDITOR = 1u << 9,        // read-only, for REST quotas
};

constexpr RoleMask kNoRole = 0;
constexpr RoleMask kAllRoles = (1u << 10) - 1;

constexpr RoleMask Mask(Role r) { return static_cast<RoleMask>(r); }
constexpr bool HasRole(RoleMask mask, Role r) { return (mask & Mask(r)) != 0; }

// "MEMBER", "VSP", ...; nullopt for anything else (names are case-sensitive).
std::optional<Role> RoleFromName(std::string_view name);
std::string_view RoleName(Role r);
// Every role, lowest bit first.
const std::vector<Role>& AllRoles();
// {"VSP","DEVICE"} -> mask; InvalidArgument naming the first unknown role.
Result<RoleMask> RolesFromNames(const std::vector<std::string>& names);
// Names of the set bits, lowest bit first.
std::vector<std::string> RoleNames(RoleMask mask);

}  // namespace metaledger
