/*
 * fuzz - the libFuzzer target of every scenario: each input is one
 * schedule (the programs first, for scenarios that have them).
 *
 *   out/fuzz SCENARIO [libFuzzer flags] [CORPUS_DIR... | FILE...]
 *
 * The build also makes targets with their configuration built in: out/
 * fuzz_NAME for the scenarios the Makefile's NAMED lists (FUZZ_SCENARIO),
 * and CI's, out/ci/NAME, from fuzz/ci-targets (also FUZZ_VARIANT,
 * FUZZ_MEMORY and FUZZ_EXPECT, "-" for none).  The environment overrides
 * what is built in.
 */
#include "target.h"

#ifndef FUZZ_SCENARIO
#define FUZZ_SCENARIO NULL
#endif
#ifndef FUZZ_VARIANT
#define FUZZ_VARIANT NULL
#endif
#ifndef FUZZ_MEMORY
#define FUZZ_MEMORY NULL
#endif
#ifndef FUZZ_EXPECT
#define FUZZ_EXPECT NULL
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const struct target_fuzz_config built_in = {
		FUZZ_SCENARIO, FUZZ_VARIANT, FUZZ_MEMORY, FUZZ_EXPECT,
	};

	target_fuzz_init(&built_in, argc, argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return target_fuzz_one(data, size);
}
