/*
 * interp.c - a litmus test's processes run on the engine: one CPU per
 * process, each primitive the engine's own (sched/kernel.h), so it is a
 * scheduling point, traced and ordered under the memory model as in
 * hand-written C.  Unlike hand-written C, the interpreter knows where
 * every value came from: each register carries the loads it depends on,
 * and each access names its address and value dependencies, and the
 * branches it sits in (sched_deps_next), as LKMM's addr, data and ctrl
 * relations have them; a control dependency covers the then- and
 * else-clauses of its if, not what follows it (explanation.txt).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "litmus.h"

/* ---- the primitives ------------------------------------------------------ */

enum prim_kind {
	K_LOAD, K_STORE, K_RMW, K_FENCE, K_NOP, K_RCU_LOCK, K_RCU_UNLOCK,
	K_SYNC_RCU, K_LOCK, K_UNLOCK, K_TRYLOCK, K_IS_LOCKED, K_DOWN, K_UP,
	K_DOWN_TRYLOCK, K_SEQ_BEGIN, K_SEQ_RETRY, K_SEQ_WRITE, K_COND_LOAD,
};

/* What a value-returning RMW gives back, from the value it read. */
enum prim_result {
	R_NONE, R_OLD, R_NEW, R_NEW_ZERO, R_NEW_NEG, R_ADDED, R_OLD_ONE,
};

struct lit_prim {
	const char *name;
	enum prim_kind kind;
	int nargs;
	int loc;		/* the location's argument, -1 none */
	bool deref;		/* written *E */
	enum sched_order ord;	/* loads and stores */
	bool mb_after;		/* smp_store_mb */
	/* RMWs: a and b from arguments a_arg, b_arg, else constants */
	enum sched_rmw_op op;
	enum sched_rmw_order rord;
	int a_arg, b_arg;
	int64_t a, b;
	bool negate;		/* sub: a is minus the argument */
	enum prim_result res;
	/* stores: the value's argument; fences; locks: write or end */
	int val;
	enum sched_fence fence;
	bool flag;
	const char *trace;	/* the name in the trace, NULL: the default */
};

#define LOAD(n, o, d) { .name = n, .kind = K_LOAD, .nargs = 1, .loc = 0, \
			.deref = d, .ord = o, .res = R_OLD }
#define STORE(n, o, d) { .name = n, .kind = K_STORE, .nargs = 2, .loc = 0, \
			 .deref = d, .ord = o, .val = 1 }
#define FENCE(n, f) { .name = n, .kind = K_FENCE, .loc = -1, .fence = f }
#define CALL0(n, k) { .name = n, .kind = k, .loc = -1 }
#define LOCKOP(n, k, w, t, r) { .name = n, .kind = k, .nargs = 1, .loc = 0, \
				.flag = w, .trace = t, .res = r }
/* An RMW of the location in argument l (of n): a, b from arguments aa,
 * ba (-1: the constants ac, bc). */
#define RMW(nm, o, n, l, aa, ac, ba, bc, neg, r, ro)                         \
	{ .name = nm, .kind = K_RMW, .nargs = n, .loc = l, .op = o,          \
	  .a_arg = aa, .a = ac, .b_arg = ba, .b = bc, .negate = neg,         \
	  .res = r, .rord = ro, .trace = nm }
#define RMW4(nm, o, n, l, aa, ac, ba, bc, neg, r)                            \
	RMW(nm, o, n, l, aa, ac, ba, bc, neg, r, SCHED_RMW_MB),              \
	RMW(nm "_acquire", o, n, l, aa, ac, ba, bc, neg, r, SCHED_RMW_ACQUIRE), \
	RMW(nm "_release", o, n, l, aa, ac, ba, bc, neg, r, SCHED_RMW_RELEASE), \
	RMW(nm "_relaxed", o, n, l, aa, ac, ba, bc, neg, r, SCHED_RMW_RELAXED)
#define ADD SCHED_RMW_ADD
#define RELAXED SCHED_RMW_RELAXED
#define MB SCHED_RMW_MB

static const struct lit_prim prims[] = {
	LOAD("READ_ONCE", SCHED_ORDER_ONCE, true),
	LOAD("smp_load_acquire", SCHED_ORDER_ACQUIRE, false),
	LOAD("rcu_dereference", SCHED_ORDER_DEPENDS, true),
	LOAD("atomic_read", SCHED_ORDER_ONCE, false),
	LOAD("atomic_read_acquire", SCHED_ORDER_ACQUIRE, false),
	LOAD("refcount_read", SCHED_ORDER_ONCE, false),
	STORE("WRITE_ONCE", SCHED_ORDER_ONCE, true),
	STORE("smp_store_release", SCHED_ORDER_RELEASE, false),
	STORE("rcu_assign_pointer", SCHED_ORDER_RELEASE, true),
	STORE("atomic_set", SCHED_ORDER_ONCE, false),
	STORE("atomic_set_release", SCHED_ORDER_RELEASE, false),
	STORE("refcount_set", SCHED_ORDER_ONCE, false),
	{ .name = "smp_store_mb", .kind = K_STORE, .nargs = 2, .loc = 0,
	  .deref = true, .ord = SCHED_ORDER_ONCE, .val = 1, .mb_after = true },
	FENCE("smp_mb", SCHED_FENCE_MB),
	FENCE("smp_rmb", SCHED_FENCE_RMB),
	FENCE("smp_wmb", SCHED_FENCE_WMB),
	FENCE("smp_read_barrier_depends", SCHED_FENCE_READ_DEPENDS),
	FENCE("smp_mb__before_atomic", SCHED_FENCE_MB),
	FENCE("smp_mb__after_atomic", SCHED_FENCE_MB),
	FENCE("smp_mb__after_spinlock", SCHED_FENCE_MB),
	FENCE("smp_mb__after_unlock_lock", SCHED_FENCE_MB),
	CALL0("barrier", K_NOP),	/* orders plain accesses only */
	CALL0("rcu_read_lock", K_RCU_LOCK),
	CALL0("rcu_read_unlock", K_RCU_UNLOCK),
	CALL0("synchronize_rcu", K_SYNC_RCU),
	CALL0("synchronize_rcu_expedited", K_SYNC_RCU),
	LOCKOP("spin_lock", K_LOCK, false, NULL, R_NONE),
	LOCKOP("spin_unlock", K_UNLOCK, false, NULL, R_NONE),
	LOCKOP("spin_trylock", K_TRYLOCK, false, "spin_trylock", R_OLD),
	LOCKOP("spin_is_locked", K_IS_LOCKED, false, "spin_is_locked", R_OLD),
	LOCKOP("mutex_lock", K_LOCK, false, "mutex_lock", R_NONE),
	LOCKOP("mutex_unlock", K_UNLOCK, false, "mutex_unlock", R_NONE),
	LOCKOP("mutex_trylock", K_TRYLOCK, false, "mutex_trylock", R_OLD),
	LOCKOP("mutex_is_locked", K_IS_LOCKED, false, "mutex_is_locked", R_OLD),
	LOCKOP("down_read", K_DOWN, false, NULL, R_NONE),
	LOCKOP("down_write", K_DOWN, true, NULL, R_NONE),
	LOCKOP("up_read", K_UP, false, NULL, R_NONE),
	LOCKOP("up_write", K_UP, true, NULL, R_NONE),
	LOCKOP("down_read_trylock", K_DOWN_TRYLOCK, false, NULL, R_OLD),
	LOCKOP("down_write_trylock", K_DOWN_TRYLOCK, true, NULL, R_OLD),
	LOCKOP("read_seqcount_begin", K_SEQ_BEGIN, false, NULL, R_OLD),
	{ .name = "read_seqcount_retry", .kind = K_SEQ_RETRY, .nargs = 2,
	  .loc = 0, .val = 1, .res = R_OLD },
	LOCKOP("write_seqcount_begin", K_SEQ_WRITE, false, NULL, R_NONE),
	LOCKOP("write_seqcount_end", K_SEQ_WRITE, true, NULL, R_NONE),
	{ .name = "smp_cond_load_relaxed", .kind = K_COND_LOAD, .nargs = 2,
	  .loc = 0, .ord = SCHED_ORDER_ONCE, .res = R_OLD },
	{ .name = "smp_cond_load_acquire", .kind = K_COND_LOAD, .nargs = 2,
	  .loc = 0, .ord = SCHED_ORDER_ACQUIRE, .res = R_OLD },
	/* atomic_t, as linux-kernel.def has it: (V, X) */
	RMW("atomic_add", ADD, 2, 1, 0, 0, -1, 0, false, R_NONE, RELAXED),
	RMW("atomic_sub", ADD, 2, 1, 0, 0, -1, 0, true, R_NONE, RELAXED),
	RMW("atomic_inc", ADD, 1, 0, -1, 1, -1, 0, false, R_NONE, RELAXED),
	RMW("atomic_dec", ADD, 1, 0, -1, -1, -1, 0, false, R_NONE, RELAXED),
	RMW("atomic_and", SCHED_RMW_AND, 2, 1, 0, 0, -1, 0, false, R_NONE, RELAXED),
	RMW("atomic_or", SCHED_RMW_OR, 2, 1, 0, 0, -1, 0, false, R_NONE, RELAXED),
	RMW("atomic_xor", SCHED_RMW_XOR, 2, 1, 0, 0, -1, 0, false, R_NONE, RELAXED),
	RMW4("atomic_add_return", ADD, 2, 1, 0, 0, -1, 0, false, R_NEW),
	RMW4("atomic_sub_return", ADD, 2, 1, 0, 0, -1, 0, true, R_NEW),
	RMW4("atomic_inc_return", ADD, 1, 0, -1, 1, -1, 0, false, R_NEW),
	RMW4("atomic_dec_return", ADD, 1, 0, -1, -1, -1, 0, false, R_NEW),
	RMW4("atomic_fetch_add", ADD, 2, 1, 0, 0, -1, 0, false, R_OLD),
	RMW4("atomic_fetch_sub", ADD, 2, 1, 0, 0, -1, 0, true, R_OLD),
	RMW4("atomic_fetch_inc", ADD, 1, 0, -1, 1, -1, 0, false, R_OLD),
	RMW4("atomic_fetch_dec", ADD, 1, 0, -1, -1, -1, 0, false, R_OLD),
	RMW4("atomic_fetch_and", SCHED_RMW_AND, 2, 1, 0, 0, -1, 0, false, R_OLD),
	RMW4("atomic_fetch_or", SCHED_RMW_OR, 2, 1, 0, 0, -1, 0, false, R_OLD),
	RMW4("atomic_fetch_xor", SCHED_RMW_XOR, 2, 1, 0, 0, -1, 0, false, R_OLD),
	RMW4("atomic_xchg", SCHED_RMW_XCHG, 2, 0, 1, 0, -1, 0, false, R_OLD),
	RMW4("atomic_cmpxchg", SCHED_RMW_CMPXCHG, 3, 0, 1, 0, 2, 0, false, R_OLD),
	RMW4("xchg", SCHED_RMW_XCHG, 2, 0, 1, 0, -1, 0, false, R_OLD),
	RMW4("cmpxchg", SCHED_RMW_CMPXCHG, 3, 0, 1, 0, 2, 0, false, R_OLD),
	RMW("atomic_sub_and_test", ADD, 2, 1, 0, 0, -1, 0, true, R_NEW_ZERO, MB),
	RMW("atomic_dec_and_test", ADD, 1, 0, -1, -1, -1, 0, false, R_NEW_ZERO, MB),
	RMW("atomic_inc_and_test", ADD, 1, 0, -1, 1, -1, 0, false, R_NEW_ZERO, MB),
	RMW("atomic_add_negative", ADD, 2, 1, 0, 0, -1, 0, false, R_NEW_NEG, MB),
	RMW("atomic_add_unless", SCHED_RMW_ADD_UNLESS, 3, 0, 1, 0, 2, 0, false,
	    R_ADDED, MB),
	RMW("atomic_inc_not_zero", SCHED_RMW_ADD_UNLESS, 1, 0, -1, 1, -1, 0,
	    false, R_ADDED, MB),
	/* refcount_t (refcount-vs-atomic.rst) */
	RMW("refcount_inc", ADD, 1, 0, -1, 1, -1, 0, false, R_NONE, RELAXED),
	RMW("refcount_inc_not_zero", SCHED_RMW_ADD_UNLESS, 1, 0, -1, 1, -1, 0,
	    false, R_ADDED, RELAXED),
	RMW("refcount_dec_and_test", ADD, 1, 0, -1, -1, -1, 0, false,
	    R_OLD_ONE, SCHED_RMW_DEC_AND_TEST),
};

/* In the format (linux-kernel.def) but not in the engine. */
static const struct {
	const char *name, *why;
} unsupported[] = {
	{ "srcu_read_lock", "no SRCU in the engine" },
	{ "srcu_read_unlock", "no SRCU in the engine" },
	{ "synchronize_srcu", "no SRCU in the engine" },
	{ "synchronize_srcu_expedited", "no SRCU in the engine" },
	{ "smp_mb__after_srcu_read_unlock", "no SRCU in the engine" },
	{ "call_rcu", "a litmus test has no callback functions" },
};

const struct lit_prim *lit_prim_find(const char *name, const char **why)
{
	for (size_t i = 0; i < sizeof(prims) / sizeof(prims[0]); i++)
		if (!strcmp(prims[i].name, name))
			return &prims[i];
	*why = NULL;
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (!strcmp(unsupported[i].name, name))
			*why = unsupported[i].why;
	return NULL;
}

const char *lit_prim_name(const struct lit_prim *p)
{
	return p->name;
}

int lit_prim_nargs(const struct lit_prim *p)
{
	return p->nargs;
}

bool lit_prim_has_value(const struct lit_prim *p)
{
	return p->res != R_NONE;
}

int lit_prim_loc_arg(const struct lit_prim *p, bool *deref)
{
	*deref = p->deref;
	return p->loc;
}

/* ---- values and the loads they depend on -------------------------------- */

struct deps {
	unsigned n;
	uint32_t id[LIT_MAX_DEPS];
};

struct val {
	int64_t v;
	struct deps d;
};

static const struct lit_test *test;
static uint8_t *cells[LIT_MAX_VARS];
static struct val regs[LIT_MAX_PROCS][LIT_MAX_REGS];
static struct val cond_val[LIT_MAX_PROCS];	/* VAL in smp_cond_load_* */
static char run_error[320];

/* A run cannot go on: say where, and end it (as a null-deref verdict,
 * which the search reads as this error). */
static void run_fail(struct lit_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void run_fail(struct lit_pos pos, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(run_error, sizeof(run_error), "%s:%d:%d: ",
			 test->path, pos.line, pos.col);

	va_start(ap, fmt);
	vsnprintf(run_error + n, sizeof(run_error) - (size_t)n, fmt, ap);
	va_end(ap);
	sched_report(SCHED_ASSERT, "%s", run_error);
}

static void add_dep(struct deps *d, uint32_t id, struct lit_pos pos)
{
	for (unsigned i = 0; i < d->n; i++)
		if (d->id[i] == id)
			return;
	if (d->n == LIT_MAX_DEPS)
		run_fail(pos, "a value depending on more than %d loads",
			 LIT_MAX_DEPS);
	d->id[d->n++] = id;
}

static void join(struct deps *d, const struct deps *e, struct lit_pos pos)
{
	for (unsigned i = 0; i < e->n; i++)
		add_dep(d, e->id[i], pos);
}

/* The value a load or RMW just returned: depends on that load. */
static struct val loaded(int64_t v, struct lit_pos pos)
{
	struct val r = { v, { 0 } };
	uint32_t id = sched_dep_last_load();

	if (id)
		add_dep(&r.d, id, pos);
	return r;
}

/* The variable a pointer value points to. */
static void *location(struct val addr, struct lit_pos pos)
{
	for (int i = 0; i < test->nvars; i++)
		if ((int64_t)(uintptr_t)cells[i] == addr.v)
			return cells[i];
	run_fail(pos, "a pointer to no shared variable (%lld)",
		 (long long)addr.v);
	return NULL;
}

/* ---- expressions --------------------------------------------------------- */

static struct val eval(const struct lit_expr *e, const struct deps *ctrl);

static int64_t binop(int op, int64_t a, int64_t b, struct lit_pos pos)
{
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;

	switch (op) {
	case '+': return (int64_t)(ua + ub);
	case '-': return (int64_t)(ua - ub);
	case '*': return (int64_t)(ua * ub);
	case '/':
	case '%':
		if (!b || (a == INT64_MIN && b == -1))
			run_fail(pos, "a division by %lld", (long long)b);
		return op == '/' ? a / b : a % b;
	case '&': return a & b;
	case '|': return a | b;
	case '^': return a ^ b;
	case '<' << 8 | '<': return (int64_t)(ua << (ub & 63));
	case '>' << 8 | '>': return a >> (ub & 63);
	case '=' << 8 | '=': return a == b;
	case '!' << 8 | '=': return a != b;
	case '<': return a < b;
	case '>': return a > b;
	case '<' << 8 | '=': return a <= b;
	case '>' << 8 | '=': return a >= b;
	}
	return 0;
}

static struct val binary(const struct lit_expr *e, const struct deps *ctrl)
{
	struct val a = eval(e->a, ctrl), b;

	if (e->op == ('&' << 8 | '&') || e->op == ('|' << 8 | '|')) {
		bool and = e->op == ('&' << 8 | '&');

		if (and ? !a.v : !!a.v) {	/* C's short circuit */
			a.v = !and;
			return a;
		}
		b = eval(e->b, ctrl);
		join(&a.d, &b.d, e->pos);
		a.v = !!b.v;
		return a;
	}
	b = eval(e->b, ctrl);
	join(&a.d, &b.d, e->pos);
	a.v = binop(e->op, a.v, b.v, e->pos);
	return a;
}

static struct val call(const struct lit_expr *e, const struct deps *ctrl);

static struct val eval(const struct lit_expr *e, const struct deps *ctrl)
{
	int cpu = sched_current_cpu();
	struct val v = { 0, { 0 } }, c;

	switch (e->kind) {
	case LIT_E_NUM:
		v.v = e->num;
		return v;
	case LIT_E_REG:
		return regs[cpu][e->idx];
	case LIT_E_VAR:
		v.v = (int64_t)(uintptr_t)cells[e->idx];
		return v;
	case LIT_E_VAL:
		return cond_val[cpu];
	case LIT_E_UNARY:
		v = eval(e->a, ctrl);
		v.v = e->op == '-' ? (int64_t)(0 - (uint64_t)v.v) :
		      e->op == '!' ? !v.v : e->op == '~' ? ~v.v : v.v;
		return v;
	case LIT_E_BINARY:
		return binary(e, ctrl);
	case LIT_E_COND:
		c = eval(e->a, ctrl);
		v = eval(c.v ? e->b : e->c, ctrl);
		join(&v.d, &c.d, e->pos);
		return v;
	case LIT_E_ASSIGN:
		v = eval(e->b, ctrl);
		regs[cpu][e->a->idx] = v;
		return v;
	case LIT_E_CALL:
		return call(e, ctrl);
	case LIT_E_DEREF:	/* the parser lets none through */
		break;
	}
	run_fail(e->pos, "an expression the interpreter cannot evaluate");
	return v;
}

/* ---- primitives ---------------------------------------------------------- */

/* Names the loads the next access depends on: dep (its address, its
 * value) and, for stores, the branches around it. */
static void depend(const struct deps *dep, const struct deps *ctrl)
{
	if (dep->n || (ctrl && ctrl->n))
		sched_deps_next(dep->id, dep->n, ctrl ? ctrl->id : NULL,
				ctrl ? ctrl->n : 0);
}

static struct val rmw(const struct lit_expr *e, const struct lit_prim *p,
		      struct val addr, const struct deps *ctrl)
{
	struct val a = { p->a, { 0 } }, b = { p->b, { 0 } };
	struct deps dep = addr.d;
	void *loc = location(addr, e->pos);
	int64_t old;

	if (p->a_arg >= 0)
		a = eval(e->args[p->a_arg], ctrl);
	if (p->b_arg >= 0)
		b = eval(e->args[p->b_arg], ctrl);
	if (p->negate)
		a.v = (int64_t)(0 - (uint64_t)a.v);
	join(&dep, &a.d, e->pos);
	join(&dep, &b.d, e->pos);
	depend(&dep, ctrl);
	old = (int64_t)sched_rmw(loc, 8, p->op, (uint64_t)a.v, (uint64_t)b.v,
				 p->rord, p->trace, e->what, (struct sched_site *)&e->site);
	switch (p->res) {
	case R_NEW: return loaded((int64_t)((uint64_t)old + (uint64_t)a.v), e->pos);
	case R_NEW_ZERO: return loaded((int64_t)((uint64_t)old + (uint64_t)a.v) == 0, e->pos);
	case R_NEW_NEG: return loaded((int64_t)((uint64_t)old + (uint64_t)a.v) < 0, e->pos);
	case R_ADDED: return loaded(old != b.v, e->pos);
	case R_OLD_ONE: return loaded(old == 1, e->pos);
	default: return loaded(old, e->pos);
	}
}

static struct val call(const struct lit_expr *e, const struct deps *ctrl)
{
	const struct lit_prim *p = e->prim;
	struct sched_site *site = (struct sched_site *)&e->site;
	struct val addr = { 0, { 0 } }, v = { 0, { 0 } }, r = { 0, { 0 } };
	struct deps dep;
	void *loc = NULL;
	int cpu = sched_current_cpu();

	if (p->loc >= 0)
		addr = eval(e->args[p->loc], ctrl);
	if (p->kind != K_RMW && p->loc >= 0)
		loc = location(addr, e->pos);
	switch (p->kind) {
	case K_LOAD:
		depend(&addr.d, NULL);
		return loaded((int64_t)sched_load(loc, 8, p->ord, e->what, site),
			      e->pos);
	case K_STORE:
		v = eval(e->args[p->val], ctrl);
		dep = addr.d;
		join(&dep, &v.d, e->pos);
		depend(&dep, ctrl);
		sched_store(loc, 8, (uint64_t)v.v, p->ord, e->what, site);
		if (p->mb_after)
			sched_barrier(SCHED_FENCE_MB, "smp_mb", site);
		return r;
	case K_RMW:
		return rmw(e, p, addr, ctrl);
	case K_FENCE:
		sched_barrier(p->fence, p->name, site);
		return r;
	case K_NOP:
		return r;
	case K_RCU_LOCK:
		sched_rcu_read_lock(site);
		return r;
	case K_RCU_UNLOCK:
		sched_rcu_read_unlock(site);
		return r;
	case K_SYNC_RCU:
		sched_synchronize_rcu(site);
		return r;
	case K_LOCK:
		sched_lock(loc, p->trace, e->what, site);
		return r;
	case K_UNLOCK:
		sched_unlock(loc, p->trace, e->what, site);
		return r;
	case K_TRYLOCK:
		r.v = sched_trylock(loc, p->trace, e->what, site);
		return r;
	case K_IS_LOCKED:
		r.v = sched_is_locked(loc, p->trace, e->what, site);
		return r;
	case K_DOWN:
		sched_down(loc, p->flag, e->what, site);
		return r;
	case K_UP:
		sched_up(loc, p->flag, e->what, site);
		return r;
	case K_DOWN_TRYLOCK:
		r.v = sched_down_trylock(loc, p->flag, e->what, site);
		return r;
	case K_SEQ_BEGIN:
		depend(&addr.d, NULL);
		return loaded(sched_read_seqcount_begin(loc, e->what, site),
			      e->pos);
	case K_SEQ_RETRY:
		v = eval(e->args[p->val], ctrl);
		depend(&addr.d, NULL);
		r = loaded(sched_read_seqcount_retry(loc, (unsigned)v.v,
						     e->what, site), e->pos);
		join(&r.d, &v.d, e->pos);
		return r;
	case K_SEQ_WRITE:
		sched_write_seqcount(loc, p->flag, e->what, site);
		return r;
	case K_COND_LOAD:
		depend(&addr.d, NULL);
		cond_val[cpu] = loaded((int64_t)sched_load_named(loc, 8, p->ord,
					p->name, e->what, site), e->pos);
		while (!eval(e->args[1], ctrl).v) {
			depend(&addr.d, NULL);
			cond_val[cpu] = loaded((int64_t)sched_reload(loc, 8,
					p->ord, p->name, e->what, site), e->pos);
		}
		return cond_val[cpu];
	}
	return r;
}

/* ---- statements and processes ------------------------------------------- */

static void exec(const struct lit_stmt *s, const struct deps *ctrl)
{
	for (; s; s = s->next) {
		struct val c;
		struct deps inner;

		switch (s->kind) {
		case LIT_S_EXPR:
			(void)eval(s->e, ctrl);
			break;
		case LIT_S_BLOCK:
			exec(s->body, ctrl);
			break;
		case LIT_S_IF:
			c = eval(s->e, ctrl);
			inner = *ctrl;
			join(&inner, &c.d, s->e->pos);
			exec(c.v ? s->then : s->els, &inner);
			break;
		}
	}
}

static void process(void *arg)
{
	const struct lit_test *t = arg;
	struct deps none = { 0 };

	exec(t->procs[sched_current_cpu()].body, &none);
}

/* The world: one object per variable, named as the test names it (the
 * trace reads "x"), each in a granule of its own. */
static void init(void *arg)
{
	const struct lit_test *t = arg;

	test = t;
	run_error[0] = 0;
	for (int i = 0; i < t->nvars; i++)
		cells[i] = sched_world_alloc(t->vars[i].name, 8);
	for (int i = 0; i < t->nvars; i++) {
		const struct lit_var *v = &t->vars[i];
		int64_t x = v->init_addr >= 0 ?
			    (int64_t)(uintptr_t)cells[v->init_addr] : v->init;

		memcpy(cells[i], &x, sizeof(x));
	}
	memset(regs, 0, sizeof(regs));
	for (int c = 0; c < t->nprocs; c++)
		for (int r = 0; r < t->procs[c].nregs; r++)
			regs[c][r].v = t->procs[c].reg_init_addr[r] >= 0 ?
				(int64_t)(uintptr_t)cells[t->procs[c].reg_init_addr[r]] :
				t->procs[c].reg_init[r];
}

void lit_program(const struct lit_test *t, struct sched_program *prog)
{
	*prog = (struct sched_program){ .ncpus = t->nprocs, .init = init,
					.arg = (void *)t };
	for (int c = 0; c < t->nprocs; c++)
		prog->cpu[c] = process;
}

int64_t lit_final_value(const struct lit_test *t, struct lit_loc loc)
{
	int64_t v;

	(void)t;
	if (loc.proc >= 0)
		return regs[loc.proc][loc.idx].v;
	memcpy(&v, cells[loc.idx], sizeof(v));
	return v;
}

int64_t lit_var_addr(int idx)
{
	return (int64_t)(uintptr_t)cells[idx];
}

const char *lit_run_error(void)
{
	return run_error[0] ? run_error : NULL;
}
