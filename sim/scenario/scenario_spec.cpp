#include "sim/scenario/scenario_spec.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace metaledger::sim {
namespace {

// Reads an optional non-negative integer `key` of `table` into `out`.
Status ReadU64(const toml::table& table, std::string_view path, std::string_view key, uint64_t& out,
               uint64_t max = UINT64_MAX) {
  const toml::node* node = table.get(key);
  if (!node) return Status::Ok();
  auto v = node->value<int64_t>();
  if (!v || *v < 0 || static_cast<uint64_t>(*v) > max) {
    return Status::InvalidArgument(
        fmt::format("{}.{}: expected an integer between 0 and {}", path, key, max));
  }
  out = static_cast<uint64_t>(*v);
  return Status::Ok();
}

Status ReadU32(const toml::table& table, std::string_view path, std::string_view key, uint32_t& out,
               uint32_t max = 100000) {
  uint64_t v = out;
  ML_RETURN_IF_ERROR(ReadU64(table, path, key, v, max));
  out = static_cast<uint32_t>(v);
  return Status::Ok();
}

Status ReadString(const toml::table& table, std::string_view path, std::string_view key,
                  std::string& out) {
  const toml::node* node = table.get(key);
  if (!node) return Status::Ok();
  auto v = node->value<std::string>();
  if (!v || v->empty() || v->size() > 64) {
    return Status::InvalidArgument(
        fmt::format("{}.{}: expected a string of 1..64 characters", path, key));
  }
  out = *v;
  return Status::Ok();
}

// Cells: a non-empty array of distinct integers, returned sorted (the contracts want them so).
Status ReadCells(const toml::table& table, std::string_view path, std::string_view key,
                 std::vector<uint64_t>& out, bool required) {
  const toml::node* node = table.get(key);
  if (!node) {
    return required ? Status::InvalidArgument(fmt::format("{}.{}: required", path, key))
                    : Status::Ok();
  }
  const toml::array* arr = node->as_array();
  if (!arr || arr->empty() || arr->size() > 64) {
    return Status::InvalidArgument(
        fmt::format("{}.{}: expected an array of 1..64 cell ids", path, key));
  }
  out.clear();
  for (const toml::node& e : *arr) {
    auto v = e.value<int64_t>();
    if (!v || *v < 0) {
      return Status::InvalidArgument(
          fmt::format("{}.{}: cell ids are non-negative integers", path, key));
    }
    out.push_back(static_cast<uint64_t>(*v));
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) {
    return Status::InvalidArgument(fmt::format("{}.{}: duplicate cell id", path, key));
  }
  return Status::Ok();
}

const toml::table* SubTable(const toml::table& root, std::string_view key) {
  const toml::node* n = root.get(key);
  return n ? n->as_table() : nullptr;
}

Status ParseVsp(const toml::table& t, size_t index, VspSpec& v) {
  std::string path = fmt::format("vsp[{}]", index);
  v.name = fmt::format("vsp{}", index);
  ML_RETURN_IF_ERROR(ReadString(t, path, "name", v.name));
  ML_RETURN_IF_ERROR(ReadU64(t, path, "balance", v.balance, uint64_t{1} << 50));
  ML_RETURN_IF_ERROR(ReadU64(t, path, "pool_funding", v.pool_funding, v.balance));
  if (const toml::table* a = SubTable(t, "auction")) {
    std::string ap = path + ".auction";
    ML_RETURN_IF_ERROR(ReadU64(*a, ap, "every_blocks", v.auction_every_blocks, 100000));
    ML_RETURN_IF_ERROR(ReadU32(*a, ap, "k", v.auction_k, 64));
    ML_RETURN_IF_ERROR(ReadU64(*a, ap, "reserve", v.auction_reserve, uint64_t{1} << 40));
    ML_RETURN_IF_ERROR(ReadU64(*a, ap, "max_aoi_ms", v.auction_max_aoi_ms, 86400000));
    ML_RETURN_IF_ERROR(ReadCells(*a, ap, "cells", v.auction_cells, v.auction_every_blocks > 0));
    if (v.auction_every_blocks && (v.auction_k == 0 || v.auction_reserve == 0)) {
      return Status::InvalidArgument(ap + ": k and reserve must be positive");
    }
  }
  if (const toml::node* tw = t.get("twins")) {
    const toml::array* arr = tw->as_array();
    if (!arr) return Status::InvalidArgument(path + ".twins: expected an array of tables");
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::table* tt = (*arr)[i].as_table();
      std::string tp = fmt::format("{}.twins[{}]", path, i);
      if (!tt) return Status::InvalidArgument(tp + ": expected a table");
      TwinSpec twin;
      twin.name = fmt::format("{}-twin{}", v.name, i);
      twin.twin_class = "base_station";
      ML_RETURN_IF_ERROR(ReadString(*tt, tp, "name", twin.name));
      ML_RETURN_IF_ERROR(ReadString(*tt, tp, "class", twin.twin_class));
      ML_RETURN_IF_ERROR(ReadCells(*tt, tp, "cells", twin.cells, true));
      ML_RETURN_IF_ERROR(ReadU64(*tt, tp, "max_aoi_ms", twin.max_aoi_ms, 86400000));
      if (twin.max_aoi_ms == 0) return Status::InvalidArgument(tp + ".max_aoi_ms: required, > 0");
      v.twins.push_back(std::move(twin));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ScenarioSpec> ParseScenario(std::string_view toml_text, std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin;
    return Status::InvalidArgument(
        fmt::format("{}: TOML syntax error at {}: {}", origin, where.str(), e.description()));
  }
  ScenarioSpec s;
  ML_RETURN_IF_ERROR(ReadString(root, "", "name", s.name));
  ML_RETURN_IF_ERROR(ReadString(root, "", "chain_id", s.chain_id));
  if (const toml::table* ops = SubTable(root, "operators")) {
    ML_RETURN_IF_ERROR(ReadU32(*ops, "operators", "count", s.operators, 100));
  }
  if (s.operators < 1) return Status::InvalidArgument("operators.count: at least 1");
  if (const toml::table* params = SubTable(root, "params")) {
    for (const auto& [key, node] : *params) {
      auto v = node.value<int64_t>();
      if (!v || *v < 0) {
        return Status::InvalidArgument(
            fmt::format("params.{}: expected a non-negative integer", key.str()));
      }
      s.params[std::string(key.str())] = static_cast<uint64_t>(*v);
    }
  }
  if (const toml::node* vsps = root.get("vsp")) {
    const toml::array* arr = vsps->as_array();
    if (!arr) return Status::InvalidArgument("vsp: expected [[vsp]] tables");
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::table* t = (*arr)[i].as_table();
      if (!t) return Status::InvalidArgument(fmt::format("vsp[{}]: expected a table", i));
      VspSpec v;
      ML_RETURN_IF_ERROR(ParseVsp(*t, i, v));
      s.vsps.push_back(std::move(v));
    }
  }
  if (s.vsps.empty()) return Status::InvalidArgument("vsp: at least one [[vsp]] is required");
  if (const toml::table* u = SubTable(root, "uavs")) {
    UavFleetSpec& f = s.uavs;
    ML_RETURN_IF_ERROR(ReadU32(*u, "uavs", "operators", f.operators, 1000));
    ML_RETURN_IF_ERROR(ReadU32(*u, "uavs", "per_operator", f.uavs_per_operator, 100));
    ML_RETURN_IF_ERROR(
        ReadU64(*u, "uavs", "operator_balance", f.operator_balance, uint64_t{1} << 50));
    ML_RETURN_IF_ERROR(ReadU64(*u, "uavs", "cost_min", f.cost_min, uint64_t{1} << 40));
    ML_RETURN_IF_ERROR(ReadU64(*u, "uavs", "cost_max", f.cost_max, uint64_t{1} << 40));
    ML_RETURN_IF_ERROR(ReadCells(*u, "uavs", "cells", f.cells, f.operators > 0));
    ML_RETURN_IF_ERROR(ReadU64(*u, "uavs", "sense_every_blocks", f.sense_every_blocks, 100000));
    ML_RETURN_IF_ERROR(
        ReadU64(*u, "uavs", "capture_delay_ms_max", f.capture_delay_ms_max, 86400000));
    if (f.cost_max < f.cost_min) return Status::InvalidArgument("uavs.cost_max: below cost_min");
    if (f.sense_every_blocks == 0) return Status::InvalidArgument("uavs.sense_every_blocks: > 0");
  }
  if (const toml::table* fl = SubTable(root, "fl")) {
    ML_RETURN_IF_ERROR(ReadU32(*fl, "fl", "honest", s.fl.honest));
    ML_RETURN_IF_ERROR(ReadU32(*fl, "fl", "free_riding", s.fl.free_riding));
    ML_RETURN_IF_ERROR(ReadU32(*fl, "fl", "poisoning", s.fl.poisoning));
    ML_RETURN_IF_ERROR(ReadU32(*fl, "fl", "evaluators", s.fl.evaluators, 64));
    ML_RETURN_IF_ERROR(ReadU32(*fl, "fl", "rounds", s.fl.rounds, 1000));
    ML_RETURN_IF_ERROR(
        ReadU64(*fl, "fl", "budget_per_round", s.fl.budget_per_round, uint64_t{1} << 40));
    if (s.fl.evaluators < 3) return Status::InvalidArgument("fl.evaluators: at least 3");
  }
  const toml::table* sch = SubTable(root, "schedule");
  if (!sch) return Status::InvalidArgument("schedule: required ([schedule] with blocks = N)");
  ScheduleSpec& c = s.schedule;
  ML_RETURN_IF_ERROR(ReadU64(*sch, "schedule", "blocks", c.blocks, 1000000));
  ML_RETURN_IF_ERROR(ReadU64(*sch, "schedule", "block_time_ms", c.block_time_ms, 3600000));
  ML_RETURN_IF_ERROR(
      ReadU64(*sch, "schedule", "twin_sync_every_blocks", c.twin_sync_every_blocks, 100000));
  ML_RETURN_IF_ERROR(ReadU64(*sch, "schedule", "stale_sync_every", c.stale_sync_every, 100000));
  ML_RETURN_IF_ERROR(ReadU64(*sch, "schedule", "lineage_every", c.lineage_every, 100000));
  ML_RETURN_IF_ERROR(
      ReadU64(*sch, "schedule", "aoi_sample_every_blocks", c.aoi_sample_every_blocks, 100000));
  if (c.blocks == 0) return Status::InvalidArgument("schedule.blocks: required, > 0");
  if (c.block_time_ms == 0) return Status::InvalidArgument("schedule.block_time_ms: > 0");
  if (c.twin_sync_every_blocks == 0 || c.aoi_sample_every_blocks == 0) {
    return Status::InvalidArgument("schedule: *_every_blocks must be > 0");
  }
  return s;
}

Result<ScenarioSpec> LoadScenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(fmt::format("cannot read scenario file {}", path));
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseScenario(buf.str(), path);
}

}  // namespace metaledger::sim
