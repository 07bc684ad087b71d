#pragma once
// Password hashing, key derivation and authenticated encryption for the wallet keystore and
// mnemonics. Argon2id and XChaCha20-Poly1305 come from libsodium; PBKDF2-SHA512 and
// HMAC-SHA512 (BIP39, SLIP-0010) from Crypto++. Outputs that are secrets go into caller-owned
// buffers so the caller decides when to wipe them (SecureWipe in core/crypto/ed25519.h).

#include <cstdint>

#include "core/bytes.h"

namespace metaledger {

// ---- Argon2id (crypto_pwhash, algorithm ARGON2ID13)
constexpr size_t kArgon2SaltBytes = 16;
// The ranges libsodium accepts; a keystore outside them is refused before any work is done.
uint64_t Argon2OpsMin();
uint64_t Argon2OpsMax();
uint64_t Argon2MemMinBytes();
uint64_t Argon2MemMaxBytes();

// Derives out_len bytes from password and a 16-byte salt. InvalidArgument for parameters
// outside the ranges above; ResourceExhausted when the memory cannot be allocated.
Status Argon2id(ByteView password, ByteView salt, uint64_t ops_limit, uint64_t mem_limit_bytes,
                uint8_t* out, size_t out_len);

// ---- XChaCha20-Poly1305 (IETF AEAD)
constexpr size_t kAeadKeyBytes = 32;
constexpr size_t kAeadNonceBytes = 24;
constexpr size_t kAeadTagBytes = 16;

// Returns ciphertext ‖ tag. Key and nonce sizes are checked (InvalidArgument).
Result<Bytes> AeadSeal(ByteView key, ByteView nonce, ByteView associated_data, ByteView plaintext);
// Unauthenticated when the tag does not verify (wrong key, or tampered ciphertext or data).
// The plaintext is returned in a fresh vector the caller must wipe.
Result<Bytes> AeadOpen(ByteView key, ByteView nonce, ByteView associated_data, ByteView ciphertext);

// ---- Crypto++ primitives for BIP39 and SLIP-0010
constexpr size_t kSha512Bytes = 64;
// out must hold 64 bytes.
void HmacSha512(ByteView key, ByteView message, uint8_t* out);
void Pbkdf2Sha512(ByteView password, ByteView salt, uint32_t iterations, uint8_t* out,
                  size_t out_len);

}  // namespace metaledger
