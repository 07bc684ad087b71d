#include "consensus/replica.h"

#include <algorithm>

#include "consensus/block_tree.h"

namespace metaledger::consensus {
namespace {

// Votes and timeouts further ahead than this are dropped: they cannot help a replica that far
// behind (it catches up through certificates), and they would let a faulty validator fill memory.
constexpr uint64_t kFutureRounds = 64;
constexpr size_t kMaxOrphans = 256;
constexpr size_t kMaxVerifiedQcCache = 4096;
constexpr size_t kMaxPendingFetches = 1024;

}  // namespace

const char* DropReasonName(DropReason r) {
  static const char* const kNames[] = {"malformed",        "bad_signature",   "not_validator",
                                       "wrong_leader",     "stale_round",     "future_round",
                                       "duplicate",        "bad_certificate", "clock",
                                       "payload_rejected", "unsafe",          "unrequested"};
  return kNames[static_cast<size_t>(r)];
}

uint64_t ReplicaStats::TotalDropped() const {
  uint64_t total = 0;
  for (uint64_t d : dropped) total += d;
  return total;
}

class Replica::Impl {
 public:
  Impl(ReplicaConfig config, Signer& signer, SignatureVerifier& verifier, PayloadSource& payloads,
       ProposalValidator& validator, std::optional<Recovery> recovery)
      : cfg_(std::move(config)),
        signer_(signer),
        verifier_(verifier),
        payloads_(payloads),
        validator_(validator),
        genesis_hash_(cfg_.genesis.Hash(cfg_.chain_id)),
        vs_hash_(cfg_.validators.Hash(cfg_.chain_id)),
        tree_(cfg_.chain_id,
              recovery && recovery->committed_root ? *recovery->committed_root : cfg_.genesis) {
    if (cfg_.election == nullptr) {
      owned_election_ =
          std::make_unique<RoundRobinElection>(static_cast<uint32_t>(cfg_.validators.size()));
      cfg_.election = owned_election_.get();
    }
    safety_.highest_qc.block_hash = genesis_hash_;
    if (recovery) {
      safety_ = recovery->safety;
      std::sort(recovery->blocks.begin(), recovery->blocks.end(),
                [](const Block& a, const Block& b) { return a.header.height < b.header.height; });
      for (Block& b : recovery->blocks) {
        if (b.header.height > tree_.root().header.height) {
          Hash256 h = b.Hash(cfg_.chain_id);
          tree_.Insert(h, std::move(b));
        }
      }
    }
  }

  // ---- inputs

  Actions Start(uint64_t now) {
    Actions out;
    if (started_) return out;
    started_ = true;
    uint64_t r = safety_.highest_qc.round + 1;
    if (safety_.highest_tc) r = std::max(r, safety_.highest_tc->round + 1);
    EnterRound(r, /*by_qc=*/false, now, out);
    return out;
  }

  Actions OnProposal(uint32_t from, const Proposal& p, uint64_t now) {
    Actions out;
    const Block& b = p.block;
    const BlockHeader& h = b.header;
    const size_t n = cfg_.validators.size();
    if (from >= n || h.proposer >= n) return Drop(DropReason::kNotValidator);
    if (h.proposer != from || Leader(h.round) != h.proposer) return Drop(DropReason::kWrongLeader);
    if (h.round == 0 || b.justify.round >= h.round || h.parent_hash != b.justify.block_hash ||
        h.validator_set_hash != vs_hash_ || b.payload.size() > cfg_.max_payload_bytes ||
        h.payload_hash != PayloadHash(cfg_.chain_id, b.payload)) {
      return Drop(DropReason::kMalformed);
    }
    bool has_prev_cert = b.tc ? b.tc->round + 1 == h.round : b.justify.round + 1 == h.round;
    if (!has_prev_cert) return Drop(DropReason::kMalformed);
    Hash256 hash = b.Hash(cfg_.chain_id);
    if (h.round < current_round_ && requested_.count(hash) == 0)
      return Drop(DropReason::kStaleRound);
    auto seen = proposals_.find(h.round);
    if (seen != proposals_.end() && seen->second.block.Hash(cfg_.chain_id) == hash) {
      return Drop(DropReason::kDuplicate);
    }
    if (!verifier_.Verify(cfg_.validators.at(h.proposer).key,
                          ProposalMessage(cfg_.chain_id, h.round, hash).view(), p.sig)) {
      return Drop(DropReason::kBadSignature);
    }
    if (seen != proposals_.end()) {
      evidence_.push_back({Evidence::Kind::kDoubleProposal, h.proposer, h.round,
                           Message(seen->second), Message(p)});
      return Drop(DropReason::kDuplicate);
    }
    if (!VerifyQc(b.justify)) return Drop(DropReason::kBadCertificate);
    if (b.tc && !VerifyTc(*b.tc)) return Drop(DropReason::kBadCertificate);
    proposals_.emplace(h.round, p);
    ProcessCerts(&b.justify, b.tc ? &*b.tc : nullptr, from, now, out);
    AddBlock(hash, b, from, /*live=*/true, now, out);
    return out;
  }

  Actions OnVote(uint32_t /*from*/, const Vote& v, uint64_t now) {
    Actions out;
    if (v.voter >= cfg_.validators.size()) return Drop(DropReason::kNotValidator);
    if (v.round + 1 < current_round_) return Drop(DropReason::kStaleRound);
    if (v.round > current_round_ + kFutureRounds) return Drop(DropReason::kFutureRound);
    if (Leader(v.round + 1) != cfg_.self) return Drop(DropReason::kWrongLeader);
    auto& rv = votes_[v.round];
    auto prior = rv.by_voter.find(v.voter);
    if (prior != rv.by_voter.end() && prior->second == v) return Drop(DropReason::kDuplicate);
    if (!v.Verify(cfg_.chain_id, cfg_.validators, verifier_).ok()) {
      return Drop(DropReason::kBadSignature);
    }
    if (prior != rv.by_voter.end()) {
      evidence_.push_back(
          {Evidence::Kind::kDoubleVote, v.voter, v.round, Message(prior->second), Message(v)});
      return Drop(DropReason::kDuplicate);
    }
    AddVote(v, now, out);
    return out;
  }

  Actions OnTimeoutMsg(uint32_t from, const TimeoutMsg& t, uint64_t now) {
    Actions out;
    if (t.voter >= cfg_.validators.size()) return Drop(DropReason::kNotValidator);
    if (t.high_qc.round >= t.round) return Drop(DropReason::kMalformed);
    if (t.round < current_round_) {
      // The sender is behind (it missed the certificate that ended its round): help it.
      if (from < cfg_.validators.size() && from != cfg_.self) {
        out.push_back(SendTo{from, SyncInfo{safety_.highest_qc, safety_.highest_tc}});
      }
      Count(DropReason::kStaleRound);
      return out;
    }
    if (t.round > current_round_ + kFutureRounds) return Drop(DropReason::kFutureRound);
    auto& rt = timeouts_[t.round];
    auto prior = rt.by_voter.find(t.voter);
    if (prior != rt.by_voter.end() && prior->second == t) return Drop(DropReason::kDuplicate);
    if (!t.VerifySignature(cfg_.chain_id, cfg_.validators, verifier_).ok()) {
      return Drop(DropReason::kBadSignature);
    }
    if (prior != rt.by_voter.end()) {
      evidence_.push_back(
          {Evidence::Kind::kDoubleTimeout, t.voter, t.round, Message(prior->second), Message(t)});
      return Drop(DropReason::kDuplicate);
    }
    if (!VerifyQc(t.high_qc)) return Drop(DropReason::kBadCertificate);
    ProcessQc(t.high_qc, from, now, out);
    AddTimeout(t, from, now, out);
    return out;
  }

  Actions OnSyncInfo(uint32_t from, const SyncInfo& s, uint64_t now) {
    Actions out;
    if (!VerifyQc(s.highest_qc)) return Drop(DropReason::kBadCertificate);
    if (s.highest_tc && !VerifyTc(*s.highest_tc)) return Drop(DropReason::kBadCertificate);
    ProcessCerts(&s.highest_qc, s.highest_tc ? &*s.highest_tc : nullptr, from, now, out);
    return out;
  }

  Actions OnLocalTimeout(uint64_t round, uint64_t now) {
    Actions out;
    if (!started_ || round != current_round_) return out;  // a stale timer
    LocalTimeout(now, out);
    return out;
  }

  Actions OnBlockFetched(const Block& b, uint64_t now) {
    Actions out;
    Hash256 hash = b.Hash(cfg_.chain_id);
    // Only blocks this replica asked for by hash: the hash came from a verified QC or from the
    // parent link of a verified block, so the content is authenticated by it.
    if (requested_.erase(hash) == 0) return Drop(DropReason::kUnrequested);
    if (tree_.Contains(hash) || b.header.height <= tree_.root().header.height) return out;
    if (b.header.parent_hash != b.justify.block_hash || b.header.validator_set_hash != vs_hash_ ||
        b.header.payload_hash != PayloadHash(cfg_.chain_id, b.payload)) {
      return Drop(DropReason::kMalformed);
    }
    if (!VerifyQc(b.justify)) return Drop(DropReason::kBadCertificate);
    ProcessQc(b.justify, b.header.proposer, now, out);
    AddBlock(hash, b, b.header.proposer, /*live=*/false, now, out);
    return out;
  }

  // ---- getters

  uint64_t current_round() const { return current_round_; }
  const SafetyData& safety() const { return safety_; }
  const Block& committed_block() const { return tree_.root(); }
  const ReplicaStats& stats() const { return stats_; }
  const std::vector<Evidence>& evidence() const { return evidence_; }
  uint32_t Leader(uint64_t round) const { return cfg_.election->Leader(round); }

 private:
  struct RoundVotes {
    std::map<uint32_t, Vote> by_voter;
    std::map<Hash256, std::map<uint32_t, Signature>> by_block;
    bool qc_formed = false;
  };
  struct RoundTimeouts {
    std::map<uint32_t, TimeoutMsg> by_voter;
    bool tc_formed = false;
  };
  struct Orphan {
    Hash256 hash;
    Block block;
    uint32_t from;
    bool live;
  };

  Actions Drop(DropReason r) {
    Count(r);
    return {};
  }
  void Count(DropReason r) { ++stats_.dropped[static_cast<size_t>(r)]; }

  uint64_t TimeoutDelay() const {
    uint64_t shift = std::min<uint64_t>(consecutive_timeouts_, 30);
    uint64_t d = cfg_.base_timeout_ms << shift;
    return std::min(d, cfg_.max_timeout_ms);
  }

  bool VerifyQc(const QuorumCert& qc) {
    if (qc.IsGenesis()) return qc.block_hash == genesis_hash_;
    auto key = std::make_pair(qc.round, qc.block_hash);
    if (verified_qcs_.count(key)) return true;
    if (!qc.Verify(cfg_.chain_id, cfg_.validators, verifier_, genesis_hash_).ok()) return false;
    if (verified_qcs_.size() >= kMaxVerifiedQcCache) verified_qcs_.clear();
    verified_qcs_.insert(key);
    return true;
  }

  bool VerifyTc(const TimeoutCert& tc) {
    if (safety_.highest_tc && *safety_.highest_tc == tc) return true;
    if (!VerifyQc(tc.high_qc)) return false;
    return tc.Verify(cfg_.chain_id, cfg_.validators, verifier_, genesis_hash_).ok();
  }

  void Fetch(const Hash256& hash, uint32_t from, Actions& out) {
    if (tree_.Contains(hash) || requested_.count(hash)) return;
    // Fetches that never complete must not pile up; a later reference asks again.
    if (requested_.size() >= kMaxPendingFetches) requested_.clear();
    requested_.insert(hash);
    out.push_back(FetchBlock{hash, from});
  }

  // Verified certificates: raise the highest QC and TC, the lock and the round (once, to the
  // highest round they justify), and see whether they complete a commit.
  void ProcessCerts(const QuorumCert* qc, const TimeoutCert* tc, uint32_t from, uint64_t now,
                    Actions& out) {
    uint64_t target = 0;
    bool by_qc = false;
    for (const QuorumCert* q : {qc, tc ? &tc->high_qc : nullptr}) {
      if (q == nullptr) continue;
      NoteQc(*q, from, now, out);
      if (q->round + 1 > target) target = q->round + 1, by_qc = true;
    }
    if (tc) {
      if (!safety_.highest_tc || tc->round > safety_.highest_tc->round) safety_.highest_tc = *tc;
      if (tc->round + 1 > target) target = tc->round + 1, by_qc = false;
    }
    if (target > current_round_) EnterRound(target, by_qc, now, out);
  }
  void ProcessQc(const QuorumCert& qc, uint32_t from, uint64_t now, Actions& out) {
    ProcessCerts(&qc, nullptr, from, now, out);
  }

  void NoteQc(const QuorumCert& qc, uint32_t from, uint64_t now, Actions& out) {
    if (qc.round > safety_.highest_qc.round) safety_.highest_qc = qc;
    if (tree_.Contains(qc.block_hash)) {
      OnCertified(qc, now, out);
    } else if (qc.round > tree_.root().header.round) {
      pending_qcs_.emplace(qc.block_hash, qc);
      Fetch(qc.block_hash, from, out);
    }
  }

  // Block `qc.block_hash` (present in the tree) is certified. Its QC for its own parent becomes
  // the lock, and if the parent is one round older the two-chain commits the parent.
  void OnCertified(const QuorumCert& qc, uint64_t /*now*/, Actions& out) {
    const Block* child = tree_.Get(qc.block_hash);
    if (child == nullptr || qc.block_hash == tree_.root_hash()) return;
    safety_.locked_round = std::max(safety_.locked_round, child->justify.round);
    const Block* parent = tree_.Get(child->header.parent_hash);
    if (parent == nullptr || child->header.round != parent->header.round + 1) return;
    if (child->header.parent_hash == tree_.root_hash()) return;  // already committed
    auto path = tree_.PathFromRoot(child->header.parent_hash);
    if (!path || path->empty()) return;
    for (const Block& b : *path) cfg_.election->OnCommit(b);
    stats_.blocks_committed += path->size();
    Hash256 new_root = child->header.parent_hash;
    out.push_back(Commit{std::move(*path), qc});
    tree_.AdvanceRoot(new_root);
    uint64_t root_height = tree_.root().header.height;
    for (auto it = orphans_.begin(); it != orphans_.end();) {
      it = it->second.block.header.height <= root_height ? orphans_.erase(it) : std::next(it);
    }
    uint64_t root_round = tree_.root().header.round;
    for (auto it = pending_qcs_.begin(); it != pending_qcs_.end();) {
      it = it->second.round <= root_round ? pending_qcs_.erase(it) : std::next(it);
    }
  }

  void EnterRound(uint64_t r, bool by_qc, uint64_t now, Actions& out) {
    current_round_ = r;
    if (by_qc) consecutive_timeouts_ = 0;
    my_timeout_.reset();
    votes_.erase(votes_.begin(), votes_.lower_bound(r > 0 ? r - 1 : 0));
    timeouts_.erase(timeouts_.begin(), timeouts_.lower_bound(r));
    proposals_.erase(proposals_.begin(), proposals_.lower_bound(r > 1 ? r - 1 : 0));
    out.push_back(ScheduleTimeout{r, TimeoutDelay()});
    TryPropose(now, out);
  }

  void TryPropose(uint64_t now, Actions& out) {
    uint64_t r = current_round_;
    if (Leader(r) != cfg_.self || proposed_round_ >= r) return;
    const QuorumCert& qc = safety_.highest_qc;
    std::optional<TimeoutCert> tc;
    if (qc.round + 1 != r) {
      if (!safety_.highest_tc || safety_.highest_tc->round + 1 != r) return;
      tc = safety_.highest_tc;
    }
    const Block* parent = tree_.Get(qc.block_hash);
    if (parent == nullptr) {
      Fetch(qc.block_hash, Leader(qc.round), out);
      return;  // retried when the block arrives
    }
    proposed_round_ = r;
    Payload payload = payloads_.Next(r, qc.block_hash);
    Proposal p;
    BlockHeader& h = p.block.header;
    h.height = parent->header.height + 1;
    h.round = r;
    h.parent_hash = qc.block_hash;
    h.proposer = cfg_.self;
    h.time_ms = std::max(parent->header.time_ms + 1, now);
    h.payload_hash = PayloadHash(cfg_.chain_id, payload.bytes);
    h.tx_root = payload.tx_root;
    h.tx_count = payload.tx_count;
    h.validator_set_hash = vs_hash_;
    p.block.justify = qc;
    p.block.tc = std::move(tc);
    p.block.payload = std::move(payload.bytes);
    Hash256 hash = p.block.Hash(cfg_.chain_id);
    p.sig = signer_.Sign(ProposalMessage(cfg_.chain_id, r, hash));
    ++stats_.proposals_sent;
    out.push_back(Broadcast{p});
    proposals_.emplace(r, p);
    AddBlock(hash, p.block, cfg_.self, /*live=*/true, now, out);
  }

  // Adds a verified block (or parks it until its parent arrives), then everything it unblocks.
  void AddBlock(const Hash256& hash, const Block& block, uint32_t from, bool live, uint64_t now,
                Actions& out) {
    if (tree_.Contains(hash) || block.header.height <= tree_.root().header.height) return;
    if (!tree_.Contains(block.header.parent_hash)) {
      if (orphans_.size() < kMaxOrphans) {
        orphans_.emplace(block.header.parent_hash, Orphan{hash, block, from, live});
      }
      Fetch(block.header.parent_hash, from, out);
      return;
    }
    std::vector<Orphan> work{Orphan{hash, block, from, live}};
    while (!work.empty()) {
      Orphan o = std::move(work.back());
      work.pop_back();
      if (!InsertChecked(o, now, out)) continue;
      auto [lo, hi] = orphans_.equal_range(o.hash);
      for (auto it = lo; it != hi; ++it) work.push_back(std::move(it->second));
      orphans_.erase(lo, hi);
    }
  }

  bool InsertChecked(const Orphan& o, uint64_t now, Actions& out) {
    const Block& b = o.block;
    const Block* parent = tree_.Get(b.header.parent_hash);
    if (parent == nullptr || tree_.Contains(o.hash)) return false;
    if (b.header.height != parent->header.height + 1 || b.justify.round != parent->header.round ||
        b.header.round <= parent->header.round) {
      Count(DropReason::kMalformed);
      return false;
    }
    if (b.header.time_ms <= parent->header.time_ms ||
        (o.live && b.header.time_ms > now + cfg_.max_skew_ms)) {
      Count(DropReason::kClock);
      return false;
    }
    tree_.Insert(o.hash, b);
    requested_.erase(o.hash);
    // Certificates that arrived before the block take effect now.
    auto pq = pending_qcs_.find(o.hash);
    if (pq != pending_qcs_.end()) {
      QuorumCert qc = pq->second;
      pending_qcs_.erase(pq);
      OnCertified(qc, now, out);
    }
    if (tree_.Contains(b.header.parent_hash)) OnCertified(b.justify, now, out);
    if (o.live) MaybeVote(o.hash, b, now, out);
    if (o.hash == safety_.highest_qc.block_hash) TryPropose(now, out);
    return true;
  }

  void MaybeVote(const Hash256& hash, const Block& b, uint64_t now, Actions& out) {
    uint64_t r = b.header.round;
    if (r != current_round_ || r <= safety_.last_voted_round) return;
    uint64_t qc_round = b.justify.round;
    bool extends =
        qc_round + 1 == r || (b.tc && b.tc->round + 1 == r && qc_round >= b.tc->high_qc.round);
    if (!extends || qc_round < safety_.locked_round) {
      Count(DropReason::kUnsafe);
      return;
    }
    if (b.header.proposer != cfg_.self && !validator_.Validate(b).ok()) {
      Count(DropReason::kPayloadRejected);
      return;
    }
    safety_.last_voted_round = r;
    out.push_back(PersistSafety{safety_});
    Vote v;
    v.round = r;
    v.block_hash = hash;
    v.voter = cfg_.self;
    v.sig = signer_.Sign(VoteMessage(cfg_.chain_id, r, hash));
    ++stats_.votes_sent;
    uint32_t next = Leader(r + 1);
    // A lone validator's own vote is a quorum: handled inline it would certify, enter the next
    // round and propose again within this call, without end. Through the driver, each round
    // waits for one delivery.
    if (next == cfg_.self && cfg_.validators.quorum() > 1) {
      AddVote(v, now, out);
    } else {
      out.push_back(SendTo{next, v});
    }
  }

  void AddVote(const Vote& v, uint64_t now, Actions& out) {
    auto& rv = votes_[v.round];
    if (rv.by_voter.count(v.voter)) return;
    rv.by_voter.emplace(v.voter, v);
    auto& sigs = rv.by_block[v.block_hash];
    sigs.emplace(v.voter, v.sig);
    if (rv.qc_formed || sigs.size() < cfg_.validators.quorum()) return;
    rv.qc_formed = true;
    QuorumCert qc;
    qc.round = v.round;
    qc.block_hash = v.block_hash;
    for (const auto& [signer, sig] : sigs) qc.sigs.push_back({signer, sig});
    ++stats_.qcs_formed;
    verified_qcs_.insert({qc.round, qc.block_hash});
    ProcessQc(qc, Leader(v.round), now, out);
  }

  void LocalTimeout(uint64_t now, Actions& out) {
    uint64_t r = current_round_;
    ++consecutive_timeouts_;
    if (!my_timeout_) {
      safety_.last_voted_round = std::max(safety_.last_voted_round, r);
      out.push_back(PersistSafety{safety_});
      TimeoutMsg t;
      t.round = r;
      t.high_qc = safety_.highest_qc;
      t.voter = cfg_.self;
      t.sig = signer_.Sign(TimeoutMessage(cfg_.chain_id, r, t.high_qc.round));
      my_timeout_ = t;
    }
    ++stats_.timeouts_sent;
    out.push_back(Broadcast{*my_timeout_});
    out.push_back(ScheduleTimeout{r, TimeoutDelay()});
    AddTimeout(*my_timeout_, cfg_.self, now, out);
  }

  void AddTimeout(const TimeoutMsg& t, uint32_t from, uint64_t now, Actions& out) {
    if (t.round < current_round_) return;
    auto& rt = timeouts_[t.round];
    if (rt.by_voter.count(t.voter)) return;
    rt.by_voter.emplace(t.voter, t);
    size_t f = cfg_.validators.max_faulty();
    // f+1 timeouts include an honest one: join so the round ends without waiting for our timer.
    if (t.round == current_round_ && !my_timeout_ && rt.by_voter.size() >= f + 1) {
      LocalTimeout(now, out);
      return;  // LocalTimeout re-entered AddTimeout with our own message
    }
    if (rt.tc_formed || rt.by_voter.size() < cfg_.validators.quorum()) return;
    rt.tc_formed = true;
    TimeoutCert tc;
    tc.round = t.round;
    for (const auto& [signer, msg] : rt.by_voter) {
      tc.entries.push_back({signer, msg.high_qc.round, msg.sig});
      if (msg.high_qc.round >= tc.high_qc.round) tc.high_qc = msg.high_qc;
    }
    if (tc.high_qc.round == 0) tc.high_qc = QuorumCert{0, genesis_hash_, {}};
    ++stats_.tcs_formed;
    ProcessCerts(nullptr, &tc, from, now, out);
  }

  ReplicaConfig cfg_;
  std::unique_ptr<LeaderElection> owned_election_;
  Signer& signer_;
  SignatureVerifier& verifier_;
  PayloadSource& payloads_;
  ProposalValidator& validator_;
  Hash256 genesis_hash_;
  Hash256 vs_hash_;
  BlockTree tree_;
  SafetyData safety_;
  bool started_ = false;
  uint64_t current_round_ = 0;
  uint64_t proposed_round_ = 0;
  uint64_t consecutive_timeouts_ = 0;
  std::optional<TimeoutMsg> my_timeout_;
  std::map<uint64_t, RoundVotes> votes_;
  std::map<uint64_t, RoundTimeouts> timeouts_;
  std::map<uint64_t, Proposal> proposals_;
  std::map<Hash256, QuorumCert> pending_qcs_;
  std::multimap<Hash256, Orphan> orphans_;
  std::set<Hash256> requested_;
  std::set<std::pair<uint64_t, Hash256>> verified_qcs_;
  ReplicaStats stats_;
  std::vector<Evidence> evidence_;
};

Replica::Replica(ReplicaConfig config, Signer& signer, SignatureVerifier& verifier,
                 PayloadSource& payloads, ProposalValidator& validator,
                 std::optional<Recovery> recovery)
    : impl_(std::make_unique<Impl>(std::move(config), signer, verifier, payloads, validator,
                                   std::move(recovery))) {}
Replica::~Replica() = default;

Actions Replica::Start(uint64_t now_ms) { return impl_->Start(now_ms); }
Actions Replica::OnProposal(uint32_t from, const Proposal& p, uint64_t now_ms) {
  return impl_->OnProposal(from, p, now_ms);
}
Actions Replica::OnVote(uint32_t from, const Vote& v, uint64_t now_ms) {
  return impl_->OnVote(from, v, now_ms);
}
Actions Replica::OnTimeoutMsg(uint32_t from, const TimeoutMsg& t, uint64_t now_ms) {
  return impl_->OnTimeoutMsg(from, t, now_ms);
}
Actions Replica::OnSyncInfo(uint32_t from, const SyncInfo& s, uint64_t now_ms) {
  return impl_->OnSyncInfo(from, s, now_ms);
}
Actions Replica::OnLocalTimeout(uint64_t round, uint64_t now_ms) {
  return impl_->OnLocalTimeout(round, now_ms);
}
Actions Replica::OnBlockFetched(const Block& b, uint64_t now_ms) {
  return impl_->OnBlockFetched(b, now_ms);
}
Actions Replica::OnMessage(uint32_t from, const Message& m, uint64_t now_ms) {
  struct Visitor {
    Replica* r;
    uint32_t from;
    uint64_t now;
    Actions operator()(const Proposal& p) { return r->OnProposal(from, p, now); }
    Actions operator()(const Vote& v) { return r->OnVote(from, v, now); }
    Actions operator()(const TimeoutMsg& t) { return r->OnTimeoutMsg(from, t, now); }
    Actions operator()(const SyncInfo& s) { return r->OnSyncInfo(from, s, now); }
  };
  return std::visit(Visitor{this, from, now_ms}, m);
}

uint64_t Replica::current_round() const { return impl_->current_round(); }
const QuorumCert& Replica::highest_qc() const { return impl_->safety().highest_qc; }
uint64_t Replica::locked_round() const { return impl_->safety().locked_round; }
uint64_t Replica::last_voted_round() const { return impl_->safety().last_voted_round; }
uint64_t Replica::committed_height() const { return impl_->committed_block().header.height; }
const Block& Replica::committed_block() const { return impl_->committed_block(); }
const SafetyData& Replica::safety() const { return impl_->safety(); }
const ReplicaStats& Replica::stats() const { return impl_->stats(); }
const std::vector<Evidence>& Replica::evidence() const { return impl_->evidence(); }
uint32_t Replica::Leader(uint64_t round) const { return impl_->Leader(round); }

}  // namespace metaledger::consensus
