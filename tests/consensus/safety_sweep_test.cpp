// CI safety sweep at one n (SWEEP_N), SWEEP_SEEDS seeded runs with fake signatures: up to f
// faulty validators of every kind (equivocator, withholder, garbage sender, twin), partitions
// that heal, message loss and crash-restarts. No two honest replicas may commit different
// blocks at one height, and each must commit a gap-free chain.

#include "tests/consensus/sweep_common.h"

namespace metaledger::sim {
namespace {

TEST(SafetySweep, NoForkAcrossSeeds) { SweepSafety(SWEEP_N, 1, SWEEP_SEEDS); }

// A smaller set with real Ed25519 signatures, so the fake scheme hides nothing.
TEST(SafetySweep, NoForkWithRealSignatures) { SweepSafety(SWEEP_N, 1000001, 30, true); }

}  // namespace
}  // namespace metaledger::sim
