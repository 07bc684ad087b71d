// The benchmark-only node settings ([bench], [p2p] encryption) are off by default and refused
// unless explicitly combined as bench/cluster/run does.
#include <gtest/gtest.h>

#include "node/config.h"

namespace metaledger::node {
namespace {

TEST(BenchConfig, OffByDefault) {
  auto c = ParseConfig("", "test", {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->bench_gateway_port, 0u);
  EXPECT_EQ(c->bench_unsigned_commands, 0u);
  EXPECT_EQ(c->p2p_encryption, 1u);
  auto rendered = ParseConfig(RenderConfig(*c), "rendered", {});
  ASSERT_TRUE(rendered.ok()) << rendered.status().ToString();
  EXPECT_EQ(rendered->p2p_encryption, 1u);
}

TEST(BenchConfig, EncryptionOffNeedsUnsignedBenchMode) {
  auto refused = ParseConfig("[p2p]\nencryption = 0\n", "cfg.toml", {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("[p2p] encryption"), std::string::npos);
  EXPECT_FALSE(ParseConfig("", "t", {{"METALEDGER_P2P_ENCRYPTION", "0"}}).ok());
  auto bench = ParseConfig("", "t",
                           {{"METALEDGER_P2P_ENCRYPTION", "0"},
                            {"METALEDGER_BENCH_UNSIGNED_COMMANDS", "1"},
                            {"METALEDGER_BENCH_GATEWAY_PORT", "7005"}});
  ASSERT_TRUE(bench.ok()) << bench.status().ToString();
  EXPECT_EQ(bench->bench_gateway_port, 7005u);
  EXPECT_FALSE(ParseConfig("[bench]\nunsigned_commands = 2\n", "t", {}).ok());
  EXPECT_FALSE(ParseConfig("[bench]\ngateway_port = 70000\n", "t", {}).ok());
}

}  // namespace
}  // namespace metaledger::node
