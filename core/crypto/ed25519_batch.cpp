#include "core/crypto/ed25519_batch.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "core/crypto/ed25519_rules.h"
#include "core/crypto/edwards25519.h"

namespace metaledger::ed25519 {
namespace {

using edwards25519::OddMultiples;
using edwards25519::Point;
using edwards25519::Scalar;

// Past a few dozen signatures the shared doublings are paid for; larger chunks only make the
// precomputed tables fall out of the caches.
constexpr size_t kChunk = 64;

// Public keys come back (an account signs many transactions), so each thread keeps the
// prepared form of the keys it decoded: one decompression and one table fewer per signature.
// Per thread, so that no lock is taken and no entry is freed while another thread reads it.
class KeyTables {
 public:
  // 4 096 keys of 1.25 KiB each: 5 MiB per verifying thread at most.
  static constexpr size_t kCapacity = 4096;

  // Called before each chunk, so that no entry handed out within a chunk is dropped.
  void MakeRoom(size_t n) {
    if (tables_.size() + n > kCapacity) tables_.clear();
  }
  // Null when the key does not decode; such keys are not kept.
  const OddMultiples* Find(const PublicKey& key) {
    auto it = tables_.find(key);
    if (it != tables_.end()) return &it->second;
    Point a;
    if (!edwards25519::Decompress(key.data(), &a)) return nullptr;
    OddMultiples& table = tables_[key];
    edwards25519::Prepare(a, &table);
    return &table;
  }

 private:
  std::unordered_map<PublicKey, OddMultiples, FixedBytesHash> tables_;
};

const OddMultiples& BaseTable() {
  static const OddMultiples table = [] {
    OddMultiples t;
    edwards25519::Prepare(edwards25519::BasePoint(), &t);
    return t;
  }();
  return table;
}

// The checks every path shares: the encodings, the decodings, and the challenge h.
bool Prepare(const BatchItem& item, KeyTables& keys, const OddMultiples** a, OddMultiples* r,
             uint8_t h[32]) {
  const uint8_t* r_bytes = item.signature->data();
  const uint8_t* s_bytes = r_bytes + 32;
  const uint8_t* a_bytes = item.key->data();
  if (!IsCanonicalScalar(s_bytes) || IsSmallOrderEncoding(r_bytes) ||
      IsSmallOrderEncoding(a_bytes)) {
    return false;
  }
  // Decompress refuses non-canonical encodings.
  *a = keys.Find(*item.key);
  Point r_point;
  if (*a == nullptr || !edwards25519::Decompress(r_bytes, &r_point)) return false;
  edwards25519::Prepare(r_point, r);
  crypto_hash_sha512_state state;
  crypto_hash_sha512_init(&state);
  crypto_hash_sha512_update(&state, r_bytes, 32);
  crypto_hash_sha512_update(&state, a_bytes, 32);
  crypto_hash_sha512_update(&state, item.message.data(), item.message.size());
  uint8_t wide[64];
  crypto_hash_sha512_final(&state, wide);
  crypto_core_ed25519_scalar_reduce(h, wide);
  return true;
}

// With coefficients z_i (random, or 1 for a single check):
//   [8]( sum z_i R_i + sum (z_i h_i) A_i - (sum z_i S_i) B ) = O.
// Each good signature's term is a small-order point, which the [8] removes; reducing the
// coefficients mod L only changes terms by small-order points too.
bool CheckChunk(const BatchItem* items, size_t n, bool random_coefficients) {
  thread_local std::vector<Scalar> scalars;
  thread_local std::vector<const OddMultiples*> tables;
  thread_local std::vector<OddMultiples> r_tables;
  thread_local KeyTables keys;
  scalars.resize(2 * n + 1);
  tables.resize(2 * n + 1);
  if (r_tables.size() < n) r_tables.resize(n);
  keys.MakeRoom(n);
  uint8_t z[kChunk][16];
  if (random_coefficients) {
    randombytes_buf(z, n * 16);
  } else {
    std::memset(z, 0, sizeof(z));
  }
  uint8_t sum_zs[32] = {0};
  for (size_t i = 0; i < n; ++i) {
    uint8_t h[32];
    if (!Prepare(items[i], keys, &tables[2 * i], &r_tables[i], h)) return false;
    tables[2 * i + 1] = &r_tables[i];
    Scalar& zi = scalars[2 * i + 1];
    std::memset(zi.bytes, 0, 32);
    std::memcpy(zi.bytes, z[i], 16);
    zi.bytes[0] |= 1;  // never 0, which would leave the signature unchecked
    crypto_core_ed25519_scalar_mul(scalars[2 * i].bytes, zi.bytes, h);
    uint8_t zs[32];
    crypto_core_ed25519_scalar_mul(zs, zi.bytes, items[i].signature->data() + 32);
    crypto_core_ed25519_scalar_add(sum_zs, sum_zs, zs);
  }
  crypto_core_ed25519_scalar_negate(scalars[2 * n].bytes, sum_zs);
  tables[2 * n] = &BaseTable();
  return edwards25519::IsSmallOrder(
      edwards25519::MultiScalarMul(scalars.data(), tables.data(), 2 * n + 1));
}

}  // namespace

bool VerifyCofactored(const PublicKey& key, ByteView message, const Signature& sig) {
  CryptoInit();
  BatchItem item{&key, message, &sig};
  return CheckChunk(&item, 1, false);
}

bool VerifyBatch(std::span<const BatchItem> items) {
  CryptoInit();
  for (size_t at = 0; at < items.size(); at += kChunk) {
    size_t n = std::min(kChunk, items.size() - at);
    if (!CheckChunk(items.data() + at, n, true)) return false;
  }
  return true;
}

std::optional<size_t> FirstInvalid(std::span<const BatchItem> items) {
  if (VerifyBatch(items)) return std::nullopt;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!Verify(*items[i].key, items[i].message, *items[i].signature)) return i;
  }
  // Not reached: signatures that each verify always pass as a batch. The single verdicts stand.
  return std::nullopt;
}

}  // namespace metaledger::ed25519
