#pragma once
// Ids and signed digests the contracts derive, shared with the wallet so it can compute them
// offline. Each is H(tag ‖ chain_id ‖ fields) through TaggedHasher, fields in codec form.
#include <span>
#include <string_view>

#include "core/crypto/hash.h"
#include "core/transaction.h"

namespace metaledger {

// data_id = H("metaledger/data/v1" ‖ chain ‖ content_root ‖ owner).
Hash256 DataId(std::string_view chain_id, const Hash256& content_root, const Address& owner);

// What a device signs for RegisterDataset: H("metaledger/devsig/v1" ‖ chain ‖ content_root ‖
// generation_ts_ms ‖ cells). The device signs these 32 bytes with its Ed25519 key.
Hash256 DeviceSigningHash(std::string_view chain_id, const Hash256& content_root,
                          uint64_t generation_ts_ms, std::span<const uint64_t> cells);

// commitment = H("metaledger/bid/v1" ‖ chain ‖ task_id ‖ operator ‖ uav ‖ ask ‖ salt[32]).
Hash256 BidCommitment(std::string_view chain_id, const Hash256& task_id, const Address& op,
                      const Address& uav, uint64_t ask, const Hash256& salt);

// task_id = H("metaledger/auction/v1" ‖ chain ‖ vsp ‖ the PostTask transaction's nonce).
Hash256 AuctionTaskId(std::string_view chain_id, const Address& vsp, uint64_t nonce);

// proposal_id = H("metaledger/proposal/v1" ‖ chain ‖ proposer ‖ the Propose nonce).
Hash256 ProposalId(std::string_view chain_id, const Address& proposer, uint64_t nonce);

// The auction's tie-break among equal asks: H("metaledger/bidorder/v1" ‖ chain ‖ task_id ‖ uav).
Hash256 BidOrderKey(std::string_view chain_id, const Hash256& task_id, const Address& uav);

}  // namespace metaledger
