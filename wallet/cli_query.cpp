// query account|tx|block|model|dataset|lineage|auction|twin|rewards, and verify proof|state.
#include <fmt/format.h>

#include <optional>
#include <type_traits>
#include <utility>

#include "core/proof_bundle.h"
#include "wallet/cli_internal.h"
#include "wallet/tx_builder.h"

namespace metaledger::wallet {
namespace {

// Flat "key: value" lines for people; nested values stay JSON.
std::string HumanText(const json& j) {
  if (!j.is_object()) return j.dump(2);
  std::string out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    out += fmt::format("{}: {}\n", it.key(), it->is_string() ? it->get<std::string>() : it->dump());
  }
  return out;
}

enum class Arg { kAddress, kHash, kHeight };

Result<std::string> ResolveArg(const Context& ctx, Arg kind, const std::string& text) {
  Keystore ks = ctx.keystore();
  switch (kind) {
    case Arg::kAddress: {
      ML_ASSIGN_OR_RETURN(Address a, ParseAddressArg(text, "ADDRESS", &ks));
      return a.Hex();
    }
    case Arg::kHash: {
      ML_ASSIGN_OR_RETURN(Hash256 h, ParseHashArg(text, "ID"));
      return h.Hex();
    }
    case Arg::kHeight: {
      ML_ASSIGN_OR_RETURN(uint64_t h, ParseU64Arg(text, "HEIGHT"));
      return std::to_string(h);
    }
  }
  return Status::Internal("unreachable");
}

void AddQuery(CLI::App& parent, Context& ctx, const std::string& name, const std::string& help,
              Arg kind, std::string prefix, std::string suffix = "") {
  auto* cmd = parent.add_subcommand(name, help);
  auto arg = std::make_shared<std::string>();
  cmd->add_option(kind == Arg::kAddress  ? "ADDRESS"
                  : kind == Arg::kHeight ? "HEIGHT"
                                         : "ID",
                  *arg)
      ->required();
  cmd->callback([&ctx, arg, kind, prefix, suffix] {
    auto resolved = ResolveArg(ctx, kind, *arg);
    if (!resolved.ok()) return void(ctx.Fail(kExitUsage, resolved.status()));
    auto j = GetJson(ctx, prefix + *resolved + suffix);
    if (!j.ok()) return void(ctx.Fail(j.status()));
    ctx.Emit(*j, HumanText(*j));
  });
}

Result<Genesis> LoadGenesis(const std::string& path) {
  ML_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, 16 << 20));
  auto g = Genesis::FromJson(text);
  if (!g.ok()) return g.status().Annotate(path);
  return g;
}

// GET /v1/state/{key}?prove=true wraps the bundle: {"key", "present", ..., "proof": {bundle}}.
// Accept that answer as saved, as well as the bare bundle.
std::string UnwrapStateAnswer(std::string text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("present")) {
    auto it = j.find("proof");
    if (it != j.end() && it->is_object() && it->contains("cert")) return it->dump();
  }
  return text;
}

// The shared part of `verify proof` and `verify state`: load the genesis file and the bundle,
// run the checks, and report the first failed check (exit 7). nullopt after a failure.
template <typename Bundle, typename Check>
std::optional<std::pair<Bundle, Genesis>> LoadAndCheck(Context& ctx, const std::string& file,
                                                       const std::string& genesis_path,
                                                       Check check) {
  auto g = LoadGenesis(genesis_path);
  if (!g.ok()) {
    ctx.Fail(kExitUsage, g.status());
    return std::nullopt;
  }
  auto text = ReadSmallFile(file, 16 << 20);
  if (!text.ok()) {
    ctx.Fail(text.status());
    return std::nullopt;
  }
  if constexpr (std::is_same_v<Bundle, StateProofBundle>) *text = UnwrapStateAnswer(*text);
  auto bundle = Bundle::FromJson(*text);
  if (!bundle.ok()) {
    ctx.Fail(kExitVerifyFailed, bundle.status().Annotate("bundle does not parse"));
    return std::nullopt;
  }
  ProofVerdict verdict = check(*bundle, *g);
  if (!verdict.ok()) {
    ctx.err << "verification FAILED at check " << ProofCheckName(*verdict.failed) << "\n";
    ctx.Fail(kExitVerifyFailed, verdict.status, std::string(ProofCheckName(*verdict.failed)));
    return std::nullopt;
  }
  return std::make_pair(std::move(*bundle), std::move(*g));
}

// Adds `verify NAME FILE --genesis G`; `report` prints what a verified bundle shows.
template <typename Bundle, typename Check, typename Report>
void AddVerify(CLI::App& parent, Context& ctx, const std::string& name, const std::string& help,
               const std::string& file_help, Check check, Report report) {
  auto* cmd = parent.add_subcommand(name, help);
  auto file = std::make_shared<std::string>();
  auto genesis = std::make_shared<std::string>();
  cmd->add_option("FILE", *file, file_help)->required();
  cmd->add_option("--genesis", *genesis, "the chain's genesis.json")->required();
  cmd->callback([&ctx, file, genesis, check, report] {
    auto checked = LoadAndCheck<Bundle>(ctx, *file, *genesis, check);
    if (checked) report(ctx, checked->first, checked->second);
  });
}

void ReportTx(Context& ctx, const TxProofBundle& b, const Genesis& g) {
  auto tx = Decode<Transaction>(b.tx);  // the tx_decode check passed
  json doc = {{"verified", true},
              {"chain_id", b.chain_id},
              {"tx_hash", tx->Hash().Hex()},
              {"height", std::to_string(b.header.height)},
              {"block_hash", b.cert.block_hash.Hex()},
              {"state_root", b.cert.state_root.Hex()},
              {"signatures", b.cert.sigs.size()},
              {"quorum", g.validators.quorum()}};
  ctx.Emit(doc, fmt::format("OK: transaction {} is committed at height {} (block {}), "
                            "certified by {} of {} genesis validators (quorum {})",
                            tx->Hash().Hex(), b.header.height, b.cert.block_hash.Hex(),
                            b.cert.sigs.size(), g.validators.size(), g.validators.quorum()));
}

void ReportState(Context& ctx, const StateProofBundle& b, const Genesis& g) {
  json doc = {{"verified", true},
              {"chain_id", b.chain_id},
              {"key", ToHex(b.key)},
              {"value", b.value ? json(ToHex(*b.value)) : json(nullptr)},
              {"height", std::to_string(b.height)},
              {"state_root", b.cert.state_root.Hex()}};
  ctx.Emit(doc, fmt::format("OK: at height {} key {} {} (state root {}, certified by {} of {} "
                            "genesis validators)",
                            b.height, ToHex(b.key),
                            b.value ? "has value " + ToHex(*b.value) : std::string("is absent"),
                            b.cert.state_root.Hex(), b.cert.sigs.size(), g.validators.size()));
}

// query proof HASH / query state KEY: fetch a bundle to save and check with `verify`. Both
// modes print JSON (the bundle is for a program), so `> FILE` gives a file `verify` reads.
void AddBundleQueries(CLI::App& q, Context& ctx) {
  {
    auto* cmd = q.add_subcommand("proof", "a transaction's proof bundle (for verify proof)");
    auto arg = std::make_shared<std::string>();
    cmd->add_option("HASH", *arg)->required();
    cmd->callback([&ctx, arg] {
      auto hash = ParseHashArg(*arg, "HASH");
      if (!hash.ok()) return void(ctx.Fail(kExitUsage, hash.status()));
      auto j = GetJson(ctx, "/v1/txs/" + hash->Hex() + "/proof");
      if (!j.ok()) return void(ctx.Fail(j.status()));
      ctx.out << j->dump(2) << "\n";
    });
  }
  {
    auto* cmd = q.add_subcommand("state", "a state key's value with its proof (for verify state)");
    auto key = std::make_shared<std::string>();
    auto height = std::make_shared<std::string>();
    cmd->add_option("KEY", *key, "state key, hex")->required();
    cmd->add_option("--height", *height, "read at this height (default latest)");
    cmd->callback([&ctx, key, height] {
      auto bytes = FromHex(*key);
      if (!bytes.ok() || bytes->empty()) {
        return void(ctx.Fail(kExitUsage, Status::InvalidArgument("KEY must be non-empty hex")));
      }
      std::string path = "/v1/state/" + ToHex(*bytes) + "?prove=true";
      if (!height->empty()) {
        auto h = ParseU64Arg(*height, "--height");
        if (!h.ok()) return void(ctx.Fail(kExitUsage, h.status()));
        path += "&height=" + std::to_string(*h);
      }
      auto j = GetJson(ctx, path);
      if (!j.ok()) return void(ctx.Fail(j.status()));
      auto proof = j->find("proof");
      if (proof == j->end() || !proof->is_object()) {
        return void(ctx.Fail(kExitNetwork, Status::Unavailable("the node sent no state proof")));
      }
      ctx.out << proof->dump(2) << "\n";
    });
  }
}

}  // namespace

void AddQueryCommands(CLI::App& app, Context& ctx) {
  CLI::App* q = app.add_subcommand("query", "read ledger state from the node");
  q->require_subcommand(1);
  AddQuery(*q, ctx, "account", "balance, nonce and roles", Arg::kAddress, "/v1/accounts/");
  AddQuery(*q, ctx, "tx", "a transaction and its result", Arg::kHash, "/v1/txs/");
  AddQuery(*q, ctx, "block", "a block by height", Arg::kHeight, "/v1/blocks/");
  AddQuery(*q, ctx, "model", "a registered model", Arg::kHash, "/v1/models/");
  AddQuery(*q, ctx, "dataset", "a registered dataset", Arg::kHash, "/v1/datasets/");
  AddQuery(*q, ctx, "lineage", "a dataset's ancestry", Arg::kHash, "/v1/datasets/", "/lineage");
  AddQuery(*q, ctx, "auction", "an auction task", Arg::kHash, "/v1/auctions/");
  AddQuery(*q, ctx, "twin", "a digital twin", Arg::kHash, "/v1/twins/");
  AddQuery(*q, ctx, "rewards", "accrued rewards", Arg::kAddress, "/v1/rewards/");
  AddBundleQueries(*q, ctx);

  CLI::App* v = app.add_subcommand("verify", "check proofs offline against a genesis file");
  v->require_subcommand(1);
  AddVerify<TxProofBundle>(*v, ctx, "proof", "verify a transaction proof bundle",
                           "bundle from `query proof` or GET /v1/txs/{hash}/proof", CheckTxProof,
                           ReportTx);
  AddVerify<StateProofBundle>(
      *v, ctx, "state", "verify a state proof bundle (a key's value or absence)",
      "bundle from `query state` or GET /v1/state/{key}?prove=true", CheckStateProof, ReportState);
}

}  // namespace metaledger::wallet
