#pragma once
// The consortium's validators with equal voting power. n = 3f + 1 tolerates f faults;
// a quorum is 2f + 1 (for n not of that form, f = floor((n - 1) / 3)).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/hash.h"

namespace metaledger {

struct Validator {
  std::string name;
  PublicKey key;
  std::string p2p_address;  // host:port, informational for the node; not part of the set hash

  bool operator==(const Validator&) const = default;
};

class ValidatorSet {
 public:
  static constexpr size_t kMaxValidators = 1024;

  ValidatorSet() = default;
  explicit ValidatorSet(std::vector<Validator> validators) : validators_(std::move(validators)) {}

  size_t size() const { return validators_.size(); }
  size_t max_faulty() const { return validators_.empty() ? 0 : (validators_.size() - 1) / 3; }
  size_t quorum() const { return validators_.size() - max_faulty(); }  // 2f+1 when n = 3f+1
  const Validator& at(size_t i) const { return validators_[i]; }
  const std::vector<Validator>& validators() const { return validators_; }
  std::optional<uint32_t> IndexOf(const PublicKey& key) const;

  // Duplicate keys and invalid keys are refused.
  Status Validate() const;
  // H("metaledger/valset/v1" ‖ chain_id ‖ names and keys in order).
  Hash256 Hash(std::string_view chain_id) const;

  void Encode(Writer& w) const;
  static ValidatorSet DecodeFrom(Reader& r);
  bool operator==(const ValidatorSet&) const = default;

 private:
  std::vector<Validator> validators_;
};

}  // namespace metaledger
