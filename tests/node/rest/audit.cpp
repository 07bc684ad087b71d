// An auditor's verifier, written from the spec rather than with core/proof_bundle.cpp, so the
// bundles the API serves are checked by a second, independent implementation.

#include "tests/node/rest/audit.h"

#include <optional>
#include <set>
#include <stdexcept>

#include "core/block.h"
#include "core/certificates.h"
#include "core/codec.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/hash.h"
#include "core/sparse_merkle.h"
#include "core/transaction.h"

namespace metaledger::rest::testing {

using nlohmann::json;

namespace {

uint64_t U64(const json& j) {
  if (j.is_number_unsigned()) return j.get<uint64_t>();
  std::string s = j.get<std::string>();
  if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789") != std::string::npos) {
    throw std::runtime_error("bad number");
  }
  return std::stoull(s);
}

template <size_t N>
FixedBytes<N> Fixed(const json& j) {
  auto v = FixedBytes<N>::FromHex(j.get<std::string>());
  if (!v.ok()) throw std::runtime_error("bad hex");
  return *v;
}

Hash256 LeafHash(const Hash256& leaf) {
  Sha256Hasher h;
  uint8_t prefix = 0;
  h.Update(ByteView(&prefix, 1)).Update(leaf.view());
  return h.Finish();
}

Hash256 NodeHash(const Hash256& l, const Hash256& r) {
  Sha256Hasher h;
  uint8_t prefix = 1;
  h.Update(ByteView(&prefix, 1)).Update(l.view()).Update(r.view());
  return h.Finish();
}

// RFC 9162 2.1.3.2.
bool InclusionHolds(const Hash256& root, const Hash256& leaf, uint64_t index, uint64_t size,
                    const std::vector<Hash256>& path) {
  if (index >= size) return false;
  uint64_t fn = index, sn = size - 1;
  Hash256 r = LeafHash(leaf);
  for (const Hash256& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

// "" when the bundle proves its transaction against the genesis validators, else the reason.
// Checks the chain of trust genesis -> validators -> certificate -> header shared by both
// bundle kinds; fills the header and certified state root. "" on success. Throws on malformed.
std::string AuditCertifiedHeader(const json& b, const Genesis& genesis, BlockHeader* header,
                                 Hash256* certified_state_root) {
  const std::string chain = b.at("chain_id").get<std::string>();
  if (chain != genesis.chain_id) return "chain id";
  std::vector<Validator> vals;
  for (const json& v : b.at("validators")) {
    vals.push_back({v.at("name").get<std::string>(), Fixed<32>(v.at("public_key")), ""});
  }
  ValidatorSet vs(vals);
  if (vs.Hash(chain) != genesis.validators.Hash(chain)) return "validator set";
  const json& jh = b.at("header");
  BlockHeader& h = *header;
  h.height = U64(jh.at("height"));
  h.round = U64(jh.at("round"));
  h.parent_hash = Fixed<32>(jh.at("parent_hash"));
  h.proposer = static_cast<uint32_t>(U64(jh.at("proposer")));
  h.time_ms = U64(jh.at("time_ms"));
  h.payload_hash = Fixed<32>(jh.at("payload_hash"));
  h.tx_root = Fixed<32>(jh.at("tx_root"));
  h.tx_count = static_cast<uint32_t>(U64(jh.at("tx_count")));
  h.validator_set_hash = Fixed<32>(jh.at("validator_set_hash"));
  if (h.validator_set_hash != vs.Hash(chain)) return "header validator set";
  const json& jc = b.at("cert");
  uint64_t cert_height = U64(jc.at("height"));
  Hash256 block_hash = Fixed<32>(jc.at("block_hash"));
  Hash256 tx_root = Fixed<32>(jc.at("tx_root"));
  Hash256 state_root = Fixed<32>(jc.at("state_root"));
  if (cert_height != h.height || block_hash != h.Hash(chain) || tx_root != h.tx_root) {
    return "certificate does not name the header";
  }
  Hash256 message = CommitMessage(chain, cert_height, block_hash, tx_root, state_root);
  std::set<uint64_t> signers;
  for (const json& s : jc.at("sigs")) {
    uint64_t who = U64(s.at("signer"));
    if (who >= vs.size() || !signers.insert(who).second) return "signer";
    if (!Verify(vs.at(who).key, message.view(), Fixed<64>(s.at("sig")))) return "signature";
  }
  if (signers.size() < vs.quorum()) return "quorum";
  *certified_state_root = state_root;
  return "";
}

}  // namespace

std::string AuditBundle(const json& b, const Genesis& genesis) {
  try {
    BlockHeader h;
    Hash256 state_root;
    if (std::string why = AuditCertifiedHeader(b, genesis, &h, &state_root); !why.empty()) {
      return why;
    }
    auto tx_bytes = FromHex(b.at("tx").get<std::string>());
    if (!tx_bytes.ok()) return "tx hex";
    auto tx = Decode<Transaction>(*tx_bytes);
    if (!tx.ok() || tx->chain_id != genesis.chain_id) return "tx decode";
    std::vector<Hash256> path;
    for (const json& p : b.at("proof").at("path")) path.push_back(Fixed<32>(p));
    uint64_t size = U64(b.at("proof").at("tree_size"));
    if (size != h.tx_count) return "tree size";
    if (!InclusionHolds(h.tx_root, tx->Hash(), U64(b.at("proof").at("index")), size, path)) {
      return "inclusion";
    }
    return "";
  } catch (const std::exception& e) {
    return std::string("malformed: ") + e.what();
  }
}

std::string AuditStateBundle(const json& b, const Genesis& genesis) {
  try {
    BlockHeader h;
    Hash256 root;
    if (std::string why = AuditCertifiedHeader(b, genesis, &h, &root); !why.empty()) return why;
    if (U64(b.at("height")) != h.height) return "height";
    auto key = FromHex(b.at("key").get<std::string>());
    if (!key.ok()) return "key hex";
    std::optional<Bytes> value;
    if (!b.at("value").is_null()) {
      auto v = FromHex(b.at("value").get<std::string>());
      if (!v.ok()) return "value hex";
      value = *v;
    }
    Hash256 key_hash = SmtKeyHash(*key);
    const json& proof = b.at("proof");
    std::vector<Hash256> siblings;
    for (const json& s : proof.at("siblings")) siblings.push_back(Fixed<32>(s));
    if (siblings.size() > kSmtDepth) return "proof too deep";
    std::optional<std::pair<Hash256, Hash256>> leaf;
    if (!proof.at("leaf").is_null()) {
      leaf.emplace(Fixed<32>(proof.at("leaf").at("key_hash")),
                   Fixed<32>(proof.at("leaf").at("value_hash")));
    }
    // What the proof claims about the key.
    if (value) {
      if (!leaf || leaf->first != key_hash || leaf->second != SmtValueHash(*value)) {
        return "value not proven";
      }
    } else if (leaf) {
      if (leaf->first == key_hash) return "absence not proven: the key has a leaf";
      for (size_t d = 0; d < siblings.size(); ++d) {
        if (SmtBit(leaf->first, d) != SmtBit(key_hash, d)) return "leaf off the key's path";
      }
    }
    // Fold from the bottom of the path up to the root.
    Hash256 node = leaf ? SmtLeafHash(leaf->first, leaf->second) : kSmtEmptyHash;
    for (size_t i = siblings.size(); i-- > 0;) {
      node = SmtBit(key_hash, i) ? SmtInternalHash(siblings[i], node)
                                 : SmtInternalHash(node, siblings[i]);
    }
    return node == root ? "" : "root mismatch";
  } catch (const std::exception& e) {
    return std::string("malformed: ") + e.what();
  }
}

}  // namespace metaledger::rest::testing
