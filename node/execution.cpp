// Node: the execution pipeline (committed block -> execute -> sign -> 2f+1 -> CommitCert ->
// durable) and block sync (fetch certified blocks from peers, verify, re-execute, rejoin).

#include <fmt/format.h>

#include "core/merkle.h"
#include "node/logging.h"
#include "node/node.h"

namespace metaledger::node {

namespace asio = boost::asio;

namespace {
constexpr uint32_t kSyncBatch = 32;         // blocks per sync response
constexpr uint64_t kSyncTimeoutMs = 3000;   // a silent sync peer is given up on
constexpr uint64_t kVoteHorizon = 1000;     // commit votes kept this far above our height
constexpr uint64_t kStuckMs = 1000;         // no certified block this long: ask a peer ahead
constexpr size_t kMaxDeferredSyncBytes = 32 << 20;  // sync blocks waiting for the exec thread

}  // namespace

void Node::OnCommitted(std::vector<Block> blocks) {
  for (Block& b : blocks) {
    recent_blocks_.emplace(b.Hash(chain_id_), b);
    exec_queue_.push_back(std::move(b));
  }
  if (!prepared_) ExecuteNext();
}

// One committed block on its way through the execution thread. Its transactions are moved out
// of their batches into `txs` (what the executor and storage take, as one vector) and moved
// back by OnExecuted: copying them was ~6 % of a node's CPU under load (an allocation per
// transaction, and a free after the write).
struct Node::ExecJob {
  PreparedBlock p;
  contracts::BlockContext ctx;
  std::vector<Batch*> lent_from;
  std::vector<Transaction> txs;
  Status status;
};

void Node::ExecuteNext() {
  if (halted_ || stopped_ || prepared_ || exec_busy_) return;
  while (!exec_queue_.empty() && exec_queue_.front().header.height <= store_.Height()) {
    exec_queue_.pop_front();  // already certified through sync
  }
  if (exec_queue_.empty()) return;
  const Block& block = exec_queue_.front();
  if (block.header.height != store_.Height() + 1) {
    MaybeSync();  // a gap: certified blocks are missing below this one
    return;
  }
  std::vector<Hash256> missing;
  auto batches = ResolvePayload(block, &missing);
  if (!batches.ok()) {
    if (!missing.empty()) {
      RequestBatches(missing, block.header.proposer);
    } else {
      Log("exec")->critical("committed block {} has an invalid payload: {}", block.header.height,
                            batches.status().ToString());
      halted_ = true;
    }
    return;
  }
  auto job = std::make_shared<ExecJob>();
  job->p.block = std::move(exec_queue_.front());
  exec_queue_.pop_front();
  ReleaseHeldVotes(/*force=*/false);  // no committed block may be waiting any more
  job->p.hash = job->p.block.Hash(chain_id_);
  job->p.tx_ids = TxIds(*batches);  // before the loan: the ids are cached per batch
  // The store takes the ids as matching the header's tx root. They do if this node built or
  // validated the proposal; a block it only learned as committed is checked on the job.
  bool root_checked = false;
  if (auto known = checked_roots_.find(job->p.block.header.tx_root);
      known != checked_roots_.end()) {
    root_checked = known->second == job->p.block.payload;
    checked_roots_.erase(known);
  }
  job->ctx = {chain_id_, job->p.block.header.height, job->p.block.header.time_ms};
  // ResolvePayload succeeded, so the payload decodes and every batch is held.
  auto payload = PayloadOf(job->p.block);
  if (payload.ok()) {
    for (const Hash256& h : payload->batches) {
      job->lent_from.push_back(&batches_.find(h)->second);
      lent_batches_.insert(h);
    }
  }
  job->txs.reserve(job->p.tx_ids.size());
  for (Batch* b : job->lent_from) {
    for (Transaction& tx : b->txs) job->txs.push_back(std::move(tx));
  }
  RunExecJob(
      [this, job, root_checked] {
        if (!root_checked && MerkleRoot(job->p.tx_ids) != job->p.block.header.tx_root) {
          job->status = Status::Corruption("the tx root does not match the batches");
          return;
        }
        auto executed = executor_.ExecuteBlock(store_.State(), job->ctx, job->txs);
        if (!executed.ok()) {
          job->status = executed.status().Annotate("executing");
          return;
        }
        auto root = store_.Prepare(job->p.block, job->txs, job->p.tx_ids, *executed);
        if (!root.ok()) {
          job->status = root.status().Annotate("preparing");
          return;
        }
        job->p.state_root = *root;
        job->p.codes = std::move(executed->tx_codes);
      },
      [this, job] { OnExecuted(*job); });
}

void Node::RunExecJob(std::function<void()> work, std::function<void()> done) {
  exec_busy_ = true;
  if (!store_.WritesOnAnotherThread()) {
    work();
    exec_busy_ = false;
    return done();
  }
  // The work guard keeps io_ running until `done` is queued on it.
  asio::post(exec_thread_, [this, work = std::move(work), done = std::move(done),
                            guard = asio::make_work_guard(io_)]() mutable {
    work();
    asio::post(io_, [this, done = std::move(done)] {
      exec_busy_ = false;
      if (!stopped_) done();
    });
  });
}

void Node::OnExecuted(ExecJob& job) {
  // The batches are whole again (nothing else touched them meanwhile; they are dropped only
  // after a write, which waits for this); peers that asked for them are answered now.
  size_t i = 0;
  for (Batch* b : job.lent_from) {
    for (Transaction& tx : b->txs) tx = std::move(job.txs[i++]);
  }
  lent_batches_.clear();
  for (const auto& [peer, hash] : std::exchange(deferred_batch_requests_, {})) {
    ServeBatchRequest(peer, hash);
  }
  if (!job.status.ok()) {
    Log("exec")->critical("block {}: {}", job.ctx.height, job.status.ToString());
    halted_ = true;
    return;
  }
  CommitVote vote;
  vote.height = job.ctx.height;
  vote.block_hash = job.p.hash;
  vote.tx_root = job.p.block.header.tx_root;
  vote.state_root = job.p.state_root;
  vote.voter = self_;
  // Through the node's signer, so the vote is in the verify cache when certificates carry it.
  vote.sig = signer_->Sign(
      CommitMessage(chain_id_, vote.height, vote.block_hash, vote.tx_root, vote.state_root));
  if (forge_commit_votes_) {  // fault injection (tests only)
    CommitVote other = vote;
    other.state_root = Sha256(vote.state_root.view());
    other.Sign(chain_id_, key_);
    vote.sig = other.sig;
  }
  commit_votes_[vote.height][self_] = {vote, /*checked=*/!forge_commit_votes_};
  prepared_ = std::move(job.p);
  transport_->Broadcast(WireMessageOf(WireKind::kCommitVote, vote));
  TryCertify();
  OnExecIdle();
}

void Node::OnExecIdle() {
  while (!exec_busy_ && !deferred_sync_.empty() && !stopped_) {
    auto [peer, body] = std::move(deferred_sync_.front());
    deferred_sync_.pop_front();
    OnSyncBlock(peer, body);
  }
  ExecuteNext();
  ReleaseHeldVotes(/*force=*/false);
}

void Node::OnCommitVote(uint32_t peer, ByteView body) {
  auto vote = Decode<CommitVote>(body);
  if (!vote.ok()) return CountBad(peer, "commit vote: " + vote.status().message());
  if (vote->voter != peer) return CountBad(peer, "commit vote signed for another validator");
  if (vote->height <= written_height_ || vote->height > written_height_ + kVoteHorizon) return;
  // A vote announced again (ScheduleStatus does so) stays checked if it was.
  HeldCommitVote& held = commit_votes_[vote->height][vote->voter];
  if (!(held.checked && held.vote == *vote)) held = {*vote, /*checked=*/false};
  if (prepared_ && prepared_->block.header.height == vote->height) TryCertify();
}

size_t Node::CheckCommitVotes(std::map<uint32_t, HeldCommitVote>& votes,
                              const std::vector<uint32_t>& voters) {
  size_t good = 0;
  for (uint32_t voter : voters) {
    auto it = votes.find(voter);
    if (it == votes.end()) continue;
    if (!it->second.checked) {
      Status s = it->second.vote.Verify(chain_id_, validators_, verifier_);
      if (!s.ok()) {
        votes.erase(it);
        if (voter != self_) CountBad(voter, "commit vote: " + s.message());
        continue;
      }
      it->second.checked = true;
    }
    ++good;
  }
  return good;
}

void Node::TryCertify() {
  if (!prepared_) return;
  uint64_t h = prepared_->block.header.height;
  auto& votes = commit_votes_[h];
  CommitCert cert;
  cert.height = h;
  cert.block_hash = prepared_->hash;
  cert.tx_root = prepared_->block.header.tx_root;
  cert.state_root = prepared_->state_root;
  const size_t quorum = validators_.quorum();
  std::vector<uint32_t> matching;
  std::map<Hash256, std::vector<uint32_t>> other_roots;
  for (const auto& [voter, held] : votes) {  // ordered by voter: the cert's sorted order
    const CommitVote& v = held.vote;
    if (v.block_hash == cert.block_hash && v.tx_root == cert.tx_root &&
        v.state_root == cert.state_root) {
      matching.push_back(voter);
    } else if (v.block_hash == cert.block_hash) {
      other_roots[v.state_root].push_back(voter);
    }
  }
  for (auto& [root, voters] : other_roots) {
    // Only checked votes may halt this node.
    if (voters.size() >= quorum && CheckCommitVotes(votes, voters) >= quorum) {
      ++mismatch_;
      halted_ = true;
      Log("exec")->critical(
          "STATE ROOT MISMATCH at height {}: this node computed {}, a quorum certified {}; "
          "execution halted (nondeterminism alarm)",
          h, cert.state_root.Hex(), root.Hex());
      return;
    }
  }
  if (matching.size() < quorum) return;
  // The first quorum of matching votes, checked as the certificate they make: one batch, about
  // half the cost of checking them one by one, and every node does this for every block.
  CommitCert first_quorum = cert;
  for (size_t i = 0; i < quorum; ++i) {
    first_quorum.sigs.push_back({matching[i], votes.at(matching[i]).vote.sig});
  }
  if (first_quorum.Verify(chain_id_, validators_, verifier_).ok()) {
    for (size_t i = 0; i < quorum; ++i) votes.at(matching[i]).checked = true;
    return Finalize(first_quorum);
  }
  // A bad one among them: one by one, a bad one giving its place to the next.
  std::vector<uint32_t> signers;
  for (uint32_t voter : matching) {
    if (signers.size() == quorum) break;
    if (CheckCommitVotes(votes, {voter}) == 1) signers.push_back(voter);
  }
  if (signers.size() < quorum) return;
  for (uint32_t voter : signers) cert.sigs.push_back({voter, votes.at(voter).vote.sig});
  Finalize(cert);
}

#ifdef METALEDGER_TEST_ACK_BEFORE_WRITE
// CONTROL BUILD ONLY — a deliberately broken commit path that reports the block committed (to
// the API and /status) and only writes it kAckBeforeWriteWindow later, the bug class the
// "no acknowledged commit lost" process test must catch. A kill -9 inside the window loses
// commits this node already acknowledged. Never ship a binary built with this flag.
namespace {
constexpr auto kAckBeforeWriteWindow = std::chrono::milliseconds(100);
}

void Node::Finalize(const CommitCert& cert, bool /*in_line*/) {
  if (writing_) return;  // the write of this block is already scheduled
  writing_ = true;
  {
    std::lock_guard<std::mutex> lock(acks_mu_);
    for (size_t i = 0; i < prepared_->tx_ids.size(); ++i) {
      uint16_t code = i < prepared_->codes.size() ? prepared_->codes[i] : 0;
      unwritten_acks_[prepared_->tx_ids[i]] = {cert.height, static_cast<uint32_t>(i), code};
    }
  }
  acked_height_ = cert.height;
  PublishSnapshot();
  ack_timer_.expires_after(kAckBeforeWriteWindow);
  ack_timer_.async_wait([this, cert](boost::system::error_code ec) {
    if (ec) return;
    writing_ = false;
    WriteCertified(cert, /*in_line=*/true);
    std::lock_guard<std::mutex> lock(acks_mu_);
    for (auto it = unwritten_acks_.begin(); it != unwritten_acks_.end();) {
      it = it->second.height <= store_.Height() ? unwritten_acks_.erase(it) : std::next(it);
    }
  });
}
#else
// A block is reported committed (snapshot height, API lookups through the store) only after
// store_.Commit returned: one synced RocksDB write.
void Node::Finalize(const CommitCert& cert, bool in_line) { WriteCertified(cert, in_line); }
#endif

void Node::WriteCertified(const CommitCert& cert, bool in_line) {
  if (in_line) {
    Status s = store_.Commit(cert);
    if (s.ok() && cert.height % 64 == 0) (void)store_.PrunePending(cert.height);
    AfterWrite(cert, s);
    return OnExecIdle();
  }
  if (exec_busy_) return;  // more commit votes for the block being written
  auto written = std::make_shared<Status>();
  RunExecJob(
      [this, cert, written] {
        *written = store_.Commit(cert);
        if (written->ok() && cert.height % 64 == 0) (void)store_.PrunePending(cert.height);
      },
      [this, cert, written] {
        AfterWrite(cert, *written);
        OnExecIdle();
      });
}

void Node::AfterWrite(const CommitCert& cert, const Status& s) {
  if (!s.ok()) {
    Log("exec")->critical("committing block {} failed: {}", cert.height, s.ToString());
    halted_ = true;
    return;
  }
  PreparedBlock p = std::move(*prepared_);
  prepared_.reset();
  written_height_ = cert.height;
  written_state_root_ = cert.state_root;
  written_block_hash_ = cert.block_hash;
  ++certs_;
  ++blocks_committed_;
  txs_committed_ += p.tx_ids.size();
  commit_votes_.erase(commit_votes_.begin(), commit_votes_.upper_bound(cert.height));
  ReleaseBatches(p.block, cert.height);
  mempool_.OnCommitted(p.tx_ids);
  // Forget what is far below the certified height.
  while (!batch_order_.empty() && !batches_.count(batch_order_.front())) batch_order_.pop_front();
  if (committed_batches_.size() > 100000) committed_batches_.clear();
  for (auto it = recent_blocks_.begin(); it != recent_blocks_.end();) {
    it = it->second.header.height + kRecentHeights < cert.height ? recent_blocks_.erase(it)
                                                                  : std::next(it);
  }
  Log("exec")->debug("certified block {} ({} txs), state root {}", cert.height, p.tx_ids.size(),
                     cert.state_root.Hex());
  PublishSnapshot();
}

// ---- block sync ----------------------------------------------------------------------------

void Node::ScheduleStatus() {
  status_timer_.expires_after(std::chrono::milliseconds(500));
  status_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    Writer w;
    w.U64(store_.Height());
    transport_->Broadcast(WireMessage(WireKind::kStatus, w.bytes()));
    if (sync_inflight_ && NowMs() > sync_sent_ms_ + kSyncTimeoutMs) sync_inflight_ = false;
    MaybeSync();
    // A prepared block whose votes went missing is completed through sync, so re-announce ours.
    if (prepared_) {
      auto it = commit_votes_.find(prepared_->block.header.height);
      if (it != commit_votes_.end() && it->second.count(self_)) {
        transport_->Broadcast(WireMessageOf(WireKind::kCommitVote, it->second.at(self_).vote));
      }
    }
    PublishSnapshot();
    ScheduleStatus();
  });
}

void Node::OnStatus(uint32_t peer, ByteView body) {
  Reader r(body);
  uint64_t height = r.U64();
  if (!r.Finish().ok()) return CountBad(peer, "status: " + r.status().message());
  peer_heights_[peer] = height;
  MaybeSync();
}

void Node::MaybeSync() {
  if (sync_inflight_ || halted_ || stopped_) return;
  uint64_t mine = written_height_;
  std::optional<uint32_t> best;
  uint64_t best_height = mine;
  for (const auto& [peer, h] : peer_heights_) {
    if (h > best_height && transport_->IsConnected(peer)) {
      best = peer;
      best_height = h;
    }
  }
  if (!best) return;
  // A peer one block ahead is normal pipelining: its commit votes reach us a moment later.
  // Sync when the gap is real, when the next committed block cannot be executed here (its
  // batches are missing: peers drop a batch once its block is written, so a late node may never
  // get it), or when no block was certified here for kStuckMs (votes that never came). A block
  // in hand waiting for its commit votes is not stuck: counting it, as before, made a node
  // under load fetch (and its peer read from disk and send) the block it was about to certify
  // itself, a few times a second.
  if (mine != last_height_seen_) {
    last_height_seen_ = mine;
    last_progress_ms_ = NowMs();
  }
  bool cannot_execute = !exec_queue_.empty() && !prepared_ && !exec_busy_;
  bool stuck = cannot_execute || NowMs() > last_progress_ms_ + kStuckMs;
  // Nor is a node whose next block is already in hand (executing, waiting for its commit
  // votes, or queued with its batches): with execution on its own thread and votes held while
  // it lags, a peer two blocks ahead is common under load, and fetching those blocks only
  // made the peer read them back from disk for blocks this node executes anyway.
  bool next_in_hand = prepared_ || exec_busy_ ||
                      (!exec_queue_.empty() && exec_queue_.front().header.height == mine + 1);
  if (!stuck && (best_height < mine + 2 || next_in_hand)) return;
  Writer w;
  w.U64(mine + 1).U32(kSyncBatch);
  transport_->Send(*best, WireMessage(WireKind::kSyncRequest, w.bytes()));
  sync_inflight_ = true;
  sync_sent_ms_ = NowMs();
  sync_until_ = mine + kSyncBatch;
}

void Node::OnSyncRequest(uint32_t peer, ByteView body) {
  Reader r(body);
  uint64_t first = r.U64();
  uint32_t max = std::min(r.U32(), kSyncBatch);
  if (!r.Finish().ok()) return CountBad(peer, "sync request: " + r.status().message());
  for (uint64_t h = first; h < first + max && h <= store_.Height() && h > 0; ++h) {
    SyncBlock sb;
    auto block = store_.BlockAt(h);
    auto txs = store_.TxsAt(h);
    auto cert = store_.CertAt(h);
    if (!block.ok() || !txs.ok() || !cert.ok()) {
      Log("sync")->error("cannot serve block {}: {}", h,
                         (!block.ok() ? block.status() : !txs.ok() ? txs.status() : cert.status())
                             .ToString());
      return;
    }
    sb.block = std::move(block).value();
    sb.txs = std::move(txs).value();
    sb.cert = std::move(cert).value();
    transport_->Send(peer, WireMessageOf(WireKind::kSyncBlock, sb));
  }
}

void Node::OnSyncBlock(uint32_t peer, ByteView body) {
  if (exec_busy_) {  // a synced block is executed and written in line, never beside a job
    // Kept only as the answer to this node's own request, and bounded in count and bytes:
    // a faulty peer's unasked or oversized flood is dropped (a dropped block is asked again).
    if (!sync_inflight_ || deferred_sync_.size() >= 2 * kSyncBatch) return;
    size_t held = body.size();
    for (const auto& waiting : deferred_sync_) held += waiting.second.size();
    if (held > kMaxDeferredSyncBytes) return;
    sync_sent_ms_ = NowMs();
    deferred_sync_.emplace_back(peer, Bytes(body.begin(), body.end()));
    return;
  }
  auto sb = Decode<SyncBlock>(body);
  if (!sb.ok()) return CountBad(peer, "sync block: " + sb.status().message());
  sync_sent_ms_ = NowMs();
  uint64_t h = sb->block.header.height;
  if (h <= store_.Height()) return SyncAdvanced(peer);  // certified here meanwhile
  if (h != store_.Height() + 1) return;  // out of order; a later request covers it
  Hash256 hash = sb->block.Hash(chain_id_);
  std::vector<Hash256> ids;
  for (const Transaction& tx : sb->txs) ids.push_back(tx.Hash());
  Status s = sb->cert.Verify(chain_id_, validators_, verifier_);
  if (s.ok() && (sb->cert.height != h || sb->cert.block_hash != hash ||
                 sb->cert.tx_root != sb->block.header.tx_root ||
                 MerkleRoot(ids) != sb->block.header.tx_root ||
                 ids.size() != sb->block.header.tx_count)) {
    s = Status::Corruption("certificate, header and transactions disagree");
  }
  if (!s.ok()) return CountBad(peer, "sync block " + std::to_string(h) + ": " + s.message());

  if (prepared_ && prepared_->block.header.height == h) {
    // We executed this block ourselves and only lacked the votes.
    if (prepared_->hash == hash && prepared_->state_root == sb->cert.state_root) {
      Finalize(sb->cert, /*in_line=*/true);
      ++blocks_synced_;
      SyncAdvanced(peer);
    } else if (prepared_->hash == hash) {
      ++mismatch_;
      halted_ = true;
      Log("exec")->critical("STATE ROOT MISMATCH at height {}: computed {}, certified {}", h,
                            prepared_->state_root.Hex(), sb->cert.state_root.Hex());
    }
    return;
  }
  if (prepared_) return;
  contracts::BlockContext ctx{chain_id_, h, sb->block.header.time_ms};
  auto result = executor_.ExecuteBlock(store_.State(), ctx, sb->txs);
  if (!result.ok()) {
    Log("sync")->critical("executing synced block {} failed: {}", h, result.status().ToString());
    halted_ = true;
    return;
  }
  auto root = store_.Prepare(sb->block, sb->txs, ids, *result);
  if (!root.ok()) {
    Log("sync")->critical("preparing synced block {} failed: {}", h, root.status().ToString());
    halted_ = true;
    return;
  }
  if (*root != sb->cert.state_root) {
    ++mismatch_;
    halted_ = true;
    Log("sync")->critical("STATE ROOT MISMATCH at synced height {}: computed {}, certified {}", h,
                          root->Hex(), sb->cert.state_root.Hex());
    return;
  }
  prepared_ = PreparedBlock{sb->block, hash, ids, *root, result->tx_codes};
  Finalize(sb->cert, /*in_line=*/true);
  ++blocks_synced_;
  SyncAdvanced(peer);
}

void Node::SyncAdvanced(uint32_t peer) {
  // The request is done once this node reached what it asked for or what the peer has. Every
  // path that certifies a synced block ends here; one that did not (a synced block that matched
  // the block in hand) left the node "syncing", unable to ask again, until the 3 s timeout.
  if (!sync_inflight_) return;
  if (peer_heights_[peer] <= store_.Height() || store_.Height() >= sync_until_) {
    sync_inflight_ = false;
    MaybeSync();
  }
}

void Node::OnBlockRequest(uint32_t peer, ByteView body) {
  Reader r(body);
  Hash256 hash = r.Fixed<32>();
  if (!r.Finish().ok()) return CountBad(peer, "block request: " + r.status().message());
  auto it = recent_blocks_.find(hash);
  if (it != recent_blocks_.end()) {
    transport_->Send(peer, WireMessageOf(WireKind::kBlockResponse, it->second));
    return;
  }
  auto height = store_.HeightOf(hash);
  if (!height.ok()) return;
  auto block = store_.BlockAt(*height);
  if (block.ok()) transport_->Send(peer, WireMessageOf(WireKind::kBlockResponse, *block));
}

void Node::OnBlockResponse(uint32_t peer, ByteView body) {
  auto block = Decode<Block>(body);
  if (!block.ok()) return CountBad(peer, "block response: " + block.status().message());
  if (recent_blocks_.emplace(block->Hash(chain_id_), *block).second) {
    (void)store_.SavePendingBlock(*block);
  }
  Run(replica_->OnBlockFetched(*block, NowMs()));
}

}  // namespace metaledger::node
