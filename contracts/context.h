#pragma once
// What a contract handler sees: typed state access over the block's overlay, the chain
// parameters in force, the block (height, time), the sender of the current transaction, and an
// event sink. Handlers return Outcome: an ErrorCode for the transaction, or a non-OK Status only
// for storage failures (which abort the block).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "contracts/params.h"
#include "contracts/state_keys.h"
#include "core/codec.h"
#include "core/execution.h"
#include "core/payload/error_codes.h"
#include "core/state_view.h"
#include "core/transaction.h"

namespace metaledger::contracts {

using Outcome = Result<ErrorCode>;

// Returns the ErrorCode `code` from the handler unless `cond` holds.
#define CT_REQUIRE(cond, code)                                  \
  do {                                                          \
    if (!(cond)) return ::metaledger::ErrorCode::code;          \
  } while (0)

// Runs an Outcome-returning step; returns its Status or its non-OK code.
#define CT_STEP(expr)                                           \
  do {                                                          \
    ::metaledger::contracts::Outcome ct_o_ = (expr);            \
    if (!ct_o_.ok()) return ct_o_.status();                     \
    if (*ct_o_ != ::metaledger::ErrorCode::OK) return *ct_o_;   \
  } while (0)

struct BlockContext {
  std::string chain_id;
  uint64_t height = 0;
  uint64_t time_ms = 0;
};

// A u64 stored on its own (counters, claimable amounts).
struct U64Value {
  uint64_t v = 0;
  void Encode(Writer& w) const { w.Varint(v); }
  static U64Value DecodeFrom(Reader& r) { return {r.Varint()}; }
};

// A sorted, duplicate-free list of fixed-size ids (index entries, member lists).
template <size_t N>
struct IdList {
  std::vector<FixedBytes<N>> ids;
  void Encode(Writer& w) const {
    w.Varint(ids.size());
    for (const auto& id : ids) w.Fixed(id);
  }
  static IdList DecodeFrom(Reader& r) {
    IdList l;
    uint64_t n = r.Varint();
    if (n > r.remaining() / N) {
      r.Fail(Status::Corruption("id list longer than its bytes"));
      return l;
    }
    for (uint64_t i = 0; i < n && r.ok(); ++i) l.ids.push_back(r.Fixed<N>());
    return l;
  }
  bool Contains(const FixedBytes<N>& id) const;
  // Inserts keeping order; false when already present.
  bool Insert(const FixedBytes<N>& id);
  bool Erase(const FixedBytes<N>& id);
};

class Ctx {
 public:
  Ctx(OverlayState& state, ChainParams& params, const BlockContext& block,
      std::vector<Event>& events)
      : state_(state), params_(params), block_(block), events_(events) {}

  template <typename T>
  Result<std::optional<T>> Get(const Bytes& key) const {
    ML_ASSIGN_OR_RETURN(std::optional<Bytes> raw, state_.Get(key));
    if (!raw) return std::optional<T>();
    Reader r(*raw);
    T value = T::DecodeFrom(r);
    Status s = r.Finish();
    if (!s.ok()) return Status::Corruption("state record: " + s.message());
    return std::optional<T>(std::move(value));
  }
  template <typename T>
  void Put(const Bytes& key, const T& value) {
    Writer w;
    value.Encode(w);
    state_.Put(key, w.bytes());
  }
  void Delete(const Bytes& key) { state_.Delete(key); }

  Result<uint64_t> GetU64(const Bytes& key) const;
  void PutU64(const Bytes& key, uint64_t v);  // deletes the key for 0

  // Adds `id` to the "due/<what>/<h>" index.
  Status AddDue(std::string_view what, uint64_t h, const Hash256& id);
  Result<std::vector<Hash256>> TakeDue(std::string_view what, uint64_t h);

  void Emit(std::string type, std::vector<std::pair<std::string, std::string>> attributes);

  const ChainParams& params() const { return params_; }
  ChainParams& mutable_params() { return params_; }
  const BlockContext& block() const { return block_; }
  uint64_t height() const { return block_.height; }
  uint64_t time_ms() const { return block_.time_ms; }
  const std::string& chain_id() const { return block_.chain_id; }
  OverlayState& state() { return state_; }

  // The transaction being executed (unset in the end-of-block hook).
  Address sender;
  PublicKey sender_key;
  uint64_t nonce = 0;
  uint32_t tx_index = Event::kEndOfBlock;

 private:
  OverlayState& state_;
  ChainParams& params_;
  const BlockContext& block_;
  std::vector<Event>& events_;
};

}  // namespace metaledger::contracts
