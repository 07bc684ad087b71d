// Subcommands for sensing pools, the VSP-UAV auction and twin synchronization.
#include <fmt/format.h>

#include "core/payload/ids.h"
#include "wallet/kind_flags.h"
#include "wallet/salt_store.h"

namespace metaledger::wallet {

void AddKindsMarkets(CLI::App& app, Context& ctx) {
  CLI::App* sensing = app.add_subcommand("sensing", "sensing contributions and reward pools");
  sensing->require_subcommand(1);
  Kind(*sensing, ctx, "register", "register a sensing contribution to a pool",
       {{"data-id", "dataset"}, {"pool-id", "pool"}, {"cell", "grid cell"}, {"slot", "time slot"}},
       {}, [](const Flags& f, const TxEnv&) -> Result<TxBody> {
         RegisterSensingPayload p;
         ML_ASSIGN_OR_RETURN(p.data_id, GetHash(f, "data-id"));
         ML_ASSIGN_OR_RETURN(p.pool_id, GetHash(f, "pool-id"));
         ML_ASSIGN_OR_RETURN(p.cell, GetU64(f, "cell"));
         ML_ASSIGN_OR_RETURN(p.slot, GetU64(f, "slot"));
         return MakeBody(p);
       });
  CLI::App* pool = sensing->add_subcommand("pool", "reward pools");
  pool->require_subcommand(1);
  Kind(*pool, ctx, "create", "create a reward pool", {{"pool-id", "hash or @FILE"}}, {},
       [](const Flags& f, const TxEnv&) -> Result<TxBody> {
         CreatePoolPayload p;
         ML_ASSIGN_OR_RETURN(p.pool_id, GetHash(f, "pool-id"));
         return MakeBody(p);
       });
  Kind(*pool, ctx, "fund", "add tokens to a reward pool",
       {{"pool-id", "pool"}, {"amount", "tokens"}}, {},
       [](const Flags& f, const TxEnv&) -> Result<TxBody> {
         FundPoolPayload p;
         ML_ASSIGN_OR_RETURN(p.pool_id, GetHash(f, "pool-id"));
         ML_ASSIGN_OR_RETURN(p.amount, GetU64(f, "amount"));
         return MakeBody(p);
       });
  Kind(*sensing, ctx, "claim", "claim accrued rewards", {}, {},
       [](const Flags&, const TxEnv&) -> Result<TxBody> { return MakeBody(ClaimPayload{}); });

  CLI::App* auction = app.add_subcommand("auction", "VSP-UAV sensing auctions");
  auction->require_subcommand(1);
  Kind(
      *auction, ctx, "post", "post a sensing task (prints its task id)",
      {{"cells", "comma-separated grid cells"},
       {"window-start-ms", "ms"},
       {"window-end-ms", "ms"},
       {"max-aoi-ms", "ms"},
       {"reserve", "max price per winner"},
       {"bid-bond", "tokens"},
       {"commit-end-h", "height"},
       {"reveal-end-h", "height"},
       {"delivery-end-h", "height"},
       {"accept-window-blocks", "blocks"}},
      {{"k", "winners (default 1)"}, {"min-reputation-ppm", "ppm"}, {"spec-hash", "hash or @FILE"}},
      [](const Flags& f, const TxEnv& env) -> Result<TxBody> {
        PostTaskPayload p;
        ML_ASSIGN_OR_RETURN(p.cells, GetU64s(f, "cells"));
        std::sort(p.cells.begin(), p.cells.end());
        ML_ASSIGN_OR_RETURN(p.window_start_ms, GetU64(f, "window-start-ms"));
        ML_ASSIGN_OR_RETURN(p.window_end_ms, GetU64(f, "window-end-ms"));
        ML_ASSIGN_OR_RETURN(p.max_aoi_ms, GetU64(f, "max-aoi-ms"));
        ML_ASSIGN_OR_RETURN(p.k, GetU32Or(f, "k", 1));
        ML_ASSIGN_OR_RETURN(p.reserve, GetU64(f, "reserve"));
        ML_ASSIGN_OR_RETURN(p.bid_bond, GetU64(f, "bid-bond"));
        ML_ASSIGN_OR_RETURN(p.commit_end_h, GetU64(f, "commit-end-h"));
        ML_ASSIGN_OR_RETURN(p.reveal_end_h, GetU64(f, "reveal-end-h"));
        ML_ASSIGN_OR_RETURN(p.delivery_end_h, GetU64(f, "delivery-end-h"));
        ML_ASSIGN_OR_RETURN(p.accept_window_blocks, GetU64(f, "accept-window-blocks"));
        ML_ASSIGN_OR_RETURN(p.min_reputation_ppm, GetU32Or(f, "min-reputation-ppm", 0));
        ML_ASSIGN_OR_RETURN(p.spec_hash, GetHashOr0(f, "spec-hash"));
        TxBody b = MakeBody(p);
        b.extra["task_id"] = AuctionTaskId(env.chain_id, env.sender_address, env.nonce).Hex();
        return b;
      });
  Kind(
      *auction, ctx, "commit",
      "commit a sealed bid; the salt is generated and stored under --home before signing",
      {{"task-id", "task"}, {"uav", "UAV account (one of the sender's devices)"}, {"ask", "price"}},
      {}, [&ctx](const Flags& f, const TxEnv& env) -> Result<TxBody> {
        BidSecret s;
        s.chain_id = env.chain_id;
        ML_ASSIGN_OR_RETURN(s.task_id, GetHash(f, "task-id"));
        ML_ASSIGN_OR_RETURN(s.uav, GetAddr(f, "uav", env));
        ML_ASSIGN_OR_RETURN(s.ask, GetU64(f, "ask"));
        s.op = env.sender_address;
        SaltStore store(ctx.home);
        auto stored = store.Load(s.chain_id, s.task_id, s.uav);
        if (stored.ok() && stored->op == s.op && stored->ask == s.ask) {
          s = *stored;  // a retry of the same bid (e.g. after a network error): same salt
        } else {
          RandomBytes(s.salt.data(), s.salt.kSize);
          s.commitment = BidCommitment(s.chain_id, s.task_id, s.op, s.uav, s.ask, s.salt);
          // Written and synced before the transaction exists: no commitment without its salt.
          // Refuses to replace a different stored bid (AlreadyExists names the file).
          ML_RETURN_IF_ERROR(store.Save(s));
        }
        CommitBidPayload p{s.task_id, s.uav, s.commitment};
        TxBody b = MakeBody(p);
        b.extra["commitment"] = s.commitment.Hex();
        b.extra["salt_file"] = store.PathFor(s.chain_id, s.task_id, s.uav).string();
        return b;
      });
  Kind(*auction, ctx, "reveal", "reveal a bid committed from this wallet (reads the stored salt)",
       {{"task-id", "task"}, {"uav", "UAV account"}}, {},
       [&ctx](const Flags& f, const TxEnv& env) -> Result<TxBody> {
         ML_ASSIGN_OR_RETURN(Hash256 task, GetHash(f, "task-id"));
         ML_ASSIGN_OR_RETURN(Address uav, GetAddr(f, "uav", env));
         ML_ASSIGN_OR_RETURN(BidSecret s, SaltStore(ctx.home).Load(env.chain_id, task, uav));
         if (s.op != env.sender_address) {
           return Status::InvalidArgument(
               fmt::format("the stored bid was committed by {}, not by --from", s.op.Hex()));
         }
         RevealBidPayload p{s.task_id, s.uav, s.ask, s.salt};
         TxBody b = MakeBody(p);
         b.extra["ask"] = std::to_string(s.ask);
         return b;
       });
  Kind(*auction, ctx, "deliver", "deliver the data for a won task",
       {{"task-id", "task"}, {"uav", "UAV account"}, {"data-id", "registered dataset"}}, {},
       [](const Flags& f, const TxEnv& env) -> Result<TxBody> {
         SubmitDeliveryPayload p;
         ML_ASSIGN_OR_RETURN(p.task_id, GetHash(f, "task-id"));
         ML_ASSIGN_OR_RETURN(p.uav, GetAddr(f, "uav", env));
         ML_ASSIGN_OR_RETURN(p.data_id, GetHash(f, "data-id"));
         return MakeBody(p);
       });
  Kind(*auction, ctx, "accept", "accept a delivery (VSP)",
       {{"task-id", "task"}, {"uav", "UAV account"}}, {},
       [](const Flags& f, const TxEnv& env) -> Result<TxBody> {
         AcceptDeliveryPayload p;
         ML_ASSIGN_OR_RETURN(p.task_id, GetHash(f, "task-id"));
         ML_ASSIGN_OR_RETURN(p.uav, GetAddr(f, "uav", env));
         return MakeBody(p);
       });

  CLI::App* twin = app.add_subcommand("twin", "digital twins");
  twin->require_subcommand(1);
  Kind(*twin, ctx, "register", "register a digital twin",
       {{"twin-id", "hash or @FILE"},
        {"cells", "comma-separated grid cells"},
        {"max-aoi-ms", "ms"},
        {"operators", "comma-separated accounts"}},
       {{"twin-class", "u32"}, {"model-family", "twin|avatar|other"}},
       [](const Flags& f, const TxEnv& env) -> Result<TxBody> {
         RegisterTwinPayload p;
         ML_ASSIGN_OR_RETURN(p.twin_id, GetHash(f, "twin-id"));
         ML_ASSIGN_OR_RETURN(p.twin_class, GetU32Or(f, "twin-class", 0));
         ML_ASSIGN_OR_RETURN(p.cells, GetU64s(f, "cells"));
         std::sort(p.cells.begin(), p.cells.end());
         ML_ASSIGN_OR_RETURN(p.max_aoi_ms, GetU64(f, "max-aoi-ms"));
         ML_ASSIGN_OR_RETURN(p.model_family, GetFamily(f, "model-family"));
         ML_ASSIGN_OR_RETURN(p.operators, GetAddrs(f, "operators", env));
         std::sort(p.operators.begin(), p.operators.end());
         return MakeBody(p);
       });
  Kind(*twin, ctx, "update", "publish a twin state update",
       {{"twin-id", "twin"},
        {"seq", "sequence number"},
        {"prev-state-hash", "hash or @FILE"},
        {"new-state-hash", "hash or @FILE"},
        {"model-id", "approved model"}},
       {{"inputs", "comma-separated data ids"}},
       [](const Flags& f, const TxEnv&) -> Result<TxBody> {
         TwinUpdatePayload p;
         ML_ASSIGN_OR_RETURN(p.twin_id, GetHash(f, "twin-id"));
         ML_ASSIGN_OR_RETURN(p.seq, GetU64(f, "seq"));
         ML_ASSIGN_OR_RETURN(p.prev_state_hash, GetHash(f, "prev-state-hash"));
         ML_ASSIGN_OR_RETURN(p.new_state_hash, GetHash(f, "new-state-hash"));
         ML_ASSIGN_OR_RETURN(p.model_id, GetHash(f, "model-id"));
         ML_ASSIGN_OR_RETURN(p.inputs, GetHashes(f, "inputs"));
         std::sort(p.inputs.begin(), p.inputs.end());
         return MakeBody(p);
       });
}

}  // namespace metaledger::wallet
