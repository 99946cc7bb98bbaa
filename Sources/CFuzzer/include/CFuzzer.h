#ifndef PARLEY_CFUZZER_H
#define PARLEY_CFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, for a program with a `main` of its own (SwiftPM links executables
/// through the target's renamed entry point). Only referenced when built with -sanitize=fuzzer.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
