#pragma once
// A per-client token bucket: each client (by IP address) may make `burst` requests at once and
// `rate_per_second` on average. The table of clients is bounded; when it is full, clients whose
// buckets have refilled completely (they behave as new ones) are forgotten first, and if none
// has, the least recently seen one is.
//
// Not thread-safe: the REST server calls it from its one I/O thread. Time is passed in so tests
// do not sleep.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace metaledger::rest {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // rate_per_second == 0 disables limiting.
  RateLimiter(double rate_per_second, double burst, size_t max_clients = 10000);

  struct Decision {
    bool allowed = true;
    uint32_t retry_after_seconds = 0;  // when refused: whole seconds until a token is available
  };
  Decision Take(const std::string& client, Clock::time_point now);

  size_t tracked_clients() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  void Refill(Bucket& b, Clock::time_point now) const;
  void MakeRoom(Clock::time_point now);

  double rate_;
  double burst_;
  size_t max_clients_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace metaledger::rest
