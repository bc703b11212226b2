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

struct engine sched_eng;

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

unsigned sched_decide(enum sched_decision_kind kind, unsigned n,
		      const int *cands, unsigned dflt)
{
	unsigned choice = dflt;

	if (sched_eng.init_mode)
		return dflt;
	choice = sched_eng.src->choose(sched_eng.src, kind, n, cands, dflt);
	if (choice >= n)
		choice = dflt;
	if (n > 1)
		sched_trace_decision(kind, n, choice, cands[choice], cands[0]);
	return choice;
}

/* Runnable CPUs, the current one first, then upwards from it. */
static unsigned runnable_cpus(int *cands)
{
	int start = sched_eng.cur, ncpus = sched_eng.ncpus;
	unsigned n = 0;

	for (int c = start; c < ncpus; c++)
		if (sched_eng.cpu[c].state == CPU_RUNNABLE)
			cands[n++] = c;
	for (int c = 0; c < start; c++)
		if (sched_eng.cpu[c].state == CPU_RUNNABLE)
			cands[n++] = c;
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

/* The current CPU is about to perform one operation: that is one step. */
static void begin_step(void)
{
	if (++sched_eng.step > sched_eng.max_steps)
		sched_report(SCHED_STEP_LIMIT,
			     "no end after %u steps (SCHED_MAX_STEPS)",
			     sched_eng.max_steps);
}

/* Gives the token to the CPU the decision source picks among the runnable
 * ones.  Called with the current CPU runnable (a plain point) or not (it
 * blocked or finished). */
static void schedule(void)
{
	int cands[SCHED_MAX_CPUS];
	unsigned n = runnable_cpus(cands);
	int me = sched_eng.cur, next;

	if (n == 0) {
		bool all_done = true;

		for (int c = 0; c < sched_eng.ncpus; c++)
			all_done &= sched_eng.cpu[c].state == CPU_DONE;
		if (all_done)
			sched_backend->exit_to(me, SCHED_CONTROLLER);
		char detail[sizeof(sched_eng.res->reports[0].detail)];
		describe_blocked(detail, sizeof(detail));
		sched_report(SCHED_DEADLOCK, "%s", detail);
	}
	next = cands[sched_decide(SCHED_DECIDE_CPU, n, cands, 0)];
	if (next != me) {
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
	begin_step();
}

/*
 * A scheduling point: the decision source picks the CPU whose operation is
 * the next step.  A CPU that was just started by such a decision performs
 * its first operation without asking again.
 */
void sched_point(void)
{
	struct cpu_state *cs;

	if (sched_eng.init_mode)
		return;
	cs = &sched_eng.cpu[sched_eng.cur];
	if (cs->fresh) {
		cs->fresh = false;
		begin_step();
		return;
	}
	schedule();
}

void sched_block(enum block_kind kind, const void *obj, const char *what)
{
	struct cpu_state *cs = &sched_eng.cpu[sched_eng.cur];

	cs->state = CPU_BLOCKED;
	cs->block_kind = kind;
	cs->blocked_on = obj;
	cs->block_what = what;
	sched_eng.store_waiters += kind == BLOCK_STORE;
	sched_trace_add(SCHED_OP_BLOCK, obj, what, kind, 0, NULL);
	schedule();
}

void sched_wake_all(const void *obj)
{
	for (int c = 0; c < sched_eng.ncpus; c++) {
		struct cpu_state *cs = &sched_eng.cpu[c];

		if (cs->state == CPU_BLOCKED && cs->blocked_on == obj) {
			sched_eng.store_waiters -= cs->block_kind == BLOCK_STORE;
			cs->state = CPU_RUNNABLE;
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
	sched_backend->exit_to(sched_eng.cur, SCHED_CONTROLLER);
}

void sched_cpu_main(int cpu)
{
	const struct sched_program *prog = sched_eng.prog;

	prog->cpu[cpu](prog->arg);
	sched_eng.cpu[cpu].state = CPU_DONE;
	if (sched_eng.cpu[cpu].rcu_nesting) {
		sched_eng.cpu[cpu].rcu_nesting = 0;
		sched_rcu_quiescent(cpu);
	}
	schedule();	/* never returns: this CPU is done */
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
	memset(res, 0, sizeof(*res));
	memset(&sched_eng, 0, sizeof(sched_eng));
	(void)sched_class_count();	/* the classes' ids, before a report */
	sched_eng.prog = prog;
	sched_eng.src = src;
	sched_eng.res = res;
	sched_eng.ncpus = prog->ncpus;
	sched_eng.cur = SCHED_CONTROLLER;
	sched_eng.max_steps = max_steps();
	sched_memory_reset();
	sched_slab_reset();
	sched_rcu_reset();
	sched_trace_reset();
	sched_weak_reset();

	sched_eng.init_mode = true;
	prog->init(prog->arg);
	sched_eng.init_mode = false;
	sched_cov_reset(sched_arena_used());
	sched_weak_start();

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
}
