#include "core/codec.h"

#include <gtest/gtest.h>

namespace metaledger {
namespace {

TEST(Codec, VarintRoundTrip) {
  for (uint64_t v : {0ull, 1ull, 127ull, 128ull, 300ull, ~0ull}) {
    Writer w;
    w.Varint(v);
    Reader r(w.bytes());
    EXPECT_EQ(r.Varint(), v);
    EXPECT_TRUE(r.Finish().ok());
  }
}

}  // namespace
}  // namespace metaledger
