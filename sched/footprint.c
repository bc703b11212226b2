/*
 * footprint.c - which steps of an execution depend on which, read from
 * its trace: what partial-order reduction (strategy_dfs.c) commutes and
 * what it must not.
 *
 * A step's footprint is the set of locations it read or wrote.  Locations
 * are a field of an object (by its offset: model code accesses a field
 * whole, as the kernel does, never half of it), all of an object (an allocation or a free
 * changes what every access of the object sees: its generation, whether
 * touching it is a use after free), the allocator (which object an
 * allocation gets depends on every earlier free and allocation of the
 * caches) and RCU (read-side sections and grace periods).  Locks, rwsems
 * and completions are locations that every operation on them writes,
 * blocked attempts included.  A list operation touches the links lock.c
 * says it did (the trace names only the head or the entry; when that
 * record is of another step, it depends on every step), and a slab page
 * going back poisons a whole page: it depends on every step.  Barriers and notes touch nothing under the
 * sc memory model, the only one the reductions run under.
 */
#include "engine.h"

#define KEY_GLOBAL (1ull << 63)
#define KEY_RCU (KEY_GLOBAL | 1)
#define KEY_ALLOCATOR (KEY_GLOBAL | 2)
#define OFF_ANY 0xffffffffu

static uint64_t obj_key(int obj, uint32_t off)
{
	return (uint64_t)(uint32_t)(obj + 1) << 32 | off;
}

static void add(struct sched_footprint *fp, uint64_t key, bool write)
{
	for (unsigned i = 0; i < fp->nkeys; i++)
		if (fp->key[i] == key) {
			fp->write[i] |= write;
			return;
		}
	if (fp->nkeys == SCHED_FP_KEYS) {
		fp->all = true;
		return;
	}
	fp->key[fp->nkeys] = key;
	fp->write[fp->nkeys++] = write;
}

static void add_links(struct sched_footprint *fp, uint32_t step)
{
	const struct sched_list_touch *t = sched_list_touched();

	if (t->step != step) {
		fp->all = true;
		return;
	}
	for (unsigned i = 0; i < t->n; i++) {
		uint32_t off;
		int obj = sched_obj_lookup(t->p[i], &off);

		add(fp, obj_key(obj, obj < 0 ? 0 : off), t->write[i]);
	}
}

static void add_event(struct sched_footprint *fp, const struct sched_event *e)
{
	switch (e->op) {
	case SCHED_OP_LOAD:
		add(fp, obj_key(e->obj, e->off), false);
		break;
	case SCHED_OP_STORE:
	case SCHED_OP_RMW:
	case SCHED_OP_LOCK:
	case SCHED_OP_UNLOCK:
	case SCHED_OP_WAIT:
	case SCHED_OP_COMPLETE:
		add(fp, obj_key(e->obj, e->off), true);
		break;
	case SCHED_OP_BLOCK:	/* on a lock, or a grace period (no object) */
		add(fp, e->obj >= 0 ? obj_key(e->obj, e->off) : KEY_RCU, true);
		break;
	case SCHED_OP_RCU_LOCK:
		add(fp, KEY_RCU, false);
		break;
	case SCHED_OP_RCU_UNLOCK:	/* may end a grace period */
	case SCHED_OP_SYNC_RCU:
	case SCHED_OP_CALL_RCU:
		add(fp, KEY_RCU, true);
		break;
	case SCHED_OP_ALLOC:
	case SCHED_OP_FREE:
		add(fp, KEY_ALLOCATOR, true);
		add(fp, obj_key(e->obj, OFF_ANY), true);
		break;
	case SCHED_OP_LIST:
		add_links(fp, e->step);
		break;
	case SCHED_OP_RELEASE_PAGE:
		fp->all = true;
		break;
	default:		/* barriers, notes, verdicts */
		break;
	}
}

void sched_step_footprint(uint32_t step, size_t *from,
			  struct sched_footprint *fp)
{
	size_t n = sched_trace_len(), i = *from;

	*fp = (struct sched_footprint){ 0 };
	for (; i < n; i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (e->step > step)
			break;
		if (e->step == step)
			add_event(fp, e);
	}
	*from = i;
}

static bool keys_meet(uint64_t a, uint64_t b)
{
	if (a == b)
		return true;
	if ((a | b) & KEY_GLOBAL || (a >> 32) != (b >> 32))
		return false;
	return (uint32_t)a == OFF_ANY || (uint32_t)b == OFF_ANY;
}

bool sched_footprints_depend(const struct sched_footprint *a,
			     const struct sched_footprint *b)
{
	if (a->all || b->all)
		return true;
	for (unsigned i = 0; i < a->nkeys; i++)
		for (unsigned j = 0; j < b->nkeys; j++)
			if ((a->write[i] || b->write[j]) &&
			    keys_meet(a->key[i], b->key[j]))
				return true;
	return false;
}
