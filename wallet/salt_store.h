#pragma once
// Sealed-bid secrets kept between `auction commit` and `auction reveal`.
//
// The salt is generated and written (fsync'd, mode 0600) BEFORE the commit transaction is
// signed, so a commitment can never reach the ledger without its salt on disk. A record is
// never overwritten: committing twice for the same task and UAV fails until the old record is
// removed on purpose. Records live under <home>/bids/.

#include <filesystem>
#include <string>

#include "core/crypto/hash.h"
#include "core/transaction.h"

namespace metaledger::wallet {

struct BidSecret {
  std::string chain_id;
  Hash256 task_id;
  Address op;  // the operator (sender of the commit)
  Address uav;
  uint64_t ask = 0;
  Hash256 salt;
  Hash256 commitment;  // BidCommitment(...) of the fields above
};

class SaltStore {
 public:
  explicit SaltStore(std::filesystem::path home) : dir_(std::move(home) / "bids") {}

  std::filesystem::path PathFor(std::string_view chain_id, const Hash256& task_id,
                                const Address& uav) const;
  // AlreadyExists if a record for (chain, task, uav) is present.
  Status Save(const BidSecret& secret);
  // NotFound with a message that says where the record was expected.
  Result<BidSecret> Load(std::string_view chain_id, const Hash256& task_id,
                         const Address& uav) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace metaledger::wallet
