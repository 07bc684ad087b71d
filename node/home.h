#pragma once
// The node's home directory and key files.
//
//   HOME/config/config.toml          settings (node/config.h)
//   HOME/config/genesis.json         the chain's genesis (core/genesis.h)
//   HOME/config/validator_key.json   this validator's Ed25519 key, mode 0600
//   HOME/data/                       RocksDB (storage/)
//
// A key file is a small JSON object {"name", "public_key", "secret_seed"} (hex), the same shape
// as the account keys `testnet` writes to OUTPUT/accounts/NAME.key, so the wallet imports both.

#include <filesystem>
#include <string>

#include "core/crypto/ed25519.h"
#include "core/status.h"
#include "node/config.h"

namespace metaledger::node {

struct HomeLayout {
  std::filesystem::path home;
  std::filesystem::path ConfigFile() const { return home / "config" / "config.toml"; }
  std::filesystem::path GenesisFile() const { return home / "config" / "genesis.json"; }
  std::filesystem::path KeyFile() const { return home / "config" / "validator_key.json"; }
  std::filesystem::path DataDir(const NodeConfig& c) const {
    std::filesystem::path p(c.storage_dir);
    return p.is_absolute() ? p : home / p;
  }
};

struct NamedKey {
  std::string name;
  PrivateKey key;
};

// Writes the key file with mode 0600 (created that way, never world-readable in between).
// Refuses to overwrite an existing file.
Status WriteKeyFile(const std::filesystem::path& path, const NamedKey& key);
// Checks the JSON shape and that public_key matches the seed.
Result<NamedKey> ReadKeyFile(const std::filesystem::path& path);

// Writes a whole file (0644 unless `private_mode`); creates parent directories.
Status WriteTextFile(const std::filesystem::path& path, std::string_view text,
                     bool private_mode = false);
Result<std::string> ReadTextFile(const std::filesystem::path& path);

// `init`: a fresh home with default config (moniker set), a new validator key and data/.
// Refuses a home that already has a config or key. Returns the new key.
Result<NamedKey> InitHome(const std::filesystem::path& home, const std::string& moniker);

}  // namespace metaledger::node
