#include "core/payload/kinds.h"

namespace metaledger {
namespace {

constexpr RoleMask kAnyone = kNoRole;
constexpr RoleMask kOperators =
    Mask(Role::MEMBER) | Mask(Role::UAV_OPERATOR) | Mask(Role::VSP) | Mask(Role::TWIN_OPERATOR);

constexpr KindInfo kKinds[] = {
    {TxKind::TRANSFER, "TRANSFER", kAnyone, "move tokens to another address"},
    {TxKind::STAKE, "STAKE", kAnyone, "lock balance as stake"},
    {TxKind::UNSTAKE, "UNSTAKE", kAnyone,
     "unlock stake; it returns to the balance after UNBOND_BLOCKS"},
    {TxKind::REGISTER_DEVICE, "REGISTER_DEVICE", kOperators,
     "bind a UAV or sensor key to the sending operator"},
    {TxKind::PROPOSE, "PROPOSE", Mask(Role::MEMBER),
     "propose a governance action (counts as the proposer's yes vote)"},
    {TxKind::VOTE, "VOTE", Mask(Role::MEMBER), "vote on an open governance proposal"},
    {TxKind::CLAIM, "CLAIM", kAnyone, "move claimable rewards into the balance"},
    {TxKind::CREATE_FL_TASK, "CREATE_FL_TASK",
     Mask(Role::MEMBER) | Mask(Role::VSP) | Mask(Role::TWIN_OPERATOR),
     "create a federated-learning task with its aggregator and evaluator committee"},
    {TxKind::ENROLL_CLIENT, "ENROLL_CLIENT", Mask(Role::FL_CLIENT), "enroll in an FL task"},
    {TxKind::OPEN_ROUND, "OPEN_ROUND", kAnyone,
     "open an FL round on the task's approved head, moving the budget into the task pool"},
    {TxKind::SUBMIT_UPDATE, "SUBMIT_UPDATE", Mask(Role::FL_CLIENT),
     "commit a local model update hash to a round"},
    {TxKind::PUBLISH_AGGREGATE, "PUBLISH_AGGREGATE", Mask(Role::AGGREGATOR),
     "publish the round's global model hash and included clients"},
    {TxKind::SUBMIT_EVALUATION, "SUBMIT_EVALUATION", Mask(Role::EVALUATOR),
     "post quality scores, accuracy and flags for a round"},
    {TxKind::REVOKE_MODEL, "REVOKE_MODEL", Mask(Role::MEMBER) | Mask(Role::EVALUATOR),
     "revoke a model (a member at once, or a quorum of the task's evaluators)"},
    {TxKind::REGISTER_DATASET, "REGISTER_DATASET", kAnyone,
     "register a dataset with its device signature, lineage, cells and consent"},
    {TxKind::REVOKE_CONSENT, "REVOKE_CONSENT", kAnyone,
     "owner withdraws consent: no later round or twin update may use the dataset"},
    {TxKind::VOID_DATASET, "VOID_DATASET", Mask(Role::MEMBER),
     "committee voids a fraudulent dataset; dependants are marked"},
    {TxKind::CREATE_POOL, "CREATE_POOL", Mask(Role::VSP), "create a sensing reward pool"},
    {TxKind::FUND_POOL, "FUND_POOL", Mask(Role::VSP), "add tokens to a sensing pool"},
    {TxKind::REGISTER_SENSING, "REGISTER_SENSING", Mask(Role::UAV_OPERATOR),
     "enter a UAV dataset into a sensing pool's current epoch"},
    {TxKind::POST_TASK, "POST_TASK", Mask(Role::VSP),
     "post a sealed-bid data-collection task, escrowing K * reserve"},
    {TxKind::COMMIT_BID, "COMMIT_BID", Mask(Role::UAV_OPERATOR),
     "commit a sealed ask for one of the operator's UAVs, locking the bid bond"},
    {TxKind::REVEAL_BID, "REVEAL_BID", Mask(Role::UAV_OPERATOR), "reveal a committed ask"},
    {TxKind::SUBMIT_DELIVERY, "SUBMIT_DELIVERY", Mask(Role::UAV_OPERATOR),
     "deliver a registered dataset for a won task"},
    {TxKind::ACCEPT_DELIVERY, "ACCEPT_DELIVERY", Mask(Role::VSP),
     "accept a delivery now instead of waiting for the accept window"},
    {TxKind::REGISTER_TWIN, "REGISTER_TWIN", Mask(Role::VSP),
     "register a digital twin with its area, freshness bound and operators"},
    {TxKind::TWIN_UPDATE, "TWIN_UPDATE", Mask(Role::VSP) | Mask(Role::TWIN_OPERATOR),
     "advance a twin's state through the synchronization gate"},
};

}  // namespace

std::span<const KindInfo> AllKinds() { return kKinds; }

const KindInfo* FindKind(uint16_t kind) {
  for (const KindInfo& k : kKinds) {
    if (static_cast<uint16_t>(k.kind) == kind) return &k;
  }
  return nullptr;
}

std::optional<TxKind> KindFromName(std::string_view name) {
  for (const KindInfo& k : kKinds) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

std::string_view KindName(TxKind kind) {
  const KindInfo* k = FindKind(static_cast<uint16_t>(kind));
  return k ? k->name : "UNKNOWN_KIND";
}

}  // namespace metaledger
