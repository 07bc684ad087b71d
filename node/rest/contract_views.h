#pragma once
// ContractViews over contracts/queries.h and a LedgerStore: the JSON the contract routes serve.
//
// The state at the asked height is read through LedgerStore: the latest state directly, older
// heights through the authenticated tree's historic roots. FL rounds have no query in
// contracts/queries.h yet and answer kUnavailable.

#include "node/rest/backend.h"
#include "storage/ledger_store.h"

namespace metaledger::rest {

class ContractQueryViews final : public ContractViews {
 public:
  // `store` must outlive the views.
  explicit ContractQueryViews(const storage::LedgerStore& store) : store_(store) {}
  Result<nlohmann::json> Query(const ViewQuery& query) const override;

 private:
  const storage::LedgerStore& store_;
};

}  // namespace metaledger::rest
