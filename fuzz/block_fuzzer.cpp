// libFuzzer target: Block decoder (see fuzz_decode.h for what counts as a failure).
#include "core/block.h"
#include "fuzz/fuzz_decode.h"

METALEDGER_DECODER_FUZZER(metaledger::Block)
