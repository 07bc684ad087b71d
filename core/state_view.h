#pragma once
// The key-value state contracts execute against, shared by contracts/ (reader and writer),
// storage/ (RocksDB-backed view) and sim/ (in memory).
//
// Keys and values are opaque bytes. Iteration is deliberately absent: contracts keep their own
// explicit index entries, so execution never depends on a scan order.

#include <map>
#include <optional>

#include "core/bytes.h"
#include "core/status.h"

namespace metaledger {

// Orders byte strings lexicographically and lets std::map look up by ByteView.
struct BytesLess {
  using is_transparent = void;
  static bool Less(ByteView a, ByteView b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }
  bool operator()(const Bytes& a, const Bytes& b) const { return Less(a, b); }
  bool operator()(const Bytes& a, ByteView b) const { return Less(a, b); }
  bool operator()(ByteView a, const Bytes& b) const { return Less(a, b); }
};

// Key -> new value, or nullopt for a deletion. Ordered, so applying it is deterministic.
using WriteSet = std::map<Bytes, std::optional<Bytes>, BytesLess>;

class StateView {
 public:
  virtual ~StateView() = default;
  // nullopt when absent; a non-OK status only for I/O or corruption.
  virtual Result<std::optional<Bytes>> Get(ByteView key) const = 0;
};

// A plain in-memory state for tests and the simulator.
class MemoryState final : public StateView {
 public:
  Result<std::optional<Bytes>> Get(ByteView key) const override;
  void Put(ByteView key, ByteView value);
  void Apply(const WriteSet& writes);
  const std::map<Bytes, Bytes, BytesLess>& entries() const { return entries_; }

 private:
  std::map<Bytes, Bytes, BytesLess> entries_;
};

// Buffers writes over a base view: reads see earlier writes; nothing reaches the base.
class OverlayState final : public StateView {
 public:
  explicit OverlayState(const StateView& base) : base_(base) {}
  Result<std::optional<Bytes>> Get(ByteView key) const override;
  void Put(ByteView key, ByteView value);
  void Delete(ByteView key);
  const WriteSet& writes() const { return writes_; }
  WriteSet TakeWrites() { return std::move(writes_); }
  // Discards writes made after a mark, so a failed transaction leaves no trace.
  size_t Mark() const { return journal_.size(); }
  void RollbackTo(size_t mark);

 private:
  const StateView& base_;
  WriteSet writes_;
  // (key, previous overlay entry or "none") for rollback, newest last.
  std::vector<std::pair<Bytes, std::optional<std::optional<Bytes>>>> journal_;
};

}  // namespace metaledger
