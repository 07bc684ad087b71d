#include "storage/tx_location_merge.h"

#include <rocksdb/merge_operator.h>

#include "core/codec.h"
#include "core/payload/error_codes.h"

namespace metaledger::storage {

bool RanItsTransaction(const TxLocation& location) { return RanToNonce(location.code); }

bool TakesPrecedence(const TxLocation& a, const TxLocation& b) {
  const bool a_ran = RanItsTransaction(a), b_ran = RanItsTransaction(b);
  if (a_ran != b_ran) return a_ran;
  if (a.height != b.height) return a.height < b.height;
  return a.index < b.index;
}

std::string EncodeTxLocation(const TxLocation& location) {
  Writer w;
  w.U64(location.height).U32(location.index).U16(location.code);
  return std::string(w.bytes().begin(), w.bytes().end());
}

std::optional<TxLocation> DecodeTxLocation(std::string_view raw) {
  Reader r(AsBytes(raw));
  TxLocation loc;
  loc.height = r.U64();
  loc.index = r.U32();
  loc.code = r.U16();
  if (!r.Finish().ok()) return std::nullopt;
  return loc;
}

namespace {

std::optional<TxLocation> Decode(const rocksdb::Slice& raw) {
  return DecodeTxLocation(std::string_view(raw.data(), raw.size()));
}

class TxLocationMergeOperator final : public rocksdb::MergeOperator {
 public:
  const char* Name() const override { return "metaledger.TxLocationPrecedence"; }

  bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
    const rocksdb::Slice* best = nullptr;
    std::optional<TxLocation> best_loc;
    auto consider = [&](const rocksdb::Slice& raw) {
      std::optional<TxLocation> loc = Decode(raw);
      if (!loc) return false;
      if (!best_loc || TakesPrecedence(*loc, *best_loc)) {
        best_loc = loc;
        best = &raw;
      }
      return true;
    };
    if (in.existing_value && !consider(*in.existing_value)) return false;
    for (const rocksdb::Slice& operand : in.operand_list) {
      if (!consider(operand)) return false;
    }
    if (!best) return false;
    out->existing_operand = *best;  // no copy: the winner is one of the inputs
    return true;
  }

  bool PartialMerge(const rocksdb::Slice& /*key*/, const rocksdb::Slice& left,
                    const rocksdb::Slice& right, std::string* new_value,
                    rocksdb::Logger* /*logger*/) const override {
    std::optional<TxLocation> l = Decode(left), r = Decode(right);
    if (!l || !r) return false;
    const rocksdb::Slice& winner = TakesPrecedence(*r, *l) ? right : left;
    new_value->assign(winner.data(), winner.size());
    return true;
  }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> NewTxLocationMergeOperator() {
  return std::make_shared<TxLocationMergeOperator>();
}

}  // namespace metaledger::storage
