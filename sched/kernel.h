/*
 * kernel.h - kernel-named shims for model code.
 *
 * Model code is written against these names (READ_ONCE, spin_lock,
 * atomic_add_negative, rcu_read_lock, kmem_cache_alloc, list_add, ...) and
 * reads like the kernel code it models.  Every one of them ends in one
 * scheduling point in the engine (sched_point) and is recorded in the trace
 * with its call site; loads return their value through the engine.
 *
 * Before the CPUs start (while the program's init builds the world) the
 * same calls run straight through: no scheduling point, no decision taken,
 * nothing recorded.
 */
#ifndef SCHED_KERNEL_H
#define SCHED_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sched.h"

/* ---- memory ------------------------------------------------------------- */

/* How an access is ordered; it matters only in the weak memory mode
 * (weak.c says what each one means there). */
enum sched_order {
	SCHED_ORDER_ONCE,	/* READ_ONCE, WRITE_ONCE, ACCESS_ONCE */
	SCHED_ORDER_ACQUIRE,	/* smp_load_acquire */
	SCHED_ORDER_RELEASE,	/* smp_store_release, rcu_assign_pointer */
	SCHED_ORDER_DEPENDS,	/* rcu_dereference: ONCE, then
				   smp_read_barrier_depends */
	SCHED_ORDER_LATEST,	/* the engine's own accesses, atomics */
};

uint64_t sched_load(const volatile void *p, int size, enum sched_order ord,
		    const char *what, struct sched_site *site);
void sched_store(volatile void *p, int size, uint64_t v, enum sched_order ord,
		 const char *what, struct sched_site *site);

#define sched_val_(x, v) ((__typeof__(x))(uintptr_t)(v))
/* what: the expression as written (stringified before expansion) */
#define sched_read_(x, ord, what)                                     \
	sched_val_(x, sched_load(&(x), sizeof(x), ord, what, SCHED_SITE()))
#define sched_write_(x, v, ord, what)                                 \
	sched_store(&(x), sizeof(x), (uint64_t)(uintptr_t)(v), ord, what, \
		    SCHED_SITE())

#define READ_ONCE(x) sched_read_(x, SCHED_ORDER_ONCE, #x)
#define ACCESS_ONCE(x) READ_ONCE(x)
#define WRITE_ONCE(x, v) sched_write_(x, v, SCHED_ORDER_ONCE, #x)
#define smp_load_acquire(p) sched_read_(*(p), SCHED_ORDER_ACQUIRE, #p)
#define smp_store_release(p, v)                                       \
	sched_write_(*(p), v, SCHED_ORDER_RELEASE, #p)
#define rcu_dereference(p) sched_read_(p, SCHED_ORDER_DEPENDS, #p)
#define rcu_assign_pointer(p, v) sched_write_(p, v, SCHED_ORDER_RELEASE, #p)

/* A load traced under the primitive's own name prim. */
uint64_t sched_load_named(const volatile void *p, int size,
			  enum sched_order ord, const char *prim,
			  const char *what, struct sched_site *site);

/*
 * Spinning.  A CPU that spins on a location until another CPU changes it
 * must not spin in steps: under the default schedule (the current CPU
 * goes on) it would spin to the step bound.  sched_reload() is one more
 * iteration of such a spin: in the weak mode, when the CPU has not read
 * the newest store to p yet, it sees a newer one (a store becomes
 * visible eventually); otherwise it blocks until some CPU stores to p's
 * 8-byte granule (a deadlock when none can), then loads p again, in the
 * same step.  smp_cond_load_*() and read_seqcount_begin() spin this way;
 * a hand-written while (!READ_ONCE(x)) loop still runs to the step bound.
 */
uint64_t sched_reload(const volatile void *p, int size, enum sched_order ord,
		      const char *prim, const char *what,
		      struct sched_site *site);

/* The kernel's spin until cond_expr (on VAL, the value read) holds;
 * returns that value. */
#define sched_cond_load_(p, cond_expr, ord, name)                            \
	({                                                                   \
		__typeof__(*(p)) VAL;                                        \
		struct sched_site *site_ = SCHED_SITE();                     \
		VAL = sched_val_(*(p), sched_load_named(p, sizeof(*(p)), ord, \
							name, #p, site_));   \
		while (!(cond_expr))                                         \
			VAL = sched_val_(*(p), sched_reload(p, sizeof(*(p)), \
						ord, name, #p, site_));      \
		VAL;                                                         \
	})
#define smp_cond_load_relaxed(p, cond_expr)                                  \
	sched_cond_load_(p, cond_expr, SCHED_ORDER_ONCE, "smp_cond_load_relaxed")
#define smp_cond_load_acquire(p, cond_expr)                                  \
	sched_cond_load_(p, cond_expr, SCHED_ORDER_ACQUIRE, "smp_cond_load_acquire")

/* ---- atomic read-modify-writes ------------------------------------------ */

enum sched_rmw_op {
	SCHED_RMW_ADD, SCHED_RMW_AND, SCHED_RMW_OR, SCHED_RMW_XOR,
	SCHED_RMW_XCHG,		/* stores a */
	SCHED_RMW_CMPXCHG,	/* stores b if the value is a, else fails */
	SCHED_RMW_ADD_UNLESS,	/* adds a unless the value is b, else fails */
};

/* LKMM's orderings of an RMW; only one that stores is ordered (a failed
 * cmpxchg is a plain read).  weak.c says what each means. */
enum sched_rmw_order {
	SCHED_RMW_RELAXED,	/* _relaxed, and the atomics returning nothing */
	SCHED_RMW_ACQUIRE,	/* _acquire: the read is an acquire */
	SCHED_RMW_RELEASE,	/* _release: the store is a release */
	SCHED_RMW_MB,		/* fully ordered: the value-returning forms */
	SCHED_RMW_DEC_AND_TEST,	/* refcount_dec_and_test: release, and
				   acquire when it reaches zero */
};

/* One atomic RMW of size bytes at p, one scheduling point, traced as
 * prim ("cmpxchg", "atomic_fetch_add_release", ...); returns the value
 * read. */
uint64_t sched_rmw(volatile void *p, int size, enum sched_rmw_op op,
		   uint64_t a, uint64_t b, enum sched_rmw_order ord,
		   const char *prim, const char *what, struct sched_site *site);

/* xchg and cmpxchg on a plain variable of any size (a pointer too). */
#define sched_xchg_(p, v, ord, name)                                         \
	sched_val_(*(p), sched_rmw(p, sizeof(*(p)), SCHED_RMW_XCHG,          \
		   (uint64_t)(uintptr_t)(v), 0, SCHED_RMW_##ord, name, #p,    \
		   SCHED_SITE()))
#define sched_cmpxchg_(p, o, n, ord, name)                                   \
	sched_val_(*(p), sched_rmw(p, sizeof(*(p)), SCHED_RMW_CMPXCHG,       \
		   (uint64_t)(uintptr_t)(o), (uint64_t)(uintptr_t)(n),        \
		   SCHED_RMW_##ord, name, #p, SCHED_SITE()))
#define xchg(p, v) sched_xchg_(p, v, MB, "xchg")
#define xchg_acquire(p, v) sched_xchg_(p, v, ACQUIRE, "xchg_acquire")
#define xchg_release(p, v) sched_xchg_(p, v, RELEASE, "xchg_release")
#define xchg_relaxed(p, v) sched_xchg_(p, v, RELAXED, "xchg_relaxed")
#define cmpxchg(p, o, n) sched_cmpxchg_(p, o, n, MB, "cmpxchg")
#define cmpxchg_acquire(p, o, n) sched_cmpxchg_(p, o, n, ACQUIRE, "cmpxchg_acquire")
#define cmpxchg_release(p, o, n) sched_cmpxchg_(p, o, n, RELEASE, "cmpxchg_release")
#define cmpxchg_relaxed(p, o, n) sched_cmpxchg_(p, o, n, RELAXED, "cmpxchg_relaxed")

/* ---- atomics ------------------------------------------------------------ */

typedef struct { int counter; } atomic_t;
#define ATOMIC_INIT(i) { (i) }

#define atomic_read(v)                                                \
	((int)sched_load(&(v)->counter, sizeof(int), SCHED_ORDER_ONCE, #v, \
			 SCHED_SITE()))
#define atomic_set(v, i)                                              \
	sched_store(&(v)->counter, sizeof(int), (uint64_t)(i),         \
		    SCHED_ORDER_ONCE, #v, SCHED_SITE())
#define atomic_read_acquire(v)                                        \
	((int)sched_load(&(v)->counter, sizeof(int), SCHED_ORDER_ACQUIRE, #v, \
			 SCHED_SITE()))
#define atomic_set_release(v, i)                                      \
	sched_store(&(v)->counter, sizeof(int), (uint64_t)(i),         \
		    SCHED_ORDER_RELEASE, #v, SCHED_SITE())

/* One RMW of v->counter; the value it read. */
#define sched_atomic_(v, op, a, b, ord, name)                                \
	((int)sched_rmw(&(v)->counter, sizeof(int), SCHED_RMW_##op,          \
			(uint64_t)(a), (uint64_t)(b), SCHED_RMW_##ord, name, \
			#v, SCHED_SITE()))
/* An add_return: the value v->counter holds after adding i. */
#define sched_atomic_return_(v, i, ord, name)                                \
	({                                                                   \
		int i_ = (i);                                                \
		(int)((unsigned)sched_atomic_(v, ADD, i_, 0, ord, name) +    \
		      (unsigned)i_);                                         \
	})

/* The ones that return nothing: unordered. */
#define atomic_add(i, v) ((void)sched_atomic_(v, ADD, i, 0, RELAXED, "atomic_add"))
#define atomic_sub(i, v) ((void)sched_atomic_(v, ADD, -(i), 0, RELAXED, "atomic_sub"))
#define atomic_inc(v) ((void)sched_atomic_(v, ADD, 1, 0, RELAXED, "atomic_inc"))
#define atomic_dec(v) ((void)sched_atomic_(v, ADD, -1, 0, RELAXED, "atomic_dec"))
#define atomic_and(i, v) ((void)sched_atomic_(v, AND, i, 0, RELAXED, "atomic_and"))
#define atomic_or(i, v) ((void)sched_atomic_(v, OR, i, 0, RELAXED, "atomic_or"))
#define atomic_xor(i, v) ((void)sched_atomic_(v, XOR, i, 0, RELAXED, "atomic_xor"))

/* The value-returning ones, each fully ordered or in its _acquire,
 * _release and _relaxed forms (4.3 and later), as linux-kernel.def
 * lists them: *_return give the new value, atomic_fetch_* the old. */
#define atomic_add_return(i, v) sched_atomic_return_(v, i, MB, "atomic_add_return")
#define atomic_add_return_acquire(i, v) sched_atomic_return_(v, i, ACQUIRE, "atomic_add_return_acquire")
#define atomic_add_return_release(i, v) sched_atomic_return_(v, i, RELEASE, "atomic_add_return_release")
#define atomic_add_return_relaxed(i, v) sched_atomic_return_(v, i, RELAXED, "atomic_add_return_relaxed")
#define atomic_sub_return(i, v) sched_atomic_return_(v, -(i), MB, "atomic_sub_return")
#define atomic_sub_return_acquire(i, v) sched_atomic_return_(v, -(i), ACQUIRE, "atomic_sub_return_acquire")
#define atomic_sub_return_release(i, v) sched_atomic_return_(v, -(i), RELEASE, "atomic_sub_return_release")
#define atomic_sub_return_relaxed(i, v) sched_atomic_return_(v, -(i), RELAXED, "atomic_sub_return_relaxed")
#define atomic_inc_return(v) sched_atomic_return_(v, 1, MB, "atomic_inc_return")
#define atomic_inc_return_acquire(v) sched_atomic_return_(v, 1, ACQUIRE, "atomic_inc_return_acquire")
#define atomic_inc_return_release(v) sched_atomic_return_(v, 1, RELEASE, "atomic_inc_return_release")
#define atomic_inc_return_relaxed(v) sched_atomic_return_(v, 1, RELAXED, "atomic_inc_return_relaxed")
#define atomic_dec_return(v) sched_atomic_return_(v, -1, MB, "atomic_dec_return")
#define atomic_dec_return_acquire(v) sched_atomic_return_(v, -1, ACQUIRE, "atomic_dec_return_acquire")
#define atomic_dec_return_release(v) sched_atomic_return_(v, -1, RELEASE, "atomic_dec_return_release")
#define atomic_dec_return_relaxed(v) sched_atomic_return_(v, -1, RELAXED, "atomic_dec_return_relaxed")

#define atomic_fetch_add(i, v) sched_atomic_(v, ADD, i, 0, MB, "atomic_fetch_add")
#define atomic_fetch_add_acquire(i, v) sched_atomic_(v, ADD, i, 0, ACQUIRE, "atomic_fetch_add_acquire")
#define atomic_fetch_add_release(i, v) sched_atomic_(v, ADD, i, 0, RELEASE, "atomic_fetch_add_release")
#define atomic_fetch_add_relaxed(i, v) sched_atomic_(v, ADD, i, 0, RELAXED, "atomic_fetch_add_relaxed")
#define atomic_fetch_sub(i, v) sched_atomic_(v, ADD, -(i), 0, MB, "atomic_fetch_sub")
#define atomic_fetch_sub_acquire(i, v) sched_atomic_(v, ADD, -(i), 0, ACQUIRE, "atomic_fetch_sub_acquire")
#define atomic_fetch_sub_release(i, v) sched_atomic_(v, ADD, -(i), 0, RELEASE, "atomic_fetch_sub_release")
#define atomic_fetch_sub_relaxed(i, v) sched_atomic_(v, ADD, -(i), 0, RELAXED, "atomic_fetch_sub_relaxed")
#define atomic_fetch_inc(v) sched_atomic_(v, ADD, 1, 0, MB, "atomic_fetch_inc")
#define atomic_fetch_inc_acquire(v) sched_atomic_(v, ADD, 1, 0, ACQUIRE, "atomic_fetch_inc_acquire")
#define atomic_fetch_inc_release(v) sched_atomic_(v, ADD, 1, 0, RELEASE, "atomic_fetch_inc_release")
#define atomic_fetch_inc_relaxed(v) sched_atomic_(v, ADD, 1, 0, RELAXED, "atomic_fetch_inc_relaxed")
#define atomic_fetch_dec(v) sched_atomic_(v, ADD, -1, 0, MB, "atomic_fetch_dec")
#define atomic_fetch_dec_acquire(v) sched_atomic_(v, ADD, -1, 0, ACQUIRE, "atomic_fetch_dec_acquire")
#define atomic_fetch_dec_release(v) sched_atomic_(v, ADD, -1, 0, RELEASE, "atomic_fetch_dec_release")
#define atomic_fetch_dec_relaxed(v) sched_atomic_(v, ADD, -1, 0, RELAXED, "atomic_fetch_dec_relaxed")
#define atomic_fetch_and(i, v) sched_atomic_(v, AND, i, 0, MB, "atomic_fetch_and")
#define atomic_fetch_and_acquire(i, v) sched_atomic_(v, AND, i, 0, ACQUIRE, "atomic_fetch_and_acquire")
#define atomic_fetch_and_release(i, v) sched_atomic_(v, AND, i, 0, RELEASE, "atomic_fetch_and_release")
#define atomic_fetch_and_relaxed(i, v) sched_atomic_(v, AND, i, 0, RELAXED, "atomic_fetch_and_relaxed")
#define atomic_fetch_or(i, v) sched_atomic_(v, OR, i, 0, MB, "atomic_fetch_or")
#define atomic_fetch_or_acquire(i, v) sched_atomic_(v, OR, i, 0, ACQUIRE, "atomic_fetch_or_acquire")
#define atomic_fetch_or_release(i, v) sched_atomic_(v, OR, i, 0, RELEASE, "atomic_fetch_or_release")
#define atomic_fetch_or_relaxed(i, v) sched_atomic_(v, OR, i, 0, RELAXED, "atomic_fetch_or_relaxed")
#define atomic_fetch_xor(i, v) sched_atomic_(v, XOR, i, 0, MB, "atomic_fetch_xor")
#define atomic_fetch_xor_acquire(i, v) sched_atomic_(v, XOR, i, 0, ACQUIRE, "atomic_fetch_xor_acquire")
#define atomic_fetch_xor_release(i, v) sched_atomic_(v, XOR, i, 0, RELEASE, "atomic_fetch_xor_release")
#define atomic_fetch_xor_relaxed(i, v) sched_atomic_(v, XOR, i, 0, RELAXED, "atomic_fetch_xor_relaxed")

#define atomic_xchg(v, i) sched_atomic_(v, XCHG, i, 0, MB, "atomic_xchg")
#define atomic_xchg_acquire(v, i) sched_atomic_(v, XCHG, i, 0, ACQUIRE, "atomic_xchg_acquire")
#define atomic_xchg_release(v, i) sched_atomic_(v, XCHG, i, 0, RELEASE, "atomic_xchg_release")
#define atomic_xchg_relaxed(v, i) sched_atomic_(v, XCHG, i, 0, RELAXED, "atomic_xchg_relaxed")
#define atomic_cmpxchg(v, o, n) sched_atomic_(v, CMPXCHG, o, n, MB, "atomic_cmpxchg")
#define atomic_cmpxchg_acquire(v, o, n) sched_atomic_(v, CMPXCHG, o, n, ACQUIRE, "atomic_cmpxchg_acquire")
#define atomic_cmpxchg_release(v, o, n) sched_atomic_(v, CMPXCHG, o, n, RELEASE, "atomic_cmpxchg_release")
#define atomic_cmpxchg_relaxed(v, o, n) sched_atomic_(v, CMPXCHG, o, n, RELAXED, "atomic_cmpxchg_relaxed")

#define atomic_inc_and_test(v) (sched_atomic_return_(v, 1, MB, "atomic_inc_and_test") == 0)
#define atomic_dec_and_test(v) (sched_atomic_return_(v, -1, MB, "atomic_dec_and_test") == 0)
#define atomic_sub_and_test(i, v) (sched_atomic_return_(v, -(i), MB, "atomic_sub_and_test") == 0)
#define atomic_add_negative(i, v) (sched_atomic_return_(v, i, MB, "atomic_add_negative") < 0)

/* cmpxchg loops in the kernel (atomic_t.txt): fully ordered when they
 * add, unordered when they find u (or zero) and add nothing. */
#define atomic_add_unless(v, a, u)                                           \
	({                                                                   \
		int u_ = (u);                                                \
		sched_atomic_(v, ADD_UNLESS, a, u_, MB, "atomic_add_unless") != u_; \
	})
#define atomic_inc_not_zero(v)                                               \
	(sched_atomic_(v, ADD_UNLESS, 1, 0, MB, "atomic_inc_not_zero") != 0)

/* ---- refcount_t (include/linux/refcount.h; orderings as
 * Documentation/core-api/refcount-vs-atomic.rst gives them).  An
 * increment from 0 and a decrement below 1 WARN as lib/refcount.c does
 * ("addition on 0", "underflow"); the saturation that follows there is
 * not modelled. */
typedef struct { atomic_t refs; } refcount_t;
#define REFCOUNT_INIT(n) { ATOMIC_INIT(n) }
#define refcount_set(r, n)                                            \
	sched_store(&(r)->refs.counter, sizeof(int), (uint64_t)(n),    \
		    SCHED_ORDER_ONCE, #r, SCHED_SITE())
#define refcount_read(r)                                              \
	((int)sched_load(&(r)->refs.counter, sizeof(int), SCHED_ORDER_ONCE, #r, \
			 SCHED_SITE()))
/* unordered */
#define refcount_inc(r)                                                      \
	((void)WARN(sched_atomic_(&(r)->refs, ADD, 1, 0, RELAXED, "refcount_inc") == 0, \
		    "refcount_t: addition on 0; use-after-free"))
/* unordered (a control dependency orders the stores under its if) */
#define refcount_inc_not_zero(r)                                             \
	(sched_atomic_(&(r)->refs, ADD_UNLESS, 1, 0, RELAXED, "refcount_inc_not_zero") != 0)
/* release; acquire when it reaches zero */
#define refcount_dec_and_test(r)                                             \
	({                                                                   \
		int old_ = sched_atomic_(&(r)->refs, ADD, -1, 0, DEC_AND_TEST, "refcount_dec_and_test"); \
		WARN(old_ <= 0, "refcount_t: underflow; use-after-free");    \
		old_ == 1;                                                   \
	})

/* ---- barriers (scheduling points; they order accesses in the weak memory
 * mode) ------------------------------------------------------------------ */

enum sched_fence {
	SCHED_FENCE_MB, SCHED_FENCE_RMB, SCHED_FENCE_WMB,
	SCHED_FENCE_READ_DEPENDS,
	/* the engine's own, for RCU */
	SCHED_FENCE_RCU_LOCK, SCHED_FENCE_RCU_UNLOCK,
	SCHED_FENCE_SYNC_RCU_START, SCHED_FENCE_SYNC_RCU_END,
};

void sched_barrier(enum sched_fence f, const char *what,
		   struct sched_site *site);
#define smp_mb() sched_barrier(SCHED_FENCE_MB, "smp_mb", SCHED_SITE())
#define smp_rmb() sched_barrier(SCHED_FENCE_RMB, "smp_rmb", SCHED_SITE())
#define smp_wmb() sched_barrier(SCHED_FENCE_WMB, "smp_wmb", SCHED_SITE())
#define smp_read_barrier_depends()                                    \
	sched_barrier(SCHED_FENCE_READ_DEPENDS, "smp_read_barrier_depends", \
		      SCHED_SITE())
/* Full barriers where LKMM orders across an atomic or a lock handover:
 * LKMM orders only the accesses on either side of the atomic or the
 * lock; smp_mb at the barrier's place also orders what lies between
 * (stronger, so it can hide an outcome, never invent one). */
#define smp_mb__before_atomic()                                       \
	sched_barrier(SCHED_FENCE_MB, "smp_mb__before_atomic", SCHED_SITE())
#define smp_mb__after_atomic()                                        \
	sched_barrier(SCHED_FENCE_MB, "smp_mb__after_atomic", SCHED_SITE())
#define smp_mb__after_spinlock()                                      \
	sched_barrier(SCHED_FENCE_MB, "smp_mb__after_spinlock", SCHED_SITE())
#define smp_mb__after_unlock_lock()                                   \
	sched_barrier(SCHED_FENCE_MB, "smp_mb__after_unlock_lock", SCHED_SITE())

/* ---- spin locks and mutexes --------------------------------------------- */

/* owner is the holding CPU plus one, 0 when free.  A CPU that finds the
 * lock held is not runnable until it is released: no busy-wait steps.
 * prim names the primitive in the trace (NULL: spin_lock, spin_unlock).
 * The lock's state is exact: spin_is_locked and a trylock see whether it
 * is held now (LKMM lets them see an older state: fewer outcomes here). */
typedef struct { int owner; } spinlock_t;

void sched_lock(spinlock_t *l, const char *prim, const char *what,
		struct sched_site *s);
void sched_unlock(spinlock_t *l, const char *prim, const char *what,
		  struct sched_site *s);
/* Takes the lock if it is free (true); a failed trylock orders nothing. */
bool sched_trylock(spinlock_t *l, const char *prim, const char *what,
		   struct sched_site *s);
bool sched_is_locked(spinlock_t *l, const char *prim, const char *what,
		     struct sched_site *s);
#define spin_lock_init(l) WRITE_ONCE((l)->owner, 0)
#define spin_lock(l) sched_lock(l, NULL, #l, SCHED_SITE())
#define spin_unlock(l) sched_unlock(l, NULL, #l, SCHED_SITE())
#define spin_trylock(l) sched_trylock(l, "spin_trylock", #l, SCHED_SITE())
#define spin_is_locked(l) sched_is_locked(l, "spin_is_locked", #l, SCHED_SITE())

/* A mutex sleeps where a spin lock spins; to the model both block, and
 * LKMM's lock rules are taken for both. */
struct mutex { spinlock_t lock; };
#define mutex_init(m) spin_lock_init(&(m)->lock)
#define mutex_lock(m) sched_lock(&(m)->lock, "mutex_lock", #m, SCHED_SITE())
#define mutex_unlock(m) sched_unlock(&(m)->lock, "mutex_unlock", #m, SCHED_SITE())
#define mutex_trylock(m) sched_trylock(&(m)->lock, "mutex_trylock", #m, SCHED_SITE())
#define mutex_is_locked(m) sched_is_locked(&(m)->lock, "mutex_is_locked", #m, SCHED_SITE())

/* ---- read-write semaphores (mmap_sem) ---------------------------------- */

/* count: readers holding it, or -1 while a writer does.  A CPU that cannot
 * take it is not runnable until it is released, as for spin locks. */
struct rw_semaphore { int count; };

void sched_down(struct rw_semaphore *sem, bool write, const char *what,
		struct sched_site *s);
void sched_up(struct rw_semaphore *sem, bool write, const char *what,
	      struct sched_site *s);
/* down_read_trylock, down_write_trylock: true when it took it. */
bool sched_down_trylock(struct rw_semaphore *sem, bool write,
			const char *what, struct sched_site *s);
/* rwsem_is_locked: held by a reader or a writer now (a load, as
 * spin_is_locked). */
bool sched_rwsem_is_locked(struct rw_semaphore *sem, const char *what,
			   struct sched_site *s);
#define init_rwsem(sem) WRITE_ONCE((sem)->count, 0)
#define down_read(sem) sched_down(sem, false, #sem, SCHED_SITE())
#define down_write(sem) sched_down(sem, true, #sem, SCHED_SITE())
#define up_read(sem) sched_up(sem, false, #sem, SCHED_SITE())
#define up_write(sem) sched_up(sem, true, #sem, SCHED_SITE())
#define down_read_trylock(sem) sched_down_trylock(sem, false, #sem, SCHED_SITE())
#define down_write_trylock(sem) sched_down_trylock(sem, true, #sem, SCHED_SITE())
#define rwsem_is_locked(sem) sched_rwsem_is_locked(sem, #sem, SCHED_SITE())

/* ---- seqcount_t (include/linux/seqlock.h): writers serialized by their
 * own lock; each call one scheduling point ------------------------------ */

typedef struct { unsigned sequence; } seqcount_t;

/* even when no write is in progress: spins while odd (sched_reload),
 * then smp_rmb */
unsigned sched_read_seqcount_begin(seqcount_t *s, const char *what,
				   struct sched_site *site);
/* smp_rmb, then whether the sequence moved from start */
bool sched_read_seqcount_retry(seqcount_t *s, unsigned start,
			       const char *what, struct sched_site *site);
/* sequence++ then smp_wmb (begin); smp_wmb then sequence++ (end) */
void sched_write_seqcount(seqcount_t *s, bool end, const char *what,
			  struct sched_site *site);
#define seqcount_init(s) WRITE_ONCE((s)->sequence, 0)
#define read_seqcount_begin(s) sched_read_seqcount_begin(s, #s, SCHED_SITE())
#define read_seqcount_retry(s, start)                                 \
	sched_read_seqcount_retry(s, start, #s, SCHED_SITE())
#define write_seqcount_begin(s) sched_write_seqcount(s, false, #s, SCHED_SITE())
#define write_seqcount_end(s) sched_write_seqcount(s, true, #s, SCHED_SITE())

/* ---- completions: a CPU waits (not runnable) until another completes --- */

struct completion { int done; };

void sched_wait_for_completion(struct completion *c, const char *what,
			       struct sched_site *s);
void sched_complete(struct completion *c, const char *what,
		    struct sched_site *s);
#define init_completion(c) WRITE_ONCE((c)->done, 0)
#define wait_for_completion(c) sched_wait_for_completion(c, #c, SCHED_SITE())
#define complete(c) sched_complete(c, #c, SCHED_SITE())

/* ---- RCU ---------------------------------------------------------------- */

void sched_rcu_read_lock(struct sched_site *s);
void sched_rcu_read_unlock(struct sched_site *s);
void sched_synchronize_rcu(struct sched_site *s);
/* The callback runs at the end of the grace period, in one go: no
 * scheduling point inside it, its accesses in the trace as "rcu". */
struct rcu_head { int unused; };
void sched_call_rcu_point(struct rcu_head *head,
			  void (*fn)(struct rcu_head *head),
			  struct sched_site *s);
#define rcu_read_lock() sched_rcu_read_lock(SCHED_SITE())
#define rcu_read_unlock() sched_rcu_read_unlock(SCHED_SITE())
#define synchronize_rcu() sched_synchronize_rcu(SCHED_SITE())
#define call_rcu(head, fn) sched_call_rcu_point(head, fn, SCHED_SITE())

/* ---- slab caches -------------------------------------------------------- */

/*
 * SLAB_DESTROY_BY_RCU: a freed object may be handed out again at once; an
 * empty slab page goes back only after an RCU grace period.  The
 * constructor runs once per object when its slab page is created, never on
 * allocation.  Without the flag, touching a free object is a use after
 * free; with it, only touching a page that went back is.
 */
#define SLAB_DESTROY_BY_RCU 0x1u

struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     unsigned flags, void (*ctor)(void *));
void *sched_kmem_cache_alloc(struct kmem_cache *c, struct sched_site *s);
void sched_kmem_cache_free(struct kmem_cache *c, void *p,
			   struct sched_site *s);
#define kmem_cache_alloc(c, gfp) sched_kmem_cache_alloc(c, SCHED_SITE())
#define kmem_cache_free(c, p) sched_kmem_cache_free(c, p, SCHED_SITE())
#define GFP_KERNEL 0

/* A named object of the initial world (a page, a vma, an mm): only while
 * the program's init runs.  Zero-filled. */
void *sched_world_alloc(const char *name, size_t size);

/* For an allocator a scenario keeps outside the model (no scheduling
 * point, weak memory only): the running CPU takes obj over as its last
 * users left it, as the kernel's last put_page and the allocation after it,
 * both under the zone lock, order them.  Every field reads from its
 * newest store on, with what that store carried. */
void sched_take_over(const void *obj, size_t size);

/* ---- dependencies (weak memory) ----------------------------------------- */

/*
 * Hand-written C hides its dependencies: the weak mode takes a load
 * through a pointer as dependent on the load that returned the pointer,
 * and a store as dependent on every earlier load of its CPU (a branch on
 * any of them may guard it).  A front end that knows them from the
 * program text (the .litmus interpreter) says so with
 * sched_deps_explicit(true) before it runs anything, then names the
 * loads each access depends on just before the access: its address or
 * value (dep), or only a branch around it (ctrl).  Loads are named by
 * sched_dep_last_load() right after them; 0 (sc) names none.
 */
void sched_deps_explicit(bool on);
uint32_t sched_dep_last_load(void);
void sched_deps_next(const uint32_t *dep, unsigned ndep,
		     const uint32_t *ctrl, unsigned nctrl);

/* ---- lists (each operation is one scheduling point; callers hold the lock
 * that protects the list) ------------------------------------------------- */

struct list_head { struct list_head *next, *prev; };

void sched_list_add(struct list_head *n, struct list_head *head, bool tail,
		    const char *what, struct sched_site *s);
void sched_list_del(struct list_head *entry, const char *what,
		    struct sched_site *s);
#define INIT_LIST_HEAD(h)                                             \
	do {                                                          \
		WRITE_ONCE((h)->next, (h));                           \
		WRITE_ONCE((h)->prev, (h));                           \
	} while (0)
#define list_add(n, h) sched_list_add(n, h, false, #h, SCHED_SITE())
#define list_add_tail(n, h) sched_list_add(n, h, true, #h, SCHED_SITE())
#define list_del(e) sched_list_del(e, #e, SCHED_SITE())
#define list_next_(h, what)                                           \
	((struct list_head *)(uintptr_t)sched_load(&(h)->next,         \
		sizeof(void *), SCHED_ORDER_ONCE, what, SCHED_SITE()))
#define list_prev_(h, what)                                           \
	((struct list_head *)(uintptr_t)sched_load(&(h)->prev,         \
		sizeof(void *), SCHED_ORDER_ONCE, what, SCHED_SITE()))
#define list_empty(h) (list_next_(h, #h "->next") == (h))
/* One entry: its next is the tail, which is not the head. */
#define list_is_singular(h)                                           \
	(!list_empty(h) && list_next_(h, #h "->next") == list_prev_(h, #h "->prev"))

#define container_of(ptr, type, member)                               \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(ptr, type, member) container_of(ptr, type, member)

/* Each step to the next entry is a load of ->next. */
#define list_for_each_entry(pos, head, member)                               \
	for (pos = list_entry(list_next_(head, #head "->next"),              \
			      __typeof__(*pos), member);                     \
	     &pos->member != (head);                                         \
	     pos = list_entry(list_next_(&pos->member, #pos "->" #member     \
					 ".next"), __typeof__(*pos), member))

/* Backwards: each step is a load of ->prev. */
#define list_for_each_entry_reverse(pos, head, member)                       \
	for (pos = list_entry(list_prev_(head, #head "->prev"),              \
			      __typeof__(*pos), member);                     \
	     &pos->member != (head);                                         \
	     pos = list_entry(list_prev_(&pos->member, #pos "->" #member     \
					 ".prev"), __typeof__(*pos), member))

/* Safe against removal of pos. */
#define list_for_each_entry_safe(pos, n, head, member)                       \
	for (pos = list_entry(list_next_(head, #head "->next"),              \
			      __typeof__(*pos), member),                     \
	    n = list_entry(list_next_(&pos->member, #pos "->" #member        \
				      ".next"), __typeof__(*pos), member);   \
	     &pos->member != (head);                                         \
	     pos = n, n = list_entry(list_next_(&n->member, #n "->" #member  \
						".next"), __typeof__(*n),    \
				     member))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* ---- assertions (no scheduling point; the condition's loads are) ------- */

/* BUG_ON ends the execution with the class assert; WARN_ON and WARN
 * report the class warn and go on, returning the condition as the
 * kernel's do.  The report names the condition, file, line and function. */
void sched_bug(const char *cond, struct sched_site *site);
void sched_warn(const char *cond, struct sched_site *site);
void sched_warn_fmt(const char *cond, struct sched_site *site,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define BUG() sched_bug(NULL, SCHED_SITE())
#define BUG_ON(cond)                                                  \
	do {                                                          \
		if (unlikely(cond))                                   \
			sched_bug(#cond, SCHED_SITE());               \
	} while (0)
#define WARN_ON(cond)                                                 \
	({                                                            \
		bool sched_c_ = !!(cond);                             \
		if (unlikely(sched_c_))                               \
			sched_warn(#cond, SCHED_SITE());              \
		sched_c_;                                             \
	})
#define WARN(cond, ...)                                               \
	({                                                            \
		bool sched_c_ = !!(cond);                             \
		if (unlikely(sched_c_))                               \
			sched_warn_fmt(#cond, SCHED_SITE(), __VA_ARGS__); \
		sched_c_;                                             \
	})

#endif
