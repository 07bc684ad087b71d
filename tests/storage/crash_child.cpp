// Commits blocks of the deterministic test chain into a store until it is killed.
//   storage_crash_child <db dir> <seed> [tx index seal entries]
// Writes one byte to stdout after each commit so the parent can see progress.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "storage/ledger_store.h"
#include "tests/storage/test_chain.h"

int main(int argc, char** argv) {
  using namespace metaledger::storage;
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: storage_crash_child <db dir> <seed> [tx index seal entries]\n");
    return 2;
  }
  testing::ChainParams params;
  params.seed = std::stoull(argv[2]);
  testing::ChainGenerator gen(params);
  StoreOptions options;
  if (argc == 4) options.tx_index_seal_entries = std::stoull(argv[3]);
  auto store =
      LedgerStore::Open(argv[1], testing::TestGenesis(), testing::TestGenesisWrites(), options);
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return 1;
  }
  for (;;) {
    std::string round = std::to_string((*store)->last_height() + 1);
    if (auto s = (*store)->SaveSafety(metaledger::AsBytes(round)); !s.ok()) {
      std::fprintf(stderr, "safety: %s\n", s.ToString().c_str());
      return 1;
    }
    auto r = testing::CommitNext(**store, gen);
    if (!r.ok()) {
      std::fprintf(stderr, "commit: %s\n", r.status().ToString().c_str());
      return 1;
    }
    // One byte per commit, unbuffered, so the parent can pick its moment.
    if (write(STDOUT_FILENO, "c", 1) != 1) return 1;
  }
}
