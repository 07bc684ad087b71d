#pragma once
// Independent checks of the proof bundles the REST API serves.

#include <nlohmann/json.hpp>
#include <string>

#include "core/genesis.h"

namespace metaledger::rest::testing {

// "" when a transaction proof bundle proves its transaction against the genesis validators,
// else the first check that failed.
std::string AuditBundle(const nlohmann::json& bundle, const Genesis& genesis);

// "" when a state proof bundle (GET /v1/state/{key}?prove=true) proves its key's value, or
// absence, under a state root certified by the genesis validators; else what failed.
std::string AuditStateBundle(const nlohmann::json& bundle, const Genesis& genesis);

}  // namespace metaledger::rest::testing
