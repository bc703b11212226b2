/*
 * fuzz_rmap_ops - a libFuzzer target for operation sequences over anon_vma chains:
 * each input is the CPUs' programs, then their schedule.
 */
#include "target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	target_fuzz_flags(argc, argv);
	target_fuzz_init("rmap_ops");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return target_fuzz_one("rmap_ops", data, size);
}
