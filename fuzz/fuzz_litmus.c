/*
 * fuzz_litmus - libFuzzer on the .litmus front end: any bytes must parse
 * or be refused with one "PATH:LINE:COL: message" line, and what parses
 * must run its first executions to an end or stop with such a message,
 * under ASan and UBSan.  The test suite runs it for a fixed number of
 * inputs from tests/litmus/.
 */
#include <stdlib.h>
#include <string.h>

#include "../litmus/litmus.h"

#define EXECUTIONS 4	/* enough to run every process, fast enough */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "", *text = malloc(size + 1);
	struct lit_test *t;
	struct lit_search s;

	memcpy(text, data, size);
	text[size] = 0;
	if (!getenv("SCHED_MEMORY"))
		sched_set_memory("weak");
	t = lit_parse("fuzz.litmus", text, size, err, sizeof(err));
	if (!t && strncmp(err, "fuzz.litmus:", 12))
		abort();	/* refused without saying where */
	if (t) {
		if (lit_search(t, EXECUTIONS, &s, err, sizeof(err)) &&
		    strncmp(err, "fuzz.litmus", 11))
			abort();
		lit_search_free(&s);
		lit_free(t);
	}
	free(text);
	return 0;
}
