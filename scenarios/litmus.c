/*
 * litmus.c - litmus tests of the Linux-kernel memory model, as scenarios
 * "litmus/NAME", to check the weak memory mode against LKMM's verdicts.
 *
 * Each test is reimplemented from the one of the same name in the kernel's
 * tools/memory-model/litmus-tests (or Documentation/litmus-tests/rcu):
 * shared variables x, y, z and a pointer p, one function per CPU writing
 * registers r[cpu][i], and the "exists" clause, checked once every CPU is
 * done; the outcome showing is the violation litmus-exists.  lkmm is
 * the verdict in the test's header ("Result: Sometimes" or "Never"); model
 * and alpha are what schedfuzz's weak and weak-alpha modes give (dfs over
 * every schedule and every store each load may read; the departures from
 * LKMM are in docs/weak-memory.md).
 */
#include <string.h>

#include "../sched/kernel.h"
#include "litmus.h"

/* Each variable in an 8-byte granule of its own: one location each. */
static struct {
	long x, y, z;
	atomic_t a;
	long *p, *q, *s;
	spinlock_t lock;
	struct rcu_head rh;
} *v;
static long r[4][3];		/* registers: ghost, per CPU */
static const struct litmus *cur;

SCHED_CLASS(litmus_exists, "litmus-exists", SCHED_CLASS_STATE,
	    "a litmus test's exists clause held (scenarios litmus/NAME)");


/* ---- message passing ----------------------------------------------------- */

static void mp_w(void) { WRITE_ONCE(v->x, 1); WRITE_ONCE(v->y, 1); }
static void mp_r(void) { r[1][0] = READ_ONCE(v->y); r[1][1] = READ_ONCE(v->x); }
static bool mp_exists(void) { return r[1][0] == 1 && r[1][1] == 0; }

static void mp_rel(void) { WRITE_ONCE(v->x, 1); smp_store_release(&v->y, 1); }
static void mp_acq(void) { r[1][0] = smp_load_acquire(&v->y); r[1][1] = READ_ONCE(v->x); }

static void mp_wmb(void) { WRITE_ONCE(v->x, 1); smp_wmb(); WRITE_ONCE(v->y, 1); }
static void mp_rmb(void) { r[1][0] = READ_ONCE(v->y); smp_rmb(); r[1][1] = READ_ONCE(v->x); }

/* A value-returning atomic orders like smp_mb on both sides; its _relaxed
 * form (4.3 and later; the barrier ablations of the rmap model) does not. */
static void mp_atomic(void)
{
	WRITE_ONCE(v->x, 1);
	(void)atomic_add_return(1, &v->a);
	WRITE_ONCE(v->y, 1);
}

static void mp_atomic_relaxed(void)
{
	WRITE_ONCE(v->x, 1);
	(void)atomic_add_return_relaxed(1, &v->a);
	WRITE_ONCE(v->y, 1);
}

static void mp_lock_w(void)
{
	WRITE_ONCE(v->x, 1);
	spin_lock(&v->lock);
	WRITE_ONCE(v->y, 1);
	spin_unlock(&v->lock);
}

static void mp_lock_r(void)
{
	spin_lock(&v->lock);
	r[1][0] = READ_ONCE(v->y);
	spin_unlock(&v->lock);
	r[1][1] = READ_ONCE(v->x);
}

/* p starts at &y (0); the writer publishes &z after setting z = 1. */
static void mp_assign(void) { WRITE_ONCE(v->z, 1); rcu_assign_pointer(v->p, &v->z); }
static void mp_wmb_ptr(void) { WRITE_ONCE(v->z, 1); smp_wmb(); WRITE_ONCE(v->p, &v->z); }

/* An RCU reader: reg[0] says whether p pointed to target, reg[1] is what
 * it read through p. */
static void deref(long *reg, const long *target)
{
	long *q;

	rcu_read_lock();
	q = rcu_dereference(v->p);
	reg[0] = q == target;
	reg[1] = READ_ONCE(*q);
	rcu_read_unlock();
}

static void mp_deref(void) { deref(r[1], &v->z); }

static void mp_addr(void)
{
	long *q = READ_ONCE(v->p);

	r[1][0] = q == &v->z;
	r[1][1] = READ_ONCE(*q);
}

/* ---- store buffering ---------------------------------------------------- */

static void sb_0(void) { WRITE_ONCE(v->x, 1); r[0][0] = READ_ONCE(v->y); }
static void sb_1(void) { WRITE_ONCE(v->y, 1); r[1][0] = READ_ONCE(v->x); }
static void sb_mb0(void) { WRITE_ONCE(v->x, 1); smp_mb(); r[0][0] = READ_ONCE(v->y); }
static void sb_mb1(void) { WRITE_ONCE(v->y, 1); smp_mb(); r[1][0] = READ_ONCE(v->x); }
static bool sb_exists(void) { return r[0][0] == 0 && r[1][0] == 0; }

/* ---- load buffering ----------------------------------------------------- */

static void lb_0(void) { r[0][0] = READ_ONCE(v->x); WRITE_ONCE(v->y, 1); }
static void lb_1(void) { r[1][0] = READ_ONCE(v->y); WRITE_ONCE(v->x, 1); }
static void lb_mb0(void) { r[0][0] = READ_ONCE(v->x); smp_mb(); WRITE_ONCE(v->y, 1); }

static void lb_ctrl1(void)
{
	r[1][0] = READ_ONCE(v->y);
	if (r[1][0])
		WRITE_ONCE(v->x, 1);
}

static bool lb_exists(void) { return r[0][0] == 1 && r[1][0] == 1; }

/* ---- R, S, 2+2W: final values in coherence order ------------------------ */

static void r_0(void) { WRITE_ONCE(v->x, 1); WRITE_ONCE(v->y, 1); }
static void r_1(void) { WRITE_ONCE(v->y, 2); r[1][0] = READ_ONCE(v->x); }
static void r_mb0(void) { WRITE_ONCE(v->x, 1); smp_mb(); WRITE_ONCE(v->y, 1); }
static void r_mb1(void) { WRITE_ONCE(v->y, 2); smp_mb(); r[1][0] = READ_ONCE(v->x); }
static bool r_exists(void) { return v->y == 2 && r[1][0] == 0; }

static void s_0(void) { WRITE_ONCE(v->x, 2); WRITE_ONCE(v->y, 1); }
static void s_1(void) { r[1][0] = READ_ONCE(v->y); WRITE_ONCE(v->x, 1); }
static void s_wmb0(void) { WRITE_ONCE(v->x, 2); smp_wmb(); WRITE_ONCE(v->y, 1); }
static void s_acq1(void) { r[1][0] = smp_load_acquire(&v->y); WRITE_ONCE(v->x, 1); }
static bool s_exists(void) { return v->x == 2 && r[1][0] == 1; }

static void w22_0(void) { WRITE_ONCE(v->x, 1); WRITE_ONCE(v->y, 2); }
static void w22_1(void) { WRITE_ONCE(v->y, 1); WRITE_ONCE(v->x, 2); }
static void w22_mb0(void) { WRITE_ONCE(v->x, 1); smp_mb(); WRITE_ONCE(v->y, 2); }
static void w22_mb1(void) { WRITE_ONCE(v->y, 1); smp_mb(); WRITE_ONCE(v->x, 2); }
static bool w22_exists(void) { return v->x == 1 && v->y == 1; }

/* ---- three and four CPUs ------------------------------------------------- */

static void x_1(void) { WRITE_ONCE(v->x, 1); }
static void y_1(void) { WRITE_ONCE(v->y, 1); }

static void wrc_1(void) { r[1][0] = READ_ONCE(v->x); WRITE_ONCE(v->y, 1); }
static void wrc_rel1(void) { r[1][0] = READ_ONCE(v->x); smp_store_release(&v->y, 1); }
static void wrc_2(void) { r[2][0] = READ_ONCE(v->y); r[2][1] = READ_ONCE(v->x); }
static void wrc_rmb2(void) { r[2][0] = READ_ONCE(v->y); smp_rmb(); r[2][1] = READ_ONCE(v->x); }
static bool wrc_exists(void) { return r[1][0] == 1 && r[2][0] == 1 && r[2][1] == 0; }

static void iriw_1(void) { r[1][0] = READ_ONCE(v->x); r[1][1] = READ_ONCE(v->y); }
static void iriw_3(void) { r[3][0] = READ_ONCE(v->y); r[3][1] = READ_ONCE(v->x); }
static void iriw_mb1(void) { r[1][0] = READ_ONCE(v->x); smp_mb(); r[1][1] = READ_ONCE(v->y); }
static void iriw_mb3(void) { r[3][0] = READ_ONCE(v->y); smp_mb(); r[3][1] = READ_ONCE(v->x); }

static bool iriw_exists(void)
{
	return r[1][0] == 1 && r[1][1] == 0 && r[3][0] == 1 && r[3][1] == 0;
}

static void isa2_0(void) { WRITE_ONCE(v->x, 1); WRITE_ONCE(v->y, 1); }
static void isa2_1(void) { r[1][0] = READ_ONCE(v->y); WRITE_ONCE(v->z, 1); }
static void isa2_2(void) { r[2][0] = READ_ONCE(v->z); r[2][1] = READ_ONCE(v->x); }
static void isa2_rel0(void) { WRITE_ONCE(v->x, 1); smp_store_release(&v->y, 1); }
static void isa2_acqrel1(void) { r[1][0] = smp_load_acquire(&v->y); smp_store_release(&v->z, 1); }
static void isa2_acq2(void) { r[2][0] = smp_load_acquire(&v->z); r[2][1] = READ_ONCE(v->x); }

static bool isa2_exists(void)
{
	return r[1][0] == 1 && r[2][0] == 1 && r[2][1] == 0;
}

/* ---- the three shapes the weak mode allowed against LKMM (issue 15;
 * docs/weak-memory-fixes.md) -------------------------------------------- */

/* 1. Lock-based cumulativity: P1's store under the lock carries what P0
 * stored before its unlock. */
static void isa2_lock0(void)
{
	spin_lock(&v->lock);
	WRITE_ONCE(v->x, 1);
	WRITE_ONCE(v->y, 1);
	spin_unlock(&v->lock);
}

static void isa2_lock1(void)
{
	spin_lock(&v->lock);
	r[1][0] = READ_ONCE(v->y);
	WRITE_ONCE(v->z, 1);
	spin_unlock(&v->lock);
}

static void isa2_mb2(void) { r[2][0] = READ_ONCE(v->z); smp_mb(); r[2][1] = READ_ONCE(v->x); }

/* 2. A store under a control dependency goes after what the load it
 * depends on read, in coherence order too. */
static void s_sync0(void) { WRITE_ONCE(v->x, 1); synchronize_rcu(); WRITE_ONCE(v->y, 1); }
static void s_atomic0(void) { WRITE_ONCE(v->x, 1); (void)atomic_add_return(1, &v->a); WRITE_ONCE(v->y, 1); }

static void s_ctrl1(void)
{
	r[1][0] = READ_ONCE(v->y);
	if (r[1][0])
		WRITE_ONCE(v->x, 2);
}

static bool s_ctrl_exists(void) { return r[1][0] == 1 && v->x == 1; }

/* 3. A pointer stored and read back by its own CPU keeps the order the
 * rcu_dereference gave it (LKMM: dep ; rfi); q starts at &y. */
static void mp_relptr0(void) { WRITE_ONCE(v->x, 1); smp_store_release(&v->q, &v->x); }

static void mp_rfi1(void)
{
	long *r1 = rcu_dereference(v->q), *r2;

	WRITE_ONCE(v->s, r1);
	r2 = READ_ONCE(v->s);
	r[1][0] = r1 == &v->x;
	r[1][1] = READ_ONCE(*r2);
}

/* ---- coherence ----------------------------------------------------------- */

static void corr_1(void) { r[1][0] = READ_ONCE(v->x); r[1][1] = READ_ONCE(v->x); }
static bool corr_exists(void) { return r[1][0] == 1 && r[1][1] == 0; }

static void corw_0(void) { r[0][0] = READ_ONCE(v->x); WRITE_ONCE(v->x, 1); }
static bool corw_exists(void) { return v->x == 2 && r[0][0] == 2; }

static void cowr_0(void) { WRITE_ONCE(v->x, 1); r[0][0] = READ_ONCE(v->x); }
static void x_2(void) { WRITE_ONCE(v->x, 2); }
static bool cowr_exists(void) { return v->x == 1 && r[0][0] == 2; }

static void coww_0(void) { WRITE_ONCE(v->x, 1); WRITE_ONCE(v->x, 2); }
static bool coww_exists(void) { return v->x == 1; }

/* ---- RCU ------------------------------------------------------------------ */

static void rcu_read_xy(void)
{
	rcu_read_lock();
	r[0][0] = READ_ONCE(v->x);
	r[0][1] = READ_ONCE(v->y);
	rcu_read_unlock();
}

static void rcu_sync_xy(void)
{
	WRITE_ONCE(v->x, 1);
	synchronize_rcu();
	WRITE_ONCE(v->y, 1);
}

static bool rcu_read_exists(void) { return r[0][0] == 0 && r[0][1] == 1; }

/* The kernel's RCU+sync+read: the updater, after a grace period, sees
 * every store of a read-side section it saw one store of. */
static void rcu_write_xy(void)
{
	rcu_read_lock();
	WRITE_ONCE(v->x, 1);
	WRITE_ONCE(v->y, 1);
	rcu_read_unlock();
}

static void rcu_sync_read_xy(void)
{
	r[1][0] = READ_ONCE(v->x);
	synchronize_rcu();
	r[1][1] = READ_ONCE(v->y);
}

static bool rcu_sync_read_exists(void) { return r[1][0] == 1 && r[1][1] == 0; }

/* p starts at &x (x = 1); the updater re-points it to &y (y = 1), waits
 * for readers, then "frees" x (x = 0). */
static void rcu_free_reader(void) { deref(r[0], &v->x); }

static void rcu_free_updater(void)
{
	rcu_assign_pointer(v->p, &v->y);
	synchronize_rcu();
	WRITE_ONCE(v->x, 0);
}

static bool rcu_free_exists(void) { return r[0][0] == 1 && r[0][1] == 0; }

/* The same with call_rcu: the callback "frees" x after a grace period. */
static void free_x(struct rcu_head *head)
{
	(void)head;
	WRITE_ONCE(v->x, 0);
}

static void rcu_call_updater(void)
{
	rcu_assign_pointer(v->p, &v->y);
	call_rcu(&v->rh, free_x);
}

/* ---- the table ------------------------------------------------------------ */

enum { P_Y = 1, P_X_ONE = 2, P_Q_Y = 3 };	/* initial states besides all zero */

#define T(name, lkmm, model, init, exists, text, ...)                         \
	TA(name, lkmm, model, model, init, exists, text, __VA_ARGS__)
#define TA(name, lkmm, model, alpha, init, exists, text, ...)                 \
	{ name, lkmm, model, alpha, init, exists, text,                      \
	  sizeof((void (*[])(void)){ __VA_ARGS__ }) / sizeof(void (*)(void)), \
	  { __VA_ARGS__ } }

static const struct litmus tests[] = {
	T("MP+poonceonces", SOMETIMES, SOMETIMES, 0, mp_exists,
	  "1:r0=1 /\\ 1:r1=0", mp_w, mp_r),
	T("MP+pooncerelease+poacquireonce", NEVER, NEVER, 0, mp_exists,
	  "1:r0=1 /\\ 1:r1=0", mp_rel, mp_acq),
	T("MP+fencewmbonceonce+fencermbonceonce", NEVER, NEVER, 0, mp_exists,
	  "1:r0=1 /\\ 1:r1=0", mp_wmb, mp_rmb),
	/* not in the kernel's set: a value-returning atomic (and its _relaxed
	 * form) in place of the writer's smp_wmb */
	T("MP+atomicreturn+fencermbonceonce", NEVER, NEVER, 0, mp_exists,
	  "1:r0=1 /\\ 1:r1=0", mp_atomic, mp_rmb),
	T("MP+atomicrelaxed+fencermbonceonce", SOMETIMES, SOMETIMES, 0,
	  mp_exists, "1:r0=1 /\\ 1:r1=0", mp_atomic_relaxed, mp_rmb),
	T("MP+polocks", NEVER, NEVER, 0, mp_exists,
	  "1:r0=1 /\\ 1:r1=0", mp_lock_w, mp_lock_r),
	T("MP+onceassign+derefonce", NEVER, NEVER, P_Y, mp_exists,
	  "1:r0=z /\\ 1:r1=0", mp_assign, mp_deref),
	/* not in the kernel's set: an address dependency through READ_ONCE
	 * (ordered since v4.15; before, on Alpha, only with
	 * smp_read_barrier_depends) */
	TA("MP+fencewmbonceonce+addronce", NEVER, NEVER, SOMETIMES, P_Y, mp_exists,
	  "1:r0=z /\\ 1:r1=0", mp_wmb_ptr, mp_addr),
	T("SB+poonceonces", SOMETIMES, SOMETIMES, 0, sb_exists,
	  "0:r0=0 /\\ 1:r0=0", sb_0, sb_1),
	T("SB+fencembonceonces", NEVER, NEVER, 0, sb_exists,
	  "0:r0=0 /\\ 1:r0=0", sb_mb0, sb_mb1),
	T("LB+poonceonces", SOMETIMES, NEVER, 0, lb_exists,
	  "0:r0=1 /\\ 1:r0=1", lb_0, lb_1),
	T("LB+fencembonceonce+ctrlonceonce", NEVER, NEVER, 0, lb_exists,
	  "0:r0=1 /\\ 1:r0=1", lb_mb0, lb_ctrl1),
	T("R+poonceonces", SOMETIMES, SOMETIMES, 0, r_exists,
	  "y=2 /\\ 1:r0=0", r_0, r_1),
	T("R+fencembonceonces", NEVER, NEVER, 0, r_exists,
	  "y=2 /\\ 1:r0=0", r_mb0, r_mb1),
	T("S+poonceonces", SOMETIMES, SOMETIMES, 0, s_exists,
	  "x=2 /\\ 1:r0=1", s_0, s_1),
	T("S+fencewmbonceonce+poacquireonce", NEVER, NEVER, 0, s_exists,
	  "x=2 /\\ 1:r0=1", s_wmb0, s_acq1),
	T("2+2W+poonceonces", SOMETIMES, SOMETIMES, 0, w22_exists,
	  "x=1 /\\ y=1", w22_0, w22_1),
	T("2+2W+fencembonceonces", NEVER, NEVER, 0, w22_exists,
	  "x=1 /\\ y=1", w22_mb0, w22_mb1),
	T("WRC+poonceonces+Once", SOMETIMES, SOMETIMES, 0, wrc_exists,
	  "1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0", x_1, wrc_1, wrc_2),
	T("WRC+pooncerelease+fencermbonceonce+Once", NEVER, NEVER, 0,
	  wrc_exists, "1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0", x_1, wrc_rel1, wrc_rmb2),
	T("IRIW+poonceonces+OnceOnce", SOMETIMES, SOMETIMES, 0, iriw_exists,
	  "1:r0=1 /\\ 1:r1=0 /\\ 3:r0=1 /\\ 3:r1=0", x_1, iriw_1, y_1, iriw_3),
	T("IRIW+fencembonceonces+OnceOnce", NEVER, NEVER, 0, iriw_exists,
	  "1:r0=1 /\\ 1:r1=0 /\\ 3:r0=1 /\\ 3:r1=0",
	  x_1, iriw_mb1, y_1, iriw_mb3),
	T("ISA2+poonceonces", SOMETIMES, SOMETIMES, 0, isa2_exists,
	  "1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0", isa2_0, isa2_1, isa2_2),
	T("ISA2+pooncerelease+poacquirerelease+poacquireonce", NEVER, NEVER, 0,
	  isa2_exists, "1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0",
	  isa2_rel0, isa2_acqrel1, isa2_acq2),
	T("CoRR+poonceonce+Once", NEVER, NEVER, 0, corr_exists,
	  "1:r0=1 /\\ 1:r1=0", x_1, corr_1),
	T("CoRW+poonceonce+Once", NEVER, NEVER, 0, corw_exists,
	  "x=2 /\\ 0:r0=2", corw_0, x_2),
	T("CoWR+poonceonce+Once", NEVER, NEVER, 0, cowr_exists,
	  "x=1 /\\ 0:r0=2", cowr_0, x_2),
	T("CoWW+poonceonce", NEVER, NEVER, 0, coww_exists, "x=1", coww_0),
	T("RCU+sync+read", NEVER, NEVER, 0, rcu_sync_read_exists,
	  "1:r0=1 /\\ 1:r1=0", rcu_write_xy, rcu_sync_read_xy),
	/* not in the kernel's set: the reader's side, a section that saw the
	 * store after a grace period sees the store before it */
	T("RCU+read+sync", NEVER, NEVER, 0, rcu_read_exists,
	  "0:r0=0 /\\ 0:r1=1", rcu_read_xy, rcu_sync_xy),
	/* the three shapes of issue 15 (the first is the kernel's test) */
	T("ISA2+pooncelock+pooncelock+pombonce", NEVER, NEVER, 0, isa2_exists,
	  "1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0", isa2_lock0, isa2_lock1, isa2_mb2),
	T("S+syncrcuonceonce+ctrlonceonce", NEVER, NEVER, 0, s_ctrl_exists,
	  "1:r0=1 /\\ x=1", s_sync0, s_ctrl1),
	T("S+atomicreturnonceonce+ctrlonceonce", NEVER, NEVER, 0, s_ctrl_exists,
	  "1:r0=1 /\\ x=1", s_atomic0, s_ctrl1),
	/* on Alpha the re-read pointer orders nothing without
	 * smp_read_barrier_depends */
	TA("MP+pooncerelease+derefdatarfiaddr", NEVER, NEVER, SOMETIMES, P_Q_Y, mp_exists,
	  "1:r1=x /\\ 1:r3=0", mp_relptr0, mp_rfi1),
	T("RCU+sync+free", NEVER, NEVER, P_X_ONE, rcu_free_exists,
	  "0:r0=x /\\ 0:r1=0", rcu_free_reader, rcu_free_updater),
	/* not in the kernel's set: RCU+sync+free with call_rcu */
	T("RCU+callrcu+free", NEVER, NEVER, P_X_ONE, rcu_free_exists,
	  "0:r0=x /\\ 0:r1=0", rcu_free_reader, rcu_call_updater),
};

#define NTESTS (sizeof(tests) / sizeof(tests[0]))

static void init(void)
{
	cur = scenario_running()->data;
	v = sched_world_alloc("litmus", sizeof(*v));
	memset(r, 0, sizeof(r));
	if (cur->init == P_Y)
		v->p = &v->y;
	if (cur->init == P_Q_Y)
		v->q = &v->y;
	if (cur->init == P_X_ONE) {
		v->p = &v->x;
		v->x = v->y = 1;
	}
}

static void cpu0(void) { cur->cpu[0](); }
static void cpu1(void) { cur->cpu[1](); }
static void cpu2(void) { cur->cpu[2](); }
static void cpu3(void) { cur->cpu[3](); }

/* Once every CPU is done: the exists clause, on the registers and the
 * final values. */
static void check(void)
{
	if (cur->exists())
		sched_report(LITMUS_EXISTS, "%s: exists (%s)", cur->name,
			     cur->exists_text);
}

size_t litmus_count(void)
{
	return NTESTS;
}

const struct litmus *litmus_test(size_t i)
{
	return i < NTESTS ? &tests[i] : NULL;
}

/* Each test as the scenario "litmus/NAME". */
static const struct scenario *litmus_scenario(size_t i)
{
	static struct scenario sc[NTESTS];
	static char names[NTESTS][96];

	if (i >= NTESTS)
		return NULL;
	if (!sc[i].name) {
		snprintf(names[i], sizeof(names[i]), "litmus/%s", tests[i].name);
		sc[i] = (struct scenario){
			.name = names[i],
			.summary = tests[i].lkmm == SOMETIMES ? "LKMM: Sometimes"
							      : "LKMM: Never",
			.init = init,
			.cpu = { cpu0, cpu1, cpu2, cpu3 },
			.ncpus = tests[i].ncpus,
			.check = check,
			.data = &tests[i],
		};
	}
	return &sc[i];
}
SCENARIO_SET(litmus_scenario);
