#pragma once
// A test-only RocksDB FileSystem that can simulate power loss and a full or read-only disk.
//
// Power loss: it remembers, for every file written through it, how many bytes had been synced
// (Sync/Fsync). PowerCut() makes every later write fail (the machine is "off"; nothing after
// that point can become durable); DropUnsyncedData() then truncates each file to its synced
// length and deletes files that were never synced, which is what survives a real power cut
// (directory entries are assumed durable once a file was synced: an approximation, see
// docs/storage.md). Reading is unaffected: before the cut the page cache serves everything.

#include <rocksdb/file_system.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace metaledger::storage::testing {

class FaultFs final : public rocksdb::FileSystemWrapper {
 public:
  explicit FaultFs(std::shared_ptr<rocksdb::FileSystem> base = rocksdb::FileSystem::Default())
      : FileSystemWrapper(std::move(base)) {}

  static const char* kClassName() { return "MetaLedgerFaultFs"; }
  const char* Name() const override { return kClassName(); }

  // Power loss.
  void PowerCut() { powered_.store(false); }
  // The cut happens on the n-th write or sync from now (n >= 1); 0 disables.
  void PowerCutAfter(int64_t ops) { countdown_.store(ops); }
  void DropUnsyncedData();  // call after PowerCut and after the database is closed
  void PowerOn() {
    countdown_.store(0);
    powered_.store(true);
  }

  // Disk full: appends fail with NoSpace once `bytes` more have been written (< 0: unlimited).
  void SetSpaceLeft(int64_t bytes) { space_left_.store(bytes); }
  // Read-only: creating, writing, renaming or deleting files fails with an I/O error.
  void SetReadOnly(bool read_only) { read_only_.store(read_only); }

  // Called by tracked files.
  rocksdb::IOStatus BeforeWrite(size_t bytes);
  void Appended(const std::string& name, uint64_t new_size);
  void Synced(const std::string& name);

  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                       std::unique_ptr<rocksdb::FSWritableFile>* r,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& s, const std::string& t,
                               const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus LinkFile(const std::string& s, const std::string& t,
                             const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& f, const rocksdb::IOOptions& o,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus CreateDir(const std::string& d, const rocksdb::IOOptions& o,
                              rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus CreateDirIfMissing(const std::string& d, const rocksdb::IOOptions& o,
                                       rocksdb::IODebugContext* dbg) override;

 private:
  struct FileState {
    uint64_t size = 0;
    uint64_t synced = 0;
    bool ever_synced = false;
  };
  rocksdb::IOStatus Gate();  // fails when off or read-only

  std::atomic<bool> powered_{true};
  std::atomic<int64_t> countdown_{0};
  std::atomic<int64_t> space_left_{-1};
  std::atomic<bool> read_only_{false};
  std::mutex mu_;
  std::map<std::string, FileState> files_;
};

}  // namespace metaledger::storage::testing
