#include "storage/state_tree.h"

#include <algorithm>

namespace metaledger::storage {
namespace {

constexpr uint8_t kLeafTag = 1;
constexpr uint8_t kInternalTag = 2;
constexpr size_t kMaxStoredValue = 64 << 20;

struct LeafNode {
  Hash256 key_hash;
  Bytes value;
};

struct InternalNode {
  NodeRef left, right;
};

void EncodeLeaf(const Hash256& key_hash, ByteView value, Writer& w) {
  w.U8(kLeafTag).Fixed(key_hash).Bytes(value);
}

void EncodeInternal(const NodeRef& left, const NodeRef& right, Writer& w) {
  w.U8(kInternalTag);
  left.Encode(w);
  right.Encode(w);
}

Status NodeCorruption(uint64_t version, const Hash256& hash, std::string_view why) {
  return Status::Corruption("state tree node " + hash.Hex() + " at version " +
                            std::to_string(version) + ": " + std::string(why));
}
Status NodeCorruption(const NodeRef& ref, std::string_view why) {
  return NodeCorruption(ref.version, ref.hash, why);
}

// Decoders. `check`: the bytes must hash to `hash`, or proofs built from them would lie.
Result<LeafNode> DecodeLeaf(uint64_t version, const Hash256& hash, std::string_view raw,
                            bool check) {
  Reader r(AsBytes(raw));
  LeafNode leaf;
  if (r.U8() != kLeafTag) return NodeCorruption(version, hash, "expected a leaf");
  leaf.key_hash = r.Fixed<32>();
  leaf.value = r.Bytes(kMaxStoredValue, "state value");
  if (!r.Finish().ok()) return NodeCorruption(version, hash, r.Finish().message());
  if (check && SmtLeafHash(leaf.key_hash, SmtValueHash(leaf.value)) != hash) {
    return NodeCorruption(version, hash, "leaf does not match its hash");
  }
  return leaf;
}

Result<InternalNode> DecodeInternal(uint64_t version, const Hash256& hash, std::string_view raw,
                                    bool check) {
  Reader r(AsBytes(raw));
  InternalNode node;
  if (r.U8() != kInternalTag) return NodeCorruption(version, hash, "expected an internal node");
  node.left = NodeRef::DecodeFrom(r);
  node.right = NodeRef::DecodeFrom(r);
  if (!r.Finish().ok()) return NodeCorruption(version, hash, r.Finish().message());
  if (check && SmtInternalHash(node.left.hash, node.right.hash) != hash) {
    return NodeCorruption(version, hash, "internal node does not match its hash");
  }
  return node;
}

// Reads the node `ref` points at into *buf; true when the source vouched for it.
Result<bool> Fetch(const TreeNodeSource& source, const NodeRef& ref, std::string* buf) {
  auto vouched = source.ReadNode(ref.version, ref.hash, buf);
  if (!vouched.ok() && vouched.status().code() == StatusCode::kNotFound) {
    return NodeCorruption(ref, "missing");
  }
  return vouched;
}

Result<LeafNode> ReadLeaf(const TreeNodeSource& source, const NodeRef& ref, std::string* buf) {
  ML_ASSIGN_OR_RETURN(bool vouched, Fetch(source, ref, buf));
  return DecodeLeaf(ref.version, ref.hash, *buf, !vouched);
}

Result<InternalNode> ReadInternal(const TreeNodeSource& source, const NodeRef& ref,
                                  std::string* buf) {
  ML_ASSIGN_OR_RETURN(bool vouched, Fetch(source, ref, buf));
  return DecodeInternal(ref.version, ref.hash, *buf, !vouched);
}

// One key's change, by key hash. value == nullopt deletes.
struct KeyUpdate {
  Hash256 key_hash;
  const std::optional<Bytes>* value;
};

// A leaf that should exist in a rebuilt subtree: either an untouched existing leaf (keeps its
// ref) or a new value.
struct LeafEntry {
  Hash256 key_hash;
  std::optional<NodeRef> existing;
  const Bytes* value = nullptr;
};

class Updater {
 public:
  Updater(const TreeNodeSource& source, uint64_t version, TreeUpdate& out)
      : source_(source), version_(version), out_(out) {}

  Result<NodeRef> Update(const NodeRef& ref, size_t depth, std::span<const KeyUpdate> updates) {
    if (updates.empty()) return ref;
    switch (ref.kind) {
      case NodeRef::Kind::kEmpty:
        return Build(depth, LeafEntries(updates));
      case NodeRef::Kind::kLeaf: {
        ML_ASSIGN_OR_RETURN(LeafNode leaf, ReadLeaf(source_, ref, &scratch_));
        std::vector<LeafEntry> entries = LeafEntries(updates);
        bool touched = std::any_of(updates.begin(), updates.end(),
                                   [&](const KeyUpdate& u) { return u.key_hash == leaf.key_hash; });
        if (!touched) {
          LeafEntry keep{leaf.key_hash, ref, nullptr};
          auto pos = std::lower_bound(
              entries.begin(), entries.end(), keep,
              [](const LeafEntry& a, const LeafEntry& b) { return a.key_hash < b.key_hash; });
          entries.insert(pos, keep);
        }
        return Build(depth, std::move(entries));
      }
      case NodeRef::Kind::kInternal: {
        if (depth >= kSmtDepth) return NodeCorruption(ref, "internal node below the last level");
        ML_ASSIGN_OR_RETURN(InternalNode node, ReadInternal(source_, ref, &scratch_));
        auto split = std::partition_point(updates.begin(), updates.end(), [&](const KeyUpdate& u) {
          return !SmtBit(u.key_hash, depth);
        });
        size_t n_left = static_cast<size_t>(split - updates.begin());
        ML_ASSIGN_OR_RETURN(NodeRef left, Update(node.left, depth + 1, updates.first(n_left)));
        ML_ASSIGN_OR_RETURN(NodeRef right, Update(node.right, depth + 1, updates.subspan(n_left)));
        return Join(left, right);
      }
    }
    return NodeCorruption(ref, "unknown node kind");
  }

 private:
  static std::vector<LeafEntry> LeafEntries(std::span<const KeyUpdate> updates) {
    std::vector<LeafEntry> entries;
    entries.reserve(updates.size() + 1);
    for (const KeyUpdate& u : updates) {
      if (u.value->has_value()) entries.push_back({u.key_hash, std::nullopt, &**u.value});
    }
    return entries;
  }

  // The subtree at `depth` holding exactly `entries` (sorted by key hash).
  Result<NodeRef> Build(size_t depth, std::vector<LeafEntry> entries) {
    return BuildRange(depth, entries);
  }

  Result<NodeRef> BuildRange(size_t depth, std::span<const LeafEntry> entries) {
    if (entries.empty()) return NodeRef{};
    if (entries.size() == 1) {
      const LeafEntry& e = entries[0];
      if (e.existing) return *e.existing;
      NodeRef leaf{NodeRef::Kind::kLeaf, version_, SmtLeafHash(e.key_hash, SmtValueHash(*e.value))};
      encoder_.Clear();
      EncodeLeaf(e.key_hash, *e.value, encoder_);
      out_.new_nodes.Add(leaf.hash, encoder_.bytes());
      return leaf;
    }
    if (depth >= kSmtDepth) return Status::Internal("two state keys with the same hash");
    auto split = std::partition_point(entries.begin(), entries.end(), [&](const LeafEntry& e) {
      return !SmtBit(e.key_hash, depth);
    });
    size_t n_left = static_cast<size_t>(split - entries.begin());
    ML_ASSIGN_OR_RETURN(NodeRef left, BuildRange(depth + 1, entries.first(n_left)));
    ML_ASSIGN_OR_RETURN(NodeRef right, BuildRange(depth + 1, entries.subspan(n_left)));
    return Join(left, right);
  }

  // The parent of two subtrees, collapsing a parent of one leaf (or none) into that leaf.
  NodeRef Join(const NodeRef& left, const NodeRef& right) {
    using K = NodeRef::Kind;
    if (left.kind == K::kEmpty && right.kind != K::kInternal) return right;
    if (right.kind == K::kEmpty && left.kind != K::kInternal) return left;
    NodeRef node{K::kInternal, version_, SmtInternalHash(left.hash, right.hash)};
    encoder_.Clear();
    EncodeInternal(left, right, encoder_);
    out_.new_nodes.Add(node.hash, encoder_.bytes());
    return node;
  }

  const TreeNodeSource& source_;
  uint64_t version_;
  TreeUpdate& out_;
  std::string scratch_;  // one read buffer for the whole update
  Writer encoder_;       // and one write buffer
};

}  // namespace

void NewTreeNodes::Add(const Hash256& hash, ByteView encoded) {
  nodes_.push_back({hash, bytes_.size(), encoded.size()});
  bytes_.append(reinterpret_cast<const char*>(encoded.data()), encoded.size());
}

void NewTreeNodes::SortByHash() {
  std::sort(nodes_.begin(), nodes_.end(),
            [](const Node& a, const Node& b) { return a.hash < b.hash; });
}

Status NewTreeNodes::ForEachKeyed(
    uint64_t version,
    const std::function<Status(std::string_view key, std::string_view encoded)>& fn) const {
  std::string key = TreeNodeKey(version, Hash256{});
  for (const Node& node : nodes_) {
    std::copy(node.hash.bytes.begin(), node.hash.bytes.end(), key.begin() + 9);  // as TreeNodeKey
    ML_RETURN_IF_ERROR(fn(key, encoded(node)));
  }
  return Status::Ok();
}

void NodeRef::Encode(Writer& w) const {
  w.U8(static_cast<uint8_t>(kind));
  if (kind != Kind::kEmpty) w.U64(version).Fixed(hash);
}

NodeRef NodeRef::DecodeFrom(Reader& r) {
  NodeRef ref;
  uint8_t kind = r.U8();
  if (kind > static_cast<uint8_t>(Kind::kInternal)) {
    r.Fail(Status::Corruption("unknown state tree node kind " + std::to_string(kind)));
    return ref;
  }
  ref.kind = static_cast<Kind>(kind);
  if (ref.kind != Kind::kEmpty) {
    ref.version = r.U64();
    ref.hash = r.Fixed<32>();
  }
  return ref;
}

Status CheckTreeNode(uint64_t version, const Hash256& hash, std::string_view encoded) {
  if (!encoded.empty() && static_cast<uint8_t>(encoded[0]) == kLeafTag) {
    return DecodeLeaf(version, hash, encoded, true).status();
  }
  return DecodeInternal(version, hash, encoded, true).status();
}

std::string TreeNodeKey(uint64_t version, const Hash256& hash) {
  std::string key(1 + 8 + 32, '\0');
  key[0] = 'n';
  for (int i = 0; i < 8; ++i) key[1 + i] = static_cast<char>(version >> (56 - 8 * i));
  std::copy(hash.bytes.begin(), hash.bytes.end(), key.begin() + 9);
  return key;
}

Result<TreeUpdate> UpdateTree(const TreeNodeSource& source, const NodeRef& root, uint64_t version,
                              const WriteSet& writes) {
  std::vector<KeyUpdate> updates;
  updates.reserve(writes.size());
  for (const auto& [key, value] : writes) updates.push_back({SmtKeyHash(key), &value});
  std::sort(updates.begin(), updates.end(),
            [](const KeyUpdate& a, const KeyUpdate& b) { return a.key_hash < b.key_hash; });
  TreeUpdate out;
  out.version = version;
  Updater updater(source, version, out);
  ML_ASSIGN_OR_RETURN(out.root, updater.Update(root, 0, updates));
  return out;
}

Result<TreeLookup> ProveInTree(const TreeNodeSource& source, const NodeRef& root, ByteView key) {
  const Hash256 key_hash = SmtKeyHash(key);
  TreeLookup out;
  std::string buf;
  NodeRef ref = root;
  for (size_t depth = 0;; ++depth) {
    switch (ref.kind) {
      case NodeRef::Kind::kEmpty:
        return out;
      case NodeRef::Kind::kLeaf: {
        ML_ASSIGN_OR_RETURN(LeafNode leaf, ReadLeaf(source, ref, &buf));
        out.proof.leaf = SmtProof::Leaf{leaf.key_hash, SmtValueHash(leaf.value)};
        if (leaf.key_hash == key_hash) out.value = std::move(leaf.value);
        return out;
      }
      case NodeRef::Kind::kInternal: {
        if (depth >= kSmtDepth) return NodeCorruption(ref, "internal node below the last level");
        ML_ASSIGN_OR_RETURN(InternalNode node, ReadInternal(source, ref, &buf));
        bool right = SmtBit(key_hash, depth);
        out.proof.siblings.push_back(right ? node.left.hash : node.right.hash);
        ref = right ? node.right : node.left;
        break;
      }
    }
  }
}

}  // namespace metaledger::storage
