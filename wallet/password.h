#pragma once
// Where a password comes from: an interactive prompt without echo (the default), a file, an
// inherited file descriptor, or an environment variable (for unattended UAVs and devices).
// Passwords are held in a Secret, which wipes its memory when it goes away.

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace metaledger::wallet {

// A string that is wiped on destruction. Not copyable, so stray copies do not linger.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string s) : value_(std::move(s)) {}
  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret();

  std::string_view view() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  void Wipe();
  std::string value_;
};

struct PasswordSource {
  std::optional<std::string> file;  // --password-file: first line
  std::optional<int> fd;            // --password-fd: up to the first newline or EOF
  std::optional<std::string> env;   // --password-env: the variable's value
};

// Reads a password from the first configured source, or prompts on /dev/tty with echo off.
// When `confirm` is set and the password is typed, asks twice and fails if they differ.
// Empty passwords are refused. InvalidArgument when a configured source is missing or unset.
Result<Secret> ReadPassword(const PasswordSource& source, std::string_view prompt, bool confirm);

// Reads a line from /dev/tty, echo off when `hidden`. For mnemonics and confirmations.
Result<Secret> PromptLine(std::string_view prompt, bool hidden);

}  // namespace metaledger::wallet
