// The long sweep: a million seeds across n = 4, 7, 10. Runs only with METALEDGER_LONG=1
// (scripts/test --long); METALEDGER_LONG_SEEDS overrides the count.

#include "tests/consensus/sweep_common.h"

namespace metaledger::sim {
namespace {

TEST(SafetyLong, NoForkAcrossAMillionSeeds) {
  const char* on = std::getenv("METALEDGER_LONG");
  if (on == nullptr || std::string(on) != "1") GTEST_SKIP() << "set METALEDGER_LONG=1";
  uint64_t total = 1000000;
  if (const char* s = std::getenv("METALEDGER_LONG_SEEDS")) total = std::strtoull(s, nullptr, 10);
  const uint32_t ns[] = {4, 7, 10};
  for (uint32_t i = 0; i < 3; ++i) {
    SweepSafety(ns[i], 10000000 + i * total, total / 3 + (i == 0 ? total % 3 : 0));
  }
}

}  // namespace
}  // namespace metaledger::sim
