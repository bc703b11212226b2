/*
 * fuzz_schedule_text - libFuzzer on the text-schedule parser: any bytes,
 * given the format's first line, must parse or be refused with a message,
 * and what parses must run lock_anon_vma to an end.  The test suite runs
 * it for a fixed number of inputs.
 */
#include <stdlib.h>
#include <string.h>

#include "target.h"

#define MAGIC "schedfuzz schedule v1\n"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct target_settings user = { 0 };
	const struct scenario *sc;

	(void)argc;
	(void)argv;
	target_settings_option(&user, "fuzz_schedule_text", "--scenario",
			       "lock_anon_vma");
	if (target_configure(&user, NULL, false, &sc))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct scenario *sc;
	struct sched_result res;
	size_t n = strlen(MAGIC);
	uint8_t *text;

	if (!sc)
		sc = scenario_find("lock_anon_vma");
	if (size >= n && !memcmp(data, MAGIC, n))
		n = 0;		/* it has the first line already */
	text = malloc(n + size + 1);
	memcpy(text, MAGIC, n);
	memcpy(text + n, data, size);
	if (target_run(sc, text, n + size, &res) && !target_error()[0])
		abort();	/* refused without saying why */
	free(text);
	return 0;
}
