/*
 * test_primitives - the kernel primitives of sched/kernel.h beyond loads,
 * stores and spin locks, under sc: what each returns and stores, that a
 * trylock fails on a held lock, that a mutex blocks like a spin lock,
 * that a failed cmpxchg stores nothing, that a spin on a location blocks
 * instead of running to the step bound, and that each shows in the trace
 * under its own name.  tests/litmus/ has their orderings under weak
 * memory.
 */
#include <string.h>

#include "../sched/kernel.h"
#include "harness.h"

static struct world {
	spinlock_t lock;
	struct mutex mtx;
	struct rw_semaphore sem;
	atomic_t a;
	refcount_t ref;
	seqcount_t seq;
	long x, y, flag;
	long *ptr;
} *w;

static long r[2][4];		/* what each CPU saw: ghost registers */

static void init(void *arg)
{
	(void)arg;
	w = sched_world_alloc("w", sizeof(*w));
	memset(r, 0, sizeof(r));
}

static struct sched_result run(void (*cpu0)(void *), void (*cpu1)(void *),
			       const struct sched_script_run *runs, size_t n)
{
	struct sched_program prog = { .ncpus = cpu1 ? 2 : 1, .init = init,
				      .cpu = { cpu0, cpu1 } };
	struct sched_script_source src;
	struct sched_result res;

	sched_script_source_init(&src, runs, n);
	sched_run(&prog, &src.base, &res);
	return res;
}

/* Runs cpu0 alone to its end. */
static struct sched_result run1(void (*cpu0)(void *))
{
	static const struct sched_script_run all[] = { { 0, 0 } };

	return run(cpu0, NULL, all, 1);
}

/* Whether some event of the last execution reads as text (a substring). */
static bool traced(const char *text)
{
	char buf[320];

	for (size_t i = 0; i < sched_trace_len(); i++) {
		sched_describe_event(buf, sizeof(buf), sched_trace_event(i));
		if (strstr(buf, text))
			return true;
	}
	return false;
}

/* ---- locks -------------------------------------------------------------- */

static void hold_lock(void *arg)
{
	(void)arg;
	spin_lock(&w->lock);
	WRITE_ONCE(w->x, 1);
	spin_unlock(&w->lock);
}

static void try_lock(void *arg)
{
	(void)arg;
	r[1][0] = spin_is_locked(&w->lock);
	r[1][1] = spin_trylock(&w->lock);
	if (r[1][1])
		spin_unlock(&w->lock);
}

static void test_spin_trylock(void)
{
	static const struct sched_script_run held[] = { { 0, 1 }, { 1, 0 } };
	static const struct sched_script_run free_[] = { { 0, 0 }, { 1, 0 } };
	struct sched_result res = run(hold_lock, try_lock, held, 2);

	ok(first_verdict(&res) == SCHED_OK && r[1][0] == 1 && r[1][1] == 0,
	   "spin_trylock fails and spin_is_locked says 1 while cpu0 holds the lock");
	ok(traced("spin_trylock(&w->lock) fails") &&
	   traced("spin_is_locked(&w->lock): 1"),
	   "spin_trylock and spin_is_locked in the trace under their names");
	res = run(hold_lock, try_lock, free_, 2);
	ok(first_verdict(&res) == SCHED_OK && r[1][0] == 0 && r[1][1] == 1,
	   "spin_trylock takes a free lock, spin_is_locked says 0");
}

static void mutex_holder(void *arg)
{
	(void)arg;
	mutex_lock(&w->mtx);
	WRITE_ONCE(w->x, 1);
	mutex_unlock(&w->mtx);
}

static void mutex_taker(void *arg)
{
	(void)arg;
	r[1][0] = mutex_is_locked(&w->mtx);
	r[1][1] = mutex_trylock(&w->mtx);
	if (r[1][1])
		mutex_unlock(&w->mtx);
	mutex_lock(&w->mtx);
	r[1][2] = READ_ONCE(w->x);
	mutex_unlock(&w->mtx);
}

static void test_mutex(void)
{
	static const struct sched_script_run held[] = { { 0, 1 }, { 1, 0 } };
	struct sched_result res = run(mutex_holder, mutex_taker, held, 2);

	ok(first_verdict(&res) == SCHED_OK && r[1][0] == 1 && r[1][1] == 0,
	   "mutex_trylock fails and mutex_is_locked says 1 while it is held");
	ok(r[1][2] == 1 && traced("waits for &w->mtx") && res.steps == 9,
	   "mutex_lock blocks until the holder's mutex_unlock, with no "
	   "busy-wait steps (8 operations and one blocked attempt, got %u)",
	   res.steps);
	ok(traced("mutex_lock(&w->mtx)") && traced("mutex_unlock(&w->mtx)") &&
	   traced("mutex_trylock(&w->mtx) fails") &&
	   traced("mutex_is_locked(&w->mtx): 1"),
	   "the mutex calls in the trace under their names");
}

static void mutex_twice(void *arg)
{
	(void)arg;
	mutex_lock(&w->mtx);
	mutex_lock(&w->mtx);
}

static void mutex_unlock_free(void *arg)
{
	(void)arg;
	mutex_unlock(&w->mtx);
}

static void test_mutex_misuse(void)
{
	struct sched_result res = run1(mutex_twice);

	ok(first_verdict(&res) == SCHED_DEADLOCK &&
	   strstr(res.reports[0].detail, "which it already holds"),
	   "mutex_lock of a mutex the CPU holds: deadlock");
	res = run1(mutex_unlock_free);
	ok(first_verdict(&res) == SCHED_LOCK_MISMATCH,
	   "mutex_unlock of a free mutex: lock-mismatch");
}

static void rwsem_reader(void *arg)
{
	(void)arg;
	down_read(&w->sem);
	WRITE_ONCE(w->x, 1);
	up_read(&w->sem);
}

static void rwsem_trier(void *arg)
{
	(void)arg;
	r[1][3] = rwsem_is_locked(&w->sem);
	r[1][0] = down_write_trylock(&w->sem);
	r[1][1] = down_read_trylock(&w->sem);
	if (r[1][1])
		up_read(&w->sem);
	r[1][2] = down_write_trylock(&w->sem);
	if (r[1][2])
		up_write(&w->sem);
}

static void test_rwsem_trylock(void)
{
	static const struct sched_script_run reading[] = { { 0, 1 }, { 1, 0 } };
	static const struct sched_script_run free_[] = { { 0, 0 }, { 1, 0 } };
	struct sched_result res = run(rwsem_reader, rwsem_trier, reading, 2);

	ok(first_verdict(&res) == SCHED_OK && r[1][0] == 0 && r[1][1] == 1 &&
	   r[1][2] == 0 && r[1][3] == 1,
	   "while a reader holds it: rwsem_is_locked says 1, "
	   "down_write_trylock fails, down_read_trylock succeeds");
	ok(traced("down_write_trylock(&w->sem) fails") &&
	   traced("down_read_trylock(&w->sem)") &&
	   traced("rwsem_is_locked(&w->sem): 1"),
	   "the rwsem trylocks and rwsem_is_locked in the trace under their "
	   "names");
	res = run(rwsem_reader, rwsem_trier, free_, 2);
	ok(first_verdict(&res) == SCHED_OK && r[1][0] == 1 && r[1][1] == 0 &&
	   r[1][2] == 0 && r[1][3] == 0,
	   "rwsem_is_locked says 0 and down_write_trylock takes a free rwsem, "
	   "and then down_read_trylock fails");
}

/* ---- xchg and cmpxchg --------------------------------------------------- */

static void exchanges(void *arg)
{
	(void)arg;
	WRITE_ONCE(w->x, 3);
	r[0][0] = cmpxchg(&w->x, 4, 5);		/* mismatch: fails */
	r[0][1] = READ_ONCE(w->x);
	r[0][2] = cmpxchg_release(&w->x, 3, 7);	/* succeeds */
	r[0][3] = xchg_acquire(&w->x, 9);
	w->ptr = NULL;
	(void)xchg(&w->ptr, &w->y);
	r[1][0] = READ_ONCE(w->x);
	r[1][1] = cmpxchg_relaxed(&w->ptr, &w->y, &w->x) == &w->y;
	r[1][2] = READ_ONCE(w->ptr) == &w->x;
	r[1][3] = xchg_relaxed(&w->x, 1) + xchg_release(&w->x, 2) + xchg(&w->x, 0);
}

static void test_cmpxchg(void)
{
	struct sched_result res = run1(exchanges);

	ok(first_verdict(&res) == SCHED_OK && r[0][0] == 3 && r[0][1] == 3,
	   "cmpxchg on a mismatch returns the value found and stores nothing");
	ok(r[0][2] == 3 && r[0][3] == 7 && r[1][0] == 9,
	   "cmpxchg on a match stores, xchg returns the old value and stores");
	ok(r[1][1] && r[1][2] && r[1][3] == 9 + 1 + 2,
	   "xchg and cmpxchg on a pointer, and every form");
	ok(traced("cmpxchg(&w->x) fails, reads 3") &&
	   traced("cmpxchg_release(&w->x): 3 -> 7") &&
	   traced("xchg_acquire(&w->x): 7 -> 9") && traced("xchg(&w->ptr)"),
	   "cmpxchg and xchg in the trace under their names, a failed one as "
	   "such");
}

/* ---- atomic_t ------------------------------------------------------------ */

static void atomics(void *arg)
{
	atomic_t *a = &w->a;
	int *out = arg;

	(void)arg;
	atomic_set(a, 0);
	out[0] = atomic_inc_not_zero(a);		/* 0: stays 0 */
	out[1] = atomic_read(a);
	atomic_set(a, 1);
	out[2] = atomic_inc_not_zero(a);		/* 1 -> 2 */
	out[3] = atomic_add_unless(a, 3, 2);	/* at its limit */
	out[4] = atomic_add_unless(a, 3, 7);	/* 2 -> 5 */
	out[5] = atomic_read(a);
	out[6] = atomic_fetch_add(2, a);		/* 5 -> 7 */
	out[7] = atomic_fetch_sub_acquire(1, a);	/* 7 -> 6 */
	out[8] = atomic_fetch_or_release(8, a);	/* 6 -> 14 */
	out[9] = atomic_fetch_and_relaxed(12, a);	/* 14 -> 12 */
	out[10] = atomic_fetch_xor(5, a);		/* 12 -> 9 */
	out[11] = atomic_add_return_acquire(1, a);	/* 10 */
	out[12] = atomic_sub_return_release(2, a);	/* 8 */
	out[13] = atomic_inc_return_relaxed(a);	/* 9 */
	out[14] = atomic_dec_return(a);		/* 8 */
	out[15] = atomic_xchg(a, 4);		/* 8 -> 4 */
	out[16] = atomic_cmpxchg(a, 5, 6);		/* fails: 4 */
	out[17] = atomic_cmpxchg_acquire(a, 4, 6);	/* 4 -> 6 */
	out[18] = atomic_fetch_inc_release(a);	/* 6 -> 7 */
	out[19] = atomic_fetch_dec_relaxed(a);	/* 7 -> 6 */
	out[20] = atomic_read(a);
}

static void test_atomics(void)
{
	static const int want[] = { 0, 0, 1, 0, 1, 5, 5, 7, 6, 14, 12, 10, 8,
				    9, 8, 8, 4, 4, 6, 7, 6 };
	static int got[sizeof(want) / sizeof(want[0])];
	struct sched_program prog = { .ncpus = 1, .init = init,
				      .cpu = { atomics }, .arg = got };
	struct sched_bytes_source src;
	struct sched_result res;

	sched_bytes_source_init(&src, NULL, 0);
	sched_run(&prog, &src.base, &res);
	ok(first_verdict(&res) == SCHED_OK &&
	   !memcmp(got, want, sizeof(want)),
	   "atomic_t: inc_not_zero at zero fails and leaves 0, add_unless at "
	   "its limit fails, fetch_* return the old value, *_return the new, "
	   "cmpxchg fails on a mismatch");
	ok(traced("atomic_inc_not_zero(a [w]) fails, reads 0") &&
	   traced("atomic_inc_not_zero(a [w]): 1 -> 2") &&
	   traced("atomic_add_unless(a [w]) fails, reads 2") &&
	   traced("atomic_fetch_or_release(a [w]): 6 -> 14") &&
	   traced("atomic_cmpxchg(a [w]) fails, reads 4"),
	   "atomic_t operations in the trace under their names");
}

/* Every ordering form of a value-returning op gives, under sc, what its
 * fully ordered form gives: from 5, op(args) returns ret and leaves val. */
#define FORM(op, args, ret, val)                                             \
	do {                                                                 \
		atomic_set(&w->a, 5);                                        \
		*bad += op args != (ret) || atomic_read(&w->a) != (val);      \
		(*n)++;                                                      \
	} while (0)
#define FORMS(op, args, ret, val)                                            \
	do {                                                                 \
		FORM(op, args, ret, val);                                    \
		FORM(op##_acquire, args, ret, val);                          \
		FORM(op##_release, args, ret, val);                          \
		FORM(op##_relaxed, args, ret, val);                          \
	} while (0)

static void forms(void *arg)
{
	int *bad = arg, *n = bad + 1;
	atomic_t *a = &w->a;
	long *x = &w->x;

	FORMS(atomic_fetch_add, (3, a), 5, 8);
	FORMS(atomic_fetch_sub, (3, a), 5, 2);
	FORMS(atomic_fetch_and, (3, a), 5, 1);
	FORMS(atomic_fetch_or, (3, a), 5, 7);
	FORMS(atomic_fetch_xor, (3, a), 5, 6);
	FORMS(atomic_fetch_inc, (a), 5, 6);
	FORMS(atomic_fetch_dec, (a), 5, 4);
	FORMS(atomic_add_return, (3, a), 8, 8);
	FORMS(atomic_sub_return, (3, a), 2, 2);
	FORMS(atomic_inc_return, (a), 6, 6);
	FORMS(atomic_dec_return, (a), 4, 4);
	FORMS(atomic_xchg, (a, 9), 5, 9);
	FORMS(atomic_cmpxchg, (a, 5, 9), 5, 9);
	FORMS(atomic_cmpxchg, (a, 4, 9), 5, 5);
	WRITE_ONCE(*x, 5);
	*bad += cmpxchg_acquire(x, 5, 6) != 5 || READ_ONCE(*x) != 6;
	*bad += cmpxchg_acquire(x, 5, 7) != 6 || READ_ONCE(*x) != 6;
	*n += 2;
}

static void test_forms(void)
{
	static int out[2];
	struct sched_program prog = { .ncpus = 1, .init = init,
				      .cpu = { forms }, .arg = out };
	struct sched_bytes_source src;
	struct sched_result res;

	sched_bytes_source_init(&src, NULL, 0);
	sched_run(&prog, &src.base, &res);
	ok(first_verdict(&res) == SCHED_OK && !out[0] && out[1] == 58,
	   "every _acquire, _release and _relaxed form returns and stores "
	   "what its fully ordered form does (%d of %d wrong)", out[0],
	   out[1]);
}

static void refcounts(void *arg)
{
	int *out = arg;

	refcount_set(&w->ref, 1);
	refcount_inc(&w->ref);			/* 2 */
	out[0] = refcount_dec_and_test(&w->ref);	/* 1: false */
	out[1] = refcount_inc_not_zero(&w->ref);	/* 2 */
	out[2] = refcount_dec_and_test(&w->ref);	/* 1 */
	out[3] = refcount_dec_and_test(&w->ref);	/* 0: true */
	out[4] = refcount_inc_not_zero(&w->ref);	/* at 0: fails */
	out[5] = refcount_read(&w->ref);
}

/* Misuse: an increment from 0, then a decrement below 1. */
static void refcount_misuse(void *arg)
{
	(void)arg;
	refcount_set(&w->ref, 0);
	refcount_inc(&w->ref);			/* 0 -> 1: WARN */
	(void)refcount_dec_and_test(&w->ref);	/* 1 -> 0 */
	(void)refcount_dec_and_test(&w->ref);	/* 0 -> -1: WARN */
}

static void test_refcount(void)
{
	static const int want[] = { 0, 1, 0, 1, 0, 0 };
	static int got[6];
	struct sched_program prog = { .ncpus = 1, .init = init,
				      .cpu = { refcounts }, .arg = got };
	struct sched_bytes_source src;
	struct sched_result res;

	sched_bytes_source_init(&src, NULL, 0);
	sched_run(&prog, &src.base, &res);
	ok(first_verdict(&res) == SCHED_OK && !memcmp(got, want, sizeof(want)),
	   "refcount_t: dec_and_test true only at zero, inc_not_zero fails at "
	   "zero");
	ok(traced("refcount_dec_and_test(&(&w->ref)->refs): 1 -> 0") &&
	   traced("refcount_inc_not_zero(&(&w->ref)->refs) fails, reads 0"),
	   "refcount_t operations in the trace under their names");
	prog.cpu[0] = refcount_misuse;
	sched_bytes_source_init(&src, NULL, 0);
	sched_run(&prog, &src.base, &res);
	ok(eq_int(res.nreports, 2) && verdict_is(&res, SCHED_WARN) &&
	   contains(res.reports[0].detail, "refcount_t: addition on 0") &&
	   contains(res.reports[1].detail, "refcount_t: underflow"),
	   "refcount_t: an increment from 0 and a decrement below 1 WARN, as "
	   "lib/refcount.c does, and the execution goes on");
}

/* ---- barriers ------------------------------------------------------------ */

static void barriers(void *arg)
{
	(void)arg;
	smp_mb__before_atomic();
	atomic_inc(&w->a);
	smp_mb__after_atomic();
	spin_lock(&w->lock);
	smp_mb__after_spinlock();
	spin_unlock(&w->lock);
	spin_lock(&w->lock);
	smp_mb__after_unlock_lock();
	spin_unlock(&w->lock);
}

static void test_barriers(void)
{
	struct sched_result res = run1(barriers);

	ok(first_verdict(&res) == SCHED_OK && res.steps == 9 &&
	   traced("smp_mb__before_atomic()") && traced("smp_mb__after_atomic()") &&
	   traced("smp_mb__after_spinlock()") &&
	   traced("smp_mb__after_unlock_lock()") && traced("atomic_inc(&w->a)"),
	   "smp_mb__*: a scheduling point each, in the trace under its name");
}

/* ---- spinning: seqcount_t and smp_cond_load_* ---------------------------- */

static void seq_writer(void *arg)
{
	(void)arg;
	write_seqcount_begin(&w->seq);
	WRITE_ONCE(w->x, 1);
	WRITE_ONCE(w->y, 1);
	write_seqcount_end(&w->seq);
}

static void seq_reader(void *arg)
{
	unsigned seq;

	(void)arg;
	do {
		seq = read_seqcount_begin(&w->seq);
		r[1][0] = READ_ONCE(w->x);
		r[1][1] = READ_ONCE(w->y);
		r[1][2]++;
	} while (read_seqcount_retry(&w->seq, seq));
	r[1][3] = seq;
}

static void test_seqcount(void)
{
	static const struct sched_script_run mid_write[] = { { 0, 2 }, { 1, 0 } };
	static const struct sched_script_run torn[] = { { 1, 2 }, { 0, 0 },
							 { 1, 0 } };
	struct sched_result res = run(seq_writer, seq_reader, mid_write, 2);

	ok(first_verdict(&res) == SCHED_OK && r[1][0] == 1 && r[1][1] == 1 &&
	   r[1][2] == 1 && r[1][3] == 2 &&
	   traced("waits for a store to &w->seq"),
	   "read_seqcount_begin on a write in progress blocks until "
	   "write_seqcount_end, then reads the whole update (steps %u)",
	   res.steps);
	res = run(seq_writer, seq_reader, torn, 3);
	ok(first_verdict(&res) == SCHED_OK && r[1][0] == 1 && r[1][1] == 1 &&
	   r[1][2] == 2,
	   "a reader that read before the writer ran retries once and reads "
	   "the update");
	ok(traced("write_seqcount_begin(&w->seq): 1") &&
	   traced("write_seqcount_end(&w->seq): 2") &&
	   traced("read_seqcount_begin(&w->seq): 0") &&
	   traced("read_seqcount_retry(&w->seq): 2"),
	   "seqcount calls in the trace under their names");
}

/* Every interleaving, and under weak memory every store each load may
 * read: the reader never returns a torn pair, and never spins to the
 * step bound. */
static void test_seqcount_all(const char *memory)
{
	static struct sched_dfs_source dfs;
	struct sched_program prog = { .ncpus = 2, .init = init,
				      .cpu = { seq_writer, seq_reader } };
	struct sched_result res;
	unsigned long n = 0, torn = 0, bad = 0;

	sched_set_memory(memory);
	sched_dfs_source_init(&dfs, 64);
	do {
		sched_run(&prog, &dfs.base, &res);
		n++;
		torn += r[1][0] != r[1][1];
		bad += first_verdict(&res) != SCHED_OK;
	} while (sched_dfs_next(&dfs));
	sched_set_memory("sc");
	ok(!torn && !bad, "seqcount under %s: no torn read and no step-limit "
	   "in any of %lu executions", memory, n);
}

static void waiter(void *arg)
{
	(void)arg;
	r[0][0] = smp_cond_load_acquire(&w->flag, VAL == 2);
	r[0][1] = READ_ONCE(w->x);
}

static void setter(void *arg)
{
	(void)arg;
	WRITE_ONCE(w->x, 1);
	WRITE_ONCE(w->flag, 1);
	WRITE_ONCE(w->flag, 2);
}

static void test_cond_load(void)
{
	static const struct sched_script_run waiter_first[] = {
		{ 0, 0 }, { 1, 2 }, { 0, 0 }, { 1, 0 } };
	struct sched_result res = run(waiter, setter, waiter_first, 4);

	ok(first_verdict(&res) == SCHED_OK && r[0][0] == 2 && r[0][1] == 1 &&
	   res.steps < 12,
	   "smp_cond_load_acquire blocks until a store, checks again, returns "
	   "the value it waited for (%u steps)", res.steps);
	ok(traced("smp_cond_load_acquire(&w->flag): 0") &&
	   traced("smp_cond_load_acquire(&w->flag): 1") &&
	   traced("smp_cond_load_acquire(&w->flag): 2") &&
	   traced("waits for a store to &w->flag"),
	   "smp_cond_load_acquire in the trace under its name");
	res = run1(waiter);
	ok(first_verdict(&res) == SCHED_DEADLOCK &&
	   strstr(res.reports[0].detail, "waits for a store to &w->flag"),
	   "a spin nobody can end is a deadlock, not a step-limit (%s)",
	   res.reports[0].detail);
}

int main(void)
{
	test_spin_trylock();
	test_mutex();
	test_mutex_misuse();
	test_rwsem_trylock();
	test_cmpxchg();
	test_atomics();
	test_forms();
	test_refcount();
	test_barriers();
	test_seqcount();
	test_seqcount_all("sc");
	test_seqcount_all("weak");
	test_cond_load();
	return harness_exit();
}
