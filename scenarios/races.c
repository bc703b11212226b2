/*
 * races.c - the race checker's litmus tests, as scenarios "race/NAME":
 * two CPUs whose plain accesses (this file is plain C, SCENARIO_PLAIN_C)
 * conflict, with or without what orders them.  race is LKMM's answer: is
 * the pair a data race (tools/memory-model/Documentation/
 * explanation.txt, "Plain accesses and data races")?  test_plainc checks
 * that the checker gives it in every schedule (dfs), under sc and weak
 * memory: reported in some schedule when race, in none otherwise.  The
 * summary says which: "LKMM: a data race" or "LKMM: no data race".
 *
 * Each test's first line names its pattern and how it is ordered, in the
 * way of the kernel's litmus test names: MP is message passing (P0 writes
 * the data, then the flag; P1 reads the flag, then the data), 2W two
 * writes, RW a read and a write.
 */
#define SCENARIO_PLAIN_C
#include <string.h>

#include "scenario.h"

struct obj {
	long data;
};

/* Each variable in an 8-byte granule of its own. */
static struct {
	long x, flag;
	struct obj *p;
	spinlock_t lock;
	struct rw_semaphore sem;
	struct completion done;
	atomic_t a;
} *v;
static struct kmem_cache *objs;
static long r;				/* a register: host memory */

struct race_test {
	const char *name;
	bool race;
	void (*cpu[2])(void);
};
static const struct race_test *cur;

/* ---- no ordering ---------------------------------------------------------- */

static void write_x1(void) { v->x = 1; }
static void write_x2(void) { v->x = 2; }
static void read_x(void) { r = v->x; }
static void write_once_x(void) { WRITE_ONCE(v->x, 1); }
static void read_once_x(void) { r = READ_ONCE(v->x); }

/* ---- locks ------------------------------------------------------------------ */

static void locked_write_x1(void)
{
	spin_lock(&v->lock);
	v->x = 1;
	spin_unlock(&v->lock);
}

static void locked_write_x2(void)
{
	spin_lock(&v->lock);
	v->x = 2;
	spin_unlock(&v->lock);
}

static void down_read_write_x1(void)
{
	down_read(&v->sem);
	v->x = 1;
	up_read(&v->sem);
}

static void down_read_write_x2(void)
{
	down_read(&v->sem);
	v->x = 2;
	up_read(&v->sem);
}

static void down_write_x1(void)
{
	down_write(&v->sem);
	v->x = 1;
	up_write(&v->sem);
}

static void down_read_x(void)
{
	down_read(&v->sem);
	r = v->x;
	up_read(&v->sem);
}

static void write_x_complete(void)
{
	v->x = 1;
	complete(&v->done);
}

static void wait_write_x(void)
{
	wait_for_completion(&v->done);
	v->x = 2;
}

/* ---- message passing ---------------------------------------------------------- */

static void mp_once(void) { v->x = 1; WRITE_ONCE(v->flag, 1); }
static void mp_once_r(void) { if (READ_ONCE(v->flag)) r = v->x; }
static void mp_release(void) { v->x = 1; smp_store_release(&v->flag, 1); }
static void mp_acquire(void) { if (smp_load_acquire(&v->flag)) r = v->x; }
static void mp_wmb(void) { v->x = 1; smp_wmb(); WRITE_ONCE(v->flag, 1); }

static void mp_rmb(void)
{
	if (READ_ONCE(v->flag)) {
		smp_rmb();
		r = v->x;
	}
}

static void mp_mb(void) { v->x = 1; smp_mb(); WRITE_ONCE(v->flag, 1); }

static void mp_mb_r(void)
{
	if (READ_ONCE(v->flag)) {
		smp_mb();
		r = v->x;
	}
}

static void mp_atomic(void) { v->x = 1; (void)atomic_add_return(1, &v->a); }
static void mp_atomic_relaxed(void) { v->x = 1; atomic_inc(&v->a); }

static void mp_atomic_r(void)
{
	if (atomic_read(&v->a)) {
		smp_rmb();
		r = v->x;
	}
}

/* ---- RCU and the slab ------------------------------------------------------------ */

/* P0 publishes a new object it filled in with plain stores. */
static void publish(void)
{
	struct obj *o = kmem_cache_alloc(objs, GFP_KERNEL);

	o->data = 1;
	rcu_assign_pointer(v->p, o);
}

static void publish_once(void)
{
	struct obj *o = kmem_cache_alloc(objs, GFP_KERNEL);

	o->data = 1;
	WRITE_ONCE(v->p, o);
}

/* P1 reads the object through the pointer. */
static void deref(void)
{
	struct obj *o;

	rcu_read_lock();
	o = rcu_dereference(v->p);
	if (o)
		r = o->data;
	rcu_read_unlock();
}

/* The updater unpublishes the object it found, then writes to it: after
 * a grace period, or without one. */
static void unpublish(bool sync)
{
	struct obj *o = v->p;

	rcu_assign_pointer(v->p, NULL);
	if (sync)
		synchronize_rcu();
	o->data = 0;
}

static void unpublish_sync(void) { unpublish(true); }
static void unpublish_nosync(void) { unpublish(false); }

/* The object goes back to the slab and is allocated again: its new user
 * follows its old one. */
static void use_free(void)
{
	struct obj *o = kmem_cache_alloc(objs, GFP_KERNEL);

	o->data = 1;
	kmem_cache_free(objs, o);
}

static void alloc_use(void)
{
	struct obj *o = kmem_cache_alloc(objs, GFP_KERNEL);

	o->data = 2;
	kmem_cache_free(objs, o);
}

#define T(name, race, p0, p1) { name, race, { p0, p1 } }

static const struct race_test tests[] = {
	T("2W", true, write_x1, write_x2),
	T("2W+locks", false, locked_write_x1, locked_write_x2),
	T("RW+once-write", true, write_once_x, read_x),
	T("RW+once-read", true, read_once_x, write_x1),
	T("RW+onces", false, write_once_x, read_once_x),
	T("2W+rwsem-read", true, down_read_write_x1, down_read_write_x2),
	T("RW+rwsem", false, down_write_x1, down_read_x),
	T("2W+completion", false, write_x_complete, wait_write_x),
	T("MP+onces", true, mp_once, mp_once_r),
	T("MP+release+acquire", false, mp_release, mp_acquire),
	T("MP+wmb+rmb", false, mp_wmb, mp_rmb),
	T("MP+wmb+once", true, mp_wmb, mp_once_r),
	T("MP+mbs", false, mp_mb, mp_mb_r),
	T("MP+atomic+rmb", false, mp_atomic, mp_atomic_r),
	T("MP+atomic-relaxed+rmb", true, mp_atomic_relaxed, mp_atomic_r),
	T("MP+assign+dereference", false, publish, deref),
	T("MP+once+dereference", true, publish_once, deref),
	T("RCU+sync+write", false, deref, unpublish_sync),
	T("RCU+write", true, deref, unpublish_nosync),
	T("2W+free+alloc", false, use_free, alloc_use),
};

#define NTESTS (sizeof(tests) / sizeof(tests[0]))

static void init(void)
{
	cur = scenario_running()->data;
	v = sched_world_alloc("v", sizeof(*v));
	objs = kmem_cache_create("obj", sizeof(struct obj), 0, NULL);
	if (!strncmp(cur->name, "RCU", 3))
		v->p = kmem_cache_alloc(objs, GFP_KERNEL);
	r = 0;
}

static void cpu0(void) { cur->cpu[0](); }
static void cpu1(void) { cur->cpu[1](); }

/* Each test as the scenario "race/NAME". */
static const struct scenario *race_scenario(size_t i)
{
	static struct scenario sc[NTESTS];
	static char names[NTESTS][64];

	if (i >= NTESTS)
		return NULL;
	if (!sc[i].name) {
		snprintf(names[i], sizeof(names[i]), "race/%s", tests[i].name);
		sc[i] = (struct scenario){
			.name = names[i],
			.summary = tests[i].race ? "LKMM: a data race"
						 : "LKMM: no data race",
			.init = init,
			.cpu = { cpu0, cpu1 },
			.data = &tests[i],
		};
	}
	return &sc[i];
}
SCENARIO_SET(race_scenario);
