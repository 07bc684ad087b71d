#pragma once
// The versioned sparse Merkle tree behind LedgerStore's state roots (hashing and proofs are
// defined in core/sparse_merkle.h).
//
// Nodes are immutable and stored under (version, hash): a block at height h writes only the
// nodes on the paths it changed, with version h, and points at unchanged subtrees of earlier
// versions, so the root of every committed height stays readable. A subtree holding one leaf is
// that leaf (wherever it sits), so moving a leaf up or down the tree never rewrites it.
//
// The tree does no I/O itself: it reads nodes through a TreeNodeSource and returns the nodes a
// batch creates, so the caller can put them in the same WriteBatch as the rest of a block.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/sparse_merkle.h"
#include "core/state_view.h"

namespace metaledger::storage {

// A pointer to a subtree: what kind it is, the version it was written at, and its hash.
struct NodeRef {
  enum class Kind : uint8_t { kEmpty = 0, kLeaf = 1, kInternal = 2 };
  Kind kind = Kind::kEmpty;
  uint64_t version = 0;
  Hash256 hash;  // kSmtEmptyHash for an empty subtree

  void Encode(Writer& w) const;
  static NodeRef DecodeFrom(Reader& r);
  bool operator==(const NodeRef&) const = default;
};

// The database key of a stored node: 'n' ‖ big-endian version ‖ hash.
std::string TreeNodeKey(uint64_t version, const Hash256& hash);

class TreeNodeSource {
 public:
  virtual ~TreeNodeSource() = default;
  // Replaces *out with the encoded node stored under (version, hash); NotFound if absent.
  // Returns true when the source vouches that the node matches `hash` (it checked it, or built
  // it), so the tree skips hashing it again; false makes the tree check it.
  virtual Result<bool> ReadNode(uint64_t version, const Hash256& hash, std::string* out) const = 0;
};

// OK when `encoded` is a well-formed node that hashes to `hash`; Corruption otherwise. For
// sources that read nodes from untrusted media and want to vouch for them.
Status CheckTreeNode(uint64_t version, const Hash256& hash, std::string_view encoded);

// The nodes one update creates, all at its version, encoded back to back in one buffer: a
// block makes thousands, and two strings each (key and value) cost more in malloc, free and
// copies than the hashing that made them.
class NewTreeNodes {
 public:
  struct Node {
    Hash256 hash;
    size_t offset = 0;
    size_t size = 0;
  };

  void Add(const Hash256& hash, ByteView encoded);
  // Hash order is the key order of TreeNodeKey at one version, the order RocksDB inserts
  // fastest.
  void SortByHash();

  std::span<const Node> nodes() const { return nodes_; }
  std::string_view encoded(const Node& node) const {
    return std::string_view(bytes_).substr(node.offset, node.size);
  }
  size_t size() const { return nodes_.size(); }
  // Calls fn(TreeNodeKey(version, hash), encoded) for each node in order, building the keys in
  // one buffer; stops at the first error and returns it.
  Status ForEachKeyed(
      uint64_t version,
      const std::function<Status(std::string_view key, std::string_view encoded)>& fn) const;

 private:
  std::vector<Node> nodes_;
  std::string bytes_;
};

struct TreeUpdate {
  NodeRef root;
  uint64_t version = 0;  // of every new node
  NewTreeNodes new_nodes;
};

// Applies `writes` (key -> value or deletion) on top of the tree at `root`, writing new nodes at
// `version`. Cost: O(log n) node reads and writes per key, shared path prefixes read once.
Result<TreeUpdate> UpdateTree(const TreeNodeSource& source, const NodeRef& root, uint64_t version,
                              const WriteSet& writes);

struct TreeLookup {
  std::optional<Bytes> value;
  SmtProof proof;
};

// The value of `key` under `root` and the proof of it (or of its absence).
Result<TreeLookup> ProveInTree(const TreeNodeSource& source, const NodeRef& root, ByteView key);

}  // namespace metaledger::storage
