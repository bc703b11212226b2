/*
 * seqcount.c - seqcount_t, after include/linux/seqlock.h (raw_read_
 * seqcount_begin, read_seqcount_retry, write_seqcount_begin/end of v5.x):
 * a writer, serialized against other writers by its own lock, makes the
 * sequence odd while it writes; a reader that saw it move retries.  Each
 * call is one scheduling point, traced under its own name.
 */
#include "engine.h"

/* A reader that finds a write in progress (odd) spins until it ends,
 * one sched_reload at a time, so the writer gets to run. */
unsigned sched_read_seqcount_begin(seqcount_t *s, const char *what,
				   struct sched_site *site)
{
	const char *prim = "read_seqcount_begin";
	unsigned seq = (unsigned)sched_load_named(&s->sequence, sizeof(seq),
						  SCHED_ORDER_ONCE, prim, what,
						  site);

	while (seq & 1)
		seq = (unsigned)sched_reload(&s->sequence, sizeof(seq),
					     SCHED_ORDER_ONCE, prim, what, site);
	sched_weak_fence(SCHED_FENCE_RMB);
	return seq;
}

bool sched_read_seqcount_retry(seqcount_t *s, unsigned start,
			       const char *what, struct sched_site *site)
{
	sched_point();
	sched_weak_fence(SCHED_FENCE_RMB);
	return (unsigned)sched_load_step(&s->sequence, sizeof(start),
					 SCHED_ORDER_ONCE, "read_seqcount_retry",
					 what, site) != start;
}

/* sequence++ is a plain load and store of the writer's (the kernel's is
 * not atomic either); the trace shows the store. */
void sched_write_seqcount(seqcount_t *s, bool end, const char *what,
			  struct sched_site *site)
{
	struct sched_rf rf;
	unsigned seq;

	sched_point();
	if (end)
		sched_weak_fence(SCHED_FENCE_WMB);
	sched_check_access(&s->sequence, sizeof(seq), what, site);
	seq = sched_weak_active() ?
	      (unsigned)sched_weak_load(&s->sequence, sizeof(seq),
					SCHED_ORDER_ONCE, &rf) :
	      s->sequence;
	sched_store_step(&s->sequence, sizeof(seq), seq + 1, SCHED_ORDER_ONCE,
			 end ? "write_seqcount_end" : "write_seqcount_begin",
			 what, site);
	if (!end)
		sched_weak_fence(SCHED_FENCE_WMB);
}
