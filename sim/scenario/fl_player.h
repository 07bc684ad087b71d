#pragma once
// Federated-learning rounds of the metaverse scenario ("offline training"), played through the
// real FL contracts: two tasks, the twin model (owned by the first VSP; the model twins sync
// with) and the avatar model (owned by the last VSP), each running `FlSpec::rounds` rounds of
// open -> submit -> aggregate -> evaluate -> finalize (in the end-of-block hook).
//
// Clients behave as the spec says: honest clients train (a fresh update, a real sample count);
// free-riders submit a no-op update and claim many samples; poisoners submit a poisoned update.
// The aggregator includes every accepted submission; the evaluator committee scores what each
// update contributes (honest high, free-riders near zero) and flags poisoners MALICIOUS and
// free-riders FREERIDE, so the contract zeroes them and lowers their reputation. Scores and
// sample counts are drawn from the seed.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/state_view.h"
#include "sim/rng.h"
#include "sim/scenario/scenario_runner.h"
#include "sim/scenario/scenario_spec.h"
#include "sim/scenario/tx_sink.h"

namespace metaledger::sim {

enum class FlBehaviour : uint8_t { kHonest = 0, kFreeRiding = 1, kPoisoning = 2 };

struct FlClient {
  Party party;
  FlBehaviour behaviour = FlBehaviour::kHonest;
};

class FlPlayer {
 public:
  // A round takes this many blocks: open, submit, (submit window ends), aggregate, evaluate,
  // finalize at the end of the last one. The first round opens at block 3.
  static constexpr uint64_t kRoundBlocks = 6;
  static constexpr uint64_t kFirstRoundHeight = 3;
  static constexpr uint32_t kQMinPpm = 200'000;
  static constexpr uint64_t kNCap = 1000;

  FlPlayer(const FlSpec& spec, const std::string& chain_id, uint64_t seed, uint64_t last_block,
           TxSink& sink, Party aggregator, std::vector<Party> evaluators,
           std::vector<FlClient> clients);

  // Block 1: creates both tasks (their genesis models are APPROVED on creation); `expect(what)`
  // gives the callback that fails the run when a setup transaction is refused.
  void PlanSetup(const Party& twin_owner, const Party& avatar_owner,
                 const std::function<OnResult(std::string)>& expect);
  // Whatever the FL actors send in block h, given the state after block h-1.
  Status Plan(uint64_t h, const StateView& state);
  // Reads the outcome off the final state: per task, per behaviour, and the conservation check.
  Status Finish(const StateView& state, ScenarioReport& report) const;

  const Hash256& twin_task() const { return tasks_[0].id; }
  // Rounds per task that fit into the schedule (each needs kRoundBlocks blocks).
  uint64_t playable_rounds() const;

 private:
  struct Task {
    std::string family;
    Hash256 id;
    const Party* owner = nullptr;
  };
  Status PlanOpen(const Task& task, const StateView& state, uint64_t h);
  Status PlanSubmissions(const Task& task, const StateView& state);
  Status PlanAggregate(const Task& task, const StateView& state);
  Status PlanEvaluations(const Task& task, const StateView& state);

  FlSpec spec_;
  std::string chain_id_;
  uint64_t last_block_;
  Rng rng_;
  TxSink& sink_;
  Party aggregator_;
  std::vector<Party> evaluators_;
  std::vector<FlClient> clients_;
  std::map<Address, size_t> client_by_addr_;
  std::vector<Task> tasks_;
  // Per client: accepted and refused submissions (filled from the block results).
  std::vector<uint64_t> submitted_, refused_;
};

}  // namespace metaledger::sim
