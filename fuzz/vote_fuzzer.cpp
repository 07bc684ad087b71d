// libFuzzer target: Vote decoder (see fuzz_decode.h for what counts as a failure).
#include "core/certificates.h"
#include "fuzz/fuzz_decode.h"

METALEDGER_DECODER_FUZZER(metaledger::Vote)
