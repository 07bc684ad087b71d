// The interactive password prompt, driven through a pseudo-terminal: the wallet must prompt on
// the terminal, not echo what is typed, ask twice for a new password, and store the key under
// exactly the typed password.

#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "wallet/cli.h"
#include "wallet/keystore.h"

namespace metaledger::wallet {
namespace {

namespace fs = std::filesystem;

// The wallet in a child process whose controlling terminal is a fresh pty; the test plays the
// person at the keyboard.
class Terminal {
 public:
  explicit Terminal(const std::vector<std::string>& args) {
    pid_ = ::forkpty(&master_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      int rc = RunWallet(args, std::cout, std::cerr);
      std::cout.flush();
      std::cerr.flush();
      ::_exit(rc);
    }
  }
  ~Terminal() {
    if (master_ >= 0) ::close(master_);
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  bool started() const { return pid_ > 0; }

  // Reads until `text` has appeared in the transcript (true) or 10 s pass (false).
  bool WaitFor(const std::string& text) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (transcript_.find(text, seen_) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline || !ReadSome(100)) {
        if (std::chrono::steady_clock::now() > deadline) return false;
      }
    }
    seen_ = transcript_.find(text, seen_) + text.size();
    return true;
  }
  void Type(const std::string& line) {
    std::string s = line + "\n";
    ASSERT_EQ(::write(master_, s.data(), s.size()), static_cast<ssize_t>(s.size()));
  }
  // Reads the rest of the output and returns the exit code.
  int Finish() {
    while (ReadSome(10000)) {
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  }
  const std::string& transcript() const { return transcript_; }

 private:
  // False at end of output (EIO once the child has closed the terminal) or timeout.
  bool ReadSome(int timeout_ms) {
    pollfd p{master_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    char buf[512];
    ssize_t n = ::read(master_, buf, sizeof buf);
    if (n <= 0) return false;
    transcript_.append(buf, static_cast<size_t>(n));
    return true;
  }

  int master_ = -1;
  pid_t pid_ = -1;
  bool waited_ = false;
  std::string transcript_;
  size_t seen_ = 0;
};

class PromptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = fs::temp_directory_path() / ("ml-prompt-" + std::to_string(::getpid()));
    fs::remove_all(home_);
  }
  void TearDown() override { fs::remove_all(home_); }
  fs::path home_;
};

TEST_F(PromptTest, NewKeyAsksTwiceWithoutEchoAndRecoverTakesTheTypedWords) {
  const std::string password = "correct horse battery";
  Terminal t({"--home", home_.string(), "-o", "json", "keys", "new", "tty-key", "--kdf", "device"});
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.WaitFor("New password for tty-key: ")) << t.transcript();
  t.Type(password);
  ASSERT_TRUE(t.WaitFor("Repeat password: ")) << t.transcript();
  t.Type(password);
  ASSERT_EQ(t.Finish(), kExitOk) << t.transcript();
  EXPECT_EQ(t.transcript().find(password), std::string::npos) << "echoed: " << t.transcript();

  Keystore ks(home_.string());
  auto key = ks.Unlock("tty-key", password);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(ks.Unlock("tty-key", "wrong").status().code(), StatusCode::kPermissionDenied);

  // The mnemonic printed once (the JSON document after the prompts) recovers the same key,
  // typed at the terminal as well.
  std::string out = t.transcript().substr(t.transcript().find('{'));
  auto doc = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(doc.is_object()) << out;
  std::string words = doc["mnemonic"];
  Terminal r({"--home", home_.string(), "keys", "recover", "again", "--kdf", "device"});
  ASSERT_TRUE(r.WaitFor("Backup phrase (24 words): ")) << r.transcript();
  r.Type(words);
  ASSERT_TRUE(r.WaitFor("New password for again: ")) << r.transcript();
  r.Type("second");
  ASSERT_TRUE(r.WaitFor("Repeat password: ")) << r.transcript();
  r.Type("second");
  ASSERT_EQ(r.Finish(), kExitOk) << r.transcript();
  EXPECT_EQ(ks.Info("again")->address, ks.Info("tty-key")->address);
}

TEST_F(PromptTest, MismatchedRepeatStoresNothing) {
  Terminal t({"--home", home_.string(), "keys", "new", "tty-key", "--kdf", "device"});
  ASSERT_TRUE(t.WaitFor("New password for tty-key: ")) << t.transcript();
  t.Type("one password");
  ASSERT_TRUE(t.WaitFor("Repeat password: ")) << t.transcript();
  t.Type("another one");
  EXPECT_EQ(t.Finish(), kExitUsage) << t.transcript();
  EXPECT_FALSE(Keystore(home_.string()).Info("tty-key").ok());
}

}  // namespace
}  // namespace metaledger::wallet
