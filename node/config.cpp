#include "node/config.h"

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>
#include <toml++/toml.h>

extern char** environ;

namespace metaledger::node {
namespace {

enum class Kind { kString, kInteger };

// One setting: where it lives, how to set it, how to print it.
struct Field {
  const char* section;
  const char* key;
  Kind kind;
  const char* doc;
  std::function<Status(NodeConfig&, const std::string&, int64_t)> set;
  std::function<std::string(const NodeConfig&)> render;
};

Field U32Field(const char* section, const char* key, uint32_t NodeConfig::*member, uint32_t min,
               uint32_t max, const char* doc) {
  return Field{section, key, Kind::kInteger, doc,
               [=](NodeConfig& c, const std::string&, int64_t v) {
                 if (v < static_cast<int64_t>(min) || v > static_cast<int64_t>(max)) {
                   return Status::InvalidArgument(fmt::format("must be in {}..{}", min, max));
                 }
                 c.*member = static_cast<uint32_t>(v);
                 return Status::Ok();
               },
               [=](const NodeConfig& c) { return std::to_string(c.*member); }};
}

Field StringField(const char* section, const char* key, std::string NodeConfig::*member,
                  std::function<Status(const std::string&)> check, const char* doc) {
  return Field{section, key, Kind::kString, doc,
               [=](NodeConfig& c, const std::string& s, int64_t) {
                 if (check) ML_RETURN_IF_ERROR(check(s));
                 c.*member = s;
                 return Status::Ok();
               },
               [=](const NodeConfig& c) { return "\"" + c.*member + "\""; }};
}

Field AddressField(const char* section, const char* key, HostPort NodeConfig::*member,
                   const char* doc) {
  return Field{section, key, Kind::kString, doc,
               [=](NodeConfig& c, const std::string& s, int64_t) {
                 ML_ASSIGN_OR_RETURN(c.*member, ParseHostPort(s));
                 return Status::Ok();
               },
               [=](const NodeConfig& c) { return "\"" + (c.*member).ToString() + "\""; }};
}

Status CheckLevel(const std::string& s) {
  static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  for (const char* l : kLevels) {
    if (s == l) return Status::Ok();
  }
  return Status::InvalidArgument("unknown level \"" + s +
                                 "\" (trace, debug, info, warn, error, critical, off)");
}

Status CheckModules(const std::string& s) {
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("expected module=level, got \"" + item + "\"");
    }
    ML_RETURN_IF_ERROR(CheckLevel(item.substr(eq + 1)));
  }
  return Status::Ok();
}

const std::vector<Field>& Fields() {
  static const std::vector<Field> fields = {
      StringField("node", "moniker", &NodeConfig::moniker,
                  [](const std::string& s) {
                    return s.empty() || s.size() > 64
                               ? Status::InvalidArgument("must be 1..64 characters")
                               : Status::Ok();
                  },
                  "A human-readable name for this node, used in logs."),
      AddressField("p2p", "listen", &NodeConfig::p2p_listen,
                   "Address the validator-to-validator transport listens on."),
      U32Field("p2p", "max_frame_bytes", &NodeConfig::p2p_max_frame_bytes, 1024, 64u << 20,
               "Hard limit on one frame; a peer sending more is disconnected."),
      U32Field("p2p", "send_queue_frames", &NodeConfig::p2p_send_queue_frames, 16, 1u << 20,
               "Frames queued per peer before new ones are dropped (and counted)."),
      U32Field("p2p", "handshake_timeout_ms", &NodeConfig::p2p_handshake_timeout_ms, 100, 600000,
               "A peer that does not finish the handshake in time is disconnected."),
      U32Field("p2p", "reconnect_min_ms", &NodeConfig::p2p_reconnect_min_ms, 10, 600000,
               "First reconnect delay; doubles per failure up to reconnect_max_ms."),
      U32Field("p2p", "reconnect_max_ms", &NodeConfig::p2p_reconnect_max_ms, 10, 3600000,
               "Longest reconnect delay."),
      U32Field("p2p", "encryption", &NodeConfig::p2p_encryption, 0, 1,
               "1: frames are encrypted (secretstream). 0 is for benchmarks only and is refused "
               "unless [bench] unsigned_commands = 1."),
      AddressField("api", "listen", &NodeConfig::api_listen, "REST API address."),
      AddressField("ops", "listen", &NodeConfig::ops_listen,
                   "Operations address (metrics, health, test-only submission)."),
      U32Field("mempool", "max_txs", &NodeConfig::mempool_max_txs, 1, 10000000,
               "Transactions held in total; admission beyond this fails with \"mempool full\"."),
      U32Field("mempool", "max_per_sender", &NodeConfig::mempool_max_per_sender, 1, 10000000,
               "Transactions held per sender."),
      U32Field("mempool", "batch_max_txs", &NodeConfig::mempool_batch_max_txs, 1, 100000,
               "A batch closes when it holds this many transactions ..."),
      U32Field("mempool", "batch_max_ms", &NodeConfig::mempool_batch_max_ms, 1, 60000,
               "... or when its first transaction has waited this long."),
      U32Field("consensus", "base_timeout_ms", &NodeConfig::consensus_base_timeout_ms, 50,
               600000, "Round timeout; doubles on consecutive timeouts."),
      U32Field("consensus", "max_timeout_ms", &NodeConfig::consensus_max_timeout_ms, 50, 3600000,
               "Upper bound of the round timeout."),
      U32Field("consensus", "max_batches_per_block", &NodeConfig::consensus_max_batches_per_block,
               1, 10000, "Most batches one block carries."),
      U32Field("consensus", "block_max_wait_ms", &NodeConfig::consensus_block_max_wait_ms, 0, 60000,
               "A leader with no batch waits this long before proposing an empty block; "
               "a batch arriving ends the wait."),
      U32Field("consensus", "idle_block_interval_ms",
               &NodeConfig::consensus_idle_block_interval_ms, 0, 300000,
               "An idle chain (nothing to carry, its last three blocks empty) makes one empty "
               "block per this interval; new transactions end the wait. 0: every "
               "block_max_wait_ms. At most half of base_timeout_ms."),
      U32Field("consensus", "min_block_interval_ms", &NodeConfig::consensus_min_block_interval_ms,
               0, 300000,
               "A validator votes for a block only this long after the block's time, so blocks "
               "come at most this often and carry more each: less CPU per transaction, more "
               "latency. 0: a block per round. At most half of base_timeout_ms."),
      StringField("storage", "dir", &NodeConfig::storage_dir,
                  [](const std::string& s) {
                    return s.empty() ? Status::InvalidArgument("must not be empty") : Status::Ok();
                  },
                  "RocksDB directory; relative paths are under the home directory."),
      StringField("log", "format", &NodeConfig::log_format,
                  [](const std::string& s) {
                    return s == "text" || s == "json"
                               ? Status::Ok()
                               : Status::InvalidArgument("must be \"text\" or \"json\"");
                  },
                  "\"text\" for people, \"json\" for one JSON object per line."),
      StringField("log", "level", &NodeConfig::log_level, CheckLevel,
                  "Default level: trace, debug, info, warn, error, critical, off."),
      StringField("log", "modules", &NodeConfig::log_modules, CheckModules,
                  "Per-module levels, e.g. \"p2p=debug,consensus=warn\" (modules: node, p2p, "
                  "mempool, consensus, exec, sync, api)."),
      U32Field("bench", "gateway_port", &NodeConfig::bench_gateway_port, 0, 65535,
               "BENCHMARK ONLY. Binary submission port on 127.0.0.1 for bench/cluster; 0 = off."),
      U32Field("bench", "unsigned_commands", &NodeConfig::bench_unsigned_commands, 0, 1,
               "BENCHMARK ONLY. 1: admission skips signatures and contract prechecks (commands "
               "still go through batches, consensus, commit and storage). Never in production."),
  };
  return fields;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string EnvName(const Field& f) {
  return "METALEDGER_" + Upper(f.section) + "_" + Upper(f.key);
}

}  // namespace

Result<HostPort> ParseHostPort(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return Status::InvalidArgument(fmt::format("\"{}\" is not host:port", text));
  }
  std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return Status::InvalidArgument(fmt::format("\"{}\": port must be 1..65535", text));
  }
  return HostPort{std::string(text.substr(0, colon)), static_cast<uint16_t>(port)};
}

Result<NodeConfig> ParseConfig(std::string_view toml_text, std::string_view origin,
                               const std::map<std::string, std::string>& env) {
  NodeConfig config;
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(fmt::format("{}:{}: {}", origin, e.source().begin.line,
                                               e.description()));
  }
  for (const auto& [section_key, section_node] : root) {
    std::string section(section_key.str());
    const toml::table* table = section_node.as_table();
    if (table == nullptr) {
      return Status::InvalidArgument(
          fmt::format("{}: key \"{}\": unknown top-level key (settings live in sections)", origin,
                      section));
    }
    for (const auto& [key_node, value] : *table) {
      std::string key(key_node.str());
      const Field* field = nullptr;
      for (const Field& f : Fields()) {
        if (section == f.section && key == f.key) field = &f;
      }
      std::string where = fmt::format("{}: [{}] {}", origin, section, key);
      if (field == nullptr) return Status::InvalidArgument(where + ": unknown key");
      Status s;
      if (field->kind == Kind::kInteger) {
        auto v = value.value<int64_t>();
        if (!value.is_integer() || !v) return Status::InvalidArgument(where + ": expected an integer");
        s = field->set(config, "", *v);
      } else {
        if (!value.is_string()) return Status::InvalidArgument(where + ": expected a string");
        s = field->set(config, *value.value<std::string>(), 0);
      }
      if (!s.ok()) return Status::InvalidArgument(where + ": " + s.message());
    }
  }
  for (const auto& [name, text] : env) {
    if (name.rfind("METALEDGER_", 0) != 0) continue;
    const Field* field = nullptr;
    bool section_known = false;
    for (const Field& f : Fields()) {
      if (name == EnvName(f)) field = &f;
      if (name.rfind("METALEDGER_" + Upper(f.section) + "_", 0) == 0) section_known = true;
    }
    if (field == nullptr) {
      // Variables of other tools (e.g. METALEDGER_BIN) share the prefix; only names that
      // start like a config section are ours and must match a key.
      if (section_known) return Status::InvalidArgument("environment " + name + ": unknown key");
      continue;
    }
    Status s;
    if (field->kind == Kind::kInteger) {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || ptr != text.data() + text.size()) {
        return Status::InvalidArgument("environment " + name + ": expected an integer");
      }
      s = field->set(config, "", v);
    } else {
      s = field->set(config, text, 0);
    }
    if (!s.ok()) return Status::InvalidArgument("environment " + name + ": " + s.message());
  }
  if (config.p2p_reconnect_min_ms > config.p2p_reconnect_max_ms) {
    return Status::InvalidArgument(fmt::format(
        "{}: [p2p] reconnect_min_ms: must not exceed reconnect_max_ms", origin));
  }
  if (config.consensus_base_timeout_ms > config.consensus_max_timeout_ms) {
    return Status::InvalidArgument(fmt::format(
        "{}: [consensus] base_timeout_ms: must not exceed max_timeout_ms", origin));
  }
  if (config.consensus_idle_block_interval_ms != 0 &&
      (config.consensus_idle_block_interval_ms < config.consensus_block_max_wait_ms ||
       config.consensus_idle_block_interval_ms > config.consensus_base_timeout_ms / 2)) {
    // Longer than half a round timeout, the other validators would take an idle leader for a
    // dead one and change views.
    return Status::InvalidArgument(fmt::format(
        "{}: [consensus] idle_block_interval_ms: must be 0 or between block_max_wait_ms ({}) and "
        "half of base_timeout_ms ({})",
        origin, config.consensus_block_max_wait_ms, config.consensus_base_timeout_ms / 2));
  }
  if (config.consensus_min_block_interval_ms > config.consensus_base_timeout_ms / 2) {
    // A round must still fit in a round timeout with room to spare, or pacing alone would
    // change views.
    return Status::InvalidArgument(fmt::format(
        "{}: [consensus] min_block_interval_ms: must be at most half of base_timeout_ms ({})",
        origin, config.consensus_base_timeout_ms / 2));
  }
  if (config.p2p_encryption == 0 && config.bench_unsigned_commands == 0) {
    return Status::InvalidArgument(fmt::format(
        "{}: [p2p] encryption: 0 is for benchmarks only and needs [bench] unsigned_commands = 1",
        origin));
  }
  return config;
}

Result<NodeConfig> LoadConfig(const std::string& path,
                              const std::map<std::string, std::string>& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open");
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseConfig(buf.str(), path, env);
}

std::string RenderConfig(const NodeConfig& config) {
  std::string out =
      "# MetaLedger node configuration.\n"
      "# Every setting can be overridden by an environment variable METALEDGER_<SECTION>_<KEY>,\n"
      "# e.g. METALEDGER_LOG_LEVEL=debug. Unknown keys and bad values stop the node at start.\n";
  std::string section;
  for (const Field& f : Fields()) {
    if (section != f.section) {
      section = f.section;
      out += fmt::format("\n[{}]\n", section);
    }
    out += fmt::format("# {}\n{} = {}\n", f.doc, f.key, f.render(config));
  }
  return out;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (entry.rfind("METALEDGER_", 0) != 0) continue;
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env[std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
  }
  return env;
}

}  // namespace metaledger::node
