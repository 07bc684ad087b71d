#pragma once
// Node: one validator's running ledger. Wires the P2P transport, the mempool and batches, the
// consensus replica (consensus/), contract execution (contracts/) with commit certificates, and
// block sync, over a ChainStore.
//
// Threading: everything but the mempool runs on the io_context's single thread (the consensus
// strand); peers' batches are signature-checked on a small worker pool and handed back to it.
// A committed block's execution, staging and write run on an execution thread of their own,
// one at a time, when the store allows it (ChainStore::WritesOnAnotherThread), so they never
// hold up a vote or a proposal. Snapshot(), mempool() and Submit() may be called from any thread.
//
// Promises:
//  - safety data is written durably (ChainStore::SaveSafety) before any later action of the
//    same consensus step, so before the vote or timeout it protects leaves the node;
//  - a proposal reaches the replica only once every batch it references is held (missing ones
//    are fetched from the proposer and the other peers), and the replica's vote is conditional
//    on the batches matching the header's tx_root and tx_count;
//  - committed blocks are executed in height order; the node signs (chain, height, block hash,
//    tx root, state root), and a block becomes durable only with 2f+1 matching signatures (its
//    CommitCert). If 2f+1 validators certify a different state root, execution halts with a
//    critical log line and the state_root_mismatch metric;
//  - a node behind its peers (after a restart, a wiped disk, or a partition) fetches certified
//    blocks, verifies the certificate, re-executes and checks the state root, then rejoins.

#include <atomic>
#include <utility>  // before Asio: Boost 1.74 awaitable.hpp needs std::exchange

#include <boost/asio.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <unordered_map>

#include "consensus/replica.h"
#include "contracts/executor.h"
#include "contracts/params.h"
#include "core/genesis.h"
#include "node/batch.h"
#include "node/chain_store.h"
#include "node/config.h"
#include "node/mempool.h"
#include "node/p2p/transport.h"
#include "node/remembering_signer.h"
#include "node/verify_cache.h"
#include "node/wire.h"

namespace metaledger::node {

struct NodeSnapshot {
  std::string moniker;
  uint32_t self = 0;
  uint64_t height = 0;  // certified
  Hash256 state_root;
  Hash256 block_hash;
  uint64_t round = 0;
  uint32_t leader = 0;  // the leader of `round`, as this node's replica computes it
  size_t peers = 0;
  size_t mempool_txs = 0;
  bool halted = false;
  bool syncing = false;
  uint64_t blocks_committed = 0, txs_committed = 0, commit_certs = 0, blocks_synced = 0;
  uint64_t state_root_mismatch = 0;
  uint64_t p2p_refused = 0, p2p_bad_frames = 0, p2p_dropped = 0, bad_messages = 0;
  uint64_t p2p_bytes_in = 0, p2p_bytes_out = 0;
  uint64_t consensus_dropped = 0, timeouts_sent = 0;
  uint64_t proposals_sent = 0, votes_sent = 0, qcs_formed = 0, tcs_formed = 0;
  size_t parked_proposals = 0;
};

class Node {
 public:
  Node(boost::asio::io_context& io, NodeConfig config, Genesis genesis, PrivateKey key,
       ChainStore& store);
  ~Node();

  // On the io thread: recovers, listens, dials, starts consensus.
  Status Start();
  // On the io thread: stops intake and the network; the block in hand is finished by the
  // caller draining the io_context afterwards.
  void Stop();

  // Thread-safe.
  Result<Hash256> Submit(ByteView encoded_tx);
  // Submit() of several transactions, their signatures checked as one batch.
  std::vector<Result<Hash256>> SubmitMany(std::span<const ByteView> encoded_txs);
  NodeSnapshot Snapshot() const;
  Mempool& mempool() { return mempool_; }
  // Control build only (CMake METALEDGER_TEST_ACK_BEFORE_WRITE): a transaction this node has
  // reported committed but not yet written. Always nullopt in a normal build, where a commit is
  // reported only once its block is durable (the store is the only source of acknowledgements).
  struct UnwrittenTx {
    uint64_t height = 0;
    uint32_t index = 0;
    uint16_t code = 0;
  };
  std::optional<UnwrittenTx> UnwrittenAck(const Hash256& tx) const;
  const Genesis& genesis() const { return genesis_; }
  // Fault injection for tests: as a leader, this validator proposes again the batches of the
  // block it extends, a replay an honest leader never makes (the other validators must still
  // make progress). Call before Start().
  void ReplayParentBatchesForTest() { replay_parent_batches_ = true; }
  // Fault injection: this node's commit votes carry a signature over other data.
  void ForgeCommitVotesForTest() { forge_commit_votes_ = true; }
  uint16_t p2p_port() const { return transport_ ? transport_->listen_port() : 0; }

 private:
  class Payloads;
  class Validator;
  struct PreparedBlock {
    Block block;
    Hash256 hash;
    std::vector<Hash256> tx_ids;  // the transactions themselves are in storage's prepared block
    Hash256 state_root;
    std::vector<uint16_t> codes;  // execution result per tx
  };
  struct ExecJob;

  uint64_t NowMs() const;
  // Networking.
  void OnMessage(uint32_t peer, Bytes message);
  void OnPeer(uint32_t peer, bool connected);
  void CountBad(uint32_t peer, const std::string& why);
  // Consensus driver.
  void StartReplica();
  void Run(consensus::Actions actions);
  void DeliverToSelf(consensus::Message message);
  // Runs `fire` after the pace for an empty block: block_max_wait_ms, or the idle interval when
  // the chain is idle; new work ends the wait (EndEmptyBlockWaits).
  void PaceEmptyBlock(const Block& block, std::function<void()> fire);
  bool ChainIsIdle(const Block& empty_block) const;
  void EndEmptyBlockWaits();
  void OnConsensus(uint32_t peer, ByteView body);
  void DeliverProposal(uint32_t peer, const consensus::Proposal& p);
  void ArmTimer(uint64_t round, uint64_t delay_ms);
  // Sends a vote now or holds it back (execution lags, or the block pace; node.cpp).
  void HoldOrSendVote(uint32_t to, const Hash256& block_hash, Bytes wire);
  void ArmVoteHoldTimer(uint64_t wait_ms);
  // Sends the held votes once no committed block waits and the block pace allows, or
  // (`force`) when the hold timer fires. True when it sent them.
  bool ReleaseHeldVotes(bool force);
  static uint64_t SteadyMs();
  // Batches (node_batches.cpp).
  void CloseBatch();
  void ScheduleBatchTimer();
  void OnBatch(uint32_t peer, Bytes message);
  void TakeCheckedBatches(uint32_t peer);
  void AcceptBatch(Batch batch, const Hash256& hash);
  void RequestBatches(const std::vector<Hash256>& hashes, std::optional<uint32_t> first);
  Result<std::vector<const Batch*>> ResolvePayload(const Block& block,
                                                   std::vector<Hash256>* missing) const;
  consensus::Payload NextPayload(const Hash256& parent_hash);
  Status ValidatePayload(const Block& block);
  // Batches of the known blocks above `height`, with the highest such block's height.
  std::map<Hash256, uint64_t> BatchesReferencedAbove(uint64_t height) const;
  void ReleaseBatches(const Block& written, uint64_t height);
  // Sends a held batch, or defers the answer while its transactions are lent to execution.
  void ServeBatchRequest(uint32_t peer, const Hash256& hash);
  // Execution pipeline (execution.cpp).
  void OnCommitted(std::vector<Block> blocks);
  void ExecuteNext();
  // Runs `work` on the execution thread and then `done` on the node's thread (both in line when
  // the store does not allow writes on another thread). One job at a time: exec_busy_.
  void RunExecJob(std::function<void()> work, std::function<void()> done);
  void OnExecuted(ExecJob& job);
  // The execution thread is free again: sync blocks that waited for it, then the next block.
  void OnExecIdle();
  void OnCommitVote(uint32_t peer, ByteView body);
  void TryCertify();
  // `in_line`: write on this thread (block sync); otherwise on the execution thread.
  void Finalize(const CommitCert& cert, bool in_line = false);
  void WriteCertified(const CommitCert& cert, bool in_line);
  void AfterWrite(const CommitCert& cert, const Status& written);
  // Block sync (execution.cpp).
  void ScheduleStatus();
  void OnStatus(uint32_t peer, ByteView body);
  void OnSyncRequest(uint32_t peer, ByteView body);
  void OnSyncBlock(uint32_t peer, ByteView body);
  void SyncAdvanced(uint32_t peer);
  void MaybeSync();
  void OnBlockRequest(uint32_t peer, ByteView body);
  void OnBlockResponse(uint32_t peer, ByteView body);
  void PublishSnapshot();

  boost::asio::io_context& io_;
  NodeConfig config_;
  Genesis genesis_;
  std::string chain_id_;
  ValidatorSet validators_;
  uint32_t self_ = 0;
  PrivateKey key_;
  ChainStore& store_;
  contracts::ChainParams params_;
  VerifyCache verifier_;
  Mempool mempool_;
  contracts::Executor executor_;
  std::unique_ptr<p2p::Transport> transport_;
  boost::asio::thread_pool workers_{2};
  boost::asio::thread_pool exec_thread_{1};
  std::unique_ptr<RememberingSigner> signer_;
  std::unique_ptr<Payloads> payloads_;
  std::unique_ptr<Validator> validator_;
  std::unique_ptr<consensus::Replica> replica_;
  boost::asio::steady_timer round_timer_;
  boost::asio::steady_timer batch_timer_;
  boost::asio::steady_timer status_timer_;
  bool stopped_ = false;
  uint64_t last_dropped_ = 0;

  // Batches held, by hash, and the order they arrived (for proposals and pruning).
  std::map<Hash256, Batch> batches_;
  std::deque<Hash256> batch_order_;
  std::set<Hash256> committed_batches_;
  // Committed batches still held because a known block above the written height references
  // them again (a faulty leader replayed them), or because one was asked for after its commit:
  // hash -> the written height at which it may go. Without this, the replaying block, once
  // committed, could never be executed: every node would have dropped the batch.
  std::map<Hash256, uint64_t> retained_batches_;
  std::set<Hash256> wanted_batches_;  // asked of peers, not yet received
  // Peers' batches being decoded and checked on the worker pool, per peer in arrival order (at
  // most kMaxCheckingPerPeer). The worker writes batch and error; the node's thread reads them
  // once `checked`.
  static constexpr size_t kMaxCheckingPerPeer = 256;
  struct VerifyingBatch {
    Hash256 hash;
    Batch batch;
    std::string error;  // empty: well formed and every signature verifies
    bool checked = false;
  };
  std::map<uint32_t, std::deque<std::shared_ptr<VerifyingBatch>>> verifying_;
  bool replay_parent_batches_ = false;
  uint64_t next_batch_seq_ = 0;
  // Proposals waiting for batches: block hash -> (sender, proposal).
  std::map<Hash256, std::pair<uint32_t, consensus::Proposal>> parked_;
  // Blocks seen (proposed or fetched), to serve FetchBlock and to walk uncommitted ancestors;
  // kept until they are kRecentHeights below the written height.
  static constexpr uint64_t kRecentHeights = 256;
  std::map<Hash256, Block> recent_blocks_;
  // Payloads whose tx root this node computed from their batches when it built or validated a
  // proposal, by that root: executing the block then need not compute it again.
  std::unordered_map<Hash256, Bytes, FixedBytesHash> checked_roots_;
  void RememberCheckedRoot(const Hash256& tx_root, ByteView payload);
  // Empty-block actions (a proposal's broadcast, a lone validator's vote) waiting out their
  // pace; new work fires them at once.
  struct EmptyBlockWait {
    std::shared_ptr<boost::asio::steady_timer> timer;
    std::function<void()> fire;
    bool done = false;
  };
  std::vector<std::shared_ptr<EmptyBlockWait>> empty_block_waits_;

  // Execution.
  std::deque<Block> exec_queue_;
  std::optional<PreparedBlock> prepared_;
  bool exec_busy_ = false;  // a block is being executed or written on exec_thread_
  // The store's height as this thread's bookkeeping (committed_batches_, the mempool) has seen
  // it: the store's own height moves on the execution thread, a moment before AfterWrite runs.
  uint64_t written_height_ = 0;
  Hash256 written_state_root_, written_block_hash_;
  // While a block executes, its transactions are lent out of their batches (moved, not copied:
  // copying was ~6 % of a node's CPU); a peer's request for such a batch waits until they are
  // back.
  std::set<Hash256> lent_batches_;
  std::vector<std::pair<uint32_t, Hash256>> deferred_batch_requests_;
  // Votes held back while a committed block waits for execution (see ReleaseHeldVotes); a
  // threshold of 2 gave ~8 % less throughput (smaller blocks) in both benchmark modes.
  static constexpr size_t kExecBacklogToHoldVotes = 1;
  static constexpr uint64_t kMaxVoteHoldMs = 25;
  std::vector<std::pair<uint32_t, Bytes>> held_votes_;
  boost::asio::steady_timer vote_hold_timer_;
  uint64_t vote_paced_until_ms_ = 0;  // SteadyMs(); [consensus] min_block_interval_ms
  // Sync blocks received while the execution thread was busy, in answer to this node's request
  // (at most 2 × a sync response and 32 MiB).
  std::deque<std::pair<uint32_t, Bytes>> deferred_sync_;
  // Commit votes by height and voter. A peer's signature is checked only when the vote would
  // decide something: a certificate takes the first quorum of matching votes, and a vote that
  // arrives after the certificate is never checked.
  struct HeldCommitVote {
    CommitVote vote;
    bool checked = false;
  };
  std::map<uint64_t, std::map<uint32_t, HeldCommitVote>> commit_votes_;
  bool forge_commit_votes_ = false;
  // Checks the held votes of `voters` not checked yet, drops (and counts) the bad ones; returns
  // how many good ones remain.
  size_t CheckCommitVotes(std::map<uint32_t, HeldCommitVote>& votes,
                          const std::vector<uint32_t>& voters);
  bool halted_ = false;
  // Control build (METALEDGER_TEST_ACK_BEFORE_WRITE): acknowledged, write still pending.
  boost::asio::steady_timer ack_timer_;
  bool writing_ = false;
  uint64_t acked_height_ = 0;
  mutable std::mutex acks_mu_;
  std::map<Hash256, UnwrittenTx> unwritten_acks_;
  // Sync.
  std::map<uint32_t, uint64_t> peer_heights_;
  bool sync_inflight_ = false;
  uint64_t sync_sent_ms_ = 0;
  uint64_t sync_until_ = 0;
  uint64_t last_height_seen_ = 0;
  uint64_t last_progress_ms_ = 0;

  // Counters and the published snapshot.
  std::atomic<uint64_t> blocks_committed_{0}, txs_committed_{0}, certs_{0}, blocks_synced_{0},
      mismatch_{0}, bad_messages_{0};
  mutable std::mutex snapshot_mu_;
  NodeSnapshot snapshot_;
};

}  // namespace metaledger::node
