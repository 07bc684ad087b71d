// Transaction plumbing: chain id and nonce resolution, signing, --offline files, broadcast,
// --wait, and the `tx broadcast|inspect` subcommands.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "core/payload/error_codes.h"
#include "core/payload/kinds.h"
#include "wallet/cli_internal.h"
#include "wallet/tx_builder.h"

namespace metaledger::wallet {
namespace {

struct TxOptions {
  std::string from;
  std::string nonce;
  std::string chain_id;
  bool offline = false;
  std::string out_file;
  bool wait = false;
  int wait_seconds = 30;
};

Result<std::string> ResolveChainId(const Context& ctx, const TxOptions& o) {
  if (!o.chain_id.empty()) return o.chain_id;
  if (const char* env = std::getenv("METALEDGER_CHAIN_ID"); env != nullptr && *env) {
    return std::string(env);
  }
  if (o.offline)
    return Status::InvalidArgument("--offline needs --chain-id (or METALEDGER_CHAIN_ID)");
  ML_ASSIGN_OR_RETURN(json status, GetJson(ctx, "/v1/status"));
  if (!status.contains("chain_id") || !status["chain_id"].is_string()) {
    return Status::Unavailable("GET /v1/status: no chain_id in the answer");
  }
  return status["chain_id"].get<std::string>();
}

Result<uint64_t> JsonU64(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return Status::Unavailable(fmt::format("answer has no \"{}\"", key));
  if (it->is_number_unsigned()) return it->get<uint64_t>();
  if (it->is_string()) return ParseU64Arg(it->get<std::string>(), key);
  return Status::Unavailable(fmt::format("answer has a malformed \"{}\"", key));
}

Result<uint64_t> ResolveNonce(const Context& ctx, const TxOptions& o, const Address& sender) {
  if (!o.nonce.empty()) return ParseU64Arg(o.nonce, "--nonce");
  if (o.offline) return Status::InvalidArgument("--offline needs --nonce");
  auto account = GetJson(ctx, "/v1/accounts/" + sender.Hex());
  if (!account.ok()) {
    // An account the ledger has not seen yet starts at nonce 0.
    if (account.status().code() == StatusCode::kNotFound) return uint64_t{0};
    return account.status();
  }
  return JsonU64(*account, "nonce");
}

// The result code name of a committed transaction, from GET /v1/txs/{hash}: the node answers
// "result": {"code": <number>, "name": "NOT_FRESHER", "message"}; nullopt while the
// transaction is not committed (no "result" yet).
std::optional<std::string> ResultCode(const json& j) {
  auto r = j.find("result");
  if (r == j.end() || !r->is_object()) return std::nullopt;
  if (auto name = r->find("name"); name != r->end() && name->is_string()) {
    return name->get<std::string>();
  }
  if (auto code = r->find("code"); code != r->end() && code->is_number_unsigned()) {
    uint64_t value = code->get<uint64_t>();
    auto known = value <= 0xffff ? ErrorCodeFromValue(static_cast<uint16_t>(value)) : std::nullopt;
    return known ? std::string(ToString(*known))
                 : "UNKNOWN_ERROR_CODE(" + std::to_string(value) + ")";
  }
  return std::nullopt;
}

int Run(Context& ctx, const TxOptions& o, const BuildTx& build) {
  Keystore ks = ctx.keystore();
  auto info = ks.Info(o.from);
  if (!info.ok()) return ctx.Fail(info.status());
  TxEnv env;
  env.sender = info->public_key;
  env.sender_address = info->address;
  env.keys = &ks;
  env.ctx = &ctx;
  auto chain = ResolveChainId(ctx, o);
  if (!chain.ok()) return ctx.Fail(chain.status());
  env.chain_id = *chain;
  auto nonce = ResolveNonce(ctx, o, env.sender_address);
  if (!nonce.ok()) return ctx.Fail(nonce.status());
  env.nonce = *nonce;

  // Unlock first: builders may have side effects (auction commit stores its salt) that should
  // only happen once the key is known to be usable.
  auto pw = ReadPassword(ctx.password_source(), "Password for " + o.from + ": ", false);
  if (!pw.ok()) return ctx.Fail(pw.status());
  auto key = ks.Unlock(o.from, pw->view());
  if (!key.ok()) return ctx.Fail(key.status());
  auto body = build(env);
  if (!body.ok()) return ctx.Fail(body.status());
  Transaction tx;
  tx.chain_id = env.chain_id;
  tx.sender = env.sender;
  tx.nonce = env.nonce;
  tx.kind = body->kind;
  tx.payload = std::move(body->payload);
  if (tx.payload.size() > Transaction::kMaxPayload) {
    return ctx.Fail(Status::InvalidArgument("payload exceeds the 64 KiB transaction limit"));
  }

  tx.Sign(*key);

  const std::string hash = tx.Hash().Hex();
  const KindInfo* kind = FindKind(tx.kind);
  json doc = {{"hash", hash},
              {"kind", kind ? std::string(kind->name) : std::to_string(tx.kind)},
              {"sender", env.sender_address.Hex()},
              {"nonce", std::to_string(tx.nonce)},
              {"chain_id", tx.chain_id}};
  doc.update(body->extra);
  std::string extra_text;
  for (auto it = body->extra.begin(); it != body->extra.end(); ++it) {
    extra_text +=
        fmt::format("{}: {}\n", it.key(), it->is_string() ? it->get<std::string>() : it->dump());
  }

  if (o.offline) {
    std::string path = o.out_file.empty() ? hash + ".tx.json" : o.out_file;
    std::ofstream f(path, std::ios::trunc);
    f << SignedTxToJson(tx);
    if (!f.good()) return ctx.Fail(Status::IOError(path + ": cannot write"));
    doc["file"] = path;
    ctx.Emit(doc, fmt::format("signed {} nonce {} -> {}\ntx hash: {}\n{}",
                              doc["kind"].get<std::string>(), tx.nonce, path, hash, extra_text));
    return kExitOk;
  }
  if (!extra_text.empty() && !ctx.json_output()) ctx.err << extra_text;
  return Broadcast(ctx, tx, o.wait, o.wait_seconds, body->extra);
}

}  // namespace

namespace {

// The answer to a committed transaction (a GET /v1/txs/{hash} document or the 200 answer of
// POST /v1/txs?wait=commit): OK exits 0, any other result code exits 4 with the code's name.
int ReportCommitted(Context& ctx, json doc, const json& answer, const std::string& code) {
  const std::string hash = doc["hash"].get<std::string>();
  doc["result"] = answer.contains("result") ? answer["result"] : json(nullptr);
  doc["code"] = code;
  if (auto h = answer.find("height"); h != answer.end()) doc["height"] = *h;
  if (code != "OK") {
    auto known = ErrorCodeFromString(code);
    return ctx.Fail(kExitRejected,
                    Status::FailedPrecondition(fmt::format(
                        "transaction {} committed but failed: {}", hash,
                        known ? std::string(ErrorMessage(*known)) : std::string("unknown code"))),
                    code);
  }
  ctx.Emit(doc, fmt::format("committed {}: OK", hash));
  return kExitOk;
}

}  // namespace

int Broadcast(Context& ctx, const Transaction& tx, bool wait, int wait_seconds, const json& extra) {
  // With --wait the node holds the request until the commit (bounded by its max_commit_wait,
  // 10 s by default), so the client's timeout must outlast it.
  auto client = ctx.Client(std::chrono::seconds(wait ? 20 : 10));
  if (!client.ok()) return ctx.Fail(kExitUsage, client.status());
  const std::string hash = tx.Hash().Hex();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  auto res =
      client->Post(wait ? "/v1/txs?wait=commit" : "/v1/txs", ToHex(Encode(tx)), "text/plain");
  if (!res.ok()) return ctx.Fail(kExitNetwork, res.status());
  if (res->status < 200 || res->status >= 300) {
    auto problem = ParseProblem(*res);
    if (problem && res->status >= 400 && res->status < 500 && res->status != 404) {
      std::string message = problem->detail.empty() ? problem->title : problem->detail;
      auto code = ErrorCodeFromString(problem->code);
      if (code) message = fmt::format("{} ({})", message, ErrorMessage(*code));
      return ctx.Fail(kExitRejected,
                      Status::FailedPrecondition("node refused the transaction: " + message),
                      problem->code);
    }
    return ctx.Fail(kExitNetwork,
                    Status::Unavailable(fmt::format("POST /v1/txs: HTTP {}: {}", res->status,
                                                    res->body.substr(0, 200))));
  }
  json doc = {{"hash", hash}, {"submitted", true}};
  doc.update(extra);
  if (!wait) {
    ctx.Emit(doc, "submitted " + hash);
    return kExitOk;
  }
  // 200: committed within the node's wait; 202: still pending, so poll until our deadline.
  json answer = json::parse(res->body, nullptr, /*allow_exceptions=*/false);
  if (res->status == 200 && answer.is_object()) {
    if (auto code = ResultCode(answer)) return ReportCommitted(ctx, doc, answer, *code);
  }
  while (std::chrono::steady_clock::now() < deadline) {
    auto j = GetJson(ctx, "/v1/txs/" + hash);
    if (j.ok()) {
      if (auto code = ResultCode(*j)) return ReportCommitted(ctx, doc, *j, *code);
    } else if (j.status().code() != StatusCode::kNotFound) {
      return ctx.Fail(kExitNetwork, j.status());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return ctx.Fail(kExitNetwork, Status::Unavailable(fmt::format("{} was not committed within {} s",
                                                                hash, wait_seconds)));
}

CLI::App* AddTxCommand(CLI::App& parent, Context& ctx, const std::string& name,
                       const std::string& description, BuildTx build) {
  auto* cmd = parent.add_subcommand(name, description);
  auto o = std::make_shared<TxOptions>();
  cmd->add_option("--from", o->from, "signing key (name in the keystore)")->required();
  cmd->add_option("--nonce", o->nonce, "use this nonce instead of asking the node");
  cmd->add_option("--chain-id", o->chain_id,
                  "chain id (default: $METALEDGER_CHAIN_ID or the node's)");
  cmd->add_flag("--offline", o->offline, "sign without a node and write the transaction to a file");
  cmd->add_option("--out", o->out_file, "file for --offline (default HASH.tx.json)");
  cmd->add_flag("--wait", o->wait, "wait for the commit and print the result code");
  cmd->add_option("--wait-seconds", o->wait_seconds, "how long --wait waits")
      ->check(CLI::Range(1, 3600));
  cmd->callback([&ctx, o, build = std::move(build)] { ctx.exit_code = Run(ctx, *o, build); });
  return cmd;
}

void AddTxCommands(CLI::App& app, Context& ctx) {
  CLI::App* tx = app.add_subcommand("tx", "signed transaction files");
  tx->require_subcommand(1);
  {
    auto* cmd = tx->add_subcommand("broadcast", "send a signed transaction file to the node");
    auto file = std::make_shared<std::string>();
    auto wait = std::make_shared<bool>(false);
    auto wait_seconds = std::make_shared<int>(30);
    cmd->add_option("FILE", *file)->required();
    cmd->add_flag("--wait", *wait, "wait for the commit and print the result code");
    cmd->add_option("--wait-seconds", *wait_seconds)->check(CLI::Range(1, 3600));
    cmd->callback([&ctx, file, wait, wait_seconds] {
      auto text = ReadSmallFile(*file);
      if (!text.ok()) return void(ctx.Fail(text.status()));
      auto t = SignedTxFromJson(*text);
      if (!t.ok()) return void(ctx.Fail(kExitUsage, t.status()));
      if (!t->VerifySignature()) {
        return void(
            ctx.Fail(kExitUsage, Status::InvalidArgument(*file + ": signature does not verify")));
      }
      ctx.exit_code = Broadcast(ctx, *t, *wait, *wait_seconds, json::object());
    });
  }
  {
    auto* cmd = tx->add_subcommand("inspect", "decode a signed transaction file");
    auto file = std::make_shared<std::string>();
    cmd->add_option("FILE", *file)->required();
    cmd->callback([&ctx, file] {
      auto text = ReadSmallFile(*file);
      if (!text.ok()) return void(ctx.Fail(text.status()));
      auto t = SignedTxFromJson(*text);
      if (!t.ok()) return void(ctx.Fail(kExitUsage, t.status()));
      ctx.out << DescribeTxJson(*t) << "\n";  // JSON in both modes: it is already for people
    });
  }
}

}  // namespace metaledger::wallet
