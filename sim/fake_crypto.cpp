#include "sim/fake_crypto.h"

#include <cstring>

namespace metaledger::sim {
namespace {

uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

PublicKey FakePublicKey(uint32_t index) {
  PublicKey k;
  for (size_t i = 0; i < 4; ++i) {
    uint64_t w = Mix(0x5eed0000ULL + index * 4 + i);
    std::memcpy(k.bytes.data() + 8 * i, &w, 8);
  }
  return k;
}

Signature FakeSign(const PublicKey& key, ByteView message) {
  uint64_t acc = 0x243f6a8885a308d3ULL;
  for (size_t i = 0; i < key.kSize; ++i) acc = Mix(acc ^ key.bytes[i] ^ (i << 8));
  for (size_t i = 0; i < message.size(); ++i) acc = Mix(acc + message[i] + (i << 16));
  Signature s;
  for (size_t i = 0; i < 8; ++i) {
    uint64_t w = Mix(acc + i);
    std::memcpy(s.bytes.data() + 8 * i, &w, 8);
  }
  return s;
}

}  // namespace metaledger::sim
