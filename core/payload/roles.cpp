#include "core/payload/roles.h"

namespace metaledger {
namespace {

struct RoleInfo {
  Role role;
  std::string_view name;
};

constexpr RoleInfo kRoles[] = {
    {Role::MEMBER, "MEMBER"},       {Role::VALIDATOR, "VALIDATOR"},
    {Role::VSP, "VSP"},             {Role::UAV_OPERATOR, "UAV_OPERATOR"},
    {Role::DEVICE, "DEVICE"},       {Role::FL_CLIENT, "FL_CLIENT"},
    {Role::AGGREGATOR, "AGGREGATOR"}, {Role::EVALUATOR, "EVALUATOR"},
    {Role::TWIN_OPERATOR, "TWIN_OPERATOR"}, {Role::AUDITOR, "AUDITOR"},
};

}  // namespace

std::optional<Role> RoleFromName(std::string_view name) {
  for (const RoleInfo& r : kRoles) {
    if (r.name == name) return r.role;
  }
  return std::nullopt;
}

std::string_view RoleName(Role role) {
  for (const RoleInfo& r : kRoles) {
    if (r.role == role) return r.name;
  }
  return "UNKNOWN_ROLE";
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> all = [] {
    std::vector<Role> v;
    for (const RoleInfo& r : kRoles) v.push_back(r.role);
    return v;
  }();
  return all;
}

Result<RoleMask> RolesFromNames(const std::vector<std::string>& names) {
  RoleMask mask = kNoRole;
  for (const std::string& n : names) {
    std::optional<Role> r = RoleFromName(n);
    if (!r) return Status::InvalidArgument("unknown role '" + n + "'");
    mask |= Mask(*r);
  }
  return mask;
}

std::vector<std::string> RoleNames(RoleMask mask) {
  std::vector<std::string> out;
  for (const RoleInfo& r : kRoles) {
    if (mask & Mask(r.role)) out.emplace_back(r.name);
  }
  return out;
}

}  // namespace metaledger
