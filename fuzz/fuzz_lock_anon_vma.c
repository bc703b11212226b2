/*
 * fuzz_lock_anon_vma - a libFuzzer target for the race of the 2010 mail:
 * each input is one schedule of the lock_anon_vma scenario.
 */
#include "target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	target_fuzz_flags(argc, argv);
	target_fuzz_init("lock_anon_vma");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return target_fuzz_one("lock_anon_vma", data, size);
}
