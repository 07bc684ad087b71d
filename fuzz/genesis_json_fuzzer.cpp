// libFuzzer target: Genesis::FromJson. Any accepted document must survive ToJson -> FromJson
// unchanged, with the same hash.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/genesis.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto g = metaledger::Genesis::FromJson(text);
  if (!g.ok()) return 0;
  auto again = metaledger::Genesis::FromJson(g->ToJson());
  if (!again.ok() || !(*again == *g) || again->Hash() != g->Hash()) {
    std::fprintf(stderr, "genesis JSON round trip changed the document\n");
    std::abort();
  }
  return 0;
}
