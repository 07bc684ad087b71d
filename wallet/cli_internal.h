#pragma once
// Shared plumbing of the wallet's subcommands (not a public interface).

#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "core/status.h"
#include "core/transaction.h"
#include "wallet/cli.h"
#include "wallet/keystore.h"
#include "wallet/password.h"
#include "wallet/rest_client.h"

namespace metaledger::wallet {

using nlohmann::json;

struct Context {
  std::ostream& out;
  std::ostream& err;
  std::string home;
  std::string node;
  std::string output = "text";
  std::string password_file;
  int password_fd = -1;
  std::string password_env;
  int exit_code = kExitOk;

  bool json_output() const { return output == "json"; }
  Keystore keystore() const { return Keystore(home); }
  PasswordSource password_source() const;

  // Prints the error (stderr, and a JSON error document on stdout with -o json), records
  // and returns the exit code. ledger_code is the contract error name for rejections.
  int Fail(int exit_code, const Status& status, const std::string& ledger_code = "");
  // Fail with the exit code that fits the status code (see ExitCodeFor).
  int Fail(const Status& status) { return Fail(ExitCodeFor(status), status); }
  // Writes a result: `doc` with -o json, `text` otherwise.
  void Emit(const json& doc, const std::string& text);

  Result<RestClient> Client(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  static int ExitCodeFor(const Status& status);
};

// GET path; 200 -> parsed JSON; 404 -> NotFound; other answers -> Unavailable with detail.
Result<json> GetJson(const Context& ctx, const std::string& path);

// Each registers its subcommands on `app`; the callbacks store the exit code in ctx.exit_code.
void AddKeyCommands(CLI::App& app, Context& ctx);
void AddTxCommands(CLI::App& app, Context& ctx);
void AddKindCommands(CLI::App& app, Context& ctx);
void AddQueryCommands(CLI::App& app, Context& ctx);

// Transaction plumbing used by the kind subcommands.
struct TxEnv {
  std::string chain_id;
  PublicKey sender;
  Address sender_address;
  uint64_t nonce = 0;
  const Keystore* keys = nullptr;
  Context* ctx = nullptr;
};
struct TxBody {
  uint16_t kind = 0;
  Bytes payload;
  json extra = json::object();  // derived ids (task_id, data_id, ...) to show the user
};
using BuildTx = std::function<Result<TxBody>(const TxEnv&)>;

template <typename P>
TxBody MakeBody(const P& payload) {
  TxBody b;
  b.kind = static_cast<uint16_t>(P::kKind);
  b.payload = Encode(payload);
  return b;
}

// Adds a subcommand that resolves chain id and nonce, calls build, signs with --from and
// either broadcasts (optionally waiting) or writes the signed transaction (--offline).
CLI::App* AddTxCommand(CLI::App& parent, Context& ctx, const std::string& name,
                       const std::string& description, BuildTx build);

// Sends a signed transaction; with wait, waits until it is committed (POST ?wait=commit, then
// polling) and reports its result code. `extra` is added to the output. Returns the exit code.
int Broadcast(Context& ctx, const Transaction& tx, bool wait, int wait_seconds, const json& extra);

}  // namespace metaledger::wallet
