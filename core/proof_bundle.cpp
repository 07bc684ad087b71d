#include "core/proof_bundle.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/crypto/verifier.h"
#include "core/transaction.h"

namespace metaledger {
namespace {

using nlohmann::json;

Result<const json*> Field(const json& obj, const char* key, std::string_view where) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    return Status::InvalidArgument(fmt::format("{}: missing field \"{}\"", where, key));
  }
  return &*it;
}

Result<uint64_t> U64Field(const json& obj, const char* key, std::string_view where) {
  ML_ASSIGN_OR_RETURN(const json* j, Field(obj, key, where));
  std::string what = fmt::format("{}.{}", where, key);
  if (j->is_number_unsigned()) return j->get<uint64_t>();
  if (!j->is_string()) return Status::InvalidArgument(what + ": expected an unsigned integer");
  const std::string& s = j->get_ref<const std::string&>();
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) {
    return Status::InvalidArgument(what + ": not a canonical unsigned integer");
  }
  unsigned __int128 v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return Status::InvalidArgument(what + ": not a number");
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > UINT64_MAX) return Status::InvalidArgument(what + ": exceeds 2^64-1");
  return static_cast<uint64_t>(v);
}

Result<uint32_t> U32Field(const json& obj, const char* key, std::string_view where) {
  ML_ASSIGN_OR_RETURN(uint64_t v, U64Field(obj, key, where));
  if (v > UINT32_MAX) {
    return Status::InvalidArgument(fmt::format("{}.{}: exceeds 2^32-1", where, key));
  }
  return static_cast<uint32_t>(v);
}

Result<std::string> StringField(const json& obj, const char* key, std::string_view where) {
  ML_ASSIGN_OR_RETURN(const json* j, Field(obj, key, where));
  if (!j->is_string()) {
    return Status::InvalidArgument(fmt::format("{}.{}: expected a string", where, key));
  }
  return j->get<std::string>();
}

Result<Bytes> HexField(const json& obj, const char* key, std::string_view where) {
  ML_ASSIGN_OR_RETURN(std::string s, StringField(obj, key, where));
  auto b = FromHex(s);
  if (!b.ok()) return b.status().Annotate(fmt::format("{}.{}", where, key));
  return std::move(b).value();
}

template <size_t N>
Result<FixedBytes<N>> FixedField(const json& obj, const char* key, std::string_view where) {
  ML_ASSIGN_OR_RETURN(std::string s, StringField(obj, key, where));
  auto b = FixedBytes<N>::FromHex(s);
  if (!b.ok()) return b.status().Annotate(fmt::format("{}.{}", where, key));
  return *b;
}

Result<const json*> ObjectField(const json& obj, const char* key, std::string_view where) {
  ML_ASSIGN_OR_RETURN(const json* j, Field(obj, key, where));
  if (!j->is_object()) {
    return Status::InvalidArgument(fmt::format("{}.{}: expected an object", where, key));
  }
  return j;
}

Result<const json*> ArrayField(const json& obj, const char* key, std::string_view where,
                               size_t max_items) {
  ML_ASSIGN_OR_RETURN(const json* j, Field(obj, key, where));
  if (!j->is_array()) {
    return Status::InvalidArgument(fmt::format("{}.{}: expected an array", where, key));
  }
  if (j->size() > max_items) {
    return Status::InvalidArgument(
        fmt::format("{}.{}: more than {} entries", where, key, max_items));
  }
  return j;
}

Result<json> ParseObject(std::string_view text, std::string_view what) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument(fmt::format("{}: not valid JSON", what));
  if (!j.is_object())
    return Status::InvalidArgument(fmt::format("{}: expected a JSON object", what));
  return j;
}

json HeaderJson(const BlockHeader& h) {
  return {{"height", std::to_string(h.height)},
          {"round", std::to_string(h.round)},
          {"parent_hash", h.parent_hash.Hex()},
          {"proposer", h.proposer},
          {"time_ms", std::to_string(h.time_ms)},
          {"payload_hash", h.payload_hash.Hex()},
          {"tx_root", h.tx_root.Hex()},
          {"tx_count", h.tx_count},
          {"validator_set_hash", h.validator_set_hash.Hex()}};
}

Result<BlockHeader> ParseHeader(const json& j, std::string_view where) {
  BlockHeader h;
  ML_ASSIGN_OR_RETURN(h.height, U64Field(j, "height", where));
  ML_ASSIGN_OR_RETURN(h.round, U64Field(j, "round", where));
  ML_ASSIGN_OR_RETURN(h.parent_hash, FixedField<32>(j, "parent_hash", where));
  ML_ASSIGN_OR_RETURN(h.proposer, U32Field(j, "proposer", where));
  ML_ASSIGN_OR_RETURN(h.time_ms, U64Field(j, "time_ms", where));
  ML_ASSIGN_OR_RETURN(h.payload_hash, FixedField<32>(j, "payload_hash", where));
  ML_ASSIGN_OR_RETURN(h.tx_root, FixedField<32>(j, "tx_root", where));
  ML_ASSIGN_OR_RETURN(h.tx_count, U32Field(j, "tx_count", where));
  ML_ASSIGN_OR_RETURN(h.validator_set_hash, FixedField<32>(j, "validator_set_hash", where));
  return h;
}

json CertJson(const CommitCert& c) {
  json sigs = json::array();
  for (const IndexedSignature& s : c.sigs) {
    sigs.push_back({{"signer", s.signer}, {"sig", s.sig.Hex()}});
  }
  return {{"height", std::to_string(c.height)},
          {"block_hash", c.block_hash.Hex()},
          {"tx_root", c.tx_root.Hex()},
          {"state_root", c.state_root.Hex()},
          {"sigs", sigs}};
}

Result<CommitCert> ParseCert(const json& j, std::string_view where) {
  CommitCert c;
  ML_ASSIGN_OR_RETURN(c.height, U64Field(j, "height", where));
  ML_ASSIGN_OR_RETURN(c.block_hash, FixedField<32>(j, "block_hash", where));
  ML_ASSIGN_OR_RETURN(c.tx_root, FixedField<32>(j, "tx_root", where));
  ML_ASSIGN_OR_RETURN(c.state_root, FixedField<32>(j, "state_root", where));
  ML_ASSIGN_OR_RETURN(const json* sigs, ArrayField(j, "sigs", where, ValidatorSet::kMaxValidators));
  for (size_t i = 0; i < sigs->size(); ++i) {
    std::string at = fmt::format("{}.sigs[{}]", where, i);
    const json& s = (*sigs)[i];
    if (!s.is_object()) return Status::InvalidArgument(at + ": expected an object");
    IndexedSignature is;
    ML_ASSIGN_OR_RETURN(is.signer, U32Field(s, "signer", at));
    ML_ASSIGN_OR_RETURN(is.sig, FixedField<64>(s, "sig", at));
    c.sigs.push_back(is);
  }
  return c;
}

json ValidatorsJson(const ValidatorSet& vs) {
  json out = json::array();
  for (const Validator& v : vs.validators()) {
    out.push_back({{"name", v.name}, {"public_key", v.key.Hex()}});
  }
  return out;
}

Result<ValidatorSet> ParseValidators(const json& arr, std::string_view where) {
  std::vector<Validator> vs;
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string at = fmt::format("{}[{}]", where, i);
    if (!arr[i].is_object()) return Status::InvalidArgument(at + ": expected an object");
    Validator v;
    ML_ASSIGN_OR_RETURN(v.name, StringField(arr[i], "name", at));
    ML_ASSIGN_OR_RETURN(v.key, FixedField<32>(arr[i], "public_key", at));
    vs.push_back(std::move(v));
  }
  return ValidatorSet(std::move(vs));
}

ProofVerdict Fail(ProofCheck check, StatusCode code, std::string detail) {
  return {check, Status(code, fmt::format("{}: {}", ProofCheckName(check), detail))};
}

// The checks every bundle shares: genesis -> validator set -> certificate -> header.
ProofVerdict CheckCertifiedHeader(std::string_view bundle_chain, const ValidatorSet& validators,
                                  const BlockHeader& header, const CommitCert& cert,
                                  const Genesis& genesis) {
  const std::string& chain = genesis.chain_id;
  if (bundle_chain != chain) {
    return Fail(ProofCheck::kChainId, StatusCode::kInvalidArgument,
                fmt::format("bundle is for chain \"{}\", genesis is \"{}\"", bundle_chain, chain));
  }
  // Only the genesis set is trusted; the bundle's copy must be exactly it.
  const Hash256 trusted = genesis.validators.Hash(chain);
  const Hash256 claimed = validators.Hash(chain);
  if (claimed != trusted) {
    return Fail(ProofCheck::kValidatorSet, StatusCode::kUnauthenticated,
                fmt::format("bundle validator set hash {} differs from the genesis set {}",
                            claimed.Hex(), trusted.Hex()));
  }
  if (header.validator_set_hash != trusted) {
    return Fail(ProofCheck::kHeaderValidatorSet, StatusCode::kUnauthenticated,
                fmt::format("header names validator set {}, genesis set is {}",
                            header.validator_set_hash.Hex(), trusted.Hex()));
  }
  Status sigs = cert.Verify(chain, genesis.validators, StrictVerifier::Instance());
  if (!sigs.ok()) {
    return Fail(ProofCheck::kCertSignatures, StatusCode::kUnauthenticated, sigs.message());
  }
  if (cert.height != header.height) {
    return Fail(ProofCheck::kCertHeight, StatusCode::kCorruption,
                fmt::format("certificate is for height {}, header is at height {}", cert.height,
                            header.height));
  }
  const Hash256 block_hash = header.Hash(chain);
  if (cert.block_hash != block_hash) {
    return Fail(ProofCheck::kCertBlockHash, StatusCode::kCorruption,
                fmt::format("certificate signs block {}, header hashes to {}",
                            cert.block_hash.Hex(), block_hash.Hex()));
  }
  if (cert.tx_root != header.tx_root) {
    return Fail(ProofCheck::kCertTxRoot, StatusCode::kCorruption,
                fmt::format("certificate tx root {} differs from header tx root {}",
                            cert.tx_root.Hex(), header.tx_root.Hex()));
  }
  return {};
}

}  // namespace

std::string_view ProofCheckName(ProofCheck check) {
  switch (check) {
    case ProofCheck::kChainId:
      return "chain_id";
    case ProofCheck::kValidatorSet:
      return "validator_set";
    case ProofCheck::kHeaderValidatorSet:
      return "header_validator_set";
    case ProofCheck::kCertSignatures:
      return "cert_signatures";
    case ProofCheck::kCertHeight:
      return "cert_height";
    case ProofCheck::kCertBlockHash:
      return "cert_block_hash";
    case ProofCheck::kCertTxRoot:
      return "cert_tx_root";
    case ProofCheck::kTxDecode:
      return "tx_decode";
    case ProofCheck::kTxInclusion:
      return "tx_inclusion";
    case ProofCheck::kStateHeight:
      return "state_height";
    case ProofCheck::kStateProof:
      return "state_proof";
  }
  return "unknown";
}

std::string BlockHeaderToJson(const BlockHeader& header) { return HeaderJson(header).dump(); }
std::string CommitCertToJson(const CommitCert& cert) { return CertJson(cert).dump(); }

Result<BlockHeader> BlockHeaderFromJson(std::string_view text) {
  ML_ASSIGN_OR_RETURN(json j, ParseObject(text, "header"));
  return ParseHeader(j, "header");
}

Result<CommitCert> CommitCertFromJson(std::string_view text) {
  ML_ASSIGN_OR_RETURN(json j, ParseObject(text, "cert"));
  return ParseCert(j, "cert");
}

std::string TxProofBundle::ToJson() const {
  json path = json::array();
  for (const Hash256& h : proof.path) path.push_back(h.Hex());
  json j = {{"chain_id", chain_id},
            {"tx", ToHex(tx)},
            {"proof",
             {{"index", std::to_string(proof.index)},
              {"tree_size", std::to_string(proof.tree_size)},
              {"path", path}}},
            {"header", HeaderJson(header)},
            {"cert", CertJson(cert)},
            {"validators", ValidatorsJson(validators)}};
  return j.dump(2);
}

Result<TxProofBundle> TxProofBundle::FromJson(std::string_view text) {
  ML_ASSIGN_OR_RETURN(json j, ParseObject(text, "bundle"));
  TxProofBundle b;
  ML_ASSIGN_OR_RETURN(b.chain_id, StringField(j, "chain_id", "bundle"));
  ML_ASSIGN_OR_RETURN(b.tx, HexField(j, "tx", "bundle"));
  if (b.tx.size() > Transaction::kMaxEncoded) {
    return Status::InvalidArgument("bundle.tx: longer than a transaction can be");
  }
  ML_ASSIGN_OR_RETURN(const json* proof, ObjectField(j, "proof", "bundle"));
  ML_ASSIGN_OR_RETURN(b.proof.index, U64Field(*proof, "index", "bundle.proof"));
  ML_ASSIGN_OR_RETURN(b.proof.tree_size, U64Field(*proof, "tree_size", "bundle.proof"));
  ML_ASSIGN_OR_RETURN(const json* path,
                      ArrayField(*proof, "path", "bundle.proof", InclusionProof::kMaxPath));
  for (size_t i = 0; i < path->size(); ++i) {
    const json& h = (*path)[i];
    std::string at = fmt::format("bundle.proof.path[{}]", i);
    if (!h.is_string()) return Status::InvalidArgument(at + ": expected a hex string");
    auto hash = Hash256::FromHex(h.get<std::string>());
    if (!hash.ok()) return hash.status().Annotate(at);
    b.proof.path.push_back(*hash);
  }
  ML_ASSIGN_OR_RETURN(const json* header, ObjectField(j, "header", "bundle"));
  ML_ASSIGN_OR_RETURN(b.header, ParseHeader(*header, "bundle.header"));
  ML_ASSIGN_OR_RETURN(const json* cert, ObjectField(j, "cert", "bundle"));
  ML_ASSIGN_OR_RETURN(b.cert, ParseCert(*cert, "bundle.cert"));
  ML_ASSIGN_OR_RETURN(const json* vals,
                      ArrayField(j, "validators", "bundle", ValidatorSet::kMaxValidators));
  ML_ASSIGN_OR_RETURN(b.validators, ParseValidators(*vals, "bundle.validators"));
  return b;
}

ProofVerdict CheckTxProof(const TxProofBundle& b, const Genesis& genesis) {
  const std::string& chain = genesis.chain_id;
  ProofVerdict common = CheckCertifiedHeader(b.chain_id, b.validators, b.header, b.cert, genesis);
  if (!common.ok()) return common;
  auto tx = Decode<Transaction>(b.tx);
  if (!tx.ok()) {
    return Fail(ProofCheck::kTxDecode, StatusCode::kCorruption, tx.status().ToString());
  }
  if (tx->chain_id != chain) {
    return Fail(ProofCheck::kTxDecode, StatusCode::kCorruption,
                fmt::format("transaction is for chain \"{}\"", tx->chain_id));
  }
  if (b.proof.tree_size != b.header.tx_count) {
    return Fail(ProofCheck::kTxInclusion, StatusCode::kCorruption,
                fmt::format("proof is for a tree of {} leaves, block has {} transactions",
                            b.proof.tree_size, b.header.tx_count));
  }
  const Hash256 txid = tx->Hash();
  if (!MerkleVerify(b.header.tx_root, txid, b.proof)) {
    return Fail(ProofCheck::kTxInclusion, StatusCode::kCorruption,
                fmt::format("transaction {} is not at index {} under tx root {}", txid.Hex(),
                            b.proof.index, b.header.tx_root.Hex()));
  }
  return {};
}

Status VerifyTxProof(const TxProofBundle& bundle, const Genesis& genesis) {
  return CheckTxProof(bundle, genesis).status;
}

std::string StateProofBundle::ToJson() const {
  json siblings = json::array();
  for (const Hash256& h : proof.siblings) siblings.push_back(h.Hex());
  json leaf = nullptr;
  if (proof.leaf) {
    leaf = {{"key_hash", proof.leaf->key_hash.Hex()}, {"value_hash", proof.leaf->value_hash.Hex()}};
  }
  json j = {{"chain_id", chain_id},
            {"key", ToHex(key)},
            {"value", value ? json(ToHex(*value)) : json(nullptr)},
            {"height", std::to_string(height)},
            {"proof", {{"leaf", leaf}, {"siblings", siblings}}},
            {"header", HeaderJson(header)},
            {"cert", CertJson(cert)},
            {"validators", ValidatorsJson(validators)}};
  return j.dump(2);
}

Result<StateProofBundle> StateProofBundle::FromJson(std::string_view text) {
  ML_ASSIGN_OR_RETURN(json j, ParseObject(text, "state bundle"));
  const char* where = "state bundle";
  StateProofBundle b;
  ML_ASSIGN_OR_RETURN(b.chain_id, StringField(j, "chain_id", where));
  ML_ASSIGN_OR_RETURN(b.key, HexField(j, "key", where));
  ML_ASSIGN_OR_RETURN(const json* value, Field(j, "value", where));
  if (!value->is_null()) {
    ML_ASSIGN_OR_RETURN(Bytes v, HexField(j, "value", where));
    b.value = std::move(v);
  }
  ML_ASSIGN_OR_RETURN(b.height, U64Field(j, "height", where));
  ML_ASSIGN_OR_RETURN(const json* proof, ObjectField(j, "proof", where));
  ML_ASSIGN_OR_RETURN(const json* leaf, Field(*proof, "leaf", "state bundle.proof"));
  if (!leaf->is_null()) {
    if (!leaf->is_object())
      return Status::InvalidArgument("state bundle.proof.leaf: expected an object");
    SmtProof::Leaf l;
    ML_ASSIGN_OR_RETURN(l.key_hash, FixedField<32>(*leaf, "key_hash", "state bundle.proof.leaf"));
    ML_ASSIGN_OR_RETURN(l.value_hash,
                        FixedField<32>(*leaf, "value_hash", "state bundle.proof.leaf"));
    b.proof.leaf = l;
  }
  ML_ASSIGN_OR_RETURN(const json* siblings,
                      ArrayField(*proof, "siblings", "state bundle.proof", kSmtDepth));
  for (size_t i = 0; i < siblings->size(); ++i) {
    const json& h = (*siblings)[i];
    std::string at = fmt::format("state bundle.proof.siblings[{}]", i);
    if (!h.is_string()) return Status::InvalidArgument(at + ": expected a hex string");
    auto hash = Hash256::FromHex(h.get<std::string>());
    if (!hash.ok()) return hash.status().Annotate(at);
    b.proof.siblings.push_back(*hash);
  }
  ML_ASSIGN_OR_RETURN(const json* header, ObjectField(j, "header", where));
  ML_ASSIGN_OR_RETURN(b.header, ParseHeader(*header, "state bundle.header"));
  ML_ASSIGN_OR_RETURN(const json* cert, ObjectField(j, "cert", where));
  ML_ASSIGN_OR_RETURN(b.cert, ParseCert(*cert, "state bundle.cert"));
  ML_ASSIGN_OR_RETURN(const json* vals,
                      ArrayField(j, "validators", where, ValidatorSet::kMaxValidators));
  ML_ASSIGN_OR_RETURN(b.validators, ParseValidators(*vals, "state bundle.validators"));
  return b;
}

ProofVerdict CheckStateProof(const StateProofBundle& b, const Genesis& genesis) {
  ProofVerdict common = CheckCertifiedHeader(b.chain_id, b.validators, b.header, b.cert, genesis);
  if (!common.ok()) return common;
  if (b.height != b.header.height) {
    return Fail(
        ProofCheck::kStateHeight, StatusCode::kCorruption,
        fmt::format("bundle claims height {}, header is at height {}", b.height, b.header.height));
  }
  Status s = SmtVerify(b.cert.state_root, b.key, b.value, b.proof);
  if (!s.ok()) {
    return Fail(ProofCheck::kStateProof, s.code(),
                fmt::format("key {} {} under state root {}: {}", ToHex(b.key),
                            b.value ? "does not have the claimed value" : "is not shown absent",
                            b.cert.state_root.Hex(), s.message()));
  }
  return {};
}

Status VerifyStateProof(const StateProofBundle& bundle, const Genesis& genesis) {
  return CheckStateProof(bundle, genesis).status;
}

}  // namespace metaledger
