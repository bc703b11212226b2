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
/* Atomic add; returns the new value.  ordered: the value-returning
 * atomics, fully ordered; atomic_inc and atomic_dec are not. */
int64_t sched_rmw_add(volatile void *p, int size, int64_t delta, bool ordered,
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

/* ---- atomics ------------------------------------------------------------ */

typedef struct { int counter; } atomic_t;

#define atomic_read(v)                                                \
	((int)sched_load(&(v)->counter, sizeof(int), SCHED_ORDER_ONCE, #v, \
			 SCHED_SITE()))
#define atomic_set(v, i)                                              \
	sched_store(&(v)->counter, sizeof(int), (uint64_t)(i),         \
		    SCHED_ORDER_ONCE, #v, SCHED_SITE())
#define sched_atomic_add_(i, v, ordered)                               \
	((int)sched_rmw_add(&(v)->counter, sizeof(int), (i), ordered, #v, \
			    SCHED_SITE()))
#define atomic_add_return(i, v) sched_atomic_add_(i, v, true)
/* Not in 2010 (the _relaxed atomics came in 4.3): the barrier ablations
 * use it to drop the ordering of a value-returning atomic. */
#define atomic_add_return_relaxed(i, v) sched_atomic_add_(i, v, false)
#define atomic_inc(v) ((void)sched_atomic_add_(1, v, false))
#define atomic_dec(v) ((void)sched_atomic_add_(-1, v, false))
#define atomic_inc_and_test(v) (atomic_add_return(1, v) == 0)
#define atomic_dec_and_test(v) (atomic_add_return(-1, v) == 0)
#define atomic_add_negative(i, v) (atomic_add_return(i, v) < 0)

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

/* ---- spin locks --------------------------------------------------------- */

/* owner is the holding CPU plus one, 0 when free.  A CPU that finds the
 * lock held is not runnable until it is released: no busy-wait steps. */
typedef struct { int owner; } spinlock_t;

void sched_spin_lock(spinlock_t *l, const char *what, struct sched_site *s);
void sched_spin_unlock(spinlock_t *l, const char *what, struct sched_site *s);
#define spin_lock_init(l) WRITE_ONCE((l)->owner, 0)
#define spin_lock(l) sched_spin_lock(l, #l, SCHED_SITE())
#define spin_unlock(l) sched_spin_unlock(l, #l, SCHED_SITE())

/* ---- read-write semaphores (mmap_sem) ---------------------------------- */

/* count: readers holding it, or -1 while a writer does.  A CPU that cannot
 * take it is not runnable until it is released, as for spin locks. */
struct rw_semaphore { int count; };

void sched_down(struct rw_semaphore *sem, bool write, const char *what,
		struct sched_site *s);
void sched_up(struct rw_semaphore *sem, bool write, const char *what,
	      struct sched_site *s);
#define init_rwsem(sem) WRITE_ONCE((sem)->count, 0)
#define down_read(sem) sched_down(sem, false, #sem, SCHED_SITE())
#define down_write(sem) sched_down(sem, true, #sem, SCHED_SITE())
#define up_read(sem) sched_up(sem, false, #sem, SCHED_SITE())
#define up_write(sem) sched_up(sem, true, #sem, SCHED_SITE())

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
