#include "contracts/provenance.h"

#include <algorithm>

#include "contracts/accounts.h"
#include "contracts/twin_sync.h"
#include "core/crypto/ed25519.h"
#include "core/payload/ids.h"

namespace metaledger::contracts {

void DatasetRecord::Encode(Writer& w) const {
  w.Fixed(content_root).Varint(byte_len).String(media_type).Fixed(schema_hash).Fixed(owner);
  w.Fixed(collector).Varint(parents.size());
  for (const Hash256& p : parents) w.Fixed(p);
  w.U8(static_cast<uint8_t>(derivation)).Varint(generation_ts_ms).Varint(cells.size());
  for (uint64_t c : cells) w.Varint(c);
  w.Varint(licence_id).Fixed(consent_ref).Varint(purposes).Varint(registered_h);
  w.Varint(registered_ms).U8(static_cast<uint8_t>(status)).Bool(consent_revoked);
  w.Bool(ancestor_voided);
}

DatasetRecord DatasetRecord::DecodeFrom(Reader& r) {
  DatasetRecord d;
  d.content_root = r.Fixed<32>();
  d.byte_len = r.Varint();
  d.media_type = r.String(kMaxPayloadString);
  d.schema_hash = r.Fixed<32>();
  d.owner = r.Fixed<20>();
  d.collector = r.Fixed<20>();
  uint64_t n = r.VarintMax(kMaxPayloadList, "parents");
  for (uint64_t i = 0; i < n && r.ok(); ++i) d.parents.push_back(r.Fixed<32>());
  d.derivation = static_cast<Derivation>(r.U8());
  d.generation_ts_ms = r.Varint();
  uint64_t m = r.VarintMax(kMaxPayloadList, "cells");
  for (uint64_t i = 0; i < m && r.ok(); ++i) d.cells.push_back(r.Varint());
  d.licence_id = static_cast<uint32_t>(r.Varint());
  d.consent_ref = r.Fixed<32>();
  d.purposes = static_cast<uint32_t>(r.Varint());
  d.registered_h = r.Varint();
  d.registered_ms = r.Varint();
  d.status = static_cast<DatasetStatus>(r.U8());
  d.consent_revoked = r.Bool();
  d.ancestor_voided = r.Bool();
  return d;
}

Result<std::optional<DatasetRecord>> LoadDataset(const Ctx& ctx, const Hash256& id) {
  return ctx.Get<DatasetRecord>(keys::Dataset(id));
}

Status AddDatasetUser(Ctx& ctx, const Hash256& data_id, const Hash256& user) {
  ML_ASSIGN_OR_RETURN(std::optional<IdList<32>> users,
                      ctx.Get<IdList<32>>(keys::DatasetUsers(data_id)));
  IdList<32> l = users ? std::move(*users) : IdList<32>{};
  l.Insert(user);
  ctx.Put(keys::DatasetUsers(data_id), l);
  return Status::Ok();
}

bool CellsOverlap(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) return true;
    if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

bool StrictlySorted(const std::vector<uint64_t>& v) {
  return std::adjacent_find(v.begin(), v.end(), std::greater_equal<>()) == v.end();
}

namespace {

template <size_t N>
bool StrictlySortedIds(const std::vector<FixedBytes<N>>& v) {
  return std::adjacent_find(v.begin(), v.end(), std::greater_equal<>()) == v.end();
}

}  // namespace

Outcome HandleRegisterDataset(Ctx& ctx, const RegisterDatasetPayload& p) {
  const ChainParams& params = ctx.params();
  CT_REQUIRE(!p.cells.empty() && p.cells.size() <= params.MAX_CELLS && StrictlySorted(p.cells),
             BAD_CELLS);
  CT_REQUIRE(p.parents.size() <= params.MAX_PARENTS && StrictlySortedIds(p.parents),
             TOO_MANY_PARENTS);
  CT_REQUIRE(p.derivation != Derivation::RAW || p.parents.empty(), RAW_WITH_PARENTS);
  CT_REQUIRE(p.derivation == Derivation::RAW || !p.parents.empty() ||
                 p.derivation == Derivation::SYNTHETIC,
             UNKNOWN_PARENT);
  CT_REQUIRE(p.generation_ts_ms <= ctx.time_ms() + params.MAX_SKEW_MS, FUTURE_TS);
  CT_REQUIRE(p.purposes == 0 || !p.consent_ref.IsZero(), CONSENT_REQUIRED);

  // The collector must be a device of the sender (or the sender itself, for operator-made
  // derived data), and its key must have signed (content_root, generation_ts_ms, cells).
  ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> device, LoadAccount(ctx, p.collector));
  bool owned = device && device->has_key &&
               ((device->has_operator && device->operator_addr == ctx.sender) ||
                p.collector == ctx.sender);
  CT_REQUIRE(owned, BAD_DEVICE_SIG);
  Hash256 digest = DeviceSigningHash(ctx.chain_id(), p.content_root, p.generation_ts_ms, p.cells);
  CT_REQUIRE(Verify(device->key, digest.view(), p.device_sig), BAD_DEVICE_SIG);

  Hash256 id = DataId(ctx.chain_id(), p.content_root, ctx.sender);
  ML_ASSIGN_OR_RETURN(std::optional<DatasetRecord> existing, LoadDataset(ctx, id));
  CT_REQUIRE(!existing, DUP_DATA);

  bool ancestor_voided = false;
  for (const Hash256& parent : p.parents) {
    ML_ASSIGN_OR_RETURN(std::optional<DatasetRecord> rec, LoadDataset(ctx, parent));
    CT_REQUIRE(rec, UNKNOWN_PARENT);
    CT_REQUIRE(rec->status != DatasetStatus::VOIDED, PARENT_VOIDED);
    ancestor_voided = ancestor_voided || rec->ancestor_voided;
  }
  for (const Hash256& parent : p.parents) {
    ML_ASSIGN_OR_RETURN(std::optional<IdList<32>> kids,
                        ctx.Get<IdList<32>>(keys::DatasetChildren(parent)));
    IdList<32> l = kids ? std::move(*kids) : IdList<32>{};
    l.Insert(id);
    ctx.Put(keys::DatasetChildren(parent), l);
  }

  DatasetRecord d;
  d.content_root = p.content_root;
  d.byte_len = p.byte_len;
  d.media_type = p.media_type;
  d.schema_hash = p.schema_hash;
  d.owner = ctx.sender;
  d.collector = p.collector;
  d.parents = p.parents;
  d.derivation = p.derivation;
  d.generation_ts_ms = p.generation_ts_ms;
  d.cells = p.cells;
  d.licence_id = p.licence_id;
  d.consent_ref = p.consent_ref;
  d.purposes = p.purposes;
  d.registered_h = ctx.height();
  d.registered_ms = ctx.time_ms();
  d.ancestor_voided = ancestor_voided;
  ctx.Put(keys::Dataset(id), d);
  ctx.Emit("provenance.registered", {{"data_id", id.Hex()}, {"owner", ctx.sender.Hex()}});
  return ErrorCode::OK;
}

Outcome HandleRevokeConsent(Ctx& ctx, const RevokeConsentPayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<DatasetRecord> d, LoadDataset(ctx, p.data_id));
  CT_REQUIRE(d, DATA_NOT_FOUND);
  CT_REQUIRE(d->owner == ctx.sender, UNAUTHORIZED);
  d->consent_revoked = true;
  ctx.Put(keys::Dataset(p.data_id), *d);
  ctx.Emit("provenance.consent_revoked", {{"data_id", p.data_id.Hex()}});
  return ErrorCode::OK;
}

Outcome HandleVoidDataset(Ctx& ctx, const VoidDatasetPayload& p) {
  ML_ASSIGN_OR_RETURN(std::optional<DatasetRecord> d, LoadDataset(ctx, p.data_id));
  CT_REQUIRE(d, DATA_NOT_FOUND);
  CT_REQUIRE(d->status != DatasetStatus::VOIDED, ALREADY_EXISTS);
  d->status = DatasetStatus::VOIDED;
  ctx.Put(keys::Dataset(p.data_id), *d);
  // Mark descendants breadth-first (ids sorted per level, each visited once) and taint the
  // twin updates that used any of them.
  std::vector<Hash256> frontier = {p.data_id};
  IdList<32> seen;
  seen.Insert(p.data_id);
  while (!frontier.empty()) {
    std::vector<Hash256> next;
    for (const Hash256& id : frontier) {
      ML_RETURN_IF_ERROR(TaintUsersOf(ctx, id));
      ML_ASSIGN_OR_RETURN(std::optional<IdList<32>> kids,
                          ctx.Get<IdList<32>>(keys::DatasetChildren(id)));
      if (!kids) continue;
      for (const Hash256& kid : kids->ids) {
        if (!seen.Insert(kid)) continue;
        ML_ASSIGN_OR_RETURN(std::optional<DatasetRecord> k, LoadDataset(ctx, kid));
        if (!k) return Status::Corruption("dataset child missing");
        k->ancestor_voided = true;
        ctx.Put(keys::Dataset(kid), *k);
        next.push_back(kid);
      }
    }
    frontier = std::move(next);
  }
  ctx.Emit("provenance.voided", {{"data_id", p.data_id.Hex()},
                                 {"marked", std::to_string(seen.ids.size() - 1)}});
  return ErrorCode::OK;
}

}  // namespace metaledger::contracts
