#include "core/certificates.h"

#include <fmt/format.h>

namespace metaledger {
namespace {

constexpr size_t kMaxSigs = ValidatorSet::kMaxValidators;

void EncodeSigs(Writer& w, const std::vector<IndexedSignature>& sigs) {
  w.Varint(sigs.size());
  for (const auto& s : sigs) w.Varint(s.signer).Fixed(s.sig);
}

std::vector<IndexedSignature> DecodeSigs(Reader& r) {
  size_t n = r.VarintMax(kMaxSigs, "signature count");
  std::vector<IndexedSignature> out;
  out.reserve(n);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    IndexedSignature s;
    s.signer = static_cast<uint32_t>(r.VarintMax(kMaxSigs - 1, "signer index"));
    s.sig = r.Fixed<64>();
    out.push_back(s);
  }
  return out;
}

Status CheckSigner(uint32_t index, const ValidatorSet& vs, std::string_view what) {
  if (index >= vs.size()) {
    return Status::Unauthenticated(fmt::format("{}: signer {} is not a validator", what, index));
  }
  return Status::Ok();
}

}  // namespace

Hash256 VoteMessage(std::string_view chain_id, uint64_t round, const Hash256& block_hash) {
  Writer w(40);
  w.U64(round).Fixed(block_hash);
  return TaggedHash("metaledger/vote/v1", chain_id, w.bytes());
}

Hash256 TimeoutMessage(std::string_view chain_id, uint64_t round, uint64_t high_qc_round) {
  Writer w(16);
  w.U64(round).U64(high_qc_round);
  return TaggedHash("metaledger/timeout/v1", chain_id, w.bytes());
}

Hash256 CommitMessage(std::string_view chain_id, uint64_t height, const Hash256& block_hash,
                      const Hash256& tx_root, const Hash256& state_root) {
  Writer w(104);
  w.U64(height).Fixed(block_hash).Fixed(tx_root).Fixed(state_root);
  return TaggedHash("metaledger/commit/v1", chain_id, w.bytes());
}

Status VerifyQuorumSignatures(const std::vector<IndexedSignature>& sigs, const Hash256& message,
                              const ValidatorSet& vs, SignatureVerifier& v, std::string_view what) {
  if (sigs.size() < vs.quorum()) {
    return Status::Unauthenticated(
        fmt::format("{}: {} signatures, quorum is {}", what, sigs.size(), vs.quorum()));
  }
  for (size_t i = 0; i < sigs.size(); ++i) {
    ML_RETURN_IF_ERROR(CheckSigner(sigs[i].signer, vs, what));
    if (i > 0 && sigs[i].signer <= sigs[i - 1].signer) {
      return Status::InvalidArgument(fmt::format("{}: signers not strictly increasing", what));
    }
  }
  // One batch check for the quorum (the verifier falls back to single checks to name a bad one).
  std::vector<ed25519::BatchItem> items;
  items.reserve(sigs.size());
  for (const auto& s : sigs) items.push_back({&vs.at(s.signer).key, message.view(), &s.sig});
  if (auto bad = v.FirstInvalid(items)) {
    return Status::Unauthenticated(
        fmt::format("{}: bad signature from validator {}", what, sigs[*bad].signer));
  }
  return Status::Ok();
}

// ---- Vote

void Vote::Sign(std::string_view chain_id, const PrivateKey& key) {
  sig = key.Sign(VoteMessage(chain_id, round, block_hash).view());
}

Status Vote::Verify(std::string_view chain_id, const ValidatorSet& vs, SignatureVerifier& v) const {
  ML_RETURN_IF_ERROR(CheckSigner(voter, vs, "vote"));
  if (!v.Verify(vs.at(voter).key, VoteMessage(chain_id, round, block_hash).view(), sig)) {
    return Status::Unauthenticated(fmt::format("vote: bad signature from validator {}", voter));
  }
  return Status::Ok();
}

void Vote::Encode(Writer& w) const { w.U8(1).Varint(round).Fixed(block_hash).Varint(voter).Fixed(sig); }

Vote Vote::DecodeFrom(Reader& r) {
  Vote v;
  r.ExpectVersion(1, "vote");
  v.round = r.Varint();
  v.block_hash = r.Fixed<32>();
  v.voter = static_cast<uint32_t>(r.VarintMax(kMaxSigs - 1, "voter index"));
  v.sig = r.Fixed<64>();
  return v;
}

// ---- QuorumCert

Status QuorumCert::Verify(std::string_view chain_id, const ValidatorSet& vs, SignatureVerifier& v,
                          const Hash256& genesis_hash) const {
  if (IsGenesis()) {
    if (block_hash != genesis_hash) return Status::Unauthenticated("unsigned QC for a non-genesis block");
    return Status::Ok();
  }
  return VerifyQuorumSignatures(sigs, VoteMessage(chain_id, round, block_hash), vs, v, "QC");
}

void QuorumCert::Encode(Writer& w) const {
  w.U8(1).Varint(round).Fixed(block_hash);
  EncodeSigs(w, sigs);
}

QuorumCert QuorumCert::DecodeFrom(Reader& r) {
  QuorumCert qc;
  r.ExpectVersion(1, "quorum certificate");
  qc.round = r.Varint();
  qc.block_hash = r.Fixed<32>();
  qc.sigs = DecodeSigs(r);
  return qc;
}

// ---- TimeoutMsg

void TimeoutMsg::Sign(std::string_view chain_id, const PrivateKey& key) {
  sig = key.Sign(TimeoutMessage(chain_id, round, high_qc.round).view());
}

Status TimeoutMsg::VerifySignature(std::string_view chain_id, const ValidatorSet& vs,
                                   SignatureVerifier& v) const {
  ML_RETURN_IF_ERROR(CheckSigner(voter, vs, "timeout"));
  if (!v.Verify(vs.at(voter).key, TimeoutMessage(chain_id, round, high_qc.round).view(), sig)) {
    return Status::Unauthenticated(fmt::format("timeout: bad signature from validator {}", voter));
  }
  return Status::Ok();
}

void TimeoutMsg::Encode(Writer& w) const {
  w.U8(1).Varint(round);
  high_qc.Encode(w);
  w.Varint(voter).Fixed(sig);
}

TimeoutMsg TimeoutMsg::DecodeFrom(Reader& r) {
  TimeoutMsg t;
  r.ExpectVersion(1, "timeout");
  t.round = r.Varint();
  t.high_qc = QuorumCert::DecodeFrom(r);
  t.voter = static_cast<uint32_t>(r.VarintMax(kMaxSigs - 1, "voter index"));
  t.sig = r.Fixed<64>();
  return t;
}

// ---- TimeoutCert

Status TimeoutCert::Verify(std::string_view chain_id, const ValidatorSet& vs, SignatureVerifier& v,
                           const Hash256& genesis_hash) const {
  if (entries.size() < vs.quorum()) {
    return Status::Unauthenticated(
        fmt::format("TC: {} timeouts, quorum is {}", entries.size(), vs.quorum()));
  }
  uint64_t max_round = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    ML_RETURN_IF_ERROR(CheckSigner(entries[i].signer, vs, "TC"));
    if (i > 0 && entries[i].signer <= entries[i - 1].signer) {
      return Status::InvalidArgument("TC: signers not strictly increasing");
    }
    if (entries[i].high_qc_round >= round) {
      return Status::InvalidArgument("TC: entry reports a QC round not below the TC round");
    }
    max_round = std::max(max_round, entries[i].high_qc_round);
  }
  if (high_qc.round != max_round) {
    return Status::InvalidArgument(fmt::format(
        "TC: carried QC has round {}, highest reported is {}", high_qc.round, max_round));
  }
  for (const auto& e : entries) {
    if (!v.Verify(vs.at(e.signer).key, TimeoutMessage(chain_id, round, e.high_qc_round).view(), e.sig)) {
      return Status::Unauthenticated(fmt::format("TC: bad signature from validator {}", e.signer));
    }
  }
  return high_qc.Verify(chain_id, vs, v, genesis_hash);
}

void TimeoutCert::Encode(Writer& w) const {
  w.U8(1).Varint(round).Varint(entries.size());
  for (const auto& e : entries) w.Varint(e.signer).Varint(e.high_qc_round).Fixed(e.sig);
  high_qc.Encode(w);
}

TimeoutCert TimeoutCert::DecodeFrom(Reader& r) {
  TimeoutCert tc;
  r.ExpectVersion(1, "timeout certificate");
  tc.round = r.Varint();
  size_t n = r.VarintMax(kMaxSigs, "timeout count");
  for (size_t i = 0; i < n && r.ok(); ++i) {
    Entry e;
    e.signer = static_cast<uint32_t>(r.VarintMax(kMaxSigs - 1, "signer index"));
    e.high_qc_round = r.Varint();
    e.sig = r.Fixed<64>();
    tc.entries.push_back(e);
  }
  tc.high_qc = QuorumCert::DecodeFrom(r);
  return tc;
}

// ---- CommitVote / CommitCert

void CommitVote::Sign(std::string_view chain_id, const PrivateKey& key) {
  sig = key.Sign(CommitMessage(chain_id, height, block_hash, tx_root, state_root).view());
}

Status CommitVote::Verify(std::string_view chain_id, const ValidatorSet& vs,
                          SignatureVerifier& v) const {
  ML_RETURN_IF_ERROR(CheckSigner(voter, vs, "commit vote"));
  if (!v.Verify(vs.at(voter).key,
                CommitMessage(chain_id, height, block_hash, tx_root, state_root).view(), sig)) {
    return Status::Unauthenticated(fmt::format("commit vote: bad signature from validator {}", voter));
  }
  return Status::Ok();
}

void CommitVote::Encode(Writer& w) const {
  w.U8(1).Varint(height).Fixed(block_hash).Fixed(tx_root).Fixed(state_root).Varint(voter).Fixed(sig);
}

CommitVote CommitVote::DecodeFrom(Reader& r) {
  CommitVote c;
  r.ExpectVersion(1, "commit vote");
  c.height = r.Varint();
  c.block_hash = r.Fixed<32>();
  c.tx_root = r.Fixed<32>();
  c.state_root = r.Fixed<32>();
  c.voter = static_cast<uint32_t>(r.VarintMax(kMaxSigs - 1, "voter index"));
  c.sig = r.Fixed<64>();
  return c;
}

Status CommitCert::Verify(std::string_view chain_id, const ValidatorSet& vs,
                          SignatureVerifier& v) const {
  return VerifyQuorumSignatures(sigs, CommitMessage(chain_id, height, block_hash, tx_root, state_root),
                                vs, v, "commit certificate");
}

void CommitCert::Encode(Writer& w) const {
  w.U8(1).Varint(height).Fixed(block_hash).Fixed(tx_root).Fixed(state_root);
  EncodeSigs(w, sigs);
}

CommitCert CommitCert::DecodeFrom(Reader& r) {
  CommitCert c;
  r.ExpectVersion(1, "commit certificate");
  c.height = r.Varint();
  c.block_hash = r.Fixed<32>();
  c.tx_root = r.Fixed<32>();
  c.state_root = r.Fixed<32>();
  c.sigs = DecodeSigs(r);
  return c;
}

}  // namespace metaledger
