#pragma once
// A small chain for contract tests: genesis accounts with deterministic keys, signed
// transactions, and one call per block. Every code a block returns is recorded so the coverage
// test can check which error codes the suite produced.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "contracts/executor.h"
#include "contracts/queries.h"
#include "core/payload/ids.h"
#include "core/payload/payloads.h"

namespace metaledger::contracts::testing {

inline std::set<uint16_t>& CodesSeen() {
  static std::set<uint16_t> seen;
  return seen;
}

class AcceptAll final : public SignatureVerifier {
 public:
  bool Verify(const PublicKey&, ByteView, const Signature&) override { return true; }
};

inline PrivateKey KeyFor(uint8_t i) {
  uint8_t seed[32] = {};
  seed[0] = i;
  seed[1] = 0x5a;
  return *PrivateKey::FromSeed(ByteView(seed, 32));
}

class Chain {
 public:
  static constexpr const char* kChainId = "test-chain";
  explicit Chain(Genesis g, SignatureVerifier& v = StrictVerifier::Instance()) : exec_(v) {
    g.chain_id = kChainId;
    auto ws = Executor::GenesisState(g);
    EXPECT_TRUE(ws.ok()) << ws.status().ToString();
    state_.Apply(*ws);
    time_ms_ = g.genesis_time_ms;
  }

  template <typename P>
  Transaction Tx(const PrivateKey& k, const P& payload) {
    Address a = AddressOf(k.public_key());
    auto acct = QueryAccount(state_, a);
    uint64_t nonce = (acct.ok() && *acct) ? (*acct)->account.nonce : 0;
    nonce += pending_nonce_[a];
    pending_nonce_[a]++;
    Transaction tx = BuildTransaction(kChainId, k.public_key(), nonce, payload);
    tx.Sign(k);
    return tx;
  }

  // Executes one block at the next height with the given transactions.
  std::vector<ErrorCode> Block(const std::vector<Transaction>& txs, uint64_t dt_ms = 1000) {
    pending_nonce_.clear();
    height_ += 1;
    time_ms_ += dt_ms;
    BlockContext b{kChainId, height_, time_ms_};
    auto r = exec_.ExecuteBlock(state_, b, txs);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<ErrorCode> out;
    if (!r.ok()) return out;
    last_ = *r;
    state_.Apply(r->writes);
    for (uint16_t c : r->tx_codes) {
      CodesSeen().insert(c);
      out.push_back(static_cast<ErrorCode>(c));
    }
    return out;
  }
  template <typename P>
  ErrorCode Do(const PrivateKey& k, const P& payload, uint64_t dt_ms = 1000) {
    auto codes = Block({Tx(k, payload)}, dt_ms);
    return codes.empty() ? ErrorCode::BAD_PAYLOAD : codes[0];
  }
  // Empty blocks until the chain is at height h.
  void AdvanceTo(uint64_t h) {
    while (height_ < h) Block({});
  }

  uint64_t Balance(const PrivateKey& k) {
    auto v = QueryAccount(state_, AddressOf(k.public_key()));
    return (v.ok() && *v) ? (*v)->account.balance : 0;
  }
  uint64_t Claimable(const PrivateKey& k) {
    return *QueryClaimable(state_, AddressOf(k.public_key()));
  }

  MemoryState state_;
  Executor exec_;
  uint64_t height_ = 0;
  uint64_t time_ms_ = 0;
  ExecutionResult last_;
  std::map<Address, uint64_t> pending_nonce_;
};

inline GenesisAccount Acct(const PrivateKey& k, uint64_t balance, std::vector<std::string> roles,
                           std::string name) {
  GenesisAccount a;
  a.name = std::move(name);
  a.key = k.public_key();
  a.balance = balance;
  a.roles = std::move(roles);
  return a;
}

inline Address Addr(const PrivateKey& k) { return AddressOf(k.public_key()); }

inline Hash256 H(uint8_t b) {
  Hash256 h;
  h.bytes.fill(b);
  return h;
}

}  // namespace metaledger::contracts::testing
