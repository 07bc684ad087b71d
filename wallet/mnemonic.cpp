#include "wallet/mnemonic.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/crypto/hash.h"
#include "core/crypto/kdf.h"

namespace metaledger::wallet {
namespace {

constexpr std::array<std::string_view, 2048> kWords = {
#include "wallet/bip39_english.inc"
};

std::vector<std::string_view> SplitWords(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

int WordIndex(std::string_view word) {
  // The list is sorted, so a binary search finds any word.
  auto it = std::lower_bound(kWords.begin(), kWords.end(), word);
  if (it == kWords.end() || *it != word) return -1;
  return static_cast<int>(it - kWords.begin());
}

}  // namespace

const std::array<std::string_view, 2048>& Bip39EnglishWords() { return kWords; }

ExtendedKey::~ExtendedKey() {
  SecureWipe(key.data(), key.size());
  SecureWipe(chain_code.data(), chain_code.size());
}

Result<std::string> EntropyToMnemonic(ByteView entropy) {
  const size_t n = entropy.size();
  if (n < 16 || n > 32 || n % 4 != 0) {
    return Status::InvalidArgument(
        fmt::format("BIP39 entropy must be 16, 20, 24, 28 or 32 bytes, got {}", n));
  }
  const Hash256 digest = Sha256(entropy);
  const size_t checksum_bits = n * 8 / 32;
  const size_t total_bits = n * 8 + checksum_bits;
  auto bit = [&](size_t i) -> unsigned {
    uint8_t byte = i < n * 8 ? entropy[i / 8] : digest.bytes[(i - n * 8) / 8];
    return (byte >> (7 - i % 8)) & 1u;
  };
  std::string out;
  for (size_t w = 0; w < total_bits / 11; ++w) {
    unsigned idx = 0;
    for (size_t b = 0; b < 11; ++b) idx = (idx << 1) | bit(w * 11 + b);
    if (!out.empty()) out += ' ';
    out += kWords[idx];
  }
  return out;
}

Result<Bytes> MnemonicToEntropy(std::string_view mnemonic) {
  std::vector<std::string_view> words = SplitWords(mnemonic);
  if (words.size() < 12 || words.size() > 24 || words.size() % 3 != 0) {
    return Status::InvalidArgument(
        fmt::format("a mnemonic has 12, 15, 18, 21 or 24 words, got {}", words.size()));
  }
  std::vector<unsigned> bits;
  bits.reserve(words.size() * 11);
  for (size_t i = 0; i < words.size(); ++i) {
    int idx = WordIndex(words[i]);
    if (idx < 0) {
      return Status::InvalidArgument(
          fmt::format("word {} (\"{}\") is not in the BIP39 English list", i + 1, words[i]));
    }
    for (int b = 10; b >= 0; --b) bits.push_back((static_cast<unsigned>(idx) >> b) & 1u);
  }
  const size_t checksum_bits = bits.size() / 33;
  const size_t entropy_bits = bits.size() - checksum_bits;
  Bytes entropy(entropy_bits / 8, 0);
  for (size_t i = 0; i < entropy_bits; ++i) {
    entropy[i / 8] = static_cast<uint8_t>(entropy[i / 8] | (bits[i] << (7 - i % 8)));
  }
  const Hash256 digest = Sha256(entropy);
  for (size_t i = 0; i < checksum_bits; ++i) {
    unsigned expected = (digest.bytes[i / 8] >> (7 - i % 8)) & 1u;
    if (bits[entropy_bits + i] != expected) {
      SecureWipe(entropy.data(), entropy.size());
      return Status::InvalidArgument(
          "mnemonic checksum does not match (a word is wrong or "
          "the words are out of order)");
    }
  }
  std::fill(bits.begin(), bits.end(), 0u);
  return entropy;
}

Result<std::array<uint8_t, 64>> MnemonicToSeed(std::string_view mnemonic,
                                               std::string_view passphrase) {
  for (char c : passphrase) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return Status::InvalidArgument("mnemonic passphrase must be ASCII");
    }
  }
  // BIP39 hashes the words as written, joined by single spaces.
  std::string normalized;
  for (std::string_view w : SplitWords(mnemonic)) {
    if (!normalized.empty()) normalized += ' ';
    normalized += w;
  }
  std::string salt = "mnemonic";
  salt += passphrase;
  std::array<uint8_t, 64> seed{};
  Pbkdf2Sha512(AsBytes(normalized), AsBytes(salt), 2048, seed.data(), seed.size());
  SecureWipe(normalized.data(), normalized.size());
  SecureWipe(salt.data(), salt.size());
  return seed;
}

Result<std::vector<uint32_t>> ParsePath(std::string_view path) {
  if (path.empty() || path[0] != 'm') {
    return Status::InvalidArgument("derivation path must start with \"m\"");
  }
  std::vector<uint32_t> out;
  size_t i = 1;
  while (i < path.size()) {
    if (path[i] != '/') return Status::InvalidArgument("derivation path: expected '/'");
    size_t j = ++i;
    while (j < path.size() && path[j] >= '0' && path[j] <= '9') ++j;
    if (j == i) return Status::InvalidArgument("derivation path: expected an index");
    uint32_t index = 0;
    auto [ptr, ec] = std::from_chars(path.data() + i, path.data() + j, index);
    if (ec != std::errc() || index >= kHardened) {
      return Status::InvalidArgument("derivation path: index out of range");
    }
    if (j >= path.size() || (path[j] != '\'' && path[j] != 'h')) {
      return Status::InvalidArgument(
          "derivation path: Ed25519 (SLIP-0010) supports hardened steps only (add ')");
    }
    out.push_back(index | kHardened);
    i = j + 1;
  }
  return out;
}

static ExtendedKey SplitI(const uint8_t* i64) {
  ExtendedKey k;
  std::copy(i64, i64 + 32, k.key.begin());
  std::copy(i64 + 32, i64 + 64, k.chain_code.begin());
  return k;
}

ExtendedKey MasterKeyFromSeed(ByteView seed) {
  uint8_t i64[64];
  HmacSha512(AsBytes("ed25519 seed"), seed, i64);
  ExtendedKey k = SplitI(i64);
  SecureWipe(i64, sizeof i64);
  return k;
}

Result<ExtendedKey> DeriveChild(const ExtendedKey& parent, uint32_t index) {
  if ((index & kHardened) == 0) {
    return Status::InvalidArgument("SLIP-0010 Ed25519 derivation is hardened only");
  }
  uint8_t data[37];
  data[0] = 0;
  std::copy(parent.key.begin(), parent.key.end(), data + 1);
  data[33] = static_cast<uint8_t>(index >> 24);
  data[34] = static_cast<uint8_t>(index >> 16);
  data[35] = static_cast<uint8_t>(index >> 8);
  data[36] = static_cast<uint8_t>(index);
  uint8_t i64[64];
  HmacSha512(ByteView(parent.chain_code.data(), 32), ByteView(data, sizeof data), i64);
  ExtendedKey k = SplitI(i64);
  SecureWipe(i64, sizeof i64);
  SecureWipe(data, sizeof data);
  return k;
}

Result<ExtendedKey> DerivePath(ByteView seed, std::string_view path) {
  ML_ASSIGN_OR_RETURN(std::vector<uint32_t> steps, ParsePath(path));
  ExtendedKey k = MasterKeyFromSeed(seed);
  for (uint32_t step : steps) {
    ML_ASSIGN_OR_RETURN(k, DeriveChild(k, step));
  }
  return k;
}

Result<PrivateKey> KeyFromMnemonic(std::string_view mnemonic, std::string_view passphrase,
                                   std::string_view path) {
  ML_ASSIGN_OR_RETURN(Bytes entropy, MnemonicToEntropy(mnemonic));
  SecureWipe(entropy.data(), entropy.size());
  ML_ASSIGN_OR_RETURN(auto seed, MnemonicToSeed(mnemonic, passphrase));
  auto ext = DerivePath(ByteView(seed.data(), seed.size()), path);
  SecureWipe(seed.data(), seed.size());
  if (!ext.ok()) return ext.status();
  return PrivateKey::FromSeed(ByteView(ext->key.data(), 32));
}

std::string GenerateMnemonic() {
  uint8_t entropy[32];
  RandomBytes(entropy, sizeof entropy);
  auto words = EntropyToMnemonic(ByteView(entropy, sizeof entropy));
  SecureWipe(entropy, sizeof entropy);
  return std::move(words).value();  // 32 bytes is always a valid size
}

}  // namespace metaledger::wallet
