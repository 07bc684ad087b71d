#include "contracts/reputation.h"

#include "contracts/checked_math.h"

namespace metaledger::contracts {

uint64_t ReputationPpm(const ReputationRecord& r) {
  u128 num = static_cast<u128>(1'000'000) * (static_cast<u128>(r.alpha) + 1000);
  u128 den = static_cast<u128>(r.alpha) + r.beta + 2000;
  return static_cast<uint64_t>(num / den);
}

ReputationRecord NextReputation(ReputationRecord r, ReputationEvent e, uint64_t q_ppm) {
  r.alpha = static_cast<uint64_t>(static_cast<u128>(r.alpha) * 9 / 10);
  r.beta = static_cast<uint64_t>(static_cast<u128>(r.beta) * 9 / 10);
  if (e == ReputationEvent::kPositive && q_ppm > 0) {
    uint64_t gain = static_cast<uint64_t>(static_cast<u128>(1000) * q_ppm / 1'000'000);
    r.alpha += gain == 0 ? 1 : gain;  // alpha stays far below u64: it decays by 10% per event
  } else if (e == ReputationEvent::kNegative) {
    r.beta += 3000;
  }
  return r;
}

Result<ReputationRecord> LoadReputation(const Ctx& ctx, const Address& a, Role role) {
  ML_ASSIGN_OR_RETURN(std::optional<ReputationRecord> r,
                      ctx.Get<ReputationRecord>(keys::Reputation(a, Mask(role))));
  return r ? *r : ReputationRecord{};
}

Result<uint64_t> ReputationPpmOf(const Ctx& ctx, const Address& a, Role role) {
  ML_ASSIGN_OR_RETURN(ReputationRecord r, LoadReputation(ctx, a, role));
  return ReputationPpm(r);
}

Status ApplyReputation(Ctx& ctx, const Address& a, Role role, ReputationEvent e, uint64_t q_ppm) {
  ML_ASSIGN_OR_RETURN(ReputationRecord r, LoadReputation(ctx, a, role));
  ReputationRecord next = NextReputation(r, e, q_ppm);
  ctx.Put(keys::Reputation(a, Mask(role)), next);
  ctx.Emit("reputation.updated", {{"account", a.Hex()},
                                  {"role", std::string(RoleName(role))},
                                  {"reputation_ppm", std::to_string(ReputationPpm(next))}});
  return Status::Ok();
}

}  // namespace metaledger::contracts
