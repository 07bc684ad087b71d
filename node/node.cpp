#include "node/node.h"

#include <fmt/format.h>

#include <chrono>

#include "node/logging.h"

namespace metaledger::node {

namespace asio = boost::asio;

// The replica asks the node for a payload when it leads a round.
class Node::Payloads final : public consensus::PayloadSource {
 public:
  explicit Payloads(Node& node) : node_(node) {}
  consensus::Payload Next(uint64_t, const Hash256& parent_hash) override {
    return node_.NextPayload(parent_hash);
  }

 private:
  Node& node_;
};

class Node::Validator final : public consensus::ProposalValidator {
 public:
  explicit Validator(Node& node) : node_(node) {}
  Status Validate(const Block& block) override { return node_.ValidatePayload(block); }

 private:
  Node& node_;
};

Node::Node(asio::io_context& io, NodeConfig config, Genesis genesis, PrivateKey key,
           ChainStore& store)
    : io_(io),
      config_(std::move(config)),
      genesis_(std::move(genesis)),
      chain_id_(genesis_.chain_id),
      validators_(genesis_.validators),
      key_(std::move(key)),
      store_(store),
      mempool_(MempoolOptions{genesis_.chain_id, config_.mempool_max_txs,
                              config_.mempool_max_per_sender},
               verifier_,
               [this](const Transaction& tx) -> Status {
                 ErrorCode code = contracts::Precheck(store_.State(), params_, tx, chain_id_,
                                                      store_.Height() + 1, 1000);
                 if (code == ErrorCode::OK) return Status::Ok();
                 return Status::FailedPrecondition(std::string(ToString(code)) + ": " +
                                                  std::string(ErrorMessage(code)));
               }),
      executor_(verifier_),
      round_timer_(io),
      batch_timer_(io),
      status_timer_(io),
      vote_hold_timer_(io),
      ack_timer_(io) {
  self_ = *validators_.IndexOf(key_.public_key());
  next_batch_seq_ = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
  written_height_ = store_.Height();
  written_state_root_ = store_.StateRoot();
  if (written_height_ > 0) {
    auto b = store_.BlockAt(written_height_);
    if (b.ok()) written_block_hash_ = b->Hash(chain_id_);
  }
  // The API may answer before Start() runs: report the stored height from the first moment, so
  // a restarted node never shows a height below what it reported before.
  PublishSnapshot();
}

Node::~Node() {
  workers_.join();
  exec_thread_.join();  // a block being written finishes before the store can close
}

uint64_t Node::NowMs() const {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

Status Node::Start() {
  auto params = contracts::ChainParams::Load(store_.State());
  if (!params.ok()) return params.status().Annotate("loading chain parameters");
  params_ = *params;

  p2p::TransportOptions o;
  o.chain_id = chain_id_;
  o.validators = validators_;
  o.self = self_;
  o.key = key_;
  o.listen_host = config_.p2p_listen.host;
  o.listen_port = config_.p2p_listen.port;
  o.max_frame_bytes = config_.p2p_max_frame_bytes;
  o.send_queue_frames = config_.p2p_send_queue_frames;
  o.handshake_timeout_ms = config_.p2p_handshake_timeout_ms;
  o.reconnect_min_ms = config_.p2p_reconnect_min_ms;
  o.reconnect_max_ms = config_.p2p_reconnect_max_ms;
  o.encrypt = config_.p2p_encryption != 0;  // 0 only with [bench] unsigned_commands (config.cpp)
  transport_ = std::make_unique<p2p::Transport>(
      io_, o, [this](uint32_t peer, Bytes m) { OnMessage(peer, std::move(m)); },
      [this](uint32_t peer, bool up) { OnPeer(peer, up); });
  ML_RETURN_IF_ERROR(transport_->Listen());
  transport_->StartDialing();
  // A node is not "stuck" (node/execution.cpp, MaybeSync) in its first second: a peer one block
  // ahead at start is normal, and its commit votes will come.
  last_height_seen_ = store_.Height();
  last_progress_ms_ = NowMs();
  StartReplica();
  ScheduleBatchTimer();
  ScheduleStatus();
  PublishSnapshot();
#ifdef METALEDGER_TEST_ACK_BEFORE_WRITE
  Log("node")->critical(
      "TEST CONTROL BUILD (METALEDGER_TEST_ACK_BEFORE_WRITE): commits are acknowledged before "
      "they are written; a crash loses acknowledged commits. Not for use.");
#endif
  Log("node")->info("validator {} ({}) started at height {}, state root {}", self_,
                    config_.moniker, store_.Height(), store_.StateRoot().Hex());
  return Status::Ok();
}

void Node::Stop() {
  if (stopped_) return;
  stopped_ = true;
  round_timer_.cancel();
  batch_timer_.cancel();
  status_timer_.cancel();
  vote_hold_timer_.cancel();
  if (transport_) transport_->Stop();
  // A block being executed or written finishes here; its result is not used. No job starts
  // after stopped_, and a job never waits for this thread.
  exec_thread_.join();
  PublishSnapshot();
}

void Node::StartReplica() {
  consensus::ReplicaConfig rc;
  rc.chain_id = chain_id_;
  rc.validators = validators_;
  rc.self = self_;
  rc.genesis = genesis_.GenesisBlock();
  rc.base_timeout_ms = config_.consensus_base_timeout_ms;
  rc.max_timeout_ms = config_.consensus_max_timeout_ms;
  // A fresh node starts from genesis; otherwise from its safety data and last certified block.
  std::optional<consensus::Recovery> recovery;
  auto saved = store_.LoadSafety();
  if (saved.ok() && saved->has_value()) {
    auto safety = Decode<consensus::SafetyData>(**saved);
    if (safety.ok()) {
      recovery.emplace();
      recovery->safety = *safety;
    } else {
      Log("consensus")->critical("stored safety data does not decode: {}",
                                 safety.status().ToString());
    }
  }
  if (recovery && store_.Height() > 0) {
    auto root = store_.BlockAt(store_.Height());
    if (root.ok()) recovery->committed_root = *root;
  }
  if (recovery) {
    auto pending = store_.LoadPendingBlocks();
    if (pending.ok()) {
      for (Block& b : *pending) {
        if (b.header.height > store_.Height()) {
          recent_blocks_.emplace(b.Hash(chain_id_), b);
          recovery->blocks.push_back(std::move(b));
        }
      }
    }
  }
  signer_ = std::make_unique<RememberingSigner>(key_, verifier_);
  payloads_ = std::make_unique<Payloads>(*this);
  validator_ = std::make_unique<Validator>(*this);
  replica_ = std::make_unique<consensus::Replica>(rc, *signer_, verifier_, *payloads_, *validator_,
                                                  recovery);
  Run(replica_->Start(NowMs()));
}

// ---- networking ----------------------------------------------------------------------------

void Node::CountBad(uint32_t peer, const std::string& why) {
  ++bad_messages_;
  Log("p2p")->warn("bad message from validator {}: {}", peer, why);
}

void Node::OnPeer(uint32_t peer, bool connected) {
  if (!connected || stopped_) return;
  Writer w;
  w.U64(store_.Height());
  transport_->Send(peer, WireMessage(WireKind::kStatus, w.bytes()));
}

void Node::OnMessage(uint32_t peer, Bytes message) {
  if (stopped_ || message.empty()) return;
  ByteView body(message.data() + 1, message.size() - 1);
  switch (static_cast<WireKind>(message[0])) {
    case WireKind::kConsensus: return OnConsensus(peer, body);
    case WireKind::kBatch: return OnBatch(peer, std::move(message));
    case WireKind::kBatchRequest: {
      Reader r(body);
      uint64_t n = r.VarintMax(BlockPayload::kMaxBatches, "batch request");
      for (uint64_t i = 0; i < n && r.ok(); ++i) {
        Hash256 h = r.Fixed<32>();
        if (r.ok()) ServeBatchRequest(peer, h);
      }
      if (!r.Finish().ok()) CountBad(peer, "batch request: " + r.status().message());
      return;
    }
    case WireKind::kCommitVote: return OnCommitVote(peer, body);
    case WireKind::kSyncRequest: return OnSyncRequest(peer, body);
    case WireKind::kSyncBlock: return OnSyncBlock(peer, body);
    case WireKind::kBlockRequest: return OnBlockRequest(peer, body);
    case WireKind::kBlockResponse: return OnBlockResponse(peer, body);
    case WireKind::kStatus: return OnStatus(peer, body);
  }
  CountBad(peer, fmt::format("unknown message kind {}", message[0]));
}

// ---- consensus driver ----------------------------------------------------------------------

void Node::Run(consensus::Actions actions) {
  if (replica_ && replica_->stats().TotalDropped() != last_dropped_) {
    last_dropped_ = replica_->stats().TotalDropped();
    std::string reasons;
    for (size_t i = 0; i < static_cast<size_t>(consensus::DropReason::kCount); ++i) {
      auto r = static_cast<consensus::DropReason>(i);
      if (replica_->stats().Dropped(r)) {
        reasons += fmt::format(" {}={}", consensus::DropReasonName(r), replica_->stats().Dropped(r));
      }
    }
    Log("consensus")->debug("inputs dropped so far:{}", reasons);
  }
  for (consensus::Action& action : actions) {
    if (stopped_) return;
    if (auto* send = std::get_if<consensus::SendTo>(&action)) {
      if (send->to == self_) {
        DeliverToSelf(std::move(send->message));
        continue;
      }
      Bytes wire = WireMessage(WireKind::kConsensus, consensus::EncodeMessage(send->message));
      if (auto* vote = std::get_if<Vote>(&send->message)) {
        HoldOrSendVote(send->to, vote->block_hash, std::move(wire));
        continue;
      }
      transport_->Send(send->to, wire);
    } else if (auto* bc = std::get_if<consensus::Broadcast>(&action)) {
      Bytes wire = WireMessage(WireKind::kConsensus, consensus::EncodeMessage(bc->message));
      auto* proposal = std::get_if<consensus::Proposal>(&bc->message);
      if (proposal) {
        Hash256 hash = proposal->block.Hash(chain_id_);
        if (recent_blocks_.emplace(hash, proposal->block).second) {
          (void)store_.SavePendingBlock(proposal->block);
        }
      }
      // An empty block waits for the time limit so an idle chain does not spin.
      if (proposal && proposal->block.header.tx_count == 0) {
        PaceEmptyBlock(proposal->block, [this, wire = std::move(wire)] {
          transport_->Broadcast(wire);
        });
      } else {
        transport_->Broadcast(wire);
      }
    } else if (auto* persist = std::get_if<consensus::PersistSafety>(&action)) {
      Status s = store_.SaveSafety(Encode(persist->data));
      if (!s.ok()) {
        // Voting without durable safety data could equivocate after a crash: stop instead.
        Log("consensus")->critical("cannot persist safety data, stopping: {}", s.ToString());
        Stop();
        return;
      }
    } else if (auto* commit = std::get_if<consensus::Commit>(&action)) {
      // A commit comes with the certificate that also moves the round on: the vote or the
      // next proposal is in this same list, after it. Executing the block first (several ms)
      // put execution on the critical path of every round on every node; so it runs once this
      // step's messages are on their way.
      asio::post(io_, [this, blocks = std::move(commit->blocks)]() mutable {
        OnCommitted(std::move(blocks));
      });
    } else if (auto* timeout = std::get_if<consensus::ScheduleTimeout>(&action)) {
      ArmTimer(timeout->round, timeout->delay_ms);
    } else if (auto* fetch = std::get_if<consensus::FetchBlock>(&action)) {
      Writer w;
      w.Fixed(fetch->hash);
      Bytes m = WireMessage(WireKind::kBlockRequest, w.bytes());
      if (fetch->from != self_) transport_->Send(fetch->from, m);
      // Ask one more peer in case `from` is down.
      for (uint32_t p : transport_->ConnectedPeers()) {
        if (p != fetch->from) {
          transport_->Send(p, m);
          break;
        }
      }
    }
  }
  PublishSnapshot();
}

// A vote is the last step before the next leader can propose, so holding it paces the chain.
// Two reasons, each a network delay to the protocol (the vote is already recorded, so safety is
// unaffected):
//  * back-pressure from execution: while committed blocks wait to be executed, consensus runs
//    at the pace execution keeps, with fewer, larger blocks, instead of queueing committed
//    blocks (each with its own execution, commit votes and write) tens of ms deep; held at
//    most kMaxVoteHoldMs;
//  * [consensus] min_block_interval_ms: each block costs every node a fixed share of CPU
//    (signatures, a synced write, messages), so a lightly loaded chain that makes a block per
//    round spends most of its CPU on blocks of a few transactions (docs/operator-guide.md,
//    "Block pace"). The vote for a block waits until the interval has passed since the block's
//    own time, so its certificate, and the next block, come no sooner. Timed from the block
//    rather than from this node's previous vote: any 2f+1 votes certify, so validators pacing
//    only their own votes let the chain run n/2f times faster (measured: 7-9 blocks a second at
//    200 ms). The hold never exceeds the interval, whatever the proposer's clock says.
void Node::HoldOrSendVote(uint32_t to, const Hash256& block_hash, Bytes wire) {
  if (const uint64_t interval = config_.consensus_min_block_interval_ms; interval > 0) {
    auto it = recent_blocks_.find(block_hash);
    const uint64_t block_time = it == recent_blocks_.end() ? 0 : it->second.header.time_ms;
    const uint64_t now = NowMs();
    const uint64_t wait = block_time + interval > now ? block_time + interval - now : 0;
    vote_paced_until_ms_ = std::max(vote_paced_until_ms_, SteadyMs() + std::min(wait, interval));
  }
  held_votes_.emplace_back(to, std::move(wire));
  if (ReleaseHeldVotes(/*force=*/false) || held_votes_.size() > 1) return;
  const uint64_t now = SteadyMs();
  uint64_t wait = vote_paced_until_ms_ > now ? vote_paced_until_ms_ - now : 0;
  if (exec_queue_.size() >= kExecBacklogToHoldVotes) wait = std::max(wait, kMaxVoteHoldMs);
  ArmVoteHoldTimer(wait);
}

void Node::ArmVoteHoldTimer(uint64_t wait_ms) {
  vote_hold_timer_.expires_after(std::chrono::milliseconds(wait_ms));
  vote_hold_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    // A vote held after the first may have moved the pace on: the hold for back-pressure ends
    // here, the pace's only when it is due.
    const uint64_t now = SteadyMs();
    if (now < vote_paced_until_ms_) return ArmVoteHoldTimer(vote_paced_until_ms_ - now);
    ReleaseHeldVotes(/*force=*/true);
  });
}

bool Node::ReleaseHeldVotes(bool force) {
  if (held_votes_.empty()) return false;
  if (!force &&
      (exec_queue_.size() >= kExecBacklogToHoldVotes || SteadyMs() < vote_paced_until_ms_)) {
    return false;
  }
  vote_hold_timer_.cancel();
  for (auto& [to, wire] : std::exchange(held_votes_, {})) transport_->Send(to, wire);
  return true;
}

uint64_t Node::SteadyMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

void Node::ArmTimer(uint64_t round, uint64_t delay_ms) {
  round_timer_.expires_after(std::chrono::milliseconds(delay_ms));
  round_timer_.async_wait([this, round](boost::system::error_code ec) {
    if (ec || stopped_) return;
    Run(replica_->OnLocalTimeout(round, NowMs()));
  });
}

void Node::DeliverToSelf(consensus::Message message) {
  // Only a lone validator sends to itself. An empty block's vote is paced as an empty
  // proposal's broadcast is, so an idle single-node chain does not spin.
  const Block* empty = nullptr;
  if (auto* vote = std::get_if<Vote>(&message)) {
    auto it = recent_blocks_.find(vote->block_hash);
    if (it != recent_blocks_.end() && it->second.header.tx_count == 0) empty = &it->second;
  }
  auto deliver = [this, m = std::move(message)] { Run(replica_->OnMessage(self_, m, NowMs())); };
  if (empty) return PaceEmptyBlock(*empty, std::move(deliver));
  asio::post(io_, [this, deliver = std::move(deliver)] {
    if (!stopped_) deliver();
  });
}

bool Node::ChainIsIdle(const Block& empty_block) const {
  // A block with transactions commits once two more blocks follow it and a third carries their
  // certificate: until three empty blocks are on top of the last one that carried work, the
  // chain keeps the fast pace.
  Hash256 parent = empty_block.header.parent_hash;
  for (int i = 0; i < 3; ++i) {
    auto it = recent_blocks_.find(parent);
    if (it == recent_blocks_.end() || it->second.header.tx_count != 0) return false;
    parent = it->second.header.parent_hash;
  }
  return true;
}

void Node::PaceEmptyBlock(const Block& block, std::function<void()> fire) {
  const bool idle = config_.consensus_idle_block_interval_ms > 0 && ChainIsIdle(block) &&
                    mempool_.pending() == 0;
  const uint64_t delay_ms =
      idle ? config_.consensus_idle_block_interval_ms : config_.consensus_block_max_wait_ms;
  // Either wait ends early when a batch arrives: the empty block then goes out at once and the
  // next leader carries the batch. Without that, a transaction that arrives just after a leader
  // built an empty block waited out the pace (twice, if the next leader had not received the
  // batch yet): a closed loop with one transaction per node in flight locked into ~110 ms per
  // commit instead of ~12 ms in some runs.
  auto wait = std::make_shared<EmptyBlockWait>();
  wait->timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(delay_ms));
  wait->fire = std::move(fire);
  empty_block_waits_.push_back(wait);
  wait->timer->async_wait([this, wait](boost::system::error_code) {
    if (wait->done || stopped_) return;
    wait->done = true;
    wait->fire();
    std::erase_if(empty_block_waits_, [](const auto& w) { return w->done; });
  });
}

void Node::EndEmptyBlockWaits() {
  if (empty_block_waits_.empty()) return;
  auto waits = std::move(empty_block_waits_);
  empty_block_waits_.clear();
  for (auto& wait : waits) {
    if (wait->done || stopped_) continue;
    wait->done = true;
    wait->timer->cancel();
    wait->fire();
  }
}

void Node::OnConsensus(uint32_t peer, ByteView body) {
  auto message = consensus::DecodeMessage(body);
  if (!message.ok()) return CountBad(peer, "consensus: " + message.status().message());
  if (auto* p = std::get_if<consensus::Proposal>(&*message)) return DeliverProposal(peer, *p);
  Run(replica_->OnMessage(peer, *message, NowMs()));
}

void Node::DeliverProposal(uint32_t peer, const consensus::Proposal& p) {
  Hash256 hash = p.block.Hash(chain_id_);
  std::vector<Hash256> missing;
  auto resolved = ResolvePayload(p.block, &missing);
  if (!resolved.ok() && !missing.empty()) {
    if (parked_.size() < 64) parked_[hash] = {peer, p};
    RequestBatches(missing, peer);
    return;
  }
  if (recent_blocks_.emplace(hash, p.block).second) (void)store_.SavePendingBlock(p.block);
  Run(replica_->OnProposal(peer, p, NowMs()));
}

// ---- status --------------------------------------------------------------------------------

Result<Hash256> Node::Submit(ByteView encoded_tx) {
  if (stopped_) return Status::Unavailable("node is stopping");
  auto id = mempool_.Submit(encoded_tx);
  if (id.ok() && mempool_.pending() >= config_.mempool_batch_max_txs) {
    asio::post(io_, [this] {
      if (!stopped_) CloseBatch();
    });
  }
  return id;
}

std::vector<Result<Hash256>> Node::SubmitMany(std::span<const ByteView> encoded_txs) {
  if (stopped_) {
    return std::vector<Result<Hash256>>(encoded_txs.size(), Status::Unavailable("node is stopping"));
  }
  auto ids = mempool_.SubmitMany(encoded_txs);
  if (mempool_.pending() >= config_.mempool_batch_max_txs) {
    asio::post(io_, [this] {
      if (!stopped_) CloseBatch();
    });
  }
  return ids;
}

void Node::PublishSnapshot() {
  NodeSnapshot s;
  s.moniker = config_.moniker;
  s.self = self_;
  // From the last write this thread saw, not the store: this runs after every consensus step,
  // and two RocksDB reads and a block decode each time added up.
  s.height = written_height_;
  s.state_root = written_state_root_;
  s.block_hash = written_block_hash_;
  s.round = replica_ ? replica_->current_round() : 0;
  s.leader = replica_ ? replica_->Leader(s.round) : 0;
#ifdef METALEDGER_TEST_ACK_BEFORE_WRITE
  s.height = std::max(s.height, acked_height_);  // the control build reports before writing
#endif
  s.peers = transport_ ? transport_->ConnectedPeers().size() : 0;
  s.mempool_txs = mempool_.size();
  s.halted = halted_;
  s.syncing = sync_inflight_;
  s.blocks_committed = blocks_committed_;
  s.txs_committed = txs_committed_;
  s.commit_certs = certs_;
  s.blocks_synced = blocks_synced_;
  s.state_root_mismatch = mismatch_;
  s.bad_messages = bad_messages_;
  if (transport_) {
    const auto& st = transport_->stats();
    s.p2p_refused = st.handshakes_refused;
    s.p2p_bad_frames = st.frames_oversized + st.frames_unauthenticated;
    s.p2p_dropped = st.frames_dropped;
    s.p2p_bytes_in = st.bytes_received.load(std::memory_order_relaxed);
    s.p2p_bytes_out = st.bytes_sent.load(std::memory_order_relaxed);
  }
  if (replica_) {
    s.consensus_dropped = replica_->stats().TotalDropped();
    s.timeouts_sent = replica_->stats().timeouts_sent;
    s.proposals_sent = replica_->stats().proposals_sent;
    s.votes_sent = replica_->stats().votes_sent;
    s.qcs_formed = replica_->stats().qcs_formed;
    s.tcs_formed = replica_->stats().tcs_formed;
  }
  s.parked_proposals = parked_.size();
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  snapshot_ = s;
}

std::optional<Node::UnwrittenTx> Node::UnwrittenAck(const Hash256& tx) const {
  std::lock_guard<std::mutex> lock(acks_mu_);
  auto it = unwritten_acks_.find(tx);
  if (it == unwritten_acks_.end()) return std::nullopt;
  return it->second;
}

NodeSnapshot Node::Snapshot() const {
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  return snapshot_;
}

}  // namespace metaledger::node
