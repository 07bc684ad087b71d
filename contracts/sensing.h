#pragma once
// UAV sensing pools (spec section 5). A VSP creates and funds a pool; UAV operators register
// their UAVs' datasets into the current epoch (EPOCH_BLOCKS); at the epoch boundary each pool
// pays P * Σ_operator v / Σ_all v into claimable rewards and carries the remainder.
//   fresh(A) = PPM if A <= A0; PPM*(Amax-A)/(Amax-A0) if A0 < A < Amax; 0 beyond
//   clip = PPM*min(n, CAP)/n, n = accepted records in the same (pool, epoch, cell, slot)
//   v = cellw*fresh/PPM*qual/PPM*clip/PPM*R/PPM  (cellw = qual = PPM in v1)
#include <cstdint>
#include <vector>

#include "contracts/context.h"
#include "core/payload/payloads.h"

namespace metaledger::contracts {

struct PoolRecord {
  Address vsp;
  uint64_t balance = 0;  // paid at the next epoch close (includes carried remainder)
  uint64_t total_paid = 0;
  uint64_t open_epoch = 0;  // the epoch whose entries the next close pays
  void Encode(Writer& w) const;
  static PoolRecord DecodeFrom(Reader& r);
  bool operator==(const PoolRecord&) const = default;
};

struct SensingEntry {
  Hash256 data_id;
  Address operator_addr;
  Address uav;
  uint64_t cell = 0;
  uint64_t slot = 0;
  uint64_t aoi_ms = 0;
  uint64_t fresh_ppm = 0;
  uint64_t reputation_ppm = 0;
  bool too_old = false;
  bool operator==(const SensingEntry&) const = default;
};

struct PoolEpochRecord {
  std::vector<SensingEntry> entries;  // in registration order
  bool closed = false;
  uint64_t paid = 0;
  uint64_t carried = 0;
  void Encode(Writer& w) const;
  static PoolEpochRecord DecodeFrom(Reader& r);
  bool operator==(const PoolEpochRecord&) const = default;
};

uint64_t FreshnessPpm(uint64_t aoi_ms, uint64_t a0, uint64_t amax);
uint64_t ClipPpm(uint64_t n, uint64_t cap);

Result<bool> PoolExists(const Ctx& ctx, const Hash256& pool_id);
// Adds tokens (already counted in `held`) to a pool's balance.
Outcome AddToPool(Ctx& ctx, const Hash256& pool_id, uint64_t amount);

Outcome HandleCreatePool(Ctx& ctx, const CreatePoolPayload& p);
Outcome HandleFundPool(Ctx& ctx, const FundPoolPayload& p);
Outcome HandleRegisterSensing(Ctx& ctx, const RegisterSensingPayload& p);
// End-of-block at the first height of the next epoch: pays every pool with entries.
Status CloseSensingEpochs(Ctx& ctx);

}  // namespace metaledger::contracts
