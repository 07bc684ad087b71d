#pragma once
// A bounded cache of the latest committed state values (and of absent keys), in front of the
// state tree for the executor's reads: a transfer reads two accounts, and each miss walks the
// tree from the latest root. Thread-safe.
//
// Consistency: Commit() records every key a block wrote (value or absence) after the block is
// durable and its root is the latest, and bumps a sequence number. A reader that missed records
// what it read only if no commit happened in between (Remember with the sequence taken before
// the read). A reader that read the previous root can thus plant a value only before Commit(),
// which then overwrites every key the block changed, so no value older than the latest commit
// survives.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace metaledger::storage {

class StateCache {
 public:
  explicit StateCache(size_t max_entries = 1 << 16) : max_entries_(max_entries) {}

  // nullopt: not cached. A cached absent key is an engaged optional holding nullopt.
  std::optional<std::optional<std::string>> Find(std::string_view key, uint64_t* seq) {
    std::lock_guard lock(mu_);
    *seq = seq_;
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }

  void Remember(std::string_view key, const std::optional<std::string>& value, uint64_t seq) {
    std::lock_guard lock(mu_);
    if (seq != seq_) return;
    PutLocked(key, value);
  }

  // Records one committed block's state writes: `each_write(record)` calls
  // record(key, value) for every key it wrote (value nullopt for a deletion).
  template <typename EachWrite>
  void Commit(EachWrite&& each_write) {
    std::lock_guard lock(mu_);
    ++seq_;
    each_write([this](std::string_view key, const std::optional<std::string>& value) {
      PutLocked(key, value);
    });
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  void PutLocked(std::string_view key, const std::optional<std::string>& value) {
    if (entries_.size() >= max_entries_) entries_.clear();  // rare; the hot set refills quickly
    entries_.insert_or_assign(std::string(key), value);
  }

  std::mutex mu_;
  const size_t max_entries_;
  uint64_t seq_ = 0;
  std::unordered_map<std::string, std::optional<std::string>, Hash, std::equal_to<>> entries_;
};

}  // namespace metaledger::storage
