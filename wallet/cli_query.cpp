// query account|tx|block|model|dataset|lineage|auction|twin|rewards, and verify proof|state.
#include <fmt/format.h>

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

  CLI::App* v = app.add_subcommand("verify", "check proofs offline against a genesis file");
  v->require_subcommand(1);
  {
    auto* cmd = v->add_subcommand("proof", "verify a transaction proof bundle");
    auto file = std::make_shared<std::string>();
    auto genesis = std::make_shared<std::string>();
    cmd->add_option("FILE", *file, "bundle from GET /v1/txs/{hash}/proof")->required();
    cmd->add_option("--genesis", *genesis, "the chain's genesis.json")->required();
    cmd->callback([&ctx, file, genesis] {
      auto g = LoadGenesis(*genesis);
      if (!g.ok()) return void(ctx.Fail(kExitUsage, g.status()));
      auto text = ReadSmallFile(*file, 16 << 20);
      if (!text.ok()) return void(ctx.Fail(text.status()));
      auto bundle = TxProofBundle::FromJson(*text);
      if (!bundle.ok()) {
        return void(ctx.Fail(kExitVerifyFailed, bundle.status().Annotate("bundle does not parse")));
      }
      ProofVerdict verdict = CheckTxProof(*bundle, *g);
      if (!verdict.ok()) {
        ctx.exit_code = kExitVerifyFailed;
        ctx.err << "verification FAILED at check " << ProofCheckName(*verdict.failed) << "\n";
        ctx.Fail(kExitVerifyFailed, verdict.status, std::string(ProofCheckName(*verdict.failed)));
        return;
      }
      auto tx = Decode<Transaction>(bundle->tx);
      json doc = {{"verified", true},
                  {"chain_id", bundle->chain_id},
                  {"tx_hash", tx->Hash().Hex()},
                  {"height", std::to_string(bundle->header.height)},
                  {"block_hash", bundle->cert.block_hash.Hex()},
                  {"state_root", bundle->cert.state_root.Hex()},
                  {"signatures", bundle->cert.sigs.size()},
                  {"quorum", g->validators.quorum()}};
      ctx.Emit(doc,
               fmt::format("OK: transaction {} is committed at height {} (block {}), "
                           "certified by {} of {} genesis validators (quorum {})",
                           tx->Hash().Hex(), bundle->header.height, bundle->cert.block_hash.Hex(),
                           bundle->cert.sigs.size(), g->validators.size(), g->validators.quorum()));
    });
  }
  {
    auto* cmd =
        v->add_subcommand("state", "verify a state proof bundle (a key's value or absence)");
    auto file = std::make_shared<std::string>();
    auto genesis = std::make_shared<std::string>();
    cmd->add_option("FILE", *file, "state bundle from the node")->required();
    cmd->add_option("--genesis", *genesis, "the chain's genesis.json")->required();
    cmd->callback([&ctx, file, genesis] {
      auto g = LoadGenesis(*genesis);
      if (!g.ok()) return void(ctx.Fail(kExitUsage, g.status()));
      auto text = ReadSmallFile(*file, 16 << 20);
      if (!text.ok()) return void(ctx.Fail(text.status()));
      auto bundle = StateProofBundle::FromJson(*text);
      if (!bundle.ok()) {
        return void(ctx.Fail(kExitVerifyFailed, bundle.status().Annotate("bundle does not parse")));
      }
      ProofVerdict verdict = CheckStateProof(*bundle, *g);
      if (!verdict.ok()) {
        ctx.err << "verification FAILED at check " << ProofCheckName(*verdict.failed) << "\n";
        ctx.Fail(kExitVerifyFailed, verdict.status, std::string(ProofCheckName(*verdict.failed)));
        return;
      }
      const StateProofBundle& b = *bundle;
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
                                b.cert.state_root.Hex(), b.cert.sigs.size(), g->validators.size()));
    });
  }
}

}  // namespace metaledger::wallet
