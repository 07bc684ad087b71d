#pragma once
// What scenario actors share: a Party (a named account with its key) and the TxSink through
// which they send signed transactions into the block being planned. The sink hands out nonces
// in send order and reports each transaction's result code after the block executed. Actors plan
// in steps (a block in process, a few blocks on a live chain) and write deadlines as ChainHeight.

#include <cstdint>
#include <functional>
#include <string>

#include "core/crypto/ed25519.h"
#include "core/payload/error_codes.h"
#include "core/payload/payloads.h"
#include "core/transaction.h"

namespace metaledger::sim {

struct Party {
  std::string name;
  PrivateKey key;
  Address addr;
  uint64_t initial_balance = 0;
};

using OnResult = std::function<void(ErrorCode)>;

class TxSink {
 public:
  virtual ~TxSink() = default;

  // Builds, signs and queues `payload` from `from` for the block being planned; `on_result`
  // (if set) receives its code once that block executed.
  template <typename P>
  void Submit(const Party& from, const P& payload, OnResult on_result = {}) {
    Transaction tx =
        BuildTransaction(ChainId(), from.key.public_key(), TakeNonce(from.addr), payload);
    tx.Sign(from.key);
    Enqueue(std::move(tx), std::move(on_result));
  }
  // The chain height that ends planning step `step`: deadlines in payloads are chain heights.
  virtual uint64_t ChainHeight(uint64_t step) const = 0;

 protected:
  virtual const std::string& ChainId() const = 0;
  virtual uint64_t TakeNonce(const Address& sender) = 0;
  virtual void Enqueue(Transaction tx, OnResult on_result) = 0;
};

}  // namespace metaledger::sim
