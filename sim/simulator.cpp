#include "sim/simulator.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <queue>
#include <set>

#include "sim/fake_crypto.h"
#include "sim/rng.h"

namespace metaledger::sim {
namespace {

using consensus::Action;
using consensus::Actions;
using consensus::Message;
using consensus::Proposal;

constexpr char kChainId[] = "sim";

// Counts the signature work of one handler call so the CPU model can charge for it.
class CountingVerifier final : public SignatureVerifier {
 public:
  explicit CountingVerifier(SignatureVerifier& inner) : inner_(inner) {}
  bool Verify(const PublicKey& key, ByteView message, const Signature& sig) override {
    ++count;
    return inner_.Verify(key, message, sig);
  }
  uint64_t count = 0;

 private:
  SignatureVerifier& inner_;
};

class CountingSigner final : public consensus::Signer {
 public:
  explicit CountingSigner(consensus::Signer& inner) : inner_(inner) {}
  Signature Sign(const Hash256& message) override {
    ++count;
    return inner_.Sign(message);
  }
  uint64_t count = 0;

 private:
  consensus::Signer& inner_;
};

class SimPayloads final : public consensus::PayloadSource {
 public:
  SimPayloads(uint32_t instance, uint64_t size, uint32_t tx_count)
      : instance_(instance), size_(size), tx_count_(tx_count) {}
  consensus::Payload Next(uint64_t round, const Hash256& /*parent*/) override {
    consensus::Payload p;
    Writer w;
    w.U64(round).U32(instance_);
    p.bytes = w.Take();
    p.bytes.resize(std::max<size_t>(p.bytes.size(), size_), 0xAB);
    p.tx_count = tx_count_;
    p.tx_root = Sha256(p.bytes);
    return p;
  }

 private:
  uint32_t instance_;
  uint64_t size_;
  uint32_t tx_count_;
};

class ScheduledElection final : public consensus::LeaderElection {
 public:
  ScheduledElection(std::vector<uint32_t> schedule, uint32_t n)
      : schedule_(std::move(schedule)), n_(n) {}
  uint32_t Leader(uint64_t round) const override {
    return round < schedule_.size() ? schedule_[round] : static_cast<uint32_t>(round % n_);
  }

 private:
  std::vector<uint32_t> schedule_;
  uint32_t n_;
};

class AcceptAll final : public consensus::ProposalValidator {
 public:
  Status Validate(const Block& /*block*/) override { return Status::Ok(); }
};

enum class EventType : uint8_t { kDeliver, kTimer, kFetched, kCrash, kRestart, kHeal };

struct Event {
  uint64_t t_us = 0;
  uint64_t seq = 0;
  EventType type = EventType::kDeliver;
  uint32_t target = 0;
  uint32_t from = 0;   // sender's validator index
  uint64_t value = 0;  // timer round
  uint64_t epoch = 0;  // timers from before a crash are void
  std::shared_ptr<const Bytes> bytes;
  std::shared_ptr<const Block> block;
};

struct Later {
  bool operator()(const Event& a, const Event& b) const {
    return a.t_us != b.t_us ? a.t_us > b.t_us : a.seq > b.seq;
  }
};

struct Instance {
  uint32_t index = 0;
  Behavior behavior = Behavior::kHonest;
  bool up = true;
  uint64_t epoch = 0;
  uint64_t busy_until_us = 0;
  uint64_t uplink_free_us = 0;  // when this node's uplink finishes sending what it queued
  std::unique_ptr<consensus::Signer> base_signer;
  std::unique_ptr<CountingSigner> signer;
  std::unique_ptr<CountingVerifier> verifier;
  std::unique_ptr<SimPayloads> payloads;
  std::unique_ptr<consensus::LeaderElection> election;
  std::unique_ptr<consensus::Replica> replica;
  std::optional<consensus::SafetyData> persisted;
  Block last_committed;
  uint64_t height_at_heal = 0;
  consensus::ReplicaStats stats_before_crash;  // summed into the result
  uint64_t evidence_before_crash = 0;
};

class Simulation {
 public:
  explicit Simulation(const SimConfig& cfg) : cfg_(cfg), rng_(cfg.seed) {
    std::vector<uint32_t> index = cfg.instance_index;
    if (index.empty()) {
      for (uint32_t i = 0; i < cfg.validators; ++i) index.push_back(i);
    }
    std::vector<Validator> vals;
    std::vector<std::optional<PrivateKey>> keys(cfg.validators);
    for (uint32_t v = 0; v < cfg.validators; ++v) {
      Validator val;
      val.name = fmt::format("v{}", v);
      if (cfg.real_signatures) {
        Hash256 seed = Sha256(fmt::format("metaledger-sim-key-{}", v));
        keys[v] = *PrivateKey::FromSeed(seed.view());
        val.key = keys[v]->public_key();
      } else {
        val.key = FakePublicKey(v);
      }
      vals.push_back(val);
    }
    validators_ = ValidatorSet(std::move(vals));
    genesis_ = MakeGenesisBlock(kChainId, 0, validators_.Hash(kChainId));
    genesis_hash_ = genesis_.Hash(kChainId);
    base_verifier_ = cfg.real_signatures
                         ? static_cast<SignatureVerifier*>(&StrictVerifier::Instance())
                         : &fake_verifier_;
    for (uint32_t i = 0; i < index.size(); ++i) {
      auto inst = std::make_unique<Instance>();
      inst->index = index[i];
      inst->behavior = i < cfg.behavior.size() ? cfg.behavior[i] : Behavior::kHonest;
      if (cfg.real_signatures) {
        inst->base_signer = std::make_unique<consensus::Ed25519Signer>(*keys[inst->index]);
      } else {
        inst->base_signer = std::make_unique<FakeSigner>(FakePublicKey(inst->index));
      }
      inst->signer = std::make_unique<CountingSigner>(*inst->base_signer);
      inst->verifier = std::make_unique<CountingVerifier>(*base_verifier_);
      if (cfg.batch_txs > 0) {
        inst->payloads = std::make_unique<SimPayloads>(i, cfg.batch_txs * cfg.tx_bytes,
                                                       static_cast<uint32_t>(cfg.batch_txs));
      } else {
        inst->payloads = std::make_unique<SimPayloads>(i, cfg.payload_bytes, 1);
      }
      inst->last_committed = genesis_;
      instances_.push_back(std::move(inst));
    }
  }

  SimResult Run() {
    for (uint32_t i = 0; i < instances_.size(); ++i) {
      Boot(i, std::nullopt);
      uint64_t t = rng_.Below(1000);  // instances start within the first millisecond
      Execute(i, instances_[i]->replica->Start(t / 1000), t);
    }
    for (const Crash& c : cfg_.crashes) {
      Push({.t_us = c.at_ms * 1000, .type = EventType::kCrash, .target = c.instance});
      Push({.t_us = c.restart_ms * 1000, .type = EventType::kRestart, .target = c.instance});
      Push({.t_us = c.restart_ms * 1000, .type = EventType::kHeal});
    }
    for (const Partition& p : cfg_.partitions)
      Push({.t_us = p.end_ms * 1000, .type = EventType::kHeal});

    while (!queue_.empty() && !stop_) {
      Event e = queue_.top();
      queue_.pop();
      if (e.t_us > cfg_.max_time_ms * 1000 || result_.events >= cfg_.max_events) break;
      now_us_ = e.t_us;
      ++result_.events;
      Dispatch(e);
    }
    return Finish();
  }

 private:
  bool IsHonest(uint32_t i) const { return instances_[i]->behavior == Behavior::kHonest; }

  void Push(Event e) {
    e.seq = next_seq_++;
    queue_.push(std::move(e));
  }

  void Boot(uint32_t i, std::optional<consensus::Recovery> recovery) {
    Instance& inst = *instances_[i];
    consensus::ReplicaConfig rc;
    rc.chain_id = kChainId;
    rc.validators = validators_;
    rc.self = inst.index;
    rc.genesis = genesis_;
    rc.base_timeout_ms = cfg_.base_timeout_ms;
    rc.max_timeout_ms = cfg_.max_timeout_ms;
    rc.max_skew_ms = 1000;
    if (cfg_.reputation_election) {
      inst.election = std::make_unique<consensus::ReputationElection>(
          cfg_.validators, /*window=*/10, validators_.quorum());
      rc.election = inst.election.get();
    } else if (!cfg_.leader_schedule.empty()) {
      inst.election = std::make_unique<ScheduledElection>(cfg_.leader_schedule, cfg_.validators);
      rc.election = inst.election.get();
    }
    inst.replica = std::make_unique<consensus::Replica>(
        rc, *inst.signer, *inst.verifier, *inst.payloads, accept_all_, std::move(recovery));
  }

  void Dispatch(const Event& e) {
    if (e.type == EventType::kHeal) {
      for (auto& inst : instances_) inst->height_at_heal = inst->last_committed.header.height;
      return;
    }
    Instance& inst = *instances_[e.target];
    if (e.type == EventType::kCrash) {
      if (!inst.up) return;
      inst.up = false;
      ++inst.epoch;
      AccumulateStats(inst);
      inst.replica.reset();
      return;
    }
    if (e.type == EventType::kRestart) {
      if (inst.up) return;
      inst.up = true;
      inst.busy_until_us = now_us_;
      consensus::Recovery rec;
      if (inst.persisted)
        rec.safety = *inst.persisted;
      else
        rec.safety.highest_qc.block_hash = genesis_hash_;
      rec.committed_root = inst.last_committed;
      if (cfg_.reputation_election) {
        // A restarted node would rebuild its election state from its stored chain.
        inst.election.reset();
      }
      Boot(e.target, std::move(rec));
      Execute(e.target, inst.replica->Start(now_us_ / 1000), now_us_);
      return;
    }
    if (!inst.up) return;
    if (e.type == EventType::kTimer && e.epoch != inst.epoch) return;
    uint64_t start = std::max(now_us_, inst.busy_until_us);
    inst.signer->count = 0;
    inst.verifier->count = 0;
    Actions actions;
    uint64_t now_ms = start / 1000;
    uint64_t payload_cost = 0;
    switch (e.type) {
      case EventType::kDeliver: {
        auto msg = consensus::DecodeMessage(*e.bytes);
        if (!msg.ok()) {
          ++result_.decode_errors;
          return;
        }
        if (cfg_.hash_bytes_per_us) payload_cost += e.bytes->size() / cfg_.hash_bytes_per_us;
        if (const auto* p = std::get_if<Proposal>(&*msg); p && cfg_.batch_txs) {
          payload_cost +=
              cfg_.batch_txs * cfg_.tx_verify_us / std::max<uint64_t>(1, cfg_.tx_verify_workers);
        }
        actions = inst.replica->OnMessage(e.from, *msg, now_ms);
        // All-to-all voting: every replica checks every vote it receives, including the copies
        // the linear core drops unverified (it only collects votes addressed to it as leader).
        if (cfg_.all_to_all_votes && std::holds_alternative<Vote>(*msg) &&
            inst.verifier->count == 0) {
          payload_cost += cfg_.verify_cost_us;
        }
        break;
      }
      case EventType::kTimer:
        actions = inst.replica->OnLocalTimeout(e.value, now_ms);
        break;
      case EventType::kFetched:
        actions = inst.replica->OnBlockFetched(*e.block, now_ms);
        break;
      default:
        return;
    }
    uint64_t cost = cfg_.handle_cost_us + payload_cost +
                    inst.verifier->count * cfg_.verify_cost_us +
                    inst.signer->count * cfg_.sign_cost_us;
    inst.busy_until_us = start + cost;
    Execute(e.target, std::move(actions), inst.busy_until_us);
  }

  void Execute(uint32_t i, Actions actions, uint64_t depart_us) {
    Instance& inst = *instances_[i];
    for (Action& a : actions) {
      if (auto* send = std::get_if<consensus::SendTo>(&a)) {
        SendFiltered(i, send->to, send->message, depart_us);
      } else if (auto* bc = std::get_if<consensus::Broadcast>(&a)) {
        BroadcastFiltered(i, bc->message, depart_us);
      } else if (auto* ps = std::get_if<consensus::PersistSafety>(&a)) {
        inst.persisted = ps->data;
      } else if (auto* c = std::get_if<consensus::Commit>(&a)) {
        OnCommit(i, c->blocks, depart_us);
      } else if (auto* st = std::get_if<consensus::ScheduleTimeout>(&a)) {
        Push({.t_us = depart_us + st->delay_ms * 1000,
              .type = EventType::kTimer,
              .target = i,
              .value = st->round,
              .epoch = inst.epoch});
      } else if (auto* fb = std::get_if<consensus::FetchBlock>(&a)) {
        auto it = block_store_.find(fb->hash);
        if (it == block_store_.end()) continue;
        Push({.t_us = depart_us + 2 * cfg_.latency_ms * 1000,
              .type = EventType::kFetched,
              .target = i,
              .block = it->second});
      }
    }
  }

  void Remember(const Message& m) {
    if (const auto* p = std::get_if<Proposal>(&m)) {
      Hash256 h = p->block.Hash(kChainId);
      if (!block_store_.count(h)) block_store_.emplace(h, std::make_shared<Block>(p->block));
    }
  }

  void SendFiltered(uint32_t i, uint32_t to, const Message& m, uint64_t t) {
    Instance& inst = *instances_[i];
    if (std::holds_alternative<Vote>(m)) {
      if (inst.behavior == Behavior::kWithholder) return;
      if (inst.behavior == Behavior::kEquivocator) {
        Vote other = std::get<Vote>(m);
        other.block_hash = Sha256(other.block_hash.view());
        other.sig = inst.signer->Sign(VoteMessage(kChainId, other.round, other.block_hash));
        SendBytes(i, to, std::make_shared<const Bytes>(consensus::EncodeMessage(other)), t);
      }
    }
    Remember(m);
    auto bytes = std::make_shared<const Bytes>(consensus::EncodeMessage(m));
    SendBytes(i, to, bytes, t);
    if (cfg_.all_to_all_votes && std::holds_alternative<Vote>(m)) {
      // PBFT-style pattern: the vote goes to everyone (prepare), then a second all-to-all
      // phase (commit) follows. The copies cost uplink, latency and CPU like real messages;
      // the consensus decisions stay those of the linear core.
      for (uint32_t v = 0; v < cfg_.validators; ++v) {
        if (v == inst.index) continue;
        if (v != to) SendBytes(i, v, bytes, t);
        SendBytes(i, v, bytes, t);
      }
    }
  }

  void BroadcastFiltered(uint32_t i, const Message& m, uint64_t t) {
    Instance& inst = *instances_[i];
    Remember(m);
    auto bytes = std::make_shared<const Bytes>(consensus::EncodeMessage(m));
    std::shared_ptr<const Bytes> alt;
    if (inst.behavior == Behavior::kEquivocator && std::holds_alternative<Proposal>(m)) {
      Proposal p = std::get<Proposal>(m);
      p.block.payload.push_back(0xEE);
      p.block.header.payload_hash = PayloadHash(kChainId, p.block.payload);
      // After a timeout the leader may also fork away from the highest QC: extend the parent's
      // parent instead. Only the TC vote rule stops honest replicas from voting for it.
      auto parent = block_store_.find(p.block.header.parent_hash);
      if (p.block.tc && parent != block_store_.end() && parent->second->header.height > 0) {
        const Block& pb = *parent->second;
        auto grand = block_store_.find(pb.header.parent_hash);
        uint64_t grand_height = grand == block_store_.end() ? 0 : grand->second->header.height;
        if (grand != block_store_.end() || pb.justify.block_hash == genesis_hash_) {
          p.block.header.parent_hash = pb.justify.block_hash;
          p.block.header.height = grand_height + 1;
          p.block.justify = pb.justify;
        }
      }
      p.sig = inst.signer->Sign(
          consensus::ProposalMessage(kChainId, p.block.header.round, p.block.Hash(kChainId)));
      Remember(p);
      alt = std::make_shared<const Bytes>(consensus::EncodeMessage(p));
    }
    for (uint32_t v = 0; v < cfg_.validators; ++v) {
      if (v == inst.index) continue;
      SendBytes(i, v, alt && v % 2 == 1 ? alt : bytes, t);
    }
  }

  void SendBytes(uint32_t i, uint32_t to, std::shared_ptr<const Bytes> bytes, uint64_t t) {
    Instance& inst = *instances_[i];
    if (inst.behavior == Behavior::kGarbage && rng_.ChancePpm(300000)) {
      Bytes junk(rng_.Between(1, 200));
      for (auto& b : junk) b = static_cast<uint8_t>(rng_.Next());
      if (rng_.ChancePpm(500000) && !bytes->empty()) {
        junk = *bytes;  // a corrupted copy of the real message
        junk[rng_.Below(junk.size())] ^= static_cast<uint8_t>(1 + rng_.Below(255));
      }
      Deliver(i, to, std::make_shared<const Bytes>(std::move(junk)), t);
    }
    Deliver(i, to, std::move(bytes), t);
  }

  bool Reachable(uint32_t a, uint32_t b, uint64_t t_us) const {
    for (const Partition& p : cfg_.partitions) {
      if (t_us >= p.start_ms * 1000 && t_us < p.end_ms * 1000 && a < p.group.size() &&
          b < p.group.size() && p.group[a] != p.group[b]) {
        return false;
      }
    }
    return true;
  }

  void Deliver(uint32_t i, uint32_t to, std::shared_ptr<const Bytes> bytes, uint64_t t) {
    ++result_.messages;
    result_.message_bytes += bytes->size();
    if (cfg_.bandwidth_mbps) {
      // Mbit/s is bits per microsecond: the message occupies the uplink for bits / rate.
      Instance& sender = *instances_[i];
      uint64_t on_wire = (bytes->size() * 8 + cfg_.bandwidth_mbps - 1) / cfg_.bandwidth_mbps;
      t = std::max(t, sender.uplink_free_us) + on_wire;
      sender.uplink_free_us = t;
    }
    for (uint32_t j = 0; j < instances_.size(); ++j) {
      if (j == i || instances_[j]->index != to) continue;
      if (!Reachable(i, j, t) || (cfg_.loss_ppm && rng_.ChancePpm(cfg_.loss_ppm))) continue;
      uint64_t delay = cfg_.latency_ms * 1000 + rng_.Below(cfg_.jitter_ms * 1000 + 1);
      Push({.t_us = t + delay,
            .type = EventType::kDeliver,
            .target = j,
            .from = instances_[i]->index,
            .bytes = bytes});
    }
  }

  void OnCommit(uint32_t i, const std::vector<Block>& blocks, uint64_t t_us) {
    Instance& inst = *instances_[i];
    for (const Block& b : blocks) {
      Hash256 h = b.Hash(kChainId);
      if (IsHonest(i) && !result_.fork) CheckCommit(i, inst, b, h, t_us);
      inst.last_committed = b;
    }
    if (IsHonest(i) && cfg_.target_commits &&
        inst.last_committed.header.height >= cfg_.target_commits &&
        reached_target_.insert(i).second) {
      size_t waiting = 0;  // honest instances that are up and not there yet
      for (uint32_t j = 0; j < instances_.size(); ++j) {
        if (IsHonest(j) && instances_[j]->up && !reached_target_.count(j)) ++waiting;
      }
      stop_ = waiting == 0;
    }
  }

  // The safety checker: every honest instance commits consecutive heights, each block extending
  // the previous one, and no two honest instances commit different blocks at one height.
  void CheckCommit(uint32_t i, const Instance& inst, const Block& b, const Hash256& h,
                   uint64_t t_us) {
    const Block& prev = inst.last_committed;
    if (b.header.height != prev.header.height + 1 || b.header.parent_hash != prev.Hash(kChainId)) {
      Violation(fmt::format("instance {} committed height {} after height {} without extending it",
                            i, b.header.height, prev.header.height));
      return;
    }
    auto [it, fresh] = canonical_.emplace(b.header.height, h);
    if (!fresh && it->second != h) {
      Violation(
          fmt::format("fork at height {}: instance {} committed {} but another honest "
                      "instance committed {}",
                      b.header.height, i, h.Hex().substr(0, 16), it->second.Hex().substr(0, 16)));
      return;
    }
    result_.commit_latency_ms.push_back(t_us / 1000 - std::min(t_us / 1000, b.header.time_ms));
  }

  void Violation(std::string what) {
    result_.fork = true;
    result_.violation = fmt::format("seed {}: {}", cfg_.seed, what);
  }

  void AccumulateStats(Instance& inst) {
    if (!inst.replica) return;
    const auto& s = inst.replica->stats();
    inst.stats_before_crash.qcs_formed += s.qcs_formed;
    inst.stats_before_crash.tcs_formed += s.tcs_formed;
    for (size_t k = 0; k < static_cast<size_t>(consensus::DropReason::kCount); ++k) {
      inst.stats_before_crash.dropped[k] += s.dropped[k];
    }
    inst.evidence_before_crash += inst.replica->evidence().size();
  }

  SimResult Finish() {
    result_.end_time_ms = now_us_ / 1000;
    bool first = true;
    for (uint32_t i = 0; i < instances_.size(); ++i) {
      Instance& inst = *instances_[i];
      AccumulateStats(inst);
      result_.dropped_inputs += inst.stats_before_crash.TotalDropped();
      result_.evidence += inst.evidence_before_crash;
      result_.qcs += inst.stats_before_crash.qcs_formed;
      result_.tcs += inst.stats_before_crash.tcs_formed;
      if (IsHonest(i) && inst.replica) {
        result_.max_round = std::max(result_.max_round, inst.replica->current_round());
      }
      if (IsHonest(i)) {
        result_.view_changes = std::max(result_.view_changes, inst.stats_before_crash.tcs_formed);
      }
      inst.replica.reset();                    // stats are counted once
      if (!IsHonest(i) || !inst.up) continue;  // a replica still down cannot make progress
      uint64_t h = inst.last_committed.header.height;
      uint64_t after = h - std::min(h, inst.height_at_heal);
      if (first) {
        result_.min_honest_height = h;
        result_.commits_after_heal = after;
        first = false;
      }
      result_.min_honest_height = std::min(result_.min_honest_height, h);
      result_.max_honest_height = std::max(result_.max_honest_height, h);
      result_.commits_after_heal = std::min(result_.commits_after_heal, after);
    }
    return result_;
  }

  const SimConfig& cfg_;
  Rng rng_;
  ValidatorSet validators_;
  Block genesis_;
  Hash256 genesis_hash_;
  FakeVerifier fake_verifier_;
  SignatureVerifier* base_verifier_ = nullptr;
  AcceptAll accept_all_;
  std::vector<std::unique_ptr<Instance>> instances_;
  std::priority_queue<Event, std::vector<Event>, Later> queue_;
  uint64_t next_seq_ = 0;
  uint64_t now_us_ = 0;
  bool stop_ = false;
  std::set<uint32_t> reached_target_;
  std::map<uint64_t, Hash256> canonical_;
  std::map<Hash256, std::shared_ptr<const Block>> block_store_;
  SimResult result_;
};

}  // namespace

const char* BehaviorName(Behavior b) {
  static const char* const kNames[] = {"honest", "equivocator", "withholder", "garbage", "twin"};
  return kNames[static_cast<size_t>(b)];
}

double SimResult::RoundsPerCommit() const {
  return max_honest_height ? static_cast<double>(max_round) / max_honest_height : 0.0;
}
double SimResult::MessagesPerBlock() const {
  return max_honest_height ? static_cast<double>(messages) / max_honest_height : 0.0;
}
uint64_t SimResult::LatencyPercentile(double p) const {
  if (commit_latency_ms.empty()) return 0;
  std::vector<uint64_t> v = commit_latency_ms;
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(p * (v.size() - 1));
  return v[k];
}
std::string SimResult::Summary() const {
  return fmt::format(
      "{}height {}..{} round {} | {:.3f} rounds/commit, {:.1f} msgs/block, latency p50 {} ms "
      "p99 {} ms | qcs {} tcs {} dropped {} decode_errors {} evidence {} | {} events, {} ms "
      "virtual",
      fork ? "FORK " + violation + " | " : "", min_honest_height, max_honest_height, max_round,
      RoundsPerCommit(), MessagesPerBlock(), LatencyPercentile(0.5), LatencyPercentile(0.99), qcs,
      tcs, dropped_inputs, decode_errors, evidence, events, end_time_ms);
}

SimResult RunSimulation(const SimConfig& config) { return Simulation(config).Run(); }

}  // namespace metaledger::sim
