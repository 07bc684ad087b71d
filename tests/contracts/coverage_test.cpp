#include "tests/contracts/harness.h"

namespace metaledger::contracts::testing {
namespace {

// After the whole suite: every code in kCovered must have been produced by some test. The list
// is the codes this version's tests reach; codes not listed are reported, not silently passed.
class CoverageCheck : public ::testing::Environment {
 public:
  void TearDown() override {
    if (GTEST_FLAG_GET(filter) != "*") return;  // a filtered run cannot judge coverage
    std::string missing;
    for (ErrorCode code : AllErrorCodes()) {
      if (!CodesSeen().count(static_cast<uint16_t>(code))) missing += std::string(ToString(code)) + " ";
    }
    std::printf("error codes not produced by any test: %s\n", missing.empty() ? "(none)" : missing.c_str());
    for (ErrorCode code : kCovered) {
      EXPECT_TRUE(CodesSeen().count(static_cast<uint16_t>(code))) << ToString(code);
    }
  }
  static constexpr ErrorCode kCovered[] = {
      ErrorCode::OK, ErrorCode::BAD_SIGNATURE, ErrorCode::WRONG_CHAIN, ErrorCode::BAD_NONCE,
      ErrorCode::INSUFFICIENT_FUNDS, ErrorCode::UNAUTHORIZED, ErrorCode::SUSPENDED,
      ErrorCode::UNKNOWN_ACCOUNT, ErrorCode::OVERFLOW, ErrorCode::PROPOSAL_CLOSED,
      ErrorCode::DUPLICATE_VOTE, ErrorCode::K_RANGE, ErrorCode::RESERVE_ZERO,
      ErrorCode::BOND_TOO_LOW, ErrorCode::BAD_DEADLINES, ErrorCode::UAV_NOT_OWNED,
      ErrorCode::DUP_OPERATOR_COMMIT, ErrorCode::WRONG_PHASE, ErrorCode::COMMIT_MISMATCH,
      ErrorCode::ALREADY_REVEALED, ErrorCode::BAD_PAYLOAD, ErrorCode::UNKNOWN_KIND,
      ErrorCode::UNKNOWN_PARAM, ErrorCode::BAD_CELLS,
  };
};

const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new CoverageCheck);

}  // namespace
}  // namespace metaledger::contracts::testing
