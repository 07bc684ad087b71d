#pragma once
// Beta reputation kept per (account, role), scaled x1000 (spec section 3):
//   each round/epoch: alpha = alpha*9/10, beta = beta*9/10, then
//   positive event: alpha += max(1, 1000*q/PPM) when q > 0;  negative event: beta += 3000;
//   R = PPM * (alpha + 1000) / (alpha + beta + 2000)   (0.5 for a newcomer).
#include <cstdint>

#include "contracts/context.h"
#include "core/payload/roles.h"

namespace metaledger::contracts {

struct ReputationRecord {
  uint64_t alpha = 0;
  uint64_t beta = 0;
  void Encode(Writer& w) const { w.Varint(alpha).Varint(beta); }
  static ReputationRecord DecodeFrom(Reader& r) {
    ReputationRecord x;
    x.alpha = r.Varint();
    x.beta = r.Varint();
    return x;
  }
  bool operator==(const ReputationRecord&) const = default;
};

enum class ReputationEvent : uint8_t { kPositive, kNegative, kNone };

uint64_t ReputationPpm(const ReputationRecord& r);
// Decay, then apply the event (q_ppm matters only for kPositive).
ReputationRecord NextReputation(ReputationRecord r, ReputationEvent e, uint64_t q_ppm);

Result<ReputationRecord> LoadReputation(const Ctx& ctx, const Address& a, Role role);
Result<uint64_t> ReputationPpmOf(const Ctx& ctx, const Address& a, Role role);
Status ApplyReputation(Ctx& ctx, const Address& a, Role role, ReputationEvent e, uint64_t q_ppm);

}  // namespace metaledger::contracts
