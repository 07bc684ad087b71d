#pragma once
// The genesis document: chain id, start time, validators, funded accounts and chain
// parameters. People edit it as JSON; its hash is taken over the canonical binary encoding.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/block.h"
#include "core/crypto/ed25519.h"
#include "core/validator_set.h"

namespace metaledger {

struct GenesisAccount {
  std::string name;
  PublicKey key;
  uint64_t balance = 0;
  std::vector<std::string> roles;       // contract role names, e.g. "VSP", "DEVICE"
  std::optional<PublicKey> operator_key;  // for DEVICE keys: the operator they belong to

  bool operator==(const GenesisAccount&) const = default;
};

struct Genesis {
  std::string chain_id;
  uint64_t genesis_time_ms = 0;
  ValidatorSet validators;
  std::vector<GenesisAccount> accounts;
  std::map<std::string, uint64_t> params;  // overrides of the contract defaults, by name

  // Chain id shape, validator set, distinct account keys, operators that exist.
  Status Validate() const;
  Hash256 Hash() const;
  Block GenesisBlock() const {
    return MakeGenesisBlock(chain_id, genesis_time_ms, validators.Hash(chain_id));
  }

  // 64-bit numbers are written as JSON strings (and accepted as either).
  std::string ToJson() const;
  static Result<Genesis> FromJson(std::string_view json);

  void Encode(Writer& w) const;
  bool operator==(const Genesis&) const = default;
};

}  // namespace metaledger
