#pragma once
// Mempool: the transactions this node admitted and has not yet seen committed.
//
// Admission (Submit) checks, in order: decoding and size, chain id, the Ed25519 signature
// (through a VerifyCache, so each signature is checked once per node),
// the contract precheck (nonce window, role for the kind), duplicates, and the bounds: at most
// max_per_sender transactions per sender and max_txs in total, refused with ResourceExhausted
// ("mempool full"). Admitted transactions wait for TakeForBatch; committed ones are evicted by
// OnCommitted, which also re-checks what still waits (a nonce may have become stale).
// Thread-safe: the API threads submit while the consensus thread batches and evicts.

#include <atomic>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/crypto/verifier.h"
#include "core/transaction.h"

namespace metaledger::node {

struct MempoolOptions {
  std::string chain_id;
  size_t max_txs = 200000;
  size_t max_per_sender = 10000;
};

struct MempoolStats {
  uint64_t admitted = 0, duplicates = 0, rejected = 0, full = 0, evicted = 0, rechecked_out = 0;
};

class Mempool {
 public:
  // Contract-level admission check (contracts Precheck over the latest committed state).
  using Precheck = std::function<Status(const Transaction&)>;

  // `verifier` (normally a VerifyCache shared with execution) must outlive the mempool.
  Mempool(MempoolOptions options, SignatureVerifier& verifier, Precheck precheck);

  // Full admission of an encoded transaction; returns its id.
  Result<Hash256> Submit(ByteView encoded);
  // Submit() of several transactions, their signatures checked as one batch: one result per
  // input, in order, each what Submit() would have returned.
  std::vector<Result<Hash256>> SubmitMany(std::span<const ByteView> encoded);
  Result<Hash256> Admit(Transaction tx);
  // Chain id and signature of one transaction, through the cache.
  Status CheckSignature(const Transaction& tx);
  // The same for all transactions of a peer's batch, the signatures checked as one batch; the
  // error names the first bad transaction.
  Status CheckSignatures(std::span<const Transaction> txs);

  // Up to `max` admitted transactions, oldest first; they stay counted until committed. Their
  // ids, in the same order, are appended to *ids.
  std::vector<Transaction> TakeForBatch(size_t max, std::vector<Hash256>* ids);
  size_t pending() const;
  size_t size() const;
  bool Contains(const Hash256& id) const;

  // Evicts committed ids and re-checks the transactions still waiting.
  void OnCommitted(const std::vector<Hash256>& ids);
  // Puts transactions back in front of the queue (their batch was lost before proposal).
  void Requeue(std::vector<Transaction> txs);

  MempoolStats stats() const;

  // Called (on the committing thread) with the ids of each certified, durable block's
  // transactions, after eviction. One observer; nullptr removes it. Used by the bench gateway.
  using CommitObserver = std::function<void(const std::vector<Hash256>&)>;
  void SetCommitObserver(CommitObserver observer);

  // BENCHMARK ONLY ([bench] unsigned_commands = 1): admission and peers' batches skip the
  // signature check and the contract precheck, so unsigned commands flow through batches,
  // consensus, commit and storage (execution gives them UNKNOWN_ACCOUNT and changes no state).
  void EnableBenchUnsigned() { bench_unsigned_ = true; }
  bool bench_unsigned() const { return bench_unsigned_; }

 private:
  static Result<Transaction> DecodeSubmitted(ByteView encoded);
  Status CheckChain(const Transaction& tx) const;
  bool Held(const Hash256& id);
  Status Duplicate(const Hash256& id);  // counts it
  // Admission once the signature's verdict `checked` is known.
  Result<Hash256> AdmitChecked(Transaction tx, const Hash256& id, Status checked);
  void Remove(const Hash256& id, const PublicKey& sender);

  MempoolOptions options_;
  SignatureVerifier& verifier_;
  Precheck precheck_;
  mutable std::mutex mu_;
  std::unordered_map<Hash256, PublicKey, FixedBytesHash> held_;  // id -> sender
  std::map<PublicKey, size_t> per_sender_;
  std::deque<std::pair<Hash256, Transaction>> queue_;           // admitted, not yet batched
  MempoolStats stats_;
  std::mutex observer_mu_;
  CommitObserver observer_;
  std::atomic<bool> bench_unsigned_{false};
};

}  // namespace metaledger::node
