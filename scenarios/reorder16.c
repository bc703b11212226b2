/*
 * reorder16 - a bug that needs exactly one preemption among 16 CPUs, after
 * SCTBench's reorder_N (Thomson, Donaldson, Betts, "Concurrency Testing
 * Using Controlled Schedulers: An Empirical Study", TOPC 2016): fifteen
 * CPUs publish a pair of fields in two stores, one CPU reads the pair and
 * insists on seeing both stores or neither.  It fails only when the first
 * writer is interrupted between its two stores by the reader: one
 * preemption, one delay, whichever of the 16 CPUs the search starts with.
 *
 * Preemption bounding alone drowns here: every point where a writer ends
 * is a free choice among the CPUs left, so bound 0 is already 16!
 * schedules; delay bounding makes bound 0 one schedule and bound 1 a few
 * hundred.
 */
#include "scenario.h"

#define NR_WRITERS 15

struct pair {
	spinlock_t lock;	/* the locked variant's */
	int a, b;		/* 0, 0, then 1, -1: never half */
};

static struct pair *pair;
static bool locked;

static void init(void)
{
	pair = sched_world_alloc("pair", sizeof(*pair));
	spin_lock_init(&pair->lock);
}

static void set_variant(const struct sched_variant *v)
{
	locked = v->data != NULL;
}

/* publish - a = 1, then b = -1; under pair->lock in the locked variant. */
static void publish(void)
{
	if (locked)
		spin_lock(&pair->lock);
	WRITE_ONCE(pair->a, 1);
	WRITE_ONCE(pair->b, -1);
	if (locked)
		spin_unlock(&pair->lock);
}

/* observe - both stores or neither; under the lock when writers take it. */
static void observe(void)
{
	int a, b;

	if (locked)
		spin_lock(&pair->lock);
	a = READ_ONCE(pair->a);
	b = READ_ONCE(pair->b);
	if (locked)
		spin_unlock(&pair->lock);
	BUG_ON(!((a == 0 && b == 0) || (a == 1 && b == -1)));
}

SCENARIO(reorder16) = {
	.name = "reorder16",
	.summary = "15 CPUs store a pair in two steps, one reads it: one "
		   "preemption among 16 CPUs",
	.init = init,
	.cpu = { publish, publish, publish, publish, publish, publish,
		 publish, publish, publish, publish, publish, publish,
		 publish, publish, publish, observe },
	.variants = (const struct sched_variant[]){
		{ "racy", "two plain stores, two plain loads", NULL },
		{ "locked", "both sides under pair->lock", "locked" },
		{ .name = NULL },
	},
	.set_variant = set_variant,
};
