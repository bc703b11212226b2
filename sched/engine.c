/*
 * engine.c - the run queue, scheduling points, blocking and verdicts.
 *
 * Exactly one CPU (or the controller, the thread in sched_run) holds the
 * token at any time; all engine state is touched only by the holder, so
 * none of it needs locking.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

struct engine sched_eng = { .cur = SCHED_CONTROLLER };	/* no execution yet */

const struct sched_backend *sched_backend;

int sched_set_backend(const char *name)
{
	if (sched_backend_fiber.name && strcmp(name, "fiber") == 0)
		sched_backend = &sched_backend_fiber;
	else if (strcmp(name, "pthread") == 0)
		sched_backend = &sched_backend_pthread;
	else
		return -1;
	return 0;
}

/* SCHED_BACKEND, else fibers where the architecture has them. */
static void pick_backend(void)
{
	const char *name;

	if (sched_backend)
		return;
	name = getenv("SCHED_BACKEND");
	if (name && *name) {
		if (sched_set_backend(name))
			sched_fatal("unknown SCHED_BACKEND '%s' (valid: fiber, "
				    "pthread)", name);
		return;
	}
	sched_backend = sched_backend_fiber.name ? &sched_backend_fiber
						 : &sched_backend_pthread;
}

static uint32_t max_steps_setting;

void sched_set_max_steps(uint32_t n)
{
	max_steps_setting = n;
}

static uint32_t max_steps(void)
{
	if (!max_steps_setting) {
		const char *e = getenv("SCHED_MAX_STEPS");
		const char *err;

		max_steps_setting = SCHED_DEFAULT_MAX_STEPS;
		if (e && (err = sched_parse_max_steps(e, &max_steps_setting)))
			sched_fatal("SCHED_MAX_STEPS=%s: %s", e, err);
	}
	return max_steps_setting;
}

const char *sched_parse_max_steps(const char *s, uint32_t *out)
{
	unsigned long long n = 0;

	if (!*s)
		return "empty; give a number of steps";
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return "not a number of steps";
		n = n * 10 + (unsigned)(*p - '0');
		if (n > SCHED_MAX_MAX_STEPS)
			break;
	}
	if (n < 1 || n > SCHED_MAX_MAX_STEPS)
		return "out of range (1 to " SCHED_STR_(SCHED_MAX_MAX_STEPS) ")";
	*out = (uint32_t)n;
	return NULL;
}

int sched_current_cpu(void)
{
	return sched_eng.cur == SCHED_CONTROLLER ? -1 : sched_eng.cur;
}

uint32_t sched_current_step(void)
{
	return sched_eng.step;
}

/* The source's answer is not a candidate: it ends the execution (a
 * cut), or the default stands. */
static __attribute__((noinline)) unsigned off_the_list(unsigned choice,
						       unsigned dflt)
{
	if (choice == SCHED_CHOICE_CUT) {
		sched_eng.res->cut = true;
		sched_abort_execution();
	}
	return dflt;
}

unsigned sched_decide(enum sched_decision_kind kind, unsigned n,
		      const int *cands, unsigned dflt)
{
	struct sched_decisions *src = sched_eng.src;
	struct sched_ask ask;
	unsigned choice;

	if (unlikely(sched_eng.init_mode) || (n == 1 && !src->singles))
		return dflt;
	ask = (struct sched_ask){
		.kind = kind, .n = n, .cands = cands, .dflt = dflt,
		.cpu = sched_eng.cur, .step = sched_eng.step,
		.can_go_on = kind == SCHED_DECIDE_CPU && sched_eng.step > 0 &&
			     cands[0] == sched_eng.cur,
	};
	choice = src->choose(src, &ask);
	if (unlikely(choice >= n))
		choice = off_the_list(choice, dflt);
	if (n > 1)
		sched_trace_decision(kind, n, choice, cands[choice], cands[0]);
	return choice;
}

/* The runnable CPUs m, start's first, then upwards from it (the mask
 * rotated so that start is bit 0), in cands; their number.  The list is
 * kept until m or start change, which most points do not. */
static unsigned runnable_cpus(const int **cands, uint64_t m, int start)
{
	static int list[SCHED_MAX_CPUS];
	static uint64_t list_mask;
	static int list_start = -1;
	static unsigned n;

	*cands = list;
	if (m == list_mask && start == list_start)
		return n;
	list_mask = m;
	list_start = start;
	m = m >> start | (start ? m << (64 - start) : 0);
	for (n = 0; m; m &= m - 1)
		list[n++] = (__builtin_ctzll(m) + start) & 63;
	return n;
}

static void describe_blocked(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (int c = 0; c < sched_eng.ncpus && used < len; c++) {
		const struct cpu_state *cs = &sched_eng.cpu[c];
		char obj[64] = "";
		uint32_t off;
		int id;

		if (cs->state != CPU_BLOCKED)
			continue;
		id = sched_obj_lookup(cs->blocked_on, &off);
		if (id >= 0)
			sched_format_obj(obj, sizeof(obj), id);
		if (cs->block_kind == BLOCK_LOCK) {
			const spinlock_t *l = cs->blocked_on;
			used += snprintf(buf + used, len - used,
					 "%scpu%d waits for %s [%s] held by cpu%d",
					 used ? "; " : "", c, cs->block_what,
					 obj, l->owner - 1);
		} else {
			used += snprintf(buf + used, len - used,
					 "%scpu%d waits for %s%s%s%s%s",
					 used ? "; " : "", c,
					 cs->block_kind == BLOCK_STORE ?
					 "a store to " : "", cs->block_what,
					 id >= 0 ? " [" : "", obj,
					 id >= 0 ? "]" : "");
		}
	}
}

void sched_step_limit(void)
{
	sched_report(SCHED_STEP_LIMIT, "no end after %u steps (SCHED_MAX_STEPS)",
		     sched_eng.max_steps);
}

/* No CPU can run: all are done, or those left wait for each other. */
static __attribute__((noinline, noreturn)) void none_runnable(int me)
{
	char detail[sizeof(sched_eng.res->reports[0].detail)];

	if (!sched_eng.blocked)
		sched_backend->exit_to(me, SCHED_CONTROLLER);
	describe_blocked(detail, sizeof(detail));
	sched_report(SCHED_DEADLOCK, "%s", detail);
	abort();	/* the report is fatal */
}

/* From me (done or not) to next, which starts if it has not yet. */
static void switch_cpu(int me, int next)
{
	sched_eng.cur = next;
	if (!sched_eng.cpu[next].started)
		sched_eng.cpu[next].started = sched_eng.cpu[next].fresh = true;
	if (sched_eng.cpu[me].state == CPU_DONE)
		sched_backend->exit_to(me, next);
	sched_backend->switch_to(me, next);
	/* Resumed: whoever switched to us has set sched_eng.cur. */
	if (sched_eng.aborting)
		sched_backend->exit_to(me, SCHED_CONTROLLER);
}

void sched_schedule(void)
{
	uint64_t ready = sched_eng.runnable;
	int me = sched_eng.cur;

	if (ready != 1ull << me || sched_eng.src->singles) {
		const int *cands;
		unsigned n;
		int next;

		if (unlikely(!ready))
			none_runnable(me);
		n = runnable_cpus(&cands, ready, me);
		next = cands[sched_decide(SCHED_DECIDE_CPU, n, cands, 0)];
		if (next != me)
			switch_cpu(me, next);
	}
	sched_begin_step();
}

void sched_block(enum block_kind kind, const void *obj, const char *what)
{
	struct cpu_state *cs = &sched_eng.cpu[sched_eng.cur];

	cs->state = CPU_BLOCKED;
	sched_eng.runnable &= ~(1ull << sched_eng.cur);
	sched_eng.blocked |= 1ull << sched_eng.cur;
	cs->block_kind = kind;
	cs->blocked_on = obj;
	cs->block_what = what;
	sched_eng.store_waiters += kind == BLOCK_STORE;
	sched_trace_add(SCHED_OP_BLOCK, obj, what, kind, 0, NULL);
	sched_schedule();
}

void sched_wake_all(const void *obj)
{
	for (uint64_t m = sched_eng.blocked; m; m &= m - 1) {
		int c = __builtin_ctzll(m);
		struct cpu_state *cs = &sched_eng.cpu[c];

		if (cs->blocked_on == obj) {
			sched_eng.store_waiters -= cs->block_kind == BLOCK_STORE;
			cs->state = CPU_RUNNABLE;
			sched_eng.blocked &= ~(1ull << c);
			sched_eng.runnable |= 1ull << c;
			cs->blocked_on = NULL;
		}
	}
}

/* A CPU spinning on a location blocks on its granule's address. */
void sched_wake_store(const volatile void *p)
{
	sched_wake_all((const void *)((uintptr_t)p & ~(uintptr_t)7));
}

void sched_abort_execution(void)
{
	sched_eng.aborting = true;
	sched_eng.cpu[sched_eng.cur].state = CPU_DONE;
	sched_eng.runnable &= ~(1ull << sched_eng.cur);
	sched_backend->exit_to(sched_eng.cur, SCHED_CONTROLLER);
}

void sched_cpu_main(int cpu)
{
	const struct sched_program *prog = sched_eng.prog;

	prog->cpu[cpu](prog->arg);
	if (sched_plain_pending)
		sched_plain_commit();
	sched_eng.cpu[cpu].state = CPU_DONE;
	sched_eng.runnable &= ~(1ull << cpu);
	if (sched_eng.cpu[cpu].rcu_nesting) {
		sched_eng.cpu[cpu].rcu_nesting = 0;
		sched_rcu_quiescent(cpu);
	}
	sched_schedule();	/* never returns: this CPU is done */
	abort();
}

/* The program's final check: every CPU has finished, and its loads read
 * the final values (the newest store of each location in coherence
 * order, which the arena holds also under weak memory). */
static void run_check(const struct sched_program *prog)
{
	sched_eng.init_mode = sched_eng.checking = true;
	sched_weak_running = false;
	prog->check(prog->arg);
	sched_eng.init_mode = sched_eng.checking = false;
}

void sched_run(const struct sched_program *prog, struct sched_decisions *src,
	       struct sched_result *res)
{
	/* Only what an execution reads: the reports past nreports and the
	 * CPUs past ncpus are never looked at (zeroing the lot for 64 CPUs
	 * was a tenth of a short execution). */
	res->nreports = 0;
	res->steps = 0;
	res->step_limit_hit = 0;
	res->cut = false;
	memset(&sched_eng, 0, offsetof(struct engine, cpu) +
	       (size_t)prog->ncpus * sizeof(sched_eng.cpu[0]));
	(void)sched_class_count();	/* the classes' ids, before a report */
	sched_eng.prog = prog;
	sched_eng.src = src;
	sched_eng.res = res;
	sched_eng.ncpus = prog->ncpus;
	sched_eng.runnable = ~0ull >> (SCHED_MAX_CPUS - prog->ncpus);
	sched_eng.cur = SCHED_CONTROLLER;
	sched_eng.max_steps = max_steps();
	sched_memory_reset();
	sched_slab_reset();
	sched_rcu_reset();
	sched_trace_reset();
	sched_weak_reset();
	sched_plain_reset();
	sched_race_reset(prog->ncpus);
	if (src->begin)
		src->begin(src);

	sched_eng.init_mode = true;
	prog->init(prog->arg);
	sched_eng.init_mode = false;
	sched_cov_reset(sched_arena_used());
	sched_weak_start();
	sched_race_start();

	pick_backend();
	/* CPU0 starts without a decision: its first scheduling point, before
	 * it does anything shared, decides who really goes first. */
	sched_backend->start(prog->ncpus);
	sched_eng.cur = 0;
	sched_eng.cpu[0].started = true;
	sched_backend->switch_to(SCHED_CONTROLLER, 0);
	sched_eng.cur = SCHED_CONTROLLER;
	if (sched_eng.aborting) {
		for (int c = 0; c < sched_eng.ncpus; c++)
			if (sched_eng.cpu[c].started &&
			    sched_eng.cpu[c].state != CPU_DONE)
				sched_backend->unwind(c);
	} else if (prog->check) {
		run_check(prog);
	}
	res->steps = sched_eng.step;
	if (src->end)
		src->end(src, res);
}
