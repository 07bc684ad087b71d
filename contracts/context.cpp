#include "contracts/context.h"

#include <algorithm>

namespace metaledger::contracts {

template <size_t N>
bool IdList<N>::Contains(const FixedBytes<N>& id) const {
  return std::binary_search(ids.begin(), ids.end(), id);
}

template <size_t N>
bool IdList<N>::Insert(const FixedBytes<N>& id) {
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it != ids.end() && *it == id) return false;
  ids.insert(it, id);
  return true;
}

template <size_t N>
bool IdList<N>::Erase(const FixedBytes<N>& id) {
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it == ids.end() || *it != id) return false;
  ids.erase(it);
  return true;
}

template struct IdList<20>;
template struct IdList<32>;

Result<uint64_t> Ctx::GetU64(const Bytes& key) const {
  ML_ASSIGN_OR_RETURN(std::optional<U64Value> v, Get<U64Value>(key));
  return v ? v->v : 0;
}

void Ctx::PutU64(const Bytes& key, uint64_t v) {
  if (v == 0) {
    state_.Delete(key);
  } else {
    Put(key, U64Value{v});
  }
}

Status Ctx::AddDue(std::string_view what, uint64_t h, const Hash256& id) {
  Bytes key = keys::Due(what, h);
  ML_ASSIGN_OR_RETURN(std::optional<IdList<32>> list, Get<IdList<32>>(key));
  IdList<32> l = list ? std::move(*list) : IdList<32>{};
  l.Insert(id);
  Put(key, l);
  return Status::Ok();
}

Result<std::vector<Hash256>> Ctx::TakeDue(std::string_view what, uint64_t h) {
  Bytes key = keys::Due(what, h);
  ML_ASSIGN_OR_RETURN(std::optional<IdList<32>> list, Get<IdList<32>>(key));
  if (!list) return std::vector<Hash256>{};
  state_.Delete(key);
  return std::move(list->ids);
}

void Ctx::Emit(std::string type, std::vector<std::pair<std::string, std::string>> attributes) {
  Event e;
  e.tx_index = tx_index;
  e.type = std::move(type);
  e.attributes = std::move(attributes);
  events_.push_back(std::move(e));
}

}  // namespace metaledger::contracts
