#include "wallet/keystore.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/codec.h"
#include "core/crypto/hash.h"
#include "core/crypto/kdf.h"

namespace metaledger::wallet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kVersion = 1;
constexpr std::string_view kKdfName = "argon2id";
constexpr std::string_view kCipherName = "xchacha20poly1305";
constexpr uint64_t kMaxOps = 16;
constexpr uint64_t kMinMem = 8ull << 20;
constexpr uint64_t kMaxMem = 4ull << 30;

struct Header {
  std::string name;
  PublicKey public_key;
  Address address;
  KdfParams params;
  Bytes salt;
  Bytes nonce;
  Hash256 password_check;
  Bytes ciphertext;
  Hash256 checksum;
};

Bytes AssociatedData(const Header& h) {
  Writer w;
  w.String("metaledger/keystore/v1").U8(kVersion).Fixed(h.public_key).Fixed(h.address);
  w.String(kKdfName).U64(h.params.ops_limit).U64(h.params.mem_limit_bytes).Bytes(h.salt);
  w.String(kCipherName).Bytes(h.nonce).Fixed(h.password_check);
  return w.Take();
}

// An unkeyed checksum over everything but itself and the name. It is not a security control
// (anyone can recompute it; the AEAD tag is what authenticates), but it tells accidental or
// naive edits of the header apart from a wrong password, which the tag alone cannot.
Hash256 Checksum(const Header& h) {
  Writer w;
  w.Bytes(AssociatedData(h)).Bytes(h.ciphertext);
  return TaggedHash("metaledger/keystore-sum/v1", "", w.bytes());
}

Hash256 PasswordCheck(const uint8_t* check_key32) {
  return TaggedHash("metaledger/keystore-check/v1", "", ByteView(check_key32, 32));
}

Status Damaged(std::string_view what) {
  return Status::Corruption(fmt::format("keystore file is damaged or was modified: {}", what));
}

Result<std::string> Str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return Damaged(fmt::format("missing \"{}\"", key));
  return it->get<std::string>();
}

Result<Bytes> Hex(const json& j, const char* key) {
  ML_ASSIGN_OR_RETURN(std::string s, Str(j, key));
  auto b = FromHex(s);
  if (!b.ok()) return Damaged(fmt::format("\"{}\" is not hex", key));
  return std::move(b).value();
}

Result<uint64_t> Num(const json& j, const char* key) {
  auto it = j.find(key);
  if (it != j.end() && it->is_number_unsigned()) return it->get<uint64_t>();
  ML_ASSIGN_OR_RETURN(std::string s, Str(j, key));
  if (s.empty() || s.size() > 19 || !std::all_of(s.begin(), s.end(), ::isdigit)) {
    return Damaged(fmt::format("\"{}\" is not a number", key));
  }
  return std::stoull(s);
}

// Parses everything but the secret; checks version first so a newer file gets a clear error.
Result<Header> ParseHeader(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Damaged("not a JSON object");
  auto v = j.find("version");
  if (v == j.end() || !v->is_number_integer()) return Damaged("missing \"version\"");
  if (v->get<int64_t>() != kVersion) {
    return Status::FailedPrecondition(fmt::format(
        "unsupported keystore version {} (this wallet reads version {})", v->dump(), kVersion));
  }
  Header h;
  ML_ASSIGN_OR_RETURN(h.name, Str(j, "name"));
  ML_ASSIGN_OR_RETURN(Bytes pk, Hex(j, "public_key"));
  ML_ASSIGN_OR_RETURN(Bytes addr, Hex(j, "address"));
  if (pk.size() != 32 || addr.size() != 20) return Damaged("key or address has the wrong length");
  h.public_key = *PublicKey::FromView(pk);
  h.address = *Address::FromView(addr);
  if (AddressOf(h.public_key) != h.address) return Damaged("address does not match public key");

  auto kdf = j.find("kdf");
  auto cipher = j.find("cipher");
  if (kdf == j.end() || !kdf->is_object()) return Damaged("missing \"kdf\"");
  if (cipher == j.end() || !cipher->is_object()) return Damaged("missing \"cipher\"");
  ML_ASSIGN_OR_RETURN(std::string kdf_name, Str(*kdf, "name"));
  if (kdf_name != kKdfName) {
    return Status::FailedPrecondition("unsupported keystore KDF \"" + kdf_name + "\"");
  }
  ML_ASSIGN_OR_RETURN(std::string cipher_name, Str(*cipher, "name"));
  if (cipher_name != kCipherName) {
    return Status::FailedPrecondition("unsupported keystore cipher \"" + cipher_name + "\"");
  }
  ML_ASSIGN_OR_RETURN(h.params.ops_limit, Num(*kdf, "ops_limit"));
  ML_ASSIGN_OR_RETURN(h.params.mem_limit_bytes, Num(*kdf, "mem_limit_bytes"));
  // Refused before anything else is trusted or computed: a file must not be able to make the
  // wallet allocate gigabytes or accept a trivially weak KDF.
  ML_RETURN_IF_ERROR(h.params.Validate());
  ML_ASSIGN_OR_RETURN(h.salt, Hex(*kdf, "salt"));
  ML_ASSIGN_OR_RETURN(h.nonce, Hex(*cipher, "nonce"));
  ML_ASSIGN_OR_RETURN(Bytes check, Hex(j, "password_check"));
  ML_ASSIGN_OR_RETURN(h.ciphertext, Hex(j, "ciphertext"));
  if (h.salt.size() != kArgon2SaltBytes) return Damaged("salt has the wrong length");
  if (h.nonce.size() != kAeadNonceBytes) return Damaged("nonce has the wrong length");
  if (check.size() != 32) return Damaged("password_check has the wrong length");
  if (h.ciphertext.size() != 32 + kAeadTagBytes) return Damaged("ciphertext has the wrong length");
  h.password_check = *Hash256::FromView(check);
  ML_ASSIGN_OR_RETURN(Bytes sum, Hex(j, "checksum"));
  if (sum.size() != 32) return Damaged("checksum has the wrong length");
  h.checksum = *Hash256::FromView(sum);
  if (Checksum(h) != h.checksum) return Damaged("checksum does not match the contents");
  return h;
}

std::string Serialize(const Header& h) {
  json j = {{"version", kVersion},
            {"name", h.name},
            {"public_key", h.public_key.Hex()},
            {"address", h.address.Hex()},
            {"kdf",
             {{"name", kKdfName},
              {"ops_limit", std::to_string(h.params.ops_limit)},
              {"mem_limit_bytes", std::to_string(h.params.mem_limit_bytes)},
              {"salt", ToHex(h.salt)}}},
            {"cipher", {{"name", kCipherName}, {"nonce", ToHex(h.nonce)}}},
            {"password_check", h.password_check.Hex()},
            {"ciphertext", ToHex(h.ciphertext)},
            {"checksum", Checksum(h).Hex()}};
  return j.dump(2) + "\n";
}

// Argon2id -> 64 bytes: AEAD key ‖ check key. Wipes on destruction.
struct DerivedKeys {
  uint8_t bytes[64] = {};
  ~DerivedKeys() { SecureWipe(bytes, sizeof bytes); }
  ByteView aead_key() const { return {bytes, 32}; }
  const uint8_t* check_key() const { return bytes + 32; }
};

Status Derive(std::string_view password, const Header& h, DerivedKeys& out) {
  ML_RETURN_IF_ERROR(h.params.Validate());
  return Argon2id(AsBytes(password), h.salt, h.params.ops_limit, h.params.mem_limit_bytes,
                  out.bytes, sizeof out.bytes);
}

}  // namespace

Status KdfParams::Validate() const {
  if (ops_limit < 1 || ops_limit > kMaxOps) {
    return Status::InvalidArgument(
        fmt::format("keystore KDF ops_limit {} outside the allowed 1..{}", ops_limit, kMaxOps));
  }
  if (mem_limit_bytes < kMinMem || mem_limit_bytes > kMaxMem) {
    return Status::InvalidArgument(
        fmt::format("keystore KDF mem_limit_bytes {} outside the allowed {}..{}", mem_limit_bytes,
                    kMinMem, kMaxMem));
  }
  return Status::Ok();
}

Status ValidateKeyName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name[0] == '.') {
    return Status::InvalidArgument("key name must be 1..64 characters and not start with '.'");
  }
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
      return Status::InvalidArgument("key name may contain only letters, digits, '.', '_', '-'");
    }
  }
  return Status::Ok();
}

Result<std::string> SealKey(std::string_view name, const PrivateKey& key, std::string_view password,
                            const KdfParams& params) {
  ML_RETURN_IF_ERROR(ValidateKeyName(name));
  if (!key.valid()) return Status::InvalidArgument("no key to seal");
  Header h;
  h.name = std::string(name);
  h.public_key = key.public_key();
  h.address = AddressOf(h.public_key);
  h.params = params;
  h.salt.resize(kArgon2SaltBytes);
  h.nonce.resize(kAeadNonceBytes);
  RandomBytes(h.salt.data(), h.salt.size());
  RandomBytes(h.nonce.data(), h.nonce.size());
  DerivedKeys dk;
  ML_RETURN_IF_ERROR(Derive(password, h, dk));
  h.password_check = PasswordCheck(dk.check_key());
  ML_ASSIGN_OR_RETURN(h.ciphertext,
                      AeadSeal(dk.aead_key(), h.nonce, AssociatedData(h), key.seed()));
  return Serialize(h);
}

Result<PrivateKey> OpenKey(std::string_view text, std::string_view password) {
  ML_ASSIGN_OR_RETURN(Header h, ParseHeader(text));
  DerivedKeys dk;
  ML_RETURN_IF_ERROR(Derive(password, h, dk));
  const Hash256 check = PasswordCheck(dk.check_key());
  uint8_t diff = 0;  // constant time: do not leak how much of the check matched
  for (size_t i = 0; i < 32; ++i) diff |= check.bytes[i] ^ h.password_check.bytes[i];
  if (diff != 0) return Status::PermissionDenied("wrong password");
  auto seed = AeadOpen(dk.aead_key(), h.nonce, AssociatedData(h), h.ciphertext);
  if (!seed.ok()) return Damaged("ciphertext or header does not authenticate");
  auto key = PrivateKey::FromSeed(*seed);
  SecureWipe(seed->data(), seed->size());
  if (!key.ok()) return Damaged("decrypted key is not valid");
  if (key->public_key() != h.public_key) return Damaged("decrypted key does not match public_key");
  return key;
}

Result<KeyInfo> ReadKeyInfo(std::string_view text) {
  ML_ASSIGN_OR_RETURN(Header h, ParseHeader(text));
  return KeyInfo{h.name, h.public_key, h.address};
}

Status WritePrivateFile(const fs::path& path, std::string_view text, bool overwrite) {
  if (!overwrite && fs::exists(path)) return Status::AlreadyExists(path.string() + " exists");
  fs::path tmp = path;
  tmp += fmt::format(".tmp{}", ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError(tmp.string() + ": cannot create: " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::IOError(tmp.string() + ": write failed");
    }
    done += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::IOError(path.string() + ": cannot write: " + std::strerror(errno));
  }
  int dir = ::open(path.parent_path().empty() ? "." : path.parent_path().c_str(),
                   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return Status::Ok();
}

Result<std::string> ReadSmallFile(const fs::path& path, size_t max_bytes) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Status::NotFound(path.string() + ": no such file");
  if (fs::file_size(path, ec) > max_bytes) {
    return Status::InvalidArgument(path.string() + ": file too large");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path.string() + ": cannot open");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text;
}

fs::path Keystore::KeyPath(std::string_view name) const {
  return home_ / "keys" / (std::string(name) + ".json");
}

Status Keystore::Add(std::string_view name, const PrivateKey& key, std::string_view password,
                     const KdfParams& params) {
  ML_RETURN_IF_ERROR(ValidateKeyName(name));
  if (fs::exists(KeyPath(name))) {
    return Status::AlreadyExists(fmt::format("a key named \"{}\" exists", name));
  }
  std::error_code ec;
  fs::create_directories(home_ / "keys", ec);
  if (ec) return Status::IOError((home_ / "keys").string() + ": " + ec.message());
  ::chmod((home_ / "keys").c_str(), 0700);
  ML_ASSIGN_OR_RETURN(std::string text, SealKey(name, key, password, params));
  return WritePrivateFile(KeyPath(name), text, /*overwrite=*/false);
}

Result<PrivateKey> Keystore::Unlock(std::string_view name, std::string_view password) const {
  ML_RETURN_IF_ERROR(ValidateKeyName(name));
  auto text = ReadSmallFile(KeyPath(name));
  if (!text.ok()) return Status::NotFound(fmt::format("no key named \"{}\"", name));
  return OpenKey(*text, password);
}

Result<KeyInfo> Keystore::Info(std::string_view name) const {
  ML_RETURN_IF_ERROR(ValidateKeyName(name));
  auto text = ReadSmallFile(KeyPath(name));
  if (!text.ok()) return Status::NotFound(fmt::format("no key named \"{}\"", name));
  ML_ASSIGN_OR_RETURN(KeyInfo info, ReadKeyInfo(*text));
  info.name = std::string(name);  // the file name is authoritative
  return info;
}

Result<std::vector<KeyInfo>> Keystore::List() const {
  std::vector<KeyInfo> out;
  std::error_code ec;
  if (!fs::is_directory(home_ / "keys", ec)) return out;
  for (const auto& entry : fs::directory_iterator(home_ / "keys", ec)) {
    if (entry.path().extension() != ".json") continue;
    auto info = Info(entry.path().stem().string());
    if (info.ok()) out.push_back(*info);
  }
  std::sort(out.begin(), out.end(),
            [](const KeyInfo& a, const KeyInfo& b) { return a.name < b.name; });
  return out;
}

Status Keystore::Rename(std::string_view from, std::string_view to) {
  ML_RETURN_IF_ERROR(ValidateKeyName(from));
  ML_RETURN_IF_ERROR(ValidateKeyName(to));
  ML_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(KeyPath(from)));
  if (fs::exists(KeyPath(to)))
    return Status::AlreadyExists(fmt::format("a key named \"{}\" exists", to));
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Damaged("not a JSON object");
  j["name"] = std::string(to);  // the name is outside the associated data
  ML_RETURN_IF_ERROR(WritePrivateFile(KeyPath(to), j.dump(2) + "\n", /*overwrite=*/false));
  std::error_code ec;
  fs::remove(KeyPath(from), ec);
  if (ec) return Status::IOError(KeyPath(from).string() + ": " + ec.message());
  return Status::Ok();
}

Status Keystore::Remove(std::string_view name) {
  ML_RETURN_IF_ERROR(ValidateKeyName(name));
  std::error_code ec;
  if (!fs::remove(KeyPath(name), ec)) {
    return Status::NotFound(fmt::format("no key named \"{}\"", name));
  }
  return Status::Ok();
}

Status Keystore::ChangePassword(std::string_view name, std::string_view old_password,
                                std::string_view new_password, const KdfParams* new_params) {
  ML_RETURN_IF_ERROR(ValidateKeyName(name));
  ML_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(KeyPath(name)));
  ML_ASSIGN_OR_RETURN(Header h, ParseHeader(text));
  ML_ASSIGN_OR_RETURN(PrivateKey key, OpenKey(text, old_password));
  ML_ASSIGN_OR_RETURN(std::string sealed,
                      SealKey(name, key, new_password, new_params ? *new_params : h.params));
  return WritePrivateFile(KeyPath(name), sealed, /*overwrite=*/true);
}

}  // namespace metaledger::wallet
