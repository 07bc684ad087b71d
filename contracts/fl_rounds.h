#pragma once
// Federated-learning rounds (spec sections 2 and 3). The contract never judges a model: clients
// commit update hashes, the task's aggregator publishes the global model hash and the clients it
// included, the evaluator committee posts scores, accuracy and flags, and the round is finalized
// from medians in the end-of-block hook at eval_end_h + 1:
//   fewer than ⌈2E/3⌉ evaluations       -> FAILED, the budget carries, the model stays PENDING;
//   median(acc) >= ACC_MIN_BPS and median(acc) + ACC_REGRESSION_TOL_BPS >= head acc -> APPROVED
//   (the model becomes the task's head), else REJECTED (pays nothing, the budget carries);
//   q_i = median of the evaluators' scores (even count: floor of the mean of the middle two);
//   s_i = 0 if flagged by ⌈2E/3⌉ evaluators, DUPLICATE, or q_i < q_min, else
//   s_i = q_i * min(n_i, n_cap) / n_cap * R_i / PPM  (left to right in u128);
//   pay_i = floor(pot * s_i / Σ s), pot = budget + carry; the remainder carries.
// One round per task is open at a time; round r+1 opens after round r is finalized.
#include <cstdint>
#include <vector>

#include "contracts/context.h"
#include "core/payload/payloads.h"

namespace metaledger::contracts {

enum class RoundStatus : uint8_t { OPEN = 0, APPROVED = 1, REJECTED = 2, FAILED = 3 };

struct FlRoundRecord {
  Address opener;
  Hash256 base_model;
  uint64_t budget = 0;
  uint64_t opened_h = 0;
  uint64_t submit_end_h = 0;
  uint64_t aggregate_end_h = 0;
  uint64_t eval_end_h = 0;
  uint32_t q_min_ppm = 0;
  uint64_t n_cap = 1;
  RoundStatus status = RoundStatus::OPEN;
  std::vector<Address> submitters;  // sorted
  bool aggregated = false;
  Hash256 global_model;
  std::vector<Address> included;  // sorted
  uint64_t evaluations = 0;
  uint64_t median_acc_bps = 0;  // set at finalize (quorum reached)
  uint64_t paid = 0;            // set at finalize
  uint64_t carried = 0;         // the task's carry after finalize
  void Encode(Writer& w) const;
  static FlRoundRecord DecodeFrom(Reader& r);
  bool operator==(const FlRoundRecord&) const = default;
};

struct FlSubmissionRecord {
  Hash256 update_hash;
  uint64_t n_samples = 0;
  bool duplicate = false;  // another client submitted the same update hash in this round
  // Set at finalize for included clients:
  uint64_t q_ppm = 0;
  bool flagged = false;
  uint64_t score = 0;  // s_i
  uint64_t reward = 0;
  void Encode(Writer& w) const;
  static FlSubmissionRecord DecodeFrom(Reader& r);
  bool operator==(const FlSubmissionRecord&) const = default;
};

struct FlEvaluationRecord {
  std::vector<ClientScore> scores;
  uint32_t global_acc_bps = 0;
  std::vector<ClientFlag> flags;
  void Encode(Writer& w) const;
  static FlEvaluationRecord DecodeFrom(Reader& r);
  bool operator==(const FlEvaluationRecord&) const = default;
};

// Median of `v` (sorted in place); for an even count the floor of the mean of the middle two.
// 0 for an empty list.
uint64_t MedianFloor(std::vector<uint64_t> v);
// s_i = q * min(n, n_cap) / n_cap * R / PPM, left to right in u128 (0 when n_cap == 0).
uint64_t FlClientScore(uint64_t q_ppm, uint64_t n_samples, uint64_t n_cap, uint64_t rep_ppm);

Outcome HandleEnrollClient(Ctx& ctx, const EnrollClientPayload& p);
Outcome HandleOpenRound(Ctx& ctx, const OpenRoundPayload& p);
Outcome HandleSubmitUpdate(Ctx& ctx, const SubmitUpdatePayload& p);
Outcome HandlePublishAggregate(Ctx& ctx, const PublishAggregatePayload& p);
Outcome HandleSubmitEvaluation(Ctx& ctx, const SubmitEvaluationPayload& p);
// End-of-block: finalizes the rounds whose eval_end_h was the previous height.
Status FinalizeFlRounds(Ctx& ctx);

}  // namespace metaledger::contracts
