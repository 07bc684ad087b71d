#pragma once
// Plays a ScenarioSpec through the real contracts Executor over an in-memory state, block by
// block with block time advancing: real Ed25519-signed transactions (core/payload
// BuildTransaction), strict signature verification, the end-of-block hook for auction closes and
// sensing epochs. Participants' choices (sensing costs, capture delays, cells) are drawn from
// the seed, so (spec, seed) gives the same report. The same planning runs against a live testnet
// through a Ledger (ledger.h): steps of a few real blocks, the node's block heights and times.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/genesis.h"
#include "sim/scenario/scenario_spec.h"

namespace metaledger::sim {

struct ClassRewards {
  std::string participant_class;  // "UAV operator", "VSP", ...
  uint64_t accounts = 0;
  int64_t net_change = 0;  // balances + claimable rewards, end minus start
};

struct AuctionOutcome {
  std::string vsp;
  uint64_t posted_h = 0;
  uint32_t k = 0;
  uint64_t reserve = 0;
  uint64_t bids = 0;
  uint64_t price = 0;
  std::vector<uint64_t> winner_costs;  // the winners' true sensing costs
  uint64_t delivered = 0, paid = 0;
  uint64_t vsp_spend = 0;  // VSP balance before posting minus after settling
};

// One FL task (the twin model or the avatar model) over the run.
struct FlTaskOutcome {
  std::string family;  // "twin" or "avatar"
  uint64_t rounds = 0, approved = 0, rejected = 0, failed = 0;
  uint64_t head_acc_bps = 0;  // accuracy of the task's head model at the end
  uint64_t budgets = 0;       // escrowed by OPEN_ROUND
  uint64_t paid = 0;          // to clients
  uint64_t carry = 0;         // left in the task's carry
};

// FL clients of one behaviour over all tasks and rounds.
struct FlClassOutcome {
  std::string behaviour;  // "honest", "free-riding", "poisoning"
  uint64_t clients = 0;
  uint64_t submitted = 0;  // updates the contract accepted
  uint64_t refused = 0;    // submissions refused (DUP_UPDATE_HASH, LOW_REPUTATION, ...)
  uint64_t flagged = 0;    // accepted updates zeroed by the evaluators' flag quorum
  uint64_t earned = 0;     // FL rewards (claimable) in total
  uint64_t min_per_client = 0, max_per_client = 0;
};

struct TwinSample {
  uint64_t height = 0;
  uint64_t in_sync = 0, twins = 0;
  uint64_t mean_aoi_ms = 0;
};

// Figures of a run against a live testnet (absent in process).
struct LiveFigures {
  std::string node;                            // the REST URL
  uint64_t first_height = 0, last_height = 0;  // the chain heights the run covered
  uint64_t blocks_per_step = 0;
  uint64_t late_txs = 0;  // committed after their step's last block (deadlines at risk)
  uint64_t slowest_commit_blocks = 0;  // most blocks from a step's start to a commit of it
  uint64_t wall_us = 0;                // the whole run, submission to last commit
};

struct ScenarioReport {
  std::string name;
  uint64_t seed = 0;
  uint64_t blocks = 0, virtual_ms = 0;
  uint64_t txs = 0, txs_ok = 0;
  std::map<std::string, uint64_t> refusals;  // error code name -> count
  uint64_t wall_us = 0;                      // execution wall time (not deterministic)

  uint64_t datasets = 0, derived_datasets = 0, sensing_records = 0;
  std::vector<ClassRewards> rewards;
  std::vector<AuctionOutcome> auctions;

  uint64_t twin_updates_accepted = 0, stale_updates_refused = 0, stale_updates_accepted = 0;
  uint64_t accepted_with_stale_input = 0;  // invariant: 0
  std::vector<TwinSample> twin_aoi;

  uint64_t pools_funded = 0, pools_paid = 0, pools_balance = 0, claimable_total = 0;
  bool pools_conserve = false;    // funded == paid + balance, and paid == Σ claimable
  bool supply_conserves = false;  // total == genesis total + minted - burned
  std::string fl_note;            // FL rounds played, or why not
  std::vector<FlTaskOutcome> fl_tasks;
  std::vector<FlClassOutcome> fl_classes;  // honest, free-riding, poisoning
  bool fl_conserves = true;  // Σ budgets = Σ paid + carry, and Σ paid = Σ FL client claimable
  std::optional<LiveFigures> live;
};

class Ledger;

// In process: contracts::Executor over a MemoryState (see ledger.h).
Result<ScenarioReport> RunScenario(const ScenarioSpec& spec, uint64_t seed);
// On any ledger, e.g. a live testnet (live_ledger.h).
Result<ScenarioReport> RunScenarioOn(const ScenarioSpec& spec, uint64_t seed, Ledger& ledger);
// The genesis the run starts from: every party's account (keys derived from the seed), the
// validators (the scenario's operators) and the parameter overrides.
Result<Genesis> ScenarioGenesis(const ScenarioSpec& spec, uint64_t seed);

// The scenario's invariants, each broken one as a sentence (empty when all hold): auction VSP
// spend <= K x reserve, accepted twin updates had fresh inputs and stale ones were refused,
// pools and supply conserve, FL budgets conserve, and honest FL clients each earn more than any
// free-rider or poisoner, who earn nothing.
std::vector<std::string> InvariantFailures(const ScenarioReport& report);

// Human-readable report; the wall-clock line only when `with_wall_time`.
std::string FormatReport(const ScenarioReport& report, bool with_wall_time);

}  // namespace metaledger::sim
