#include "core/validator_set.h"

#include <fmt/format.h>

#include <set>

namespace metaledger {

std::optional<uint32_t> ValidatorSet::IndexOf(const PublicKey& key) const {
  for (size_t i = 0; i < validators_.size(); ++i) {
    if (validators_[i].key == key) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

Status ValidatorSet::Validate() const {
  if (validators_.empty()) return Status::InvalidArgument("validator set is empty");
  if (validators_.size() > kMaxValidators) return Status::InvalidArgument("too many validators");
  std::set<PublicKey> seen;
  for (size_t i = 0; i < validators_.size(); ++i) {
    const Validator& v = validators_[i];
    if (!IsValidPublicKey(v.key)) {
      return Status::InvalidArgument(fmt::format("validator {} ({}) has an invalid key", i, v.name));
    }
    if (!seen.insert(v.key).second) {
      return Status::InvalidArgument(fmt::format("validator {} ({}) repeats a key", i, v.name));
    }
  }
  return Status::Ok();
}

void ValidatorSet::Encode(Writer& w) const {
  w.U8(1).Varint(validators_.size());
  for (const Validator& v : validators_) w.String(v.name).Fixed(v.key).String(v.p2p_address);
}

ValidatorSet ValidatorSet::DecodeFrom(Reader& r) {
  r.ExpectVersion(1, "validator set");
  size_t n = r.VarintMax(kMaxValidators, "validator count");
  std::vector<Validator> vs;
  for (size_t i = 0; i < n && r.ok(); ++i) {
    Validator v;
    v.name = r.String(128, "validator name");
    v.key = r.Fixed<32>();
    v.p2p_address = r.String(256, "validator address");
    vs.push_back(std::move(v));
  }
  return ValidatorSet(std::move(vs));
}

Hash256 ValidatorSet::Hash(std::string_view chain_id) const {
  Writer w;
  w.Varint(validators_.size());
  for (const Validator& v : validators_) w.String(v.name).Fixed(v.key);
  return TaggedHash("metaledger/valset/v1", chain_id, w.bytes());
}

}  // namespace metaledger
