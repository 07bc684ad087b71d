#include "contracts/executor.h"

#include "contracts/accounts.h"
#include "contracts/auction.h"
#include "contracts/fl_rounds.h"
#include "contracts/governance.h"
#include "contracts/model_registry.h"
#include "contracts/provenance.h"
#include "contracts/sensing.h"
#include "contracts/twin_sync.h"
#include "core/payload/kinds.h"
#include "core/payload/payloads.h"

namespace metaledger::contracts {
namespace {

template <typename P>
Outcome Run(Ctx& ctx, const Transaction& tx, Outcome (*handler)(Ctx&, const P&)) {
  Result<P> p = Decode<P>(tx.payload);
  if (!p.ok()) return ErrorCode::BAD_PAYLOAD;
  return handler(ctx, *p);
}

// Validates the payload shape only (for Precheck).
template <typename P>
bool Decodes(const Transaction& tx) {
  return Decode<P>(tx.payload).ok();
}

// The dispatch table: kind -> decoder + handler. A kind listed in core/payload/kinds.h but not
// dispatched here would answer UNKNOWN_KIND (none today).
Outcome Dispatch(Ctx& ctx, const Transaction& tx) {
  switch (static_cast<TxKind>(tx.kind)) {
    case TxKind::TRANSFER: return Run(ctx, tx, &HandleTransfer);
    case TxKind::STAKE: return Run(ctx, tx, &HandleStake);
    case TxKind::UNSTAKE: return Run(ctx, tx, &HandleUnstake);
    case TxKind::REGISTER_DEVICE: return Run(ctx, tx, &HandleRegisterDevice);
    case TxKind::PROPOSE: return Run(ctx, tx, &HandlePropose);
    case TxKind::VOTE: return Run(ctx, tx, &HandleVote);
    case TxKind::CLAIM: return Run(ctx, tx, &HandleClaim);
    case TxKind::CREATE_FL_TASK: return Run(ctx, tx, &HandleCreateFlTask);
    case TxKind::ENROLL_CLIENT: return Run(ctx, tx, &HandleEnrollClient);
    case TxKind::OPEN_ROUND: return Run(ctx, tx, &HandleOpenRound);
    case TxKind::SUBMIT_UPDATE: return Run(ctx, tx, &HandleSubmitUpdate);
    case TxKind::PUBLISH_AGGREGATE: return Run(ctx, tx, &HandlePublishAggregate);
    case TxKind::SUBMIT_EVALUATION: return Run(ctx, tx, &HandleSubmitEvaluation);
    case TxKind::REVOKE_MODEL: return Run(ctx, tx, &HandleRevokeModel);
    case TxKind::REGISTER_DATASET: return Run(ctx, tx, &HandleRegisterDataset);
    case TxKind::REVOKE_CONSENT: return Run(ctx, tx, &HandleRevokeConsent);
    case TxKind::VOID_DATASET: return Run(ctx, tx, &HandleVoidDataset);
    case TxKind::CREATE_POOL: return Run(ctx, tx, &HandleCreatePool);
    case TxKind::FUND_POOL: return Run(ctx, tx, &HandleFundPool);
    case TxKind::REGISTER_SENSING: return Run(ctx, tx, &HandleRegisterSensing);
    case TxKind::POST_TASK: return Run(ctx, tx, &HandlePostTask);
    case TxKind::COMMIT_BID: return Run(ctx, tx, &HandleCommitBid);
    case TxKind::REVEAL_BID: return Run(ctx, tx, &HandleRevealBid);
    case TxKind::SUBMIT_DELIVERY: return Run(ctx, tx, &HandleSubmitDelivery);
    case TxKind::ACCEPT_DELIVERY: return Run(ctx, tx, &HandleAcceptDelivery);
    case TxKind::REGISTER_TWIN: return Run(ctx, tx, &HandleRegisterTwin);
    case TxKind::TWIN_UPDATE: return Run(ctx, tx, &HandleTwinUpdate);
    default: return ErrorCode::UNKNOWN_KIND;
  }
}

bool IsDispatched(uint16_t kind) { return FindKind(kind) != nullptr; }

// Checks that need only the sender's account; shared by ExecuteBlock and Precheck.
ErrorCode CheckAccess(const AccountRecord& acct, const Transaction& tx, uint64_t height) {
  if (acct.suspended_until_h > height) return ErrorCode::SUSPENDED;
  if (!IsDispatched(tx.kind)) return ErrorCode::UNKNOWN_KIND;
  const KindInfo* info = FindKind(tx.kind);
  if (info->required_roles != kNoRole && (acct.roles & info->required_roles) == 0) {
    return ErrorCode::UNAUTHORIZED;
  }
  return ErrorCode::OK;
}

Status EndOfBlock(Ctx& ctx) {
  ctx.tx_index = Event::kEndOfBlock;
  ML_RETURN_IF_ERROR(CloseProposals(ctx));
  ML_RETURN_IF_ERROR(ReleaseUnbonded(ctx));
  ML_RETURN_IF_ERROR(RunAuctionDeadlines(ctx));
  ML_RETURN_IF_ERROR(FinalizeFlRounds(ctx));
  ML_RETURN_IF_ERROR(CloseSensingEpochs(ctx));
  ML_RETURN_IF_ERROR(ApplyValidatorChanges(ctx));
  return Status::Ok();
}

}  // namespace

Result<WriteSet> Executor::GenesisState(const Genesis& genesis) {
  ML_ASSIGN_OR_RETURN(ChainParams params, ChainParams::FromGenesis(genesis));
  MemoryState empty;
  OverlayState overlay(empty);
  std::vector<Event> events;
  BlockContext block{genesis.chain_id, 0, genesis.genesis_time_ms};
  Ctx ctx(overlay, params, block, events);
  SupplyRecord supply;
  IdList<20> members;
  for (const GenesisAccount& ga : genesis.accounts) {
    Result<RoleMask> role_mask = RolesFromNames(ga.roles);
    if (!role_mask.ok()) return role_mask.status().Annotate("genesis account " + ga.name);
    RoleMask roles = *role_mask;
    AccountRecord a;
    a.has_key = true;
    a.key = ga.key;
    a.balance = ga.balance;
    a.roles = roles;
    if (ga.operator_key) {
      a.has_operator = true;
      a.operator_addr = AddressOf(*ga.operator_key);
      a.roles |= Mask(Role::DEVICE);
    }
    Address addr = AddressOf(ga.key);
    StoreAccount(ctx, addr, a);
    if (HasRole(roles, Role::MEMBER)) members.Insert(addr);
    if (supply.total + ga.balance < supply.total) {
      return Status::InvalidArgument("genesis balances exceed the 64-bit range");
    }
    supply.total += ga.balance;
  }
  ctx.Put(keys::Supply(), supply);
  ctx.Put(keys::Members(), members);
  IdList<32> validators;
  for (const Validator& v : genesis.validators.validators()) validators.Insert(v.key);
  ctx.Put(keys::Validators(), validators);
  WriteSet writes = overlay.TakeWrites();
  params.Store(writes);
  return writes;
}

Result<ExecutionResult> Executor::ExecuteBlock(const StateView& base, const BlockContext& block,
                                               std::span<const Transaction> txs) {
  ML_ASSIGN_OR_RETURN(ChainParams params, ChainParams::Load(base));
  OverlayState overlay(base);
  ExecutionResult result;
  result.tx_codes.reserve(txs.size());
  Ctx ctx(overlay, params, block, result.events);
  for (size_t i = 0; i < txs.size(); ++i) {
    const Transaction& tx = txs[i];
    auto code = [&]() -> Outcome {
      if (tx.chain_id != block.chain_id) return ErrorCode::WRONG_CHAIN;
      Address sender = AddressOf(tx.sender);
      ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(ctx, sender));
      if (!acct) return ErrorCode::UNKNOWN_ACCOUNT;
      if (tx.nonce != acct->nonce) return ErrorCode::BAD_NONCE;
      if (!verifier_.Verify(tx.sender, tx.SigningHash().view(), tx.signature)) {
        return ErrorCode::BAD_SIGNATURE;
      }
      // Authenticated and in order: from here on the nonce advances whatever the outcome.
      acct->nonce += 1;
      if (!acct->has_key) {
        acct->has_key = true;
        acct->key = tx.sender;
      }
      StoreAccount(ctx, sender, *acct);
      ErrorCode access = CheckAccess(*acct, tx, block.height);
      if (access != ErrorCode::OK) return access;
      ctx.sender = sender;
      ctx.sender_key = tx.sender;
      ctx.nonce = tx.nonce;
      ctx.tx_index = static_cast<uint32_t>(i);
      size_t mark = overlay.Mark();
      size_t event_mark = result.events.size();
      ChainParams params_before = params;
      Outcome o = Dispatch(ctx, tx);
      if (!o.ok()) return o;
      if (*o != ErrorCode::OK) {
        overlay.RollbackTo(mark);
        result.events.resize(event_mark);
        params = params_before;
      }
      return o;
    }();
    if (!code.ok()) return code.status().Annotate("executing transaction " + std::to_string(i));
    result.tx_codes.push_back(static_cast<uint16_t>(*code));
  }
  ML_RETURN_IF_ERROR(EndOfBlock(ctx).Annotate("end-of-block hook"));
  result.writes = overlay.TakeWrites();
  return result;
}

ErrorCode Precheck(const StateView& state, const ChainParams& params, const Transaction& tx,
                   std::string_view chain_id, uint64_t height, uint64_t nonce_window) {
  (void)params;
  if (tx.chain_id != chain_id) return ErrorCode::WRONG_CHAIN;
  Result<std::optional<Bytes>> raw = state.Get(keys::Account(AddressOf(tx.sender)));
  if (!raw.ok() || !*raw) return ErrorCode::UNKNOWN_ACCOUNT;
  Result<AccountRecord> acct = Decode<AccountRecord>(**raw);
  if (!acct.ok()) return ErrorCode::UNKNOWN_ACCOUNT;
  if (tx.nonce < acct->nonce || tx.nonce - acct->nonce >= nonce_window) return ErrorCode::BAD_NONCE;
  ErrorCode access = CheckAccess(*acct, tx, height);
  if (access != ErrorCode::OK) return access;
  // Shape-only decode.
  bool decodes = true;
  switch (static_cast<TxKind>(tx.kind)) {
#define ML_DECODES(K, P) case TxKind::K: decodes = Decodes<P>(tx); break;
    ML_DECODES(TRANSFER, TransferPayload)
    ML_DECODES(STAKE, StakePayload)
    ML_DECODES(UNSTAKE, UnstakePayload)
    ML_DECODES(REGISTER_DEVICE, RegisterDevicePayload)
    ML_DECODES(PROPOSE, ProposePayload)
    ML_DECODES(VOTE, VotePayload)
    ML_DECODES(CLAIM, ClaimPayload)
    ML_DECODES(CREATE_FL_TASK, CreateFlTaskPayload)
    ML_DECODES(ENROLL_CLIENT, EnrollClientPayload)
    ML_DECODES(OPEN_ROUND, OpenRoundPayload)
    ML_DECODES(SUBMIT_UPDATE, SubmitUpdatePayload)
    ML_DECODES(PUBLISH_AGGREGATE, PublishAggregatePayload)
    ML_DECODES(SUBMIT_EVALUATION, SubmitEvaluationPayload)
    ML_DECODES(REVOKE_MODEL, RevokeModelPayload)
    ML_DECODES(REGISTER_DATASET, RegisterDatasetPayload)
    ML_DECODES(REVOKE_CONSENT, RevokeConsentPayload)
    ML_DECODES(VOID_DATASET, VoidDatasetPayload)
    ML_DECODES(CREATE_POOL, CreatePoolPayload)
    ML_DECODES(FUND_POOL, FundPoolPayload)
    ML_DECODES(REGISTER_SENSING, RegisterSensingPayload)
    ML_DECODES(POST_TASK, PostTaskPayload)
    ML_DECODES(COMMIT_BID, CommitBidPayload)
    ML_DECODES(REVEAL_BID, RevealBidPayload)
    ML_DECODES(SUBMIT_DELIVERY, SubmitDeliveryPayload)
    ML_DECODES(ACCEPT_DELIVERY, AcceptDeliveryPayload)
    ML_DECODES(REGISTER_TWIN, RegisterTwinPayload)
    ML_DECODES(TWIN_UPDATE, TwinUpdatePayload)
#undef ML_DECODES
    default: return ErrorCode::UNKNOWN_KIND;
  }
  return decodes ? ErrorCode::OK : ErrorCode::BAD_PAYLOAD;
}

}  // namespace metaledger::contracts
