#pragma once
// Twin synchronization gate (spec section 7). A twin advances only through updates that extend
// its head, use an APPROVED model of its family, and inputs that exist, are not voided, overlap
// its area, permit TWIN_SYNC and are fresh by time and by height; the newest input must be newer
// than anything the twin has used. Voiding an input or revoking a model later taints the
// updates that used it and marks the twin REQUIRES_RESYNC until its next valid update.
#include <cstdint>
#include <vector>

#include "contracts/context.h"
#include "core/payload/payloads.h"

namespace metaledger::contracts {

struct TwinRecord {
  Address vsp;
  uint32_t twin_class = 0;
  std::vector<uint64_t> cells;
  uint64_t max_aoi_ms = 0;
  ModelFamily family = ModelFamily::TWIN;
  std::vector<Address> operators;
  uint64_t head_seq = 0;
  Hash256 head_state_hash;
  bool has_input = false;
  uint64_t freshest_input_ts = 0;
  uint64_t last_sync_h = 0;
  bool requires_resync = false;
  void Encode(Writer& w) const;
  static TwinRecord DecodeFrom(Reader& r);
  bool operator==(const TwinRecord&) const = default;
};

struct TwinUpdateRecord {
  Hash256 twin_id;
  uint64_t seq = 0;
  Hash256 prev_state_hash;
  Hash256 new_state_hash;
  Hash256 model_id;
  std::vector<Hash256> inputs;
  Address submitter;
  uint64_t height = 0;
  bool tainted = false;
  void Encode(Writer& w) const;
  static TwinUpdateRecord DecodeFrom(Reader& r);
  bool operator==(const TwinUpdateRecord&) const = default;
};

// The id under which an update is listed as a user of its inputs and model.
Hash256 TwinUpdateId(const Hash256& twin_id, uint64_t seq);

Outcome HandleRegisterTwin(Ctx& ctx, const RegisterTwinPayload& p);
Outcome HandleTwinUpdate(Ctx& ctx, const TwinUpdatePayload& p);
// Taints every twin update that used `id` (a dataset or model) and flags its twin.
Status TaintUsersOf(Ctx& ctx, const Hash256& id);

}  // namespace metaledger::contracts
