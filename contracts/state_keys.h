#pragma once
// The state-key schema: every key the contracts write, one prefix per record type. Keys are
// "<prefix>/" followed by fixed-width binary parts (ids raw, integers big-endian so that keys of
// one prefix sort by number). Index entries ("due/...") list the ids whose deadline falls at a
// height, which is how the end-of-block hook finds work without iterating the state.
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/bytes.h"
#include "core/crypto/hash.h"
#include "core/transaction.h"

namespace metaledger::contracts::keys {

class KeyBuilder {
 public:
  explicit KeyBuilder(std::string_view prefix) {
    key_.reserve(prefix.size() + 1 + 2 * 32 + 8);
    Append(prefix);
    key_.push_back('/');
  }
  template <size_t N>
  KeyBuilder& Add(const FixedBytes<N>& v) {
    key_.insert(key_.end(), v.bytes.begin(), v.bytes.end());
    return *this;
  }
  KeyBuilder& Add(uint64_t v) {
    for (int i = 7; i >= 0; --i) key_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  KeyBuilder& Add(std::string_view s) {
    Append(s);
    return *this;
  }
  Bytes Take() { return std::move(key_); }

 private:
  // resize + memcpy: GCC 12 at -O3 misreports inserting char ranges as a stringop overflow.
  void Append(std::string_view s) {
    size_t at = key_.size();
    key_.resize(at + s.size());
    if (!s.empty()) std::memcpy(key_.data() + at, s.data(), s.size());
  }

  Bytes key_;
};

// -- global
inline Bytes Param(std::string_view name) { return KeyBuilder("param").Add(name).Take(); }
inline Bytes Supply() { return KeyBuilder("supply").Take(); }
inline Bytes Members() { return KeyBuilder("members").Take(); }  // sorted member addresses
inline Bytes Validators() { return KeyBuilder("validators").Take(); }
inline Bytes PendingValidators() { return KeyBuilder("validators_next").Take(); }
// -- accounts, reputation, rewards
inline Bytes Account(const Address& a) { return KeyBuilder("acct").Add(a).Take(); }
inline Bytes Reputation(const Address& a, uint32_t role) {
  return KeyBuilder("rep").Add(a).Add(uint64_t{role}).Take();
}
inline Bytes Claimable(const Address& a) { return KeyBuilder("claim").Add(a).Take(); }
inline Bytes Unbonding(const Address& a, uint64_t release_h) {
  return KeyBuilder("unbond").Add(a).Add(release_h).Take();
}
// -- governance
inline Bytes Proposal(const Hash256& id) { return KeyBuilder("prop").Add(id).Take(); }
inline Bytes ProposalVote(const Hash256& id, const Address& a) {
  return KeyBuilder("vote").Add(id).Add(a).Take();
}
// -- FL
inline Bytes FlTask(const Hash256& id) { return KeyBuilder("fltask").Add(id).Take(); }
inline Bytes FlEnrolled(const Hash256& task, const Address& a) {
  return KeyBuilder("flenr").Add(task).Add(a).Take();
}
inline Bytes FlRound(const Hash256& task, uint64_t round) {
  return KeyBuilder("flround").Add(task).Add(round).Take();
}
inline Bytes FlSubmission(const Hash256& task, uint64_t round, const Address& a) {
  return KeyBuilder("flsub").Add(task).Add(round).Add(a).Take();
}
inline Bytes FlUpdateHash(const Hash256& task, uint64_t round, const Hash256& h) {
  return KeyBuilder("flupd").Add(task).Add(round).Add(h).Take();
}
inline Bytes FlEvaluation(const Hash256& task, uint64_t round, const Address& a) {
  return KeyBuilder("fleval").Add(task).Add(round).Add(a).Take();
}
inline Bytes Model(const Hash256& id) { return KeyBuilder("model").Add(id).Take(); }
inline Bytes ModelRevokeVote(const Hash256& id, const Address& a) {
  return KeyBuilder("mrevoke").Add(id).Add(a).Take();
}
// -- provenance
inline Bytes Dataset(const Hash256& id) { return KeyBuilder("data").Add(id).Take(); }
inline Bytes DatasetChildren(const Hash256& id) { return KeyBuilder("datakids").Add(id).Take(); }
inline Bytes DatasetUsers(const Hash256& id) { return KeyBuilder("datausers").Add(id).Take(); }
// -- sensing
inline Bytes Pool(const Hash256& id) { return KeyBuilder("pool").Add(id).Take(); }
inline Bytes PoolEpoch(const Hash256& id, uint64_t epoch) {
  return KeyBuilder("poolep").Add(id).Add(epoch).Take();
}
inline Bytes SensingRecord(const Hash256& pool, uint64_t epoch, const Hash256& data) {
  return KeyBuilder("sens").Add(pool).Add(epoch).Add(data).Take();
}
inline Bytes CellSlotCount(const Hash256& pool, uint64_t epoch, uint64_t cell, uint64_t slot) {
  return KeyBuilder("sensn").Add(pool).Add(epoch).Add(cell).Add(slot).Take();
}
inline Bytes PoolsList() { return KeyBuilder("pools").Take(); }
// -- auction
inline Bytes AuctionTask(const Hash256& id) { return KeyBuilder("atask").Add(id).Take(); }
inline Bytes Bid(const Hash256& task, const Address& uav) {
  return KeyBuilder("abid").Add(task).Add(uav).Take();
}
inline Bytes OperatorCommit(const Hash256& task, const Address& op) {
  return KeyBuilder("aop").Add(task).Add(op).Take();
}
inline Bytes DeliveredTo(const Address& vsp, const Hash256& data) {
  return KeyBuilder("aused").Add(vsp).Add(data).Take();
}
// -- twins
inline Bytes Twin(const Hash256& id) { return KeyBuilder("twin").Add(id).Take(); }
inline Bytes TwinUpdate(const Hash256& id, uint64_t seq) {
  return KeyBuilder("twinupd").Add(id).Add(seq).Take();
}
// -- deadline indexes: the ids due at height h, for the end-of-block hook
inline Bytes Due(std::string_view what, uint64_t h) { return KeyBuilder("due").Add(what).Add(h).Take(); }

}  // namespace metaledger::contracts::keys
