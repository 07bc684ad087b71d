#pragma once
// The wallet keystore: one JSON file per key under <home>/keys/NAME.json, mode 0600.
//
// File format, version 1 (docs/wallet.md has an example):
//   version, name, public_key, address      in clear, so `keys list` needs no password
//   kdf {name "argon2id", ops_limit, mem_limit_bytes, salt}
//   cipher {name "xchacha20poly1305", nonce}
//   password_check, ciphertext, checksum
// Argon2id turns the password into 64 bytes: the first 32 are the AEAD key, the last 32 feed
// password_check = H("metaledger/keystore-check/v1" ‖ bytes). The check costs an attacker
// nothing the AEAD tag would not already give, and it lets a wrong password be told apart from
// a damaged file. The AEAD associated data is the canonical encoding of every header field
// except the name (so a rename needs no password); any change to them fails decryption.
// `checksum` (SHA-256 over the same fields and the ciphertext) is checked before the KDF runs,
// so an edited or corrupted file is reported as damaged rather than as a wrong password.
//
// Errors: wrong password -> PermissionDenied; tampered or inconsistent file -> Corruption;
// unknown version -> FailedPrecondition; KDF parameters outside policy -> InvalidArgument.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/ed25519.h"
#include "core/transaction.h"

namespace metaledger::wallet {

struct KdfParams {
  uint64_t ops_limit = 0;
  uint64_t mem_limit_bytes = 0;

  // Desktop and server default: 3 passes over 256 MiB.
  static KdfParams Standard() { return {3, 256ull << 20}; }
  // Constrained devices and UAVs: 4 passes over 16 MiB (less memory, a few more passes).
  static KdfParams Device() { return {4, 16ull << 20}; }
  // The policy a keystore must satisfy before any work is done: ops 1..16,
  // memory 8 MiB..4 GiB. Refuses both weak files and files that would exhaust the machine.
  Status Validate() const;
};

// Public part of a key, readable without the password.
struct KeyInfo {
  std::string name;
  PublicKey public_key;
  Address address;
};

// Key names: 1..64 of [A-Za-z0-9._-], not starting with '.'.
Status ValidateKeyName(std::string_view name);

// Produces the file text. The password is not kept.
Result<std::string> SealKey(std::string_view name, const PrivateKey& key, std::string_view password,
                            const KdfParams& params);
Result<PrivateKey> OpenKey(std::string_view file_text, std::string_view password);
// Parses and cross-checks the public fields (address matches the key, version known).
Result<KeyInfo> ReadKeyInfo(std::string_view file_text);

// A directory of keystore files.
class Keystore {
 public:
  explicit Keystore(std::filesystem::path home) : home_(std::move(home)) {}

  std::filesystem::path KeyPath(std::string_view name) const;
  // AlreadyExists if the name is taken. Creates <home>/keys with mode 0700.
  Status Add(std::string_view name, const PrivateKey& key, std::string_view password,
             const KdfParams& params);
  Result<PrivateKey> Unlock(std::string_view name, std::string_view password) const;
  Result<KeyInfo> Info(std::string_view name) const;
  // Sorted by name; unreadable files are skipped.
  Result<std::vector<KeyInfo>> List() const;
  Status Rename(std::string_view from, std::string_view to);
  Status Remove(std::string_view name);
  // Re-encrypts under a new password (and fresh salt and nonce), keeping the KDF parameters
  // unless new_params is given.
  Status ChangePassword(std::string_view name, std::string_view old_password,
                        std::string_view new_password, const KdfParams* new_params = nullptr);

 private:
  std::filesystem::path home_;
};

// Writes `text` to `path` with mode 0600 through a temporary file and rename, so a crash never
// leaves half a key. Fails with AlreadyExists when overwrite is false and path exists.
Status WritePrivateFile(const std::filesystem::path& path, std::string_view text, bool overwrite);
Result<std::string> ReadSmallFile(const std::filesystem::path& path, size_t max_bytes = 1 << 20);

}  // namespace metaledger::wallet
