// Property tests: encodings round trip for arbitrary values, and decoders never crash on
// arbitrary or mutated bytes; whatever they accept re-encodes to the same bytes (canonical).

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "core/bytes.h"
#include "tests/core/samples.h"

namespace metaledger {
namespace {

template <size_t N>
FixedBytes<N> ArbitraryFixed() {
  auto v = *rc::gen::container<std::vector<uint8_t>>(N, rc::gen::arbitrary<uint8_t>());
  FixedBytes<N> out;
  std::copy(v.begin(), v.end(), out.bytes.begin());
  return out;
}

RC_GTEST_PROP(CodecProperty, VarintRoundTrips, (uint64_t v)) {
  Writer w;
  w.Varint(v);
  RC_ASSERT(w.size() >= 1u && w.size() <= 10u);
  Reader r(w.bytes());
  RC_ASSERT(r.Varint() == v);
  RC_ASSERT(r.Finish().ok());
}

RC_GTEST_PROP(CodecProperty, TransactionRoundTrips,
              (std::string chain, uint64_t nonce, uint16_t kind, std::vector<uint8_t> payload)) {
  Transaction tx;
  tx.chain_id = chain.substr(0, Transaction::kMaxChainId);
  tx.sender = ArbitraryFixed<32>();
  tx.nonce = nonce;
  tx.kind = kind;
  tx.payload = payload;
  tx.signature = ArbitraryFixed<64>();
  Bytes b = Encode(tx);
  auto back = Decode<Transaction>(b);
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == tx);
  RC_ASSERT(back->Hash() == tx.Hash());
}

template <typename T>
void RoundTrip(const T& v) {
  auto back = Decode<T>(Encode(v));
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == v);
}

RC_GTEST_PROP(CodecProperty, EveryTypeRoundTrips, (uint64_t seed)) {
  testing::Samples s(seed);
  RoundTrip(s.Tx());
  RoundTrip(s.Header());
  RoundTrip(s.MakeBlock(seed % 2 == 0));
  RoundTrip(s.MakeVote());
  RoundTrip(s.Qc());
  RoundTrip(s.Timeout());
  RoundTrip(s.Tc());
  RoundTrip(s.MakeCommitVote());
  RoundTrip(s.MakeCommitCert());
  RoundTrip(s.Proof());
  RoundTrip(s.MakeEvent());
}

// Decodes `bytes` as T; if accepted, the value must encode back to exactly `bytes`.
template <typename T>
void DecodeIsSafeAndCanonical(const Bytes& bytes) {
  auto r = Decode<T>(bytes);
  if (r.ok()) {
    RC_ASSERT(Encode(*r) == bytes);
  } else {
    RC_ASSERT(!r.status().message().empty());
  }
}

void DecodeAll(const Bytes& b) {
  DecodeIsSafeAndCanonical<Transaction>(b);
  DecodeIsSafeAndCanonical<BlockHeader>(b);
  DecodeIsSafeAndCanonical<Block>(b);
  DecodeIsSafeAndCanonical<Vote>(b);
  DecodeIsSafeAndCanonical<QuorumCert>(b);
  DecodeIsSafeAndCanonical<TimeoutMsg>(b);
  DecodeIsSafeAndCanonical<TimeoutCert>(b);
  DecodeIsSafeAndCanonical<CommitVote>(b);
  DecodeIsSafeAndCanonical<CommitCert>(b);
  DecodeIsSafeAndCanonical<ValidatorSet>(b);
  DecodeIsSafeAndCanonical<InclusionProof>(b);
  DecodeIsSafeAndCanonical<Event>(b);
}

RC_GTEST_PROP(CodecProperty, DecodeAnyBytesNeverCrashes, (std::vector<uint8_t> bytes)) {
  DecodeAll(bytes);
}

// Random bytes rarely get past the version byte; mutating valid encodings reaches deeper.
RC_GTEST_PROP(CodecProperty, DecodeMutatedEncodingsNeverCrashes, (uint64_t seed)) {
  testing::Samples s(seed);
  std::vector<Bytes> valid = {Encode(s.Tx()), Encode(s.MakeBlock(true)),  Encode(s.Timeout()),
                              Encode(s.Tc()), Encode(s.MakeCommitCert()), Encode(s.Proof())};
  for (Bytes b : valid) {
    size_t at = *rc::gen::inRange<size_t>(0, b.size());
    switch (*rc::gen::inRange(0, 4)) {
      case 0:
        b[at] ^= *rc::gen::inRange<uint8_t>(1, 255);
        break;
      case 1:
        b.resize(at);
        break;
      case 2:
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), *rc::gen::arbitrary<uint8_t>());
        break;
      default:
        b.erase(b.begin() + static_cast<std::ptrdiff_t>(at));
        break;
    }
    DecodeAll(b);
  }
}

RC_GTEST_PROP(CodecProperty, HexRoundTrips, (std::vector<uint8_t> bytes)) {
  auto back = FromHex(ToHex(bytes));
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == bytes);
}

RC_GTEST_PROP(CodecProperty, HexDecodeNeverCrashes, (std::string text)) {
  auto r = FromHex(text);
  if (r.ok()) RC_ASSERT(r->size() * 2 == text.size());
}

}  // namespace
}  // namespace metaledger
