#include "wallet/cli.h"

#include <fmt/format.h>

#include <cstdlib>

#include "wallet/cli_internal.h"

namespace metaledger::wallet {

PasswordSource Context::password_source() const {
  PasswordSource s;
  if (!password_file.empty()) s.file = password_file;
  if (password_fd >= 0) s.fd = password_fd;
  if (!password_env.empty()) s.env = password_env;
  return s;
}

int Context::ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kAlreadyExists:
      return kExitUsage;
    case StatusCode::kNotFound:
      return kExitNotFound;
    case StatusCode::kPermissionDenied:
      return kExitBadPassword;
    case StatusCode::kUnavailable:
      return kExitNetwork;
    case StatusCode::kCorruption:
    case StatusCode::kFailedPrecondition:
      return kExitKeystore;
    case StatusCode::kUnauthenticated:
      return kExitVerifyFailed;
    default:
      return kExitError;
  }
}

int Context::Fail(int code, const Status& status, const std::string& ledger_code) {
  exit_code = code;
  err << "error: " << status.message();
  if (!ledger_code.empty()) err << " [" << ledger_code << "]";
  err << "\n";
  if (json_output()) {
    json e = {{"exit_code", code},
              {"status", std::string(StatusCodeName(status.code()))},
              {"message", status.message()}};
    if (!ledger_code.empty()) e["code"] = ledger_code;
    out << json{{"error", e}}.dump(2) << "\n";
  }
  return code;
}

void Context::Emit(const json& doc, const std::string& text) {
  if (json_output()) {
    out << doc.dump(2) << "\n";
  } else {
    out << text;
    if (!text.empty() && text.back() != '\n') out << "\n";
  }
}

Result<RestClient> Context::Client(std::chrono::milliseconds timeout) const {
  std::string url = node;
  if (url.empty()) {
    const char* env = std::getenv("METALEDGER_NODE");
    url = env != nullptr ? env : "http://127.0.0.1:8080";
  }
  auto parsed = ParseNodeUrl(url);
  if (!parsed.ok()) return parsed.status();
  return RestClient(*parsed, timeout);
}

Result<json> GetJson(const Context& ctx, const std::string& path) {
  ML_ASSIGN_OR_RETURN(RestClient client, ctx.Client());
  ML_ASSIGN_OR_RETURN(HttpResponse res, client.Get(path));
  if (res.status == 404) {
    auto problem = ParseProblem(res);
    return Status::NotFound(problem && !problem->detail.empty() ? problem->detail
                                                                : path + ": not found");
  }
  if (res.status != 200) {
    auto problem = ParseProblem(res);
    std::string why =
        problem ? fmt::format("{} {}", problem->code, problem->detail) : res.body.substr(0, 200);
    return Status::Unavailable(fmt::format("GET {}: HTTP {}: {}", path, res.status, why));
  }
  json j = json::parse(res.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Unavailable("GET " + path + ": response is not JSON");
  return j;
}

// Lets --home, --node, -o and the password options follow any subcommand.
static void AllowGlobalOptionsAnywhere(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({})) {
    sub->fallthrough();
    AllowGlobalOptionsAnywhere(*sub);
  }
}

static std::string DefaultHome() {
  const char* env = std::getenv("METALEDGER_HOME");
  if (env != nullptr && *env) return env;
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.metaledger";
}

int RunWallet(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Context ctx{out, err};
  ctx.home = DefaultHome();
  CLI::App app{"metaledger-wallet: keys, transactions, queries and offline proof checks",
               "metaledger-wallet"};
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();
  app.add_option("--home", ctx.home,
                 "keystore directory (default ~/.metaledger or $METALEDGER_HOME)");
  app.add_option("--node", ctx.node,
                 "node REST URL (default $METALEDGER_NODE or http://127.0.0.1:8080)");
  app.add_option("-o,--output", ctx.output, "output format")
      ->check(CLI::IsMember({"text", "json"}));
  auto* pw_file = app.add_option("--password-file", ctx.password_file,
                                 "read the password from the first line of FILE");
  auto* pw_fd =
      app.add_option("--password-fd", ctx.password_fd, "read the password from file descriptor N");
  auto* pw_env = app.add_option("--password-env", ctx.password_env,
                                "read the password from environment variable VAR");
  pw_file->excludes(pw_fd)->excludes(pw_env);
  pw_fd->excludes(pw_env);

  AddKeyCommands(app, ctx);
  AddTxCommands(app, ctx);
  AddKindCommands(app, ctx);
  AddQueryCommands(app, ctx);
  AllowGlobalOptionsAnywhere(app);

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses a reversed list
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {  // includes --help, which exits 0
    int rc = app.exit(e, out, err);
    return rc == 0 ? kExitOk : kExitUsage;
  } catch (const std::exception& e) {  // a bug, not a user error; keep the message
    err << "internal error: " << e.what() << "\n";
    return kExitError;
  }
  return ctx.exit_code;
}

}  // namespace metaledger::wallet
