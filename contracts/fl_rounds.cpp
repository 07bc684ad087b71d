#include "contracts/fl_rounds.h"

#include <algorithm>

#include "contracts/accounts.h"
#include "contracts/checked_math.h"
#include "contracts/model_registry.h"
#include "contracts/reputation.h"
#include "core/merkle.h"

// GCC 12 reports a false maybe-uninitialized inside std::optional<vector> moves at -O2.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace metaledger::contracts {
namespace {

void EncodeAddresses(Writer& w, const std::vector<Address>& v) {
  w.Varint(v.size());
  for (const Address& a : v) w.Fixed(a);
}

std::vector<Address> DecodeAddresses(Reader& r, std::string_view what) {
  std::vector<Address> v;
  uint64_t n = r.VarintMax(kMaxPayloadList, what);
  for (uint64_t i = 0; i < n && r.ok(); ++i) v.push_back(r.Fixed<20>());
  return v;
}

template <typename T, typename Key>
bool StrictlySortedBy(const std::vector<T>& v, Key key) {
  for (size_t i = 1; i < v.size(); ++i) {
    if (!(key(v[i - 1]) < key(v[i]))) return false;
  }
  return true;
}

}  // namespace

void FlRoundRecord::Encode(Writer& w) const {
  w.Fixed(opener).Fixed(base_model).Varint(budget).Varint(opened_h).Varint(submit_end_h);
  w.Varint(aggregate_end_h).Varint(eval_end_h).Varint(q_min_ppm).Varint(n_cap);
  w.U8(static_cast<uint8_t>(status));
  EncodeAddresses(w, submitters);
  w.Bool(aggregated).Fixed(global_model);
  EncodeAddresses(w, included);
  w.Varint(evaluations).Varint(median_acc_bps).Varint(paid).Varint(carried);
}

FlRoundRecord FlRoundRecord::DecodeFrom(Reader& r) {
  FlRoundRecord x;
  x.opener = r.Fixed<20>();
  x.base_model = r.Fixed<32>();
  x.budget = r.Varint();
  x.opened_h = r.Varint();
  x.submit_end_h = r.Varint();
  x.aggregate_end_h = r.Varint();
  x.eval_end_h = r.Varint();
  x.q_min_ppm = static_cast<uint32_t>(r.VarintMax(kPpm, "q_min_ppm"));
  x.n_cap = r.Varint();
  x.status = static_cast<RoundStatus>(r.U8());
  x.submitters = DecodeAddresses(r, "submitters");
  x.aggregated = r.Bool();
  x.global_model = r.Fixed<32>();
  x.included = DecodeAddresses(r, "included");
  x.evaluations = r.Varint();
  x.median_acc_bps = r.Varint();
  x.paid = r.Varint();
  x.carried = r.Varint();
  return x;
}

void FlSubmissionRecord::Encode(Writer& w) const {
  w.Fixed(update_hash).Varint(n_samples).Bool(duplicate).Varint(q_ppm).Bool(flagged);
  w.Varint(score).Varint(reward);
}

FlSubmissionRecord FlSubmissionRecord::DecodeFrom(Reader& r) {
  FlSubmissionRecord x;
  x.update_hash = r.Fixed<32>();
  x.n_samples = r.Varint();
  x.duplicate = r.Bool();
  x.q_ppm = r.Varint();
  x.flagged = r.Bool();
  x.score = r.Varint();
  x.reward = r.Varint();
  return x;
}

void FlEvaluationRecord::Encode(Writer& w) const {
  w.Varint(scores.size());
  for (const ClientScore& s : scores) w.Fixed(s.client).Varint(s.q_ppm);
  w.Varint(global_acc_bps).Varint(flags.size());
  for (const ClientFlag& f : flags) w.Fixed(f.client).U8(static_cast<uint8_t>(f.flag));
}

FlEvaluationRecord FlEvaluationRecord::DecodeFrom(Reader& r) {
  FlEvaluationRecord x;
  uint64_t n = r.VarintMax(kMaxPayloadList, "scores");
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    ClientScore s;
    s.client = r.Fixed<20>();
    s.q_ppm = static_cast<uint32_t>(r.VarintMax(kPpm, "q_ppm"));
    x.scores.push_back(s);
  }
  x.global_acc_bps = static_cast<uint32_t>(r.VarintMax(10'000, "global_acc_bps"));
  uint64_t m = r.VarintMax(kMaxPayloadList, "flags");
  for (uint64_t i = 0; i < m && r.ok(); ++i) {
    ClientFlag f;
    f.client = r.Fixed<20>();
    f.flag = static_cast<EvalFlag>(r.U8());
    x.flags.push_back(f);
  }
  return x;
}

uint64_t MedianFloor(std::vector<uint64_t> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t mid = v.size() / 2;
  if (v.size() % 2 == 1) return v[mid];
  return static_cast<uint64_t>((static_cast<u128>(v[mid - 1]) + v[mid]) / 2);
}

uint64_t FlClientScore(uint64_t q_ppm, uint64_t n_samples, uint64_t n_cap, uint64_t rep_ppm) {
  if (n_cap == 0) return 0;
  u128 s = q_ppm;
  s = MulDiv128(s, std::min(n_samples, n_cap), n_cap);
  s = MulDiv128(s, rep_ppm, kPpm);
  return static_cast<uint64_t>(s);  // <= q_ppm <= PPM
}

namespace {

struct RoundRef {
  FlTaskRecord task;
  FlRoundRecord round;
};

// Loads the task and the named round; NOT_FOUND when either is missing.
Result<std::optional<RoundRef>> LoadRound(const Ctx& ctx, const Hash256& task_id, uint64_t round) {
  ML_ASSIGN_OR_RETURN(std::optional<FlTaskRecord> t, ctx.Get<FlTaskRecord>(keys::FlTask(task_id)));
  if (!t) return std::optional<RoundRef>();
  ML_ASSIGN_OR_RETURN(std::optional<FlRoundRecord> r,
                      ctx.Get<FlRoundRecord>(keys::FlRound(task_id, round)));
  if (!r) return std::optional<RoundRef>();
  return std::optional<RoundRef>(RoundRef{std::move(*t), std::move(*r)});
}

bool IsEvaluator(const FlTaskRecord& t, const Address& a) {
  return std::binary_search(t.evaluators.begin(), t.evaluators.end(), a);
}

}  // namespace

Outcome HandleEnrollClient(Ctx& ctx, const EnrollClientPayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<FlTaskRecord> t,
                      ctx.Get<FlTaskRecord>(keys::FlTask(p.task_id)));
  CT_REQUIRE(t, NOT_FOUND);
  Bytes key = keys::FlEnrolled(p.task_id, ctx.sender);
  ML_ASSIGN_OR_RETURN(uint64_t enrolled, ctx.GetU64(key));
  CT_REQUIRE(enrolled == 0, ALREADY_EXISTS);
  ctx.PutU64(key, 1);
  ctx.Emit("fl.enrolled", {{"task", p.task_id.Hex()}, {"client", ctx.sender.Hex()}});
  return ErrorCode::OK;
}

Outcome HandleOpenRound(Ctx& ctx, const OpenRoundPayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<FlTaskRecord> t,
                      ctx.Get<FlTaskRecord>(keys::FlTask(p.task_id)));
  CT_REQUIRE(t, NOT_FOUND);
  CT_REQUIRE(p.round == t->rounds + 1, BAD_ARGUMENT);
  if (t->rounds > 0) {
    ML_ASSIGN_OR_RETURN(std::optional<FlRoundRecord> prev,
                        ctx.Get<FlRoundRecord>(keys::FlRound(p.task_id, t->rounds)));
    CT_REQUIRE(prev && prev->status != RoundStatus::OPEN, WRONG_PHASE);
  }
  CT_REQUIRE(p.base_model_hash == t->head_model, STALE_BASE);
  ML_ASSIGN_OR_RETURN(std::optional<ModelRecord> base, LoadModel(ctx, p.base_model_hash));
  CT_REQUIRE(base, BAD_PARENT);
  CT_REQUIRE(base->status != ModelStatus::REVOKED, MODEL_REVOKED);
  const uint64_t h = ctx.height();
  CT_REQUIRE(p.submit_end_h > h && p.aggregate_end_h > p.submit_end_h &&
                 p.eval_end_h > p.aggregate_end_h && p.eval_end_h < UINT64_MAX,
             BAD_DEADLINES);
  CT_REQUIRE(p.n_cap >= 1, BAD_ARGUMENT);
  if (p.budget > 0) CT_STEP(ToHeld(ctx, ctx.sender, p.budget));
  FlRoundRecord r;
  r.opener = ctx.sender;
  r.base_model = p.base_model_hash;
  r.budget = p.budget;
  r.opened_h = h;
  r.submit_end_h = p.submit_end_h;
  r.aggregate_end_h = p.aggregate_end_h;
  r.eval_end_h = p.eval_end_h;
  r.q_min_ppm = p.q_min_ppm;
  r.n_cap = p.n_cap;
  ctx.Put(keys::FlRound(p.task_id, p.round), r);
  t->rounds = p.round;
  ctx.Put(keys::FlTask(p.task_id), *t);
  // One open round per task, so the task id names the round to finalize.
  ML_RETURN_IF_ERROR(ctx.AddDue("flround", p.eval_end_h + 1, p.task_id));
  ctx.Emit("fl.round_opened", {{"task", p.task_id.Hex()},
                               {"round", std::to_string(p.round)},
                               {"budget", std::to_string(p.budget)}});
  return ErrorCode::OK;
}

Outcome HandleSubmitUpdate(Ctx& ctx, const SubmitUpdatePayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<RoundRef> ref, LoadRound(ctx, p.task_id, p.round));
  CT_REQUIRE(ref, NOT_FOUND);
  FlRoundRecord& r = ref->round;
  ML_ASSIGN_OR_RETURN(uint64_t enrolled, ctx.GetU64(keys::FlEnrolled(p.task_id, ctx.sender)));
  CT_REQUIRE(enrolled != 0, NOT_ENROLLED);
  ML_ASSIGN_OR_RETURN(uint64_t rep, ReputationPpmOf(ctx, ctx.sender, Role::FL_CLIENT));
  CT_REQUIRE(rep >= ctx.params().REP_MIN_PPM, LOW_REPUTATION);
  CT_REQUIRE(r.status == RoundStatus::OPEN && ctx.height() <= r.submit_end_h, LATE);
  CT_REQUIRE(p.base_model_hash == r.base_model, STALE_BASE);
  CT_REQUIRE(p.n_samples > 0, BAD_ARGUMENT);
  Bytes sub_key = keys::FlSubmission(p.task_id, p.round, ctx.sender);
  ML_ASSIGN_OR_RETURN(std::optional<FlSubmissionRecord> mine, ctx.Get<FlSubmissionRecord>(sub_key));
  CT_REQUIRE(!mine, DUP_SUBMISSION);
  // Resubmitting the base model is no update at all.
  CT_REQUIRE(p.update_hash != r.base_model, DUP_UPDATE_HASH);

  FlSubmissionRecord s;
  s.update_hash = p.update_hash;
  s.n_samples = p.n_samples;
  Bytes hash_key = keys::FlUpdateHash(p.task_id, p.round, p.update_hash);
  ML_ASSIGN_OR_RETURN(std::optional<IdList<20>> holders, ctx.Get<IdList<20>>(hash_key));
  if (holders) {
    // The contract cannot tell the author from the copier, so the first copy flags both
    // submitters DUPLICATE (neither is paid); further copies are refused outright.
    CT_REQUIRE(holders->ids.size() == 1, DUP_UPDATE_HASH);
    Bytes first_key = keys::FlSubmission(p.task_id, p.round, holders->ids[0]);
    ML_ASSIGN_OR_RETURN(std::optional<FlSubmissionRecord> first,
                        ctx.Get<FlSubmissionRecord>(first_key));
    if (!first) return Status::Corruption("FL update-hash index names a missing submission");
    first->duplicate = true;
    ctx.Put(first_key, *first);
    s.duplicate = true;
    ctx.Emit("fl.duplicate_update", {{"task", p.task_id.Hex()},
                                     {"round", std::to_string(p.round)},
                                     {"first", holders->ids[0].Hex()},
                                     {"second", ctx.sender.Hex()}});
  }
  IdList<20> list = holders ? std::move(*holders) : IdList<20>{};
  list.Insert(ctx.sender);
  ctx.Put(hash_key, list);
  ctx.Put(sub_key, s);
  r.submitters.insert(std::lower_bound(r.submitters.begin(), r.submitters.end(), ctx.sender),
                      ctx.sender);
  ctx.Put(keys::FlRound(p.task_id, p.round), r);
  ctx.Emit("fl.update_submitted", {{"task", p.task_id.Hex()},
                                   {"round", std::to_string(p.round)},
                                   {"client", ctx.sender.Hex()},
                                   {"update_hash", p.update_hash.Hex()}});
  return ErrorCode::OK;
}

Outcome HandlePublishAggregate(Ctx& ctx, const PublishAggregatePayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<RoundRef> ref, LoadRound(ctx, p.task_id, p.round));
  CT_REQUIRE(ref, NOT_FOUND);
  FlRoundRecord& r = ref->round;
  CT_REQUIRE(ctx.sender == ref->task.aggregator, NOT_AGGREGATOR);
  CT_REQUIRE(r.status == RoundStatus::OPEN && ctx.height() > r.submit_end_h, WRONG_PHASE);
  CT_REQUIRE(ctx.height() <= r.aggregate_end_h, LATE);
  CT_REQUIRE(!r.aggregated, ALREADY_EXISTS);
  CT_REQUIRE(
      !p.included.empty() && StrictlySortedBy(p.included, [](const Address& a) { return a; }),
      BAD_ARGUMENT);
  std::vector<Hash256> leaves;
  leaves.reserve(p.included.size());
  for (const Address& client : p.included) {
    ML_ASSIGN_OR_RETURN(
        std::optional<FlSubmissionRecord> s,
        ctx.Get<FlSubmissionRecord>(keys::FlSubmission(p.task_id, p.round, client)));
    CT_REQUIRE(s, NOT_IN_SUBMISSIONS);
    leaves.push_back(s->update_hash);
  }
  CT_REQUIRE(MerkleRoot(leaves) == p.included_root, ROOT_MISMATCH);
  ML_ASSIGN_OR_RETURN(std::optional<ModelRecord> existing, LoadModel(ctx, p.global_hash));
  CT_REQUIRE(!existing, DUP_MODEL);
  // The round trains on its base; a base revoked since the round opened cannot be a parent.
  ML_ASSIGN_OR_RETURN(std::optional<ModelRecord> base, LoadModel(ctx, r.base_model));
  CT_REQUIRE(base && base->status == ModelStatus::APPROVED, BAD_PARENT);

  ModelRecord m;
  m.task_id = p.task_id;
  m.family = ref->task.family;
  m.parent = r.base_model;
  m.round = p.round;
  m.status = ModelStatus::PENDING;
  m.registered_h = ctx.height();
  ctx.Put(keys::Model(p.global_hash), m);
  r.aggregated = true;
  r.global_model = p.global_hash;
  r.included = p.included;
  ctx.Put(keys::FlRound(p.task_id, p.round), r);
  ctx.Emit("fl.aggregate_published", {{"task", p.task_id.Hex()},
                                      {"round", std::to_string(p.round)},
                                      {"model", p.global_hash.Hex()},
                                      {"included", std::to_string(p.included.size())}});
  return ErrorCode::OK;
}

Outcome HandleSubmitEvaluation(Ctx& ctx, const SubmitEvaluationPayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<RoundRef> ref, LoadRound(ctx, p.task_id, p.round));
  CT_REQUIRE(ref, NOT_FOUND);
  FlRoundRecord& r = ref->round;
  CT_REQUIRE(IsEvaluator(ref->task, ctx.sender), UNAUTHORIZED);
  CT_REQUIRE(!std::binary_search(r.submitters.begin(), r.submitters.end(), ctx.sender),
             EVALUATOR_CONFLICT);
  CT_REQUIRE(r.status == RoundStatus::OPEN && r.aggregated, WRONG_PHASE);
  CT_REQUIRE(ctx.height() <= r.eval_end_h, LATE);
  Bytes key = keys::FlEvaluation(p.task_id, p.round, ctx.sender);
  ML_ASSIGN_OR_RETURN(std::optional<FlEvaluationRecord> prior, ctx.Get<FlEvaluationRecord>(key));
  CT_REQUIRE(!prior, DUP_EVAL);
  CT_REQUIRE(p.global_acc_bps <= 10'000, SCORE_RANGE);
  for (const ClientScore& s : p.scores) CT_REQUIRE(s.q_ppm <= kPpm, SCORE_RANGE);
  // Exactly one score per included client, in client order.
  CT_REQUIRE(p.scores.size() == r.included.size(), BAD_ARGUMENT);
  for (size_t i = 0; i < p.scores.size(); ++i) {
    CT_REQUIRE(p.scores[i].client == r.included[i], BAD_ARGUMENT);
  }
  CT_REQUIRE(StrictlySortedBy(p.flags, [](const ClientFlag& f) { return f.client; }), BAD_ARGUMENT);
  for (const ClientFlag& f : p.flags) {
    CT_REQUIRE(std::binary_search(r.included.begin(), r.included.end(), f.client), BAD_ARGUMENT);
  }
  ctx.Put(key, FlEvaluationRecord{p.scores, p.global_acc_bps, p.flags});
  ++r.evaluations;
  ctx.Put(keys::FlRound(p.task_id, p.round), r);
  ctx.Emit("fl.evaluated", {{"task", p.task_id.Hex()},
                            {"round", std::to_string(p.round)},
                            {"evaluator", ctx.sender.Hex()},
                            {"acc_bps", std::to_string(p.global_acc_bps)}});
  return ErrorCode::OK;
}

namespace {

Status Internal(Outcome o, std::string_view what) {
  if (!o.ok()) return o.status();
  if (*o != ErrorCode::OK) {
    return Status::Internal(std::string(what) + ": " + std::string(ToString(*o)));
  }
  return Status::Ok();
}

// Pays the approved round's clients from pot = budget + carry and updates reputations.
Status RewardClients(Ctx& ctx, const Hash256& task_id, uint64_t round, FlTaskRecord& t,
                     FlRoundRecord& r, const std::vector<FlEvaluationRecord>& evals, bool pay) {
  const uint64_t quorum = TwoThirdsCeil(t.evaluators.size());
  struct Client {
    Address addr;
    FlSubmissionRecord sub;
  };
  std::vector<Client> clients;
  u128 total = 0;
  for (size_t i = 0; i < r.included.size(); ++i) {
    const Address& a = r.included[i];
    Bytes key = keys::FlSubmission(task_id, round, a);
    ML_ASSIGN_OR_RETURN(std::optional<FlSubmissionRecord> s, ctx.Get<FlSubmissionRecord>(key));
    if (!s) return Status::Corruption("included FL client has no submission");
    std::vector<uint64_t> qs;
    uint64_t flags = 0;
    for (const FlEvaluationRecord& e : evals) {
      qs.push_back(e.scores[i].q_ppm);  // scores are aligned with `included`
      auto it =
          std::lower_bound(e.flags.begin(), e.flags.end(), a,
                           [](const ClientFlag& f, const Address& x) { return f.client < x; });
      if (it != e.flags.end() && it->client == a) ++flags;
    }
    s->q_ppm = MedianFloor(std::move(qs));
    s->flagged = flags >= quorum;
    ML_ASSIGN_OR_RETURN(uint64_t rep, ReputationPpmOf(ctx, a, Role::FL_CLIENT));
    bool zero = s->flagged || s->duplicate || s->q_ppm < r.q_min_ppm;
    s->score = zero ? 0 : FlClientScore(s->q_ppm, s->n_samples, r.n_cap, rep);
    total += s->score;
    clients.push_back({a, std::move(*s)});
  }
  uint64_t pot = 0;
  if (pay) {
    auto p = CheckedAdd(r.budget, t.carry);
    if (!p) return Status::Internal("FL pot overflows u64");
    pot = *p;
  }
  uint64_t paid = 0;
  for (Client& c : clients) {
    if (pay && total > 0 && c.sub.score > 0) {
      c.sub.reward = static_cast<uint64_t>(static_cast<u128>(pot) * c.sub.score / total);
      if (c.sub.reward > 0) {
        ML_RETURN_IF_ERROR(Internal(AddClaimable(ctx, c.addr, c.sub.reward), "FL reward"));
        paid += c.sub.reward;
      }
    }
    ctx.Put(keys::FlSubmission(task_id, round, c.addr), c.sub);
    bool bad = c.sub.flagged || c.sub.duplicate;
    ML_RETURN_IF_ERROR(ApplyReputation(
        ctx, c.addr, Role::FL_CLIENT, bad ? ReputationEvent::kNegative : ReputationEvent::kPositive,
        c.sub.q_ppm));
    ctx.Emit("fl.client_scored", {{"task", task_id.Hex()},
                                  {"round", std::to_string(round)},
                                  {"client", c.addr.Hex()},
                                  {"q_ppm", std::to_string(c.sub.q_ppm)},
                                  {"flagged", c.sub.flagged ? "true" : "false"},
                                  {"duplicate", c.sub.duplicate ? "true" : "false"},
                                  {"reward", std::to_string(c.sub.reward)}});
  }
  if (pay) {
    r.paid = paid;
    t.carry = pot - paid;  // Σ pay <= pot since Σ s_i = total
  } else {
    auto carry = CheckedAdd(t.carry, r.budget);
    if (!carry) return Status::Internal("FL carry overflows u64");
    t.carry = *carry;
  }
  return Status::Ok();
}

Status FinalizeRound(Ctx& ctx, const Hash256& task_id) {
  ML_ASSIGN_OR_RETURN(std::optional<FlTaskRecord> t, ctx.Get<FlTaskRecord>(keys::FlTask(task_id)));
  if (!t) return Status::Corruption("due FL task missing");
  const uint64_t round = t->rounds;
  ML_ASSIGN_OR_RETURN(std::optional<FlRoundRecord> r,
                      ctx.Get<FlRoundRecord>(keys::FlRound(task_id, round)));
  if (!r || r->status != RoundStatus::OPEN) return Status::Corruption("due FL round not open");
  std::vector<FlEvaluationRecord> evals;
  for (const Address& e : t->evaluators) {
    ML_ASSIGN_OR_RETURN(std::optional<FlEvaluationRecord> ev,
                        ctx.Get<FlEvaluationRecord>(keys::FlEvaluation(task_id, round, e)));
    if (ev) evals.push_back(std::move(*ev));
  }
  if (!r->aggregated || evals.size() < TwoThirdsCeil(t->evaluators.size())) {
    r->status = RoundStatus::FAILED;
    auto carry = CheckedAdd(t->carry, r->budget);
    if (!carry) return Status::Internal("FL carry overflows u64");
    t->carry = *carry;
  } else {
    std::vector<uint64_t> accs;
    for (const FlEvaluationRecord& e : evals) accs.push_back(e.global_acc_bps);
    r->median_acc_bps = MedianFloor(std::move(accs));
    const ChainParams& params = ctx.params();
    bool approved = r->median_acc_bps >= params.ACC_MIN_BPS &&
                    r->median_acc_bps + params.ACC_REGRESSION_TOL_BPS >= t->head_acc_bps;
    ML_ASSIGN_OR_RETURN(std::optional<ModelRecord> m, LoadModel(ctx, r->global_model));
    if (!m) return Status::Corruption("FL round model missing");
    // A model revoked while pending stays revoked and earns nothing.
    approved = approved && m->status == ModelStatus::PENDING;
    if (m->status == ModelStatus::PENDING) {
      m->status = approved ? ModelStatus::APPROVED : ModelStatus::REJECTED;
    }
    m->acc_bps = r->median_acc_bps;
    ctx.Put(keys::Model(r->global_model), *m);
    r->status = approved ? RoundStatus::APPROVED : RoundStatus::REJECTED;
    if (approved) {
      t->head_model = r->global_model;
      t->head_acc_bps = r->median_acc_bps;
    }
    ML_RETURN_IF_ERROR(RewardClients(ctx, task_id, round, *t, *r, evals, approved));
  }
  r->carried = t->carry;
  ctx.Put(keys::FlRound(task_id, round), *r);
  ctx.Put(keys::FlTask(task_id), *t);
  static constexpr std::string_view kNames[] = {"OPEN", "APPROVED", "REJECTED", "FAILED"};
  ctx.Emit("fl.round_finalized", {{"task", task_id.Hex()},
                                  {"round", std::to_string(round)},
                                  {"status", std::string(kNames[static_cast<int>(r->status)])},
                                  {"evaluations", std::to_string(evals.size())},
                                  {"paid", std::to_string(r->paid)},
                                  {"carried", std::to_string(r->carried)}});
  return Status::Ok();
}

}  // namespace

Status FinalizeFlRounds(Ctx& ctx) {
  ML_ASSIGN_OR_RETURN(std::vector<Hash256> due, ctx.TakeDue("flround", ctx.height()));
  for (const Hash256& task_id : due) ML_RETURN_IF_ERROR(FinalizeRound(ctx, task_id));
  return Status::Ok();
}

}  // namespace metaledger::contracts
