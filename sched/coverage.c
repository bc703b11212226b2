/*
 * coverage.c - schedule-shaped features for libFuzzer.
 *
 * Edge coverage of the model says little about interleavings, so each
 * execution also bumps counters in libFuzzer's extra-counters section,
 * keyed only on stable site ids (never addresses):
 *   switch  (site of the last step of the CPU switched away from, site of
 *           the first step of the CPU switched to)
 *   rf      (load site, site of the store it read), for plain and atomic
 *           accesses
 *   lock    (lock site, site that last released that lock)
 *   alloc   (allocation site, site that last wrote the object's first
 *           word: its free, for a reused object)
 * and the model's own, which it computes from the state it knows (for
 * rmap_ops, the shape of the anon_vma forest: rmap/shape.c):
 *   model   a pair of keys from the model (sched_cov_model)
 * SCHED_FEATURES selects them (a comma list, "all" or "none"); only the
 * fuzz targets turn them on, by default lock and alloc, the two schedule
 * features that helped libFuzzer most in the benchmark's ablation, and
 * model (docs/benchmark.md, where the figures are kept so that they are
 * remeasured, not left to drift here).
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define SHADOW_WORDS (SCHED_ARENA_SIZE / 8)

/*
 * Small, because libFuzzer reads and clears the whole region after every
 * execution, and the default features fill only a few hundred counters,
 * so few of them share one; the measurements are in docs/benchmark.md
 * ("Measurements behind design choices").
 */
__attribute__((section("__libfuzzer_extra_counters"), used))
uint8_t sched_cov_counters[SCHED_COV_SIZE];

/* The model's features apart, each 0 or 1: a feature met again in one
 * execution is no new count for libFuzzer to keep an input for, and a
 * region of their own keeps them from sharing counters with the
 * schedule's. */
__attribute__((section("__libfuzzer_extra_counters"), used))
uint8_t sched_cov_model_counters[SCHED_COV_MODEL_SIZE];

unsigned sched_cov_mask;
static uint32_t shadow[SHADOW_WORDS];	/* last writer's site per word */
static uint32_t last_site;
static int last_cpu = -1;

static const char *const feature_names[] = { "switch", "rf", "lock", "alloc",
					     "model" };

int sched_cov_parse(const char *spec)
{
	char buf[128], *tok, *save;
	unsigned mask = 0;

	if (!spec || !*spec)
		spec = "lock,alloc,model";
	if (!strcmp(spec, "all")) {
		sched_cov_mask = SCHED_COV_ALL;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned bit = 0;

		for (unsigned i = 0; i < 5; i++)
			if (!strcmp(tok, feature_names[i]))
				bit = 1u << i;
		if (!bit && strcmp(tok, "none"))
			return -1;
		mask |= bit;
	}
	sched_cov_mask = mask;
	return 0;
}

void sched_cov_reset(uint32_t arena_used)
{
	if (!sched_cov_mask)
		return;
	memset(shadow, 0, (arena_used / 8 + 1) * sizeof(shadow[0]));
	last_site = 0;
	last_cpu = -1;
}

static uint32_t feature_hash(unsigned kind, uint32_t a, uint32_t b)
{
	uint32_t h = (a * 0x9e3779b1u) ^ (b * 0x85ebca77u) ^ (kind * 0xc2b2ae3du);

	return h ^ (h >> 16);
}

static void feature(unsigned kind, uint32_t a, uint32_t b)
{
	uint8_t *c = &sched_cov_counters[feature_hash(kind, a, b) &
					  (SCHED_COV_SIZE - 1)];

	if (*c != 0xff)
		(*c)++;
}

void sched_cov_model(uint32_t a, uint32_t b)
{
	if (sched_cov_mask & SCHED_COV_MODEL)
		sched_cov_model_counters[feature_hash(SCHED_COV_MODEL, a, b) &
			       (SCHED_COV_MODEL_SIZE - 1)] = 1;
}

void sched_cov_event(enum sched_op op, int cpu, uint32_t off, uint32_t site)
{
	uint32_t *w = off != UINT32_MAX ? &shadow[off / 8] : NULL;

	if ((sched_cov_mask & SCHED_COV_SWITCH) && cpu >= 0) {
		if (last_cpu >= 0 && cpu != last_cpu)
			feature(SCHED_COV_SWITCH, last_site, site);
		last_cpu = cpu;
		last_site = site;
	}
	if (!w)
		return;
	switch (op) {
	case SCHED_OP_LOAD:	/* the weak mode says which: sched_cov_rf */
		if ((sched_cov_mask & SCHED_COV_RF) && !sched_weak_active())
			feature(SCHED_COV_RF, site, *w);
		break;
	case SCHED_OP_RMW:
		if (sched_cov_mask & SCHED_COV_RF)
			feature(SCHED_COV_RF, site, *w);
		*w = site;
		break;
	case SCHED_OP_LOCK:
		if (sched_cov_mask & SCHED_COV_LOCK)
			feature(SCHED_COV_LOCK, site, *w);
		break;
	case SCHED_OP_ALLOC:
		if (sched_cov_mask & SCHED_COV_ALLOC)
			feature(SCHED_COV_ALLOC, site, *w);
		*w = site;
		break;
	case SCHED_OP_STORE:
	case SCHED_OP_UNLOCK:
	case SCHED_OP_FREE:
	case SCHED_OP_LIST:
		*w = site;
		break;
	default:
		break;
	}
}

void sched_cov_rf(struct sched_site *load, uint32_t store_site)
{
	if (sched_cov_mask & SCHED_COV_RF)
		feature(SCHED_COV_RF, load ? sched_site_id(load) : 0, store_site);
}
