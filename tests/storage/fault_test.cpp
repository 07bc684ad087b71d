// Disk full, read-only directory and corrupted files: a clear error, never a crash or a
// silent loss of acknowledged blocks.

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "storage/keys.h"
#include "storage/ledger_store.h"
#include "tests/storage/fault_fs.h"
#include "tests/storage/test_chain.h"
#include "tests/storage/test_dir.h"

namespace metaledger::storage {
namespace {

using testing::ChainGenerator;
using testing::ChainParams;
using testing::FaultFs;
using testing::TempDir;

Result<std::unique_ptr<LedgerStore>> OpenStore(const std::string& path,
                                               const StoreOptions& options = {}) {
  return LedgerStore::Open(path, testing::TestGenesis(), testing::TestGenesisWrites(), options);
}

TEST(DiskFull, CommitFailsClearlyAndNothingAcknowledgedIsLost) {
  TempDir dir;
  auto fs = std::make_shared<FaultFs>();
  StoreOptions options;
  options.file_system = fs;
  ChainGenerator gen(ChainParams{});
  uint64_t acked = 0;
  {
    auto store = OpenStore(dir.Sub("db"), options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    fs->SetSpaceLeft(20'000);
    Status failure;
    for (int i = 0; i < 200 && failure.ok(); ++i) {
      auto r = testing::CommitNext(**store, gen);
      if (r.ok()) {
        acked = (*store)->last_height();
      } else {
        failure = r.status();
      }
    }
    ASSERT_FALSE(failure.ok()) << "the disk never filled up";
    EXPECT_EQ(failure.code(), StatusCode::kResourceExhausted) << failure.ToString();
    EXPECT_NE(failure.message().find("disk full"), std::string::npos);
    EXPECT_EQ((*store)->last_height(), acked);
    EXPECT_FALSE((*store)->SaveSafety(AsBytes("1")).ok());
  }
  fs->SetSpaceLeft(-1);
  auto reopened = OpenStore(dir.Sub("db"), options);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_GE((*reopened)->last_height(), acked);
  EXPECT_GT(acked, 0u);
  EXPECT_TRUE(testing::CommitNext(**reopened, gen).ok());
}

TEST(ReadOnly, SimulatedReadOnlyFileSystem) {
  TempDir dir;
  auto fs = std::make_shared<FaultFs>();
  StoreOptions options;
  options.file_system = fs;
  ChainGenerator gen(ChainParams{});
  {
    auto store = OpenStore(dir.Sub("db"), options);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(testing::CommitNext(**store, gen).ok());
  }
  fs->SetReadOnly(true);
  auto rw = OpenStore(dir.Sub("db"), options);
  ASSERT_FALSE(rw.ok());
  EXPECT_EQ(rw.status().code(), StatusCode::kIOError) << rw.status().ToString();
  auto fresh = OpenStore(dir.Sub("new"), options);
  EXPECT_FALSE(fresh.ok());
  // Reading a read-only store still works.
  auto ro = LedgerStore::OpenReadOnly(dir.Sub("db"), options);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  EXPECT_EQ((*ro)->last_height(), 1u);
}

TEST(ReadOnly, ReadOnlyDirectory) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  TempDir dir;
  std::filesystem::create_directories(dir.Sub("ro"));
  ASSERT_EQ(chmod(dir.Sub("ro").c_str(), 0555), 0);
  auto s = OpenStore(dir.Sub("ro") + "/db");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kIOError) << s.status().ToString();
  chmod(dir.Sub("ro").c_str(), 0755);
}

void Scribble(const std::filesystem::path& file, size_t offset, size_t len) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  for (size_t i = 0; i < len; ++i) f.put(static_cast<char>(0x5a ^ i));
}

// Builds a store with a few blocks flushed into table files (via a snapshot, which flushes).
std::string BuildFlushedStore(const TempDir& dir) {
  const std::string live = dir.Sub("live");
  const std::string copy = dir.Sub("flushed");
  auto store = OpenStore(live);
  EXPECT_TRUE(store.ok());
  ChainGenerator gen(ChainParams{});
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(testing::CommitNext(**store, gen).ok());
  EXPECT_TRUE((*store)->CreateSnapshot(copy).ok());
  return copy;
}

TEST(Corruption, GarbageCurrentFile) {
  TempDir dir;
  std::string path = BuildFlushedStore(dir);
  std::ofstream(path + "/CURRENT", std::ios::trunc) << "no-such-manifest\n";
  auto s = OpenStore(path);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().code() == StatusCode::kCorruption ||
              s.status().code() == StatusCode::kIOError ||
              s.status().code() == StatusCode::kNotFound)
      << s.status().ToString();
}

TEST(Corruption, DamagedManifest) {
  TempDir dir;
  std::string path = BuildFlushedStore(dir);
  for (const auto& e : std::filesystem::directory_iterator(path)) {
    if (e.path().filename().string().rfind("MANIFEST", 0) == 0) {
      Scribble(e.path(), 10, 64);
    }
  }
  auto s = OpenStore(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorruption) << s.status().ToString();
}

TEST(Corruption, DamagedTableFilesAreReportedNotServed) {
  TempDir dir;
  std::string path = BuildFlushedStore(dir);
  int damaged = 0;
  for (const auto& e : std::filesystem::directory_iterator(path)) {
    if (e.path().extension() == ".sst" && e.file_size() > 200) {
      Scribble(e.path(), 20, 64);  // inside the first data block
      ++damaged;
    }
  }
  ASSERT_GT(damaged, 0);
  auto s = OpenStore(path);
  if (!s.ok()) {
    EXPECT_EQ(s.status().code(), StatusCode::kCorruption) << s.status().ToString();
    return;
  }
  // If open survived, reads of the damaged data must fail with Corruption, never return junk.
  int corrupt_reads = 0;
  for (uint64_t h = 0; h <= (*s)->last_height(); ++h) {
    for (auto code : {(*s)->GetBlock(h).status().code(), (*s)->GetTxs(h).status().code(),
                      (*s)->GetCert(h).status().code(), (*s)->state_root(h).status().code()}) {
      if (code == StatusCode::kCorruption)
        ++corrupt_reads;
      else
        EXPECT_EQ(code, StatusCode::kOk);
    }
  }
  EXPECT_GT(corrupt_reads, 0);
}

TEST(Corruption, UndecodableMetaValue) {
  TempDir dir;
  std::string path = dir.Sub("db");
  ASSERT_TRUE(OpenStore(path).ok());  // created, then closed
  rocksdb::DB* raw = nullptr;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (std::string_view n : keys::kCfNames) {
    cfs.emplace_back(std::string(n), rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &raw).ok());
  ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), handles[keys::kMeta], "last_height", "abc").ok());
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  auto s = OpenStore(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorruption) << s.status().ToString();
}

}  // namespace
}  // namespace metaledger::storage
