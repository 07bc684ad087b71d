#pragma once
// Pure helpers of the cluster load generator (bench/cluster/loadgen.cpp), separate so a tiny
// test can check them: latency percentiles, the measurement window, host:port lists and the
// CPU/RSS figures read from /proc.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace metaledger::bench {

// The p-th percentile (0 < p <= 100) by nearest rank of `samples` (sorted in place);
// 0 for no samples.
double Percentile(std::vector<double>& samples, double p);

// [begin, end) seconds after the start that count: the run without its first `warmup` and last
// `cooldown` seconds. InvalidArgument if nothing is left.
struct Window {
  double begin_s = 0, end_s = 0;
  double length() const { return end_s - begin_s; }
  bool Contains(double t) const { return t >= begin_s && t < end_s; }
};
Result<Window> MeasurementWindow(double duration_s, double warmup_s, double cooldown_s);

struct Endpoint {
  std::string host;
  uint16_t port = 0;
};
// "127.0.0.1:7001,127.0.0.1:7011" -> endpoints; InvalidArgument on a bad item.
Result<std::vector<Endpoint>> ParseEndpoints(std::string_view list);

// From /proc/PID/stat text: utime + stime in clock ticks (fields 14 and 15; the command name
// in parentheses may contain spaces). nullopt if malformed.
std::optional<uint64_t> CpuTicksFromStat(std::string_view stat);
// From /proc/PID/status text: VmRSS in KiB. nullopt if absent.
std::optional<uint64_t> RssKibFromStatus(std::string_view status);

}  // namespace metaledger::bench
