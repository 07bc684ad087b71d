#include "storage/recent_tx_index.h"

#include <random>

#include "storage/tx_location_merge.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace metaledger::storage {

namespace {
[[maybe_unused]] constexpr int kSealerNice = 10;
}  // namespace

RecentTxIndex::RecentTxIndex(size_t seal_entries, SealFn seal)
    : seal_entries_(std::max<size_t>(1, seal_entries)),
      seal_(std::move(seal)),
      filling_(std::make_unique<TxLocationTable>(seal_ ? seal_entries_ : 0)) {
  // Validators commit the same blocks at about the same moment, so with equal thresholds all
  // of them sealed (sorted and wrote ~130 000 entries) at once: every node of a quorum slowed
  // down together, and on a shared machine they also took the cores from each other. The
  // first seal of each store comes after a random part of a batch and every later one after a
  // whole batch, so the offsets stay.
  if (seal_entries_ > 1) {
    first_seal_at_ = seal_entries_ / 2 + std::random_device{}() % (seal_entries_ / 2 + 1);
  }
}

RecentTxIndex::~RecentTxIndex() {
  WaitIdle();
  if (sealer_.joinable()) sealer_.join();
}

std::optional<TxLocation> RecentTxIndex::Find(const Hash256& id) const {
  std::lock_guard lock(mu_);
  const TxLocation* newer = filling_->Find(id);
  const TxLocation* older = sealing_ ? sealing_->Find(id) : nullptr;
  if (newer && older) return TakesPrecedence(*newer, *older) ? *newer : *older;
  if (newer) return *newer;
  if (older) return *older;
  return std::nullopt;
}

void RecentTxIndex::Add(uint64_t height, std::span<const TxIndexEntry> entries) {
  std::unique_lock lock(mu_);
  for (const auto& [id, location] : entries) filling_->Add(id, location);
  const size_t threshold = first_seal_at_ ? first_seal_at_ : seal_entries_;
  if (!seal_ || seal_running_ || !failed_.ok() || filling_->size() < threshold) return;
  first_seal_at_ = 0;
  // The previous sealer has cleared seal_running_ as its last step; joining it is immediate.
  if (sealer_.joinable()) sealer_.join();
  sealing_ = std::move(filling_);
  filling_ = std::make_unique<TxLocationTable>(seal_entries_);
  seal_running_ = true;
  sealer_ = std::thread([this, through = height] { Seal(through); });
}

void RecentTxIndex::Seal(uint64_t through) {
#ifdef __linux__
  // A seal sorts and writes a whole table file (~150 ms of CPU per 131 072 entries): background
  // work that must not take the cores from consensus and execution. On Linux nice applies per
  // thread.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kSealerNice);
#endif
  // sealing_ is immutable and is only reset by this thread, so it is read without the lock.
  Status s = seal_(sealing_->Sorted(), through);
  std::lock_guard lock(mu_);
  if (s.ok()) {
    sealing_.reset();
  } else {
    failed_ = s.Annotate("writing the transaction index");
  }
  seal_running_ = false;
  idle_.notify_all();
}

Status RecentTxIndex::status() const {
  std::lock_guard lock(mu_);
  return failed_;
}

void RecentTxIndex::WaitIdle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return !seal_running_; });
}

}  // namespace metaledger::storage
