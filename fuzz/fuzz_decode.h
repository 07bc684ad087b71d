#pragma once
// Shared body of the decoder fuzz targets: decoding arbitrary bytes must return a value or a
// Status without crashing, and any accepted value must re-encode to exactly the input bytes
// (one value, one encoding). A violation aborts, which libFuzzer reports as a crash.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "core/codec.h"

namespace metaledger::fuzz {

template <typename T>
int FuzzDecode(const uint8_t* data, size_t size) {
  ByteView input(data, size);
  Result<T> value = Decode<T>(input);
  if (!value.ok()) {
    if (value.status().message().empty()) {
      std::fprintf(stderr, "decoder failed without a message\n");
      std::abort();
    }
    return 0;
  }
  Bytes again = Encode(*value);
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) {
    std::fprintf(stderr, "accepted input is not the canonical encoding of its value\n");
    std::abort();
  }
  return 0;
}

}  // namespace metaledger::fuzz

#define METALEDGER_DECODER_FUZZER(Type)                                     \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { \
    return ::metaledger::fuzz::FuzzDecode<Type>(data, size);                \
  }
