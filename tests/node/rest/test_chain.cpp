#include "tests/node/rest/test_chain.h"

#include <algorithm>

#include "core/codec.h"
#include "core/merkle.h"
#include "core/payload/error_codes.h"

namespace metaledger::rest::testing {

namespace {

constexpr char kChainId[] = "rest-test";

PrivateKey KeyFromByte(uint8_t tag, uint8_t i) {
  Bytes seed(32, tag);
  seed[31] = i;
  return *PrivateKey::FromSeed(seed);
}

}  // namespace

TestChain::TestChain(uint64_t blocks) {
  std::vector<Validator> validators;
  for (uint8_t i = 0; i < 4; ++i) {
    validator_keys_.push_back(KeyFromByte(0x11, i));
    validators.push_back({"v" + std::to_string(i), validator_keys_.back().public_key(), ""});
  }
  for (uint8_t i = 0; i < 3; ++i) accounts_.push_back(KeyFromByte(0x22, i));
  genesis_.chain_id = kChainId;
  genesis_.genesis_time_ms = 1'700'000'000'000;
  genesis_.validators = ValidatorSet(validators);
  for (size_t i = 0; i < accounts_.size(); ++i) {
    genesis_.accounts.push_back(
        {"acct" + std::to_string(i), accounts_[i].public_key(), 1000, {}, {}});
  }
  blocks_.push_back(genesis_.GenesisBlock());
  txs_.emplace_back();
  receipts_.emplace_back();
  certs_.push_back({});  // genesis has no certificate: GetCommitCert(0) is NotFound
  state_[ToBytes("greeting")] = ToBytes("hello");

  std::vector<uint64_t> nonces(accounts_.size(), 0);
  for (uint64_t h = 1; h <= blocks; ++h) {
    std::vector<Transaction> txs;
    for (uint64_t i = 0; i < std::min<uint64_t>(h, 5); ++i) {
      size_t who = (h + i) % accounts_.size();
      txs.push_back(MakeTx(who, nonces[who]++));
    }
    AppendLocked(std::move(txs));
  }
}

Transaction TestChain::MakeTx(size_t who, uint64_t nonce, uint16_t kind) const {
  Transaction tx;
  tx.chain_id = kChainId;
  tx.sender = accounts_[who].public_key();
  tx.nonce = nonce;
  tx.kind = kind;
  tx.payload = ToBytes("payload-" + std::to_string(who) + "-" + std::to_string(nonce));
  tx.Sign(accounts_[who]);
  return tx;
}

void TestChain::AppendBlock(std::vector<Transaction> txs) {
  std::lock_guard lock(mu_);
  AppendLocked(std::move(txs));
}

void TestChain::AppendLocked(std::vector<Transaction> txs) {
  const Block& parent = blocks_.back();
  Block b;
  b.header.height = parent.header.height + 1;
  b.header.round = b.header.height + 1;
  b.header.parent_hash = parent.Hash(kChainId);
  b.header.proposer = static_cast<uint32_t>(b.header.height % 4);
  b.header.time_ms = parent.header.time_ms + 1000;
  std::vector<Hash256> ids;
  for (const Transaction& tx : txs) ids.push_back(tx.Hash());
  b.payload = ToBytes("batch-" + std::to_string(b.header.height));
  b.header.payload_hash = PayloadHash(kChainId, b.payload);
  b.header.tx_root = MerkleRoot(ids);
  b.header.tx_count = static_cast<uint32_t>(ids.size());
  b.header.validator_set_hash = genesis_.validators.Hash(kChainId);
  b.justify.round = parent.header.round;
  b.justify.block_hash = parent.Hash(kChainId);

  ExecutionResult receipts;
  for (size_t i = 0; i < txs.size(); ++i) {
    // Every third transaction fails with BAD_NONCE (3), so results vary.
    receipts.tx_codes.push_back(i % 3 == 2 ? 3 : 0);
    receipts.events.push_back({static_cast<uint32_t>(i), "test.tx", {{"n", std::to_string(i)}}});
  }
  receipts.events.push_back(
      {Event::kEndOfBlock, "test.block", {{"height", std::to_string(b.header.height)}}});

  CommitCert cert = SignCert(b, Sha256("state-" + std::to_string(b.header.height)));

  uint64_t h = b.header.height;
  for (uint32_t i = 0; i < txs.size(); ++i) {
    tx_index_[ids[i]] = {h, i};
    // As the ledger store: an account's history lists only what ran (docs/rest.md).
    if (RanToNonce(receipts.tx_codes[i])) by_sender_[AddressOf(txs[i].sender)].push_back(ids[i]);
  }
  blocks_.push_back(std::move(b));
  txs_.push_back(std::move(txs));
  receipts_.push_back(std::move(receipts));
  certs_.push_back(std::move(cert));
}

CommitCert TestChain::SignCert(const Block& block, const Hash256& state_root) const {
  CommitCert cert;
  cert.height = block.header.height;
  cert.block_hash = block.Hash(kChainId);
  cert.tx_root = block.header.tx_root;
  cert.state_root = state_root;
  for (uint32_t v = 0; v < 3; ++v) {
    CommitVote vote{cert.height, cert.block_hash, cert.tx_root, cert.state_root, v, {}};
    vote.Sign(kChainId, validator_keys_[v]);
    cert.sigs.push_back({v, vote.sig});
  }
  return cert;
}

Result<uint64_t> TestChain::LatestHeight() const {
  std::lock_guard lock(mu_);
  return blocks_.size() - 1;
}

Result<Block> TestChain::GetBlock(uint64_t height) const {
  std::lock_guard lock(mu_);
  if (height >= blocks_.size()) return Status::NotFound("no block " + std::to_string(height));
  return blocks_[height];
}

Result<uint64_t> TestChain::HeightOfBlock(const Hash256& block_hash) const {
  std::lock_guard lock(mu_);
  for (const Block& b : blocks_) {
    if (b.Hash(kChainId) == block_hash) return b.header.height;
  }
  return Status::NotFound("no such block");
}

Result<CommitCert> TestChain::GetCommitCert(uint64_t height) const {
  std::lock_guard lock(mu_);
  if (height == 0 || height >= certs_.size()) return Status::NotFound("no certificate");
  return certs_[height];
}

Result<std::vector<Transaction>> TestChain::GetBlockTxs(uint64_t height) const {
  std::lock_guard lock(mu_);
  if (height >= txs_.size()) return Status::NotFound("no block");
  return txs_[height];
}

Result<ExecutionResult> TestChain::GetReceipts(uint64_t height) const {
  std::lock_guard lock(mu_);
  if (height == 0 || height >= receipts_.size()) return Status::NotFound("no receipts");
  return receipts_[height];
}

Result<ValidatorSet> TestChain::ValidatorsAt(uint64_t) const { return genesis_.validators; }

Result<TxLocation> TestChain::LocateTx(const Hash256& tx_hash) const {
  std::lock_guard lock(mu_);
  auto it = tx_index_.find(tx_hash);
  if (it == tx_index_.end()) return Status::NotFound("no such transaction");
  return it->second;
}

Result<TxPage> TestChain::AccountTxs(const Address& account, const std::string& cursor,
                                     size_t limit) const {
  std::lock_guard lock(mu_);
  // Cursor: how many of the newest entries were already served, as a decimal number.
  size_t skip = 0;
  if (!cursor.empty()) {
    if (cursor.size() > 9 || !std::all_of(cursor.begin(), cursor.end(), ::isdigit)) {
      return Status::InvalidArgument("malformed cursor");
    }
    skip = std::stoul(cursor);
  }
  TxPage page;
  auto it = by_sender_.find(account);
  if (it == by_sender_.end()) return page;
  const auto& all = it->second;
  for (size_t i = skip; i < all.size() && page.tx_hashes.size() < limit; ++i) {
    page.tx_hashes.push_back(all[all.size() - 1 - i]);
  }
  if (skip + page.tx_hashes.size() < all.size()) {
    page.next_cursor = std::to_string(skip + page.tx_hashes.size());
  }
  return page;
}

Result<StateEntry> TestChain::GetState(ByteView key, uint64_t height, bool) const {
  std::lock_guard lock(mu_);
  StateEntry e;
  auto it = state_.find(Bytes(key.begin(), key.end()));
  if (it != state_.end()) e.value = it->second;
  e.state_root = height == 0 ? Hash256{} : certs_.at(height).state_root;
  return e;  // no proofs: the in-memory chain has no authenticated tree
}

std::vector<Hash256> TestChain::AllTxHashes() const {
  std::lock_guard lock(mu_);
  std::vector<Hash256> out;
  for (const auto& [hash, loc] : tx_index_) out.push_back(hash);
  return out;
}

Result<nlohmann::json> FakeViews::Query(const ViewQuery& query) const {
  if (query.id.empty() || query.id[0] != 0xaa) return Status::NotFound("no such object");
  return nlohmann::json{{"kind", static_cast<int>(query.kind)},
                        {"id", ToHex(query.id)},
                        {"round", std::to_string(query.round)},
                        {"at", std::to_string(query.height)}};
}

NodeStatus FakeBackend::Status() const { return {"node-0", "0.1.0-test", 42, 3, false}; }

Admission FakeBackend::SubmitTx(ByteView tx_bytes) {
  Admission a;
  auto tx = Decode<Transaction>(tx_bytes);
  if (!tx.ok()) {
    a.error_code = "BAD_ENCODING";
    a.detail = tx.status().message();
    return a;
  }
  if (tx->chain_id != chain_->genesis().chain_id) {
    a.error_code = "WRONG_CHAIN";
    a.detail = "transaction is for chain '" + tx->chain_id + "'";
    return a;
  }
  if (!tx->VerifySignature()) {
    a.error_code = "BAD_SIGNATURE";
    a.detail = "signature does not verify";
    return a;
  }
  a.accepted = true;
  a.tx_hash = tx->Hash();
  std::lock_guard lock(mu_);
  submitted_.push_back(std::move(*tx));
  return a;
}

std::vector<ReadinessPart> FakeBackend::Readiness() const {
  return {{"peers", peers_ready_, peers_ready_ ? "" : "0 of 3 peers connected"},
          {"catching_up", true, ""}};
}

std::vector<Transaction> FakeBackend::TakeSubmitted() {
  std::lock_guard lock(mu_);
  return std::move(submitted_);
}

}  // namespace metaledger::rest::testing
