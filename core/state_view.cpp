#include "core/state_view.h"

namespace metaledger {

Result<std::optional<Bytes>> MemoryState::Get(ByteView key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::optional<Bytes>();
  return std::optional<Bytes>(it->second);
}

void MemoryState::Put(ByteView key, ByteView value) {
  entries_[Bytes(key.begin(), key.end())] = Bytes(value.begin(), value.end());
}

void MemoryState::Apply(const WriteSet& writes) {
  for (const auto& [k, v] : writes) {
    if (v) {
      entries_[k] = *v;
    } else {
      entries_.erase(k);
    }
  }
}

Result<std::optional<Bytes>> OverlayState::Get(ByteView key) const {
  auto it = writes_.find(key);
  if (it != writes_.end()) return it->second;
  return base_.Get(key);
}

void OverlayState::Put(ByteView key, ByteView value) {
  Bytes k(key.begin(), key.end());
  auto it = writes_.find(k);
  journal_.emplace_back(k, it == writes_.end() ? std::nullopt
                                               : std::optional<std::optional<Bytes>>(it->second));
  writes_[std::move(k)] = Bytes(value.begin(), value.end());
}

void OverlayState::Delete(ByteView key) {
  Bytes k(key.begin(), key.end());
  auto it = writes_.find(k);
  journal_.emplace_back(k, it == writes_.end() ? std::nullopt
                                               : std::optional<std::optional<Bytes>>(it->second));
  writes_[std::move(k)] = std::nullopt;
}

void OverlayState::RollbackTo(size_t mark) {
  while (journal_.size() > mark) {
    auto& [k, prev] = journal_.back();
    if (prev) {
      writes_[k] = std::move(*prev);
    } else {
      writes_.erase(k);
    }
    journal_.pop_back();
  }
}

}  // namespace metaledger
