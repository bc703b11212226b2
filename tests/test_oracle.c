/*
 * test_oracle - where the oracle puts a page's first mapping: at its store
 * to page->mapping (rmap/oracle.h).  Before that it counted the page mapped
 * only when page_add_anon_rmap returned, three steps later, and the first
 * stale-unmapped witness dfs found on each variant was a return inside
 * those steps of the anon_vma the page is mapped through: each replays OK
 * now.  A return just before the store, and under weak memory one that
 * loads the older ->mapping after it, stay stale.
 */
#include <string.h>

#include "../fuzz/target.h"
#include "../rmap/rmap.h"
#include "harness.h"
#include "use.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The first stale-unmapped of `explore lock_anon_vma --strategy dfs
 * --bound 1 --stop stale-unmapped` per variant, before the fix (the three
 * peterz variants share one schedule); serialized has none. */
static const struct {
	const char *variant, *file;
} false_witnesses[] = {
	{ "v2.6.34", "false-stale-unmapped-v2.6.34" },
	{ "peterz", "false-stale-unmapped-peterz" },
	{ "peterz-normb", "false-stale-unmapped-peterz-normb" },
	{ "peterz-relaxed-add", "false-stale-unmapped-peterz" },
	{ "peterz-relaxed-remove", "false-stale-unmapped-peterz" },
	{ "v2.6.36", "false-stale-unmapped-v2.6.36" },
	{ "v2.6.36-rc1", "false-stale-unmapped-v2.6.36-rc1" },
	{ "clear-mapping", "false-stale-unmapped-clear-mapping" },
	{ "no-rcu", "false-stale-unmapped-no-rcu" },
};

/*
 * Replays tests/data/FILE.txt on lock_anon_vma; verdict gets the first line
 * replay would print ("OK", "VIOLATION <class>: ...").  Returns false when
 * the file does not replay as written (unreadable, a parse error, or a
 * choice that could not be taken).
 */
static bool replay(const char *variant, const char *memory, const char *file,
		   char *verdict, size_t len)
{
	const struct scenario *sc;
	struct sched_result res;
	char path[128];
	uint8_t *data;
	size_t size;
	FILE *out;
	int r;

	snprintf(path, sizeof(path), "tests/data/%s.txt", file);
	snprintf(verdict, len, "(not run)");
	if (sched_set_memory(memory))
		return false;
	sc = use_variant("lock_anon_vma", variant);
	data = target_read_file("test_oracle", path, &size);
	if (!data)
		return false;
	r = target_run(sc, data, size, &res);
	free(data);
	out = fmemopen(verdict, len, "w");
	target_print_verdicts(out, &res);
	fclose(out);
	verdict[strcspn(verdict, "\n")] = '\0';
	return r == 0 && !target_text_failed_line();
}

/* The step of CPU cpu's first event (the last when last is set) whose
 * description starts with prefix, 0 when it has none. */
static uint32_t step_of(int cpu, const char *prefix, bool last)
{
	uint32_t step = 0;
	char buf[160];

	for (size_t i = 0; i < sched_trace_len(); i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (e->cpu != cpu)
			continue;
		sched_describe_event(buf, sizeof(buf), e);
		if (strncmp(buf, prefix, strlen(prefix)) == 0) {
			step = e->step;
			if (!last)
				break;
		}
	}
	return step;
}

/* CPU0 returns anon_vma#1 after CPU3 stored it to page_A->mapping and
 * before CPU3's store to ->index, the last step of page_add_anon_rmap. */
static bool returns_between_stores(void)
{
	uint32_t mapped = step_of(3, "page_A->mapping = anon_vma#1", true);
	uint32_t ret = step_of(0, "returns anon_vma#1", false);
	uint32_t index = step_of(3, "page_A->index = ", true);

	return mapped && mapped < ret && ret < index;
}

static void test_false_witnesses(void)
{
	char verdict[256];

	for (size_t i = 0; i < ARRAY_SIZE(false_witnesses); i++) {
		const char *v = false_witnesses[i].variant;
		bool ran = replay(v, "sc", false_witnesses[i].file, verdict,
				  sizeof(verdict));

		ok(ran && returns_between_stores() &&
		   strcmp(verdict, "OK") == 0,
		   "%s: page_lock_anon_vma returns the anon_vma CPU3 has just "
		   "stored to ->mapping, before its ->index store: OK (got %s)",
		   v, verdict);
	}
}

/*
 * Returns that stay stale, on v2.6.34: CPU0 loads page_A->mapping, then
 * returns anon_vma#0 (P2's, since AV1 was freed and reused), both before
 * CPU3 stores anon_vma#1 there or, under weak memory, both after it: CPU0
 * reads the older value.  The page was mapped through anon_vma#1 in CPU0's
 * window in the second case only, whether or not CPU0 could see it.
 */
static const struct {
	const char *memory, *file, *verdict, *what;
	bool after_store;
} stale_returns[] = {
	{ "sc", "stale-unmapped-before-mapping-store", "stale-unmapped",
	  "CPU3 stopped after its _mapcount increment, before ->mapping",
	  false },
	{ "weak", "weak-older-mapping-v2.6.34", "stale-not-current",
	  "weak: CPU0 reads the ->mapping older than CPU3's store, after it",
	  true },
};

static void test_stale_returns(void)
{
	char verdict[256], want[64];

	for (size_t i = 0; i < ARRAY_SIZE(stale_returns); i++) {
		bool ran = replay("v2.6.34", stale_returns[i].memory,
				  stale_returns[i].file, verdict,
				  sizeof(verdict));
		uint32_t stored = step_of(3, "page_A->mapping = anon_vma#1",
					  true);
		uint32_t loaded = step_of(0, "read page_A->mapping: anon_vma#0",
					  true);
		uint32_t ret = step_of(0, "returns anon_vma#0", false);
		bool after = stale_returns[i].after_store;

		snprintf(want, sizeof(want), "VIOLATION %s:",
			 stale_returns[i].verdict);
		ok(ran && loaded && loaded < ret &&
		   (after ? stored && stored < loaded : !stored || ret < stored) &&
		   strncmp(verdict, want, strlen(want)) == 0,
		   "v2.6.34, %s: anon_vma#0 returned is %s (got %s)",
		   stale_returns[i].what, stale_returns[i].verdict, verdict);
	}
	sched_set_memory("sc");
}

int main(void)
{
	test_false_witnesses();
	test_stale_returns();
	return harness_exit();
}
