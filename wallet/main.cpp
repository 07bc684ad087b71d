// metaledger-wallet: the ledger's command line for devices, UAVs, VSPs, aggregators, auditors.
#include <iostream>

#include "wallet/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return metaledger::wallet::RunWallet(args, std::cout, std::cerr);
}
