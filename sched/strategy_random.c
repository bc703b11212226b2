/*
 * strategy_random.c - uniform random scheduling: at every decision, each
 * candidate (runnable CPU, free object, keep or release) equally likely.
 * The baseline of shuttle's RandomScheduler and Relacy's random search.
 */
#include "sched.h"

uint64_t sched_rand64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned random_choose(struct sched_decisions *base,
			      const struct sched_ask *ask)
{
	struct sched_random_source *src = (struct sched_random_source *)base;

	return ask->n <= 1 ? 0 :
	       (unsigned)(sched_rand64(&src->state) % ask->n);
}

void sched_random_source_init(struct sched_random_source *src, uint64_t seed)
{
	src->base = (struct sched_decisions){ .choose = random_choose,
					      .level = -1 };
	src->state = seed;
}
