// /v1 routes that involve the running node or contract state: status, genesis, submission,
// the event stream, contract views and the OpenAPI document.

#include <memory>

#include "node/rest/api.h"
#include "node/rest/api_util.h"
#include "node/rest/json_views.h"
#include "node/rest/openapi_document.h"

namespace metaledger::rest {

using nlohmann::json;
using namespace internal;

namespace {

// How many blocks one events request may scan, so empty stretches cannot make it slow.
constexpr uint64_t kMaxEventScanBlocks = 1000;

// Events are addressed by "height.index": the index-th event of the block at height.
struct EventCursor {
  uint64_t height = 0;
  uint64_t index = 0;
  std::string Text() const { return std::to_string(height) + "." + std::to_string(index); }
};

Result<EventCursor> ParseEventCursor(std::string_view text) {
  size_t dot = text.find('.');
  if (dot == std::string_view::npos) {
    return Status::InvalidArgument("cursor must look like '<height>.<index>'");
  }
  EventCursor c;
  ML_ASSIGN_OR_RETURN(c.height, ParseU64(text.substr(0, dot), "cursor height"));
  ML_ASSIGN_OR_RETURN(c.index, ParseU64(text.substr(dot + 1), "cursor index"));
  return c;
}

struct EventPage {
  json items = json::array();
  EventCursor next;
};

// Reads events from `from` on, up to `limit` of them and through at most `latest`.
Result<EventPage> ReadEvents(const ChainReader& chain, EventCursor from, size_t limit,
                             uint64_t latest) {
  EventPage page;
  page.next = from;
  uint64_t scan_end = latest;
  if (from.height <= latest && latest - from.height >= kMaxEventScanBlocks) {
    scan_end = from.height + kMaxEventScanBlocks - 1;
  }
  for (uint64_t h = from.height; h <= scan_end; ++h) {
    auto receipts = chain.GetReceipts(h);
    if (!receipts.ok() && receipts.status().code() != StatusCode::kNotFound) {
      return receipts.status();
    }
    std::vector<Transaction> txs;
    if (receipts.ok() && !receipts->events.empty()) {
      ML_ASSIGN_OR_RETURN(txs, chain.GetBlockTxs(h));
    }
    uint64_t first = h == from.height ? from.index : 0;
    size_t count = receipts.ok() ? receipts->events.size() : 0;
    for (uint64_t i = first; i < count; ++i) {
      if (page.items.size() == limit) {
        page.next = {h, i};
        return page;
      }
      const Event& e = receipts->events[i];
      json item = EventView(e);
      item["id"] = EventCursor{h, i}.Text();
      item["height"] = std::to_string(h);
      if (e.tx_index != Event::kEndOfBlock && e.tx_index < txs.size()) {
        item["tx_hash"] = txs[e.tx_index].Hash().Hex();
      }
      page.items.push_back(std::move(item));
    }
    page.next = {h + 1, 0};
  }
  return page;
}

std::string TrimSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// The canonical transaction bytes from a POST body: raw bytes for application/octet-stream,
// {"tx": "<hex>"} for application/json, bare hex otherwise.
Result<Bytes> SubmittedBytes(const Request& req) {
  std::string_view type = req.Header(http::field::content_type);
  std::string hex;
  if (type.starts_with("application/octet-stream")) {
    if (req.body().empty()) return Status::InvalidArgument("empty body");
    return Bytes(req.body().begin(), req.body().end());
  }
  if (type.starts_with("application/json")) {
    json doc = json::parse(req.body(), nullptr, false);
    if (doc.is_discarded()) return Status::InvalidArgument("body is not valid JSON");
    if (!doc.is_object() || !doc.contains("tx") || !doc["tx"].is_string()) {
      return Status::InvalidArgument("expected a JSON object with a hex string field 'tx'");
    }
    hex = doc["tx"].get<std::string>();
  } else {
    hex = TrimSpace(req.body());
  }
  if (hex.starts_with("0x")) hex.erase(0, 2);
  return ParseHexBytes(hex, Transaction::kMaxEncoded, "transaction hex");
}

}  // namespace

RestApi::RestApi(const ChainReader& chain, const ContractViews& views, RestBackend& backend,
                 RestOptions options)
    : chain_(chain), views_(views), backend_(backend), options_(std::move(options)) {}

void RestApi::Register(Router& router) {
  RegisterNodeRoutes(router);
  RegisterChainRoutes(router);
}

void RestApi::RegisterNodeRoutes(Router& router) {
  const ChainReader& chain = chain_;
  const ContractViews& views = views_;
  RestBackend& backend = backend_;
  const RestOptions& opts = options_;

  router.Add(http::verb::get, "/v1/status", [&chain, &backend](const Request&) -> Reply {
    auto latest = chain.LatestHeight();
    if (!latest.ok()) return StatusReply(latest.status());
    NodeStatus node = backend.Status();
    json body = {{"chain_id", chain.genesis().chain_id},
                 {"node_id", node.node_id},
                 {"version", node.version},
                 {"latest_height", std::to_string(*latest)},
                 {"latest_hash", nullptr},
                 {"state_root", nullptr},
                 {"round", std::to_string(node.round)},
                 {"catching_up", node.catching_up},
                 {"peers", node.peers}};
    if (auto block = chain.GetBlock(*latest); block.ok()) {
      body["latest_hash"] = block->Hash(chain.genesis().chain_id).Hex();
    }
    if (auto cert = chain.GetCommitCert(*latest); cert.ok()) {
      body["state_root"] = cert->state_root.Hex();
    }
    return WithHeight(JsonReply(body), *latest);
  });

  router.Add(http::verb::get, "/v1/genesis", [&chain](const Request& req) -> Reply {
    auto latest = chain.LatestHeight();
    if (!latest.ok()) return StatusReply(latest.status());
    const Genesis& genesis = chain.genesis();
    json body = {{"hash", genesis.Hash().Hex()}, {"genesis", json::parse(genesis.ToJson())}};
    return Finalized(req, body, genesis.Hash(), *latest);
  });

  router.Add(http::verb::post, "/v1/txs", [&chain, &backend, &opts](const Request& req) -> Reply {
    auto latest = chain.LatestHeight();
    if (!latest.ok()) return StatusReply(latest.status());
    uint64_t served = *latest;
    bool wait = false;
    if (auto w = req.Query("wait")) {
      if (*w != "commit")
        return WithHeight(StatusReply(Status::InvalidArgument("wait must be 'commit'")), served);
      wait = true;
    }
    auto bytes = SubmittedBytes(req);
    if (!bytes.ok()) return WithHeight(StatusReply(bytes.status()), served);
    Admission admission = backend.SubmitTx(*bytes);
    if (!admission.accepted) {
      // Retryable refusals (a full mempool, a node shutting down) are 503, the rest 400.
      bool retry_later =
          admission.error_code.ends_with("_FULL") || admission.error_code == "NODE_STOPPING";
      return WithHeight(
          ProblemReply(retry_later ? http::status::service_unavailable : http::status::bad_request,
                       admission.error_code, admission.detail),
          served);
    }
    Hash256 hash = admission.tx_hash;
    json pending = {{"hash", hash.Hex()}, {"status", "pending"}};
    if (!wait) {
      return WithHeight(JsonReply(pending, http::status::accepted), served)
          .AddHeader("Location", "/v1/txs/" + hash.Hex());
    }
    Reply reply;
    reply.poll_for = opts.max_commit_wait;
    reply.poll = [&chain, hash, pending](bool final) -> std::optional<Reply> {
      auto latest_now = chain.LatestHeight();
      uint64_t now_height = latest_now.ok() ? *latest_now : 0;
      auto loc = chain.LocateTx(hash);
      if (latest_now.ok() && loc.ok() && loc->height <= now_height) {
        json body = {{"hash", hash.Hex()},
                     {"status", "committed"},
                     {"height", std::to_string(loc->height)},
                     {"index", loc->index}};
        if (auto receipts = chain.GetReceipts(loc->height);
            receipts.ok() && loc->index < receipts->tx_codes.size()) {
          body["result"] = ResultView(receipts->tx_codes[loc->index]);
        }
        return WithHeight(JsonReply(body), now_height);
      }
      if (!final) return std::nullopt;
      json still = pending;
      still["detail"] = "not committed before the wait ended";
      return WithHeight(JsonReply(still, http::status::accepted), now_height);
    };
    return reply;
  });

  router.Add(http::verb::get, "/v1/events", [&chain, &opts](const Request& req) -> Reply {
    auto latest = chain.LatestHeight();
    if (!latest.ok()) return StatusReply(latest.status());
    uint64_t served = *latest;
    auto limit = ParseLimit(req, opts.default_page, opts.max_page);
    if (!limit.ok()) return WithHeight(StatusReply(limit.status()), served);
    EventCursor from;
    std::string cursor_text = req.Query("cursor").value_or("");
    if (cursor_text.empty()) cursor_text = std::string(req.Header("Last-Event-ID"));
    if (!cursor_text.empty()) {
      auto parsed = ParseEventCursor(cursor_text);
      if (!parsed.ok()) return WithHeight(StatusReply(parsed.status()), served);
      from = *parsed;
    }
    bool sse = req.Header(http::field::accept).find("text/event-stream") != std::string_view::npos;
    if (!sse) {
      auto page = ReadEvents(chain, from, *limit, served);
      if (!page.ok()) return WithHeight(StatusReply(page.status()), served);
      json body = {{"height", std::to_string(served)},
                   {"items", std::move(page->items)},
                   {"next_cursor", page->next.Text()}};
      return WithHeight(JsonReply(body), served);
    }
    // Server-Sent Events: each event's id is the cursor to resume after it.
    auto position = std::make_shared<EventCursor>(from);
    size_t page_size = opts.max_page;
    Reply reply;
    reply.AddHeader("X-Metaledger-Height", std::to_string(served));
    reply.stream = [&chain, position, page_size]() -> Result<std::string> {
      ML_ASSIGN_OR_RETURN(uint64_t now_latest, chain.LatestHeight());
      ML_ASSIGN_OR_RETURN(EventPage page, ReadEvents(chain, *position, page_size, now_latest));
      std::string out;
      for (size_t i = 0; i < page.items.size(); ++i) {
        const json& item = page.items[i];
        auto at = ParseEventCursor(item["id"].get<std::string>());
        EventCursor after{at->height, at->index + 1};
        out += "id: " + after.Text() + "\nevent: " + item["type"].get<std::string>() +
               "\ndata: " + item.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
      }
      *position = page.next;
      return out;
    };
    return reply;
  });

  // Contract views: /<prefix>/{id} answered by ContractViews at ?height= (default latest).
  auto view = [&chain, &views](ViewKind kind, bool address_id, const char* what) {
    return [&chain, &views, kind, address_id, what](const Request& req) -> Reply {
      auto latest = chain.LatestHeight();
      if (!latest.ok()) return StatusReply(latest.status());
      uint64_t served = *latest;
      auto fail = [served](const Status& s) { return WithHeight(StatusReply(s), served); };
      ViewQuery query;
      query.kind = kind;
      query.height = served;
      const std::string& id_text = req.Param(address_id ? "address" : "id");
      if (address_id) {
        auto a = ParseAddress(id_text, what);
        if (!a.ok()) return fail(a.status());
        query.id.assign(a->bytes.begin(), a->bytes.end());
      } else {
        auto h = ParseHash(id_text, what);
        if (!h.ok()) return fail(h.status());
        query.id.assign(h->bytes.begin(), h->bytes.end());
      }
      if (kind == ViewKind::kFlRound) {
        auto round = ParseU64(req.Param("round"), "round");
        if (!round.ok()) return fail(round.status());
        query.round = *round;
      }
      if (auto h = req.Query("height"); h && !h->empty()) {
        auto height = ParseU64(*h, "height");
        if (!height.ok()) return fail(height.status());
        if (*height > served) {
          return fail(Status::NotFound("height " + *h + " is not certified yet"));
        }
        query.height = *height;
      }
      auto result = views.Query(query);
      if (!result.ok()) return fail(result.status());
      json body = std::move(result).value();
      if (body.is_object()) body["height"] = std::to_string(query.height);
      return WithHeight(JsonReply(body), served);
    };
  };
  router.Add(http::verb::get, "/v1/accounts/{address}", view(ViewKind::kAccount, true, "address"));
  router.Add(http::verb::get, "/v1/models/{id}", view(ViewKind::kModel, false, "model id"));
  router.Add(http::verb::get, "/v1/fl/tasks/{id}", view(ViewKind::kFlTask, false, "task id"));
  router.Add(http::verb::get, "/v1/fl/tasks/{id}/rounds/{round}",
             view(ViewKind::kFlRound, false, "task id"));
  router.Add(http::verb::get, "/v1/datasets/{id}", view(ViewKind::kDataset, false, "data id"));
  router.Add(http::verb::get, "/v1/datasets/{id}/lineage",
             view(ViewKind::kLineage, false, "data id"));
  router.Add(http::verb::get, "/v1/sensing/pools/{id}",
             view(ViewKind::kSensingPool, false, "pool id"));
  router.Add(http::verb::get, "/v1/auctions/{id}", view(ViewKind::kAuction, false, "task id"));
  router.Add(http::verb::get, "/v1/twins/{id}", view(ViewKind::kTwin, false, "twin id"));
  router.Add(http::verb::get, "/v1/rewards/{address}", view(ViewKind::kRewards, true, "address"));

  router.Add(http::verb::get, "/v1/openapi.json", [](const Request&) -> Reply {
    const json& doc = OpenApiDocument();
    if (doc.is_null()) {
      return ProblemReply(http::status::internal_server_error, "INTERNAL",
                          "the embedded OpenAPI document does not parse");
    }
    return JsonReply(doc);
  });
}

const json& OpenApiDocument() {
  static const json doc = [] {
    // The YAML file is written in YAML's JSON-compatible flow style; '#' comment lines are
    // the only non-JSON syntax it uses.
    std::string text;
    std::string_view rest = kOpenApiYaml;
    while (!rest.empty()) {
      size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      size_t first = line.find_first_not_of(" \t");
      if (first == std::string_view::npos || line[first] != '#') {
        text.append(line);
        text.push_back('\n');
      }
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
    json parsed = json::parse(text, nullptr, false);
    return parsed.is_discarded() ? json(nullptr) : parsed;
  }();
  return doc;
}

}  // namespace metaledger::rest
