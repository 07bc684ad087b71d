#pragma once
// Maps RocksDB statuses to MetaLedger statuses, keeping RocksDB's message for people.

#include <rocksdb/status.h>

#include <string>
#include <string_view>

#include "core/status.h"

namespace metaledger::storage {

inline Status FromRocks(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status::Ok();
  std::string message = std::string(context) + ": " + s.ToString();
  if (s.IsNoSpace()) return Status::ResourceExhausted("disk full: " + message);
  if (s.IsCorruption()) return Status::Corruption(message);
  if (s.IsNotFound()) return Status::NotFound(message);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(message);
  if (s.IsIOError()) return Status::IOError(message);
  if (s.IsNotSupported()) return Status::FailedPrecondition(message);
  return Status::Internal(message);
}

}  // namespace metaledger::storage
