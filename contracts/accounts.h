#pragma once
// Accounts and the token: balances, nonces, roles, operators, stake, and the only functions
// that move tokens. Every movement keeps one invariant, checked by the tests:
//   Σ(balance + stake + unbonding) over accounts + held == total supply,
// where `held` counts tokens inside contracts (escrows, bonds, pools, claimable rewards) and the
// total changes only by recorded mints and burns.
#include <cstdint>

#include "contracts/context.h"
#include "core/payload/payloads.h"
#include "core/payload/roles.h"

namespace metaledger::contracts {

struct AccountRecord {
  bool has_key = false;
  PublicKey key;  // known once the account has signed, or from genesis / RegisterDevice
  uint64_t balance = 0;
  uint64_t nonce = 0;  // next expected
  RoleMask roles = kNoRole;
  bool has_operator = false;
  Address operator_addr;  // for DEVICE keys
  DeviceKind device_kind = DeviceKind::OTHER;
  uint64_t stake = 0;
  uint64_t unbonding = 0;
  uint64_t suspended_until_h = 0;

  void Encode(Writer& w) const;
  static AccountRecord DecodeFrom(Reader& r);
  bool operator==(const AccountRecord&) const = default;
};

struct SupplyRecord {
  uint64_t total = 0;
  uint64_t held = 0;  // inside contracts
  uint64_t minted = 0;
  uint64_t burned = 0;
  void Encode(Writer& w) const;
  static SupplyRecord DecodeFrom(Reader& r);
  bool operator==(const SupplyRecord&) const = default;
};

Result<std::optional<AccountRecord>> LoadAccount(const Ctx& ctx, const Address& a);
void StoreAccount(Ctx& ctx, const Address& a, const AccountRecord& rec);
Result<SupplyRecord> LoadSupply(const Ctx& ctx);

// Token movements. Outcomes: INSUFFICIENT_FUNDS, UNKNOWN_ACCOUNT (debits), OVERFLOW.
Outcome Credit(Ctx& ctx, const Address& to, uint64_t amount);  // creates the account if needed
Outcome Debit(Ctx& ctx, const Address& from, uint64_t amount);
Outcome ToHeld(Ctx& ctx, const Address& from, uint64_t amount);    // escrow into a contract
Outcome FromHeld(Ctx& ctx, const Address& to, uint64_t amount);    // pay out of a contract
Outcome MintToHeld(Ctx& ctx, uint64_t amount);                     // governance mint
Outcome BurnHeld(Ctx& ctx, uint64_t amount);
// Claimable rewards stay in `held` until CLAIM.
Outcome AddClaimable(Ctx& ctx, const Address& to, uint64_t amount);

// The account's roles (kNoRole for an unknown account).
Result<RoleMask> RolesOf(const Ctx& ctx, const Address& a);
// The UAV/sensor's operator, if `device` is a DEVICE bound to one.
Result<std::optional<Address>> OperatorOf(const Ctx& ctx, const Address& device);

Outcome HandleTransfer(Ctx& ctx, const TransferPayload& p);
Outcome HandleStake(Ctx& ctx, const StakePayload& p);
Outcome HandleUnstake(Ctx& ctx, const UnstakePayload& p);
Outcome HandleRegisterDevice(Ctx& ctx, const RegisterDevicePayload& p);
Outcome HandleClaim(Ctx& ctx, const ClaimPayload& p);
// End-of-block: returns unbonded stake whose release height is now.
Status ReleaseUnbonded(Ctx& ctx);

// An address padded to 32 bytes, for the due-index lists.
Hash256 AddressAsId(const Address& a);
Address IdAsAddress(const Hash256& id);

}  // namespace metaledger::contracts
