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
	uint64_t waiting;	/* CPUs still inside a pre-existing section */
	void (*fn)(void *);	/* engine callback, */
	void (*rcu_fn)(struct rcu_head *);	/* or call_rcu's, or neither */
	void *arg;		/* for synchronize_rcu */
};

static struct grace_period gps[MAX_GRACE_PERIODS];
static unsigned ngps;	/* slots used this execution; kept in start order */

void sched_rcu_reset(void)
{
	for (unsigned i = 0; i < ngps; i++)
		gps[i].pending = false;
	ngps = 0;
}

static uint64_t readers(void)
{
	uint64_t mask = 0;

	for (int c = 0; c < sched_eng.ncpus; c++)
		if (sched_eng.cpu[c].rcu_nesting > 0)
			mask |= 1ull << c;
	return mask;
}

static struct grace_period *gp_start(void (*fn)(void *), void *arg)
{
	struct grace_period *gp;

	if (ngps == MAX_GRACE_PERIODS) {
		sched_fatal("too many grace periods in one execution");
	}
	gp = &gps[ngps++];
	*gp = (struct grace_period){ true, readers(), fn, NULL, arg };
	/* weak memory: a read-side section that starts from now on sees
	 * what the caller saw (synchronize_rcu, call_rcu, a slab page that
	 * goes back) */
	sched_fence(SCHED_FENCE_SYNC_RCU_START);
	if (sched_race_on)
		sched_race_gp_start((unsigned)(gp - gps));
	return gp;
}

static void gp_end(struct grace_period *gp)
{
	gp->pending = false;
	if (gp->fn || gp->rcu_fn) {
		bool saved_cb = sched_eng.in_callback;
		bool saved_init = sched_eng.init_mode;

		/* On behalf of the engine, between two steps: no points. */
		sched_eng.in_callback = sched_eng.init_mode = true;
		if (sched_race_on)
			sched_race_gp_end((unsigned)(gp - gps), true);
		if (gp->fn)
			gp->fn(gp->arg);
		else
			gp->rcu_fn(gp->arg);
		sched_eng.in_callback = saved_cb;
		sched_eng.init_mode = saved_init;
	} else {
		sched_wake_all(gp);
	}
}

void sched_rcu_quiescent(int cpu)
{
	for (unsigned i = 0; i < ngps; i++) {
		struct grace_period *gp = &gps[i];

		if (!gp->pending || !(gp->waiting & (1ull << cpu)))
			continue;
		if (sched_race_on)
			sched_race_gp_reader(i);
		gp->waiting &= ~(1ull << cpu);
		if (!gp->waiting)
			gp_end(gp);
	}
}

static void call_after_grace_period(struct grace_period *gp)
{
	if (!gp->waiting)
		gp_end(gp);
}

void sched_call_rcu(void (*fn)(void *), void *arg)
{
	call_after_grace_period(gp_start(fn, arg));
}

void sched_rcu_read_lock(struct sched_site *s)
{
	sched_point();
	if (sched_eng.init_mode)
		return;
	sched_eng.cpu[sched_eng.cur].rcu_nesting++;
	sched_fence(SCHED_FENCE_RCU_LOCK);
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
	if (cs->rcu_nesting == 0) {
		sched_fence(SCHED_FENCE_RCU_UNLOCK);
		sched_rcu_quiescent(sched_eng.cur);
	}
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
	if (sched_race_on)
		sched_race_gp_end((unsigned)(gp - gps), false);
	sched_fence(SCHED_FENCE_SYNC_RCU_END);
}

void sched_call_rcu_point(struct rcu_head *head,
			  void (*fn)(struct rcu_head *head),
			  struct sched_site *s)
{
	struct grace_period *gp;

	sched_point();
	sched_trace_add(SCHED_OP_CALL_RCU, head, "call_rcu", 0, 0, s);
	gp = gp_start(NULL, head);
	gp->rcu_fn = fn;
	call_after_grace_period(gp);
}
