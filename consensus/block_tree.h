#pragma once
// BlockTree: the blocks a replica knows above its last committed block (the root). Every block
// in the tree has its parent in the tree, so any block's path back to the root is complete.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/block.h"

namespace metaledger::consensus {

class BlockTree {
 public:
  BlockTree(std::string chain_id, Block root);

  const Block& root() const { return nodes_.at(root_hash_); }
  const Hash256& root_hash() const { return root_hash_; }
  const Block* Get(const Hash256& hash) const;
  bool Contains(const Hash256& hash) const { return nodes_.count(hash) != 0; }
  size_t size() const { return nodes_.size(); }

  // The caller has checked that the parent is present; returns false (and stores nothing) if not.
  bool Insert(const Hash256& hash, Block block);
  // The blocks after the root up to and including `hash`, parent first; nullopt when `hash` does
  // not descend from the root.
  std::optional<std::vector<Block>> PathFromRoot(const Hash256& hash) const;
  // Makes `hash` (which must descend from the root) the new root and forgets every block at or
  // below its height.
  void AdvanceRoot(const Hash256& hash);

 private:
  std::string chain_id_;
  Hash256 root_hash_;
  std::map<Hash256, Block> nodes_;
};

}  // namespace metaledger::consensus
