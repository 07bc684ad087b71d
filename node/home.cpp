#include "node/home.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace metaledger::node {

namespace fs = std::filesystem;

Status WriteTextFile(const fs::path& path, std::string_view text, bool private_mode) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (ec) return Status::IOError(path.parent_path().string() + ": " + ec.message());
  int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
  if (private_mode) flags |= O_EXCL;
  int fd = ::open(path.c_str(), flags, private_mode ? 0600 : 0644);
  if (fd < 0) return Status::IOError(path.string() + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = Status::IOError(path.string() + ": " + std::strerror(errno));
      ::close(fd);
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return Status::IOError(path.string() + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::string> ReadTextFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path.string() + ": cannot open");
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

Status WriteKeyFile(const fs::path& path, const NamedKey& key) {
  if (fs::exists(path)) return Status::AlreadyExists(path.string() + ": key file exists");
  std::string seed = ToHex(key.key.seed());
  nlohmann::json j = {{"name", key.name},
                      {"public_key", key.key.public_key().Hex()},
                      {"secret_seed", seed}};
  std::string text = j.dump(2) + "\n";
  SecureWipe(seed.data(), seed.size());
  Status s = WriteTextFile(path, text, /*private_mode=*/true);
  SecureWipe(text.data(), text.size());
  return s;
}

Result<NamedKey> ReadKeyFile(const fs::path& path) {
  ML_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    return Status::PermissionDenied(path.string() +
                                    ": key file is readable by others (chmod 600 it)");
  }
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  SecureWipe(text.data(), text.size());
  if (j.is_discarded() || !j.is_object() || !j.contains("secret_seed") ||
      !j["secret_seed"].is_string() || !j.contains("public_key") || !j["public_key"].is_string()) {
    return Status::InvalidArgument(path.string() +
                                   ": expected {\"name\", \"public_key\", \"secret_seed\"}");
  }
  auto seed = FixedBytes<32>::FromHex(j["secret_seed"].get<std::string>());
  if (!seed.ok()) return seed.status().Annotate(path.string() + ": secret_seed");
  NamedKey out;
  if (j.contains("name") && j["name"].is_string()) out.name = j["name"].get<std::string>();
  ML_ASSIGN_OR_RETURN(out.key, PrivateKey::FromSeed(seed->view()));
  SecureWipe(seed->data(), 32);
  if (out.key.public_key().Hex() != j["public_key"].get<std::string>()) {
    return Status::InvalidArgument(path.string() + ": public_key does not match secret_seed");
  }
  return out;
}

Result<NamedKey> InitHome(const fs::path& home, const std::string& moniker) {
  HomeLayout layout{home};
  if (fs::exists(layout.ConfigFile()) || fs::exists(layout.KeyFile())) {
    return Status::AlreadyExists(home.string() + " is already initialized");
  }
  NodeConfig config;
  config.moniker = moniker;
  // Validate the moniker the same way `start` will.
  auto check = ParseConfig(RenderConfig(config), "config.toml", {});
  if (!check.ok()) return check.status();
  ML_RETURN_IF_ERROR(WriteTextFile(layout.ConfigFile(), RenderConfig(config)));
  NamedKey key{moniker, PrivateKey::Generate()};
  ML_RETURN_IF_ERROR(WriteKeyFile(layout.KeyFile(), key));
  std::error_code ec;
  fs::create_directories(layout.DataDir(config), ec);
  if (ec) return Status::IOError(layout.DataDir(config).string() + ": " + ec.message());
  return key;
}

}  // namespace metaledger::node
