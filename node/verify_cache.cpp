#include "node/verify_cache.h"

namespace metaledger::node {

bool VerifyCache::Verify(const PublicKey& key, ByteView message, const Signature& sig) {
  Sha256Hasher h;
  h.Update(key.view()).Update(message).Update(sig.view());
  Hash256 digest = h.Finish();
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
  if (ok) {
    if (ok_.size() >= capacity_) ok_.clear();  // crude but bounded; a miss only costs a re-check
    ok_.insert(digest);
  }
  return ok;
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
