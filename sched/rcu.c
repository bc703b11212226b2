/*
 * rcu.c - read-side nesting per CPU and grace periods.
 *
 * A grace period that starts at some step waits for exactly the CPUs that
 * were inside a read-side critical section at that step; it ends at the
 * step where the last of them leaves its outermost section.  Callbacks run
 * then, at once: the earliest moment the kernel may run them, which is the
 * most adversarial choice for readers.
 */
#include <stdlib.h>

#include "engine.h"

#define MAX_GRACE_PERIODS 64

struct grace_period {
	bool pending;
	uint32_t waiting;	/* CPUs still inside a pre-existing section */
	void (*fn)(void *);	/* callback, or NULL for synchronize_rcu */
	void *arg;
};

static struct grace_period gps[MAX_GRACE_PERIODS];
static unsigned ngps;	/* slots used this execution; kept in start order */

void sched_rcu_reset(void)
{
	for (unsigned i = 0; i < ngps; i++)
		gps[i].pending = false;
	ngps = 0;
}

static uint32_t readers(void)
{
	uint32_t mask = 0;

	for (int c = 0; c < sched_eng.ncpus; c++)
		if (sched_eng.cpu[c].rcu_nesting > 0)
			mask |= 1u << c;
	return mask;
}

static struct grace_period *gp_start(void (*fn)(void *), void *arg)
{
	struct grace_period *gp;

	if (ngps == MAX_GRACE_PERIODS) {
		fprintf(stderr, "schedfuzz: too many grace periods\n");
		exit(3);
	}
	gp = &gps[ngps++];
	*gp = (struct grace_period){ true, readers(), fn, arg };
	return gp;
}

static void gp_end(struct grace_period *gp)
{
	gp->pending = false;
	if (gp->fn) {
		bool saved = sched_eng.in_callback;

		sched_eng.in_callback = true;
		gp->fn(gp->arg);
		sched_eng.in_callback = saved;
	} else {
		sched_wake_all(gp);
	}
}

void sched_rcu_quiescent(int cpu)
{
	for (unsigned i = 0; i < ngps; i++) {
		struct grace_period *gp = &gps[i];

		if (!gp->pending || !(gp->waiting & (1u << cpu)))
			continue;
		gp->waiting &= ~(1u << cpu);
		if (!gp->waiting)
			gp_end(gp);
	}
}

void sched_call_rcu(void (*fn)(void *), void *arg)
{
	struct grace_period *gp = gp_start(fn, arg);

	if (!gp->waiting)
		gp_end(gp);
}

void sched_rcu_read_lock(struct sched_site *s)
{
	sched_point();
	if (sched_eng.init_mode)
		return;
	sched_eng.cpu[sched_eng.cur].rcu_nesting++;
	sched_trace_add(SCHED_OP_RCU_LOCK, NULL, "rcu_read_lock",
			(uint64_t)sched_eng.cpu[sched_eng.cur].rcu_nesting, 0, s);
}

void sched_rcu_read_unlock(struct sched_site *s)
{
	struct cpu_state *cs;

	sched_point();
	if (sched_eng.init_mode)
		return;
	cs = &sched_eng.cpu[sched_eng.cur];
	if (cs->rcu_nesting == 0)
		sched_report(SCHED_LOCK_MISMATCH,
			     "cpu%d calls rcu_read_unlock outside a read-side "
			     "critical section", sched_eng.cur);
	cs->rcu_nesting--;
	sched_trace_add(SCHED_OP_RCU_UNLOCK, NULL, "rcu_read_unlock",
			(uint64_t)cs->rcu_nesting, 0, s);
	if (cs->rcu_nesting == 0)
		sched_rcu_quiescent(sched_eng.cur);
}

void sched_synchronize_rcu(struct sched_site *s)
{
	struct grace_period *gp;

	sched_point();
	if (sched_eng.init_mode)
		return;
	sched_trace_add(SCHED_OP_SYNC_RCU, NULL, "synchronize_rcu", 0, 0, s);
	gp = gp_start(NULL, NULL);
	while (gp->pending) {
		if (!gp->waiting) {
			gp->pending = false;
			break;
		}
		sched_block(BLOCK_GRACE_PERIOD, gp,
			    "the end of a grace period (synchronize_rcu)");
	}
}
