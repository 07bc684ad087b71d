// A REST server over a pre-filled LedgerStore, for `wrk` runs (docs/benchmarks.md, "REST API").
//   rest_bench_server [blocks] [port]
// prints "port=<p> height=<h> tx=<hash>" and serves until stdin closes.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>

#include "node/rest/ledger_reader.h"
#include "node/rest/rest_service.h"
#include "tests/node/rest/test_chain.h"

using namespace metaledger;
using namespace metaledger::rest;

int main(int argc, char** argv) {
  uint64_t blocks = argc > 1 ? std::stoull(argv[1]) : 200;
  uint16_t port = argc > 2 ? static_cast<uint16_t>(std::stoul(argv[2])) : 0;
  testing::TestChain chain(blocks);
  auto dir = std::filesystem::temp_directory_path() /
             ("metaledger-rest-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  storage::StoreOptions store_options;
  store_options.sync_writes = false;
  auto store = storage::LedgerStore::Open(dir.string(), chain.genesis(), {}, store_options);
  if (!store.ok()) {
    std::cerr << store.status().ToString() << "\n";
    return 1;
  }
  for (uint64_t h = 1; h <= blocks; ++h) {
    Block block = *chain.GetBlock(h);
    auto prepared = (*store)->Prepare(block, *chain.GetBlockTxs(h), *chain.GetReceipts(h));
    if (!prepared.ok() ||
        !(*store)->CommitBlock(*prepared, chain.SignCert(block, prepared->state_root())).ok()) {
      std::cerr << "cannot fill the store\n";
      return 1;
    }
  }
  LedgerStoreReader reader(**store, chain.genesis());
  testing::FakeViews views;
  testing::FakeBackend backend(&chain);
  MetricsRegistry metrics;
  RestOptions api;
  api.port = port;
  api.rate_per_second = 0;
  api.max_connections = 10000;
  RestOptions ops;
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RestService service(io, api, ops, {&reader, &views, &backend, &metrics, "bench"});
  if (Status s = service.Start(); !s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 1;
  }
  auto txs = *chain.GetBlockTxs(blocks / 2);
  std::cout << "port=" << service.api_port() << " height=" << blocks / 2
            << " tx=" << txs.front().Hash().Hex() << std::endl;
  std::thread io_thread([&] { io.run(); });
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  service.Stop();
  work.reset();
  io.stop();
  io_thread.join();
  std::filesystem::remove_all(dir);
  return 0;
}
