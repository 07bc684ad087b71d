#include "sim/bench/sweep.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

namespace metaledger::sim {
namespace {

std::string Hundredths(uint64_t x100) { return fmt::format("{}.{:02}", x100 / 100, x100 % 100); }

// The batch sizes each network/fault combination is run with; the fault cases use the first.
constexpr uint64_t kBatches[] = {100, 1000};

}  // namespace

std::vector<SweepPoint> SweepPoints(const SweepOptions& s) {
  static const uint32_t kFull[] = {4, 7, 10, 16, 31, 64, 100, 128};
  static const uint32_t kQuick[] = {4, 7, 10, 16};
  std::vector<uint32_t> sizes = s.quick
                                    ? std::vector<uint32_t>(std::begin(kQuick), std::end(kQuick))
                                    : std::vector<uint32_t>(std::begin(kFull), std::end(kFull));
  uint64_t blocks = s.blocks ? s.blocks : (s.quick ? 20 : 50);
  struct Net {
    const char* name;
    uint64_t latency, jitter;
  };
  const Net nets[] = {{"LAN", 1, 0}, {"WAN", 50, 10}};
  std::vector<SweepPoint> points;
  for (const Net& net : nets) {
    for (uint32_t n : sizes) {
      BenchOptions base;
      base.replicas = n;
      base.latency_ms = net.latency;
      base.jitter_ms = net.jitter;
      base.blocks = blocks;
      base.seed = s.seed;
      for (uint64_t batch : kBatches) {
        BenchOptions o = base;
        o.batch_txs = batch;
        points.push_back({net.name, "none", o});
        if (s.compare && batch == kBatches[0]) {
          o.all_to_all_votes = true;
          points.push_back({net.name, "none", o});
        }
      }
      BenchOptions crashed = base;
      crashed.batch_txs = kBatches[0];
      crashed.crashed = (n - 1) / 3;
      points.push_back({net.name, "f crashed", crashed});
      BenchOptions byz = base;
      byz.batch_txs = kBatches[0];
      byz.byzantine_leader = true;
      points.push_back({net.name, "byzantine leader", byz});
    }
  }
  return points;
}

std::vector<SweepRow> RunSweep(
    const std::vector<SweepPoint>& points,
    const std::function<void(size_t, size_t, const SweepPoint&)>& progress) {
  std::vector<SweepRow> rows;
  for (size_t i = 0; i < points.size(); ++i) {
    if (progress) progress(i, points.size(), points[i]);
    rows.push_back({points[i], RunBench(points[i].options)});
  }
  return rows;
}

uint64_t QuadraticMessagesPerBlockPerReplicaX100(uint32_t n) {
  return uint64_t{n - 1} * 100 / n + 2 * uint64_t{n - 1} * 100;
}

std::string FormatTable(const std::vector<SweepRow>& rows, bool compare) {
  std::string out =
      fmt::format("{:<4} {:>4} {:<17}{} {:>6} {:>7} {:>9} {:>8} {:>8} {:>10} {:>11} {:>6}", "net",
                  "n", "fault", compare ? fmt::format(" {:<10}", "votes") : "", "batch", "blocks",
                  "tx/s", "p50 ms", "p99 ms", "msgs/blk/r", "bytes/blk/r", "VCs");
  if (compare) out += fmt::format(" {:>12}", "PBFT msgs*");
  out += "\n";
  for (const SweepRow& r : rows) {
    const BenchOptions& o = r.point.options;
    const BenchFigures& f = r.figures;
    out += fmt::format("{:<4} {:>4} {:<17}{} {:>6} {:>7} {:>9} {:>8} {:>8} {:>10} {:>11} {:>6}",
                       r.point.network, o.replicas, r.point.fault,
                       compare ? fmt::format(" {:<10}", r.point.Votes()) : "", o.batch_txs,
                       f.committed_blocks, f.tx_per_s, f.latency_p50_ms, f.latency_p99_ms,
                       Hundredths(f.msgs_per_block_per_replica_x100), f.bytes_per_block_per_replica,
                       f.view_changes);
    if (compare) {
      out +=
          fmt::format(" {:>12}", Hundredths(QuadraticMessagesPerBlockPerReplicaX100(o.replicas)));
    }
    if (f.fork) out += "  SAFETY VIOLATION";
    out += "\n";
  }
  if (compare) {
    out +=
        "votes: linear = the protocol (votes to the next leader); all-to-all = the same run with "
        "PBFT-style vote traffic (every vote to everyone, then a second all-to-all phase).\n"
        "* PBFT msgs: analytical messages per block per replica of that pattern "
        "((n-1)/n + 2(n-1)).\n";
  }
  return out;
}

std::string FormatCsv(const std::vector<SweepRow>& rows, bool compare) {
  std::string out =
      "network,n,fault,batch,seed,blocks_target,committed_blocks,committed_txs,virtual_ms,tx_per_s,"
      "latency_p50_ms,latency_p99_ms,msgs_per_block_per_replica,bytes_per_block_per_replica,"
      "view_changes,fork";
  if (compare) out += ",votes,pbft_model_msgs_per_block_per_replica";
  out += "\n";
  for (const SweepRow& r : rows) {
    const BenchOptions& o = r.point.options;
    const BenchFigures& f = r.figures;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}", r.point.network,
                       o.replicas, r.point.fault, o.batch_txs, o.seed, o.blocks, f.committed_blocks,
                       f.committed_txs, f.virtual_ms, f.tx_per_s, f.latency_p50_ms,
                       f.latency_p99_ms, Hundredths(f.msgs_per_block_per_replica_x100),
                       f.bytes_per_block_per_replica, f.view_changes, f.fork ? 1 : 0);
    if (compare) {
      out += "," + r.point.Votes() + "," +
             Hundredths(QuadraticMessagesPerBlockPerReplicaX100(o.replicas));
    }
    out += "\n";
  }
  return out;
}

Result<std::string> WritePlots(const std::vector<SweepRow>& rows, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError(fmt::format("cannot create {}: {}", dir, ec.message()));
  // One data file per (network, fault, batch) series: n, tx/s, p50, p99.
  struct Series {
    std::string title, data;
    bool wan = false;
  };
  std::map<std::string, Series> series;
  for (const SweepRow& r : rows) {
    std::string name =
        fmt::format("{}-{}-b{}{}", r.point.network, r.point.fault, r.point.options.batch_txs,
                    r.point.options.all_to_all_votes ? "-all-to-all" : "");
    for (char& ch : name) {
      if (ch == ' ') ch = '_';
    }
    Series& se = series[name];
    se.title =
        fmt::format("{} {}, batch {}{}", r.point.network, r.point.fault, r.point.options.batch_txs,
                    r.point.options.all_to_all_votes ? ", all-to-all votes" : "");
    se.wan = r.point.network == "WAN";
    se.data += fmt::format("{} {} {} {} {}\n", r.point.options.replicas, r.figures.tx_per_s,
                           r.figures.latency_p50_ms, r.figures.latency_p99_ms,
                           Hundredths(r.figures.msgs_per_block_per_replica_x100));
  }
  for (const auto& [name, se] : series) {
    std::ofstream out(fs::path(dir) / (name + ".dat"));
    out << "# n tx_per_s latency_p50_ms latency_p99_ms msgs_per_block_per_replica\n" << se.data;
    if (!out) return Status::IOError(fmt::format("cannot write {}/{}.dat", dir, name));
  }
  struct Plot {
    const char* file;
    const char* ylabel;
    const char* column;
  };
  const Plot plots[] = {{"throughput", "committed tx/s", "2"},
                        {"latency", "commit latency p50 (virtual ms)", "3"},
                        {"messages", "messages per committed block per replica", "5"}};
  for (const Plot& p : plots) {
    for (const char* term : {"png", "svg"}) {
      std::string script = fmt::format(
          "set terminal {} size 900,680 noenhanced\nset output '{}.{}'\n"
          "set xlabel 'replicas (n)'\nset ylabel '{}'\n"
          "set key below vertical maxrows 5 width -2\nset grid\n"
          "set logscale xy\nset xrange [3.5:150]\nset xtics (4, 7, 10, 16, 31, 64, 128)\n"
          "# solid: LAN (1 ms), dashed: WAN (50 +- 10 ms)\nplot ",
          term == std::string("png") ? "pngcairo" : "svg", p.file, term, p.ylabel);
      bool first = true;
      for (const auto& [name, se] : series) {
        script += fmt::format("{}'{}.dat' using 1:{} with linespoints dt {} title '{}'",
                              first ? "" : ", \\\n     ", name, p.column, se.wan ? 2 : 1, se.title);
        first = false;
      }
      script += "\n";
      std::ofstream out(fs::path(dir) / fmt::format("{}-{}.gp", p.file, term));
      out << script;
      if (!out) return Status::IOError(fmt::format("cannot write gnuplot script in {}", dir));
    }
  }
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
    return fmt::format(
        "wrote data and gnuplot scripts to {}; gnuplot is not installed, so no PNG/SVG were "
        "rendered (apt-get install gnuplot-nox, then: cd {} && for f in *.gp; do gnuplot $f; "
        "done)",
        dir, dir);
  }
  std::string cmd = fmt::format("cd '{}' && for f in *.gp; do gnuplot \"$f\" || exit 1; done", dir);
  if (std::system(cmd.c_str()) != 0) {
    return Status::IOError(fmt::format("gnuplot failed on the scripts in {}", dir));
  }
  return fmt::format("wrote throughput, latency and messages (.png and .svg) to {}", dir);
}

}  // namespace metaledger::sim
