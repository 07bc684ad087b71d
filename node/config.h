#pragma once
// Node configuration: DIR/config/config.toml, overridable by METALEDGER_<SECTION>_<KEY>
// environment variables. Loading is strict: an unknown section or key, a value of the wrong
// type or out of range is refused with the file (or variable), the key and the reason, so a
// typo never silently falls back to a default.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace metaledger::node {

struct HostPort {
  std::string host;
  uint16_t port = 0;
  std::string ToString() const { return host + ":" + std::to_string(port); }
};

// "host:port" with a non-empty host and a port in 1..65535.
Result<HostPort> ParseHostPort(std::string_view text);

struct NodeConfig {
  // [node]
  std::string moniker = "node";
  // [p2p]
  HostPort p2p_listen{"0.0.0.0", 26656};
  uint32_t p2p_max_frame_bytes = 4 << 20;
  uint32_t p2p_send_queue_frames = 4096;
  uint32_t p2p_handshake_timeout_ms = 5000;
  uint32_t p2p_reconnect_min_ms = 100;
  uint32_t p2p_reconnect_max_ms = 5000;
  uint32_t p2p_encryption = 1;  // 0 only with bench_unsigned_commands = 1 (benchmark only)
  // [api]
  HostPort api_listen{"127.0.0.1", 26657};
  // [ops]
  HostPort ops_listen{"127.0.0.1", 26660};
  // [mempool]
  uint32_t mempool_max_txs = 200000;
  uint32_t mempool_max_per_sender = 10000;
  uint32_t mempool_batch_max_txs = 1000;
  uint32_t mempool_batch_max_ms = 10;
  // [consensus]
  uint32_t consensus_base_timeout_ms = 1500;
  uint32_t consensus_max_timeout_ms = 10000;
  uint32_t consensus_max_batches_per_block = 64;
  uint32_t consensus_block_max_wait_ms = 50;
  uint32_t consensus_idle_block_interval_ms = 500;  // 0: idle blocks at block_max_wait_ms
  uint32_t consensus_min_block_interval_ms = 0;     // 0: a block per round, as fast as it goes
  // [storage]
  std::string storage_dir = "data";  // relative to the home directory unless absolute
  // [log]
  std::string log_format = "text";   // "text" or "json"
  std::string log_level = "info";
  std::string log_modules;           // "p2p=debug,consensus=warn"
  // [bench]  BENCHMARK ONLY (bench/cluster); both off by default.
  uint32_t bench_gateway_port = 0;        // binary submission port on 127.0.0.1; 0 = off
  uint32_t bench_unsigned_commands = 0;   // 1: admission skips signature and precheck
};

// Reads `path`, then applies `env` (NAME -> value; pass the process environment).
Result<NodeConfig> LoadConfig(const std::string& path, const std::map<std::string, std::string>& env);
// Parses TOML text; `origin` names the source in error messages.
Result<NodeConfig> ParseConfig(std::string_view toml_text, std::string_view origin,
                               const std::map<std::string, std::string>& env);
// The default config.toml, every setting present and commented.
std::string RenderConfig(const NodeConfig& config);
// The METALEDGER_* variables of this process.
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace metaledger::node
