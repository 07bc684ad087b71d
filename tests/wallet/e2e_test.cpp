// End to end: the real `metaledger-wallet` binary, run as a subprocess, against a real 4-node
// testnet (`metaledger-node testnet`, 4 processes, REST on 127.0.0.1). Every subcommand runs
// once; outputs are checked against what the ledger then reports, not just exit codes.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/merkle.h"
#include "tests/node/process_harness.h"
#include "wallet/cli.h"

namespace metaledger::wallet {
namespace {

using nlohmann::json;
using node::testing::Eventually;
using node::testing::Http;
using node::testing::ProcessCluster;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string WalletBinary() {
  const char* bin = std::getenv("METALEDGER_BIN");
  return std::string(bin ? bin : "bin") + "/metaledger-wallet";
}

struct WalletRun {
  int code = -1;
  std::string out, err;
  json Json() const { return json::parse(out, nullptr, /*allow_exceptions=*/false); }
};

std::string Slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string Hash(char c) { return std::string(64, c); }

// Accounts of `metaledger-node testnet` that the tests sign with.
const std::vector<std::string> kAccounts = {
    "vsp-1",        "uav-operator-1", "uav-1",       "fl-client-1", "fl-client-2",
    "aggregator-1", "evaluator-1",    "evaluator-2", "evaluator-3", "twin-operator-1",
    "member-0",     "member-1",       "member-2"};

class WalletE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new ProcessCluster("wallet-e2e", 4);
    ASSERT_TRUE(cluster_->ok()) << "`testnet` failed: " << node::testing::NodeBinary();
    cluster_->StartAll();
    home_ = cluster_->dir() / "wallet-home";
    node_url_ = "http://127.0.0.1:" + std::to_string(cluster_->api_port(0));
    ASSERT_TRUE(Eventually([] { return Height() >= 2; }, 60s))
        << "the testnet makes no blocks; node0 log:\n"
        << Slurp(cluster_->dir() / "node0.log").substr(0, 4000);
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  // Runs the wallet with --home, --node and --password-env set (by environment and flag), its
  // stdin on /dev/null and no controlling terminal, so nothing can wait for a prompt.
  static WalletRun Wallet(std::vector<std::string> args, const std::string& node = "") {
    static int counter = 0;
    fs::path out = cluster_->dir() / ("w" + std::to_string(++counter) + ".out");
    fs::path err = cluster_->dir() / ("w" + std::to_string(counter) + ".err");
    args.insert(args.begin(), WalletBinary());
    args.push_back("--password-env");
    args.push_back("ML_TEST_PW");
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setsid();
      ::setenv("METALEDGER_HOME", home_.c_str(), 1);
      ::setenv("METALEDGER_NODE", (node.empty() ? node_url_ : node).c_str(), 1);
      ::setenv("ML_TEST_PW", "e2e password", 1);
      ::unsetenv("METALEDGER_CHAIN_ID");
      int in = ::open("/dev/null", O_RDONLY);
      int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(in, 0);
      ::dup2(o, 1);
      ::dup2(e, 2);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    WalletRun r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
  }
  // A transaction subcommand with --wait and -o json that must commit with result OK.
  static json Commit(std::vector<std::string> args) {
    args.insert(args.end(), {"--wait", "--wait-seconds", "20", "-o", "json"});
    WalletRun r = Wallet(args);
    json j = r.Json();
    EXPECT_EQ(r.code, kExitOk) << args[0] << " " << args[1] << "\n" << r.out << r.err;
    if (!j.is_object()) {
      ADD_FAILURE() << "not one JSON document: " << r.out;
      return json::object();
    }
    EXPECT_EQ(At(j, "/code"), "OK") << r.out;
    EXPECT_EQ(At(j, "/result/name"), "OK") << r.out;
    return j;
  }
  // A query with -o json that must succeed.
  static json Query(std::vector<std::string> args) {
    args.insert(args.begin(), "query");
    args.insert(args.end(), {"-o", "json"});
    WalletRun r = Wallet(args);
    EXPECT_EQ(r.code, kExitOk) << args[1] << "\n" << r.out << r.err;
    json j = r.Json();
    if (!j.is_object()) {
      ADD_FAILURE() << "not a JSON object: " << r.out;
      return json::object();
    }
    return j;
  }
  // A string field by JSON pointer; "" when it is missing.
  static std::string At(const json& j, const char* pointer) {
    json::json_pointer p(pointer);
    if (!j.is_object() || !j.contains(p) || !j.at(p).is_string()) return "";
    return j.at(p).get<std::string>();
  }

  static uint64_t Height() {
    auto r = Http(cluster_->api_port(0), "GET", "/v1/status");
    json j = r.Json();
    if (r.status != 200 || !j.is_object()) return 0;
    return std::stoull(j["latest_height"].get<std::string>());
  }
  static bool WaitHeight(uint64_t h) {
    return Eventually([h] { return Height() >= h; }, 60s);
  }
  static uint64_t NowMs() {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  }
  static std::string Addr(const std::string& name) {
    return AddressOf(cluster_->AccountKey(name).public_key()).Hex();
  }
  static void ImportAccounts() {
    static bool done = false;
    if (done) return;
    for (const std::string& name : kAccounts) {
      fs::path key = cluster_->dir() / "accounts" / (name + ".key");
      WalletRun r = Wallet(
          {"keys", "import", name, "--secret-file", key.string(), "--kdf", "device", "-o", "json"});
      ASSERT_EQ(r.code, kExitOk) << name << ": " << r.err;
      EXPECT_EQ(r.Json()["address"], Addr(name));
    }
    done = true;
  }
  void SetUp() override {
    ASSERT_TRUE(ready_) << "no running testnet";
    ImportAccounts();
  }

  static ProcessCluster* cluster_;
  static bool ready_;
  static fs::path home_;
  static std::string node_url_;
};

ProcessCluster* WalletE2E::cluster_ = nullptr;
bool WalletE2E::ready_ = false;
fs::path WalletE2E::home_;
std::string WalletE2E::node_url_;

// keys, transfer, stake, governance, device registration, offline signing + broadcast +
// inspect, and the account/tx/block/rewards queries.
TEST_F(WalletE2E, KeysTransfersGovernanceAndOfflineSigning) {
  WalletRun list = Wallet({"keys", "list", "-o", "json"});
  ASSERT_EQ(list.code, kExitOk) << list.err;
  EXPECT_EQ(list.Json().size(), kAccounts.size());
  WalletRun show = Wallet({"keys", "show", "vsp-1"});
  EXPECT_NE(show.out.find(Addr("vsp-1")), std::string::npos) << show.out;
  WalletRun exported = Wallet({"keys", "export", "uav-1"});
  EXPECT_EQ(exported.Json()["public_key"], cluster_->AccountKey("uav-1").public_key().Hex());

  // A new key, funded by a transfer; the node reports the balance the wallet sent.
  WalletRun created = Wallet({"keys", "new", "alice", "--kdf", "device", "-o", "json"});
  ASSERT_EQ(created.code, kExitOk) << created.err;
  std::string alice = created.Json()["address"];
  EXPECT_EQ(Wallet({"query", "account", "alice"}).code, kExitNotFound);  // unknown to the ledger
  Commit({"transfer", "--from", "vsp-1", "--to", "alice", "--amount", "1000"});
  json acct = Query({"account", "alice"});
  EXPECT_EQ(acct["balance"], "1000");
  EXPECT_EQ(acct["nonce"], "0");

  // Nonces come from the node (the next expected one), so no --nonce is needed.
  const uint64_t nonce0 = std::stoull(Query({"account", "member-0"})["nonce"].get<std::string>());
  Commit({"stake", "--from", "member-0", "--amount", "500"});
  EXPECT_EQ(Query({"account", "member-0"})["stake"], "500");
  EXPECT_EQ(Query({"account", "member-0"})["nonce"], std::to_string(nonce0 + 1));
  Commit({"unstake", "--from", "member-0", "--amount", "200"});
  json staked = Query({"account", "member-0"});
  EXPECT_EQ(staked["stake"], "300");
  EXPECT_EQ(staked["unbonding"], "200");

  // Governance: member-0 proposes (its own yes), two more members make 3 of 4.
  json prop = Commit({"gov", "propose", "--from", "member-0", "--action", "grant-role", "--target",
                      "alice", "--roles", "FL_CLIENT"});
  ASSERT_TRUE(prop.contains("proposal_id")) << prop.dump();
  std::string proposal = prop["proposal_id"];
  EXPECT_EQ(proposal.size(), 64u);
  EXPECT_EQ(Query({"account", "alice"})["roles"], json::array());
  Commit({"gov", "vote", "--from", "member-1", "--proposal-id", proposal});
  Commit({"gov", "vote", "--from", "member-2", "--proposal-id", proposal});
  EXPECT_EQ(Query({"account", "alice"})["roles"], json::array({"FL_CLIENT"}));

  // A device key bound to the UAV operator.
  ASSERT_EQ(Wallet({"keys", "new", "drone-9", "--kdf", "device"}).code, kExitOk);
  Commit({"device", "register", "--from", "uav-operator-1", "--device-key", "drone-9",
          "--device-kind", "uav"});
  json drone = Query({"account", "drone-9"});
  EXPECT_EQ(drone["operator"], Addr("uav-operator-1"));
  EXPECT_EQ(drone["roles"], json::array({"DEVICE"}));
  // Renaming and deleting a key are local: the ledger still knows the address.
  ASSERT_EQ(Wallet({"keys", "rename", "drone-9", "drone-10"}).code, kExitOk);
  EXPECT_EQ(Query({"account", "drone-10"})["operator"], Addr("uav-operator-1"));
  ASSERT_EQ(Wallet({"keys", "delete", "drone-10"}).code, kExitOk);
  EXPECT_EQ(Wallet({"keys", "show", "drone-10"}).code, kExitNotFound);

  // Offline: sign with explicit nonce and chain id, no node; inspect; broadcast; wait.
  std::string nonce = Query({"account", "vsp-1"})["nonce"];
  fs::path file = cluster_->dir() / "offline.tx.json";
  WalletRun off = Wallet(
      {"transfer", "--from", "vsp-1", "--to", alice, "--amount", "25", "--offline", "--nonce",
       nonce, "--chain-id", cluster_->genesis().chain_id, "--out", file.string(), "-o", "json"},
      "http://127.0.0.1:1");  // a node that is not there
  ASSERT_EQ(off.code, kExitOk) << off.err;
  std::string hash = off.Json()["hash"];
  WalletRun inspect = Wallet({"tx", "inspect", file.string()});
  ASSERT_EQ(inspect.code, kExitOk) << inspect.err;
  json d = json::parse(inspect.out);
  EXPECT_EQ(d["kind"], "TRANSFER");
  EXPECT_EQ(d["nonce"], nonce);
  EXPECT_EQ(d["payload"]["amount"], "25");
  EXPECT_EQ(d["signature_valid"], true);
  EXPECT_EQ(Query({"account", "alice"})["balance"], "1000");  // not sent yet
  WalletRun sent = Wallet({"tx", "broadcast", file.string(), "--wait", "-o", "json"});
  ASSERT_EQ(sent.code, kExitOk) << sent.out << sent.err;
  EXPECT_EQ(sent.Json()["code"], "OK");
  EXPECT_EQ(Query({"account", "alice"})["balance"], "1025");
  // The same file again: the node refuses the spent nonce, and the wallet says why.
  WalletRun again = Wallet({"tx", "broadcast", file.string(), "-o", "json"});
  EXPECT_EQ(again.code, kExitRejected) << again.out << again.err;
  EXPECT_FALSE(At(again.Json(), "/error/code").empty()) << again.out;

  json tx = Query({"tx", hash});
  EXPECT_EQ(tx["result"]["name"], "OK");
  EXPECT_EQ(tx["tx"]["sender_address"], Addr("vsp-1"));
  json block = Query({"block", tx["height"].get<std::string>()});
  EXPECT_NE(block.dump().find(hash), std::string::npos) << block.dump();
  json rewards = Query({"rewards", "uav-operator-1"});
  EXPECT_EQ(rewards["address"], Addr("uav-operator-1"));

  // Without --wait the wallet returns once the node admitted the transaction.
  WalletRun quick =
      Wallet({"transfer", "--from", "member-1", "--to", "alice", "--amount", "1", "-o", "json"});
  EXPECT_EQ(quick.code, kExitOk) << quick.err;
  EXPECT_EQ(quick.Json()["submitted"], true);
  EXPECT_EQ(quick.Json()["hash"].get<std::string>().size(), 64u);
  EXPECT_TRUE(Eventually([] { return Query({"account", "alice"})["balance"] == "1026"; }, 20s));
}

// verify proof / verify state on bundles the node serves, and their tampered copies.
TEST_F(WalletE2E, VerifiesRealProofBundlesOffline) {
  json sent = Commit({"transfer", "--from", "member-0", "--to", Addr("member-3"), "--amount", "7"});
  std::string hash = At(sent, "/hash");
  ASSERT_EQ(hash.size(), 64u);
  fs::path genesis = cluster_->dir() / "genesis.json";

  WalletRun fetched = Wallet({"query", "proof", hash});
  ASSERT_EQ(fetched.code, kExitOk) << fetched.err;
  fs::path bundle = cluster_->dir() / "proof.json";
  std::ofstream(bundle) << fetched.out;
  WalletRun ok =
      Wallet({"verify", "proof", bundle.string(), "--genesis", genesis.string(), "-o", "json"});
  ASSERT_EQ(ok.code, kExitOk) << ok.out << ok.err;
  EXPECT_EQ(ok.Json()["verified"], true);
  EXPECT_EQ(ok.Json()["tx_hash"], hash);
  EXPECT_EQ(ok.Json()["height"], sent["height"]);

  json b = json::parse(fetched.out);
  b["cert"]["sigs"][0]["sig"] = Hash('0') + Hash('0');  // a forged signature
  fs::path forged = cluster_->dir() / "forged.json";
  std::ofstream(forged) << b.dump();
  WalletRun bad = Wallet({"verify", "proof", forged.string(), "--genesis", genesis.string()});
  EXPECT_EQ(bad.code, kExitVerifyFailed);
  EXPECT_NE(bad.err.find("cert_signatures"), std::string::npos) << bad.err;

  // State: member-3's account record, proven against the certified state root.
  std::string key = ToHex(Bytes{'a', 'c', 'c', 't', '/'}) + Addr("member-3");
  WalletRun state = Wallet({"query", "state", key});
  ASSERT_EQ(state.code, kExitOk) << state.err;
  fs::path state_file = cluster_->dir() / "state.json";
  std::ofstream(state_file) << state.out;
  WalletRun vs =
      Wallet({"verify", "state", state_file.string(), "--genesis", genesis.string(), "-o", "json"});
  ASSERT_EQ(vs.code, kExitOk) << vs.out << vs.err;
  EXPECT_EQ(vs.Json()["key"], key);
  EXPECT_TRUE(vs.Json()["value"].is_string());
  // The node's whole answer, saved as is, verifies too.
  auto raw = Http(cluster_->api_port(1), "GET", "/v1/state/" + key + "?prove=true");
  ASSERT_EQ(raw.status, 200) << raw.body;
  fs::path raw_file = cluster_->dir() / "state-answer.json";
  std::ofstream(raw_file) << raw.body;
  EXPECT_EQ(Wallet({"verify", "state", raw_file.string(), "--genesis", genesis.string()}).code,
            kExitOk);

  json s = json::parse(state.out);
  s["value"] = "00";  // claim another value for the key
  std::ofstream(state_file, std::ios::trunc) << s.dump();
  WalletRun vs_bad =
      Wallet({"verify", "state", state_file.string(), "--genesis", genesis.string()});
  EXPECT_EQ(vs_bad.code, kExitVerifyFailed);
  EXPECT_NE(vs_bad.err.find("state_proof"), std::string::npos) << vs_bad.err;
}

// Datasets, FL round, lineage and the twin gate, ending with a stale update the ledger refuses.
TEST_F(WalletE2E, DataFlAndTwinWithStaleUpdateRejected) {
  const std::string consent = Hash('c');
  auto register_data = [&](const std::string& content, uint64_t ts, const std::string& parents) {
    fs::path f = cluster_->dir() / ("data-" + std::to_string(ts) + ".bin");
    std::ofstream(f) << content;
    std::vector<std::string> args = {"data",
                                     "register",
                                     "--from",
                                     "uav-operator-1",
                                     "--collector",
                                     "uav-1",
                                     "--device-key",
                                     "uav-1",
                                     "--content",
                                     f.string(),
                                     "--generation-ts-ms",
                                     std::to_string(ts),
                                     "--cells",
                                     "7,3",
                                     "--consent-ref",
                                     consent,
                                     "--purposes",
                                     "twin-sync,fl-training"};
    if (!parents.empty())
      args.insert(args.end(), {"--derivation", "cleaned", "--parents", parents});
    json j = Commit(args);
    EXPECT_EQ(At(j, "/data_id").size(), 64u) << j.dump();
    return At(j, "/data_id");
  };
  // FL: task (its genesis model is APPROVED), a round, two updates, aggregate, evaluations.
  const std::string task = Hash('1'), genesis_model = Hash('2');
  Commit({"fl", "task", "--from", "member-0", "--task-id", task, "--aggregator", "aggregator-1",
          "--evaluators", "evaluator-1,evaluator-2,evaluator-3", "--genesis-model-hash",
          genesis_model, "--family", "twin"});
  for (const char* c : {"fl-client-1", "fl-client-2"}) {
    Commit({"fl", "enroll", "--from", c, "--task-id", task});
  }
  uint64_t h = Height();
  const uint64_t submit_end = h + 80, aggregate_end = submit_end + 60,
                 eval_end = aggregate_end + 60;
  Commit({"fl", "open", "--from", "member-0", "--task-id", task, "--round", "1",
          "--base-model-hash", genesis_model, "--budget", "1000", "--submit-end-h",
          std::to_string(submit_end), "--aggregate-end-h", std::to_string(aggregate_end),
          "--eval-end-h", std::to_string(eval_end)});
  std::map<std::string, std::string> updates = {{"fl-client-1", Hash('a')},
                                                {"fl-client-2", Hash('b')}};
  for (const auto& [client, update] : updates) {
    Commit({"fl", "submit", "--from", client, "--task-id", task, "--round", "1", "--update-hash",
            update, "--n-samples", "10", "--base-model-hash", genesis_model});
  }
  // The root is over the update hashes in client address order; the wallet sorts --included.
  std::vector<std::pair<std::string, std::string>> by_address;
  for (const auto& [client, update] : updates) by_address.push_back({Addr(client), update});
  std::sort(by_address.begin(), by_address.end());
  std::vector<Hash256> leaves;
  for (const auto& [addr, update] : by_address) leaves.push_back(*Hash256::FromHex(update));
  const std::string global = Hash('3');
  ASSERT_TRUE(WaitHeight(submit_end + 1));
  Commit({"fl", "aggregate", "--from", "aggregator-1", "--task-id", task, "--round", "1",
          "--global-hash", global, "--included", "fl-client-2,fl-client-1", "--included-root",
          MerkleRoot(leaves).Hex()});
  EXPECT_EQ(Query({"model", global})["status"], "PENDING");
  for (const char* e : {"evaluator-1", "evaluator-2", "evaluator-3"}) {
    Commit({"fl", "evaluate", "--from", e, "--task-id", task, "--round", "1", "--global-acc-bps",
            "9000", "--scores", "fl-client-1:900000,fl-client-2:800000"});
  }
  json genesis_record = Query({"model", genesis_model});
  EXPECT_EQ(genesis_record["status"], "APPROVED");

  // Inputs of a twin must be registered within MAX_AOI_BLOCKS of the update: register now.
  const uint64_t now = NowMs();
  std::string older = register_data("older sample", now - 3000, "");
  std::string newer = register_data("newer sample", now - 1000, "");
  std::string derived = register_data("cleaned sample", now - 500, older);
  json ds = Query({"dataset", newer});
  EXPECT_EQ(ds["collector"], Addr("uav-1"));
  EXPECT_EQ(ds["cells"], json::array({"3", "7"}));
  EXPECT_EQ(Query({"lineage", derived})["parents"], json::array({older}));

  // Twin: registered by the VSP, synced by its operator with the genesis model.
  const std::string twin = Hash('7');
  Commit({"twin", "register", "--from", "vsp-1", "--twin-id", twin, "--cells", "7", "--max-aoi-ms",
          "600000", "--operators", "twin-operator-1", "--model-family", "twin"});
  Commit({"twin", "update", "--from", "twin-operator-1", "--twin-id", twin, "--seq", "1",
          "--prev-state-hash", Hash('0'), "--new-state-hash", Hash('5'), "--model-id",
          genesis_model, "--inputs", newer});
  json tw = Query({"twin", twin});
  EXPECT_EQ(tw["head_seq"], "1");
  EXPECT_EQ(tw["head_state_hash"], Hash('5'));

  // Stale: the only input is older than what the twin already used.
  WalletRun stale =
      Wallet({"twin", "update", "--from", "twin-operator-1", "--twin-id", twin, "--seq", "2",
              "--prev-state-hash", Hash('5'), "--new-state-hash", Hash('6'), "--model-id",
              genesis_model, "--inputs", older, "--wait", "-o", "json"});
  EXPECT_EQ(stale.code, kExitRejected) << stale.out << stale.err;
  EXPECT_NE(stale.err.find("NOT_FRESHER"), std::string::npos) << stale.err;
  EXPECT_EQ(At(stale.Json(), "/error/code"), "NOT_FRESHER") << stale.out;
  EXPECT_EQ(Query({"twin", twin})["head_seq"], "1");  // the head did not move
  WalletRun stale_text =
      Wallet({"twin", "update", "--from", "twin-operator-1", "--twin-id", twin, "--seq", "2",
              "--prev-state-hash", Hash('5'), "--new-state-hash", Hash('6'), "--model-id",
              genesis_model, "--inputs", older, "--wait"});
  EXPECT_EQ(stale_text.code, kExitRejected);
  EXPECT_NE(stale_text.err.find("[NOT_FRESHER]"), std::string::npos) << stale_text.err;

  // Consent revoked: the record says so.
  Commit({"data", "revoke-consent", "--from", "uav-operator-1", "--data-id", derived});
  EXPECT_EQ(Query({"dataset", derived})["consent_revoked"], true);

  // The round finalizes after eval_end: the aggregate is approved.
  ASSERT_TRUE(WaitHeight(eval_end + 2));
  EXPECT_EQ(Query({"model", global})["status"], "APPROVED");
  // Two of the three evaluators revoke it.
  Commit({"fl", "revoke", "--from", "evaluator-1", "--model-id", global});
  EXPECT_EQ(Query({"model", global})["status"], "APPROVED");
  Commit({"fl", "revoke", "--from", "evaluator-2", "--model-id", global});
  EXPECT_EQ(Query({"model", global})["status"], "REVOKED");
}

// Sensing pools and the whole sealed-bid auction: post, commit, reveal, close (automatic at
// reveal_end + 1), deliver, accept (which settles), then the sensing reward claim.
TEST_F(WalletE2E, SensingAndFullAuction) {
  const std::string pool = Hash('9');
  Commit({"sensing", "pool", "create", "--from", "vsp-1", "--pool-id", pool});
  Commit({"sensing", "pool", "fund", "--from", "vsp-1", "--pool-id", pool, "--amount", "50000"});

  const uint64_t start_ms = NowMs() - 5000;
  fs::path f = cluster_->dir() / "survey.bin";
  std::ofstream(f) << "aerial survey of cell 42";
  json data = Commit({"data", "register", "--from", "uav-operator-1", "--collector", "uav-1",
                      "--device-key", "uav-1", "--content", f.string(), "--generation-ts-ms",
                      std::to_string(NowMs() - 1000), "--cells", "42"});
  std::string data_id = data["data_id"];
  Commit({"sensing", "register", "--from", "uav-operator-1", "--data-id", data_id, "--pool-id",
          pool, "--cell", "42", "--slot", "1"});

  uint64_t h = Height();
  const uint64_t commit_end = h + 40, reveal_end = commit_end + 30, delivery_end = reveal_end + 300;
  json posted = Commit({"auction",
                        "post",
                        "--from",
                        "vsp-1",
                        "--cells",
                        "42",
                        "--window-start-ms",
                        std::to_string(start_ms),
                        "--window-end-ms",
                        std::to_string(NowMs() + 600000),
                        "--max-aoi-ms",
                        "600000",
                        "--reserve",
                        "300",
                        "--bid-bond",
                        "400",
                        "--commit-end-h",
                        std::to_string(commit_end),
                        "--reveal-end-h",
                        std::to_string(reveal_end),
                        "--delivery-end-h",
                        std::to_string(delivery_end),
                        "--accept-window-blocks",
                        "50"});
  ASSERT_EQ(At(posted, "/task_id").size(), 64u) << posted.dump();
  std::string task = posted["task_id"];
  EXPECT_EQ(Query({"auction", task})["phase"], "COMMIT");

  json commit = Commit({"auction", "commit", "--from", "uav-operator-1", "--task-id", task, "--uav",
                        "uav-1", "--ask", "250"});
  EXPECT_TRUE(fs::exists(At(commit, "/salt_file"))) << commit.dump();
  EXPECT_EQ(Query({"auction", task})["commitments"], "1");

  ASSERT_TRUE(WaitHeight(commit_end + 1));
  Commit({"auction", "reveal", "--from", "uav-operator-1", "--task-id", task, "--uav", "uav-1"});
  json revealed = Query({"auction", task});
  EXPECT_EQ(revealed["bids"][0]["ask"], "250");
  EXPECT_EQ(revealed["bids"][0]["revealed"], true);

  ASSERT_TRUE(WaitHeight(reveal_end + 2));  // closes at reveal_end + 1
  json closed = Query({"auction", task});
  EXPECT_EQ(closed["closed"], true);
  EXPECT_EQ(closed["phase"], "DELIVERY");
  EXPECT_EQ(closed["winners"], json::array({Addr("uav-1")}));
  EXPECT_EQ(closed["price"], "300");  // one valid bid: the reserve is the price

  Commit({"auction", "deliver", "--from", "uav-operator-1", "--task-id", task, "--uav", "uav-1",
          "--data-id", data_id});
  EXPECT_EQ(Query({"auction", task})["deliveries"][0]["data_id"], data_id);
  uint64_t before = std::stoull(Query({"account", "uav-operator-1"})["balance"].get<std::string>());
  Commit({"auction", "accept", "--from", "vsp-1", "--task-id", task, "--uav", "uav-1"});
  json settled = Query({"auction", task});
  EXPECT_EQ(settled["phase"], "DONE");
  EXPECT_EQ(settled["bids"][0]["outcome"], "PAID");
  uint64_t after = std::stoull(Query({"account", "uav-operator-1"})["balance"].get<std::string>());
  EXPECT_EQ(after, before + 300 + 400);  // the price plus the returned bond

  // The sensing epoch closes every EPOCH_BLOCKS; then the operator's share is claimable.
  EXPECT_TRUE(Eventually(
      [&] {
        return Query({"rewards", "uav-operator-1"})["claimable"] != "0";
      },
      40s));
  uint64_t claimable =
      std::stoull(Query({"rewards", "uav-operator-1"})["claimable"].get<std::string>());
  uint64_t pre_claim =
      std::stoull(Query({"account", "uav-operator-1"})["balance"].get<std::string>());
  Commit({"sensing", "claim", "--from", "uav-operator-1"});
  EXPECT_EQ(Query({"rewards", "uav-operator-1"})["claimable"], "0");
  EXPECT_EQ(std::stoull(Query({"account", "uav-operator-1"})["balance"].get<std::string>()),
            pre_claim + claimable);
}

}  // namespace
}  // namespace metaledger::wallet
