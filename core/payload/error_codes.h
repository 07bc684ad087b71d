#pragma once
// Contract result codes. The numeric values are stable (they are stored in block receipts) and
// the string names are the spec's names verbatim: the REST API and the wallet show exactly these.
// New codes are only ever appended.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace metaledger {

// X(name, value). Values are never reused or renumbered.
#define METALEDGER_ERROR_CODES(X) \
  X(OK, 0)                        \
  /* 1. accounts and governance */ \
  X(BAD_SIGNATURE, 1)             \
  X(WRONG_CHAIN, 2)               \
  X(BAD_NONCE, 3)                 \
  X(INSUFFICIENT_FUNDS, 4)        \
  X(UNAUTHORIZED, 5)              \
  X(SUSPENDED, 6)                 \
  X(UNKNOWN_ACCOUNT, 7)           \
  X(OVERFLOW, 8)                  \
  X(PROPOSAL_CLOSED, 9)           \
  X(DUPLICATE_VOTE, 10)           \
  /* 2. model registry and FL rounds */ \
  X(NOT_ENROLLED, 20)             \
  X(LOW_REPUTATION, 21)           \
  X(STALE_BASE, 22)               \
  X(LATE, 23)                     \
  X(DUP_SUBMISSION, 24)           \
  X(DUP_UPDATE_HASH, 25)          \
  X(NOT_AGGREGATOR, 26)           \
  X(NOT_IN_SUBMISSIONS, 27)       \
  X(ROOT_MISMATCH, 28)            \
  X(EVALUATOR_CONFLICT, 29)       \
  X(DUP_EVAL, 30)                 \
  X(SCORE_RANGE, 31)              \
  X(DUP_MODEL, 32)                \
  X(BAD_PARENT, 33)               \
  X(MODEL_REVOKED, 34)            \
  /* 4. dataset provenance */     \
  X(DUP_DATA, 40)                 \
  X(BAD_DEVICE_SIG, 41)           \
  X(UNKNOWN_PARENT, 42)           \
  X(PARENT_VOIDED, 43)            \
  X(FUTURE_TS, 44)                \
  X(BAD_CELLS, 45)                \
  X(RAW_WITH_PARENTS, 46)         \
  X(TOO_MANY_PARENTS, 47)         \
  X(CONSENT_REQUIRED, 48)         \
  /* 6. VSP-UAV auction */        \
  X(BAD_DEADLINES, 60)            \
  X(K_RANGE, 61)                  \
  X(RESERVE_ZERO, 62)             \
  X(BOND_TOO_LOW, 63)             \
  X(UAV_NOT_OWNED, 64)            \
  X(DUP_OPERATOR_COMMIT, 65)      \
  X(WRONG_PHASE, 66)              \
  X(COMMIT_MISMATCH, 67)          \
  X(ALREADY_REVEALED, 68)         \
  X(NOT_WINNER, 69)               \
  X(DATA_NOT_FOUND, 70)           \
  X(DATA_WRONG_UAV, 71)           \
  X(OUT_OF_WINDOW, 72)            \
  X(OUT_OF_AREA, 73)              \
  X(AOI_EXCEEDED, 74)             \
  X(DATA_REUSED, 75)              \
  X(LATE_DELIVERY, 76)            \
  /* 7. twin synchronization */   \
  X(OUT_OF_ORDER, 80)             \
  X(STALE_PARENT, 81)             \
  X(MODEL_NOT_APPROVED, 82)       \
  X(MODEL_FAMILY_MISMATCH, 83)    \
  X(INPUT_NOT_FOUND, 84)          \
  X(INPUT_VOIDED, 85)             \
  X(INPUT_OUT_OF_AREA, 86)        \
  X(CONSENT_PURPOSE, 87)          \
  X(INPUT_TOO_OLD, 88)            \
  X(NOT_FRESHER, 89)              \
  X(TOO_MANY_INPUTS, 90)          \
  X(UNSORTED_INPUTS, 91)          \
  /* codes the spec implies but does not name */ \
  X(BAD_PAYLOAD, 100)   /* payload does not decode for its kind */ \
  X(UNKNOWN_KIND, 101)  /* no such transaction kind */ \
  X(NOT_FOUND, 102)     /* the task, pool, twin, proposal or model named does not exist */ \
  X(ALREADY_EXISTS, 103) /* an id that must be new is taken */ \
  X(BAD_ARGUMENT, 104)  /* a field is out of its documented range */ \
  X(NOTHING_TO_CLAIM, 105) \
  X(UNKNOWN_PARAM, 106)

enum class ErrorCode : uint16_t {
#define METALEDGER_ERROR_ENUM(name, value) name = value,
  METALEDGER_ERROR_CODES(METALEDGER_ERROR_ENUM)
#undef METALEDGER_ERROR_ENUM
};

// The verbatim name, e.g. "NOT_FRESHER"; "UNKNOWN_ERROR_CODE" for a value not in the list.
std::string_view ToString(ErrorCode code);
std::optional<ErrorCode> ErrorCodeFromString(std::string_view name);
// For receipts, which store the raw u16: nullopt for a value not in the list.
std::optional<ErrorCode> ErrorCodeFromValue(uint16_t value);
// A one-line message for people (the wallet and REST problem documents show it with the name).
std::string_view ErrorMessage(ErrorCode code);
// Whether a transaction with this receipt code ran: the executor consumed its nonce, so the
// same transaction can never run again. The executor decides only WRONG_CHAIN,
// UNKNOWN_ACCOUNT, BAD_NONCE and BAD_SIGNATURE before it advances the nonce; a transaction
// refused with one of them may be carried by a later block and run there.
bool RanToNonce(uint16_t code);
// Every code, in numeric order (OK first).
std::span<const ErrorCode> AllErrorCodes();

}  // namespace metaledger
