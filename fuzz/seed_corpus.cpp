// Writes a few valid encodings of each fuzzed type into <dir>/<target>/ so that the fuzzers
// start past the version bytes. Usage: fuzz_seed_corpus <dir>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/core/samples.h"

namespace {

void Write(const std::filesystem::path& dir, const std::string& target, int i,
           const metaledger::Bytes& bytes) {
  std::filesystem::create_directories(dir / target);
  std::ofstream out(dir / target / ("seed-" + std::to_string(i)), std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  std::filesystem::path dir = argv[1];
  using metaledger::Encode;
  metaledger::testing::Samples s(1);
  for (int i = 0; i < 4; ++i) {
    Write(dir, "fuzz_transaction", i, Encode(s.Tx()));
    Write(dir, "fuzz_block", i, Encode(s.MakeBlock(i % 2 == 0)));
    Write(dir, "fuzz_vote", i, Encode(s.MakeVote()));
    Write(dir, "fuzz_quorum_cert", i, Encode(s.Qc()));
    Write(dir, "fuzz_timeout_cert", i, Encode(s.Tc()));
    Write(dir, "fuzz_timeout", i, Encode(s.Timeout()));
    Write(dir, "fuzz_commit_cert", i, Encode(s.MakeCommitCert()));
    std::string hex = metaledger::ToHex(s.RandomBytes(40));
    Write(dir, "fuzz_hex", i, metaledger::ToBytes(hex));
    metaledger::PrivateKey key = metaledger::PrivateKey::Generate();
    metaledger::Bytes message = s.RandomBytes(static_cast<size_t>(i) * 20);
    metaledger::Signature sig = key.Sign(message);
    metaledger::Bytes signed_input(key.public_key().bytes.begin(), key.public_key().bytes.end());
    signed_input.insert(signed_input.end(), sig.bytes.begin(), sig.bytes.end());
    signed_input.insert(signed_input.end(), message.begin(), message.end());
    Write(dir, "fuzz_ed25519", i, signed_input);
  }
  metaledger::Genesis g;
  g.chain_id = "fuzz-chain";
  g.genesis_time_ms = 1;
  g.validators = s.Validators(4);
  g.accounts.push_back({"acct", metaledger::PrivateKey::Generate().public_key(), 5, {"VSP"}, {}});
  g.params["reward"] = 3;
  Write(dir, "fuzz_genesis_json", 0, metaledger::ToBytes(g.ToJson()));
  return 0;
}
