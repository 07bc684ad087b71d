#pragma once
// The public REST API (`/v1`), as routes on a Router. Reads come from a ChainReader and
// ContractViews, submissions and node status from a RestBackend (node/rest/backend.h).
//
// Conventions every route keeps: JSON bodies; errors as RFC 9457 problem documents with a stable
// `code`; 64-bit integers as decimal strings; hashes and bytes as lowercase hex; the header
// X-Metaledger-Height on every response gives the certified height it was served at; finalized
// objects carry ETag = their hash and answer If-None-Match with 304; lists use opaque cursors
// (default page RestOptions::default_page, at most max_page).

#include <nlohmann/json.hpp>

#include "node/rest/backend.h"
#include "node/rest/router.h"
#include "node/rest/server.h"

namespace metaledger::rest {

class RestApi {
 public:
  // All references must outlive the RestApi and the Router it registers into.
  RestApi(const ChainReader& chain, const ContractViews& views, RestBackend& backend,
          RestOptions options);

  void Register(Router& router);

 private:
  // Route handlers live in api_chain.cpp (blocks, txs, proofs, accounts, state) and
  // api_node.cpp (status, submission, events, contract views, OpenAPI).
  void RegisterChainRoutes(Router& router);
  void RegisterNodeRoutes(Router& router);

  const ChainReader& chain_;
  const ContractViews& views_;
  RestBackend& backend_;
  RestOptions options_;
};

// docs/api/openapi.yaml (embedded at build time) as JSON; a JSON null if it does not parse.
const nlohmann::json& OpenApiDocument();

}  // namespace metaledger::rest
