// The wallet CLI run in-process: key lifecycle, offline signing, tx files, sealed-bid salts,
// proof verification and the fixed exit codes, with a fake REST node on a loopback socket.
#include "wallet/cli.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "core/payload/ids.h"
#include "core/payload/payloads.h"
#include "core/proof_bundle.h"
#include "wallet/mnemonic.h"

namespace metaledger::wallet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct RunResult {
  int code;
  std::string out, err;
};

// A one-request-at-a-time HTTP server answering from a handler, for the REST client paths.
class FakeNode {
 public:
  struct Request {
    std::string method, path, body;
  };
  struct Reply {
    int status;
    std::string content_type, body;
  };
  explicit FakeNode(std::function<Reply(const Request&)> handler) : handler_(std::move(handler)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ::listen(fd_, 8);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeNode() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Request> requests;

 private:
  void Serve() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string data;
      char buf[4096];
      size_t header_end = std::string::npos, need = 0;
      while (true) {
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        data.append(buf, static_cast<size_t>(n));
        if (header_end == std::string::npos &&
            (header_end = data.find("\r\n\r\n")) != std::string::npos) {
          size_t cl = data.find("Content-Length: ");
          need = cl == std::string::npos || cl > header_end ? 0 : std::stoul(data.substr(cl + 16));
        }
        if (header_end != std::string::npos && data.size() >= header_end + 4 + need) break;
      }
      Request req;
      std::istringstream first(data.substr(0, data.find("\r\n")));
      first >> req.method >> req.path;
      if (header_end != std::string::npos) req.body = data.substr(header_end + 4);
      requests.push_back(req);
      Reply r = handler_(req);
      std::string resp = "HTTP/1.1 " + std::to_string(r.status) +
                         " X\r\nContent-Type: " + r.content_type +
                         "\r\nContent-Length: " + std::to_string(r.body.size()) +
                         "\r\nConnection: close\r\n\r\n" + r.body;
      (void)!::write(c, resp.data(), resp.size());
      ::close(c);
    }
  }
  std::function<Reply(const Request&)> handler_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    home_ = fs::temp_directory_path() / ("ml-cli-test-" + std::to_string(rd()));
    fs::create_directories(home_);
    ::setenv("ML_TEST_PW", "pa55word", 1);
    ::unsetenv("METALEDGER_CHAIN_ID");
  }
  void TearDown() override { fs::remove_all(home_); }

  RunResult Wallet(std::vector<std::string> args) {
    std::vector<std::string> full = {"--home", home_.string(), "--password-env", "ML_TEST_PW"};
    full.insert(full.end(), args.begin(), args.end());
    std::ostringstream out, err;
    int code = RunWallet(full, out, err);
    return {code, out.str(), err.str()};
  }
  json Json(std::vector<std::string> args) {
    args.insert(args.begin(), {"-o", "json"});
    RunResult r = Wallet(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out);
  }
  std::string NewKey(const std::string& name) {
    json j = Json({"keys", "new", name, "--kdf", "device"});
    return j["address"].get<std::string>();
  }

  fs::path home_;
};

TEST_F(CliTest, NewKeyShowsMnemonicThatRecoversTheSameKey) {
  json created = Json({"keys", "new", "alice", "--kdf", "device"});
  std::string words = created["mnemonic"];
  EXPECT_EQ(std::count(words.begin(), words.end(), ' '), 23);
  std::ofstream(home_ / "words.txt") << words << "\n";
  json recovered = Json({"keys", "recover", "alice2", "--kdf", "device", "--mnemonic-file",
                         (home_ / "words.txt").string()});
  EXPECT_EQ(recovered["public_key"], created["public_key"]);
  EXPECT_EQ(recovered.count("mnemonic"), 0u);
  auto direct = KeyFromMnemonic(words, "");
  EXPECT_EQ(direct->public_key().Hex(), created["public_key"]);

  json list = Json({"keys", "list"});
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["name"], "alice");
  RunResult exported = Wallet({"keys", "export", "alice"});
  EXPECT_EQ(exported.code, 0);
  EXPECT_EQ(json::parse(exported.out)["address"], created["address"]);
  EXPECT_EQ(exported.out.find(words.substr(0, 20)), std::string::npos);
}

TEST_F(CliTest, ImportNodeAccountFileRenameDeleteAndExitCodes) {
  PrivateKey k = PrivateKey::Generate();
  json file = {
      {"name", "uav1"}, {"public_key", k.public_key().Hex()}, {"secret_seed", ToHex(k.seed())}};
  std::ofstream(home_ / "uav1.key") << file.dump();
  json imported = Json({"keys", "import", "uav1", "--kdf", "device", "--secret-file",
                        (home_ / "uav1.key").string()});
  EXPECT_EQ(imported["public_key"], k.public_key().Hex());
  EXPECT_EQ(Wallet({"keys", "import", "uav1", "--kdf", "device", "--secret-file",
                    (home_ / "uav1.key").string()})
                .code,
            kExitUsage);  // name taken

  EXPECT_EQ(Wallet({"keys", "rename", "uav1", "drone"}).code, kExitOk);
  EXPECT_EQ(Wallet({"keys", "show", "uav1"}).code, kExitNotFound);
  EXPECT_EQ(Wallet({"keys", "show", "drone"}).code, kExitOk);

  ::setenv("ML_TEST_PW", "wrong", 1);
  EXPECT_EQ(Wallet({"keys", "delete", "drone"}).code, kExitBadPassword);
  ::setenv("ML_TEST_PW", "pa55word", 1);
  EXPECT_EQ(Wallet({"keys", "delete", "drone"}).code, kExitOk);
  EXPECT_EQ(Wallet({"keys", "show", "drone"}).code, kExitNotFound);
  EXPECT_EQ(Wallet({"keys", "frobnicate"}).code, kExitUsage);
  EXPECT_EQ(Wallet({"transfer", "--from", "x"}).code, kExitUsage);  // missing --to/--amount
}

TEST_F(CliTest, ChangePasswordAndTamperedKeystore) {
  NewKey("alice");
  std::ofstream(home_ / "new.pw") << "n3w\n";
  EXPECT_EQ(Wallet({"keys", "change-password", "alice", "--new-password-file",
                    (home_ / "new.pw").string()})
                .code,
            kExitOk);
  std::vector<std::string> sign = {
      "stake",   "--from", "alice",      "--amount", "1",     "--offline",
      "--nonce", "0",      "--chain-id", "c1",       "--out", (home_ / "s.json").string()};
  EXPECT_EQ(Wallet(sign).code, kExitBadPassword);
  ::setenv("ML_TEST_PW", "n3w", 1);
  EXPECT_EQ(Wallet(sign).code, kExitOk);

  fs::path key_file = home_ / "keys" / "alice.json";
  json j = json::parse(std::ifstream(key_file));
  std::string ct = j["ciphertext"];
  ct[0] = ct[0] == 'a' ? 'b' : 'a';
  j["ciphertext"] = ct;
  std::ofstream(key_file, std::ios::trunc) << j.dump();
  RunResult r = Wallet(sign);
  EXPECT_EQ(r.code, kExitKeystore) << r.err;
  EXPECT_NE(r.err.find("damaged"), std::string::npos);
}

TEST_F(CliTest, OfflineTransferInspectAndBroadcastRejected) {
  NewKey("alice");
  std::string bob = NewKey("bob");
  fs::path tx_file = home_ / "t.json";
  json signed_tx =
      Json({"transfer", "--from", "alice", "--to", "bob", "--amount", "250", "--offline", "--nonce",
            "4", "--chain-id", "chain-x", "--out", tx_file.string()});
  EXPECT_EQ(signed_tx["nonce"], "4");
  RunResult inspect = Wallet({"tx", "inspect", tx_file.string()});
  ASSERT_EQ(inspect.code, 0) << inspect.err;
  json d = json::parse(inspect.out);
  EXPECT_EQ(d["kind"], "TRANSFER");
  EXPECT_EQ(d["payload"]["to"], bob);
  EXPECT_EQ(d["payload"]["amount"], "250");
  EXPECT_EQ(d["signature_valid"], true);
  EXPECT_EQ(d["hash"], signed_tx["hash"]);

  FakeNode node([](const FakeNode::Request&) {
    return FakeNode::Reply{422, "application/problem+json",
                           R"({"type":"about:blank","title":"rejected","status":422,)"
                           R"("code":"BAD_NONCE","detail":"nonce 4, expected 0"})"};
  });
  RunResult r = Wallet({"--node", node.url(), "-o", "json", "tx", "broadcast", tx_file.string()});
  EXPECT_EQ(r.code, kExitRejected) << r.err;
  EXPECT_NE(r.err.find("BAD_NONCE"), std::string::npos);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "BAD_NONCE");
  ASSERT_EQ(node.requests.size(), 1u);
  EXPECT_EQ(node.requests[0].method, "POST");
  EXPECT_EQ(node.requests[0].path, "/v1/txs");
  EXPECT_EQ(node.requests[0].body, json::parse(std::ifstream(tx_file))["tx"]);
}

TEST_F(CliTest, OnlineTransferFetchesChainAndNonceAndWaits) {
  std::string alice = NewKey("alice");
  std::string submitted;
  FakeNode node([&](const FakeNode::Request& req) -> FakeNode::Reply {
    if (req.path == "/v1/status") return {200, "application/json", R"({"chain_id":"live-1"})"};
    if (req.path == "/v1/accounts/" + alice) return {200, "application/json", R"({"nonce":"17"})"};
    if (req.method == "POST") {
      submitted = req.body;
      return {202, "application/json", "{}"};
    }
    if (req.path.rfind("/v1/txs/", 0) == 0) {
      return {200, "application/json",
              R"({"height":"5","result":{"code":89,"name":"NOT_FRESHER","message":"m"}})"};
    }
    return {404, "application/problem+json", R"({"code":"NOT_FOUND","detail":"no"})"};
  });
  RunResult r = Wallet({"--node", node.url(), "transfer", "--from", "alice", "--to", alice,
                        "--amount", "1", "--wait"});
  EXPECT_EQ(r.code, kExitRejected) << r.err;  // committed with a failure code
  EXPECT_NE(r.err.find("NOT_FRESHER"), std::string::npos);
  auto tx = Decode<Transaction>(*FromHex(submitted));
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(tx->chain_id, "live-1");
  EXPECT_EQ(tx->nonce, 17u);
  EXPECT_TRUE(tx->VerifySignature());

  EXPECT_EQ(Wallet({"--node", node.url(), "query", "model", std::string(64, 'a')}).code,
            kExitNotFound);
  EXPECT_EQ(Wallet({"--node", "http://127.0.0.1:1", "query", "account", "alice"}).code,
            kExitNetwork);
  EXPECT_EQ(Wallet({"--node", node.url(), "query", "block", "x"}).code, kExitUsage);
}

TEST_F(CliTest, AuctionCommitStoresSaltAndRevealUsesIt) {
  NewKey("op");
  std::string uav = NewKey("uav");
  std::string task(64, 'c');
  std::vector<std::string> common = {"--from", "op", "--offline", "--chain-id", "chain-x"};
  auto with = [&](std::vector<std::string> a, std::vector<std::string> b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  json commit = Json(with({"auction", "commit", "--task-id", task, "--uav", "uav", "--ask", "90",
                           "--nonce", "1", "--out", (home_ / "c.json").string()},
                          common));
  ASSERT_TRUE(fs::exists(commit["salt_file"].get<std::string>()));
  // A retry of the same bid reuses the salt; a different ask for the same UAV is refused.
  json again = Json(with({"auction", "commit", "--task-id", task, "--uav", "uav", "--ask", "90",
                          "--nonce", "1", "--out", (home_ / "c2.json").string()},
                         common));
  EXPECT_EQ(again["commitment"], commit["commitment"]);
  EXPECT_EQ(Wallet(with({"auction", "commit", "--task-id", task, "--uav", "uav", "--ask", "80",
                         "--nonce", "1"},
                        common))
                .code,
            kExitUsage);

  json reveal = Json(with({"auction", "reveal", "--task-id", task, "--uav", "uav", "--nonce", "2",
                           "--out", (home_ / "r.json").string()},
                          common));
  EXPECT_EQ(reveal["ask"], "90");
  json d = json::parse(Wallet({"tx", "inspect", (home_ / "r.json").string()}).out);
  Hash256 salt = *Hash256::FromHex(d["payload"]["salt"].get<std::string>());
  Address op = *Address::FromHex(Json({"keys", "show", "op"})["address"].get<std::string>());
  EXPECT_EQ(
      BidCommitment("chain-x", *Hash256::FromHex(task), op, *Address::FromHex(uav), 90, salt).Hex(),
      commit["commitment"]);
  EXPECT_EQ(Wallet(with({"auction", "reveal", "--task-id", std::string(64, 'd'), "--uav", "uav",
                         "--nonce", "2"},
                        common))
                .code,
            kExitNotFound);
}

TEST_F(CliTest, VerifyProofAcceptsGenuineAndNamesTheFailedCheck) {
  std::vector<PrivateKey> vkeys;
  Genesis g;
  g.chain_id = "audit-1";
  std::vector<Validator> vals;
  for (uint8_t i = 0; i < 4; ++i) {
    vkeys.push_back(*PrivateKey::FromSeed(Bytes(32, static_cast<uint8_t>(i + 1))));
    vals.push_back({"v" + std::to_string(i), vkeys.back().public_key(), "127.0.0.1:1"});
  }
  g.validators = ValidatorSet(vals);
  PrivateKey user = PrivateKey::Generate();
  Transaction tx = BuildTransaction(g.chain_id, user.public_key(), 0, StakePayload{5});
  tx.Sign(user);
  std::vector<Hash256> ids = {Sha256(std::string_view("x")), tx.Hash()};
  TxProofBundle b;
  b.chain_id = g.chain_id;
  b.tx = Encode(tx);
  b.proof = *MerkleProve(ids, 1);
  b.header.height = 3;
  b.header.tx_root = MerkleRoot(ids);
  b.header.tx_count = 2;
  b.header.validator_set_hash = g.validators.Hash(g.chain_id);
  b.cert = {3, b.header.Hash(g.chain_id), b.header.tx_root, Hash256{}, {}};
  Hash256 msg = CommitMessage(g.chain_id, 3, b.cert.block_hash, b.cert.tx_root, b.cert.state_root);
  for (uint32_t i : {0u, 2u, 3u}) b.cert.sigs.push_back({i, vkeys[i].Sign(msg.view())});
  b.validators = g.validators;
  std::ofstream(home_ / "genesis.json") << g.ToJson();
  std::ofstream(home_ / "good.json") << b.ToJson();
  b.cert.sigs.pop_back();
  std::ofstream(home_ / "bad.json") << b.ToJson();

  RunResult ok = Wallet({"-o", "json", "verify", "proof", (home_ / "good.json").string(),
                         "--genesis", (home_ / "genesis.json").string()});
  ASSERT_EQ(ok.code, kExitOk) << ok.err;
  EXPECT_EQ(json::parse(ok.out)["tx_hash"], tx.Hash().Hex());
  RunResult bad = Wallet({"verify", "proof", (home_ / "bad.json").string(), "--genesis",
                          (home_ / "genesis.json").string()});
  EXPECT_EQ(bad.code, kExitVerifyFailed);
  EXPECT_NE(bad.err.find("cert_signatures"), std::string::npos) << bad.err;

  // A one-leaf state tree: the root is the leaf itself.
  StateProofBundle st;
  st.chain_id = g.chain_id;
  st.key = ToBytes("account/alice");
  st.value = ToBytes("balance=5");
  st.height = 3;
  st.proof.leaf = SmtProof::Leaf{SmtKeyHash(st.key), SmtValueHash(*st.value)};
  st.header = b.header;
  Hash256 root = SmtLeafHash(st.proof.leaf->key_hash, st.proof.leaf->value_hash);
  st.cert = {3, b.header.Hash(g.chain_id), b.header.tx_root, root, {}};
  Hash256 smsg = CommitMessage(g.chain_id, 3, st.cert.block_hash, st.cert.tx_root, root);
  for (uint32_t i : {1u, 2u, 3u}) st.cert.sigs.push_back({i, vkeys[i].Sign(smsg.view())});
  st.validators = g.validators;
  std::ofstream(home_ / "state.json") << st.ToJson();
  st.value = ToBytes("balance=500");
  std::ofstream(home_ / "state_bad.json") << st.ToJson();
  RunResult sok = Wallet({"verify", "state", (home_ / "state.json").string(), "--genesis",
                          (home_ / "genesis.json").string()});
  EXPECT_EQ(sok.code, kExitOk) << sok.err;
  RunResult sbad = Wallet({"verify", "state", (home_ / "state_bad.json").string(), "--genesis",
                           (home_ / "genesis.json").string()});
  EXPECT_EQ(sbad.code, kExitVerifyFailed);
  EXPECT_NE(sbad.err.find("state_proof"), std::string::npos) << sbad.err;
}

TEST_F(CliTest, EverySubcommandSignsItsKindOffline) {
  NewKey("alice");
  NewKey("bob");
  NewKey("carol");
  const std::string h(64, 'a'), h2(64, 'b');
  std::ofstream(home_ / "data.bin") << "sensor readings";
  const std::string sig(128, '1');
  struct Case {
    std::vector<std::string> args;
    std::string kind;
  };
  std::vector<Case> cases = {
      {{"transfer", "--to", "bob", "--amount", "1"}, "TRANSFER"},
      {{"stake", "--amount", "2"}, "STAKE"},
      {{"unstake", "--amount", "2"}, "UNSTAKE"},
      {{"gov", "propose", "--action", "grant-role", "--target", "bob", "--roles", "VSP,DEVICE"},
       "PROPOSE"},
      {{"gov", "propose", "--action", "set-param", "--param", "MAX_CELLS", "--value", "9"},
       "PROPOSE"},
      {{"gov", "vote", "--proposal-id", h, "--no"}, "VOTE"},
      {{"device", "register", "--device-key", "bob", "--device-kind", "sensor"}, "REGISTER_DEVICE"},
      {{"fl", "task", "--task-id", h, "--aggregator", "bob", "--evaluators", "alice,bob,carol",
        "--genesis-model-hash", "@" + (home_ / "data.bin").string()},
       "CREATE_FL_TASK"},
      {{"fl", "enroll", "--task-id", h}, "ENROLL_CLIENT"},
      {{"fl", "open", "--task-id", h, "--round", "1", "--base-model-hash", h2, "--budget", "100",
        "--submit-end-h", "10", "--aggregate-end-h", "20", "--eval-end-h", "30"},
       "OPEN_ROUND"},
      {{"fl", "submit", "--task-id", h, "--round", "1", "--update-hash", h2, "--n-samples", "50",
        "--base-model-hash", h2},
       "SUBMIT_UPDATE"},
      {{"fl", "aggregate", "--task-id", h, "--round", "1", "--global-hash", h2, "--included", "bob",
        "--included-root", h},
       "PUBLISH_AGGREGATE"},
      {{"fl", "evaluate", "--task-id", h, "--round", "1", "--global-acc-bps", "9000", "--scores",
        "bob:500000", "--flags", "carol:freeride"},
       "SUBMIT_EVALUATION"},
      {{"fl", "revoke", "--model-id", h}, "REVOKE_MODEL"},
      {{"data", "register", "--content", (home_ / "data.bin").string(), "--collector", "bob",
        "--device-sig", sig, "--generation-ts-ms", "1000", "--cells", "5,3", "--purposes",
        "fl-training", "--consent-ref", h},
       "REGISTER_DATASET"},
      {{"data", "revoke-consent", "--data-id", h}, "REVOKE_CONSENT"},
      {{"data", "void", "--data-id", h}, "VOID_DATASET"},
      {{"sensing", "register", "--data-id", h, "--pool-id", h2, "--cell", "3", "--slot", "1"},
       "REGISTER_SENSING"},
      {{"sensing", "pool", "create", "--pool-id", h}, "CREATE_POOL"},
      {{"sensing", "pool", "fund", "--pool-id", h, "--amount", "10"}, "FUND_POOL"},
      {{"sensing", "claim"}, "CLAIM"},
      {{"auction",
        "post",
        "--cells",
        "1,2",
        "--window-start-ms",
        "1",
        "--window-end-ms",
        "2",
        "--max-aoi-ms",
        "3",
        "--reserve",
        "50",
        "--bid-bond",
        "5",
        "--commit-end-h",
        "10",
        "--reveal-end-h",
        "20",
        "--delivery-end-h",
        "30",
        "--accept-window-blocks",
        "5"},
       "POST_TASK"},
      {{"auction", "commit", "--task-id", h, "--uav", "bob", "--ask", "40"}, "COMMIT_BID"},
      {{"auction", "reveal", "--task-id", h, "--uav", "bob"}, "REVEAL_BID"},
      {{"auction", "deliver", "--task-id", h, "--uav", "bob", "--data-id", h2}, "SUBMIT_DELIVERY"},
      {{"auction", "accept", "--task-id", h, "--uav", "bob"}, "ACCEPT_DELIVERY"},
      {{"twin", "register", "--twin-id", h, "--cells", "1", "--max-aoi-ms", "100", "--operators",
        "alice,bob"},
       "REGISTER_TWIN"},
      {{"twin", "update", "--twin-id", h, "--seq", "1", "--prev-state-hash", h, "--new-state-hash",
        h2, "--model-id", h, "--inputs", h2},
       "TWIN_UPDATE"},
  };
  uint64_t nonce = 0;
  for (Case& c : cases) {
    fs::path out = home_ / ("tx" + std::to_string(nonce) + ".json");
    std::vector<std::string> args = c.args;
    args.insert(args.end(), {"--from", "alice", "--offline", "--chain-id", "all-kinds", "--nonce",
                             std::to_string(nonce++), "--out", out.string()});
    RunResult r = Wallet(args);
    ASSERT_EQ(r.code, kExitOk) << c.kind << ": " << r.err;
    RunResult inspect = Wallet({"tx", "inspect", out.string()});
    ASSERT_EQ(inspect.code, kExitOk) << inspect.err;
    json d = json::parse(inspect.out);
    EXPECT_EQ(d["kind"], c.kind);
    EXPECT_EQ(d["signature_valid"], true) << c.kind;
    EXPECT_TRUE(d.contains("payload")) << c.kind << ": " << d.dump();
  }
  RunResult state = Wallet({"verify", "state", "x.json", "--genesis", "g.json"});
  EXPECT_EQ(state.code, kExitUsage);  // genesis file missing
}

TEST_F(CliTest, PasswordFromFileAndFileDescriptor) {
  NewKey("alice");  // password "pa55word" from the environment
  std::vector<std::string> sign = {
      "stake",   "--from", "alice",      "--amount", "1",     "--offline",
      "--nonce", "0",      "--chain-id", "c1",       "--out", (home_ / "s.json").string()};
  auto run_without_env = [&](std::vector<std::string> pw_args) {
    std::vector<std::string> full = {"--home", home_.string()};
    full.insert(full.end(), pw_args.begin(), pw_args.end());
    full.insert(full.end(), sign.begin(), sign.end());
    std::ostringstream out, err;
    return RunWallet(full, out, err);
  };
  std::ofstream(home_ / "pw.txt") << "pa55word\nignored second line\n";
  EXPECT_EQ(run_without_env({"--password-file", (home_ / "pw.txt").string()}), kExitOk);
  std::ofstream(home_ / "bad.txt") << "nope\n";
  EXPECT_EQ(run_without_env({"--password-file", (home_ / "bad.txt").string()}), kExitBadPassword);

  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "pa55word\n", 9), 9);
  ::close(fds[1]);
  EXPECT_EQ(run_without_env({"--password-fd", std::to_string(fds[0])}), kExitOk);
  ::close(fds[0]);

  EXPECT_EQ(run_without_env({"--password-env", "ML_TEST_UNSET_VAR"}), kExitUsage);
  EXPECT_EQ(run_without_env({"--password-env", "ML_TEST_PW", "--password-file", "x"}), kExitUsage);
}

}  // namespace
}  // namespace metaledger::wallet
