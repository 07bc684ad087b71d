#pragma once
// Status and Result<T>: how core code reports failure without exceptions.
// A Status is either OK or an error code plus a message meant for people.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace metaledger {

enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidArgument,   // malformed input: bad encoding, out-of-range value
  kNotFound,
  kAlreadyExists,
  kCorruption,        // stored or received bytes that do not decode or verify
  kIOError,
  kFailedPrecondition,// valid input at the wrong time or in the wrong state
  kPermissionDenied,
  kUnauthenticated,   // bad signature, unknown key
  kResourceExhausted, // limits: full queues, oversized input
  kUnavailable,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "INVALID_ARGUMENT: message", or "OK".
  std::string ToString() const;

  // Prefixes the message with context, keeping the code: "reading block 7: <message>".
  Status Annotate(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace metaledger

// Returns early from a function returning Status (or Result<T>) when expr is not OK.
#define ML_RETURN_IF_ERROR(expr)                        \
  do {                                                  \
    ::metaledger::Status ml_status_ = (expr);           \
    if (!ml_status_.ok()) return ml_status_;            \
  } while (0)

#define ML_CONCAT_INNER(a, b) a##b
#define ML_CONCAT(a, b) ML_CONCAT_INNER(a, b)
// Declares `lhs` from a Result expression, or returns its Status.
#define ML_ASSIGN_OR_RETURN(lhs, expr)                              \
  auto ML_CONCAT(ml_result_, __LINE__) = (expr);                    \
  if (!ML_CONCAT(ml_result_, __LINE__).ok())                        \
    return ML_CONCAT(ml_result_, __LINE__).status();                \
  lhs = std::move(ML_CONCAT(ml_result_, __LINE__)).value()
