#include "sim/scenario/live_ledger.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "contracts/checked_math.h"
#include "contracts/params.h"
#include "contracts/queries.h"
#include "core/codec.h"
#include "core/payload/ids.h"
#include "core/payload/payloads.h"

namespace metaledger::sim {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr auto kPollPause = std::chrono::milliseconds(10);

std::string Excerpt(const std::string& body) {
  std::string s = body.substr(0, 300);
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

Result<uint64_t> U64Field(const json& j, const char* name, const std::string& where) {
  if (!j.is_object() || !j.contains(name)) {
    return Status::Corruption(fmt::format("{}: answer has no '{}'", where, name));
  }
  const json& v = j[name];
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_string()) {
    const std::string& t = v.get_ref<const std::string&>();
    uint64_t out = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    if (ec == std::errc() && end == t.data() + t.size()) return out;
  }
  return Status::Corruption(fmt::format("{}: '{}' is not a number", where, name));
}

// GET/POST with the answer as JSON; an unexpected HTTP status is an error naming the route.
class NodeApi {
 public:
  explicit NodeApi(const LiveOptions& o) : http_(o.node, o.request_timeout) {}

  const NodeUrl& url() const { return http_.url(); }

  // {status, JSON body}; Unavailable when the node cannot be reached.
  Result<std::pair<int, json>> Get(const std::string& target) {
    ML_ASSIGN_OR_RETURN(HttpReply r, http_.Get(target));
    return std::pair<int, json>{r.status, json::parse(r.body, nullptr, false)};
  }
  Result<json> GetOk(const std::string& target) {
    ML_ASSIGN_OR_RETURN(HttpReply r, http_.Get(target));
    if (r.status != 200) {
      return Status::Unavailable(
          fmt::format("GET {}{}: HTTP {} {}", url().Text(), target, r.status, Excerpt(r.body)));
    }
    json j = json::parse(r.body, nullptr, false);
    if (j.is_discarded()) {
      return Status::Corruption(fmt::format("GET {}{}: answer is not JSON", url().Text(), target));
    }
    return j;
  }
  Result<HttpReply> PostTx(const Transaction& tx) {
    Bytes raw = Encode(tx);
    return http_.Post("/v1/txs", "application/octet-stream", std::string(raw.begin(), raw.end()));
  }

 private:
  HttpClient http_;
};

// Contract state read through GET /v1/state/{key}?height=H: one height per step, so a step's
// reads are one consistent snapshot (and cached). The first failure is kept for health().
class LiveState final : public StateView {
 public:
  explicit LiveState(NodeApi& api) : api_(api) {}

  void Pin(uint64_t height) {
    height_ = height;
    cache_.clear();
  }
  Result<std::optional<Bytes>> Get(ByteView key) const override {
    Bytes k(key.begin(), key.end());
    if (auto it = cache_.find(k); it != cache_.end()) return it->second;
    auto value = Fetch(k);
    if (!value.ok()) {
      if (error_.ok()) error_ = value.status();
      return value.status();
    }
    cache_[k] = *value;
    return value;
  }
  const Status& error() const { return error_; }

 private:
  Result<std::optional<Bytes>> Fetch(const Bytes& key) const {
    std::string target = fmt::format("/v1/state/{}?height={}", ToHex(key), height_);
    ML_ASSIGN_OR_RETURN(json j, api_.GetOk(target));
    if (!j.is_object() || !j.contains("present") || !j["present"].is_boolean()) {
      return Status::Corruption("GET " + target + ": answer has no 'present'");
    }
    if (!j["present"].get<bool>()) return std::optional<Bytes>();
    if (!j["value"].is_string()) return Status::Corruption("GET " + target + ": no 'value'");
    ML_ASSIGN_OR_RETURN(Bytes value, FromHex(j["value"].get<std::string>()));
    return std::optional<Bytes>(std::move(value));
  }

  NodeApi& api_;
  uint64_t height_ = 0;
  mutable std::map<Bytes, std::optional<Bytes>, BytesLess> cache_;
  mutable Status error_;
};

class LiveLedger final : public Ledger {
 public:
  explicit LiveLedger(const LiveOptions& options)
      : options_(options), api_(options), state_(api_) {}

  Status Open(const Genesis& genesis, const std::vector<Party>& members) override {
    chain_id_ = genesis.chain_id;
    ML_ASSIGN_OR_RETURN(json status, api_.GetOk("/v1/status"));
    std::string chain_id = status.value("chain_id", "");
    if (chain_id != genesis.chain_id) {
      return Status::FailedPrecondition(fmt::format(
          "the testnet at {} runs chain '{}', the scenario signs for '{}' (create it with "
          "`metaledger-node testnet --chain-id {} --accounts ...`)",
          api_.url().Text(), chain_id, genesis.chain_id, genesis.chain_id));
    }
    ML_RETURN_IF_ERROR(PinLatest());
    for (const GenesisAccount& a : genesis.accounts) {
      ML_ASSIGN_OR_RETURN(auto view, contracts::QueryAccount(state_, AddressOf(a.key)));
      bool same_key = view && (!view->account.has_key || view->account.key == a.key);
      if (!view || !same_key) {
        return Status::FailedPrecondition(fmt::format(
            "account '{}' ({}) is not in the testnet's genesis: create the testnet with "
            "`metaledger-node testnet --accounts FILE` where FILE comes from `metaledger-sim "
            "scenario SCENARIO --seed S --export-accounts FILE` with the same scenario and seed",
            a.name, AddressOf(a.key).Hex()));
      }
    }
    return SetParams(genesis, members);
  }

  Result<uint64_t> BeginStep(uint64_t step) override {
    if (step == 0) {
      ML_RETURN_IF_ERROR(PinLatest());
      first_height_ = height_;
      start_time_ms_ = time_ms_;
      return time_ms_;
    }
    uint64_t start = ChainHeight(step - 1);
    auto deadline = Clock::now() + options_.wait_limit;
    for (;;) {
      ML_ASSIGN_OR_RETURN(uint64_t latest, LatestHeight());
      if (latest >= start) break;
      if (Clock::now() > deadline) {
        return Status::Unavailable(fmt::format(
            "the chain at {} stayed at height {} for {} ms (step {} waits for height {})",
            api_.url().Text(), latest, options_.wait_limit.count(), step, start));
      }
      std::this_thread::sleep_for(kPollPause);
    }
    ML_RETURN_IF_ERROR(PinLatest());
    return time_ms_;
  }

  const StateView& state() const override { return state_; }

  Result<std::vector<ErrorCode>> Commit(uint64_t step, std::vector<Transaction> txs) override {
    ML_ASSIGN_OR_RETURN(std::vector<Committed> done, SubmitAndWait(txs, step));
    std::vector<ErrorCode> codes;
    for (const Committed& c : done) {
      if (c.height > ChainHeight(step)) ++late_txs_;
      slowest_commit_ = std::max(slowest_commit_, c.height - ChainHeight(step - 1));
      last_height_ = std::max(last_height_, c.height);
      codes.push_back(c.code);
    }
    return codes;
  }

  uint64_t ChainHeight(uint64_t step) const override {
    return first_height_ + step * options_.blocks_per_step;
  }
  uint64_t Blocks(uint64_t steps) const override { return steps * options_.blocks_per_step; }
  // Idle blocks come every ~50 ms; a step under load stays far below this bound.
  uint64_t MsPerStepBound() const override { return 5'000; }
  uint64_t start_time_ms() const override { return start_time_ms_; }
  Status health() const override { return state_.error(); }

  LiveFigures Figures() const {
    LiveFigures f;
    f.node = api_.url().Text();
    f.first_height = first_height_;
    f.last_height = std::max(last_height_, height_);
    f.blocks_per_step = options_.blocks_per_step;
    f.late_txs = late_txs_;
    f.slowest_commit_blocks = slowest_commit_;
    return f;
  }
  uint64_t last_time_ms() const { return time_ms_; }

 private:
  struct Committed {
    ErrorCode code = ErrorCode::OK;
    uint64_t height = 0;
  };

  Result<uint64_t> LatestHeight() {
    ML_ASSIGN_OR_RETURN(json status, api_.GetOk("/v1/status"));
    return U64Field(status, "latest_height", "GET /v1/status");
  }

  Status PinLatest() {
    ML_ASSIGN_OR_RETURN(height_, LatestHeight());
    std::string target = fmt::format("/v1/blocks/{}", height_);
    ML_ASSIGN_OR_RETURN(json block, api_.GetOk(target));
    if (!block.is_object() || !block.contains("header")) {
      return Status::Corruption("GET " + target + ": answer has no header");
    }
    ML_ASSIGN_OR_RETURN(time_ms_, U64Field(block["header"], "time_ms", "GET " + target));
    state_.Pin(height_);
    return Status::Ok();
  }

  // POSTs every transaction, then polls GET /v1/txs/{hash} until each is committed.
  Result<std::vector<Committed>> SubmitAndWait(const std::vector<Transaction>& txs, uint64_t step) {
    auto deadline = Clock::now() + options_.wait_limit;
    for (const Transaction& tx : txs) {
      for (;;) {
        ML_ASSIGN_OR_RETURN(HttpReply r, api_.PostTx(tx));
        if (r.status == 202 || r.status == 200) break;
        // Already admitted (a POST retried after a dropped connection): wait for it as usual.
        json problem = json::parse(r.body, nullptr, false);
        if (r.status == 400 && problem.is_object() && problem.value("code", "") == "DUPLICATE") {
          break;
        }
        // A full mempool is back-pressure: wait for blocks to drain it.
        if (r.status == 503 && Clock::now() < deadline) {
          std::this_thread::sleep_for(kPollPause * 5);
          continue;
        }
        return Status::FailedPrecondition(fmt::format(
            "the node at {} refused a transaction from {} (nonce {}): HTTP {} {}",
            api_.url().Text(), AddressOf(tx.sender).Hex(), tx.nonce, r.status, Excerpt(r.body)));
      }
    }
    std::vector<Committed> done(txs.size());
    size_t next = 0;  // txs before `next` are committed
    while (next < txs.size()) {
      std::string target = "/v1/txs/" + txs[next].Hash().Hex();
      ML_ASSIGN_OR_RETURN(auto reply, api_.Get(target));
      auto& [status, body] = reply;
      if (status == 200) {
        ML_ASSIGN_OR_RETURN(done[next].height, U64Field(body, "height", "GET " + target));
        if (!body.contains("result")) {
          return Status::Corruption("GET " + target + ": committed without a result");
        }
        ML_ASSIGN_OR_RETURN(uint64_t code, U64Field(body["result"], "code", "GET " + target));
        done[next].code = static_cast<ErrorCode>(code);
        ++next;
        continue;
      }
      if (status != 404) {
        return Status::Unavailable(fmt::format("GET {}{}: HTTP {} {}", api_.url().Text(), target,
                                               status, body.dump().substr(0, 300)));
      }
      if (Clock::now() > deadline) {
        return Status::Unavailable(fmt::format(
            "{} of {} transactions of step {} not committed within {} ms at {} (is the testnet "
            "making blocks?)",
            txs.size() - next, txs.size(), step, options_.wait_limit.count(), api_.url().Text()));
      }
      std::this_thread::sleep_for(kPollPause);
    }
    return done;
  }

  // Block-count parameters times W, the others as the genesis says; set by SET_PARAM proposals
  // of the first operator and yes votes of the next ones until two thirds of the members agree.
  Status SetParams(const Genesis& genesis, const std::vector<Party>& members) {
    ML_ASSIGN_OR_RETURN(contracts::ChainParams want,
                        ParamsInBlocks(genesis, options_.blocks_per_step));
    ML_ASSIGN_OR_RETURN(contracts::ChainParams have, contracts::ChainParams::Load(state_));
    if (have == want) return Status::Ok();
    if (members.empty()) return Status::FailedPrecondition("no members to set chain parameters");
    const Party& proposer = members.front();
    ML_ASSIGN_OR_RETURN(auto account, contracts::QueryAccount(state_, proposer.addr));
    uint64_t nonce = account ? account->account.nonce : 0;
    std::vector<Transaction> proposals;
    std::vector<Hash256> ids;
    for (const auto& f : contracts::ChainParams::Fields()) {
      if (have.*f.member == want.*f.member) continue;
      GovAction action;
      action.type = GovActionType::SET_PARAM;
      action.param_name = std::string(f.name);
      action.value = want.*f.member;
      ids.push_back(ProposalId(chain_id_, proposer.addr, nonce));
      proposals.push_back(Sign(proposer, nonce++, ProposePayload{action}));
    }
    ML_RETURN_IF_ERROR(CommitAllOk(proposals, "SET_PARAM proposal"));
    ML_RETURN_IF_ERROR(PinLatest());
    std::vector<Transaction> votes;
    for (const Hash256& id : ids) {
      ML_ASSIGN_OR_RETURN(auto proposal, contracts::QueryProposal(state_, id));
      if (!proposal) return Status::Internal("a committed proposal is missing");
      uint64_t needed = contracts::TwoThirdsCeil(proposal->members);
      if (proposal->yes >= needed) continue;
      if (needed > members.size()) {
        return Status::FailedPrecondition(fmt::format(
            "the chain has {} members but the scenario only {} operators: its parameters "
            "cannot be set (create the testnet with --accounts from --export-accounts)",
            proposal->members, members.size()));
      }
      for (size_t m = 1; m < needed; ++m) {
        ML_ASSIGN_OR_RETURN(auto acct, contracts::QueryAccount(state_, members[m].addr));
        uint64_t n = (acct ? acct->account.nonce : 0) + vote_nonces_[members[m].addr]++;
        votes.push_back(Sign(members[m], n, VotePayload{id, true}));
      }
    }
    ML_RETURN_IF_ERROR(CommitAllOk(votes, "SET_PARAM vote"));
    ML_RETURN_IF_ERROR(PinLatest());
    ML_ASSIGN_OR_RETURN(have, contracts::ChainParams::Load(state_));
    if (have != want) {
      return Status::FailedPrecondition("governance did not set the chain parameters");
    }
    return Status::Ok();
  }

  template <typename P>
  Transaction Sign(const Party& from, uint64_t nonce, const P& payload) const {
    Transaction tx = BuildTransaction(chain_id_, from.key.public_key(), nonce, payload);
    tx.Sign(from.key);
    return tx;
  }

  Status CommitAllOk(const std::vector<Transaction>& txs, const char* what) {
    ML_ASSIGN_OR_RETURN(std::vector<Committed> done, SubmitAndWait(txs, 0));
    for (const Committed& c : done) {
      if (c.code != ErrorCode::OK) {
        return Status::FailedPrecondition(
            fmt::format("setting chain parameters: {} refused with {}", what, ToString(c.code)));
      }
    }
    return Status::Ok();
  }

  LiveOptions options_;
  NodeApi api_;
  LiveState state_;
  std::string chain_id_;
  uint64_t height_ = 0, time_ms_ = 0;
  uint64_t first_height_ = 0, last_height_ = 0, start_time_ms_ = 0;
  uint64_t late_txs_ = 0, slowest_commit_ = 0;
  std::map<Address, uint64_t> vote_nonces_;
};

}  // namespace

Result<ScenarioReport> RunScenarioLive(const ScenarioSpec& spec, uint64_t seed,
                                       const LiveOptions& options) {
  if (options.blocks_per_step == 0) {
    return Status::InvalidArgument("--blocks-per-step must be at least 1");
  }
  LiveLedger ledger(options);
  auto t0 = Clock::now();
  ML_ASSIGN_OR_RETURN(ScenarioReport report, RunScenarioOn(spec, seed, ledger));
  LiveFigures figures = ledger.Figures();
  figures.wall_us = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count());
  report.blocks = figures.last_height - figures.first_height;
  report.virtual_ms = ledger.last_time_ms() - ledger.start_time_ms();
  report.live = figures;
  return report;
}

Result<std::string> ScenarioAccountsJson(const ScenarioSpec& spec, uint64_t seed) {
  ML_ASSIGN_OR_RETURN(Genesis genesis, ScenarioGenesis(spec, seed));
  json doc = json::parse(genesis.ToJson(), nullptr, false);
  if (doc.is_discarded() || !doc.contains("accounts")) {
    return Status::Internal("genesis JSON has no accounts");
  }
  return doc["accounts"].dump(2) + "\n";
}

}  // namespace metaledger::sim
