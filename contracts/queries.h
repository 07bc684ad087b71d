#pragma once
// Read-only queries over a state, for the REST API and tests. Each returns a plain struct, or
// nullopt when the thing does not exist; a non-OK Status only for storage errors.
#include <cstdint>
#include <optional>
#include <vector>

#include "contracts/accounts.h"
#include "contracts/auction.h"
#include "contracts/fl_rounds.h"
#include "contracts/governance.h"
#include "contracts/model_registry.h"
#include "contracts/provenance.h"
#include "contracts/reputation.h"
#include "contracts/sensing.h"
#include "contracts/twin_sync.h"
#include "core/state_view.h"

namespace metaledger::contracts {

struct AccountView {
  AccountRecord account;
  std::vector<std::pair<Role, uint64_t>> reputation_ppm;  // per role the account holds
  uint64_t claimable = 0;
};
Result<std::optional<AccountView>> QueryAccount(const StateView& s, const Address& a);
Result<SupplyRecord> QuerySupply(const StateView& s);
Result<uint64_t> QueryClaimable(const StateView& s, const Address& a);
Result<std::optional<ProposalRecord>> QueryProposal(const StateView& s, const Hash256& id);

Result<std::optional<ModelRecord>> QueryModel(const StateView& s, const Hash256& id);
Result<std::optional<FlTaskRecord>> QueryFlTask(const StateView& s, const Hash256& id);
Result<std::optional<FlRoundRecord>> QueryFlRound(const StateView& s, const Hash256& task,
                                                  uint64_t round);
// A client's submission in a round, with q_i, flag, s_i and reward once the round is final.
Result<std::optional<FlSubmissionRecord>> QueryFlSubmission(const StateView& s, const Hash256& task,
                                                            uint64_t round, const Address& client);
Result<std::optional<FlEvaluationRecord>> QueryFlEvaluation(const StateView& s, const Hash256& task,
                                                            uint64_t round,
                                                            const Address& evaluator);
Result<bool> QueryFlEnrolled(const StateView& s, const Hash256& task, const Address& client);
// (alpha, beta) behind an account's reputation in one role.
Result<ReputationRecord> QueryReputation(const StateView& s, const Address& a, Role role);

struct DatasetView {
  DatasetRecord record;
  std::vector<Hash256> ancestors;    // transitive, sorted
  std::vector<Hash256> descendants;  // transitive, sorted
  std::vector<Hash256> users;        // models and twin updates that used it, sorted
};
Result<std::optional<DatasetView>> QueryDataset(const StateView& s, const Hash256& id);

Result<std::optional<PoolRecord>> QueryPool(const StateView& s, const Hash256& id);
Result<std::optional<PoolEpochRecord>> QueryPoolEpoch(const StateView& s, const Hash256& id,
                                                      uint64_t epoch);

struct AuctionView {
  AuctionTaskRecord task;
  AuctionPhase phase = AuctionPhase::COMMIT;
  std::vector<std::pair<Address, BidRecord>> bids;  // by UAV address
};
Result<std::optional<AuctionView>> QueryAuction(const StateView& s, const Hash256& id,
                                                uint64_t height);

struct TwinView {
  TwinRecord twin;
  uint64_t aoi_ms = 0;  // T - freshest_input_ts (0 before the first update)
  bool in_sync = false;
  std::vector<TwinUpdateRecord> history;  // seq 1..head
};
Result<std::optional<TwinView>> QueryTwin(const StateView& s, const Hash256& id, uint64_t time_ms);

}  // namespace metaledger::contracts
