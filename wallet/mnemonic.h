#pragma once
// BIP39 mnemonics (English wordlist) and SLIP-0010 Ed25519 key derivation.
//
// A wallet key is derived, never taken from a password:
//   entropy (32 bytes, OS CSPRNG) -> 24 words (BIP39) -> 64-byte seed
//   (PBKDF2-HMAC-SHA512, 2048 rounds, salt "mnemonic" ‖ passphrase) -> SLIP-0010 master key
//   (HMAC-SHA512 keyed "ed25519 seed") -> hardened child keys along kDefaultPath.
// Ed25519 under SLIP-0010 has hardened derivation only; a path with an unhardened step is refused.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/crypto/ed25519.h"

namespace metaledger::wallet {

// m / purpose' / coin type' / account' / change' / index'. 7777 is MetaLedger's coin type (not
// registered in SLIP-0044; it only needs to be fixed so recovery finds the same key).
inline constexpr std::string_view kDefaultPath = "m/44'/7777'/0'/0'/0'";

// The 2048 English words, in standard order.
const std::array<std::string_view, 2048>& Bip39EnglishWords();

// 16, 20, 24, 28 or 32 bytes of entropy -> 12..24 space-separated words.
Result<std::string> EntropyToMnemonic(ByteView entropy);
// Checks every word and the checksum; InvalidArgument naming the first unknown word, or a
// checksum error. Words may be separated by any run of spaces; case must be lower.
Result<Bytes> MnemonicToEntropy(std::string_view mnemonic);
// The BIP39 seed. The passphrase must be ASCII (this wallet does not implement NFKD).
// Does not validate the words; call MnemonicToEntropy first for user input.
Result<std::array<uint8_t, 64>> MnemonicToSeed(std::string_view mnemonic,
                                               std::string_view passphrase);

// A SLIP-0010 extended private key. Wiped on destruction.
struct ExtendedKey {
  std::array<uint8_t, 32> key{};
  std::array<uint8_t, 32> chain_code{};
  ExtendedKey() = default;
  ExtendedKey(const ExtendedKey&) = default;
  ExtendedKey& operator=(const ExtendedKey&) = default;
  ~ExtendedKey();
};

inline constexpr uint32_t kHardened = 0x80000000u;

// "m/44'/7777'/0'" -> {44|H, 7777|H, 0|H}; every step must be hardened (' or h).
Result<std::vector<uint32_t>> ParsePath(std::string_view path);
ExtendedKey MasterKeyFromSeed(ByteView seed);
// index must have the hardened bit set (InvalidArgument otherwise).
Result<ExtendedKey> DeriveChild(const ExtendedKey& parent, uint32_t index);
Result<ExtendedKey> DerivePath(ByteView seed, std::string_view path);

// Mnemonic (+ optional passphrase) -> the Ed25519 key at `path`.
Result<PrivateKey> KeyFromMnemonic(std::string_view mnemonic, std::string_view passphrase,
                                   std::string_view path = kDefaultPath);

// 32 fresh bytes from the OS -> 24 words.
std::string GenerateMnemonic();

}  // namespace metaledger::wallet
