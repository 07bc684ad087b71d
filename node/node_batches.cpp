// Node: batches. A validator closes admitted transactions into batches and sends them to the
// others; peers' batches are checked on the worker pool and accepted in arrival order; a
// block's payload names batches, resolved here for votes, proposals and execution
// (docs/consensus.md, "Batches in the node").

#include "core/merkle.h"
#include "node/logging.h"
#include "node/node.h"

namespace metaledger::node {

namespace asio = boost::asio;

void Node::ScheduleBatchTimer() {
  batch_timer_.expires_after(std::chrono::milliseconds(config_.mempool_batch_max_ms));
  batch_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    CloseBatch();
    ScheduleBatchTimer();
  });
}

void Node::CloseBatch() {
  while (mempool_.pending() > 0) {
    Batch b;
    b.author = self_;
    b.seq = next_batch_seq_++;
    std::vector<Hash256> ids;
    b.txs = mempool_.TakeForBatch(config_.mempool_batch_max_txs, &ids);
    if (b.txs.empty()) return;
    b.AdoptTxIds(std::move(ids));
    Bytes wire = WireMessageOf(WireKind::kBatch, b);
    Hash256 hash = Batch::HashOfEncoding(chain_id_, ByteView(wire).subspan(1));
    transport_->Broadcast(wire);
    batch_order_.push_back(hash);
    batches_.emplace(hash, std::move(b));
    EndEmptyBlockWaits();
    if (mempool_.pending() < config_.mempool_batch_max_txs) return;
  }
}

void Node::OnBatch(uint32_t peer, Bytes message) {
  // One hash of the received bytes here drops a batch already held (or committed and not
  // asked for) before any other work; decoding and signature checks (each once per node,
  // through the cache) run on the worker pool, two batches at a time, off the consensus
  // thread. A peer's batches are still taken in the order they arrived, so that a sender's
  // transactions in consecutive batches are proposed in nonce order.
  ByteView body(message.data() + 1, message.size() - 1);
  Hash256 hash = Batch::HashOfEncoding(chain_id_, body);
  if (batches_.count(hash)) return;
  if (committed_batches_.count(hash) && !wanted_batches_.count(hash)) return;
  auto& queue = verifying_[peer];
  if (queue.size() >= kMaxCheckingPerPeer) {
    // Checks cannot keep up with this peer: drop rather than grow without bound. A batch a
    // proposal needs is fetched again then.
    return CountBad(peer, "too many batches waiting for their checks; batch dropped");
  }
  auto pending = std::make_shared<VerifyingBatch>();
  pending->hash = hash;
  queue.push_back(pending);
  asio::post(workers_, [this, peer, pending, message = std::move(message)] {
    auto batch = Batch::DecodeReceived(ByteView(message).subspan(1));
    std::string error;
    if (!batch.ok()) {
      error = "batch: " + batch.status().message();
    } else {
      pending->batch = std::move(batch).value();
      Status s = mempool_.CheckSignatures(pending->batch.txs);
      if (!s.ok()) error = "batch with a bad transaction: " + s.message();
    }
    asio::post(io_, [this, peer, pending, error = std::move(error)]() mutable {
      pending->error = std::move(error);
      pending->checked = true;
      if (!stopped_) TakeCheckedBatches(peer);
    });
  });
}

void Node::TakeCheckedBatches(uint32_t peer) {
  auto& queue = verifying_[peer];
  while (!queue.empty() && queue.front()->checked) {
    std::shared_ptr<VerifyingBatch> done = std::move(queue.front());
    queue.pop_front();
    if (!done->error.empty()) {
      CountBad(peer, done->error);
    } else if (!committed_batches_.count(done->hash) || wanted_batches_.count(done->hash)) {
      AcceptBatch(std::move(done->batch), done->hash);
    }
  }
}

void Node::AcceptBatch(Batch batch, const Hash256& hash) {
  if (batches_.count(hash)) return;
  wanted_batches_.erase(hash);
  // Asked for after its own commit: a block that replays it is still to be voted on or
  // executed. Kept for as long as recent blocks are.
  if (committed_batches_.count(hash)) retained_batches_[hash] = written_height_ + kRecentHeights;
  batch_order_.push_back(hash);
  batches_.emplace(hash, std::move(batch));
  EndEmptyBlockWaits();
  // Proposals parked for this batch may now be complete.
  std::vector<Hash256> ready;
  for (auto& [block_hash, entry] : parked_) {
    std::vector<Hash256> missing;
    if (ResolvePayload(entry.second.block, &missing).ok()) ready.push_back(block_hash);
  }
  for (const Hash256& h : ready) {
    auto entry = std::move(parked_[h]);
    parked_.erase(h);
    DeliverProposal(entry.first, entry.second);
  }
  if (!exec_queue_.empty() && !prepared_) ExecuteNext();
}

void Node::RequestBatches(const std::vector<Hash256>& hashes, std::optional<uint32_t> first) {
  if (wanted_batches_.size() > 4 * BlockPayload::kMaxBatches) wanted_batches_.clear();
  wanted_batches_.insert(hashes.begin(), hashes.end());
  Writer w;
  w.Varint(hashes.size());
  for (const Hash256& h : hashes) w.Fixed(h);
  Bytes m = WireMessage(WireKind::kBatchRequest, w.bytes());
  if (first && *first != self_) transport_->Send(*first, m);
  for (uint32_t p : transport_->ConnectedPeers()) {
    if (!first || p != *first) transport_->Send(p, m);
  }
}

Result<std::vector<const Batch*>> Node::ResolvePayload(const Block& block,
                                                       std::vector<Hash256>* missing) const {
  if (block.payload.empty()) return std::vector<const Batch*>{};
  auto payload = Decode<BlockPayload>(block.payload);
  if (!payload.ok()) return payload.status().Annotate("block payload");
  std::vector<const Batch*> out;
  std::set<Hash256> seen;
  for (const Hash256& h : payload->batches) {
    if (!seen.insert(h).second) return Status::InvalidArgument("block payload repeats a batch");
    auto it = batches_.find(h);
    if (it == batches_.end()) {
      if (missing) missing->push_back(h);
      continue;
    }
    out.push_back(&it->second);
  }
  if (missing && !missing->empty()) return Status::Unavailable("batches missing");
  return out;
}

consensus::Payload Node::NextPayload(const Hash256& parent_hash) {
  CloseBatch();
  // Batches already in an uncommitted ancestor must not be ordered twice.
  std::set<Hash256> in_flight;
  Hash256 cursor = parent_hash;
  for (int depth = 0; depth < 64; ++depth) {
    auto it = recent_blocks_.find(cursor);
    // written_height_, not the store's: the blocks up to it have their batches in
    // committed_batches_, while the store's height may already be one block further.
    if (it == recent_blocks_.end() || it->second.header.height <= written_height_) break;
    auto payload = Decode<BlockPayload>(it->second.payload);
    if (payload.ok()) in_flight.insert(payload->batches.begin(), payload->batches.end());
    cursor = it->second.header.parent_hash;
  }
  BlockPayload payload;
  std::vector<const Batch*> chosen;
  if (replay_parent_batches_) {  // fault injection (tests only)
    auto parent = recent_blocks_.find(parent_hash);
    auto replayed = parent == recent_blocks_.end() ? Result<BlockPayload>(BlockPayload{})
                                                   : PayloadOf(parent->second);
    for (const Hash256& h : replayed.ok() ? replayed->batches : std::vector<Hash256>{}) {
      auto it = batches_.find(h);
      if (it == batches_.end()) continue;
      payload.batches.push_back(h);
      chosen.push_back(&it->second);
    }
  }
  for (const Hash256& h : batch_order_) {
    if (payload.batches.size() >= config_.consensus_max_batches_per_block) break;
    if (committed_batches_.count(h) || in_flight.count(h)) continue;
    auto it = batches_.find(h);
    if (it == batches_.end()) continue;
    payload.batches.push_back(h);
    chosen.push_back(&it->second);
  }
  consensus::Payload out;
  std::vector<Hash256> ids = TxIds(chosen);
  out.tx_count = static_cast<uint32_t>(ids.size());
  out.tx_root = MerkleRoot(ids);
  if (!payload.batches.empty()) out.bytes = Encode(payload);
  RememberCheckedRoot(out.tx_root, out.bytes);
  return out;
}

Status Node::ValidatePayload(const Block& block) {
  ML_ASSIGN_OR_RETURN(auto batches, ResolvePayload(block, nullptr));
  std::vector<Hash256> ids = TxIds(batches);
  if (ids.size() != block.header.tx_count || MerkleRoot(ids) != block.header.tx_root) {
    return Status::InvalidArgument("tx_root or tx_count does not match the batches");
  }
  RememberCheckedRoot(block.header.tx_root, block.payload);
  return Status::Ok();
}

void Node::RememberCheckedRoot(const Hash256& tx_root, ByteView payload) {
  // Entries of blocks that never commit (a lost round) would stay; a bound drops them. A
  // dropped entry costs only one more root at execution.
  if (checked_roots_.size() >= 256) checked_roots_.clear();
  checked_roots_.insert_or_assign(tx_root, Bytes(payload.begin(), payload.end()));
}

std::map<Hash256, uint64_t> Node::BatchesReferencedAbove(uint64_t height) const {
  std::map<Hash256, uint64_t> out;
  for (const auto& [hash, block] : recent_blocks_) {
    if (block.header.height <= height) continue;
    auto payload = PayloadOf(block);
    if (!payload.ok()) continue;
    for (const Hash256& b : payload->batches) {
      uint64_t& h = out[b];
      h = std::max(h, block.header.height);
    }
  }
  return out;
}

void Node::ReleaseBatches(const Block& written, uint64_t height) {
  auto payload = PayloadOf(written);
  if (payload.ok() && !payload->batches.empty()) {
    auto again = BatchesReferencedAbove(height);
    for (const Hash256& h : payload->batches) {
      committed_batches_.insert(h);
      auto it = again.find(h);
      if (it == again.end()) {
        batches_.erase(h);
      } else {
        uint64_t& until = retained_batches_[h];
        until = std::max(until, it->second);
      }
    }
  }
  for (auto it = retained_batches_.begin(); it != retained_batches_.end();) {
    if (it->second > height) {
      ++it;
      continue;
    }
    batches_.erase(it->first);
    it = retained_batches_.erase(it);
  }
}

void Node::ServeBatchRequest(uint32_t peer, const Hash256& hash) {
  if (lent_batches_.count(hash)) {  // its transactions are out being executed (ExecJob)
    if (deferred_batch_requests_.size() < BlockPayload::kMaxBatches) {
      deferred_batch_requests_.emplace_back(peer, hash);
    }
    return;
  }
  auto it = batches_.find(hash);
  if (it != batches_.end()) transport_->Send(peer, WireMessageOf(WireKind::kBatch, it->second));
}

}  // namespace metaledger::node
