#pragma once
// What executing one block produces: a result code per transaction, contract events, and the
// write set. Storage persists it; the REST API serves it.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/codec.h"
#include "core/state_view.h"

namespace metaledger {

struct Event {
  static constexpr uint32_t kEndOfBlock = 0xffffffff;  // emitted by the end-of-block hook

  uint32_t tx_index = kEndOfBlock;
  std::string type;  // e.g. "auction.closed"
  std::vector<std::pair<std::string, std::string>> attributes;  // in emission order

  void Encode(Writer& w) const;
  static Event DecodeFrom(Reader& r);
  bool operator==(const Event&) const = default;
};

struct ExecutionResult {
  std::vector<uint16_t> tx_codes;  // 0 = OK; otherwise a contract error code
  std::vector<Event> events;
  WriteSet writes;

  // Codes and events only (the write set is persisted as state).
  void EncodeReceipts(Writer& w) const;
  static ExecutionResult DecodeReceipts(Reader& r);
  bool operator==(const ExecutionResult&) const = default;
};

}  // namespace metaledger
