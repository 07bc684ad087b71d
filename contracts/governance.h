#pragma once
// Consortium governance: MEMBERs propose actions (role grants and revocations, validator set
// changes at the next epoch boundary, parameter changes, mints into reward pools, suspensions)
// and vote. A proposal passes, and its action runs at once, when ⌈2m/3⌉ of the m members at
// proposal time vote yes before its deadline (PROPOSAL_BLOCKS); otherwise it expires.
#include <cstdint>

#include "contracts/context.h"
#include "core/payload/payloads.h"

namespace metaledger::contracts {

enum class ProposalStatus : uint8_t { OPEN = 0, PASSED = 1, EXPIRED = 2 };

struct ProposalRecord {
  Address proposer;
  GovAction action;
  uint64_t created_h = 0;
  uint64_t deadline_h = 0;  // last height at which votes count
  uint64_t members = 0;     // m when proposed
  uint64_t yes = 0;
  uint64_t no = 0;
  ProposalStatus status = ProposalStatus::OPEN;
  void Encode(Writer& w) const;
  static ProposalRecord DecodeFrom(Reader& r);
  bool operator==(const ProposalRecord&) const = default;
};

Outcome HandlePropose(Ctx& ctx, const ProposePayload& p);
Outcome HandleVote(Ctx& ctx, const VotePayload& p);
// End-of-block: proposals whose deadline was the previous height expire; at epoch boundaries
// the pending validator set takes effect.
Status CloseProposals(Ctx& ctx);
Status ApplyValidatorChanges(Ctx& ctx);

// Adds/removes the MEMBER list entry along with the role bit.
Outcome GrantRoles(Ctx& ctx, const Address& a, RoleMask roles);
Outcome RevokeRoles(Ctx& ctx, const Address& a, RoleMask roles);

}  // namespace metaledger::contracts
