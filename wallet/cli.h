#pragma once
// metaledger-wallet's command line, as a function so tests can run it in-process.

#include <ostream>
#include <string>
#include <vector>

namespace metaledger::wallet {

// Fixed exit codes (docs/wallet.md). Scripts may rely on them.
enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,         // anything not listed below (I/O, internal)
  kExitUsage = 2,         // bad command line or bad argument value
  kExitNetwork = 3,       // node unreachable, timeout, unexpected HTTP answer
  kExitRejected = 4,      // the ledger refused the transaction (its error code is shown)
  kExitNotFound = 5,      // key, account, tx, block, ... does not exist
  kExitBadPassword = 6,   // wrong keystore password
  kExitVerifyFailed = 7,  // a proof did not verify (the failing check is named)
  kExitKeystore = 8,      // keystore file damaged, tampered with, or of an unknown version
};

// args excludes the program name. Output goes to `out` (one JSON document with -o json),
// diagnostics to `err`.
int RunWallet(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace metaledger::wallet
