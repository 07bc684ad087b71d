// libFuzzer target: FromHex. Accepted text must be an even-length hex string whose bytes
// print back as the same text, lowercased.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto bytes = metaledger::FromHex(text);
  if (!bytes.ok()) return 0;
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (metaledger::ToHex(*bytes) != lower) {
    std::fprintf(stderr, "hex round trip mismatch\n");
    std::abort();
  }
  return 0;
}
