#include "node/verify_cache.h"

#include <vector>

namespace metaledger::node {

Hash256 VerifyCache::DigestOf(const PublicKey& key, ByteView message, const Signature& sig) {
  Sha256Hasher h;
  h.Update(key.view()).Update(message).Update(sig.view());
  return h.Finish();
}

void VerifyCache::RememberLocked(const Hash256& digest) {
  if (ok_.size() >= capacity_) ok_.clear();  // crude but bounded; a miss only costs a re-check
  ok_.insert(digest);
}

bool VerifyCache::Verify(const PublicKey& key, ByteView message, const Signature& sig) {
  Hash256 digest = DigestOf(key, message, sig);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ok_.count(digest)) {
      ++hits_;
      return true;
    }
  }
  bool ok = ::metaledger::Verify(key, message, sig);
  std::lock_guard<std::mutex> lock(mu_);
  ++checks_;
  if (ok) RememberLocked(digest);
  return ok;
}

std::optional<size_t> VerifyCache::FirstInvalid(std::span<const ed25519::BatchItem> items) {
  std::vector<Hash256> digests;
  digests.reserve(items.size());
  for (const auto& item : items) {
    digests.push_back(DigestOf(*item.key, item.message, *item.signature));
  }
  std::vector<size_t> unknown;  // indexes into items
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < items.size(); ++i) {
      if (ok_.count(digests[i])) {
        ++hits_;
      } else {
        unknown.push_back(i);
      }
    }
  }
  if (unknown.empty()) return std::nullopt;
  std::vector<ed25519::BatchItem> todo;
  todo.reserve(unknown.size());
  for (size_t i : unknown) todo.push_back(items[i]);
  std::optional<size_t> bad = ed25519::FirstInvalid(todo);
  size_t verified = bad ? *bad : todo.size();  // FirstInvalid vouches for the items before
  std::lock_guard<std::mutex> lock(mu_);
  checks_ += todo.size();
  for (size_t j = 0; j < verified; ++j) RememberLocked(digests[unknown[j]]);
  if (!bad) return std::nullopt;
  return unknown[*bad];
}

void VerifyCache::Remember(const PublicKey& key, ByteView message, const Signature& sig) {
  Hash256 digest = DigestOf(key, message, sig);
  std::lock_guard<std::mutex> lock(mu_);
  RememberLocked(digest);
}

uint64_t VerifyCache::checks() const {
  std::lock_guard<std::mutex> lock(mu_);
  return checks_;
}

uint64_t VerifyCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

}  // namespace metaledger::node
