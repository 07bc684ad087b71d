#pragma once
// Deterministic sample values of every core type for round-trip and property tests.

#include <cstdint>
#include <random>

#include "core/block.h"
#include "core/certificates.h"
#include "core/execution.h"
#include "core/genesis.h"
#include "core/merkle.h"
#include "core/transaction.h"
#include "core/validator_set.h"

namespace metaledger::testing {

class Samples {
 public:
  explicit Samples(uint64_t seed) : rng_(seed) {}

  uint64_t U64() { return rng_(); }
  uint64_t Small(uint64_t bound) { return rng_() % bound; }
  Bytes RandomBytes(size_t max_len) {
    Bytes b(Small(max_len + 1));
    for (auto& x : b) x = static_cast<uint8_t>(rng_());
    return b;
  }
  template <size_t N>
  FixedBytes<N> Fixed() {
    FixedBytes<N> f;
    for (auto& x : f.bytes) x = static_cast<uint8_t>(rng_());
    return f;
  }
  Hash256 H() { return Fixed<32>(); }
  Signature Sig() { return Fixed<64>(); }

  Transaction Tx() {
    Transaction tx;
    tx.chain_id = "chain-" + std::to_string(Small(1000));
    tx.sender = Fixed<32>();
    tx.nonce = U64();
    tx.kind = static_cast<uint16_t>(rng_());
    tx.payload = RandomBytes(200);
    tx.signature = Sig();
    return tx;
  }

  std::vector<IndexedSignature> Sigs(size_t n) {
    std::vector<IndexedSignature> out;
    for (size_t i = 0; i < n; ++i) out.push_back({static_cast<uint32_t>(i * 3), Sig()});
    return out;
  }

  QuorumCert Qc() { return {U64(), H(), Sigs(Small(5))}; }

  TimeoutCert Tc() {
    TimeoutCert tc;
    tc.round = U64();
    for (size_t i = 0, n = 1 + Small(4); i < n; ++i)
      tc.entries.push_back({static_cast<uint32_t>(i), U64(), Sig()});
    tc.high_qc = Qc();
    return tc;
  }

  BlockHeader Header() {
    BlockHeader h;
    h.height = U64();
    h.round = U64();
    h.parent_hash = H();
    h.proposer = static_cast<uint32_t>(Small(ValidatorSet::kMaxValidators));
    h.time_ms = U64();
    h.payload_hash = H();
    h.tx_root = H();
    h.tx_count = static_cast<uint32_t>(Small(1u << 24));
    h.validator_set_hash = H();
    return h;
  }

  Block MakeBlock(bool with_tc) {
    Block b;
    b.header = Header();
    b.justify = Qc();
    if (with_tc) b.tc = Tc();
    b.payload = RandomBytes(300);
    return b;
  }

  Vote MakeVote() { return {U64(), H(), static_cast<uint32_t>(Small(1024)), Sig()}; }
  TimeoutMsg Timeout() { return {U64(), Qc(), static_cast<uint32_t>(Small(1024)), Sig()}; }
  CommitVote MakeCommitVote() {
    return {U64(), H(), H(), H(), static_cast<uint32_t>(Small(1024)), Sig()};
  }
  CommitCert MakeCommitCert() { return {U64(), H(), H(), H(), Sigs(Small(5))}; }

  ValidatorSet Validators(size_t n) {
    std::vector<Validator> vs;
    for (size_t i = 0; i < n; ++i) {
      vs.push_back({"validator-" + std::to_string(i), PrivateKey::Generate().public_key(),
                    "10.0.0." + std::to_string(i) + ":7000"});
    }
    return ValidatorSet(std::move(vs));
  }

  InclusionProof Proof() {
    InclusionProof p;
    p.index = U64();
    p.tree_size = U64();
    for (size_t i = 0, n = Small(InclusionProof::kMaxPath + 1); i < n; ++i) p.path.push_back(H());
    return p;
  }

  Event MakeEvent() {
    Event e;
    e.tx_index = static_cast<uint32_t>(rng_());
    e.type = "auction.closed";
    for (size_t i = 0, n = Small(5); i < n; ++i)
      e.attributes.emplace_back("k" + std::to_string(i), "v");
    return e;
  }

  ExecutionResult Receipts() {
    ExecutionResult r;
    for (size_t i = 0, n = Small(10); i < n; ++i)
      r.tx_codes.push_back(static_cast<uint16_t>(rng_()));
    for (size_t i = 0, n = Small(4); i < n; ++i) r.events.push_back(MakeEvent());
    return r;
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace metaledger::testing
