#include "consensus/safety_data.h"

namespace metaledger::consensus {

void SafetyData::Encode(Writer& w) const {
  w.U8(kVersion).Varint(last_voted_round).Varint(locked_round);
  highest_qc.Encode(w);
  w.Bool(highest_tc.has_value());
  if (highest_tc) highest_tc->Encode(w);
}

SafetyData SafetyData::DecodeFrom(Reader& r) {
  SafetyData s;
  r.ExpectVersion(kVersion, "safety data");
  s.last_voted_round = r.Varint();
  s.locked_round = r.Varint();
  s.highest_qc = QuorumCert::DecodeFrom(r);
  if (r.Bool()) s.highest_tc = TimeoutCert::DecodeFrom(r);
  if (r.ok() && s.locked_round > s.highest_qc.round) {
    r.Fail(Status::Corruption("safety data: locked round above the highest QC round"));
  }
  return s;
}

}  // namespace metaledger::consensus
