// metaledger-sim: consensus scalability benchmarks and the metaverse scenario.
//
//   metaledger-sim bench --replicas 100 --latency-ms 50 --jitter-ms 10 --blocks 200 --seed 7
//   metaledger-sim sweep [--quick] [--csv out.csv] [--plot plots/] [--compare]
//   metaledger-sim scenario scenarios/metaverse-small.toml [--seed 3]
//   metaledger-sim scenario FILE --seed 3 --export-accounts accounts.json
//   metaledger-sim scenario FILE --seed 3 --node http://127.0.0.1:26601 [--blocks-per-step 10]
//
// Exit codes: 0 done, 1 the run found a problem (safety violation, broken invariant), 2 usage.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <string>

#include "sim/bench/bench.h"
#include "sim/bench/sweep.h"
#include "sim/scenario/live_ledger.h"
#include "sim/scenario/scenario_runner.h"
#include "sim/scenario/scenario_spec.h"

namespace {

using namespace metaledger::sim;

int RunBenchCommand(BenchOptions o, double loss) {
  o.loss_ppm = static_cast<uint64_t>(loss * 1000000);
  if (auto st = ValidateBenchOptions(o); !st.ok()) {
    std::fprintf(stderr, "metaledger-sim bench: %s\n", st.ToString().c_str());
    return 2;
  }
  BenchFigures f = RunBench(o);
  std::printf("%s\n", SummaryLine(o, f).c_str());
  return f.fork ? 1 : 0;
}

void Progress(size_t done, size_t total, const SweepPoint& p) {
  constexpr size_t kWidth = 30;
  size_t filled = total ? done * kWidth / total : kWidth;
  std::fprintf(stderr, "\r[%s%s] %zu/%zu %s n=%u %s batch=%llu        ",
               std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(), done,
               total, p.network.c_str(), p.options.replicas, p.fault.c_str(),
               static_cast<unsigned long long>(p.options.batch_txs));
  std::fflush(stderr);
}

int RunSweepCommand(const SweepOptions& s, const std::string& csv, const std::string& plot_dir,
                    bool compare) {
  std::vector<SweepRow> rows = RunSweep(SweepPoints(s), Progress);
  std::fprintf(stderr, "\r%80s\r", "");
  std::printf("%s", FormatTable(rows, compare).c_str());
  int rc = 0;
  for (const SweepRow& r : rows) rc |= r.figures.fork ? 1 : 0;
  if (!csv.empty()) {
    std::ofstream out(csv);
    out << FormatCsv(rows, compare);
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", csv.c_str());
      return 1;
    }
    std::fprintf(stderr, "wrote %s\n", csv.c_str());
  }
  if (!plot_dir.empty()) {
    auto note = WritePlots(rows, plot_dir);
    if (!note.ok()) {
      std::fprintf(stderr, "plots: %s\n", note.status().ToString().c_str());
      return 1;
    }
    std::fprintf(stderr, "plots: %s\n", note->c_str());
  }
  return rc;
}

struct ScenarioCommand {
  std::string file;
  uint64_t seed = 1;
  bool no_wall = false;
  std::string node;             // live testnet REST URL, or empty for in process
  std::string export_accounts;  // write the genesis accounts and stop
  uint64_t blocks_per_step = 10;
};

int ExportAccounts(const ScenarioSpec& spec, const ScenarioCommand& c) {
  auto text = ScenarioAccountsJson(spec, c.seed);
  if (!text.ok()) {
    std::fprintf(stderr, "metaledger-sim scenario: %s\n", text.status().ToString().c_str());
    return 1;
  }
  std::ofstream out(c.export_accounts);
  out << *text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "metaledger-sim scenario: cannot write %s\n", c.export_accounts.c_str());
    return 1;
  }
  std::fprintf(
      stderr,
      "wrote the genesis accounts of %s (seed %llu) to %s; create the testnet with\n"
      "  metaledger-node testnet --validators 4 --output DIR --chain-id %s --accounts %s\n",
      spec.name.c_str(), static_cast<unsigned long long>(c.seed), c.export_accounts.c_str(),
      spec.chain_id.c_str(), c.export_accounts.c_str());
  return 0;
}

int RunScenarioCommand(const ScenarioCommand& c) {
  auto spec = LoadScenario(c.file);
  if (!spec.ok()) {
    std::fprintf(stderr, "metaledger-sim scenario: %s\n", spec.status().ToString().c_str());
    return 2;
  }
  if (!c.export_accounts.empty()) return ExportAccounts(*spec, c);
  metaledger::Result<ScenarioReport> report = metaledger::Status::Internal("not run");
  if (c.node.empty()) {
    report = RunScenario(*spec, c.seed);
  } else {
    auto url = ParseNodeUrl(c.node);
    if (!url.ok()) {
      std::fprintf(stderr, "metaledger-sim scenario: %s\n", url.status().ToString().c_str());
      return 2;
    }
    LiveOptions options;
    options.node = *url;
    options.blocks_per_step = c.blocks_per_step;
    report = RunScenarioLive(*spec, c.seed, options);
  }
  if (!report.ok()) {
    std::fprintf(stderr, "metaledger-sim scenario: %s\n", report.status().ToString().c_str());
    return 1;
  }
  std::printf("%s", FormatReport(*report, !c.no_wall).c_str());
  std::vector<std::string> failures = InvariantFailures(*report);
  for (const std::string& f : failures) {
    std::fprintf(stderr, "metaledger-sim scenario: invariant failed: %s\n", f.c_str());
  }
  if (failures.empty()) std::fprintf(stderr, "metaledger-sim scenario: all invariants hold\n");
  return failures.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"MetaLedger simulator: consensus benchmarks and the metaverse scenario"};
  app.require_subcommand(1);

  BenchOptions bench;
  double loss = 0;
  auto* b = app.add_subcommand("bench", "run the real consensus cores on one configuration");
  b->add_option("--replicas", bench.replicas, "validators (n = 3f+1)")->required();
  b->add_option("--latency-ms", bench.latency_ms, "one-way link latency")->required();
  b->add_option("--jitter-ms", bench.jitter_ms, "uniform extra delay per message");
  b->add_option("--blocks", bench.blocks,
                "stop when every live honest replica committed this many");
  b->add_option("--seed", bench.seed, "the run is a function of its seed");
  b->add_option("--batch", bench.batch_txs, "transactions per block");
  b->add_option("--tx-bytes", bench.tx_bytes, "mean transaction size");
  b->add_option("--crashed", bench.crashed, "replicas down from the start (<= f)");
  b->add_flag("--byzantine-leader", bench.byzantine_leader,
              "replica 1 equivocates when it leads and double-votes");
  b->add_option("--bandwidth-mbps", bench.bandwidth_mbps, "per-node uplink (0 = unlimited)");
  b->add_option("--loss", loss, "message loss probability")->check(CLI::Range(0.0, 0.99));
  b->add_option("--verify-us", bench.verify_us, "CPU cost of one Ed25519 verification");
  b->add_option("--sign-us", bench.sign_us, "CPU cost of one Ed25519 signature");
  b->add_flag("--all-to-all-votes", bench.all_to_all_votes,
              "PBFT-style vote traffic: every vote to everyone, plus a second all-to-all phase");

  SweepOptions sweep;
  std::string csv, plot_dir;
  auto* s = app.add_subcommand("sweep", "n in {4..128}, LAN and WAN, batches, faults");
  s->add_flag("--quick", sweep.quick, "n up to 16 and 20 blocks per point");
  s->add_option("--seed", sweep.seed);
  s->add_option("--blocks", sweep.blocks, "blocks per point (default 50, 20 with --quick)");
  s->add_option("--csv", csv, "also write the table as CSV");
  s->add_option("--plot", plot_dir, "write gnuplot data and scripts (and PNG/SVG if gnuplot)");
  s->add_flag("--compare", sweep.compare,
              "also run the fault-free points with PBFT-style all-to-all votes");

  ScenarioCommand scenario;
  auto* sc = app.add_subcommand("scenario", "play a metaverse scenario through the contracts");
  sc->add_option("file", scenario.file, "scenario TOML file")->required();
  sc->add_option("--seed", scenario.seed);
  sc->add_flag("--no-wall-time", scenario.no_wall,
               "omit the wall-clock line (for byte-exact output)");
  auto* node_opt = sc->add_option("--node", scenario.node,
                                  "REST URL of a running testnet (http://HOST:PORT) to play on");
  sc->add_option("--blocks-per-step", scenario.blocks_per_step,
                 "with --node: chain blocks per planning step (idle chains make ~20 a second)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1000}));
  sc->add_option("--export-accounts", scenario.export_accounts,
                 "write the scenario's genesis accounts (JSON for `metaledger-node testnet "
                 "--accounts`) and exit")
      ->excludes(node_opt);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (b->parsed()) return RunBenchCommand(bench, loss);
  if (s->parsed()) return RunSweepCommand(sweep, csv, plot_dir, sweep.compare);
  return RunScenarioCommand(scenario);
}
