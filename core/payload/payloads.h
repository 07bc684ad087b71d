#pragma once
// Payload structs for every transaction kind, with canonical Encode/DecodeFrom (core/codec.h).
// Decoding checks shape only (lengths, enum ranges, list bounds); the contract layer checks
// meaning and answers with a named ErrorCode. Each struct names its kind in kKind, so
// BuildTransaction(chain, sender, nonce, payload) fills kind and payload bytes together.
#include <cstdint>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/crypto/hash.h"
#include "core/payload/kinds.h"
#include "core/payload/roles.h"
#include "core/transaction.h"

namespace metaledger {

constexpr uint64_t kPpm = 1'000'000;
// Decoders refuse longer lists outright (BAD_PAYLOAD); parameters such as MAX_CELLS are
// enforced by the contracts below this bound, with their own error codes.
constexpr uint64_t kMaxPayloadList = 1024;
constexpr size_t kMaxPayloadString = 128;

// ---- 1. accounts, governance, rewards ----

enum class DeviceKind : uint8_t { UAV = 0, SENSOR = 1, OTHER = 2 };

struct TransferPayload {
  static constexpr TxKind kKind = TxKind::TRANSFER;
  Address to;
  uint64_t amount = 0;
  void Encode(Writer& w) const;
  static TransferPayload DecodeFrom(Reader& r);
  bool operator==(const TransferPayload&) const = default;
};

struct StakePayload {
  static constexpr TxKind kKind = TxKind::STAKE;
  uint64_t amount = 0;
  void Encode(Writer& w) const;
  static StakePayload DecodeFrom(Reader& r);
  bool operator==(const StakePayload&) const = default;
};

struct UnstakePayload {
  static constexpr TxKind kKind = TxKind::UNSTAKE;
  uint64_t amount = 0;
  void Encode(Writer& w) const;
  static UnstakePayload DecodeFrom(Reader& r);
  bool operator==(const UnstakePayload&) const = default;
};

struct RegisterDevicePayload {
  static constexpr TxKind kKind = TxKind::REGISTER_DEVICE;
  PublicKey device_key;
  DeviceKind device_kind = DeviceKind::UAV;
  void Encode(Writer& w) const;
  static RegisterDevicePayload DecodeFrom(Reader& r);
  bool operator==(const RegisterDevicePayload&) const = default;
};

enum class GovActionType : uint8_t {
  GRANT_ROLE = 0,        // target, roles
  REVOKE_ROLE = 1,       // target, roles
  ADD_VALIDATOR = 2,     // key (takes effect at the next epoch boundary)
  REMOVE_VALIDATOR = 3,  // key (takes effect at the next epoch boundary)
  SET_PARAM = 4,         // param_name, value
  MINT = 5,              // pool_id, amount: new tokens into a sensing reward pool
  SUSPEND = 6,           // target, value = suspended until this height (0 lifts it)
};

// One governance action; only the fields its type lists are encoded.
struct GovAction {
  GovActionType type = GovActionType::GRANT_ROLE;
  Address target;
  RoleMask roles = 0;
  PublicKey key;
  std::string param_name;
  uint64_t value = 0;
  Hash256 pool_id;
  uint64_t amount = 0;
  void Encode(Writer& w) const;
  static GovAction DecodeFrom(Reader& r);
  bool operator==(const GovAction&) const = default;
};

struct ProposePayload {
  static constexpr TxKind kKind = TxKind::PROPOSE;
  GovAction action;
  void Encode(Writer& w) const;
  static ProposePayload DecodeFrom(Reader& r);
  bool operator==(const ProposePayload&) const = default;
};

struct VotePayload {
  static constexpr TxKind kKind = TxKind::VOTE;
  Hash256 proposal_id;
  bool yes = true;
  void Encode(Writer& w) const;
  static VotePayload DecodeFrom(Reader& r);
  bool operator==(const VotePayload&) const = default;
};

struct ClaimPayload {
  static constexpr TxKind kKind = TxKind::CLAIM;
  void Encode(Writer& w) const;
  static ClaimPayload DecodeFrom(Reader& r);
  bool operator==(const ClaimPayload&) const = default;
};

// ---- 2. model registry and FL rounds ----

enum class ModelFamily : uint8_t { TWIN = 0, AVATAR = 1, OTHER = 2 };
enum class EvalFlag : uint8_t { MALICIOUS = 0, FREERIDE = 1 };

struct CreateFlTaskPayload {
  static constexpr TxKind kKind = TxKind::CREATE_FL_TASK;
  Hash256 task_id;
  ModelFamily family = ModelFamily::OTHER;
  Address aggregator;
  std::vector<Address> evaluators;  // at least 3, strictly sorted
  Hash256 genesis_model_hash;
  void Encode(Writer& w) const;
  static CreateFlTaskPayload DecodeFrom(Reader& r);
  bool operator==(const CreateFlTaskPayload&) const = default;
};

struct EnrollClientPayload {
  static constexpr TxKind kKind = TxKind::ENROLL_CLIENT;
  Hash256 task_id;
  void Encode(Writer& w) const;
  static EnrollClientPayload DecodeFrom(Reader& r);
  bool operator==(const EnrollClientPayload&) const = default;
};

struct OpenRoundPayload {
  static constexpr TxKind kKind = TxKind::OPEN_ROUND;
  Hash256 task_id;
  uint64_t round = 0;  // the task's next round number (1 for the first)
  Hash256 base_model_hash;
  uint64_t budget = 0;
  uint64_t submit_end_h = 0;
  uint64_t aggregate_end_h = 0;
  uint64_t eval_end_h = 0;
  uint32_t q_min_ppm = 0;
  uint64_t n_cap = 1;
  void Encode(Writer& w) const;
  static OpenRoundPayload DecodeFrom(Reader& r);
  bool operator==(const OpenRoundPayload&) const = default;
};

struct SubmitUpdatePayload {
  static constexpr TxKind kKind = TxKind::SUBMIT_UPDATE;
  Hash256 task_id;
  uint64_t round = 0;
  Hash256 update_hash;
  uint64_t n_samples = 0;
  Hash256 base_model_hash;
  void Encode(Writer& w) const;
  static SubmitUpdatePayload DecodeFrom(Reader& r);
  bool operator==(const SubmitUpdatePayload&) const = default;
};

struct PublishAggregatePayload {
  static constexpr TxKind kKind = TxKind::PUBLISH_AGGREGATE;
  Hash256 task_id;
  uint64_t round = 0;
  Hash256 global_hash;             // becomes the model id
  std::vector<Address> included;   // strictly sorted client addresses
  Hash256 included_root;           // MerkleRoot of their update hashes, in that order
  void Encode(Writer& w) const;
  static PublishAggregatePayload DecodeFrom(Reader& r);
  bool operator==(const PublishAggregatePayload&) const = default;
};

struct ClientScore {
  Address client;
  uint32_t q_ppm = 0;
  bool operator==(const ClientScore&) const = default;
};

struct ClientFlag {
  Address client;
  EvalFlag flag = EvalFlag::MALICIOUS;
  bool operator==(const ClientFlag&) const = default;
};

struct SubmitEvaluationPayload {
  static constexpr TxKind kKind = TxKind::SUBMIT_EVALUATION;
  Hash256 task_id;
  uint64_t round = 0;
  std::vector<ClientScore> scores;  // one per included client, sorted by client
  uint32_t global_acc_bps = 0;      // 0..10000
  std::vector<ClientFlag> flags;    // sorted by client, one per client
  void Encode(Writer& w) const;
  static SubmitEvaluationPayload DecodeFrom(Reader& r);
  bool operator==(const SubmitEvaluationPayload&) const = default;
};

struct RevokeModelPayload {
  static constexpr TxKind kKind = TxKind::REVOKE_MODEL;
  Hash256 model_id;
  void Encode(Writer& w) const;
  static RevokeModelPayload DecodeFrom(Reader& r);
  bool operator==(const RevokeModelPayload&) const = default;
};

// ---- 4. dataset provenance ----

enum class Derivation : uint8_t {
  RAW = 0, CLEANED = 1, LABELLED = 2, AGGREGATED = 3, SYNTHETIC = 4, REVISION = 5,
};

// Purposes bitmask.
constexpr uint32_t kPurposeFlTraining = 1u << 0;
constexpr uint32_t kPurposeTwinSync = 1u << 1;
constexpr uint32_t kPurposeResale = 1u << 2;
constexpr uint32_t kAllPurposes = (1u << 3) - 1;

struct RegisterDatasetPayload {
  static constexpr TxKind kKind = TxKind::REGISTER_DATASET;
  Hash256 content_root;
  uint64_t byte_len = 0;
  std::string media_type;
  Hash256 schema_hash;
  Address collector;              // the device that produced the data
  Signature device_sig;           // over DeviceSigningHash(chain, content_root, ts, cells)
  std::vector<Hash256> parents;   // strictly sorted data ids
  Derivation derivation = Derivation::RAW;
  uint64_t generation_ts_ms = 0;
  std::vector<uint64_t> cells;    // strictly sorted grid cell ids
  uint32_t licence_id = 0;
  Hash256 consent_ref;            // required (non-zero) when purposes != 0
  uint32_t purposes = 0;
  void Encode(Writer& w) const;
  static RegisterDatasetPayload DecodeFrom(Reader& r);
  bool operator==(const RegisterDatasetPayload&) const = default;
};

struct RevokeConsentPayload {
  static constexpr TxKind kKind = TxKind::REVOKE_CONSENT;
  Hash256 data_id;
  void Encode(Writer& w) const;
  static RevokeConsentPayload DecodeFrom(Reader& r);
  bool operator==(const RevokeConsentPayload&) const = default;
};

struct VoidDatasetPayload {
  static constexpr TxKind kKind = TxKind::VOID_DATASET;
  Hash256 data_id;
  void Encode(Writer& w) const;
  static VoidDatasetPayload DecodeFrom(Reader& r);
  bool operator==(const VoidDatasetPayload&) const = default;
};

// ---- 5. sensing pools ----

struct CreatePoolPayload {
  static constexpr TxKind kKind = TxKind::CREATE_POOL;
  Hash256 pool_id;
  void Encode(Writer& w) const;
  static CreatePoolPayload DecodeFrom(Reader& r);
  bool operator==(const CreatePoolPayload&) const = default;
};

struct FundPoolPayload {
  static constexpr TxKind kKind = TxKind::FUND_POOL;
  Hash256 pool_id;
  uint64_t amount = 0;
  void Encode(Writer& w) const;
  static FundPoolPayload DecodeFrom(Reader& r);
  bool operator==(const FundPoolPayload&) const = default;
};

struct RegisterSensingPayload {
  static constexpr TxKind kKind = TxKind::REGISTER_SENSING;
  Hash256 data_id;  // a registered dataset collected by one of the sender's UAVs
  Hash256 pool_id;
  uint64_t cell = 0;  // one of the dataset's cells
  uint64_t slot = 0;  // time slot within the epoch, chosen by the pool's convention
  void Encode(Writer& w) const;
  static RegisterSensingPayload DecodeFrom(Reader& r);
  bool operator==(const RegisterSensingPayload&) const = default;
};

// ---- 6. VSP-UAV auction ----

struct PostTaskPayload {
  static constexpr TxKind kKind = TxKind::POST_TASK;
  std::vector<uint64_t> cells;  // strictly sorted
  uint64_t window_start_ms = 0;
  uint64_t window_end_ms = 0;
  uint64_t max_aoi_ms = 0;
  uint32_t k = 1;
  uint64_t reserve = 0;
  uint64_t bid_bond = 0;
  uint64_t commit_end_h = 0;
  uint64_t reveal_end_h = 0;
  uint64_t delivery_end_h = 0;
  uint64_t accept_window_blocks = 0;
  uint32_t min_reputation_ppm = 0;
  Hash256 spec_hash;
  void Encode(Writer& w) const;
  static PostTaskPayload DecodeFrom(Reader& r);
  bool operator==(const PostTaskPayload&) const = default;
};

struct CommitBidPayload {
  static constexpr TxKind kKind = TxKind::COMMIT_BID;
  Hash256 task_id;
  Address uav;
  Hash256 commitment;  // BidCommitment(...)
  void Encode(Writer& w) const;
  static CommitBidPayload DecodeFrom(Reader& r);
  bool operator==(const CommitBidPayload&) const = default;
};

struct RevealBidPayload {
  static constexpr TxKind kKind = TxKind::REVEAL_BID;
  Hash256 task_id;
  Address uav;
  uint64_t ask = 0;
  Hash256 salt;
  void Encode(Writer& w) const;
  static RevealBidPayload DecodeFrom(Reader& r);
  bool operator==(const RevealBidPayload&) const = default;
};

struct SubmitDeliveryPayload {
  static constexpr TxKind kKind = TxKind::SUBMIT_DELIVERY;
  Hash256 task_id;
  Address uav;
  Hash256 data_id;
  void Encode(Writer& w) const;
  static SubmitDeliveryPayload DecodeFrom(Reader& r);
  bool operator==(const SubmitDeliveryPayload&) const = default;
};

struct AcceptDeliveryPayload {
  static constexpr TxKind kKind = TxKind::ACCEPT_DELIVERY;
  Hash256 task_id;
  Address uav;
  void Encode(Writer& w) const;
  static AcceptDeliveryPayload DecodeFrom(Reader& r);
  bool operator==(const AcceptDeliveryPayload&) const = default;
};

// ---- 7. twin synchronization ----

struct RegisterTwinPayload {
  static constexpr TxKind kKind = TxKind::REGISTER_TWIN;
  Hash256 twin_id;
  uint32_t twin_class = 0;
  std::vector<uint64_t> cells;      // strictly sorted
  uint64_t max_aoi_ms = 0;
  ModelFamily model_family = ModelFamily::TWIN;
  std::vector<Address> operators;   // strictly sorted
  void Encode(Writer& w) const;
  static RegisterTwinPayload DecodeFrom(Reader& r);
  bool operator==(const RegisterTwinPayload&) const = default;
};

struct TwinUpdatePayload {
  static constexpr TxKind kKind = TxKind::TWIN_UPDATE;
  Hash256 twin_id;
  uint64_t seq = 0;
  Hash256 prev_state_hash;
  Hash256 new_state_hash;
  Hash256 model_id;
  std::vector<Hash256> inputs;  // strictly sorted data ids
  void Encode(Writer& w) const;
  static TwinUpdatePayload DecodeFrom(Reader& r);
  bool operator==(const TwinUpdatePayload&) const = default;
};

// Fills chain id, sender, nonce, kind and payload bytes; the caller signs.
template <typename P>
Transaction BuildTransaction(std::string chain_id, const PublicKey& sender, uint64_t nonce,
                             const P& payload) {
  Transaction tx;
  tx.chain_id = std::move(chain_id);
  tx.sender = sender;
  tx.nonce = nonce;
  tx.kind = static_cast<uint16_t>(P::kKind);
  tx.payload = Encode(payload);
  return tx;
}

}  // namespace metaledger
