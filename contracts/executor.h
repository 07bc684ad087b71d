#pragma once
// The contract layer's entry point: executes a block's transactions in order over a StateView,
// then the end-of-block hook (proposal expiry, unbonding, auction close/accept/settle, FL round
// finalize, sensing epoch close, validator changes), and returns per-transaction codes, events and the write set.
// Deterministic: a function of (base state, block context, transactions) only.
#include <cstdint>
#include <span>

#include "contracts/context.h"
#include "contracts/params.h"
#include "core/crypto/verifier.h"
#include "core/execution.h"
#include "core/genesis.h"
#include "core/payload/error_codes.h"
#include "core/state_view.h"
#include "core/transaction.h"

namespace metaledger::contracts {

class Executor {
 public:
  explicit Executor(SignatureVerifier& verifier) : verifier_(verifier) {}

  // Height-0 state: accounts (keys, balances, roles, operators), members, validators, params,
  // supply. InvalidArgument for unknown role names or parameters.
  static Result<WriteSet> GenesisState(const Genesis& genesis);

  // Never fails on a bad transaction: it gets an error code, and changes nothing but the
  // sender's nonce. Transactions that carry no authenticated intent for this chain and account
  // (WRONG_CHAIN, BAD_SIGNATURE, UNKNOWN_ACCOUNT, BAD_NONCE) do not bump the nonce either, so a
  // forged transaction cannot burn someone's nonce. A non-OK Status only for storage errors.
  Result<ExecutionResult> ExecuteBlock(const StateView& base, const BlockContext& block,
                                       std::span<const Transaction> txs);

 private:
  SignatureVerifier& verifier_;
};

// Mempool admission pre-check against current state: chain id, account exists, nonce in
// [next, next + nonce_window), kind known, sender holds the kind's role, not suspended, payload
// decodes. The signature is NOT checked here. Returns OK or the code the block would give.
ErrorCode Precheck(const StateView& state, const ChainParams& params, const Transaction& tx,
                   std::string_view chain_id, uint64_t height, uint64_t nonce_window);

}  // namespace metaledger::contracts
