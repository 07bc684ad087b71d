#include <fmt/format.h>

#include "sim/scenario/scenario_runner.h"

namespace metaledger::sim {

std::string FormatReport(const ScenarioReport& r, bool with_wall_time) {
  std::string out = fmt::format("scenario {} seed {}: {} blocks, {} ms virtual\n", r.name, r.seed,
                                r.blocks, r.virtual_ms);
  out += fmt::format("ledger: {} transactions ({} OK), {} tx/s of virtual time\n", r.txs, r.txs_ok,
                     r.virtual_ms ? r.txs * 1000 / r.virtual_ms : 0);
  if (!r.refusals.empty()) {
    out += "  refused:";
    for (const auto& [code, n] : r.refusals) out += fmt::format(" {}={}", code, n);
    out += "\n";
  }
  if (with_wall_time && r.wall_us) {
    out += fmt::format("  executor throughput (wall, real Ed25519 verification): {} tx/s\n",
                       r.txs * 1000000 / r.wall_us);
  }
  out += fmt::format("provenance: {} raw datasets, {} derived (lineage), {} sensing records\n",
                     r.datasets, r.derived_datasets, r.sensing_records);
  out += "rewards per participant class (balance + claimable, end minus start):\n";
  for (const ClassRewards& c : r.rewards) {
    out += fmt::format("  {:<13} {:>4} accounts  {:>+10}\n", c.participant_class, c.accounts,
                       c.net_change);
  }
  out += fmt::format("FL: {}\n", r.fl_note);
  out += fmt::format("auctions: {}\n", r.auctions.size());
  for (const AuctionOutcome& a : r.auctions) {
    std::string costs;
    for (uint64_t c : a.winner_costs) costs += fmt::format("{}{}", costs.empty() ? "" : ",", c);
    out += fmt::format(
        "  {} @h{}: K={} reserve={} valid bids={} winners={} price={} (winner costs {}) "
        "delivered={} paid={} VSP spend {} <= K*reserve {}\n",
        a.vsp, a.posted_h, a.k, a.reserve, a.bids, a.winner_costs.size(), a.price,
        costs.empty() ? "-" : costs, a.delivered, a.paid, a.vsp_spend, uint64_t{a.k} * a.reserve);
  }
  uint64_t in_sync = 0, samples = 0;
  for (const TwinSample& s : r.twin_aoi) {
    in_sync += s.in_sync;
    samples += s.twins;
  }
  out += fmt::format(
      "twins: {} updates accepted, stale attempts refused {} / accepted {}, accepted with a stale "
      "input {}; in sync {} of {} samples ({}%)\n",
      r.twin_updates_accepted, r.stale_updates_refused, r.stale_updates_accepted,
      r.accepted_with_stale_input, in_sync, samples, samples ? in_sync * 100 / samples : 0);
  // A compact AoI timeline: at most 12 evenly spaced samples.
  size_t step = std::max<size_t>(1, r.twin_aoi.size() / 12);
  out += "  AoI over time (height: in-sync/twins, mean AoI ms):";
  for (size_t i = 0; i < r.twin_aoi.size(); i += step) {
    const TwinSample& s = r.twin_aoi[i];
    out += fmt::format(" h{}: {}/{} {}", s.height, s.in_sync, s.twins, s.mean_aoi_ms);
    out += i + step < r.twin_aoi.size() ? ";" : "";
  }
  out += "\n";
  out +=
      fmt::format("pools: funded {} = paid {} + balance {} ({}); claimable rewards {}; supply {}\n",
                  r.pools_funded, r.pools_paid, r.pools_balance,
                  r.pools_conserve ? "conserved" : "NOT CONSERVED", r.claimable_total,
                  r.supply_conserves ? "conserved" : "NOT CONSERVED");
  return out;
}

}  // namespace metaledger::sim
