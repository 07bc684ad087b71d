// Real metaledger-node processes made by `testnet`, real sockets on 127.0.0.1, real RocksDB.

#include <gtest/gtest.h>

#include <set>

#include "core/crypto/secretstream.h"
#include "node/p2p/handshake.h"
#include "process_harness.h"

namespace metaledger::node::testing {
namespace {

// Every node certifies the same (height, block hash, tx root, state root) for every height holding
// a tx. The signer subsets may differ: each node keeps the first 2f+1 matching votes it received.
void ExpectSameCertificates(ProcessCluster& c, const std::vector<uint32_t>& nodes,
                            const std::vector<std::string>& hashes) {
  std::set<uint64_t> heights;
  for (const std::string& h : hashes) {
    HttpResult r = Http(c.ops_port(nodes[0]), "GET", "/tx/" + h);
    ASSERT_EQ(r.status, 200);
    auto j = r.Json();
    EXPECT_EQ(j["code"].get<int>(), 0) << "transfer failed in execution";
    heights.insert(j["height"].get<uint64_t>());
  }
  for (uint64_t height : heights) {
    std::string first;
    for (uint32_t n : nodes) {
      HttpResult r = Http(c.ops_port(n), "GET", "/cert/" + std::to_string(height));
      ASSERT_EQ(r.status, 200) << "node " << n << " height " << height;
      auto j = r.Json();
      EXPECT_GE(j["signers"].size(), c.genesis().validators.quorum());
      std::string statement = j["block_hash"].get<std::string>() + j["tx_root"].get<std::string>() +
                              j["state_root"].get<std::string>();
      if (first.empty()) first = statement;
      EXPECT_EQ(statement, first) << "node " << n << " height " << height;
    }
  }
}

TEST(ProcessClusterTest, CommitsAgreesAndRecoversFromKillAndTerm) {
  ProcessCluster c("commit", 4);
  ASSERT_TRUE(c.ok());
  c.StartAll();
  ASSERT_TRUE(Eventually([&] { return c.AllAtLeast(3); }, 20s))
      << "cluster did not start committing";

  auto batch1 = SubmitTransfers(c, 0, "vsp-1", 0, 30);
  auto batch2 = SubmitTransfers(c, 2, "fl-client-1", 0, 30);
  batch1.insert(batch1.end(), batch2.begin(), batch2.end());
  ASSERT_TRUE(Eventually([&] { return AllFound(c, {0, 1, 2, 3}, batch1); }, 30s));
  ExpectSameCertificates(c, {0, 1, 2, 3}, batch1);

  // kill -9 one node under load; the other three keep committing; it catches up on restart.
  c.Kill(3);
  auto batch3 = SubmitTransfers(c, 1, "vsp-1", 30, 20);
  ASSERT_TRUE(Eventually([&] { return AllFound(c, {0, 1, 2}, batch3); }, 30s));
  c.Start(3);
  ASSERT_TRUE(Eventually([&] { return AllFound(c, {3}, batch3); }, 30s)) << "node 3 did not catch up";
  batch1.insert(batch1.end(), batch3.begin(), batch3.end());
  ExpectSameCertificates(c, {0, 1, 2, 3}, batch1);

  // SIGTERM: exit 0 within 10 s, and a restart continues from the same height.
  uint64_t before = c.Height(1);
  auto code = c.Terminate(1, 10s);
  ASSERT_TRUE(code.has_value()) << "no exit within 10 s of SIGTERM";
  EXPECT_EQ(*code, 0);
  c.Start(1);
  ASSERT_TRUE(Eventually([&] { return c.Height(1) >= before + 3; }, 30s));
  EXPECT_TRUE(AllFound(c, {1}, batch1));
  for (uint32_t i = 0; i < 4; ++i) {
    auto s = c.Status(i);
    EXPECT_FALSE(s["halted"].get<bool>());
    EXPECT_EQ(s["state_root_mismatch"].get<uint64_t>(), 0u);
  }
}

// A one-validator chain (a developer's single node) commits, paces empty blocks and stops cleanly.
TEST(ProcessClusterTest, LoneValidatorCommitsAndStops) {
  ProcessCluster c("lone", 1);
  ASSERT_TRUE(c.ok());
  c.StartAll();
  ASSERT_TRUE(Eventually([&] { return c.Height(0) >= 2; }, 20s)) << "a lone validator must commit";
  auto hashes = SubmitTransfers(c, 0, "vsp-1", 0, 5);
  ASSERT_EQ(hashes.size(), 5u);
  ASSERT_TRUE(Eventually([&] { return AllFound(c, {0}, hashes); }, 20s));
  ExpectSameCertificates(c, {0}, hashes);
  // Idle, it makes at most one empty block per block_max_wait_ms (50 ms) instead of spinning.
  uint64_t before = c.Height(0);
  std::this_thread::sleep_for(1s);
  EXPECT_LE(c.Height(0) - before, 25u);
  auto code = c.Terminate(0, 10s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
}

// An idle chain slows to one empty block per idle_block_interval_ms, and new work ends the wait
// at once instead of waiting for the next idle block.
TEST(ProcessClusterTest, IdleChainSlowsDownAndWakesForWork) {
  ProcessCluster c("idle", 4);
  ASSERT_TRUE(c.ok());
  // A long idle interval (and a round timeout above twice it) makes a missed wake-up obvious.
  ::setenv("METALEDGER_CONSENSUS_BASE_TIMEOUT_MS", "6000", 1);
  ::setenv("METALEDGER_CONSENSUS_MAX_TIMEOUT_MS", "12000", 1);
  ::setenv("METALEDGER_CONSENSUS_IDLE_BLOCK_INTERVAL_MS", "2500", 1);
  c.StartAll();
  ::unsetenv("METALEDGER_CONSENSUS_BASE_TIMEOUT_MS");
  ::unsetenv("METALEDGER_CONSENSUS_MAX_TIMEOUT_MS");
  ::unsetenv("METALEDGER_CONSENSUS_IDLE_BLOCK_INTERVAL_MS");
  ASSERT_TRUE(Eventually([&] { return c.AllAtLeast(3); }, 30s));
  // Idle: at 50 ms per empty block this would be ~100 blocks in 5 s.
  uint64_t before = c.Height(0);
  std::this_thread::sleep_for(5s);
  uint64_t idle_blocks = c.Height(0) - before;
  EXPECT_LE(idle_blocks, 8u) << "an idle chain should make about one block per 2.5 s";
  // Right after an idle block, the next one is ~2.5 s away; a transfer must not wait for it.
  uint64_t h = c.Height(0);
  ASSERT_TRUE(Eventually([&] { return c.Height(0) > h; }, 10s));
  auto start = std::chrono::steady_clock::now();
  auto hashes = SubmitTransfers(c, 1, "vsp-1", 0, 1);
  ASSERT_EQ(hashes.size(), 1u);
  ASSERT_TRUE(Eventually([&] { return AllFound(c, {0}, hashes); }, 20s));
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_LT(waited, 1500ms) << "new work should end the idle wait";
  for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(c.Status(i)["halted"].get<bool>(), false);
}

// With [consensus] min_block_interval_ms a loaded chain makes at most one block per interval,
// each carrying what arrived meanwhile, and every transaction still commits.
TEST(ProcessClusterTest, MinBlockIntervalPacesALoadedChain) {
  ProcessCluster c("pace", 4);
  ASSERT_TRUE(c.ok());
  ::setenv("METALEDGER_CONSENSUS_MIN_BLOCK_INTERVAL_MS", "200", 1);
  c.StartAll();
  ::unsetenv("METALEDGER_CONSENSUS_MIN_BLOCK_INTERVAL_MS");
  ASSERT_TRUE(Eventually([&] { return c.AllAtLeast(2); }, 30s));
  // A transfer every ~50 ms for 3 s keeps the chain busy: unpaced, it makes a block per round
  // (at least one per block_max_wait_ms, 50 ms), ~60 or more here.
  std::vector<std::string> hashes;
  const uint64_t before = c.Height(0);
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t nonce = 0; std::chrono::steady_clock::now() - start < 3s; ++nonce) {
    auto sent = SubmitTransfers(c, 0, "vsp-1", nonce, 1);
    ASSERT_EQ(sent.size(), 1u);
    hashes.push_back(sent[0]);
    std::this_thread::sleep_for(50ms);
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const uint64_t blocks = c.Height(0) - before;
  // One block per 200 ms, plus the two blocks already certified at `before` that commit in the
  // window, plus one at each edge of it.
  const uint64_t allowed =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() /
                            200) +
      4;
  EXPECT_LE(blocks, allowed) << "blocks came faster than one per 200 ms";
  ASSERT_TRUE(Eventually([&] { return AllFound(c, {0, 1, 2, 3}, hashes); }, 30s));
  ExpectSameCertificates(c, {0, 1, 2, 3}, hashes);
}

TEST(ProcessClusterTest, NoProgressWithoutQuorumThenResumes) {
  ProcessCluster c("quorum", 4);
  ASSERT_TRUE(c.ok());
  c.StartAll();
  ASSERT_TRUE(Eventually([&] { return c.Height(0) >= 2 && c.Height(1) >= 2; }, 20s));
  ASSERT_TRUE(c.Terminate(2, 10s).has_value());
  ASSERT_TRUE(c.Terminate(3, 10s).has_value());
  std::this_thread::sleep_for(1s);
  uint64_t h0 = c.Height(0), h1 = c.Height(1);
  auto pending = SubmitTransfers(c, 0, "vsp-1", 0, 1);
  ASSERT_EQ(pending.size(), 1u);
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(c.Height(0), h0) << "a block was certified without a quorum";
  EXPECT_EQ(c.Height(1), h1);
  EXPECT_FALSE(AllFound(c, {0}, pending));
  // Whatever both certified is identical.
  uint64_t common = std::min(h0, h1);
  if (common > 0) {
    auto a = Http(c.ops_port(0), "GET", "/cert/" + std::to_string(common)).Json();
    auto b = Http(c.ops_port(1), "GET", "/cert/" + std::to_string(common)).Json();
    EXPECT_EQ(a["state_root"], b["state_root"]);
    EXPECT_EQ(a["block_hash"], b["block_hash"]);
  }
  c.Start(2);
  c.Start(3);
  bool resumed = Eventually([&] { return AllFound(c, {0, 1, 2, 3}, pending); }, 40s);
  std::string rounds;
  for (uint32_t i = 0; i < 4; ++i) {
    auto st = c.Status(i);
    if (st.is_object()) rounds += " node" + std::to_string(i) + ": h=" + st["height"].dump() +
                                  " r=" + st["round"].dump() +
                                  " prop=" + st["proposals_sent"].dump() + " votes=" +
                                  st["votes_sent"].dump() + " parked=" + st["parked_proposals"].dump();
  }
  ASSERT_TRUE(resumed) << "progress did not resume;" << rounds;
  ExpectSameCertificates(c, {0, 1, 2, 3}, pending);
}

// A blocking client that plays the handshake, so the test can misbehave after it.
struct Intruder {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket{io};
  std::unique_ptr<SecretStreamSealer> sealer;

  explicit Intruder(uint16_t port) {
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  void Frame(ByteView body) {
    Bytes f;
    p2p::AppendFrame(body, f);
    boost::asio::write(socket, boost::asio::buffer(f));
  }
  Bytes ReadFrame() {
    uint8_t len[4];
    boost::asio::read(socket, boost::asio::buffer(len));
    Bytes b(len[0] | len[1] << 8 | len[2] << 16 | static_cast<uint32_t>(len[3]) << 24);
    boost::asio::read(socket, boost::asio::buffer(b));
    return b;
  }
  bool ClosedByServer() {
    struct timeval tv {5, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    uint8_t b;
    boost::system::error_code ec;
    for (int i = 0; i < 100000; ++i) {
      socket.read_some(boost::asio::buffer(&b, 1), ec);
      if (ec) return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
    }
    return false;
  }
};

TEST(ProcessClusterTest, IntrudersAreRefusedAndDoNotDisturbTheOthers) {
  ProcessCluster c("intruder", 4);
  ASSERT_TRUE(c.ok());
  for (uint32_t i = 0; i < 3; ++i) c.Start(i);  // validator 3's key is played by the test
  ASSERT_TRUE(Eventually([&] { return c.Height(0) >= 2; }, 20s));
  const std::string& chain = c.genesis().chain_id;
  {
    Intruder garbage(c.p2p_port(0));
    Bytes junk(1000);
    RandomBytes(junk.data(), junk.size());
    boost::asio::write(garbage.socket, boost::asio::buffer(junk));
    EXPECT_TRUE(garbage.ClosedByServer());
  }
  {
    Intruder stranger(c.p2p_port(0));
    auto eph = KxKeyPair::Generate();
    stranger.Frame(Encode(p2p::MakeHello(chain, p2p::HandshakeRole::kDialer,
                                         PrivateKey::Generate(), eph)));
    EXPECT_TRUE(stranger.ClosedByServer()) << "a key outside the genesis was accepted";
  }
  PrivateKey v3 = ReadKeyFile(c.home(3) / "config" / "validator_key.json")->key;
  auto handshake = [&](Intruder& in) {
    auto eph = KxKeyPair::Generate();
    in.Frame(Encode(p2p::MakeHello(chain, p2p::HandshakeRole::kDialer, v3, eph)));
    auto hello = Decode<p2p::Hello>(in.ReadFrame());
    ASSERT_TRUE(hello.ok());
    auto keys = SessionKeys::ForClient(eph, hello->ephemeral);
    ASSERT_TRUE(keys.ok());
    in.sealer = std::make_unique<SecretStreamSealer>(keys->tx);
    in.Frame(in.sealer->header().view());
    EXPECT_EQ(in.ReadFrame().size(), kSecretStreamHeaderBytes);
  };
  {
    Intruder oversized(c.p2p_port(0));
    handshake(oversized);
    uint8_t huge[4] = {0xff, 0xff, 0xff, 0x7f};
    boost::asio::write(oversized.socket, boost::asio::buffer(huge));
    EXPECT_TRUE(oversized.ClosedByServer());
  }
  {
    Intruder forger(c.p2p_port(0));
    handshake(forger);
    Bytes forged(200);
    RandomBytes(forged.data(), forged.size());
    forger.Frame(forged);
    EXPECT_TRUE(forger.ClosedByServer());
  }
  {
    // Authenticated, well-encrypted, but a forged consensus vote: dropped, node unharmed.
    Intruder voter(c.p2p_port(0));
    handshake(voter);
    Writer w;
    w.U8(1).U8(2);  // node wire kind "consensus", consensus kind "vote"
    Vote v;
    v.round = 5;
    v.voter = 1;  // claims to be validator 1, signed by nobody
    v.Encode(w);
    Bytes frame(4);
    voter.sealer->Seal(w.bytes(), frame);
    uint32_t n = static_cast<uint32_t>(frame.size() - 4);
    for (int i = 0; i < 4; ++i) frame[i] = static_cast<uint8_t>(n >> (8 * i));
    boost::asio::write(voter.socket, boost::asio::buffer(frame));
    std::this_thread::sleep_for(200ms);
  }
  auto s = c.Status(0);
  EXPECT_GE(s["p2p_refused"].get<uint64_t>(), 2u);
  EXPECT_GE(s["p2p_bad_frames"].get<uint64_t>(), 2u);
  uint64_t h = c.Height(0);
  EXPECT_TRUE(Eventually([&] { return c.Height(0) >= h + 3 && c.Height(1) >= h + 3; }, 20s))
      << "the cluster stopped committing";
  auto pending = SubmitTransfers(c, 1, "vsp-1", 0, 3);
  EXPECT_TRUE(Eventually([&] { return AllFound(c, {0, 1, 2}, pending); }, 20s));
}

}  // namespace
}  // namespace metaledger::node::testing
