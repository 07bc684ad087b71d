#include "core/block.h"

#include "core/merkle.h"

namespace metaledger {

Hash256 BlockHeader::Hash(std::string_view chain_id) const {
  Writer w(200);
  Encode(w);
  return TaggedHash("metaledger/block/v1", chain_id, w.bytes());
}

void BlockHeader::Encode(Writer& w) const {
  w.U8(kVersion).Varint(height).Varint(round).Fixed(parent_hash).Varint(proposer).U64(time_ms)
      .Fixed(payload_hash).Fixed(tx_root).Varint(tx_count).Fixed(validator_set_hash);
}

BlockHeader BlockHeader::DecodeFrom(Reader& r) {
  BlockHeader h;
  r.ExpectVersion(kVersion, "block header");
  h.height = r.Varint();
  h.round = r.Varint();
  h.parent_hash = r.Fixed<32>();
  h.proposer = static_cast<uint32_t>(r.VarintMax(ValidatorSet::kMaxValidators - 1, "proposer"));
  h.time_ms = r.U64();
  h.payload_hash = r.Fixed<32>();
  h.tx_root = r.Fixed<32>();
  h.tx_count = static_cast<uint32_t>(r.VarintMax(1u << 24, "tx count"));
  h.validator_set_hash = r.Fixed<32>();
  return h;
}

void Block::Encode(Writer& w) const {
  header.Encode(w);
  justify.Encode(w);
  w.Bool(tc.has_value());
  if (tc) tc->Encode(w);
  w.Bytes(payload);
}

Block Block::DecodeFrom(Reader& r) {
  Block b;
  b.header = BlockHeader::DecodeFrom(r);
  b.justify = QuorumCert::DecodeFrom(r);
  if (r.Bool()) b.tc = TimeoutCert::DecodeFrom(r);
  b.payload = r.Bytes(kMaxPayload, "block payload");
  return b;
}

Hash256 PayloadHash(std::string_view chain_id, ByteView payload) {
  return TaggedHash("metaledger/payload/v1", chain_id, payload);
}

Block MakeGenesisBlock(std::string_view chain_id, uint64_t genesis_time_ms,
                       const Hash256& validator_set_hash) {
  Block b;
  b.header.time_ms = genesis_time_ms;
  b.header.payload_hash = PayloadHash(chain_id, {});
  b.header.tx_root = MerkleRoot({});
  b.header.validator_set_hash = validator_set_hash;
  return b;
}

}  // namespace metaledger
