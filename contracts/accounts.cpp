#include "contracts/accounts.h"

#include <cstring>

#include "contracts/checked_math.h"

namespace metaledger::contracts {

void AccountRecord::Encode(Writer& w) const {
  w.U8(1).Bool(has_key);
  if (has_key) w.Fixed(key);
  w.Varint(balance).Varint(nonce).Varint(roles).Bool(has_operator);
  if (has_operator) w.Fixed(operator_addr);
  w.Varint(static_cast<uint64_t>(device_kind)).Varint(stake).Varint(unbonding);
  w.Varint(suspended_until_h);
}

AccountRecord AccountRecord::DecodeFrom(Reader& r) {
  AccountRecord a;
  r.ExpectVersion(1, "account");
  a.has_key = r.Bool();
  if (a.has_key) a.key = r.Fixed<32>();
  a.balance = r.Varint();
  a.nonce = r.Varint();
  a.roles = static_cast<RoleMask>(r.VarintMax(kAllRoles, "roles"));
  a.has_operator = r.Bool();
  if (a.has_operator) a.operator_addr = r.Fixed<20>();
  a.device_kind = static_cast<DeviceKind>(r.VarintMax(2, "device kind"));
  a.stake = r.Varint();
  a.unbonding = r.Varint();
  a.suspended_until_h = r.Varint();
  return a;
}

void SupplyRecord::Encode(Writer& w) const {
  w.Varint(total).Varint(held).Varint(minted).Varint(burned);
}
SupplyRecord SupplyRecord::DecodeFrom(Reader& r) {
  SupplyRecord s;
  s.total = r.Varint();
  s.held = r.Varint();
  s.minted = r.Varint();
  s.burned = r.Varint();
  return s;
}

Result<std::optional<AccountRecord>> LoadAccount(const Ctx& ctx, const Address& a) {
  return ctx.Get<AccountRecord>(keys::Account(a));
}

void StoreAccount(Ctx& ctx, const Address& a, const AccountRecord& rec) {
  ctx.Put(keys::Account(a), rec);
}

Result<SupplyRecord> LoadSupply(const Ctx& ctx) {
  ML_ASSIGN_OR_RETURN(std::optional<SupplyRecord> s, ctx.Get<SupplyRecord>(keys::Supply()));
  return s ? *s : SupplyRecord{};
}

namespace {

// Adjusts `held` by +amount or -amount. A negative result means a contract paid out more than
// it took in: a bug, reported as an internal error rather than hidden.
Outcome AdjustHeld(Ctx& ctx, uint64_t amount, bool add) {
  ML_ASSIGN_OR_RETURN(SupplyRecord s, LoadSupply(ctx));
  if (add) {
    auto v = CheckedAdd(s.held, amount);
    CT_REQUIRE(v, OVERFLOW);
    s.held = *v;
  } else {
    if (amount > s.held) return Status::Internal("contracts pay out more than they hold");
    s.held -= amount;
  }
  ctx.Put(keys::Supply(), s);
  return ErrorCode::OK;
}

}  // namespace

Outcome Credit(Ctx& ctx, const Address& to, uint64_t amount) {
  ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(ctx, to));
  AccountRecord a = acct ? *acct : AccountRecord{};
  auto v = CheckedAdd(a.balance, amount);
  CT_REQUIRE(v, OVERFLOW);
  a.balance = *v;
  StoreAccount(ctx, to, a);
  return ErrorCode::OK;
}

Outcome Debit(Ctx& ctx, const Address& from, uint64_t amount) {
  ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(ctx, from));
  CT_REQUIRE(acct, UNKNOWN_ACCOUNT);
  CT_REQUIRE(acct->balance >= amount, INSUFFICIENT_FUNDS);
  acct->balance -= amount;
  StoreAccount(ctx, from, *acct);
  return ErrorCode::OK;
}

Outcome ToHeld(Ctx& ctx, const Address& from, uint64_t amount) {
  CT_STEP(Debit(ctx, from, amount));
  return AdjustHeld(ctx, amount, true);
}

Outcome FromHeld(Ctx& ctx, const Address& to, uint64_t amount) {
  CT_STEP(AdjustHeld(ctx, amount, false));
  return Credit(ctx, to, amount);
}

Outcome MintToHeld(Ctx& ctx, uint64_t amount) {
  ML_ASSIGN_OR_RETURN(SupplyRecord s, LoadSupply(ctx));
  auto total = CheckedAdd(s.total, amount);
  auto held = CheckedAdd(s.held, amount);
  auto minted = CheckedAdd(s.minted, amount);
  CT_REQUIRE(total && held && minted, OVERFLOW);
  s.total = *total;
  s.held = *held;
  s.minted = *minted;
  ctx.Put(keys::Supply(), s);
  return ErrorCode::OK;
}

Outcome BurnHeld(Ctx& ctx, uint64_t amount) {
  ML_ASSIGN_OR_RETURN(SupplyRecord s, LoadSupply(ctx));
  if (amount > s.held || amount > s.total) return Status::Internal("burn exceeds holdings");
  auto burned = CheckedAdd(s.burned, amount);
  CT_REQUIRE(burned, OVERFLOW);
  s.held -= amount;
  s.total -= amount;
  s.burned = *burned;
  ctx.Put(keys::Supply(), s);
  return ErrorCode::OK;
}

Outcome AddClaimable(Ctx& ctx, const Address& to, uint64_t amount) {
  ML_ASSIGN_OR_RETURN(uint64_t cur, ctx.GetU64(keys::Claimable(to)));
  auto v = CheckedAdd(cur, amount);
  CT_REQUIRE(v, OVERFLOW);
  ctx.PutU64(keys::Claimable(to), *v);
  return ErrorCode::OK;
}

Result<RoleMask> RolesOf(const Ctx& ctx, const Address& a) {
  ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(ctx, a));
  return acct ? acct->roles : kNoRole;
}

Result<std::optional<Address>> OperatorOf(const Ctx& ctx, const Address& device) {
  ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(ctx, device));
  if (!acct || !acct->has_operator || !HasRole(acct->roles, Role::DEVICE)) {
    return std::optional<Address>();
  }
  return std::optional<Address>(acct->operator_addr);
}

Outcome HandleTransfer(Ctx& ctx, const TransferPayload& p) {
  CT_REQUIRE(p.amount > 0, BAD_ARGUMENT);
  CT_STEP(Debit(ctx, ctx.sender, p.amount));
  CT_STEP(Credit(ctx, p.to, p.amount));
  ctx.Emit("accounts.transfer", {{"from", ctx.sender.Hex()},
                                 {"to", p.to.Hex()},
                                 {"amount", std::to_string(p.amount)}});
  return ErrorCode::OK;
}

Outcome HandleStake(Ctx& ctx, const StakePayload& p) {
  CT_REQUIRE(p.amount > 0, BAD_ARGUMENT);
  ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(ctx, ctx.sender));
  CT_REQUIRE(acct, UNKNOWN_ACCOUNT);
  CT_REQUIRE(acct->balance >= p.amount, INSUFFICIENT_FUNDS);
  auto stake = CheckedAdd(acct->stake, p.amount);
  CT_REQUIRE(stake, OVERFLOW);
  acct->balance -= p.amount;
  acct->stake = *stake;
  StoreAccount(ctx, ctx.sender, *acct);
  ctx.Emit("accounts.staked", {{"account", ctx.sender.Hex()}, {"amount", std::to_string(p.amount)}});
  return ErrorCode::OK;
}

Outcome HandleUnstake(Ctx& ctx, const UnstakePayload& p) {
  CT_REQUIRE(p.amount > 0, BAD_ARGUMENT);
  ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(ctx, ctx.sender));
  CT_REQUIRE(acct, UNKNOWN_ACCOUNT);
  CT_REQUIRE(acct->stake >= p.amount, INSUFFICIENT_FUNDS);
  auto unbonding = CheckedAdd(acct->unbonding, p.amount);
  auto release_h = CheckedAdd(ctx.height(), ctx.params().UNBOND_BLOCKS);
  CT_REQUIRE(unbonding && release_h, OVERFLOW);
  Bytes key = keys::Unbonding(ctx.sender, *release_h);
  ML_ASSIGN_OR_RETURN(uint64_t pending, ctx.GetU64(key));
  auto pending_next = CheckedAdd(pending, p.amount);
  CT_REQUIRE(pending_next, OVERFLOW);
  acct->stake -= p.amount;
  acct->unbonding = *unbonding;
  StoreAccount(ctx, ctx.sender, *acct);
  ctx.PutU64(key, *pending_next);
  ML_RETURN_IF_ERROR(ctx.AddDue("unbond", *release_h, AddressAsId(ctx.sender)));
  ctx.Emit("accounts.unbonding", {{"account", ctx.sender.Hex()},
                                  {"amount", std::to_string(p.amount)},
                                  {"release_height", std::to_string(*release_h)}});
  return ErrorCode::OK;
}

Outcome HandleRegisterDevice(Ctx& ctx, const RegisterDevicePayload& p) {
  CT_REQUIRE(IsValidPublicKey(p.device_key), BAD_ARGUMENT);
  Address device = AddressOf(p.device_key);
  CT_REQUIRE(device != ctx.sender, BAD_ARGUMENT);
  ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> existing, LoadAccount(ctx, device));
  CT_REQUIRE(!existing || (!existing->has_operator && existing->roles == kNoRole), ALREADY_EXISTS);
  AccountRecord a = existing ? *existing : AccountRecord{};
  a.has_key = true;
  a.key = p.device_key;
  a.roles |= Mask(Role::DEVICE);
  a.has_operator = true;
  a.operator_addr = ctx.sender;
  a.device_kind = p.device_kind;
  StoreAccount(ctx, device, a);
  ctx.Emit("accounts.device_registered", {{"device", device.Hex()}, {"operator", ctx.sender.Hex()}});
  return ErrorCode::OK;
}

Outcome HandleClaim(Ctx& ctx, const ClaimPayload&) {
  ML_ASSIGN_OR_RETURN(uint64_t amount, ctx.GetU64(keys::Claimable(ctx.sender)));
  CT_REQUIRE(amount > 0, NOTHING_TO_CLAIM);
  ctx.PutU64(keys::Claimable(ctx.sender), 0);
  CT_STEP(FromHeld(ctx, ctx.sender, amount));
  ctx.Emit("rewards.claimed", {{"account", ctx.sender.Hex()}, {"amount", std::to_string(amount)}});
  return ErrorCode::OK;
}

Status ReleaseUnbonded(Ctx& ctx) {
  ML_ASSIGN_OR_RETURN(std::vector<Hash256> due, ctx.TakeDue("unbond", ctx.height()));
  for (const Hash256& id : due) {
    Address a = IdAsAddress(id);
    Bytes key = keys::Unbonding(a, ctx.height());
    ML_ASSIGN_OR_RETURN(uint64_t amount, ctx.GetU64(key));
    ML_ASSIGN_OR_RETURN(std::optional<AccountRecord> acct, LoadAccount(ctx, a));
    if (!acct || acct->unbonding < amount) return Status::Corruption("unbonding record mismatch");
    auto balance = CheckedAdd(acct->balance, amount);
    if (!balance) return Status::Internal("balance overflow releasing stake");
    acct->unbonding -= amount;
    acct->balance = *balance;
    StoreAccount(ctx, a, *acct);
    ctx.PutU64(key, 0);
    ctx.Emit("accounts.unbonded", {{"account", a.Hex()}, {"amount", std::to_string(amount)}});
  }
  return Status::Ok();
}

Hash256 AddressAsId(const Address& a) {
  Hash256 id;
  std::memcpy(id.data(), a.data(), Address::kSize);
  return id;
}

Address IdAsAddress(const Hash256& id) {
  Address a;
  std::memcpy(a.data(), id.data(), Address::kSize);
  return a;
}

}  // namespace metaledger::contracts
