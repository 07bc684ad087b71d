#include "consensus/block_tree.h"

#include <algorithm>

namespace metaledger::consensus {

BlockTree::BlockTree(std::string chain_id, Block root) : chain_id_(std::move(chain_id)) {
  root_hash_ = root.Hash(chain_id_);
  nodes_.emplace(root_hash_, std::move(root));
}

const Block* BlockTree::Get(const Hash256& hash) const {
  auto it = nodes_.find(hash);
  return it == nodes_.end() ? nullptr : &it->second;
}

bool BlockTree::Insert(const Hash256& hash, Block block) {
  if (!Contains(block.header.parent_hash)) return false;
  nodes_.emplace(hash, std::move(block));
  return true;
}

std::optional<std::vector<Block>> BlockTree::PathFromRoot(const Hash256& hash) const {
  std::vector<Block> path;
  Hash256 cur = hash;
  while (cur != root_hash_) {
    const Block* b = Get(cur);
    if (b == nullptr || b->header.height <= root().header.height) return std::nullopt;
    path.push_back(*b);
    cur = b->header.parent_hash;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

void BlockTree::AdvanceRoot(const Hash256& hash) {
  uint64_t height = nodes_.at(hash).header.height;
  root_hash_ = hash;
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    if (it->second.header.height <= height && it->first != hash) {
      it = nodes_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace metaledger::consensus
