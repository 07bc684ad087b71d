#include "node/mempool.h"

#include <fmt/format.h>

namespace metaledger::node {

Mempool::Mempool(MempoolOptions options, SignatureVerifier& verifier, Precheck precheck)
    : options_(std::move(options)), verifier_(verifier), precheck_(std::move(precheck)) {}

Result<Transaction> Mempool::DecodeSubmitted(ByteView encoded) {
  if (encoded.size() > Transaction::kMaxEncoded) {
    return Status::InvalidArgument(fmt::format("TX_TOO_LARGE: transaction of {} bytes exceeds {}",
                                               encoded.size(), Transaction::kMaxEncoded));
  }
  auto tx = Decode<Transaction>(encoded);
  if (!tx.ok()) {
    return Status::InvalidArgument("BAD_ENCODING: not a canonical transaction: " +
                                   tx.status().message());
  }
  return tx;
}

Result<Hash256> Mempool::Submit(ByteView encoded) {
  auto tx = DecodeSubmitted(encoded);
  if (!tx.ok()) return tx.status();
  return Admit(std::move(tx).value());
}

std::vector<Result<Hash256>> Mempool::SubmitMany(std::span<const ByteView> encoded) {
  struct Candidate {
    size_t index;
    Transaction tx;
    Hash256 id;
    Hash256 signed_hash;
    Status verdict;
  };
  std::vector<Result<Hash256>> results(encoded.size(), Status::Internal("not admitted"));
  std::vector<Candidate> candidates;
  candidates.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    auto tx = DecodeSubmitted(encoded[i]);
    if (!tx.ok()) {
      results[i] = tx.status();
      continue;
    }
    Hash256 id = tx->Hash();
    if (Held(id)) {
      results[i] = Duplicate(id);
      continue;
    }
    Hash256 signed_hash = bench_unsigned_ ? Hash256{} : tx->SigningHash();
    Status chain = CheckChain(*tx);
    candidates.push_back({i, std::move(tx).value(), id, signed_hash, std::move(chain)});
  }
  if (!bench_unsigned_) {
    std::vector<ed25519::BatchItem> items;
    std::vector<Candidate*> checked;
    for (Candidate& c : candidates) {
      if (!c.verdict.ok()) continue;
      items.push_back({&c.tx.sender, c.signed_hash.view(), &c.tx.signature});
      checked.push_back(&c);
    }
    if (auto bad = verifier_.FirstInvalid(items)) {
      // A failed batch names only its first bad signature; the rest are checked one by one, so
      // a client's bad signature costs it its own transaction, never its neighbours'.
      for (size_t j = *bad; j < items.size(); ++j) {
        if (j == *bad || !verifier_.Verify(*items[j].key, items[j].message, *items[j].signature)) {
          checked[j]->verdict = Status::Unauthenticated("transaction signature does not verify");
        }
      }
    }
  }
  for (Candidate& c : candidates) {
    results[c.index] = AdmitChecked(std::move(c.tx), c.id, std::move(c.verdict));
  }
  return results;
}

Status Mempool::CheckChain(const Transaction& tx) const {
  if (tx.chain_id == options_.chain_id) return Status::Ok();
  return Status::InvalidArgument(
      fmt::format("WRONG_CHAIN: transaction is for chain \"{}\", this is \"{}\"", tx.chain_id,
                  options_.chain_id));
}

bool Mempool::Held(const Hash256& id) {
  std::lock_guard<std::mutex> lock(mu_);
  return held_.count(id) > 0;
}

Status Mempool::Duplicate(const Hash256& id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.duplicates;
  return Status::AlreadyExists("transaction " + id.Hex() + " is already in the mempool");
}

Status Mempool::CheckSignature(const Transaction& tx) {
  if (Status s = CheckChain(tx); !s.ok()) return s;
  if (bench_unsigned_) return Status::Ok();
  // Outside the lock, so several threads check signatures at once.
  if (!verifier_.Verify(tx.sender, tx.SigningHash().view(), tx.signature)) {
    return Status::Unauthenticated("transaction signature does not verify");
  }
  return Status::Ok();
}

Status Mempool::CheckSignatures(std::span<const Transaction> txs) {
  for (const Transaction& tx : txs) {
    if (Status s = CheckChain(tx); !s.ok()) return s;
  }
  if (bench_unsigned_) return Status::Ok();
  std::vector<Hash256> signed_hashes;
  signed_hashes.reserve(txs.size());
  for (const Transaction& tx : txs) signed_hashes.push_back(tx.SigningHash());
  std::vector<ed25519::BatchItem> items;
  items.reserve(txs.size());
  for (size_t i = 0; i < txs.size(); ++i) {
    items.push_back({&txs[i].sender, signed_hashes[i].view(), &txs[i].signature});
  }
  if (auto bad = verifier_.FirstInvalid(items)) {
    return Status::Unauthenticated(
        fmt::format("transaction {} (number {} of {}): signature does not verify",
                    txs[*bad].Hash().Hex(), *bad + 1, txs.size()));
  }
  return Status::Ok();
}

Result<Hash256> Mempool::Admit(Transaction tx) {
  Hash256 id = tx.Hash();
  if (Held(id)) return Duplicate(id);
  Status checked = CheckSignature(tx);
  return AdmitChecked(std::move(tx), id, std::move(checked));
}

Result<Hash256> Mempool::AdmitChecked(Transaction tx, const Hash256& id, Status s) {
  if (s.ok() && precheck_ && !bench_unsigned_) s = precheck_(tx);
  std::lock_guard<std::mutex> lock(mu_);
  if (!s.ok()) {
    ++stats_.rejected;
    return s;
  }
  if (held_.count(id)) {
    ++stats_.duplicates;
    return Status::AlreadyExists("transaction " + id.Hex() + " is already in the mempool");
  }
  if (held_.size() >= options_.max_txs) {
    ++stats_.full;
    return Status::ResourceExhausted(
        fmt::format("mempool full: {} transactions held (max_txs)", held_.size()));
  }
  size_t& mine = per_sender_[tx.sender];
  if (mine >= options_.max_per_sender) {
    ++stats_.full;
    return Status::ResourceExhausted(
        fmt::format("mempool full for this sender: {} transactions held (max_per_sender)", mine));
  }
  ++mine;
  held_.emplace(id, tx.sender);
  queue_.emplace_back(id, std::move(tx));
  ++stats_.admitted;
  return id;
}

std::vector<Transaction> Mempool::TakeForBatch(size_t max, std::vector<Hash256>* ids) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Transaction> out;
  while (!queue_.empty() && out.size() < max) {
    ids->push_back(queue_.front().first);
    out.push_back(std::move(queue_.front().second));
    queue_.pop_front();
  }
  return out;
}

void Mempool::Requeue(std::vector<Transaction> txs) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = txs.rbegin(); it != txs.rend(); ++it) {
    Hash256 id = it->Hash();
    if (held_.count(id)) queue_.emplace_front(id, std::move(*it));
  }
}

size_t Mempool::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

size_t Mempool::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return held_.size();
}

bool Mempool::Contains(const Hash256& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return held_.count(id) != 0;
}

void Mempool::Remove(const Hash256& id, const PublicKey& sender) {
  // Callers may pass references into held_'s own entry: use them before erasing it.
  auto it = per_sender_.find(sender);
  if (it != per_sender_.end() && --it->second == 0) per_sender_.erase(it);
  const Hash256 key = id;
  held_.erase(key);
}

void Mempool::OnCommitted(const std::vector<Hash256>& ids) {
  {
    std::lock_guard<std::mutex> lock(observer_mu_);
    if (observer_) observer_(ids);
  }
  std::deque<std::pair<Hash256, Transaction>> waiting;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const Hash256& id : ids) {
      auto it = held_.find(id);
      if (it == held_.end()) continue;
      Remove(id, it->second);
      ++stats_.evicted;
    }
    waiting.swap(queue_);
  }
  // Re-check outside the lock; drop what can no longer succeed (e.g. its nonce was used).
  std::deque<std::pair<Hash256, Transaction>> keep;
  for (auto& entry : waiting) {
    bool still_held;
    {
      std::lock_guard<std::mutex> lock(mu_);
      still_held = held_.count(entry.first) != 0;
    }
    if (!still_held) continue;
    if (precheck_ && !bench_unsigned_ && !precheck_(entry.second).ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      Remove(entry.first, entry.second.sender);
      ++stats_.rechecked_out;
      continue;
    }
    keep.push_back(std::move(entry));
  }
  std::lock_guard<std::mutex> lock(mu_);
  // Submissions that arrived meanwhile go after the older ones.
  for (auto& e : queue_) keep.push_back(std::move(e));
  queue_.swap(keep);
}

void Mempool::SetCommitObserver(CommitObserver observer) {
  std::lock_guard<std::mutex> lock(observer_mu_);
  observer_ = std::move(observer);
}

MempoolStats Mempool::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace metaledger::node
