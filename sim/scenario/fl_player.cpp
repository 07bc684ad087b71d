#include "sim/scenario/fl_player.h"

#include <fmt/format.h>

#include <algorithm>

#include "contracts/queries.h"
#include "core/merkle.h"

namespace metaledger::sim {
namespace {

const char* BehaviourName(FlBehaviour b) {
  switch (b) {
    case FlBehaviour::kHonest:
      return "honest";
    case FlBehaviour::kFreeRiding:
      return "free-riding";
    case FlBehaviour::kPoisoning:
      return "poisoning";
  }
  return "?";
}

}  // namespace

FlPlayer::FlPlayer(const FlSpec& spec, const std::string& chain_id, uint64_t seed,
                   uint64_t last_block, TxSink& sink, Party aggregator,
                   std::vector<Party> evaluators, std::vector<FlClient> clients)
    : spec_(spec),
      chain_id_(chain_id),
      last_block_(last_block),
      rng_(seed ^ 0x666c2d726f756e64ULL),  // its own stream: FL draws do not shift the others
      sink_(sink),
      aggregator_(std::move(aggregator)),
      evaluators_(std::move(evaluators)),
      clients_(std::move(clients)),
      submitted_(clients_.size(), 0),
      refused_(clients_.size(), 0) {
  std::sort(evaluators_.begin(), evaluators_.end(),
            [](const Party& a, const Party& b) { return a.addr < b.addr; });
  for (size_t i = 0; i < clients_.size(); ++i) client_by_addr_[clients_[i].party.addr] = i;
  tasks_.push_back({"twin", Sha256(fmt::format("{}/fl-task/twin", chain_id_)), nullptr});
  tasks_.push_back({"avatar", Sha256(fmt::format("{}/fl-task/avatar", chain_id_)), nullptr});
}

uint64_t FlPlayer::playable_rounds() const {
  if (last_block_ < kFirstRoundHeight + kRoundBlocks - 1) return 0;
  uint64_t fit = (last_block_ - kFirstRoundHeight + 1) / kRoundBlocks;
  return std::min<uint64_t>(fit, spec_.rounds);
}

void FlPlayer::PlanSetup(const Party& twin_owner, const Party& avatar_owner,
                         const std::function<OnResult(std::string)>& expect) {
  tasks_[0].owner = &twin_owner;
  tasks_[1].owner = &avatar_owner;
  const ModelFamily families[] = {ModelFamily::TWIN, ModelFamily::AVATAR};
  for (size_t i = 0; i < tasks_.size(); ++i) {
    CreateFlTaskPayload p;
    p.task_id = tasks_[i].id;
    p.family = families[i];
    p.aggregator = aggregator_.addr;
    for (const Party& e : evaluators_) p.evaluators.push_back(e.addr);
    p.genesis_model_hash = Sha256(fmt::format("{}/{}-model/v0", chain_id_, tasks_[i].family));
    sink_.Submit(*tasks_[i].owner, p, expect("CREATE_FL_TASK " + tasks_[i].family));
  }
}

Status FlPlayer::Plan(uint64_t h, const StateView& state) {
  if (clients_.empty() || playable_rounds() == 0) return Status::Ok();
  if (h == 2) {
    for (const Task& t : tasks_) {
      for (const FlClient& c : clients_) sink_.Submit(c.party, EnrollClientPayload{t.id});
    }
    return Status::Ok();
  }
  if (h < kFirstRoundHeight) return Status::Ok();
  uint64_t round = (h - kFirstRoundHeight) / kRoundBlocks + 1;
  if (round > playable_rounds()) return Status::Ok();
  for (const Task& t : tasks_) {
    switch ((h - kFirstRoundHeight) % kRoundBlocks) {
      case 0:
        ML_RETURN_IF_ERROR(PlanOpen(t, state, h));
        break;
      case 1:
        ML_RETURN_IF_ERROR(PlanSubmissions(t, state));
        break;
      case 3:
        ML_RETURN_IF_ERROR(PlanAggregate(t, state));
        break;
      case 4:
        ML_RETURN_IF_ERROR(PlanEvaluations(t, state));
        break;
      default:
        break;  // 2: the submit window closes; 5: finalized in the end-of-block hook
    }
  }
  return Status::Ok();
}

Status FlPlayer::PlanOpen(const Task& t, const StateView& state, uint64_t h) {
  ML_ASSIGN_OR_RETURN(auto task, contracts::QueryFlTask(state, t.id));
  if (!task) return Status::FailedPrecondition(fmt::format("FL task {} was not created", t.family));
  OpenRoundPayload p;
  p.task_id = t.id;
  p.round = task->rounds + 1;
  p.base_model_hash = task->head_model;
  p.budget = spec_.budget_per_round;
  // Opened in h: submissions in h+1..h+2, aggregate by h+3, evaluations by h+4, finalized at
  // the end of h+5.
  p.submit_end_h = sink_.ChainHeight(h + 2);
  p.aggregate_end_h = sink_.ChainHeight(h + 3);
  p.eval_end_h = sink_.ChainHeight(h + 4);
  p.q_min_ppm = kQMinPpm;
  p.n_cap = kNCap;
  sink_.Submit(*t.owner, p);
  return Status::Ok();
}

Status FlPlayer::PlanSubmissions(const Task& t, const StateView& state) {
  ML_ASSIGN_OR_RETURN(auto task, contracts::QueryFlTask(state, t.id));
  if (!task || task->rounds == 0) return Status::Ok();
  ML_ASSIGN_OR_RETURN(auto round, contracts::QueryFlRound(state, t.id, task->rounds));
  if (!round || round->status != contracts::RoundStatus::OPEN) return Status::Ok();
  for (size_t i = 0; i < clients_.size(); ++i) {
    const FlClient& c = clients_[i];
    SubmitUpdatePayload p;
    p.task_id = t.id;
    p.round = task->rounds;
    p.base_model_hash = round->base_model;
    p.update_hash = Sha256(fmt::format("{}/{}/update/{}/{}/{}", chain_id_, t.family, p.round,
                                       c.party.name, BehaviourName(c.behaviour)));
    // Honest clients report what they trained on; the others claim the cap to maximise pay.
    p.n_samples = c.behaviour == FlBehaviour::kHonest ? rng_.Between(200, 1500) : kNCap;
    sink_.Submit(c.party, p, [this, i](ErrorCode code) {
      ++(code == ErrorCode::OK ? submitted_ : refused_)[i];
    });
  }
  return Status::Ok();
}

Status FlPlayer::PlanAggregate(const Task& t, const StateView& state) {
  ML_ASSIGN_OR_RETURN(auto task, contracts::QueryFlTask(state, t.id));
  if (!task || task->rounds == 0) return Status::Ok();
  ML_ASSIGN_OR_RETURN(auto round, contracts::QueryFlRound(state, t.id, task->rounds));
  if (!round || round->status != contracts::RoundStatus::OPEN || round->submitters.empty()) {
    return Status::Ok();  // nobody submitted: the round fails and its budget carries
  }
  PublishAggregatePayload p;
  p.task_id = t.id;
  p.round = task->rounds;
  p.included = round->submitters;  // sorted by the contract
  std::vector<Hash256> leaves;
  for (const Address& a : p.included) {
    ML_ASSIGN_OR_RETURN(auto sub, contracts::QueryFlSubmission(state, t.id, p.round, a));
    if (!sub) return Status::Corruption("FL round lists a submitter without a submission");
    leaves.push_back(sub->update_hash);
  }
  p.included_root = MerkleRoot(leaves);
  p.global_hash = Sha256(fmt::format("{}/{}-model/v{}", chain_id_, t.family, p.round));
  sink_.Submit(aggregator_, p);
  return Status::Ok();
}

Status FlPlayer::PlanEvaluations(const Task& t, const StateView& state) {
  ML_ASSIGN_OR_RETURN(auto task, contracts::QueryFlTask(state, t.id));
  if (!task || task->rounds == 0) return Status::Ok();
  ML_ASSIGN_OR_RETURN(auto round, contracts::QueryFlRound(state, t.id, task->rounds));
  if (!round || !round->aggregated || round->status != contracts::RoundStatus::OPEN) {
    return Status::Ok();
  }
  for (const Party& e : evaluators_) {
    SubmitEvaluationPayload p;
    p.task_id = t.id;
    p.round = task->rounds;
    // Each round improves the model a little; evaluators measure it with some noise.
    p.global_acc_bps =
        static_cast<uint32_t>(std::min<uint64_t>(10'000, 7'000 + 150 * p.round + rng_.Below(100)));
    for (const Address& a : round->included) {
      auto it = client_by_addr_.find(a);
      FlBehaviour b =
          it == client_by_addr_.end() ? FlBehaviour::kHonest : clients_[it->second].behaviour;
      uint32_t q = 0;
      switch (b) {
        case FlBehaviour::kHonest:
          q = static_cast<uint32_t>(rng_.Between(550'000, 950'000));
          break;
        // A no-op update contributes (almost) nothing on the evaluation set.
        case FlBehaviour::kFreeRiding:
          q = static_cast<uint32_t>(rng_.Below(kQMinPpm / 2));
          break;
        // A poisoned update can look fine on accuracy; the evaluators' checks flag it.
        case FlBehaviour::kPoisoning:
          q = static_cast<uint32_t>(rng_.Between(300'000, 700'000));
          break;
      }
      p.scores.push_back({a, q});
      if (b == FlBehaviour::kPoisoning) p.flags.push_back({a, EvalFlag::MALICIOUS});
      if (b == FlBehaviour::kFreeRiding) p.flags.push_back({a, EvalFlag::FREERIDE});
    }
    sink_.Submit(e, p);
  }
  return Status::Ok();
}

Status FlPlayer::Finish(const StateView& state, ScenarioReport& report) const {
  uint64_t budgets = 0, paid = 0, carry = 0;
  for (const Task& t : tasks_) {
    FlTaskOutcome o;
    o.family = t.family;
    ML_ASSIGN_OR_RETURN(auto task, contracts::QueryFlTask(state, t.id));
    if (!task) continue;
    o.rounds = task->rounds;
    o.head_acc_bps = task->head_acc_bps;
    o.carry = task->carry;
    for (uint64_t r = 1; r <= task->rounds; ++r) {
      ML_ASSIGN_OR_RETURN(auto round, contracts::QueryFlRound(state, t.id, r));
      if (!round) return Status::Corruption("FL task counts a round that is missing");
      o.budgets += round->budget;
      o.paid += round->paid;
      switch (round->status) {
        case contracts::RoundStatus::APPROVED:
          ++o.approved;
          break;
        case contracts::RoundStatus::REJECTED:
          ++o.rejected;
          break;
        case contracts::RoundStatus::FAILED:
          ++o.failed;
          break;
        case contracts::RoundStatus::OPEN:
          o.carry += round->budget;
          break;  // still escrowed
      }
    }
    budgets += o.budgets;
    paid += o.paid;
    carry += o.carry;
    report.fl_tasks.push_back(o);
  }
  uint64_t claimable = 0;
  for (FlBehaviour b : {FlBehaviour::kHonest, FlBehaviour::kFreeRiding, FlBehaviour::kPoisoning}) {
    FlClassOutcome c;
    c.behaviour = BehaviourName(b);
    bool first = true;
    for (size_t i = 0; i < clients_.size(); ++i) {
      if (clients_[i].behaviour != b) continue;
      ++c.clients;
      c.submitted += submitted_[i];
      c.refused += refused_[i];
      ML_ASSIGN_OR_RETURN(uint64_t earned,
                          contracts::QueryClaimable(state, clients_[i].party.addr));
      for (const Task& t : tasks_) {
        ML_ASSIGN_OR_RETURN(auto task, contracts::QueryFlTask(state, t.id));
        for (uint64_t r = 1; task && r <= task->rounds; ++r) {
          ML_ASSIGN_OR_RETURN(auto sub,
                              contracts::QueryFlSubmission(state, t.id, r, clients_[i].party.addr));
          if (sub && sub->flagged) ++c.flagged;
        }
      }
      c.earned += earned;
      claimable += earned;
      c.min_per_client = first ? earned : std::min(c.min_per_client, earned);
      c.max_per_client = std::max(c.max_per_client, earned);
      first = false;
    }
    report.fl_classes.push_back(c);
  }
  report.fl_conserves = budgets == paid + carry && paid == claimable;
  uint64_t playable = playable_rounds();
  if (clients_.empty() || spec_.rounds == 0) {
    report.fl_note = "no FL clients or rounds in this scenario";
  } else if (playable < spec_.rounds) {
    report.fl_note = fmt::format("{} of {} rounds per task fit into {} blocks ({} blocks a round)",
                                 playable, spec_.rounds, last_block_, kRoundBlocks);
  } else {
    report.fl_note = fmt::format("{} rounds per task ({} blocks a round)", playable, kRoundBlocks);
  }
  return Status::Ok();
}

}  // namespace metaledger::sim
