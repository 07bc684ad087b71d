#include "core/execution.h"

namespace metaledger {

void Event::Encode(Writer& w) const {
  w.U32(tx_index).String(type).Varint(attributes.size());
  for (const auto& [k, v] : attributes) w.String(k).String(v);
}

Event Event::DecodeFrom(Reader& r) {
  Event e;
  e.tx_index = r.U32();
  e.type = r.String(128, "event type");
  size_t n = r.VarintMax(64, "event attribute count");
  for (size_t i = 0; i < n && r.ok(); ++i) {
    std::string k = r.String(128, "attribute key");
    std::string v = r.String(4096, "attribute value");
    e.attributes.emplace_back(std::move(k), std::move(v));
  }
  return e;
}

void ExecutionResult::EncodeReceipts(Writer& w) const {
  w.U8(1).Varint(tx_codes.size());
  for (uint16_t c : tx_codes) w.Varint(c);
  w.Varint(events.size());
  for (const Event& e : events) e.Encode(w);
}

ExecutionResult ExecutionResult::DecodeReceipts(Reader& r) {
  ExecutionResult out;
  r.ExpectVersion(1, "receipts");
  size_t n = r.VarintMax(1u << 24, "tx code count");
  for (size_t i = 0; i < n && r.ok(); ++i) out.tx_codes.push_back(static_cast<uint16_t>(r.VarintMax(0xffff, "code")));
  size_t m = r.VarintMax(1u << 24, "event count");
  for (size_t i = 0; i < m && r.ok(); ++i) out.events.push_back(Event::DecodeFrom(r));
  return out;
}

}  // namespace metaledger
