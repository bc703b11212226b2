/*
 * test_slice - the causal slice (sched/slice.h): what sched_report_key
 * names, on a tiny program; the mail's race sliced to the mail's events;
 * a weak-memory NULL root sliced to the stale read and the store it
 * missed; and nothing at all where there is no violation.
 */
#include <string.h>

#include "../fuzz/target.h"
#include "../rmap/oracle.h"
#include "../sched/kernel.h"
#include "../sched/slice.h"
#include "harness.h"
#include "seeds.h"
#include "use.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct sched_slice slice;

/* The marks of the events of step (op, or any op for SCHED_OP_NR). */
static uint8_t marks_at(uint32_t step, enum sched_op op)
{
	uint8_t m = 0;

	for (size_t i = 0; i < sched_trace_len(); i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (e->step == step && (op == SCHED_OP_NR || e->op == op))
			m |= slice.mark[i];
	}
	return m;
}

static bool has_edge(enum sched_edge_kind kind, uint32_t from_step,
		     uint32_t to_step)
{
	for (int k = 0; k < slice.nedges; k++)
		if (slice.edges[k].kind == kind &&
		    sched_trace_event(slice.edges[k].from)->step == from_step &&
		    sched_trace_event(slice.edges[k].to)->step == to_step)
			return true;
	return false;
}

static size_t marked(void)
{
	size_t n = 0;

	for (size_t i = 0; i < slice.nevents; i++)
		n += !!slice.mark[i];
	return n;
}

/* ---- sched_report_key on a tiny program ---------------------------------- */

static int *x;

static void keys_init(void *arg)
{
	(void)arg;
	x = sched_world_alloc("x", sizeof(int));
}

/* Stores 1 then 2 (steps 1 and 2), loads x (step 3), then reports with
 * keys: the last write of x at step 1 and at step 3, and the events of
 * step 3; a second report names nothing. */
static void keys_cpu(void *arg)
{
	(void)arg;
	WRITE_ONCE(*x, 1);
	WRITE_ONCE(*x, 2);
	(void)READ_ONCE(*x);
	sched_report_key(x, 1);
	sched_report_key(x, 3);
	sched_report_key(NULL, 3);
	sched_report(RMAP_STALE_FREED, "keyed");
	sched_report(RMAP_STALE_UNMAPPED, "not keyed");
}

static void test_keys(void)
{
	struct sched_program prog = { .ncpus = 1, .init = keys_init,
				      .cpu = { keys_cpu } };
	struct sched_bytes_source src;
	struct sched_result res;

	sched_bytes_source_init(&src, NULL, 0);
	sched_run(&prog, &src.base, &res);
	ok(res.nreports == 2 && res.reports[0].nkeys == 3 &&
	   res.reports[1].nkeys == 0,
	   "keys: the report takes the keys named before it, the next none");
	sched_slice(&slice, &res, 0);
	ok(marks_at(1, SCHED_OP_STORE) & SCHED_SLICE_KEY,
	   "keys: the last write of x at step 1 is the store of step 1");
	ok(marks_at(2, SCHED_OP_STORE) & SCHED_SLICE_KEY,
	   "keys: the last write of x at step 3 is the store of step 2");
	ok(marks_at(3, SCHED_OP_LOAD) & SCHED_SLICE_KEY,
	   "keys: a step names its events");
	sched_slice(&slice, &res, 1);
	ok(marks_at(1, SCHED_OP_STORE) == 0 && marks_at(2, SCHED_OP_STORE) == 0,
	   "keys: the unkeyed report does not inherit the keys");
	ok(marks_at(3, SCHED_OP_LOAD) & SCHED_SLICE_KEY,
	   "keys: a report without keys names its CPU's last event");
}

/* ---- the mail's race ------------------------------------------------------ */

static void test_mail_race(void)
{
	struct sched_script_source src;
	struct sched_result res;
	const struct scenario *sc = use_variant("lock_anon_vma", "v2.6.34");

	sched_script_source_init(&src, mail_race, ARRAY_SIZE(mail_race));
	target_exec_source(sc, NULL, &src.base, &res);
	ok(sched_first_violation(&res) == 0 &&
	   res.reports[0].verdict == RMAP_STALE_REUSED && res.reports[0].step == 94,
	   "mail race: stale-reused at step 94");
	sched_slice(&slice, &res, 0);
	ok(marks_at(5, SCHED_OP_LOAD) & SCHED_SLICE_KEY,
	   "mail race: the load of page->mapping (step 5) is a key");
	ok(marks_at(94, SCHED_OP_LOCK) & SCHED_SLICE_KEY &&
	   marks_at(94, SCHED_OP_CALL) & SCHED_SLICE_KEY,
	   "mail race: the lock and the return (step 94) are keys");
	ok(marks_at(20, SCHED_OP_RMW) & SCHED_SLICE_KEY &&
	   marks_at(85, SCHED_OP_RMW) & SCHED_SLICE_KEY,
	   "mail race: the unmap (20) and the fault of page_A (85) are keys");
	ok(marks_at(39, SCHED_OP_FREE) && marks_at(46, SCHED_OP_ALLOC) &&
	   has_edge(SCHED_EDGE_REUSE, 39, 46),
	   "mail race: the free (39) and the reallocation (46), an edge between");
	ok(has_edge(SCHED_EDGE_LOCK, 56, 94),
	   "mail race: the release (56) the lock at 94 acquired from");
	ok(!marks_at(44, SCHED_OP_NR) && !marks_at(60, SCHED_OP_NR) &&
	   !marks_at(100, SCHED_OP_NR),
	   "mail race: the rest is out (the chain's alloc, CPU2's fault, the walk)");
	ok(marked() >= 8 && marked() <= 12, "mail race: %zu events sliced",
	   marked());
	ok(slice.nedges == 2, "mail race: %d edges", slice.nedges);

	sc = use_variant("lock_anon_vma", "serialized");
	sched_script_source_init(&src, mail_race, ARRAY_SIZE(mail_race));
	target_exec_source(sc, NULL, &src.base, &res);
	sched_slice(&slice, &res, sched_first_violation(&res));
	ok(sched_first_violation(&res) == -1 && marked() == 0 &&
	   slice.nedges == 0 && slice.report == -1,
	   "serialized: no violation, nothing sliced");
}

/* ---- weak memory: the NULL root ----------------------------------------- */

static void test_weak_root(void)
{
	size_t size;
	uint8_t *data = target_read_file("test_slice",
		"tests/data/v2.6.36-root-without-read-barrier-depends.bin",
		&size);
	struct sched_result res;

	if (!data) {
		ok(0, "weak: the test input is readable");
		return;
	}
	sched_set_memory("weak-alpha");
	target_run(use_variant("lock_anon_vma", "v2.6.36"), data, size, &res);
	sched_set_memory("sc");
	free(data);
	ok(res.nreports && res.reports[0].verdict == SCHED_NULL_DEREF &&
	   res.reports[0].nkeys == 1, "weak: null-deref names one key");
	sched_slice(&slice, &res, 0);
	ok(marks_at(98, SCHED_OP_LOAD) & SCHED_SLICE_KEY,
	   "weak: the read of the NULL root (98) is the key");
	ok(marks_at(69, SCHED_OP_STORE) & SCHED_SLICE_MISSED &&
	   has_edge(SCHED_EDGE_MISSED, 98, 69),
	   "weak: the store of the root (69) it did not read, an edge to it");
	ok(marks_at(96, SCHED_OP_LOAD) & SCHED_SLICE_CAUSE &&
	   has_edge(SCHED_EDGE_RF, 88, 96),
	   "weak: where its pointer came from (96), and the store that read (88)");
}

int main(void)
{
	test_keys();
	test_mail_race();
	test_weak_root();
	return harness_exit();
}
