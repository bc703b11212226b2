/*
 * test_text - text schedules: the parser's errors name line and column;
 * binary -> text -> binary replays the same execution and is byte-exact
 * for canonical inputs; the hand-written mail race is the mail race.
 */
#include <string.h>

#include "../fuzz/target.h"
#include "../rmap/oracle.h"
#include "harness.h"
#include "use.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *text, *error;
} bad[] = {
	{ "schedfuzz schedule v1\ncpu 1\nfrob 2\n",
	  "line 3, column 1: unknown keyword 'frob'" },
	{ "schedfuzz schedule v1\n  cpu 64\n", "line 2, column 7: expected a CPU" },
	{ "schedfuzz schedule v1\ncpu\n", "line 2, column 4: expected a CPU" },
	{ "schedfuzz schedule v1\ncpu -1\n", "line 2, column 5: expected a CPU" },
	{ "schedfuzz schedule v1\ncpu 1 x0\n", "line 2, column 7: expected xN" },
	{ "schedfuzz schedule v1\ncpu 1 2\n", "line 2, column 7: expected xN" },
	{ "schedfuzz schedule v1\ncpu 1 run now\n", "line 2, column 11: unexpected 'now'" },
	{ "schedfuzz schedule v1\nalloc two\n", "line 2, column 7: expected an object slot, 0 to 63, or new" },
	{ "schedfuzz schedule v1\nalloc 64\n", "line 2, column 7: expected an object slot" },
	{ "schedfuzz schedule v1\nrelease maybe\n", "line 2, column 9: expected keep or release" },
	{ "schedfuzz schedule v1\nread latest\n", "line 2, column 6: expected how many newer stores" },
	{ "schedfuzz schedule v1\nread 256\n", "line 2, column 6: expected how many newer stores" },
	{ "schedfuzz schedule v1\ncpu 0\nprograms 01\n",
	  "line 3, column 1: programs must come before decisions" },
	{ "schedfuzz schedule v1\nprograms 01\nprograms 02\n",
	  "line 3, column 1: a second programs line" },
	{ "schedfuzz schedule v1\nprograms 0g\n", "line 2, column 10: expected hex bytes" },
	{ "schedfuzz schedule v1\nprograms 012\n", "line 2, column 12: expected hex bytes" },
	{ "schedfuzz schedule v2\ncpu 0\n",
	  "line 1, column 20: version 'v2': this schedfuzz reads v1" },
	{ "\xef\xbb\xbfschedfuzz schedule v1\ncpu 0\n",
	  "line 1, column 1: a UTF-8 byte-order mark" },
	{ "schedfuzz schedule v1 \ncpu 0\n",
	  "line 1, column 22: ' ' after 'schedfuzz schedule v1'" },
	{ "Schedfuzz Schedule v1\n", "line 1, column 1: not a text schedule" },
	{ "schedfuzz schedule v1\ncpu 0\nmemory weak\n",
	  "line 3, column 1: settings come before programs and decisions" },
	{ "schedfuzz schedule v1\nnoise 1\nnoise 2\n",
	  "line 3, column 1: a second noise line (the first is line 2)" },
	{ "schedfuzz schedule v1\nvariant\n",
	  "line 2, column 8: variant needs a value" },
	{ "schedfuzz schedule v1\nmemory weak sc\n",
	  "line 2, column 13: unexpected 'sc'" },
	{ "schedfuzz schedule v1\n\x1b[31mred\n",
	  "line 2, column 1: unknown keyword '\\x1b[31mred'" },
};

static void test_errors(void)
{
	static const char crlf[] =
		"schedfuzz schedule v1\r\n# c\r\n\r\ncpu 2 x3 # x\r\n"
		"cpu 1 run\nalloc new\nrelease release\nalloc 7";
	struct sched_text t;
	char err[200];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int r = sched_text_parse(bad[i].text, strlen(bad[i].text), &t,
					 err, sizeof(err));

		ok(eq_int(r, -1) && starts_with(err, bad[i].error),
		   "parse error: %s", bad[i].error);
	}
	ok(eq_int(sched_text_parse("schedfuzz schedule v1\ncpu\0 1\n", 28, &t,
				   err, sizeof(err)), -1) &&
	   contains(err, "line 2") && contains(err, "NUL"),
	   "parse error: a NUL byte names its line");
	ok(eq_int(sched_text_parse(crlf, strlen(crlf), &t, err, sizeof(err)), 0) &&
	   eq_int(t.q[SCHED_DECIDE_CPU].n, 2) &&
	   eq_int(t.q[SCHED_DECIDE_CPU].v[0].count, 3) &&
	   eq_int(t.q[SCHED_DECIDE_CPU].v[1].count, 0) &&
	   eq_int(t.q[SCHED_DECIDE_ALLOC].n, 2) &&
	   eq_int(t.q[SCHED_DECIDE_ALLOC].v[0].label, SCHED_ALLOC_NEW) &&
	   eq_int(t.q[SCHED_DECIDE_ALLOC].v[1].label, 7) &&
	   eq_int(t.q[SCHED_DECIDE_RELEASE].v[0].label, 1),
	   "CRLF, comments, blank lines, xN, run, new, release, no final newline");
	sched_text_free(&t);
}

static char *dump(const struct scenario *sc, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	sched_print_text(f, target_header(), target_programs(), sc->header_size);
	fclose(f);
	return buf;
}

/* Random binaries: the text replays the same trace; canonical bytes come
 * back byte for byte. */
static void test_round_trip(const char *scenario, const char *variant)
{
	const struct scenario *sc = use_variant(scenario, variant);
	static uint8_t canon[1 << 14], canon2[1 << 14];
	uint64_t seed = 7;
	int same_trace = 0, same_bytes = 0, runs = 200;

	for (int i = 0; i < runs; i++) {
		uint8_t input[400];
		size_t n = harness_rand(&seed) % sizeof(input), len, n1, n2;
		struct sched_result res;
		uint64_t h1;
		char *text;

		harness_rand_fill(&seed, input, n);
		target_run(sc, input, n, &res);
		h1 = sched_trace_hash();
		memcpy(canon, target_programs(), sc->header_size);
		n1 = sc->header_size + sched_decisions_to_bytes(
			canon + sc->header_size, sizeof(canon) - sc->header_size);
		text = dump(sc, &len);
		if (target_run(sc, (uint8_t *)text, len, &res) == 0 &&
		    !target_text_failed_line())
			same_trace += sched_trace_hash() == h1;
		free(text);
		/* canonical -> text -> canonical */
		target_run(sc, canon, n1, &res);
		text = dump(sc, &len);
		target_run(sc, (uint8_t *)text, len, &res);
		memcpy(canon2, target_programs(), sc->header_size);
		n2 = sc->header_size + sched_decisions_to_bytes(
			canon2 + sc->header_size, sizeof(canon2) - sc->header_size);
		same_bytes += n2 == n1 && !memcmp(canon, canon2, n1);
		free(text);
	}
	ok_eq_int(same_trace, runs, "%s: %d random binaries, dumped as text, "
		  "replay the same trace", scenario, runs);
	ok_eq_int(same_bytes, runs, "%s: canonical binary -> text -> binary "
		  "is byte-exact", scenario);
}

static uint8_t *slurp(const char *path, size_t *n)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(path, "rb");

	*n = f ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f)
		fclose(f);
	return buf;
}

static void test_mail_race(void)
{
	const struct scenario *sc = use_variant("lock_anon_vma", "v2.6.34");
	struct sched_result res;
	uint64_t h;
	size_t n;
	uint8_t *data;

	data = slurp("corpus/lock_anon_vma/mail-race", &n);
	target_run(sc, data, n, &res);
	h = sched_trace_hash();
	data = slurp("corpus/lock_anon_vma/mail-race.txt", &n);
	ok(eq_int(target_run(sc, data, n, &res), 0) &&
	   eq_int(target_text_failed_line(), 0) &&
	   eq_u64(sched_trace_hash(), h) &&
	   verdict_is(&res, RMAP_STALE_REUSED),
	   "mail-race.txt, written by hand, is the trace of mail-race");
}

/* A choice that cannot be taken is remembered and falls back. */
static void test_fallback(void)
{
	static const char text[] = "schedfuzz schedule v1\ncpu 0 x2\ncpu 3\ncpu 3\n";
	static const char cpu4[] = "schedfuzz schedule v1\ncpu 1\ncpu 4\n";
	const struct scenario *sc = use_variant("lock_anon_vma", "v2.6.34");
	struct sched_result res;

	ok(eq_int(target_run(sc, (const uint8_t *)text, strlen(text), &res), 0) &&
	   eq_int(target_text_failed_line(), 4) && cmp_int(res.steps, >, 50),
	   "a CPU that cannot run then (cpu3 waits for a completion): line "
	   "4 noted, the default runs on");
	ok(eq_int(target_run(sc, (const uint8_t *)cpu4, strlen(cpu4), &res), -1) &&
	   contains(target_error(), "line 3") &&
	   contains(target_error(), "4 CPUs"),
	   "a CPU the scenario does not have: an error naming the line (%s)",
	   target_error());
}

int main(void)
{
	test_errors();
	test_round_trip("lock_anon_vma", "v2.6.34");
	test_round_trip("rmap_ops", "v2.6.36-rc1");
	test_mail_race();
	test_fallback();
	return harness_exit();
}
