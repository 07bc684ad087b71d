#include "tests/contracts/harness.h"

namespace metaledger::contracts::testing {
namespace {

// After the whole suite: every error code (every spec code, plus the few the spec implies) must
// have been returned by some block in some test. A filtered run cannot judge coverage.
class CoverageCheck : public ::testing::Environment {
 public:
  void TearDown() override {
    if (GTEST_FLAG_GET(filter) != "*") return;
    std::string missing;
    for (ErrorCode code : AllErrorCodes()) {
      if (!CodesSeen().count(static_cast<uint16_t>(code))) {
        missing += std::string(ToString(code)) + " ";
      }
    }
    EXPECT_TRUE(missing.empty()) << "error codes not produced by any test: " << missing;
  }
};

const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new CoverageCheck);

}  // namespace
}  // namespace metaledger::contracts::testing
