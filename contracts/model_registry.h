#pragma once
// Model registry (spec section 2, registry part): FL tasks with their aggregator and evaluator
// committee, and models with status PENDING / APPROVED / REJECTED / REVOKED. A task's genesis
// model is APPROVED on creation and is the task's head. REVOKED is terminal: a member revokes at
// once; the task's evaluators revoke by ⌈2E/3⌉ votes.
#include <cstdint>
#include <vector>

#include "contracts/context.h"
#include "core/payload/payloads.h"

namespace metaledger::contracts {

enum class ModelStatus : uint8_t { PENDING = 0, APPROVED = 1, REJECTED = 2, REVOKED = 3 };

struct FlTaskRecord {
  Address creator;
  ModelFamily family = ModelFamily::OTHER;
  Address aggregator;
  std::vector<Address> evaluators;
  Hash256 head_model;       // the current APPROVED head
  uint64_t head_acc_bps = 0;
  uint64_t rounds = 0;      // rounds opened so far
  uint64_t carry = 0;       // budget carried from failed/rejected rounds
  void Encode(Writer& w) const;
  static FlTaskRecord DecodeFrom(Reader& r);
  bool operator==(const FlTaskRecord&) const = default;
};

struct ModelRecord {
  Hash256 task_id;
  ModelFamily family = ModelFamily::OTHER;
  Hash256 parent;  // zero for a genesis model
  uint64_t round = 0;
  ModelStatus status = ModelStatus::PENDING;
  uint64_t acc_bps = 0;
  uint64_t registered_h = 0;
  uint64_t revoke_votes = 0;
  void Encode(Writer& w) const;
  static ModelRecord DecodeFrom(Reader& r);
  bool operator==(const ModelRecord&) const = default;
};

Result<std::optional<ModelRecord>> LoadModel(const Ctx& ctx, const Hash256& id);

Outcome HandleCreateFlTask(Ctx& ctx, const CreateFlTaskPayload& p);
Outcome HandleRevokeModel(Ctx& ctx, const RevokeModelPayload& p);

}  // namespace metaledger::contracts
