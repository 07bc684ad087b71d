// /v1 routes over committed chain data: blocks, certificates, transactions, inclusion proofs,
// account transaction lists and historic state.

#include "core/merkle.h"
#include "core/proof_bundle.h"
#include "node/rest/api.h"
#include "node/rest/api_util.h"
#include "node/rest/json_views.h"

namespace metaledger::rest {

using nlohmann::json;
using namespace internal;

namespace {

constexpr size_t kMaxStateKey = 1024;

Status HeightNotCertified(uint64_t height, uint64_t latest) {
  return Status::NotFound("no certified block at height " + std::to_string(height) +
                          " (latest is " + std::to_string(latest) + ")");
}

// The block at `height` as served by /v1/blocks/{height} and /v1/blocks/by-hash/{hash}.
Result<json> BlockBody(const ChainReader& chain, uint64_t height, Hash256* hash_out) {
  ML_ASSIGN_OR_RETURN(Block block, chain.GetBlock(height));
  ML_ASSIGN_OR_RETURN(std::vector<Transaction> txs, chain.GetBlockTxs(height));
  auto receipts = chain.GetReceipts(height);
  if (!receipts.ok() && receipts.status().code() != StatusCode::kNotFound) return receipts.status();
  const std::string& chain_id = chain.genesis().chain_id;
  json tx_list = json::array();
  for (size_t i = 0; i < txs.size(); ++i) {
    json entry = {{"hash", txs[i].Hash().Hex()}, {"index", i}};
    if (receipts.ok() && i < receipts->tx_codes.size()) {
      entry["result"] = ResultView(receipts->tx_codes[i]);
    }
    tx_list.push_back(std::move(entry));
  }
  *hash_out = block.Hash(chain_id);
  return json{{"height", std::to_string(height)},
              {"hash", hash_out->Hex()},
              {"header", HeaderView(block.header)},
              {"justify",
               {{"round", std::to_string(block.justify.round)},
                {"block_hash", block.justify.block_hash.Hex()},
                {"signers", block.justify.sigs.size()}}},
              {"txs", tx_list}};
}

}  // namespace

void RestApi::RegisterChainRoutes(Router& router) {
  const ChainReader& chain = chain_;
  const RestOptions& opts = options_;

  // Runs `body` with the certified height, turning a failed Status into a problem document.
  auto served = [&chain](auto body) {
    return [&chain, body](const Request& req) -> Reply {
      auto latest = chain.LatestHeight();
      if (!latest.ok()) return StatusReply(latest.status());
      Result<Reply> reply = body(req, *latest);
      if (!reply.ok()) return WithHeight(StatusReply(reply.status()), *latest);
      return std::move(reply).value();
    };
  };

  router.Add(http::verb::get, "/v1/blocks",
             served([&chain, &opts](const Request& req, uint64_t latest) -> Result<Reply> {
               ML_ASSIGN_OR_RETURN(size_t limit, ParseLimit(req, opts.default_page, opts.max_page));
               uint64_t start = latest;
               if (auto cursor = req.Query("cursor"); cursor && !cursor->empty()) {
                 ML_ASSIGN_OR_RETURN(start, ParseU64(*cursor, "cursor"));
                 if (start > latest)
                   return Status::InvalidArgument("cursor is above the latest height");
               }
               json items = json::array();
               uint64_t h = start;
               for (size_t n = 0; n < limit; ++n) {
                 ML_ASSIGN_OR_RETURN(Block block, chain.GetBlock(h));
                 json item = HeaderView(block.header);
                 item["hash"] = block.Hash(chain.genesis().chain_id).Hex();
                 items.push_back(std::move(item));
                 if (h == 0) break;
                 --h;
               }
               bool more = start >= limit;  // heights start-limit .. 0 remain
               json body = {{"height", std::to_string(latest)},
                            {"items", items},
                            {"next_cursor", more ? std::to_string(start - limit) : ""}};
               return WithHeight(JsonReply(body), latest);
             }));

  auto block_at = [&chain](const Request& req, uint64_t height, uint64_t latest) -> Result<Reply> {
    if (height > latest) return HeightNotCertified(height, latest);
    Hash256 hash;
    ML_ASSIGN_OR_RETURN(json body, BlockBody(chain, height, &hash));
    return Finalized(req, body, hash, latest);
  };

  router.Add(http::verb::get, "/v1/blocks/{height}",
             served([block_at](const Request& req, uint64_t latest) -> Result<Reply> {
               ML_ASSIGN_OR_RETURN(uint64_t height, ParseU64(req.Param("height"), "height"));
               return block_at(req, height, latest);
             }));

  router.Add(http::verb::get, "/v1/blocks/by-hash/{hash}",
             served([&chain, block_at](const Request& req, uint64_t latest) -> Result<Reply> {
               ML_ASSIGN_OR_RETURN(Hash256 hash, ParseHash(req.Param("hash"), "block hash"));
               auto height = chain.HeightOfBlock(hash);
               if (!height.ok() || *height > latest) {
                 if (!height.ok() && height.status().code() != StatusCode::kNotFound) {
                   return height.status();
                 }
                 return Status::NotFound("no certified block with hash " + hash.Hex());
               }
               return block_at(req, *height, latest);
             }));

  router.Add(http::verb::get, "/v1/blocks/{height}/certificate",
             served([&chain](const Request& req, uint64_t latest) -> Result<Reply> {
               ML_ASSIGN_OR_RETURN(uint64_t height, ParseU64(req.Param("height"), "height"));
               if (height > latest) return HeightNotCertified(height, latest);
               ML_ASSIGN_OR_RETURN(Block block, chain.GetBlock(height));
               ML_ASSIGN_OR_RETURN(CommitCert cert, chain.GetCommitCert(height));
               Hash256 hash = block.Hash(chain.genesis().chain_id);
               json body = {{"height", std::to_string(height)},
                            {"hash", hash.Hex()},
                            {"header", HeaderView(block.header)},
                            {"certificate", CommitCertView(cert)}};
               return Finalized(req, body, hash, latest);
             }));

  // Finds a committed transaction at or below the served height.
  auto find_tx = [&chain](const Hash256& hash, uint64_t latest,
                          TxLocation* where) -> Result<Transaction> {
    auto loc = chain.LocateTx(hash);
    if (!loc.ok() || loc->height > latest) {
      if (!loc.ok() && loc.status().code() != StatusCode::kNotFound) return loc.status();
      return Status::NotFound("no committed transaction with hash " + hash.Hex());
    }
    ML_ASSIGN_OR_RETURN(std::vector<Transaction> txs, chain.GetBlockTxs(loc->height));
    if (loc->index >= txs.size() || txs[loc->index].Hash() != hash) {
      return Status::Internal("transaction index disagrees with block " +
                              std::to_string(loc->height));
    }
    *where = *loc;
    return std::move(txs[loc->index]);
  };

  router.Add(http::verb::get, "/v1/txs/{hash}",
             served([&chain, find_tx](const Request& req, uint64_t latest) -> Result<Reply> {
               ML_ASSIGN_OR_RETURN(Hash256 hash, ParseHash(req.Param("hash"), "transaction hash"));
               TxLocation loc;
               ML_ASSIGN_OR_RETURN(Transaction tx, find_tx(hash, latest, &loc));
               json body = {{"hash", hash.Hex()},
                            {"height", std::to_string(loc.height)},
                            {"index", loc.index},
                            {"tx", TxView(tx)},
                            {"raw", ToHex(Encode(tx))}};
               auto receipts = chain.GetReceipts(loc.height);
               if (receipts.ok() && loc.index < receipts->tx_codes.size()) {
                 body["result"] = ResultView(receipts->tx_codes[loc.index]);
                 json events = json::array();
                 for (const Event& e : receipts->events) {
                   if (e.tx_index == loc.index) events.push_back(EventView(e));
                 }
                 body["events"] = std::move(events);
               } else if (!receipts.ok() && receipts.status().code() != StatusCode::kNotFound) {
                 return receipts.status();
               }
               return Finalized(req, body, hash, latest);
             }));

  router.Add(http::verb::get, "/v1/txs/{hash}/proof",
             served([&chain, find_tx](const Request& req, uint64_t latest) -> Result<Reply> {
               ML_ASSIGN_OR_RETURN(Hash256 hash, ParseHash(req.Param("hash"), "transaction hash"));
               TxLocation loc;
               ML_ASSIGN_OR_RETURN(Transaction tx, find_tx(hash, latest, &loc));
               ML_ASSIGN_OR_RETURN(std::vector<Transaction> txs, chain.GetBlockTxs(loc.height));
               std::vector<Hash256> leaves;
               leaves.reserve(txs.size());
               for (const Transaction& t : txs) leaves.push_back(t.Hash());
               TxProofBundle bundle;
               bundle.chain_id = chain.genesis().chain_id;
               bundle.tx = Encode(tx);
               ML_ASSIGN_OR_RETURN(bundle.proof, MerkleProve(leaves, loc.index));
               ML_ASSIGN_OR_RETURN(Block block, chain.GetBlock(loc.height));
               bundle.header = block.header;
               ML_ASSIGN_OR_RETURN(bundle.cert, chain.GetCommitCert(loc.height));
               ML_ASSIGN_OR_RETURN(bundle.validators, chain.ValidatorsAt(loc.height));
               return Finalized(req, json::parse(bundle.ToJson()), hash, latest);
             }));

  router.Add(
      http::verb::get, "/v1/accounts/{address}/txs",
      served([&chain, &opts](const Request& req, uint64_t latest) -> Result<Reply> {
        ML_ASSIGN_OR_RETURN(Address address, ParseAddress(req.Param("address"), "address"));
        ML_ASSIGN_OR_RETURN(size_t limit, ParseLimit(req, opts.default_page, opts.max_page));
        std::string cursor = req.Query("cursor").value_or("");
        ML_ASSIGN_OR_RETURN(TxPage page, chain.AccountTxs(address, cursor, limit));
        json items = json::array();
        for (const Hash256& h : page.tx_hashes) {
          auto loc = chain.LocateTx(h);
          if (!loc.ok() || loc->height > latest) continue;  // not certified yet
          items.push_back(
              {{"hash", h.Hex()}, {"height", std::to_string(loc->height)}, {"index", loc->index}});
        }
        json body = {{"address", address.Hex()},
                     {"height", std::to_string(latest)},
                     {"items", items},
                     {"next_cursor", page.next_cursor}};
        return WithHeight(JsonReply(body), latest);
      }));

  router.Add(http::verb::get, "/v1/state/{key}",
             served([&chain](const Request& req, uint64_t latest) -> Result<Reply> {
               ML_ASSIGN_OR_RETURN(Bytes key, ParseHexBytes(req.Param("key"), kMaxStateKey, "key"));
               uint64_t height = latest;
               if (auto h = req.Query("height"); h && !h->empty()) {
                 ML_ASSIGN_OR_RETURN(height, ParseU64(*h, "height"));
                 if (height > latest) return HeightNotCertified(height, latest);
               }
               bool prove = false;
               if (auto p = req.Query("prove")) {
                 if (*p != "true" && *p != "false") {
                   return Status::InvalidArgument("prove must be 'true' or 'false'");
                 }
                 prove = *p == "true";
               }
               ML_ASSIGN_OR_RETURN(StateEntry entry, chain.GetState(key, height, prove));
               json body = {{"key", ToHex(key)},
                            {"height", std::to_string(height)},
                            {"present", entry.value.has_value()},
                            {"value", entry.value ? json(ToHex(*entry.value)) : json(nullptr)},
                            {"state_root", entry.state_root.Hex()}};
               if (prove) {
                 if (!entry.proof) return Status::Unavailable("this node cannot prove state");
                 body["proof"] = *entry.proof;
               }
               return WithHeight(JsonReply(body), latest);
             }));
}

}  // namespace metaledger::rest
