// keys new|recover|list|show|export|import|rename|delete|change-password
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/crypto/ed25519.h"
#include "wallet/cli_internal.h"
#include "wallet/mnemonic.h"

namespace metaledger::wallet {
namespace {

Result<KdfParams> KdfProfile(const std::string& name) {
  if (name == "standard") return KdfParams::Standard();
  if (name == "device") return KdfParams::Device();
  return Status::InvalidArgument("--kdf must be standard or device");
}

json InfoJson(const KeyInfo& k) {
  return {{"name", k.name}, {"public_key", k.public_key.Hex()}, {"address", k.address.Hex()}};
}

std::string InfoText(const KeyInfo& k) {
  return fmt::format("name:       {}\npublic_key: {}\naddress:    {}\n", k.name, k.public_key.Hex(),
                     k.address.Hex());
}

// Stores a key under a new password (asked twice when typed).
int StoreNewKey(Context& ctx, const std::string& name, const PrivateKey& key,
                const std::string& kdf, json doc, std::string text) {
  auto params = KdfProfile(kdf);
  if (!params.ok()) return ctx.Fail(params.status());
  Keystore ks = ctx.keystore();
  if (ks.Info(name).ok()) {
    return ctx.Fail(kExitUsage, Status::AlreadyExists("a key named \"" + name + "\" exists"));
  }
  auto pw = ReadPassword(ctx.password_source(), "New password for " + name + ": ", true);
  if (!pw.ok()) return ctx.Fail(pw.status());
  Status s = ks.Add(name, key, pw->view(), *params);
  if (!s.ok()) return ctx.Fail(s);
  auto info = ks.Info(name);
  if (!info.ok()) return ctx.Fail(info.status());
  json d = InfoJson(*info);
  d.update(doc);
  d["keystore_file"] = ks.KeyPath(name).string();
  ctx.Emit(d, InfoText(*info) + text);
  return kExitOk;
}

// Accepts the node's account files: {"name", "public_key", "secret_seed"} where the secret is
// the 32-byte seed, or a 64-byte seed ‖ public key under "secret" / "secret_key".
Result<PrivateKey> ReadSecretFile(const std::string& path) {
  ML_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, 64 * 1024));
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  SecureWipe(text.data(), text.size());
  if (j.is_discarded() || !j.is_object())
    return Status::InvalidArgument(path + ": not a JSON object");
  std::string hex;
  for (const char* field : {"secret_seed", "seed", "secret", "secret_key"}) {
    auto it = j.find(field);
    if (it != j.end() && it->is_string()) {
      hex = it->get<std::string>();
      break;
    }
  }
  if (hex.empty()) return Status::InvalidArgument(path + ": no secret_seed field");
  auto bytes = FromHex(hex);
  SecureWipe(hex.data(), hex.size());
  if (!bytes.ok() || (bytes->size() != 32 && bytes->size() != 64)) {
    return Status::InvalidArgument(path + ": secret must be 32 or 64 bytes of hex");
  }
  auto key = PrivateKey::FromSeed(ByteView(bytes->data(), 32));
  SecureWipe(bytes->data(), bytes->size());
  if (!key.ok()) return key.status();
  auto pk = j.find("public_key");
  if (pk != j.end() && pk->is_string() && *pk != key->public_key().Hex()) {
    return Status::InvalidArgument(path + ": public_key does not match the secret");
  }
  return key;
}

}  // namespace

void AddKeyCommands(CLI::App& app, Context& ctx) {
  CLI::App* keys = app.add_subcommand("keys", "manage keys in the local keystore");
  keys->require_subcommand(1);

  {
    auto* cmd = keys->add_subcommand("new", "create a key; shows its 24-word backup once");
    auto name = std::make_shared<std::string>();
    auto kdf = std::make_shared<std::string>("standard");
    auto path = std::make_shared<std::string>(kDefaultPath);
    cmd->add_option("NAME", *name)->required();
    cmd->add_option("--kdf", *kdf,
                    "standard (256 MiB) or device (16 MiB, for constrained devices)");
    cmd->add_option("--path", *path, "SLIP-0010 derivation path (hardened steps only)");
    cmd->callback([&ctx, name, kdf, path] {
      if (Status s = ValidateKeyName(*name); !s.ok()) return void(ctx.Fail(s));
      std::string words = GenerateMnemonic();
      auto key = KeyFromMnemonic(words, "", *path);
      if (!key.ok()) {
        SecureWipe(words.data(), words.size());
        return void(ctx.Fail(key.status()));
      }
      json doc = {{"mnemonic", words}, {"derivation_path", *path}};
      std::string text = fmt::format(
          "\nBackup phrase (24 words, derivation path {}). Write it down now; it is shown only "
          "once and is the only way to recover this key:\n\n  {}\n",
          *path, words);
      SecureWipe(words.data(), words.size());
      ctx.exit_code = StoreNewKey(ctx, *name, *key, *kdf, doc, text);
      SecureWipe(text.data(), text.size());
    });
  }
  {
    auto* cmd = keys->add_subcommand("recover", "re-create a key from its 24-word backup");
    auto name = std::make_shared<std::string>();
    auto kdf = std::make_shared<std::string>("standard");
    auto path = std::make_shared<std::string>(kDefaultPath);
    auto file = std::make_shared<std::string>();
    cmd->add_option("NAME", *name)->required();
    cmd->add_option("--mnemonic-file", *file, "read the words from FILE instead of a prompt");
    cmd->add_option("--kdf", *kdf, "standard or device");
    cmd->add_option("--path", *path, "SLIP-0010 derivation path");
    cmd->callback([&ctx, name, kdf, path, file] {
      if (Status s = ValidateKeyName(*name); !s.ok()) return void(ctx.Fail(s));
      Result<Secret> words = Status::Internal("unset");
      if (!file->empty()) {
        auto text = ReadSmallFile(*file, 4096);
        if (!text.ok()) return void(ctx.Fail(text.status()));
        std::string w = *text;
        SecureWipe(text->data(), text->size());
        for (char& c : w)
          if (c == '\n' || c == '\r' || c == '\t') c = ' ';
        words = Secret(std::move(w));
      } else {
        words = PromptLine("Backup phrase (24 words): ", /*hidden=*/true);
      }
      if (!words.ok()) return void(ctx.Fail(words.status()));
      auto key = KeyFromMnemonic(words->view(), "", *path);
      if (!key.ok()) return void(ctx.Fail(key.status()));
      ctx.exit_code = StoreNewKey(ctx, *name, *key, *kdf, {{"derivation_path", *path}}, "");
    });
  }
  {
    auto* cmd = keys->add_subcommand("list", "list keys (no password needed)");
    cmd->callback([&ctx] {
      auto list = ctx.keystore().List();
      if (!list.ok()) return void(ctx.Fail(list.status()));
      json doc = json::array();
      std::string text;
      for (const KeyInfo& k : *list) {
        doc.push_back(InfoJson(k));
        text += fmt::format("{:<24} {}\n", k.name, k.address.Hex());
      }
      if (list->empty()) text = "no keys in " + ctx.home + "/keys\n";
      ctx.Emit(doc, text);
    });
  }
  for (const char* verb : {"show", "export"}) {
    auto* cmd = keys->add_subcommand(
        verb, std::string(verb) == "show" ? "show a key's public data"
                                          : "print a key's public data as JSON (never the secret)");
    auto name = std::make_shared<std::string>();
    cmd->add_option("NAME", *name)->required();
    bool as_json = std::string(verb) == "export";
    cmd->callback([&ctx, name, as_json] {
      auto info = ctx.keystore().Info(*name);
      if (!info.ok()) return void(ctx.Fail(info.status()));
      if (as_json) {
        ctx.out << InfoJson(*info).dump(2) << "\n";
      } else {
        ctx.Emit(InfoJson(*info), InfoText(*info));
      }
    });
  }
  {
    auto* cmd = keys->add_subcommand("import", "import a secret key file (e.g. accounts/NAME.key)");
    auto name = std::make_shared<std::string>();
    auto file = std::make_shared<std::string>();
    auto kdf = std::make_shared<std::string>("standard");
    cmd->add_option("NAME", *name)->required();
    cmd->add_option("--secret-file", *file, "JSON with secret_seed (hex)")->required();
    cmd->add_option("--kdf", *kdf, "standard or device");
    cmd->callback([&ctx, name, file, kdf] {
      if (Status s = ValidateKeyName(*name); !s.ok()) return void(ctx.Fail(s));
      auto key = ReadSecretFile(*file);
      if (!key.ok()) return void(ctx.Fail(key.status()));
      ctx.exit_code = StoreNewKey(ctx, *name, *key, *kdf, json::object(), "");
    });
  }
  {
    auto* cmd = keys->add_subcommand("rename", "rename a key (no password needed)");
    auto from = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    cmd->add_option("OLD", *from)->required();
    cmd->add_option("NEW", *to)->required();
    cmd->callback([&ctx, from, to] {
      Keystore ks = ctx.keystore();
      if (!ks.Info(*from).ok())
        return void(ctx.Fail(Status::NotFound("no key named \"" + *from + "\"")));
      Status s = ks.Rename(*from, *to);
      if (!s.ok()) return void(ctx.Fail(s));
      ctx.Emit({{"renamed", *from}, {"to", *to}}, "renamed " + *from + " to " + *to);
    });
  }
  {
    auto* cmd = keys->add_subcommand("delete", "delete a key (asks for its password first)");
    auto name = std::make_shared<std::string>();
    cmd->add_option("NAME", *name)->required();
    cmd->callback([&ctx, name] {
      Keystore ks = ctx.keystore();
      if (!ks.Info(*name).ok())
        return void(ctx.Fail(Status::NotFound("no key named \"" + *name + "\"")));
      // Proving knowledge of the password guards against deleting the wrong key by a typo.
      auto pw = ReadPassword(ctx.password_source(), "Password for " + *name + ": ", false);
      if (!pw.ok()) return void(ctx.Fail(pw.status()));
      auto key = ks.Unlock(*name, pw->view());
      if (!key.ok()) return void(ctx.Fail(key.status()));
      Status s = ks.Remove(*name);
      if (!s.ok()) return void(ctx.Fail(s));
      ctx.Emit({{"deleted", *name}}, "deleted " + *name);
    });
  }
  {
    auto* cmd = keys->add_subcommand("change-password", "re-encrypt a key under a new password");
    auto name = std::make_shared<std::string>();
    auto new_file = std::make_shared<std::string>();
    auto new_env = std::make_shared<std::string>();
    auto kdf = std::make_shared<std::string>();
    cmd->add_option("NAME", *name)->required();
    cmd->add_option("--new-password-file", *new_file, "read the new password from FILE");
    cmd->add_option("--new-password-env", *new_env, "read the new password from VAR");
    cmd->add_option("--kdf", *kdf, "also switch the KDF profile (standard or device)");
    cmd->callback([&ctx, name, new_file, new_env, kdf] {
      Keystore ks = ctx.keystore();
      if (!ks.Info(*name).ok())
        return void(ctx.Fail(Status::NotFound("no key named \"" + *name + "\"")));
      auto old_pw = ReadPassword(ctx.password_source(), "Current password: ", false);
      if (!old_pw.ok()) return void(ctx.Fail(old_pw.status()));
      PasswordSource src;
      if (!new_file->empty()) src.file = *new_file;
      if (!new_env->empty()) src.env = *new_env;
      auto new_pw = ReadPassword(src, "New password: ", true);
      if (!new_pw.ok()) return void(ctx.Fail(new_pw.status()));
      std::optional<KdfParams> params;
      if (!kdf->empty()) {
        auto p = KdfProfile(*kdf);
        if (!p.ok()) return void(ctx.Fail(p.status()));
        params = *p;
      }
      Status s =
          ks.ChangePassword(*name, old_pw->view(), new_pw->view(), params ? &*params : nullptr);
      if (!s.ok()) return void(ctx.Fail(s));
      ctx.Emit({{"changed", *name}}, "password changed for " + *name);
    });
  }
}

}  // namespace metaledger::wallet
