// One subcommand per transaction kind. Flags mirror the payload field names (with dashes);
// hash fields take 64 hex characters or @FILE (the file's SHA-256); address fields take a
// 40-hex address, a 64-hex public key or a key name from the keystore.
#include <fmt/format.h>

#include "core/payload/ids.h"
#include "wallet/kind_flags.h"

namespace metaledger::wallet {
namespace {

Result<GovAction> ParseGovAction(const Flags& f, const TxEnv& env) {
  GovAction a;
  const std::string& t = V(f, "action");
  if (t == "grant-role" || t == "revoke-role") {
    a.type = t == "grant-role" ? GovActionType::GRANT_ROLE : GovActionType::REVOKE_ROLE;
    ML_ASSIGN_OR_RETURN(a.target, GetAddr(f, "target", env));
    ML_ASSIGN_OR_RETURN(a.roles, RolesFromNames(SplitList(V(f, "roles"))));
  } else if (t == "add-validator" || t == "remove-validator") {
    a.type = t == "add-validator" ? GovActionType::ADD_VALIDATOR : GovActionType::REMOVE_VALIDATOR;
    ML_ASSIGN_OR_RETURN(a.key, ParsePublicKeyArg(V(f, "key"), "--key", env.keys));
  } else if (t == "set-param") {
    a.type = GovActionType::SET_PARAM;
    a.param_name = V(f, "param");
    if (a.param_name.empty()) return Status::InvalidArgument("set-param needs --param");
    ML_ASSIGN_OR_RETURN(a.value, GetU64(f, "value"));
  } else if (t == "mint") {
    a.type = GovActionType::MINT;
    ML_ASSIGN_OR_RETURN(a.pool_id, GetHash(f, "pool-id"));
    ML_ASSIGN_OR_RETURN(a.amount, GetU64(f, "amount"));
  } else if (t == "suspend") {
    a.type = GovActionType::SUSPEND;
    ML_ASSIGN_OR_RETURN(a.target, GetAddr(f, "target", env));
    ML_ASSIGN_OR_RETURN(a.value, GetU64(f, "value"));
  } else {
    return Status::InvalidArgument(
        "--action must be grant-role, revoke-role, add-validator, remove-validator, set-param, "
        "mint or suspend");
  }
  return a;
}

Result<std::vector<ClientScore>> ParseScores(const std::string& text, const TxEnv& env) {
  std::vector<ClientScore> out;
  for (const std::string& item : SplitList(text)) {
    size_t colon = item.find(':');
    if (colon == std::string::npos)
      return Status::InvalidArgument("--scores items are CLIENT:Q_PPM");
    ClientScore s;
    ML_ASSIGN_OR_RETURN(s.client, ParseAddressArg(item.substr(0, colon), "--scores", env.keys));
    ML_ASSIGN_OR_RETURN(s.q_ppm, ParseU32Arg(item.substr(colon + 1), "--scores"));
    out.push_back(s);
  }
  // The contract wants one score per included client, in client (address) order.
  std::sort(out.begin(), out.end(),
            [](const ClientScore& a, const ClientScore& b) { return a.client < b.client; });
  return out;
}

Result<std::vector<ClientFlag>> ParseEvalFlags(const std::string& text, const TxEnv& env) {
  std::vector<ClientFlag> out;
  for (const std::string& item : SplitList(text)) {
    size_t colon = item.find(':');
    std::string what = colon == std::string::npos ? "" : item.substr(colon + 1);
    if (what != "malicious" && what != "freeride") {
      return Status::InvalidArgument("--flags items are CLIENT:malicious or CLIENT:freeride");
    }
    ClientFlag fl;
    ML_ASSIGN_OR_RETURN(fl.client, ParseAddressArg(item.substr(0, colon), "--flags", env.keys));
    fl.flag = what == "malicious" ? EvalFlag::MALICIOUS : EvalFlag::FREERIDE;
    out.push_back(fl);
  }
  std::sort(out.begin(), out.end(),
            [](const ClientFlag& a, const ClientFlag& b) { return a.client < b.client; });
  return out;
}

Result<uint32_t> ParsePurposes(const std::string& text) {
  uint32_t mask = 0;
  for (const std::string& p : SplitList(text)) {
    if (p == "fl-training")
      mask |= kPurposeFlTraining;
    else if (p == "twin-sync")
      mask |= kPurposeTwinSync;
    else if (p == "resale")
      mask |= kPurposeResale;
    else
      return Status::InvalidArgument("--purposes items are fl-training, twin-sync, resale");
  }
  return mask;
}

Result<Derivation> ParseDerivation(const std::string& s) {
  static const std::pair<const char*, Derivation> kNames[] = {
      {"raw", Derivation::RAW},
      {"cleaned", Derivation::CLEANED},
      {"labelled", Derivation::LABELLED},
      {"aggregated", Derivation::AGGREGATED},
      {"synthetic", Derivation::SYNTHETIC},
      {"revision", Derivation::REVISION}};
  if (s.empty()) return Derivation::RAW;
  for (const auto& [n, d] : kNames)
    if (s == n) return d;
  return Status::InvalidArgument(
      "--derivation must be raw, cleaned, labelled, aggregated, synthetic or revision");
}

}  // namespace

void AddKindsAccounts(CLI::App& app, Context& ctx);
void AddKindsMarkets(CLI::App& app, Context& ctx);

void AddKindCommands(CLI::App& app, Context& ctx) {
  AddKindsAccounts(app, ctx);
  AddKindsMarkets(app, ctx);
}

// transfer, stake, unstake, gov, device, fl, data.
void AddKindsAccounts(CLI::App& app, Context& ctx) {
  Kind(app, ctx, "transfer", "send tokens", {{"to", "recipient"}, {"amount", "tokens"}}, {},
       [](const Flags& f, const TxEnv& env) -> Result<TxBody> {
         TransferPayload p;
         ML_ASSIGN_OR_RETURN(p.to, GetAddr(f, "to", env));
         ML_ASSIGN_OR_RETURN(p.amount, GetU64(f, "amount"));
         return MakeBody(p);
       });
  Kind(app, ctx, "stake", "lock tokens as stake", {{"amount", "tokens"}}, {},
       [](const Flags& f, const TxEnv&) -> Result<TxBody> {
         StakePayload p;
         ML_ASSIGN_OR_RETURN(p.amount, GetU64(f, "amount"));
         return MakeBody(p);
       });
  Kind(app, ctx, "unstake", "release staked tokens", {{"amount", "tokens"}}, {},
       [](const Flags& f, const TxEnv&) -> Result<TxBody> {
         UnstakePayload p;
         ML_ASSIGN_OR_RETURN(p.amount, GetU64(f, "amount"));
         return MakeBody(p);
       });

  CLI::App* gov = app.add_subcommand("gov", "governance proposals and votes");
  gov->require_subcommand(1);
  Kind(*gov, ctx, "propose", "propose a governance action (prints the proposal id)",
       {{"action", "grant-role|revoke-role|add-validator|remove-validator|set-param|mint|suspend"}},
       {{"target", "account (roles, suspend)"},
        {"roles", "comma-separated role names"},
        {"key", "validator public key"},
        {"param", "parameter name"},
        {"value", "u64"},
        {"pool-id", "sensing pool (mint)"},
        {"amount", "tokens (mint)"}},
       [](const Flags& f, const TxEnv& env) -> Result<TxBody> {
         ProposePayload p;
         ML_ASSIGN_OR_RETURN(p.action, ParseGovAction(f, env));
         TxBody b = MakeBody(p);
         b.extra["proposal_id"] = ProposalId(env.chain_id, env.sender_address, env.nonce).Hex();
         return b;
       });
  {
    auto no = std::make_shared<bool>(false);
    auto* vote = Kind(*gov, ctx, "vote", "vote on a proposal (yes unless --no)",
                      {{"proposal-id", "proposal"}}, {},
                      [no](const Flags& f, const TxEnv&) -> Result<TxBody> {
                        VotePayload p;
                        ML_ASSIGN_OR_RETURN(p.proposal_id, GetHash(f, "proposal-id"));
                        p.yes = !*no;
                        return MakeBody(p);
                      });
    vote->add_flag("--no", *no, "vote against");
  }

  CLI::App* device = app.add_subcommand("device", "device keys bound to an operator");
  device->require_subcommand(1);
  Kind(*device, ctx, "register", "bind a device (UAV, sensor) key to the sender",
       {{"device-key", "device public key or key name"}}, {{"device-kind", "uav|sensor|other"}},
       [](const Flags& f, const TxEnv& env) -> Result<TxBody> {
         RegisterDevicePayload p;
         ML_ASSIGN_OR_RETURN(p.device_key,
                             ParsePublicKeyArg(V(f, "device-key"), "--device-key", env.keys));
         const std::string& k = V(f, "device-kind");
         if (k.empty() || k == "uav")
           p.device_kind = DeviceKind::UAV;
         else if (k == "sensor")
           p.device_kind = DeviceKind::SENSOR;
         else if (k == "other")
           p.device_kind = DeviceKind::OTHER;
         else
           return Status::InvalidArgument("--device-kind must be uav, sensor or other");
         return MakeBody(p);
       });

  CLI::App* fl = app.add_subcommand("fl", "federated learning tasks and rounds");
  fl->require_subcommand(1);
  Kind(*fl, ctx, "task", "create an FL task",
       {{"task-id", "hash or @FILE"},
        {"aggregator", "account"},
        {"evaluators", "comma-separated accounts (at least 3)"},
        {"genesis-model-hash", "hash or @FILE"}},
       {{"family", "twin|avatar|other"}}, [](const Flags& f, const TxEnv& env) -> Result<TxBody> {
         CreateFlTaskPayload p;
         ML_ASSIGN_OR_RETURN(p.task_id, GetHash(f, "task-id"));
         ML_ASSIGN_OR_RETURN(p.family, GetFamily(f, "family"));
         ML_ASSIGN_OR_RETURN(p.aggregator, GetAddr(f, "aggregator", env));
         ML_ASSIGN_OR_RETURN(p.evaluators, GetAddrs(f, "evaluators", env));
         std::sort(p.evaluators.begin(), p.evaluators.end());
         ML_ASSIGN_OR_RETURN(p.genesis_model_hash, GetHash(f, "genesis-model-hash"));
         return MakeBody(p);
       });
  Kind(*fl, ctx, "enroll", "enroll as a client of an FL task", {{"task-id", "task"}}, {},
       [](const Flags& f, const TxEnv&) -> Result<TxBody> {
         EnrollClientPayload p;
         ML_ASSIGN_OR_RETURN(p.task_id, GetHash(f, "task-id"));
         return MakeBody(p);
       });
  Kind(*fl, ctx, "open", "open the next round of an FL task",
       {{"task-id", "task"},
        {"round", "round number"},
        {"base-model-hash", "hash or @FILE"},
        {"budget", "tokens"},
        {"submit-end-h", "height"},
        {"aggregate-end-h", "height"},
        {"eval-end-h", "height"}},
       {{"q-min-ppm", "minimum quality (ppm)"}, {"n-cap", "sample cap per client (default 1)"}},
       [](const Flags& f, const TxEnv&) -> Result<TxBody> {
         OpenRoundPayload p;
         ML_ASSIGN_OR_RETURN(p.task_id, GetHash(f, "task-id"));
         ML_ASSIGN_OR_RETURN(p.round, GetU64(f, "round"));
         ML_ASSIGN_OR_RETURN(p.base_model_hash, GetHash(f, "base-model-hash"));
         ML_ASSIGN_OR_RETURN(p.budget, GetU64(f, "budget"));
         ML_ASSIGN_OR_RETURN(p.submit_end_h, GetU64(f, "submit-end-h"));
         ML_ASSIGN_OR_RETURN(p.aggregate_end_h, GetU64(f, "aggregate-end-h"));
         ML_ASSIGN_OR_RETURN(p.eval_end_h, GetU64(f, "eval-end-h"));
         ML_ASSIGN_OR_RETURN(p.q_min_ppm, GetU32Or(f, "q-min-ppm", 0));
         ML_ASSIGN_OR_RETURN(p.n_cap, GetU64Or(f, "n-cap", 1));
         return MakeBody(p);
       });
  Kind(*fl, ctx, "submit", "submit a local model update",
       {{"task-id", "task"},
        {"round", "round"},
        {"update-hash", "hash or @FILE"},
        {"n-samples", "training samples"},
        {"base-model-hash", "hash or @FILE"}},
       {}, [](const Flags& f, const TxEnv&) -> Result<TxBody> {
         SubmitUpdatePayload p;
         ML_ASSIGN_OR_RETURN(p.task_id, GetHash(f, "task-id"));
         ML_ASSIGN_OR_RETURN(p.round, GetU64(f, "round"));
         ML_ASSIGN_OR_RETURN(p.update_hash, GetHash(f, "update-hash"));
         ML_ASSIGN_OR_RETURN(p.n_samples, GetU64(f, "n-samples"));
         ML_ASSIGN_OR_RETURN(p.base_model_hash, GetHash(f, "base-model-hash"));
         return MakeBody(p);
       });
  Kind(*fl, ctx, "aggregate", "publish a round's aggregate model",
       {{"task-id", "task"},
        {"round", "round"},
        {"global-hash", "hash or @FILE"},
        {"included", "comma-separated client accounts"},
        {"included-root", "Merkle root of their update hashes, in address order"}},
       {}, [](const Flags& f, const TxEnv& env) -> Result<TxBody> {
         PublishAggregatePayload p;
         ML_ASSIGN_OR_RETURN(p.task_id, GetHash(f, "task-id"));
         ML_ASSIGN_OR_RETURN(p.round, GetU64(f, "round"));
         ML_ASSIGN_OR_RETURN(p.global_hash, GetHash(f, "global-hash"));
         ML_ASSIGN_OR_RETURN(p.included, GetAddrs(f, "included", env));
         std::sort(p.included.begin(), p.included.end());  // the contract wants address order
         ML_ASSIGN_OR_RETURN(p.included_root, GetHash(f, "included-root"));
         return MakeBody(p);
       });
  Kind(*fl, ctx, "evaluate", "submit an evaluation of a round",
       {{"task-id", "task"}, {"round", "round"}, {"global-acc-bps", "0..10000"}},
       {{"scores", "CLIENT:Q_PPM,..."}, {"flags", "CLIENT:malicious|freeride,..."}},
       [](const Flags& f, const TxEnv& env) -> Result<TxBody> {
         SubmitEvaluationPayload p;
         ML_ASSIGN_OR_RETURN(p.task_id, GetHash(f, "task-id"));
         ML_ASSIGN_OR_RETURN(p.round, GetU64(f, "round"));
         ML_ASSIGN_OR_RETURN(p.global_acc_bps, GetU32Or(f, "global-acc-bps", 0));
         ML_ASSIGN_OR_RETURN(p.scores, ParseScores(V(f, "scores"), env));
         ML_ASSIGN_OR_RETURN(p.flags, ParseEvalFlags(V(f, "flags"), env));
         return MakeBody(p);
       });
  Kind(*fl, ctx, "revoke", "revoke a model", {{"model-id", "model"}}, {},
       [](const Flags& f, const TxEnv&) -> Result<TxBody> {
         RevokeModelPayload p;
         ML_ASSIGN_OR_RETURN(p.model_id, GetHash(f, "model-id"));
         return MakeBody(p);
       });

  CLI::App* data = app.add_subcommand("data", "dataset provenance");
  data->require_subcommand(1);
  Kind(*data, ctx, "register", "register a dataset (prints its data id)",
       {{"collector", "device account"}, {"generation-ts-ms", "when the data was produced"}},
       {{"device-sig", "device signature (128 hex)"},
        {"device-key", "sign as the device with this keystore key (instead of --device-sig)"},
        {"content", "FILE: content root and length from its SHA-256"},
        {"content-root", "hash (instead of --content)"},
        {"byte-len", "length (with --content-root)"},
        {"media-type", "e.g. image/tiff"},
        {"schema-hash", "hash or @FILE"},
        {"parents", "comma-separated data ids"},
        {"derivation", "raw|cleaned|labelled|aggregated|synthetic|revision"},
        {"cells", "comma-separated grid cells"},
        {"licence-id", "u32"},
        {"consent-ref", "hash or @FILE"},
        {"purposes", "fl-training,twin-sync,resale"}},
       [](const Flags& f, const TxEnv& env) -> Result<TxBody> {
         RegisterDatasetPayload p;
         if (!V(f, "content").empty()) {
           ML_ASSIGN_OR_RETURN(FileDigest d, DigestFile(V(f, "content")));
           p.content_root = d.sha256;
           p.byte_len = d.length;
         } else {
           if (V(f, "content-root").empty()) {
             return Status::InvalidArgument("give --content FILE or --content-root and --byte-len");
           }
           ML_ASSIGN_OR_RETURN(p.content_root, GetHash(f, "content-root"));
           ML_ASSIGN_OR_RETURN(p.byte_len, GetU64(f, "byte-len"));
         }
         p.media_type = V(f, "media-type");
         ML_ASSIGN_OR_RETURN(p.schema_hash, GetHashOr0(f, "schema-hash"));
         ML_ASSIGN_OR_RETURN(p.collector, GetAddr(f, "collector", env));
         ML_ASSIGN_OR_RETURN(p.parents, GetHashes(f, "parents"));
         std::sort(p.parents.begin(), p.parents.end());
         ML_ASSIGN_OR_RETURN(p.derivation, ParseDerivation(V(f, "derivation")));
         ML_ASSIGN_OR_RETURN(p.generation_ts_ms, GetU64(f, "generation-ts-ms"));
         ML_ASSIGN_OR_RETURN(p.cells, GetU64s(f, "cells"));
         std::sort(p.cells.begin(), p.cells.end());
         const std::string& device_key = V(f, "device-key");
         if (device_key.empty() == V(f, "device-sig").empty()) {
           return Status::InvalidArgument("give exactly one of --device-sig and --device-key");
         }
         if (!device_key.empty()) {
           // The device's key is in this keystore (a UAV's own wallet, or a demo): sign here,
           // unlocked with the same password source as --from.
           Hash256 digest =
               DeviceSigningHash(env.chain_id, p.content_root, p.generation_ts_ms, p.cells);
           ML_ASSIGN_OR_RETURN(Secret pw,
                               ReadPassword(env.ctx->password_source(),
                                            "Password for device key " + device_key + ": ", false));
           ML_ASSIGN_OR_RETURN(PrivateKey dk, env.keys->Unlock(device_key, pw.view()));
           p.device_sig = dk.Sign(digest.view());
         } else {
           auto sig = Signature::FromHex(V(f, "device-sig"));
           if (!sig.ok()) return sig.status().Annotate("--device-sig");
           p.device_sig = *sig;
         }
         ML_ASSIGN_OR_RETURN(p.licence_id, GetU32Or(f, "licence-id", 0));
         ML_ASSIGN_OR_RETURN(p.consent_ref, GetHashOr0(f, "consent-ref"));
         ML_ASSIGN_OR_RETURN(p.purposes, ParsePurposes(V(f, "purposes")));
         TxBody b = MakeBody(p);
         b.extra["data_id"] = DataId(env.chain_id, p.content_root, env.sender_address).Hex();
         b.extra["device_signing_hash"] =
             DeviceSigningHash(env.chain_id, p.content_root, p.generation_ts_ms, p.cells).Hex();
         return b;
       });
  Kind(*data, ctx, "revoke-consent", "revoke consent for a dataset", {{"data-id", "dataset"}}, {},
       [](const Flags& f, const TxEnv&) -> Result<TxBody> {
         RevokeConsentPayload p;
         ML_ASSIGN_OR_RETURN(p.data_id, GetHash(f, "data-id"));
         return MakeBody(p);
       });
  Kind(*data, ctx, "void", "void a dataset (committee)", {{"data-id", "dataset"}}, {},
       [](const Flags& f, const TxEnv&) -> Result<TxBody> {
         VoidDatasetPayload p;
         ML_ASSIGN_OR_RETURN(p.data_id, GetHash(f, "data-id"));
         return MakeBody(p);
       });
}

}  // namespace metaledger::wallet
