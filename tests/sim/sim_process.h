#pragma once
// Runs bin/metaledger-sim (METALEDGER_BIN) as a subprocess and collects its exit code, its
// combined stdout and stderr, and how long it took.

#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace metaledger::sim::testing {

struct SimRun {
  int exit_code = -1;
  std::string output;  // stdout then stderr, interleaved as written
  double seconds = 0;
};

inline std::string SimBinary() {
  const char* bin = std::getenv("METALEDGER_BIN");
  return std::string(bin ? bin : "bin") + "/metaledger-sim";
}

// `args` is appended to the binary as shell words; `timeout` (coreutils) bounds the run.
inline SimRun RunSim(const std::string& args, int limit_s = 150) {
  SimRun r;
  std::string cmd = "timeout " + std::to_string(limit_s) + " " + SimBinary() + " " + args + " 2>&1";
  auto t0 = std::chrono::steady_clock::now();
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int status = ::pclose(p);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

}  // namespace metaledger::sim::testing
