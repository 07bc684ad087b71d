// metaledger-sim bench: determinism (library and binary), option checks, and that the figures
// respond to what they measure.
#include "sim/bench/bench.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/bench/sweep.h"

namespace metaledger::sim {
namespace {

BenchOptions Wan(uint32_t n, uint64_t seed) {
  BenchOptions o;
  o.replicas = n;
  o.latency_ms = 50;
  o.jitter_ms = 10;
  o.blocks = 30;
  o.seed = seed;
  return o;
}

std::string RunBinary(const std::string& args) {
  const char* bin = std::getenv("METALEDGER_BIN");
  if (!bin) return "";
  std::string cmd = std::string(bin) + "/metaledger-sim " + args + " 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "";
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  pclose(p);
  return out;
}

TEST(SimBench, SameSeedSameSummaryByteForByte) {
  BenchOptions o = Wan(7, 42);
  std::string a = SummaryLine(o, RunBench(o));
  std::string b = SummaryLine(o, RunBench(o));
  EXPECT_EQ(a, b);
  BenchOptions other = Wan(7, 43);
  EXPECT_NE(a, SummaryLine(other, RunBench(other)));  // jitter draws depend on the seed
}

TEST(SimBench, BinaryIsDeterministicAndPrintsSummaryLast) {
  ASSERT_NE(std::getenv("METALEDGER_BIN"), nullptr) << "run through ctest";
  std::string args = "bench --replicas 10 --latency-ms 50 --jitter-ms 10 --blocks 20 --seed 9";
  std::string a = RunBinary(args);
  std::string b = RunBinary(args);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  BenchOptions o = Wan(10, 9);
  o.blocks = 20;
  EXPECT_EQ(a, SummaryLine(o, RunBench(o)) + "\n");
  EXPECT_NE(a.find("committed 20 blocks"), std::string::npos) << a;
}

TEST(SimBench, BadOptionsAreRefusedWithAReason) {
  BenchOptions o;
  o.replicas = 3;
  EXPECT_EQ(ValidateBenchOptions(o).code(), StatusCode::kInvalidArgument);
  o.replicas = 7;
  o.crashed = 2;
  o.byzantine_leader = true;  // 3 faulty > f = 2
  Status st = ValidateBenchOptions(o);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.ToString().find("exceed f = 2"), std::string::npos) << st.ToString();
  o.byzantine_leader = false;
  EXPECT_TRUE(ValidateBenchOptions(o).ok());
  std::string out = RunBinary("bench --replicas 4 --latency-ms 1 --crashed 2");
  EXPECT_NE(out.find("exceed f = 1"), std::string::npos) << out;
}

TEST(SimBench, CommitsEveryBlockWithLinearMessagesWhenHonest) {
  BenchOptions o = Wan(16, 1);
  BenchFigures f = RunBench(o);
  EXPECT_FALSE(f.fork);
  EXPECT_EQ(f.committed_blocks, o.blocks);
  EXPECT_EQ(f.committed_txs, o.blocks * o.batch_txs);
  EXPECT_EQ(f.view_changes, 0u);
  // A proposal from the leader and one vote per replica per round: about 2(n-1)/n per replica,
  // against 2(n-1) for all-to-all voting.
  EXPECT_LT(f.msgs_per_block_per_replica_x100, 250u);
  EXPECT_GT(QuadraticMessagesPerBlockPerReplicaX100(16), 10 * f.msgs_per_block_per_replica_x100);
  // Two-chain commit needs at least two one-way delays per round, two rounds.
  EXPECT_GE(f.latency_p50_ms, 4 * o.latency_ms);
}

TEST(SimBench, SurvivesFCrashedAndAByzantineLeader) {
  BenchOptions crashed = Wan(7, 3);
  crashed.crashed = 2;
  BenchFigures c = RunBench(crashed);
  EXPECT_FALSE(c.fork);
  EXPECT_EQ(c.committed_blocks, crashed.blocks);

  BenchOptions byz = Wan(7, 3);
  byz.byzantine_leader = true;
  BenchFigures b = RunBench(byz);
  EXPECT_FALSE(b.fork) << b.violation;
  EXPECT_EQ(b.committed_blocks, byz.blocks);
  EXPECT_GT(b.view_changes, 0u);  // its equivocating rounds time out
}

TEST(SimBench, BandwidthLimitsThroughputOfLargeBatches) {
  BenchOptions fast = Wan(16, 5);
  fast.batch_txs = 2000;
  fast.bandwidth_mbps = 0;
  BenchOptions slow = fast;
  slow.bandwidth_mbps = 100;
  EXPECT_GT(RunBench(fast).tx_per_s, RunBench(slow).tx_per_s);
}

TEST(SimBench, AllToAllVotesCostQuadraticMessagesAndBytes) {
  BenchOptions linear;
  linear.replicas = 16;
  linear.latency_ms = 1;
  linear.blocks = 20;
  linear.seed = 4;
  BenchOptions quadratic = linear;
  quadratic.all_to_all_votes = true;
  BenchFigures l = RunBench(linear);
  BenchFigures q = RunBench(quadratic);
  EXPECT_FALSE(q.fork);
  EXPECT_EQ(q.committed_blocks, quadratic.blocks);
  // About (n-1)/n proposals + 2(n-1) votes per replica per round (a few extra rounds aside).
  EXPECT_GE(q.msgs_per_block_per_replica_x100,
            QuadraticMessagesPerBlockPerReplicaX100(16) * 9 / 10);
  EXPECT_GT(q.msgs_per_block_per_replica_x100, 10 * l.msgs_per_block_per_replica_x100);
  EXPECT_GT(q.bytes_per_block_per_replica, l.bytes_per_block_per_replica);
  // The copies add work and traffic but never speed anything up (the decisions are the linear
  // core's, so this is a lower bound on a real PBFT's latency).
  EXPECT_GE(q.latency_p50_ms, l.latency_p50_ms);
  EXPECT_GE(q.virtual_ms, l.virtual_ms);
  EXPECT_EQ(SummaryLine(quadratic, q), SummaryLine(quadratic, RunBench(quadratic)));
  EXPECT_NE(SummaryLine(quadratic, q).find("votes=all-to-all"), std::string::npos);
}

TEST(SimBench, CompareSweepAddsAnAllToAllRowAfterEachFaultFreeSmallBatchRow) {
  SweepOptions s;
  s.quick = true;
  s.compare = true;
  auto points = SweepPoints(s);
  ASSERT_EQ(points.size(), 2u * 4u * 5u);
  for (size_t i = 0; i < points.size(); ++i) {
    if (!points[i].options.all_to_all_votes) continue;
    ASSERT_GT(i, 0u);
    BenchOptions prev = points[i - 1].options;
    EXPECT_FALSE(prev.all_to_all_votes);
    EXPECT_EQ(prev.replicas, points[i].options.replicas);
    EXPECT_EQ(prev.batch_txs, points[i].options.batch_txs);
    EXPECT_EQ(points[i].fault, "none");
  }
}

TEST(SimBench, PlotsWriteDataAndGnuplotScriptsAndRenderWhenGnuplotIsThere) {
  SweepOptions s;
  s.quick = true;
  auto points = SweepPoints(s);
  std::vector<SweepPoint> two = {points[0], points[4]};  // LAN n=4 and n=7, batch 100
  for (auto& p : two) p.options.blocks = 5;
  auto rows = RunSweep(two);
  std::string dir = ::testing::TempDir() + "/sim-plots";
  auto note = WritePlots(rows, dir);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  std::ifstream data(dir + "/LAN-none-b100.dat");
  std::string header, line4, line7;
  std::getline(data, header);
  std::getline(data, line4);
  std::getline(data, line7);
  EXPECT_EQ(line4.rfind(fmt::format("4 {} ", rows[0].figures.tx_per_s), 0), 0u) << line4;
  EXPECT_EQ(line7.rfind(fmt::format("7 {} ", rows[1].figures.tx_per_s), 0), 0u) << line7;
  std::ifstream script(dir + "/throughput-svg.gp");
  std::string text((std::istreambuf_iterator<char>(script)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("'LAN-none-b100.dat' using 1:2"), std::string::npos) << text;
  EXPECT_NE(text.find("LAN none, batch 100"), std::string::npos) << text;
  if (std::system("command -v gnuplot >/dev/null 2>&1") == 0) {
    EXPECT_TRUE(std::filesystem::exists(dir + "/throughput.svg")) << *note;
    EXPECT_TRUE(std::filesystem::exists(dir + "/messages.png")) << *note;
  } else {
    EXPECT_NE(note->find("apt-get install gnuplot-nox"), std::string::npos) << *note;
  }
  std::filesystem::remove_all(dir);
}

TEST(SimBench, QuickSweepCoversTheGridInOrder) {
  SweepOptions s;
  s.quick = true;
  auto points = SweepPoints(s);
  ASSERT_EQ(points.size(), 2u * 4u * 4u);  // 2 networks x 4 sizes x (2 batches + 2 faults)
  EXPECT_EQ(points.front().network, "LAN");
  EXPECT_EQ(points.back().network, "WAN");
  EXPECT_EQ(points.back().fault, "byzantine leader");
  std::vector<SweepPoint> two(points.begin(), points.begin() + 2);
  for (auto& p : two) p.options.blocks = 5;
  auto rows = RunSweep(two);
  std::string csv = FormatCsv(rows, true);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);
  EXPECT_EQ(csv, FormatCsv(RunSweep(two), true));
}

}  // namespace
}  // namespace metaledger::sim
