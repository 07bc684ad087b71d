#include "bench/cluster/loadgen_stats.h"

#include <gtest/gtest.h>

namespace metaledger::bench {
namespace {

TEST(LoadgenStats, PercentileByNearestRank) {
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);
  EXPECT_EQ(Percentile(v, 50), 50);
  EXPECT_EQ(Percentile(v, 90), 90);
  EXPECT_EQ(Percentile(v, 99), 99);
  EXPECT_EQ(Percentile(v, 100), 100);
  std::vector<double> one{7};
  EXPECT_EQ(Percentile(one, 1), 7);
  std::vector<double> none;
  EXPECT_EQ(Percentile(none, 99), 0);
}

TEST(LoadgenStats, WindowDropsFirstAndLastSeconds) {
  auto w = MeasurementWindow(60, 5, 5);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->length(), 50);
  EXPECT_FALSE(w->Contains(4.9));
  EXPECT_TRUE(w->Contains(5));
  EXPECT_FALSE(w->Contains(55));
  EXPECT_FALSE(MeasurementWindow(10, 5, 5).ok());
  EXPECT_FALSE(MeasurementWindow(10, -1, 0).ok());
}

TEST(LoadgenStats, ParsesEndpointLists) {
  auto e = ParseEndpoints("127.0.0.1:7001,localhost:7011");
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->size(), 2u);
  EXPECT_EQ((*e)[1].host, "localhost");
  EXPECT_EQ((*e)[1].port, 7011);
  EXPECT_FALSE(ParseEndpoints("").ok());
  EXPECT_FALSE(ParseEndpoints("127.0.0.1").ok());
  EXPECT_FALSE(ParseEndpoints("127.0.0.1:70000").ok());
  EXPECT_FALSE(ParseEndpoints("127.0.0.1:7x").ok());
}

TEST(LoadgenStats, ReadsProcFields) {
  // Field 2 holds a space and a parenthesis; utime = 1234, stime = 56.
  std::string stat = "42 (metaledger node) S 1 42 42 0 -1 4194560 100 0 0 0 1234 56 0 0 20 0 3";
  EXPECT_EQ(CpuTicksFromStat(stat), 1290u);
  EXPECT_FALSE(CpuTicksFromStat("42 (x) S 1").has_value());
  EXPECT_EQ(RssKibFromStatus("Name:\tx\nVmRSS:\t  123456 kB\nThreads: 3\n"), 123456u);
  EXPECT_FALSE(RssKibFromStatus("Name:\tx\n").has_value());
}

}  // namespace
}  // namespace metaledger::bench
