#pragma once
// SafetyData: what a replica must never forget across a crash. The host stores the canonical
// encoding (opaque to it) whenever a PersistSafety action asks, and completes the write before
// executing any later action of the same list; a restarted replica that gets it back can never
// vote twice in one round or vote against its lock.

#include <optional>

#include "core/certificates.h"
#include "core/codec.h"

namespace metaledger::consensus {

struct SafetyData {
  static constexpr uint8_t kVersion = 1;

  uint64_t last_voted_round = 0;  // also covers rounds this replica timed out in
  uint64_t locked_round = 0;      // highest round of a QC carried by a certified block
  QuorumCert highest_qc;          // round 0 = genesis QC
  std::optional<TimeoutCert> highest_tc;

  void Encode(Writer& w) const;
  static SafetyData DecodeFrom(Reader& r);
  bool operator==(const SafetyData&) const = default;
};

}  // namespace metaledger::consensus
