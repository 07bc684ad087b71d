#include "sim/scenario/scenario_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>

#include "contracts/params.h"
#include "contracts/queries.h"
#include "core/payload/ids.h"
#include "core/payload/payloads.h"
#include "sim/rng.h"
#include "sim/scenario/fl_player.h"
#include "sim/scenario/ledger.h"
#include "sim/scenario/tx_sink.h"

namespace metaledger::sim {
namespace {

constexpr uint64_t kGenesisTimeMs = 1'700'000'000'000;
constexpr uint64_t kDeliveryBlocks = 6;  // after reveal: register, deliver, accept, slack

struct Uav {
  size_t op = 0;  // index into ops_
  Party party;
  uint64_t cost = 0;
};

struct Dataset {
  Hash256 id;
  size_t uav = 0;
  uint64_t cell = 0, generation_ts = 0, registered_h = 0;
};

struct Twin {
  size_t vsp = 0;
  TwinSpec spec;
  Hash256 id;
  uint64_t attempts = 0;
  uint64_t freshest_used_ts = 0;
};

struct Auction {
  size_t vsp = 0;
  Hash256 id;
  PostTaskPayload terms;  // deadlines in chain heights
  uint64_t commit_end_step = 0, reveal_end_step = 0;
  std::map<size_t, size_t> bid_uav_by_op;  // operator -> the UAV it bid with
  std::map<size_t, Hash256> salt_by_op;
  AuctionOutcome outcome;
};

class Runner final : public TxSink {
 public:
  Runner(const ScenarioSpec& spec, uint64_t seed, Ledger& ledger)
      : spec_(spec), seed_(seed), rng_(seed), ledger_(ledger) {}

  // The scenario's genesis: every party's account, funded and with its roles.
  const Genesis& genesis() const { return genesis_; }

  // Builds the parties and the genesis from the spec and the seed (no ledger involved).
  Status Setup() { return SetupGenesis(); }

  Result<ScenarioReport> Run() {
    ML_RETURN_IF_ERROR(Open());
    report_.name = spec_.name;
    report_.seed = seed_;
    auto t0 = std::chrono::steady_clock::now();
    for (uint64_t h = 1; h <= spec_.schedule.blocks; ++h) {
      height_ = h;
      ML_ASSIGN_OR_RETURN(time_ms_, ledger_.BeginStep(h));
      ML_RETURN_IF_ERROR(Plan(h));
      ML_RETURN_IF_ERROR(ExecuteBlock());
      if (h % spec_.schedule.aoi_sample_every_blocks == 0) ML_RETURN_IF_ERROR(SampleTwins());
      ML_RETURN_IF_ERROR(ledger_.health());
    }
    report_.wall_us = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count());
    report_.blocks = spec_.schedule.blocks;
    report_.virtual_ms = spec_.schedule.blocks * spec_.schedule.block_time_ms;
    ML_RETURN_IF_ERROR(Finish());
    ML_RETURN_IF_ERROR(ledger_.health());
    return std::move(report_);
  }

 private:
  Party MakeParty(const std::string& name, uint64_t balance) {
    Hash256 seed = Sha256(fmt::format("metaledger-scenario/{}/{}", seed_, name));
    PrivateKey key = *PrivateKey::FromSeed(seed.view());
    return {name, key, AddressOf(key.public_key()), balance};
  }

  static GenesisAccount Account(const Party& p, std::vector<std::string> roles) {
    GenesisAccount a;
    a.name = p.name;
    a.key = p.key.public_key();
    a.balance = p.initial_balance;
    a.roles = std::move(roles);
    return a;
  }

  Status SetupGenesis() {
    Genesis& g = genesis_;
    g.chain_id = spec_.chain_id;
    g.genesis_time_ms = kGenesisTimeMs;
    g.params = spec_.params;
    std::vector<Validator> validators;
    for (uint32_t i = 0; i < spec_.operators; ++i) {
      operators_.push_back(MakeParty(fmt::format("operator{}", i), 0));
      validators.push_back({operators_.back().name, operators_.back().key.public_key(), ""});
      g.accounts.push_back(Account(operators_.back(), {"MEMBER", "VALIDATOR"}));
    }
    g.validators = ValidatorSet(std::move(validators));
    for (const VspSpec& v : spec_.vsps) {
      vsps_.push_back(MakeParty(v.name, v.balance));
      g.accounts.push_back(Account(vsps_.back(), {"VSP", "TWIN_OPERATOR"}));
    }
    const UavFleetSpec& f = spec_.uavs;
    for (uint32_t o = 0; o < f.operators; ++o) {
      ops_.push_back(MakeParty(fmt::format("uav-operator{}", o), f.operator_balance));
      g.accounts.push_back(Account(ops_.back(), {"UAV_OPERATOR"}));
      for (uint32_t u = 0; u < f.uavs_per_operator; ++u) {
        Uav uav{o, MakeParty(fmt::format("uav{}-{}", o, u), 0),
                f.cost_min + rng_.Below(f.cost_max - f.cost_min + 1)};
        GenesisAccount a = Account(uav.party, {"DEVICE"});
        a.operator_key = ops_.back().key.public_key();
        g.accounts.push_back(a);
        uavs_.push_back(std::move(uav));
      }
    }
    // The FL tasks' aggregator, evaluator committee and clients (see fl_player.h).
    Party aggregator = MakeParty("aggregator", 0);
    g.accounts.push_back(Account(aggregator, {"AGGREGATOR"}));
    std::vector<Party> evaluators;
    for (uint32_t e = 0; e < std::max<uint32_t>(3, spec_.fl.evaluators); ++e) {
      evaluators.push_back(MakeParty(fmt::format("evaluator{}", e), 0));
      g.accounts.push_back(Account(evaluators.back(), {"EVALUATOR"}));
    }
    const char* behaviours[] = {"honest", "free-riding", "poisoning"};
    uint32_t counts[] = {spec_.fl.honest, spec_.fl.free_riding, spec_.fl.poisoning};
    std::vector<FlClient> clients;
    for (int b = 0; b < 3; ++b) {
      for (uint32_t i = 0; i < counts[b]; ++i) {
        Party p = MakeParty(fmt::format("fl-{}{}", behaviours[b], i), 0);
        g.accounts.push_back(Account(p, {"FL_CLIENT"}));
        clients.push_back({std::move(p), static_cast<FlBehaviour>(b)});
      }
    }
    fl_ = std::make_unique<FlPlayer>(spec_.fl, spec_.chain_id, seed_, spec_.schedule.blocks, *this,
                                     std::move(aggregator), std::move(evaluators),
                                     std::move(clients));
    ML_RETURN_IF_ERROR(g.Validate());
    // The planner counts block windows in steps: the genesis parameters are in steps.
    ML_ASSIGN_OR_RETURN(params_, contracts::ChainParams::FromGenesis(g));
    for (size_t v = 0; v < spec_.vsps.size(); ++v) {
      for (const TwinSpec& t : spec_.vsps[v].twins) {
        twins_.push_back({v, t, Sha256(fmt::format("{}/twin/{}", spec_.chain_id, t.name)), 0, 0});
      }
    }
    return Status::Ok();
  }

  // The ledger at the scenario's genesis; nonces and starting balances as the ledger has them
  // (a live chain's accounts may have sent transactions before).
  Status Open() {
    ML_RETURN_IF_ERROR(ledger_.Open(genesis_, operators_));
    ML_ASSIGN_OR_RETURN(time_ms_, ledger_.BeginStep(0));
    for (const GenesisAccount& a : genesis_.accounts) {
      ML_ASSIGN_OR_RETURN(auto view, contracts::QueryAccount(state(), AddressOf(a.key)));
      if (view) nonces_[AddressOf(a.key)] = view->account.nonce;
    }
    for (std::vector<Party>* parties : {&ops_, &vsps_}) {
      for (Party& p : *parties) p.initial_balance = Balance(p.addr) + Claimable(p.addr);
    }
    ML_ASSIGN_OR_RETURN(contracts::SupplyRecord supply, contracts::QuerySupply(state()));
    genesis_supply_ = supply.total;
    return ledger_.health();
  }

  const StateView& state() const { return ledger_.state(); }
  const std::string& ChainId() const override { return spec_.chain_id; }
  uint64_t ChainHeight(uint64_t step) const override { return ledger_.ChainHeight(step); }
  uint64_t TakeNonce(const Address& sender) override { return nonces_[sender]++; }
  void Enqueue(Transaction tx, OnResult on_result) override {
    pending_.push_back(std::move(tx));
    callbacks_.push_back(std::move(on_result));
  }

  Hash256 PoolId(size_t v) const {
    return Sha256(fmt::format("{}/pool/{}", spec_.chain_id, spec_.vsps[v].name));
  }
  // Twins run on the twin FL task's head: the genesis model, then each approved round's.
  Hash256 TwinModel() const {
    auto task = contracts::QueryFlTask(state(), fl_->twin_task());
    return task.ok() && *task ? (*task)->head_model : Hash256{};
  }

  // Decides what everyone sends in block h (whose time is time_ms_).
  Status Plan(uint64_t h) {
    if (h == 1) PlanSetupTransactions();
    if (h == 2) {
      for (size_t v = 0; v < vsps_.size(); ++v) {
        if (spec_.vsps[v].pool_funding) {
          Submit(vsps_[v], FundPoolPayload{PoolId(v), spec_.vsps[v].pool_funding},
                 [this](ErrorCode c) {
                   if (c == ErrorCode::OK) pools_funded_ok_ = true;
                 });
        }
      }
      for (size_t v = 0; v < vsps_.size(); ++v) report_.pools_funded += spec_.vsps[v].pool_funding;
    }
    ML_RETURN_IF_ERROR(fl_->Plan(h, state()));
    for (auto& fn : later_[h]) fn();
    later_.erase(h);
    PlanSensing(h);
    if (h > 2 && h % spec_.schedule.twin_sync_every_blocks == 0) {
      for (size_t t = 0; t < twins_.size(); ++t) PlanTwinSync(t);
    }
    for (size_t v = 0; v < vsps_.size(); ++v) {
      const VspSpec& vs = spec_.vsps[v];
      if (vs.auction_every_blocks && h >= 3 && (h - 3) % vs.auction_every_blocks == 0 &&
          h + 2 * (params_.MIN_COMMIT_BLOCKS + params_.MIN_REVEAL_BLOCKS) + kDeliveryBlocks + 8 <=
              spec_.schedule.blocks) {
        PlanAuction(v);
      }
    }
    return Status::Ok();
  }

  void PlanSetupTransactions() {
    fl_->PlanSetup(vsps_.front(), vsps_.back(), [this](std::string what) { return Expect(what); });
    for (size_t v = 0; v < vsps_.size(); ++v) {
      Submit(vsps_[v], CreatePoolPayload{PoolId(v)}, Expect("CREATE_POOL"));
    }
    for (const Twin& t : twins_) {
      RegisterTwinPayload p;
      p.twin_id = t.id;
      p.twin_class = TwinClassId(t.spec.twin_class);
      p.cells = t.spec.cells;
      p.max_aoi_ms = t.spec.max_aoi_ms;
      p.model_family = ModelFamily::TWIN;
      p.operators = {vsps_[t.vsp].addr};
      Submit(vsps_[t.vsp], p, Expect("REGISTER_TWIN"));
    }
  }

  static uint32_t TwinClassId(const std::string& name) {
    if (name == "base_station") return 1;
    if (name == "channel") return 2;
    if (name == "factory") return 3;
    return 0;
  }

  // A setup step that must succeed: a refusal makes the run fail with the code's name.
  OnResult Expect(std::string what) {
    return [this, what](ErrorCode c) {
      if (c != ErrorCode::OK && setup_error_.empty()) {
        setup_error_ = fmt::format("scenario setup: {} refused with {} at height {}", what,
                                   ToString(c), height_);
      }
    };
  }

  // Registers one dataset of `uav` in `cell`, captured `delay_ms` before this block; `then`
  // receives the dataset once the block accepted it.
  void RegisterData(size_t u, uint64_t cell, uint64_t delay_ms, const Hash256* parent,
                    std::function<void(const Dataset&)> then) {
    const Uav& uav = uavs_[u];
    RegisterDatasetPayload p;
    p.content_root = Sha256(
        fmt::format("{}/{}/{}/{}", uav.party.name, height_, cell, parent ? parent->Hex() : "raw"));
    p.byte_len = 1 << 20;
    p.media_type = "application/x-sensing";
    p.schema_hash = Sha256(std::string("sensing-schema-v1"));
    p.collector = uav.party.addr;
    p.generation_ts_ms = time_ms_ - delay_ms;
    p.cells = {cell};
    p.device_sig = uav.party.key.Sign(
        DeviceSigningHash(spec_.chain_id, p.content_root, p.generation_ts_ms, p.cells).view());
    if (parent) p.parents = {*parent};
    p.derivation = parent ? Derivation::CLEANED : Derivation::RAW;
    p.licence_id = 1;
    p.consent_ref = Sha256(fmt::format("consent/{}", ops_[uav.op].name));
    p.purposes = kAllPurposes;
    Dataset d{DataId(spec_.chain_id, p.content_root, ops_[uav.op].addr), u, cell,
              p.generation_ts_ms, height_};
    bool derived = parent != nullptr;
    Submit(ops_[uav.op], p, [this, d, derived, then](ErrorCode c) {
      if (c != ErrorCode::OK) return;
      ++(derived ? report_.derived_datasets : report_.datasets);
      datasets_.push_back(d);
      if (then) then(d);
    });
  }

  void PlanSensing(uint64_t h) {
    const UavFleetSpec& f = spec_.uavs;
    if (h < 3) return;
    for (size_t u = 0; u < uavs_.size(); ++u) {
      if ((h + u) % f.sense_every_blocks != 0) continue;
      uint64_t cell = f.cells[rng_.Below(f.cells.size())];
      uint64_t delay = f.capture_delay_ms_max ? rng_.Below(f.capture_delay_ms_max + 1) : 0;
      size_t v = u % vsps_.size();
      RegisterData(u, cell, delay, nullptr, [this, v](const Dataset& d) {
        // Next block: the operator offers it to a VSP's sensing pool; sometimes it is also
        // cleaned, a derived dataset with the raw one as its parent.
        uint64_t slot = height_ / spec_.uavs.sense_every_blocks;
        later_[height_ + 1].push_back([this, d, v, slot] {
          Submit(ops_[uavs_[d.uav].op], RegisterSensingPayload{d.id, PoolId(v), d.cell, slot},
                 [this](ErrorCode c) {
                   if (c == ErrorCode::OK) ++report_.sensing_records;
                 });
          if (spec_.schedule.lineage_every &&
              report_.datasets % spec_.schedule.lineage_every == 0) {
            RegisterData(d.uav, d.cell, time_ms_ - d.generation_ts, &d.id, nullptr);
          }
        });
      });
    }
  }

  // The freshest dataset in the twin's cells (optionally: the stalest one, to test the gate).
  const Dataset* PickInput(const Twin& t, bool stale) const {
    const Dataset* best = nullptr;
    for (const Dataset& d : datasets_) {
      if (!std::binary_search(t.spec.cells.begin(), t.spec.cells.end(), d.cell)) continue;
      if (!best ||
          (stale ? d.generation_ts < best->generation_ts : d.generation_ts > best->generation_ts)) {
        best = &d;
      }
    }
    return best;
  }

  void PlanTwinSync(size_t ti) {
    Twin& t = twins_[ti];
    bool stale =
        spec_.schedule.stale_sync_every && (t.attempts + 1) % spec_.schedule.stale_sync_every == 0;
    const Dataset* input = PickInput(t, stale);
    if (!input) return;
    if (!stale && input->generation_ts <= t.freshest_used_ts) return;  // nothing new to sync
    ++t.attempts;
    auto view = contracts::QueryTwin(state(), t.id, time_ms_);
    if (!view.ok() || !*view) return;
    TwinUpdatePayload p;
    p.twin_id = t.id;
    p.seq = (*view)->twin.head_seq + 1;
    p.prev_state_hash = (*view)->twin.head_state_hash;
    p.new_state_hash = Sha256(fmt::format("{}/state/{}", t.spec.name, p.seq));
    p.model_id = TwinModel();
    p.inputs = {input->id};
    Dataset used = *input;
    uint64_t now = time_ms_, h = height_;
    bool input_fresh = now - used.generation_ts <= t.spec.max_aoi_ms &&
                       used.registered_h + params_.MAX_AOI_BLOCKS >= h;
    Submit(vsps_[t.vsp], p, [this, ti, stale, used, input_fresh](ErrorCode c) {
      Twin& tw = twins_[ti];
      if (c == ErrorCode::OK) {
        ++report_.twin_updates_accepted;
        if (stale) ++report_.stale_updates_accepted;
        if (!input_fresh) ++report_.accepted_with_stale_input;
        tw.freshest_used_ts = std::max(tw.freshest_used_ts, used.generation_ts);
      } else if (stale) {
        ++report_.stale_updates_refused;
      }
    });
  }

  void PlanAuction(size_t v) {
    const VspSpec& vs = spec_.vsps[v];
    auto a = std::make_shared<Auction>();
    a->vsp = v;
    PostTaskPayload& t = a->terms;
    t.cells = vs.auction_cells;
    t.window_start_ms = time_ms_;
    a->commit_end_step = height_ + params_.MIN_COMMIT_BLOCKS;
    a->reveal_end_step = a->commit_end_step + params_.MIN_REVEAL_BLOCKS;
    uint64_t delivery_end_step = a->reveal_end_step + kDeliveryBlocks;
    t.commit_end_h = ChainHeight(a->commit_end_step);
    t.reveal_end_h = ChainHeight(a->reveal_end_step);
    t.delivery_end_h = ChainHeight(delivery_end_step);
    t.window_end_ms = time_ms_ + (delivery_end_step - height_ + 1) * ledger_.MsPerStepBound();
    t.max_aoi_ms = vs.auction_max_aoi_ms;
    t.k = vs.auction_k;
    t.reserve = vs.auction_reserve;
    t.bid_bond = vs.auction_reserve;
    t.accept_window_blocks = ledger_.Blocks(2);
    t.spec_hash = Sha256(fmt::format("{}/auction/{}", vs.name, height_));
    a->id = AuctionTaskId(spec_.chain_id, vsps_[v].addr, nonces_[vsps_[v].addr]);
    a->outcome.vsp = vs.name;
    a->outcome.posted_h = ChainHeight(height_);
    a->outcome.k = t.k;
    a->outcome.reserve = t.reserve;
    Submit(vsps_[v], t, [this, a](ErrorCode c) {
      if (c != ErrorCode::OK) return;
      later_[height_ + 1].push_back([this, a] { PlanBids(a); });
    });
  }

  // Each UAV operator bids its cheapest UAV's true cost (truthful is dominant in a (K+1)-th
  // price auction) unless that cost is above the reserve (it would lose money).
  void PlanBids(std::shared_ptr<Auction> a) {
    for (size_t o = 0; o < ops_.size(); ++o) {
      size_t best = SIZE_MAX;
      for (size_t u = 0; u < uavs_.size(); ++u) {
        if (uavs_[u].op == o && (best == SIZE_MAX || uavs_[u].cost < uavs_[best].cost)) best = u;
      }
      if (best == SIZE_MAX || uavs_[best].cost > a->terms.reserve) continue;
      Hash256 salt = Sha256(fmt::format("salt/{}/{}/{}", seed_, a->id.Hex(), o));
      a->bid_uav_by_op[o] = best;
      a->salt_by_op[o] = salt;
      Submit(ops_[o],
             CommitBidPayload{a->id, uavs_[best].party.addr,
                              BidCommitment(spec_.chain_id, a->id, ops_[o].addr,
                                            uavs_[best].party.addr, uavs_[best].cost, salt)});
    }
    later_[a->commit_end_step + 1].push_back([this, a] {
      for (const auto& [o, u] : a->bid_uav_by_op) {
        Submit(ops_[o],
               RevealBidPayload{a->id, uavs_[u].party.addr, uavs_[u].cost, a->salt_by_op[o]});
      }
    });
    later_[a->reveal_end_step + 2].push_back([this, a] { PlanDeliveries(a); });
  }

  void PlanDeliveries(std::shared_ptr<Auction> a) {
    auto view = contracts::QueryAuction(state(), a->id, ChainHeight(height_));
    if (!view.ok() || !*view) return;
    const auto& task = (*view)->task;
    a->outcome.bids = task.valid_bids;
    a->outcome.price = task.price;
    for (const Address& w : task.winners) {
      for (size_t u = 0; u < uavs_.size(); ++u) {
        if (uavs_[u].party.addr != w) continue;
        a->outcome.winner_costs.push_back(uavs_[u].cost);
        // The winner flies now and delivers fresh data from the task's area.
        RegisterData(u, a->terms.cells[0], 0, nullptr, [this, a, u](const Dataset& d) {
          later_[height_ + 1].push_back([this, a, u, d] {
            Submit(ops_[uavs_[u].op], SubmitDeliveryPayload{a->id, uavs_[u].party.addr, d.id},
                   [this, a, u](ErrorCode c) {
                     if (c != ErrorCode::OK) return;
                     ++a->outcome.delivered;
                     later_[height_ + 1].push_back([this, a, u] {
                       Submit(vsps_[a->vsp], AcceptDeliveryPayload{a->id, uavs_[u].party.addr},
                              [a](ErrorCode c2) {
                                if (c2 == ErrorCode::OK) ++a->outcome.paid;
                              });
                     });
                   });
          });
        });
      }
    }
    auctions_.push_back(a);
  }

  uint64_t Balance(const Address& a) const {
    auto v = contracts::QueryAccount(state(), a);
    return (v.ok() && *v) ? (*v)->account.balance : 0;
  }
  uint64_t Claimable(const Address& a) const {
    auto v = contracts::QueryClaimable(state(), a);
    return v.ok() ? *v : 0;
  }

  Status ExecuteBlock() {
    std::vector<Transaction> txs = std::move(pending_);
    std::vector<OnResult> callbacks = std::move(callbacks_);
    pending_.clear();
    callbacks_.clear();
    report_.txs += txs.size();
    ML_ASSIGN_OR_RETURN(std::vector<ErrorCode> codes, ledger_.Commit(height_, std::move(txs)));
    for (size_t i = 0; i < codes.size(); ++i) {
      ErrorCode c = codes[i];
      if (c == ErrorCode::OK) {
        ++report_.txs_ok;
      } else {
        ++report_.refusals[std::string(ToString(c))];
      }
      if (i < callbacks.size() && callbacks[i]) callbacks[i](c);
    }
    if (!setup_error_.empty()) return Status::FailedPrecondition(setup_error_);
    return Status::Ok();
  }

  Status SampleTwins() {
    if (twins_.empty()) return Status::Ok();
    TwinSample s;
    s.height = ChainHeight(height_);
    uint64_t aoi_sum = 0;
    for (const Twin& t : twins_) {
      ML_ASSIGN_OR_RETURN(auto view, contracts::QueryTwin(state(), t.id, time_ms_));
      if (!view) continue;
      ++s.twins;
      if (view->in_sync) ++s.in_sync;
      // Before its first update a twin has no age; count it as old as the run so far.
      aoi_sum += view->twin.has_input ? view->aoi_ms : time_ms_ - ledger_.start_time_ms();
    }
    if (s.twins) s.mean_aoi_ms = aoi_sum / s.twins;
    report_.twin_aoi.push_back(s);
    return Status::Ok();
  }

  Status Finish() {
    // VSP spend per auction: the auction's escrow minus refunds is k * price; the contract
    // moves exactly that, so read it off the final task record and check it against K*reserve.
    for (auto& a : auctions_) {
      auto view = contracts::QueryAuction(state(), a->id, ChainHeight(height_));
      if (!view.ok() || !*view) continue;
      uint64_t winners = (*view)->task.winners.size();
      uint64_t refunded_defaults = winners - std::min<uint64_t>(winners, a->outcome.paid);
      a->outcome.vsp_spend = (winners - refunded_defaults) * (*view)->task.price;
      report_.auctions.push_back(a->outcome);
    }
    ClassRewards ops{"UAV operator", ops_.size(), 0};
    for (const Party& p : ops_) {
      ops.net_change += static_cast<int64_t>(Balance(p.addr) + Claimable(p.addr)) -
                        static_cast<int64_t>(p.initial_balance);
    }
    ClassRewards vsps{"VSP", vsps_.size(), 0};
    for (const Party& p : vsps_) {
      vsps.net_change += static_cast<int64_t>(Balance(p.addr) + Claimable(p.addr)) -
                         static_cast<int64_t>(p.initial_balance);
    }
    report_.rewards = {ops, vsps};
    ML_RETURN_IF_ERROR(fl_->Finish(state(), report_));
    for (const FlClassOutcome& c : report_.fl_classes) {
      report_.rewards.push_back({"FL " + c.behaviour, c.clients, static_cast<int64_t>(c.earned)});
    }
    // Sensing pools pay UAV operators (and whoever registered data); FL rewards are separate.
    uint64_t claimable = 0;
    for (const Party& p : ops_) claimable += Claimable(p.addr);
    for (const Party& p : vsps_) claimable += Claimable(p.addr);
    report_.claimable_total = claimable;
    for (size_t v = 0; v < vsps_.size(); ++v) {
      ML_ASSIGN_OR_RETURN(auto pool, contracts::QueryPool(state(), PoolId(v)));
      if (!pool) continue;
      report_.pools_paid += pool->total_paid;
      report_.pools_balance += pool->balance;
    }
    if (!pools_funded_ok_) report_.pools_funded = 0;
    report_.pools_conserve = report_.pools_funded == report_.pools_paid + report_.pools_balance &&
                             report_.pools_paid == report_.claimable_total;
    ML_ASSIGN_OR_RETURN(contracts::SupplyRecord supply, contracts::QuerySupply(state()));
    report_.supply_conserves = supply.total + supply.burned == genesis_supply_ + supply.minted;
    return Status::Ok();
  }

  const ScenarioSpec& spec_;
  uint64_t seed_;
  Rng rng_;
  Ledger& ledger_;
  Genesis genesis_;
  contracts::ChainParams params_;
  uint64_t genesis_supply_ = 0;
  uint64_t height_ = 0, time_ms_ = 0;
  std::vector<Party> operators_, vsps_, ops_;
  std::unique_ptr<FlPlayer> fl_;
  std::vector<Uav> uavs_;
  std::vector<Twin> twins_;
  std::vector<Dataset> datasets_;
  std::vector<std::shared_ptr<Auction>> auctions_;
  bool pools_funded_ok_ = false;
  std::map<Address, uint64_t> nonces_;
  std::vector<Transaction> pending_;
  std::vector<OnResult> callbacks_;
  std::map<uint64_t, std::vector<std::function<void()>>> later_;
  std::string setup_error_;
  ScenarioReport report_;
};

}  // namespace

Result<ScenarioReport> RunScenarioOn(const ScenarioSpec& spec, uint64_t seed, Ledger& ledger) {
  Runner runner(spec, seed, ledger);
  ML_RETURN_IF_ERROR(runner.Setup());
  return runner.Run();
}

Result<ScenarioReport> RunScenario(const ScenarioSpec& spec, uint64_t seed) {
  std::unique_ptr<Ledger> ledger = NewInProcessLedger(spec.schedule.block_time_ms);
  return RunScenarioOn(spec, seed, *ledger);
}

Result<Genesis> ScenarioGenesis(const ScenarioSpec& spec, uint64_t seed) {
  std::unique_ptr<Ledger> unused = NewInProcessLedger(spec.schedule.block_time_ms);
  Runner runner(spec, seed, *unused);
  ML_RETURN_IF_ERROR(runner.Setup());
  return runner.genesis();
}

}  // namespace metaledger::sim
