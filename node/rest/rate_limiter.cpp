#include "node/rest/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace metaledger::rest {

RateLimiter::RateLimiter(double rate_per_second, double burst, size_t max_clients)
    : rate_(rate_per_second),
      burst_(std::max(1.0, burst)),
      max_clients_(std::max<size_t>(1, max_clients)) {}

void RateLimiter::Refill(Bucket& b, Clock::time_point now) const {
  if (now <= b.last) return;
  double elapsed = std::chrono::duration<double>(now - b.last).count();
  b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
  b.last = now;
}

void RateLimiter::MakeRoom(Clock::time_point now) {
  // First forget every client whose bucket is full again: it is indistinguishable from new.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Refill(it->second, now);
    it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
  if (buckets_.size() < max_clients_) return;
  auto oldest =
      std::min_element(buckets_.begin(), buckets_.end(),
                       [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
  buckets_.erase(oldest);
}

RateLimiter::Decision RateLimiter::Take(const std::string& client, Clock::time_point now) {
  if (rate_ <= 0) return {};
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) MakeRoom(now);
    it = buckets_.emplace(client, Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  Refill(b, now);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  double wait = (1.0 - b.tokens) / rate_;
  return {false, static_cast<uint32_t>(std::max(1.0, std::ceil(wait)))};
}

}  // namespace metaledger::rest
