#pragma once
// Batches and block payloads.
//
// A validator groups admitted transactions into a Batch and sends it to the other validators
// ahead of any proposal; a block's payload is only the list of batch hashes (BlockPayload).
// The transactions a block orders are the batches' transactions, batch by batch, in payload
// order; the header's tx_root is the RFC 6962 root over their ids.

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/block.h"
#include "core/codec.h"
#include "core/crypto/hash.h"
#include "core/transaction.h"

namespace metaledger::node {

struct Batch {
  static constexpr uint8_t kVersion = 1;
  static constexpr size_t kMaxTxs = 20000;

  uint32_t author = 0;  // validator index
  uint64_t seq = 0;     // per author, so two batches with the same txs still differ
  std::vector<Transaction> txs;

  // H("metaledger/batch/v1" ‖ chain ‖ encoding).
  Hash256 Hash(std::string_view chain_id) const;
  static Hash256 HashOfEncoding(std::string_view chain_id, ByteView encoded);
  void Encode(Writer& w) const;
  static Batch DecodeFrom(Reader& r);
  // Decodes a batch as received (all of `encoded`) and sets the transaction ids from the
  // received bytes themselves. The codec is canonical (a decoder refuses every other encoding
  // of the same values), so those are the bytes Transaction::Hash() would build again, as
  // HashOfEncoding(encoded) is Hash(): this saves re-encoding every transaction, an allocation
  // and a copy each.
  static Result<Batch> DecodeReceived(ByteView encoded);

  // The ids of `txs`, computed once (a batch's ids are needed at proposal, validation and
  // execution on every node), or already by DecodeReceived. Not thread-safe; `txs` must not
  // change after the first call.
  const std::vector<Hash256>& TxIds() const;
  // Sets what TxIds() returns to ids the caller already has (ids[i] == txs[i].Hash(), which
  // the caller vouches for): the mempool hashed each transaction when it admitted it.
  void AdoptTxIds(std::vector<Hash256> ids) { tx_ids_ = std::move(ids); }

 private:
  // With `ids`, also the id of each transaction, hashed from its bytes in `encoded` (the whole
  // input of `r`).
  static Batch DecodeWithIds(Reader& r, ByteView encoded, std::vector<Hash256>* ids);

  mutable std::vector<Hash256> tx_ids_;
};

struct BlockPayload {
  static constexpr uint8_t kVersion = 1;
  static constexpr size_t kMaxBatches = 4096;

  std::vector<Hash256> batches;

  void Encode(Writer& w) const;
  static BlockPayload DecodeFrom(Reader& r);
};

// The batch hashes a block carries; an empty payload (an empty block) carries none.
Result<BlockPayload> PayloadOf(const Block& block);

// tx ids of `batches` in order, and their Merkle root.
std::vector<Hash256> TxIds(const std::vector<const Batch*>& batches);

}  // namespace metaledger::node
