#pragma once
// Process-wide logging through spdlog: one named logger per module (node, p2p, mempool,
// consensus, exec, sync, api), text or JSON lines on stderr, a default level and per-module
// overrides ("p2p=debug,consensus=warn").

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "core/status.h"

namespace metaledger::node {

// Call once at start, before any Log(); later calls reconfigure.
Status SetupLogging(const std::string& format, const std::string& level,
                    const std::string& modules);

// The logger of a module; created on first use with the configured sink and level.
std::shared_ptr<spdlog::logger> Log(const std::string& module);

}  // namespace metaledger::node
