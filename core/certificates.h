#pragma once
// Signed consensus and finality messages and the certificates built from them.
//
//   Vote        signs H("metaledger/vote/v1"    ‖ chain ‖ round ‖ block hash)
//   TimeoutMsg  signs H("metaledger/timeout/v1" ‖ chain ‖ round ‖ high QC round)
//   CommitVote  signs H("metaledger/commit/v1"  ‖ chain ‖ height ‖ block hash ‖ tx root ‖ state root)
//
// A certificate holds 2f+1 signatures from distinct validators, sorted by validator index.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/codec.h"
#include "core/crypto/hash.h"
#include "core/crypto/verifier.h"
#include "core/validator_set.h"

namespace metaledger {

struct IndexedSignature {
  uint32_t signer = 0;  // index into the validator set
  Signature sig;
  bool operator==(const IndexedSignature&) const = default;
};

Hash256 VoteMessage(std::string_view chain_id, uint64_t round, const Hash256& block_hash);
Hash256 TimeoutMessage(std::string_view chain_id, uint64_t round, uint64_t high_qc_round);
Hash256 CommitMessage(std::string_view chain_id, uint64_t height, const Hash256& block_hash,
                      const Hash256& tx_root, const Hash256& state_root);

struct Vote {
  uint64_t round = 0;
  Hash256 block_hash;
  uint32_t voter = 0;
  Signature sig;

  void Sign(std::string_view chain_id, const PrivateKey& key);
  Status Verify(std::string_view chain_id, const ValidatorSet& vs, SignatureVerifier& v) const;
  void Encode(Writer& w) const;
  static Vote DecodeFrom(Reader& r);
  bool operator==(const Vote&) const = default;
};

// Certifies that 2f+1 validators voted for block_hash in round. The genesis QC (round 0,
// no signatures) certifies the genesis block by definition.
struct QuorumCert {
  uint64_t round = 0;
  Hash256 block_hash;
  std::vector<IndexedSignature> sigs;

  bool IsGenesis() const { return round == 0 && sigs.empty(); }
  Status Verify(std::string_view chain_id, const ValidatorSet& vs, SignatureVerifier& v,
                const Hash256& genesis_hash) const;
  void Encode(Writer& w) const;
  static QuorumCert DecodeFrom(Reader& r);
  bool operator==(const QuorumCert&) const = default;
};

struct TimeoutMsg {
  uint64_t round = 0;
  QuorumCert high_qc;
  uint32_t voter = 0;
  Signature sig;

  void Sign(std::string_view chain_id, const PrivateKey& key);
  // Checks the signer and signature; the embedded QC is checked separately.
  Status VerifySignature(std::string_view chain_id, const ValidatorSet& vs,
                         SignatureVerifier& v) const;
  void Encode(Writer& w) const;
  static TimeoutMsg DecodeFrom(Reader& r);
  bool operator==(const TimeoutMsg&) const = default;
};

// 2f+1 timeouts for one round; carries the highest QC any of them reported.
struct TimeoutCert {
  struct Entry {
    uint32_t signer = 0;
    uint64_t high_qc_round = 0;
    Signature sig;
    bool operator==(const Entry&) const = default;
  };
  uint64_t round = 0;
  std::vector<Entry> entries;
  QuorumCert high_qc;

  Status Verify(std::string_view chain_id, const ValidatorSet& vs, SignatureVerifier& v,
                const Hash256& genesis_hash) const;
  void Encode(Writer& w) const;
  static TimeoutCert DecodeFrom(Reader& r);
  bool operator==(const TimeoutCert&) const = default;
};

struct CommitVote {
  uint64_t height = 0;
  Hash256 block_hash, tx_root, state_root;
  uint32_t voter = 0;
  Signature sig;

  void Sign(std::string_view chain_id, const PrivateKey& key);
  Status Verify(std::string_view chain_id, const ValidatorSet& vs, SignatureVerifier& v) const;
  void Encode(Writer& w) const;
  static CommitVote DecodeFrom(Reader& r);
  bool operator==(const CommitVote&) const = default;
};

// Finality of an executed block: 2f+1 validators agree on its hash, tx root and state root.
struct CommitCert {
  uint64_t height = 0;
  Hash256 block_hash, tx_root, state_root;
  std::vector<IndexedSignature> sigs;

  Status Verify(std::string_view chain_id, const ValidatorSet& vs, SignatureVerifier& v) const;
  void Encode(Writer& w) const;
  static CommitCert DecodeFrom(Reader& r);
  bool operator==(const CommitCert&) const = default;
};

// Checks a sorted, distinct signer list of quorum size, each signature over `message`.
Status VerifyQuorumSignatures(const std::vector<IndexedSignature>& sigs, const Hash256& message,
                              const ValidatorSet& vs, SignatureVerifier& v, std::string_view what);

}  // namespace metaledger
