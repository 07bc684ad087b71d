#include "core/crypto/kdf.h"

#include <cryptopp/hmac.h>
#include <cryptopp/pwdbased.h>
#include <cryptopp/sha.h>
#include <fmt/format.h>
#include <sodium.h>

#include "core/crypto/ed25519.h"

namespace metaledger {

uint64_t Argon2OpsMin() { return crypto_pwhash_argon2id_OPSLIMIT_MIN; }
uint64_t Argon2OpsMax() { return crypto_pwhash_argon2id_OPSLIMIT_MAX; }
uint64_t Argon2MemMinBytes() { return crypto_pwhash_argon2id_MEMLIMIT_MIN; }
uint64_t Argon2MemMaxBytes() { return crypto_pwhash_argon2id_MEMLIMIT_MAX; }

Status Argon2id(ByteView password, ByteView salt, uint64_t ops_limit, uint64_t mem_limit_bytes,
                uint8_t* out, size_t out_len) {
  CryptoInit();
  if (salt.size() != kArgon2SaltBytes) {
    return Status::InvalidArgument(
        fmt::format("argon2id salt must be {} bytes, got {}", kArgon2SaltBytes, salt.size()));
  }
  if (ops_limit < Argon2OpsMin() || ops_limit > Argon2OpsMax()) {
    return Status::InvalidArgument(fmt::format("argon2id ops limit {} outside [{}, {}]", ops_limit,
                                               Argon2OpsMin(), Argon2OpsMax()));
  }
  if (mem_limit_bytes < Argon2MemMinBytes() || mem_limit_bytes > Argon2MemMaxBytes()) {
    return Status::InvalidArgument(fmt::format("argon2id memory limit {} outside [{}, {}]",
                                               mem_limit_bytes, Argon2MemMinBytes(),
                                               Argon2MemMaxBytes()));
  }
  if (out_len < crypto_pwhash_BYTES_MIN || password.size() > crypto_pwhash_PASSWD_MAX) {
    return Status::InvalidArgument("argon2id output or password length out of range");
  }
  if (crypto_pwhash(out, out_len, reinterpret_cast<const char*>(password.data()), password.size(),
                    salt.data(), ops_limit, static_cast<size_t>(mem_limit_bytes),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::ResourceExhausted("argon2id: not enough memory for the requested limit");
  }
  return Status::Ok();
}

static Status CheckAeadSizes(ByteView key, ByteView nonce) {
  if (key.size() != kAeadKeyBytes) return Status::InvalidArgument("AEAD key must be 32 bytes");
  if (nonce.size() != kAeadNonceBytes) {
    return Status::InvalidArgument("AEAD nonce must be 24 bytes");
  }
  return Status::Ok();
}

Result<Bytes> AeadSeal(ByteView key, ByteView nonce, ByteView ad, ByteView plaintext) {
  CryptoInit();
  ML_RETURN_IF_ERROR(CheckAeadSizes(key, nonce));
  Bytes out(plaintext.size() + kAeadTagBytes);
  unsigned long long out_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(),
                                             plaintext.size(), ad.data(), ad.size(), nullptr,
                                             nonce.data(), key.data());
  out.resize(out_len);
  return out;
}

Result<Bytes> AeadOpen(ByteView key, ByteView nonce, ByteView ad, ByteView ciphertext) {
  CryptoInit();
  ML_RETURN_IF_ERROR(CheckAeadSizes(key, nonce));
  if (ciphertext.size() < kAeadTagBytes) {
    return Status::Unauthenticated("AEAD ciphertext shorter than its tag");
  }
  Bytes out(ciphertext.size() - kAeadTagBytes);
  unsigned long long out_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &out_len, nullptr, ciphertext.data(),
                                                 ciphertext.size(), ad.data(), ad.size(),
                                                 nonce.data(), key.data()) != 0) {
    return Status::Unauthenticated("AEAD tag does not verify");
  }
  out.resize(out_len);
  return out;
}

void HmacSha512(ByteView key, ByteView message, uint8_t* out) {
  CryptoPP::HMAC<CryptoPP::SHA512> mac(key.data(), key.size());
  mac.CalculateDigest(out, message.data(), message.size());
}

void Pbkdf2Sha512(ByteView password, ByteView salt, uint32_t iterations, uint8_t* out,
                  size_t out_len) {
  CryptoPP::PKCS5_PBKDF2_HMAC<CryptoPP::SHA512> kdf;
  kdf.DeriveKey(out, out_len, 0, password.data(), password.size(), salt.data(), salt.size(),
                iterations, 0.0);
}

}  // namespace metaledger
