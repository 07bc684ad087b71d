#include "consensus/messages.h"

namespace metaledger::consensus {
namespace {

enum Kind : uint8_t { kProposal = 1, kVote = 2, kTimeout = 3, kSync = 4 };

}  // namespace

Hash256 ProposalMessage(std::string_view chain_id, uint64_t round, const Hash256& block_hash) {
  Writer w(40);
  w.U64(round).Fixed(block_hash);
  return TaggedHash("metaledger/proposal/v1", chain_id, w.bytes());
}

void Proposal::Encode(Writer& w) const {
  block.Encode(w);
  w.Fixed(sig);
}

Proposal Proposal::DecodeFrom(Reader& r) {
  Proposal p;
  p.block = Block::DecodeFrom(r);
  p.sig = r.Fixed<64>();
  return p;
}

void SyncInfo::Encode(Writer& w) const {
  w.U8(1);
  highest_qc.Encode(w);
  w.Bool(highest_tc.has_value());
  if (highest_tc) highest_tc->Encode(w);
}

SyncInfo SyncInfo::DecodeFrom(Reader& r) {
  SyncInfo s;
  r.ExpectVersion(1, "sync info");
  s.highest_qc = QuorumCert::DecodeFrom(r);
  if (r.Bool()) s.highest_tc = TimeoutCert::DecodeFrom(r);
  return s;
}

Bytes EncodeMessage(const Message& m) {
  Writer w;
  w.U8(static_cast<uint8_t>(m.index() + 1));
  std::visit([&w](const auto& v) { v.Encode(w); }, m);
  return w.Take();
}

Result<Message> DecodeMessage(ByteView bytes) {
  Reader r(bytes);
  uint8_t kind = r.U8();
  Message m;
  switch (kind) {
    case kProposal:
      m = Proposal::DecodeFrom(r);
      break;
    case kVote:
      m = Vote::DecodeFrom(r);
      break;
    case kTimeout:
      m = TimeoutMsg::DecodeFrom(r);
      break;
    case kSync:
      m = SyncInfo::DecodeFrom(r);
      break;
    default:
      if (r.ok())
        r.Fail(Status::InvalidArgument("unknown consensus message kind " + std::to_string(kind)));
  }
  ML_RETURN_IF_ERROR(r.Finish());
  return m;
}

const char* MessageKindName(const Message& m) {
  static const char* const kNames[] = {"proposal", "vote", "timeout", "sync"};
  return kNames[m.index()];
}

}  // namespace metaledger::consensus
