#pragma once
// A metaverse scenario as a TOML file describes (see docs/scenario.md): the consortium
// (operators running validators), VSPs with their digital twins and sensing budgets, UAV
// operators with UAVs and their sensing costs, FL clients by behaviour and evaluators, and the
// schedule (how many blocks, how often each activity happens). Parsing checks shape and ranges
// and names the offending key; it never throws.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace metaledger::sim {

struct TwinSpec {
  std::string name;
  std::string twin_class;  // "base_station", "channel", "factory", ...
  std::vector<uint64_t> cells;
  uint64_t max_aoi_ms = 0;
};

struct VspSpec {
  std::string name;
  uint64_t balance = 0;
  uint64_t pool_funding = 0;  // put into its sensing pool at the start
  std::vector<TwinSpec> twins;
  // Sensing auction, posted every `auction_every_blocks` (0 = never).
  uint64_t auction_every_blocks = 0;
  uint32_t auction_k = 1;
  uint64_t auction_reserve = 0;
  std::vector<uint64_t> auction_cells;
  uint64_t auction_max_aoi_ms = 60000;
};

struct UavFleetSpec {
  uint32_t operators = 0;
  uint32_t uavs_per_operator = 1;
  uint64_t operator_balance = 0;
  uint64_t cost_min = 0, cost_max = 0;  // each UAV's sensing cost, drawn from the seed
  std::vector<uint64_t> cells;          // where they fly
  uint64_t sense_every_blocks = 1;      // each UAV registers a dataset this often
  uint64_t capture_delay_ms_max = 0;    // data is up to this old when registered
};

struct FlSpec {
  uint32_t honest = 0, free_riding = 0, poisoning = 0;
  uint32_t evaluators = 0;
  uint32_t rounds = 0;
  uint64_t budget_per_round = 0;
};

struct ScheduleSpec {
  uint64_t blocks = 0;
  uint64_t block_time_ms = 1000;
  uint64_t twin_sync_every_blocks = 1;
  uint64_t stale_sync_every = 0;  // every k-th sync attempt of a twin uses stale input (0 = none)
  uint64_t lineage_every = 0;     // every k-th dataset gets a CLEANED derivative (0 = none)
  uint64_t aoi_sample_every_blocks = 1;
};

struct ScenarioSpec {
  std::string name;
  std::string chain_id = "metaverse-sim";
  uint32_t operators = 4;
  std::map<std::string, uint64_t> params;  // chain parameter overrides
  std::vector<VspSpec> vsps;
  UavFleetSpec uavs;
  FlSpec fl;
  ScheduleSpec schedule;
};

// InvalidArgument naming the key for malformed or out-of-range input.
Result<ScenarioSpec> ParseScenario(std::string_view toml_text, std::string_view origin);
// IOError when the file cannot be read; otherwise as ParseScenario.
Result<ScenarioSpec> LoadScenario(const std::string& path);

}  // namespace metaledger::sim
