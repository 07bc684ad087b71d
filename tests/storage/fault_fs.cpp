#include "tests/storage/fault_fs.h"

#include <filesystem>

namespace metaledger::storage::testing {
namespace {

class TrackedFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  TrackedFile(std::unique_ptr<rocksdb::FSWritableFile> file, FaultFs& fs, std::string name,
              uint64_t size)
      : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs), name_(std::move(name)), size_(size) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                           rocksdb::IODebugContext* dbg) override {
    auto s = fs_.BeforeWrite(data.size());
    if (s.ok()) s = target()->Append(data, o, dbg);
    if (s.ok()) Grew(size_ + data.size());
    return s;
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                           const rocksdb::DataVerificationInfo& /*info*/,
                           rocksdb::IODebugContext* dbg) override {
    return Append(data, o, dbg);
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                     const rocksdb::IOOptions& o,
                                     rocksdb::IODebugContext* dbg) override {
    auto s = fs_.BeforeWrite(data.size());
    if (s.ok()) s = target()->PositionedAppend(data, offset, o, dbg);
    if (s.ok()) Grew(std::max(size_, offset + data.size()));
    return s;
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                     const rocksdb::IOOptions& o,
                                     const rocksdb::DataVerificationInfo& /*info*/,
                                     rocksdb::IODebugContext* dbg) override {
    return PositionedAppend(data, offset, o, dbg);
  }
  rocksdb::IOStatus Truncate(uint64_t size, const rocksdb::IOOptions& o,
                             rocksdb::IODebugContext* dbg) override {
    auto s = fs_.BeforeWrite(0);
    if (s.ok()) s = target()->Truncate(size, o, dbg);
    if (s.ok()) Grew(size);
    return s;
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    auto s = fs_.BeforeWrite(0);
    if (s.ok()) s = target()->Sync(o, dbg);
    if (s.ok()) fs_.Synced(name_);
    return s;
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    auto s = fs_.BeforeWrite(0);
    if (s.ok()) s = target()->Fsync(o, dbg);
    if (s.ok()) fs_.Synced(name_);
    return s;
  }
  // RangeSync is only a hint to start writeback; it promises nothing, so it is not a sync.

 private:
  void Grew(uint64_t size) {
    size_ = size;
    fs_.Appended(name_, size_);
  }
  FaultFs& fs_;
  std::string name_;
  uint64_t size_;
};

}  // namespace

rocksdb::IOStatus FaultFs::Gate() {
  if (!powered_.load()) return rocksdb::IOStatus::IOError("simulated power loss");
  if (read_only_.load()) return rocksdb::IOStatus::IOError("simulated read-only file system");
  return rocksdb::IOStatus::OK();
}

rocksdb::IOStatus FaultFs::BeforeWrite(size_t bytes) {
  if (int64_t left = countdown_.load(); left > 0) {
    if (countdown_.fetch_sub(1) == 1) PowerCut();
  }
  auto s = Gate();
  if (!s.ok()) return s;
  if (bytes > 0 && space_left_.load() >= 0) {
    if (space_left_.fetch_sub(static_cast<int64_t>(bytes)) < static_cast<int64_t>(bytes)) {
      space_left_.store(0);
      return rocksdb::IOStatus::NoSpace("simulated full disk");
    }
  }
  return rocksdb::IOStatus::OK();
}

void FaultFs::Appended(const std::string& name, uint64_t new_size) {
  std::lock_guard lock(mu_);
  files_[name].size = new_size;
}

void FaultFs::Synced(const std::string& name) {
  std::lock_guard lock(mu_);
  FileState& f = files_[name];
  f.synced = f.size;
  f.ever_synced = true;
}

rocksdb::IOStatus FaultFs::NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                           std::unique_ptr<rocksdb::FSWritableFile>* r,
                                           rocksdb::IODebugContext* dbg) {
  auto s = Gate();
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->NewWritableFile(f, o, &file, dbg);
  if (!s.ok()) return s;
  {
    std::lock_guard lock(mu_);
    files_[f] = FileState{};
  }
  *r = std::make_unique<TrackedFile>(std::move(file), *this, f, 0);
  return s;
}

rocksdb::IOStatus FaultFs::ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                              std::unique_ptr<rocksdb::FSWritableFile>* r,
                                              rocksdb::IODebugContext* dbg) {
  auto s = Gate();
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->ReopenWritableFile(f, o, &file, dbg);
  if (!s.ok()) return s;
  uint64_t size = 0;
  {
    std::lock_guard lock(mu_);
    auto it = files_.find(f);
    if (it != files_.end()) {
      size = it->second.size;
    } else {
      std::error_code ec;
      size = std::filesystem::file_size(f, ec);
      if (ec) size = 0;
      files_[f] = FileState{size, size, true};  // existed before tracking: durable
    }
  }
  *r = std::make_unique<TrackedFile>(std::move(file), *this, f, size);
  return s;
}

rocksdb::IOStatus FaultFs::RenameFile(const std::string& s, const std::string& t,
                                      const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
  auto st = Gate();
  if (!st.ok()) return st;
  st = target()->RenameFile(s, t, o, dbg);
  if (!st.ok()) return st;
  std::lock_guard lock(mu_);
  auto it = files_.find(s);
  if (it != files_.end()) {
    files_[t] = it->second;
    files_.erase(s);
  } else {
    files_.erase(t);
  }
  return st;
}

// A hard link (table file ingestion) shares the source's data, so it shares what was synced.
rocksdb::IOStatus FaultFs::LinkFile(const std::string& s, const std::string& t,
                                    const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
  auto st = Gate();
  if (!st.ok()) return st;
  st = target()->LinkFile(s, t, o, dbg);
  if (!st.ok()) return st;
  std::lock_guard lock(mu_);
  auto it = files_.find(s);
  if (it != files_.end()) files_[t] = it->second;
  return st;
}

rocksdb::IOStatus FaultFs::DeleteFile(const std::string& f, const rocksdb::IOOptions& o,
                                      rocksdb::IODebugContext* dbg) {
  auto s = Gate();
  if (!s.ok()) return s;
  s = target()->DeleteFile(f, o, dbg);
  std::lock_guard lock(mu_);
  files_.erase(f);
  return s;
}

rocksdb::IOStatus FaultFs::CreateDir(const std::string& d, const rocksdb::IOOptions& o,
                                     rocksdb::IODebugContext* dbg) {
  auto s = Gate();
  if (!s.ok()) return s;
  return target()->CreateDir(d, o, dbg);
}

rocksdb::IOStatus FaultFs::CreateDirIfMissing(const std::string& d, const rocksdb::IOOptions& o,
                                              rocksdb::IODebugContext* dbg) {
  if (read_only_.load() || !powered_.load()) {
    bool exists = std::filesystem::is_directory(d);
    if (exists) return rocksdb::IOStatus::OK();
  }
  auto s = Gate();
  if (!s.ok()) return s;
  return target()->CreateDirIfMissing(d, o, dbg);
}

void FaultFs::DropUnsyncedData() {
  std::lock_guard lock(mu_);
  for (const auto& [name, state] : files_) {
    std::error_code ec;
    if (!state.ever_synced) {
      std::filesystem::remove(name, ec);
    } else if (std::filesystem::exists(name, ec) &&
               std::filesystem::file_size(name, ec) > state.synced) {
      std::filesystem::resize_file(name, state.synced, ec);
    }
  }
  files_.clear();
}

}  // namespace metaledger::storage::testing
