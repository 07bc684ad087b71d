#include "core/payload/ids.h"

#include "core/codec.h"

namespace metaledger {

Hash256 DataId(std::string_view chain_id, const Hash256& content_root, const Address& owner) {
  TaggedHasher h("metaledger/data/v1", chain_id);
  return h.Update(content_root.view()).Update(owner.view()).Finish();
}

Hash256 DeviceSigningHash(std::string_view chain_id, const Hash256& content_root,
                          uint64_t generation_ts_ms, std::span<const uint64_t> cells) {
  Writer w;
  w.Fixed(content_root).U64(generation_ts_ms).Varint(cells.size());
  for (uint64_t c : cells) w.U64(c);
  return TaggedHash("metaledger/devsig/v1", chain_id, w.bytes());
}

Hash256 BidCommitment(std::string_view chain_id, const Hash256& task_id, const Address& op,
                      const Address& uav, uint64_t ask, const Hash256& salt) {
  Writer w;
  w.Fixed(task_id).Fixed(op).Fixed(uav).U64(ask).Fixed(salt);
  return TaggedHash("metaledger/bid/v1", chain_id, w.bytes());
}

Hash256 AuctionTaskId(std::string_view chain_id, const Address& vsp, uint64_t nonce) {
  Writer w;
  w.Fixed(vsp).U64(nonce);
  return TaggedHash("metaledger/auction/v1", chain_id, w.bytes());
}

Hash256 ProposalId(std::string_view chain_id, const Address& proposer, uint64_t nonce) {
  Writer w;
  w.Fixed(proposer).U64(nonce);
  return TaggedHash("metaledger/proposal/v1", chain_id, w.bytes());
}

Hash256 BidOrderKey(std::string_view chain_id, const Hash256& task_id, const Address& uav) {
  Writer w;
  w.Fixed(task_id).Fixed(uav);
  return TaggedHash("metaledger/bidorder/v1", chain_id, w.bytes());
}

}  // namespace metaledger
