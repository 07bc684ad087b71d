#include "contracts/params.h"

#include "contracts/state_keys.h"
#include "core/codec.h"

namespace metaledger::contracts {
namespace {

using P = ChainParams;
constexpr P::Field kFields[] = {
    {"MIN_COMMIT_BLOCKS", &P::MIN_COMMIT_BLOCKS},
    {"MIN_REVEAL_BLOCKS", &P::MIN_REVEAL_BLOCKS},
    {"EPOCH_BLOCKS", &P::EPOCH_BLOCKS},
    {"REP_MIN_PPM", &P::REP_MIN_PPM},
    {"ACC_MIN_BPS", &P::ACC_MIN_BPS},
    {"ACC_REGRESSION_TOL_BPS", &P::ACC_REGRESSION_TOL_BPS},
    {"A0", &P::A0},
    {"Amax", &P::Amax},
    {"CAP", &P::CAP},
    {"MAX_SKEW_MS", &P::MAX_SKEW_MS},
    {"MAX_PARENTS", &P::MAX_PARENTS},
    {"MAX_CELLS", &P::MAX_CELLS},
    {"MAX_INPUTS", &P::MAX_INPUTS},
    {"UNBOND_BLOCKS", &P::UNBOND_BLOCKS},
    {"PROPOSAL_BLOCKS", &P::PROPOSAL_BLOCKS},
    {"MAX_AOI_BLOCKS", &P::MAX_AOI_BLOCKS},
    {"MIN_EVALUATORS", &P::MIN_EVALUATORS},
};

}  // namespace

std::span<const ChainParams::Field> ChainParams::Fields() { return kFields; }

Status ChainParams::Set(std::string_view name, uint64_t value) {
  for (const Field& f : kFields) {
    if (f.name == name) {
      ChainParams next = *this;
      next.*(f.member) = value;
      ML_RETURN_IF_ERROR(next.Validate());
      *this = next;
      return Status::Ok();
    }
  }
  return Status::InvalidArgument("unknown chain parameter '" + std::string(name) + "'");
}

Status ChainParams::Validate() const {
  if (EPOCH_BLOCKS == 0) return Status::InvalidArgument("EPOCH_BLOCKS must be at least 1");
  if (A0 >= Amax) return Status::InvalidArgument("A0 must be below Amax");
  if (CAP == 0) return Status::InvalidArgument("CAP must be at least 1");
  if (REP_MIN_PPM > 1'000'000) return Status::InvalidArgument("REP_MIN_PPM above 1000000");
  if (ACC_MIN_BPS > 10'000) return Status::InvalidArgument("ACC_MIN_BPS above 10000");
  if (PROPOSAL_BLOCKS == 0) return Status::InvalidArgument("PROPOSAL_BLOCKS must be at least 1");
  if (MIN_EVALUATORS == 0) return Status::InvalidArgument("MIN_EVALUATORS must be at least 1");
  if (MAX_PARENTS > 1024 || MAX_CELLS > 1024 || MAX_INPUTS > 1024) {
    return Status::InvalidArgument("list limits must not exceed 1024");
  }
  return Status::Ok();
}

Result<ChainParams> ChainParams::FromGenesis(const Genesis& genesis) {
  ChainParams p;
  for (const auto& [name, value] : genesis.params) {
    ML_RETURN_IF_ERROR(p.Set(name, value).Annotate("genesis params"));
  }
  return p;
}

Result<ChainParams> ChainParams::Load(const StateView& state) {
  ChainParams p;
  for (const Field& f : kFields) {
    ML_ASSIGN_OR_RETURN(std::optional<Bytes> v, state.Get(keys::Param(f.name)));
    if (!v) continue;  // a parameter added after genesis keeps its default
    Reader r(*v);
    uint64_t x = r.Varint();
    ML_RETURN_IF_ERROR(r.Finish().Annotate("parameter " + std::string(f.name)));
    p.*(f.member) = x;
  }
  return p;
}

void ChainParams::Store(WriteSet& writes) const {
  for (const Field& f : kFields) {
    Writer w;
    w.Varint(this->*(f.member));
    writes[keys::Param(f.name)] = w.Take();
  }
}

}  // namespace metaledger::contracts
