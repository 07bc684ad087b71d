#include "bench/cluster/loadgen_stats.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace metaledger::bench {

double Percentile(std::vector<double>& samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  double rank = std::ceil(p / 100.0 * static_cast<double>(samples.size()));
  size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return samples[std::min(index, samples.size() - 1)];
}

Result<Window> MeasurementWindow(double duration_s, double warmup_s, double cooldown_s) {
  if (duration_s <= 0 || warmup_s < 0 || cooldown_s < 0) {
    return Status::InvalidArgument("duration must be positive, warmup and cooldown not negative");
  }
  Window w{warmup_s, duration_s - cooldown_s};
  if (w.length() <= 0) {
    return Status::InvalidArgument("warmup + cooldown leave no measurement window");
  }
  return w;
}

Result<std::vector<Endpoint>> ParseEndpoints(std::string_view list) {
  std::vector<Endpoint> out;
  std::stringstream in{std::string(list)};
  std::string item;
  while (std::getline(in, item, ',')) {
    auto colon = item.rfind(':');
    unsigned port = 0;
    if (colon == std::string::npos || colon == 0) {
      return Status::InvalidArgument("\"" + item + "\" is not host:port");
    }
    const char* first = item.data() + colon + 1;
    const char* last = item.data() + item.size();
    auto [ptr, ec] = std::from_chars(first, last, port);
    if (ec != std::errc() || ptr != last || port == 0 || port > 65535) {
      return Status::InvalidArgument("\"" + item + "\": port must be 1..65535");
    }
    out.push_back({item.substr(0, colon), static_cast<uint16_t>(port)});
  }
  if (out.empty()) return Status::InvalidArgument("no endpoints given");
  return out;
}

std::optional<uint64_t> CpuTicksFromStat(std::string_view stat) {
  auto close = stat.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::stringstream in{std::string(stat.substr(close + 1))};
  std::string field;
  // After "(comm)": field 3 (state) is the first; utime and stime are fields 14 and 15.
  uint64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15; ++i) {
    if (!(in >> field)) return std::nullopt;
    if (i == 14 || i == 15) {
      uint64_t v = 0;
      auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
      if (ec != std::errc() || ptr != field.data() + field.size()) return std::nullopt;
      (i == 14 ? utime : stime) = v;
    }
  }
  return utime + stime;
}

std::optional<uint64_t> RssKibFromStatus(std::string_view status) {
  auto at = status.find("VmRSS:");
  if (at == std::string_view::npos) return std::nullopt;
  std::stringstream in{std::string(status.substr(at + 6))};
  uint64_t kib = 0;
  if (!(in >> kib)) return std::nullopt;
  return kib;
}

}  // namespace metaledger::bench
