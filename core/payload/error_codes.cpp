#include "core/payload/error_codes.h"

#include <array>

namespace metaledger {
namespace {

struct CodeInfo {
  ErrorCode code;
  std::string_view name;
};

constexpr CodeInfo kCodes[] = {
#define METALEDGER_ERROR_INFO(name, value) {ErrorCode::name, #name},
    METALEDGER_ERROR_CODES(METALEDGER_ERROR_INFO)
#undef METALEDGER_ERROR_INFO
};

constexpr auto kAll = [] {
  std::array<ErrorCode, std::size(kCodes)> out{};
  for (size_t i = 0; i < std::size(kCodes); ++i) out[i] = kCodes[i].code;
  return out;
}();

}  // namespace

std::string_view ToString(ErrorCode code) {
  for (const CodeInfo& c : kCodes) {
    if (c.code == code) return c.name;
  }
  return "UNKNOWN_ERROR_CODE";
}

std::optional<ErrorCode> ErrorCodeFromString(std::string_view name) {
  for (const CodeInfo& c : kCodes) {
    if (c.name == name) return c.code;
  }
  return std::nullopt;
}

std::optional<ErrorCode> ErrorCodeFromValue(uint16_t value) {
  for (const CodeInfo& c : kCodes) {
    if (static_cast<uint16_t>(c.code) == value) return c.code;
  }
  return std::nullopt;
}

std::span<const ErrorCode> AllErrorCodes() { return kAll; }

bool RanToNonce(uint16_t code) {
  switch (static_cast<ErrorCode>(code)) {
    case ErrorCode::WRONG_CHAIN:
    case ErrorCode::UNKNOWN_ACCOUNT:
    case ErrorCode::BAD_NONCE:
    case ErrorCode::BAD_SIGNATURE:
      return false;
    default:
      return true;
  }
}

std::string_view ErrorMessage(ErrorCode code) {
  switch (code) {
    case ErrorCode::OK: return "the transaction was applied";
    case ErrorCode::BAD_SIGNATURE: return "the signature does not verify for the sender key";
    case ErrorCode::WRONG_CHAIN: return "the transaction was made for another chain";
    case ErrorCode::BAD_NONCE: return "the nonce is not the sender's next nonce";
    case ErrorCode::INSUFFICIENT_FUNDS: return "the balance or stake does not cover the amount";
    case ErrorCode::UNAUTHORIZED: return "the sender lacks the role or ownership this needs";
    case ErrorCode::SUSPENDED: return "the sender is suspended";
    case ErrorCode::UNKNOWN_ACCOUNT: return "the account does not exist";
    case ErrorCode::OVERFLOW: return "an amount would exceed the 64-bit range";
    case ErrorCode::PROPOSAL_CLOSED: return "the proposal is no longer open";
    case ErrorCode::DUPLICATE_VOTE: return "this member already voted on the proposal";
    case ErrorCode::NOT_ENROLLED: return "the client is not enrolled in the FL task";
    case ErrorCode::LOW_REPUTATION: return "the reputation is below the required minimum";
    case ErrorCode::STALE_BASE: return "the base model is not the task's current approved head";
    case ErrorCode::LATE: return "the deadline for this step has passed";
    case ErrorCode::DUP_SUBMISSION: return "this client already submitted in the round";
    case ErrorCode::DUP_UPDATE_HASH: return "another client submitted the same update hash";
    case ErrorCode::NOT_AGGREGATOR: return "the sender is not the task's aggregator";
    case ErrorCode::NOT_IN_SUBMISSIONS: return "an included client did not submit in the round";
    case ErrorCode::ROOT_MISMATCH: return "the included root does not match the update hashes";
    case ErrorCode::EVALUATOR_CONFLICT: return "the sender is not an evaluator free of conflict";
    case ErrorCode::DUP_EVAL: return "this evaluator already evaluated the round";
    case ErrorCode::SCORE_RANGE: return "a score is out of range or names a non-included client";
    case ErrorCode::DUP_MODEL: return "the model hash is already registered";
    case ErrorCode::BAD_PARENT: return "the parent model is unknown or unusable";
    case ErrorCode::MODEL_REVOKED: return "the model is revoked";
    case ErrorCode::DUP_DATA: return "the dataset is already registered";
    case ErrorCode::BAD_DEVICE_SIG: return "the device signature does not verify or the device "
                                           "does not belong to the sender";
    case ErrorCode::UNKNOWN_PARENT: return "a parent dataset does not exist";
    case ErrorCode::PARENT_VOIDED: return "a parent dataset is voided";
    case ErrorCode::FUTURE_TS: return "the generation time is ahead of block time beyond the skew";
    case ErrorCode::BAD_CELLS: return "cells are empty, unsorted, repeated or too many";
    case ErrorCode::RAW_WITH_PARENTS: return "a RAW dataset cannot have parents";
    case ErrorCode::TOO_MANY_PARENTS: return "more parents than MAX_PARENTS, or unsorted parents";
    case ErrorCode::CONSENT_REQUIRED: return "a consent reference is required";
    case ErrorCode::BAD_DEADLINES: return "the deadlines are not in order or too short";
    case ErrorCode::K_RANGE: return "K must be at least 1";
    case ErrorCode::RESERVE_ZERO: return "the reserve price must be positive";
    case ErrorCode::BOND_TOO_LOW: return "the bid bond must be at least the reserve";
    case ErrorCode::UAV_NOT_OWNED: return "the UAV is not a device of the sender";
    case ErrorCode::DUP_OPERATOR_COMMIT: return "this operator already committed to the task";
    case ErrorCode::WRONG_PHASE: return "the task is not in the phase this step needs";
    case ErrorCode::COMMIT_MISMATCH: return "the reveal does not match the commitment";
    case ErrorCode::ALREADY_REVEALED: return "the bid was already revealed";
    case ErrorCode::NOT_WINNER: return "the UAV is not a winner of the task";
    case ErrorCode::DATA_NOT_FOUND: return "the dataset does not exist";
    case ErrorCode::DATA_WRONG_UAV: return "the dataset was not collected by that UAV";
    case ErrorCode::OUT_OF_WINDOW: return "the data was generated outside the task window";
    case ErrorCode::OUT_OF_AREA: return "the data covers none of the task's cells";
    case ErrorCode::AOI_EXCEEDED: return "the data was too old when registered";
    case ErrorCode::DATA_REUSED: return "the dataset was already delivered to this VSP";
    case ErrorCode::LATE_DELIVERY: return "the delivery deadline has passed";
    case ErrorCode::OUT_OF_ORDER: return "seq is not head_seq + 1";
    case ErrorCode::STALE_PARENT: return "prev_state_hash is not the twin's head state";
    case ErrorCode::MODEL_NOT_APPROVED: return "the model is not APPROVED";
    case ErrorCode::MODEL_FAMILY_MISMATCH: return "the model is not of the twin's family";
    case ErrorCode::INPUT_NOT_FOUND: return "an input dataset does not exist";
    case ErrorCode::INPUT_VOIDED: return "an input dataset is voided";
    case ErrorCode::INPUT_OUT_OF_AREA: return "an input covers none of the twin's cells";
    case ErrorCode::CONSENT_PURPOSE: return "an input does not permit this use or its consent "
                                            "was revoked";
    case ErrorCode::INPUT_TOO_OLD: return "an input is older than the twin's freshness bound";
    case ErrorCode::NOT_FRESHER: return "the newest input is not newer than the twin's freshest";
    case ErrorCode::TOO_MANY_INPUTS: return "more inputs than MAX_INPUTS, or none";
    case ErrorCode::UNSORTED_INPUTS: return "inputs are not strictly sorted";
    case ErrorCode::BAD_PAYLOAD: return "the payload does not decode for its kind";
    case ErrorCode::UNKNOWN_KIND: return "no such transaction kind";
    case ErrorCode::NOT_FOUND: return "the task, pool, twin, round, proposal or model does not exist";
    case ErrorCode::ALREADY_EXISTS: return "the id is already taken";
    case ErrorCode::BAD_ARGUMENT: return "a field is out of its documented range";
    case ErrorCode::NOTHING_TO_CLAIM: return "there is nothing to claim";
    case ErrorCode::UNKNOWN_PARAM: return "no chain parameter has that name";
  }
  return "unknown error code";
}

}  // namespace metaledger
