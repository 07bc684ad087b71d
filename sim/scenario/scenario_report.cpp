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
  if (r.live) {
    // Against a testnet the wall-clock rate is the point, so it is always shown.
    const LiveFigures& l = *r.live;
    out += fmt::format(
        "  live testnet {}: heights {}..{}, {} blocks a step, slowest commit {} blocks into its "
        "step, {} committed late; ledger throughput {} txs committed in {}.{:03} s wall = {} "
        "tx/s\n",
        l.node, l.first_height, l.last_height, l.blocks_per_step, l.slowest_commit_blocks,
        l.late_txs, r.txs, l.wall_us / 1000000, l.wall_us / 1000 % 1000,
        l.wall_us ? r.txs * 1000000 / l.wall_us : 0);
  } else if (with_wall_time && r.wall_us) {
    out += fmt::format("  executor throughput (wall, real Ed25519 verification): {} tx/s\n",
                       r.txs * 1000000 / r.wall_us);
  }
  out += fmt::format("provenance: {} raw datasets, {} derived (lineage), {} sensing records\n",
                     r.datasets, r.derived_datasets, r.sensing_records);
  out += "rewards per participant class (balance + claimable, end minus start):\n";
  for (const ClassRewards& c : r.rewards) {
    out += fmt::format("  {:<14} {:>4} accounts  {:>+10}\n", c.participant_class, c.accounts,
                       c.net_change);
  }
  out += fmt::format("FL: {}\n", r.fl_note);
  for (const FlTaskOutcome& t : r.fl_tasks) {
    out += fmt::format(
        "  {:<6} model: {} rounds ({} approved, {} rejected, {} failed), head accuracy {}.{:02}%, "
        "budgets {} = paid {} + carry {}\n",
        t.family, t.rounds, t.approved, t.rejected, t.failed, t.head_acc_bps / 100,
        t.head_acc_bps % 100, t.budgets, t.paid, t.carry);
  }
  for (const FlClassOutcome& c : r.fl_classes) {
    out += fmt::format(
        "  {:<11} {:>4} clients: {:>5} updates accepted, {:>4} refused, {:>4} flagged; earned "
        "{} (per client {}..{})\n",
        c.behaviour, c.clients, c.submitted, c.refused, c.flagged, c.earned, c.min_per_client,
        c.max_per_client);
  }
  if (!r.fl_tasks.empty()) {
    out += fmt::format("  FL budgets {}\n", r.fl_conserves ? "conserved" : "NOT CONSERVED");
  }
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

std::vector<std::string> InvariantFailures(const ScenarioReport& r) {
  std::vector<std::string> failures;
  for (const AuctionOutcome& a : r.auctions) {
    if (a.vsp_spend > uint64_t{a.k} * a.reserve) {
      failures.push_back(fmt::format("auction of {} at h{}: VSP spend {} > K x reserve {}", a.vsp,
                                     a.posted_h, a.vsp_spend, uint64_t{a.k} * a.reserve));
    }
    for (uint64_t cost : a.winner_costs) {
      if (a.paid == a.winner_costs.size() && a.price < cost) {
        failures.push_back(fmt::format("auction of {} at h{}: price {} below a winner's cost {}",
                                       a.vsp, a.posted_h, a.price, cost));
      }
    }
  }
  if (r.accepted_with_stale_input > 0) {
    failures.push_back(
        fmt::format("{} twin updates accepted with a stale input", r.accepted_with_stale_input));
  }
  if (r.stale_updates_accepted > 0) {
    failures.push_back(
        fmt::format("{} stale twin sync attempts accepted", r.stale_updates_accepted));
  }
  if (!r.pools_conserve) failures.push_back("sensing pools do not conserve");
  if (!r.supply_conserves) failures.push_back("token supply does not conserve");
  if (!r.fl_conserves) failures.push_back("FL budgets do not conserve");
  // Honest FL clients earn more than free-riders and poisoners, who earn nothing.
  uint64_t approved = 0;
  for (const FlTaskOutcome& t : r.fl_tasks) approved += t.approved;
  const FlClassOutcome* honest = nullptr;
  for (const FlClassOutcome& c : r.fl_classes) {
    if (c.behaviour == "honest") {
      honest = &c;
    } else if (c.earned > 0) {
      failures.push_back(fmt::format("{} FL clients earned {}", c.behaviour, c.earned));
    }
  }
  if (honest && honest->clients > 0 && approved > 0 && honest->min_per_client == 0) {
    failures.push_back("an honest FL client earned nothing in approved rounds");
  }
  return failures;
}

}  // namespace metaledger::sim
