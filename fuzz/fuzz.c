/*
 * fuzz - the libFuzzer target of every scenario: each input is one
 * schedule (the programs first, for scenarios that have them).
 *
 *   out/fuzz SCENARIO [libFuzzer flags] [CORPUS_DIR... | FILE...]
 *
 * The build also makes out/fuzz_NAME from this file for the scenarios
 * the Makefile's NAMED lists, with the scenario built in (FUZZ_SCENARIO):
 * the OSS-Fuzz targets, which take no arguments of their own.
 */
#include "target.h"

#ifndef FUZZ_SCENARIO
#define FUZZ_SCENARIO NULL
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	target_fuzz_init(FUZZ_SCENARIO, argc, argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return target_fuzz_one(data, size);
}
