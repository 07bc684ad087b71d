#include "wallet/password.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "core/crypto/ed25519.h"
#include "wallet/keystore.h"

namespace metaledger::wallet {
namespace {

constexpr size_t kMaxPassword = 4096;

// Reads up to the first '\n' (dropping it and a preceding '\r').
Result<Secret> ReadLineFromFd(int fd, std::string_view what) {
  std::string line;
  line.reserve(kMaxPassword + 1);  // no reallocation, so no unwiped copies
  char c;
  while (true) {
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IOError(std::string(what) + ": read failed");
    if (n == 0 || c == '\n') break;
    if (line.size() >= kMaxPassword) {
      SecureWipe(line.data(), line.size());
      return Status::InvalidArgument(std::string(what) + ": longer than 4096 bytes");
    }
    line.push_back(c);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return Secret(std::move(line));
}

}  // namespace

Secret::Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.Wipe(); }
Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    Wipe();
    value_ = std::move(other.value_);
    other.Wipe();
  }
  return *this;
}
Secret::~Secret() { Wipe(); }
void Secret::Wipe() {
  SecureWipe(value_.data(), value_.size());
  value_.clear();
}

Result<Secret> PromptLine(std::string_view prompt, bool hidden) {
  int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) {
    return Status::InvalidArgument(
        "no terminal to prompt on; give --password-file, --password-fd or --password-env");
  }
  termios old_mode{};
  bool restore = false;
  if (hidden && ::tcgetattr(tty, &old_mode) == 0) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    restore = ::tcsetattr(tty, TCSAFLUSH, &quiet) == 0;
  }
  // The prompt comes after echo is off, so whatever is typed once it shows is neither echoed
  // nor flushed away; restoring uses TCSANOW so a line typed ahead survives.
  (void)!::write(tty, prompt.data(), prompt.size());
  auto line = ReadLineFromFd(tty, "terminal");
  if (restore) ::tcsetattr(tty, TCSANOW, &old_mode);
  if (hidden) (void)!::write(tty, "\n", 1);
  ::close(tty);
  return line;
}

Result<Secret> ReadPassword(const PasswordSource& source, std::string_view prompt, bool confirm) {
  Result<Secret> pw = Status::Internal("unset");
  if (source.file) {
    auto text = ReadSmallFile(*source.file, kMaxPassword + 2);
    if (!text.ok()) return text.status().Annotate("--password-file");
    std::string s = std::move(*text);
    size_t nl = s.find('\n');
    std::string first = s.substr(0, nl);
    SecureWipe(s.data(), s.size());
    if (!first.empty() && first.back() == '\r') first.pop_back();
    pw = Secret(std::move(first));
  } else if (source.fd) {
    pw = ReadLineFromFd(*source.fd, "--password-fd");
  } else if (source.env) {
    const char* v = std::getenv(source.env->c_str());
    if (v == nullptr) {
      return Status::InvalidArgument("--password-env: variable " + *source.env + " is not set");
    }
    pw = Secret(std::string(v));
  } else {
    pw = PromptLine(prompt, /*hidden=*/true);
    if (pw.ok() && confirm) {
      ML_ASSIGN_OR_RETURN(Secret again, PromptLine("Repeat password: ", /*hidden=*/true));
      if (again.view() != pw->view()) return Status::InvalidArgument("passwords do not match");
    }
  }
  if (!pw.ok()) return pw.status();
  if (pw->empty()) return Status::InvalidArgument("empty password refused");
  return pw;
}

}  // namespace metaledger::wallet
