#include "node/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <map>
#include <mutex>
#include <sstream>

namespace metaledger::node {
namespace {

// Emits the message as a JSON string body (quotes added by the pattern), escaping what JSON
// requires, so every line stays one valid JSON object whatever the message holds.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (char c : msg.payload) {
      switch (c) {
        case '"': dest.append(std::string_view("\\\"")); break;
        case '\\': dest.append(std::string_view("\\\\")); break;
        case '\n': dest.append(std::string_view("\\n")); break;
        case '\r': dest.append(std::string_view("\\r")); break;
        case '\t': dest.append(std::string_view("\\t")); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof(buf), "\\u%04x", c);
            dest.append(std::string_view(buf));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

struct LogState {
  std::mutex mu;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  bool json = false;
  spdlog::level::level_enum level = spdlog::level::info;
  std::map<std::string, spdlog::level::level_enum> modules;
  std::map<std::string, std::shared_ptr<spdlog::logger>> loggers;
};

LogState& State() {
  static LogState* state = new LogState();  // lives for the whole process
  return *state;
}

std::unique_ptr<spdlog::formatter> MakeFormatter(bool json) {
  if (json) {
    auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    f->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","module":"%n","msg":"%*"})");
    return f;
  }
  auto f = std::make_unique<spdlog::pattern_formatter>();
  {
    f->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v");
  }
  return f;
}

void Configure(LogState& s, const std::string& name, spdlog::logger& logger) {
  auto it = s.modules.find(name);
  logger.set_level(it != s.modules.end() ? it->second : s.level);
  logger.flush_on(spdlog::level::warn);
}

}  // namespace

Status SetupLogging(const std::string& format, const std::string& level,
                    const std::string& modules) {
  LogState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  if (format != "text" && format != "json") {
    return Status::InvalidArgument("log format must be text or json");
  }
  s.json = format == "json";
  s.level = spdlog::level::from_str(level);
  s.modules.clear();
  std::stringstream in(modules);
  std::string item;
  while (std::getline(in, item, ',')) {
    auto eq = item.find('=');
    if (eq == std::string::npos) continue;
    s.modules[item.substr(0, eq)] = spdlog::level::from_str(item.substr(eq + 1));
  }
  s.sink->set_formatter(MakeFormatter(s.json));
  for (auto& [name, logger] : s.loggers) Configure(s, name, *logger);
  return Status::Ok();
}

std::shared_ptr<spdlog::logger> Log(const std::string& module) {
  LogState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  auto it = s.loggers.find(module);
  if (it != s.loggers.end()) return it->second;
  auto logger = std::make_shared<spdlog::logger>(module, s.sink);
  Configure(s, module, *logger);
  s.loggers[module] = logger;
  return logger;
}

}  // namespace metaledger::node
