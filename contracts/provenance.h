#pragma once
// Dataset provenance (spec section 4): datasets with a device signature, lineage to parent
// datasets (a DAG by construction: parents must already exist), consent and purposes, voiding.
// Models and twin updates that use a dataset are recorded as its users.
#include <cstdint>
#include <vector>

#include "contracts/context.h"
#include "core/payload/payloads.h"

namespace metaledger::contracts {

enum class DatasetStatus : uint8_t { ACTIVE = 0, VOIDED = 1 };

struct DatasetRecord {
  Hash256 content_root;
  uint64_t byte_len = 0;
  std::string media_type;
  Hash256 schema_hash;
  Address owner;
  Address collector;
  std::vector<Hash256> parents;
  Derivation derivation = Derivation::RAW;
  uint64_t generation_ts_ms = 0;
  std::vector<uint64_t> cells;
  uint32_t licence_id = 0;
  Hash256 consent_ref;
  uint32_t purposes = 0;
  uint64_t registered_h = 0;
  uint64_t registered_ms = 0;  // T(h) at registration, for AoI at registration
  DatasetStatus status = DatasetStatus::ACTIVE;
  bool consent_revoked = false;
  bool ancestor_voided = false;  // marked when an ancestor is voided
  void Encode(Writer& w) const;
  static DatasetRecord DecodeFrom(Reader& r);
  bool operator==(const DatasetRecord&) const = default;
};

Result<std::optional<DatasetRecord>> LoadDataset(const Ctx& ctx, const Hash256& id);
// Records that a model or twin update (`user`, a 32-byte id) used the dataset.
Status AddDatasetUser(Ctx& ctx, const Hash256& data_id, const Hash256& user);
// True if a and b share a cell (both strictly sorted).
bool CellsOverlap(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);
bool StrictlySorted(const std::vector<uint64_t>& v);

Outcome HandleRegisterDataset(Ctx& ctx, const RegisterDatasetPayload& p);
Outcome HandleRevokeConsent(Ctx& ctx, const RevokeConsentPayload& p);
Outcome HandleVoidDataset(Ctx& ctx, const VoidDatasetPayload& p);

}  // namespace metaledger::contracts
