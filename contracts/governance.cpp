#include "contracts/governance.h"

#include "contracts/accounts.h"
#include "contracts/checked_math.h"
#include "contracts/sensing.h"
#include "core/payload/ids.h"

namespace metaledger::contracts {

void ProposalRecord::Encode(Writer& w) const {
  w.Fixed(proposer);
  action.Encode(w);
  w.Varint(created_h).Varint(deadline_h).Varint(members).Varint(yes).Varint(no);
  w.U8(static_cast<uint8_t>(status));
}

ProposalRecord ProposalRecord::DecodeFrom(Reader& r) {
  ProposalRecord p;
  p.proposer = r.Fixed<20>();
  p.action = GovAction::DecodeFrom(r);
  p.created_h = r.Varint();
  p.deadline_h = r.Varint();
  p.members = r.Varint();
  p.yes = r.Varint();
  p.no = r.Varint();
  p.status = static_cast<ProposalStatus>(r.U8());
  return p;
}

namespace {

Result<IdList<20>> LoadMembers(const Ctx& ctx) {
  ML_ASSIGN_OR_RETURN(std::optional<IdList<20>> m, ctx.Get<IdList<20>>(keys::Members()));
  return m ? std::move(*m) : IdList<20>{};
}

// Checks an action can run (so a doomed proposal is refused when proposed).
Outcome ValidateAction(Ctx& ctx, const GovAction& a) {
  switch (a.type) {
    case GovActionType::GRANT_ROLE:
    case GovActionType::REVOKE_ROLE:
      CT_REQUIRE(a.roles != kNoRole, BAD_ARGUMENT);
      return ErrorCode::OK;
    case GovActionType::ADD_VALIDATOR:
    case GovActionType::REMOVE_VALIDATOR:
      CT_REQUIRE(IsValidPublicKey(a.key), BAD_ARGUMENT);
      return ErrorCode::OK;
    case GovActionType::SET_PARAM: {
      bool known = false;
      for (const auto& f : ChainParams::Fields()) known = known || f.name == a.param_name;
      CT_REQUIRE(known, UNKNOWN_PARAM);
      ChainParams trial = ctx.params();
      CT_REQUIRE(trial.Set(a.param_name, a.value).ok(), BAD_ARGUMENT);
      return ErrorCode::OK;
    }
    case GovActionType::MINT: {
      CT_REQUIRE(a.amount > 0, BAD_ARGUMENT);
      ML_ASSIGN_OR_RETURN(bool exists, PoolExists(ctx, a.pool_id));
      CT_REQUIRE(exists, NOT_FOUND);
      return ErrorCode::OK;
    }
    case GovActionType::SUSPEND: {
      ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(ctx, a.target));
      CT_REQUIRE(acct, UNKNOWN_ACCOUNT);
      return ErrorCode::OK;
    }
  }
  return ErrorCode::BAD_ARGUMENT;
}

Result<IdList<32>> LoadValidatorList(const Ctx& ctx, const Bytes& key) {
  ML_ASSIGN_OR_RETURN(std::optional<IdList<32>> v, ctx.Get<IdList<32>>(key));
  return v ? std::move(*v) : IdList<32>{};
}

Outcome ExecuteAction(Ctx& ctx, const GovAction& a) {
  switch (a.type) {
    case GovActionType::GRANT_ROLE:
      return GrantRoles(ctx, a.target, a.roles);
    case GovActionType::REVOKE_ROLE:
      return RevokeRoles(ctx, a.target, a.roles);
    case GovActionType::ADD_VALIDATOR:
    case GovActionType::REMOVE_VALIDATOR: {
      ML_ASSIGN_OR_RETURN(std::optional<IdList<32>> pending,
                          ctx.Get<IdList<32>>(keys::PendingValidators()));
      IdList<32> next;
      if (pending) {
        next = std::move(*pending);
      } else {
        ML_ASSIGN_OR_RETURN(next, LoadValidatorList(ctx, keys::Validators()));
      }
      if (a.type == GovActionType::ADD_VALIDATOR) {
        next.Insert(a.key);
      } else {
        next.Erase(a.key);
      }
      ctx.Put(keys::PendingValidators(), next);
      return ErrorCode::OK;
    }
    case GovActionType::SET_PARAM: {
      CT_REQUIRE(ctx.mutable_params().Set(a.param_name, a.value).ok(), BAD_ARGUMENT);
      ctx.Put(keys::Param(a.param_name), U64Value{a.value});
      return ErrorCode::OK;
    }
    case GovActionType::MINT:
      CT_STEP(MintToHeld(ctx, a.amount));
      return AddToPool(ctx, a.pool_id, a.amount);
    case GovActionType::SUSPEND: {
      ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(ctx, a.target));
      CT_REQUIRE(acct, UNKNOWN_ACCOUNT);
      acct->suspended_until_h = a.value;
      StoreAccount(ctx, a.target, *acct);
      return ErrorCode::OK;
    }
  }
  return ErrorCode::BAD_ARGUMENT;
}

// Runs the action if the proposal has its quorum; the action's own failure leaves the proposal
// open (e.g. a SET_PARAM made invalid by a later change) and fails the deciding vote.
Outcome MaybePass(Ctx& ctx, const Hash256& id, ProposalRecord& p) {
  if (p.yes < TwoThirdsCeil(p.members)) return ErrorCode::OK;
  CT_STEP(ExecuteAction(ctx, p.action));
  p.status = ProposalStatus::PASSED;
  ctx.Emit("governance.passed", {{"proposal", id.Hex()}, {"yes", std::to_string(p.yes)}});
  return ErrorCode::OK;
}

}  // namespace

Outcome GrantRoles(Ctx& ctx, const Address& a, RoleMask roles) {
  ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(ctx, a));
  AccountRecord rec = acct ? *acct : AccountRecord{};
  rec.roles |= roles;
  StoreAccount(ctx, a, rec);
  if (roles & Mask(Role::MEMBER)) {
    ML_ASSIGN_OR_RETURN(IdList<20> members, LoadMembers(ctx));
    members.Insert(a);
    ctx.Put(keys::Members(), members);
  }
  return ErrorCode::OK;
}

Outcome RevokeRoles(Ctx& ctx, const Address& a, RoleMask roles) {
  ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(ctx, a));
  CT_REQUIRE(acct, UNKNOWN_ACCOUNT);
  acct->roles &= ~roles;
  StoreAccount(ctx, a, *acct);
  if (roles & Mask(Role::MEMBER)) {
    ML_ASSIGN_OR_RETURN(IdList<20> members, LoadMembers(ctx));
    members.Erase(a);
    ctx.Put(keys::Members(), members);
  }
  return ErrorCode::OK;
}

Outcome HandlePropose(Ctx& ctx, const ProposePayload& p) {
  CT_STEP(ValidateAction(ctx, p.action));
  ML_ASSIGN_OR_RETURN(IdList<20> members, LoadMembers(ctx));
  CT_REQUIRE(members.Contains(ctx.sender), UNAUTHORIZED);
  Hash256 id = ProposalId(ctx.chain_id(), ctx.sender, ctx.nonce);
  auto deadline = CheckedAdd(ctx.height(), ctx.params().PROPOSAL_BLOCKS);
  CT_REQUIRE(deadline, OVERFLOW);
  ProposalRecord rec;
  rec.proposer = ctx.sender;
  rec.action = p.action;
  rec.created_h = ctx.height();
  rec.deadline_h = *deadline;
  rec.members = members.ids.size();
  rec.yes = 1;  // proposing is the proposer's yes vote
  ctx.Put(keys::ProposalVote(id, ctx.sender), U64Value{1});
  ctx.Emit("governance.proposed", {{"proposal", id.Hex()}, {"proposer", ctx.sender.Hex()}});
  CT_STEP(MaybePass(ctx, id, rec));
  ctx.Put(keys::Proposal(id), rec);
  if (rec.status == ProposalStatus::OPEN) {
    ML_RETURN_IF_ERROR(ctx.AddDue("prop", rec.deadline_h + 1, id));
  }
  return ErrorCode::OK;
}

Outcome HandleVote(Ctx& ctx, const VotePayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<ProposalRecord> rec,
                      ctx.Get<ProposalRecord>(keys::Proposal(p.proposal_id)));
  CT_REQUIRE(rec, NOT_FOUND);
  CT_REQUIRE(rec->status == ProposalStatus::OPEN && ctx.height() <= rec->deadline_h,
             PROPOSAL_CLOSED);
  Bytes vote_key = keys::ProposalVote(p.proposal_id, ctx.sender);
  ML_ASSIGN_OR_RETURN(uint64_t voted, ctx.GetU64(vote_key));
  CT_REQUIRE(voted == 0, DUPLICATE_VOTE);
  ctx.PutU64(vote_key, p.yes ? 1 : 2);
  if (p.yes) {
    ++rec->yes;
  } else {
    ++rec->no;
  }
  ctx.Emit("governance.voted", {{"proposal", p.proposal_id.Hex()},
                                {"voter", ctx.sender.Hex()},
                                {"yes", p.yes ? "true" : "false"}});
  CT_STEP(MaybePass(ctx, p.proposal_id, *rec));
  ctx.Put(keys::Proposal(p.proposal_id), *rec);
  return ErrorCode::OK;
}

Status CloseProposals(Ctx& ctx) {
  ML_ASSIGN_OR_RETURN(std::vector<Hash256> due, ctx.TakeDue("prop", ctx.height()));
  for (const Hash256& id : due) {
    ML_ASSIGN_OR_RETURN(std::optional<ProposalRecord> rec,
                        ctx.Get<ProposalRecord>(keys::Proposal(id)));
    if (!rec) return Status::Corruption("due proposal missing");
    if (rec->status != ProposalStatus::OPEN) continue;
    rec->status = ProposalStatus::EXPIRED;
    ctx.Put(keys::Proposal(id), *rec);
    ctx.Emit("governance.expired", {{"proposal", id.Hex()}, {"yes", std::to_string(rec->yes)}});
  }
  return Status::Ok();
}

Status ApplyValidatorChanges(Ctx& ctx) {
  if (ctx.height() % ctx.params().EPOCH_BLOCKS != 0) return Status::Ok();
  ML_ASSIGN_OR_RETURN(std::optional<IdList<32>> pending,
                      ctx.Get<IdList<32>>(keys::PendingValidators()));
  if (!pending) return Status::Ok();
  ctx.Put(keys::Validators(), *pending);
  ctx.Delete(keys::PendingValidators());
  ctx.Emit("governance.validators_changed", {{"count", std::to_string(pending->ids.size())}});
  return Status::Ok();
}

}  // namespace metaledger::contracts
