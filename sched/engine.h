/*
 * engine.h - state shared by the files of sched/ (not for model code).
 */
#ifndef SCHED_ENGINE_H
#define SCHED_ENGINE_H

#include "kernel.h"
#include "sched.h"

#define SCHED_CONTROLLER SCHED_MAX_CPUS	/* the thread that called sched_run */

enum cpu_run_state { CPU_RUNNABLE, CPU_BLOCKED, CPU_DONE };

enum block_kind {
	BLOCK_LOCK, BLOCK_RWSEM, BLOCK_COMPLETION, BLOCK_GRACE_PERIOD,
	BLOCK_STORE,		/* a spin on a location: until a store to it */
};

struct cpu_state {
	enum cpu_run_state state;
	bool started;
	bool fresh;		/* started by a decision, first point not yet */
	enum block_kind block_kind;
	const void *blocked_on;
	const char *block_what;
	int rcu_nesting;
};

struct engine {
	const struct sched_program *prog;
	struct sched_decisions *src;
	struct sched_result *res;
	int ncpus;
	int cur;		/* running CPU, or SCHED_CONTROLLER */
	bool init_mode;		/* building the world, or checking the end
				   state: no points, no trace */
	bool checking;		/* the program's check runs (a verdict is
				   traced) */
	bool aborting;		/* a fatal verdict ends this execution */
	bool in_callback;	/* an RCU callback runs on behalf of the engine */
	uint32_t step, max_steps;
	uint64_t runnable;	/* CPUs in CPU_RUNNABLE */
	uint64_t blocked;	/* CPUs in CPU_BLOCKED */
	int store_waiters;	/* CPUs in BLOCK_STORE: stores wake them */
	int nkeys;		/* named for the next report */
	struct sched_key keys[SCHED_MAX_KEYS];
	struct cpu_state cpu[SCHED_MAX_CPUS];	/* last: only ncpus are reset */
};

extern struct engine sched_eng;

/* Building the world or checking the end state: no points, no trace, no
 * weak memory, no CPU waiting (an RCU callback, which runs between two
 * steps, is traced). */
static inline bool sched_quiet(void)
{
	return unlikely(sched_eng.init_mode) && !sched_eng.in_callback;
}

/* engine.c: the decision source picks who performs the next step (with
 * the running CPU runnable, a plain point, or not: it blocked or ended);
 * the step begins. */
void sched_schedule(void);
void sched_step_limit(void);

/* The current CPU is about to perform one operation: that is one step. */
static inline void sched_begin_step(void)
{
	if (unlikely(++sched_eng.step > sched_eng.max_steps))
		sched_step_limit();
}

/* plain.c: plain C accesses (the compiler's load and store callbacks).
 * A plain store runs after its callback returns: its value reaches the
 * trace and the weak model at the next scheduling point of any kind, or
 * when its CPU finishes (sched_plain_commit). */
extern bool sched_plain_pending;
void sched_plain_reset(void);
void sched_plain_commit(void);

/*
 * A scheduling point: the decision source picks the CPU whose operation is
 * the next step.  A CPU that was just started by such a decision performs
 * its first operation without asking again.  Inline: every operation of
 * the model passes here.
 */
static inline void sched_point(void)
{
	struct cpu_state *cs;

	if (unlikely(sched_eng.init_mode))
		return;
	if (unlikely(sched_plain_pending))
		sched_plain_commit();
	cs = &sched_eng.cpu[sched_eng.cur];
	if (unlikely(cs->fresh)) {
		cs->fresh = false;
		sched_begin_step();
		return;
	}
	sched_schedule();
}

void sched_block(enum block_kind kind, const void *obj, const char *what);
void sched_wake_all(const void *obj);
/* A store to p's 8-byte granule: wakes the CPUs spinning on it. */
void sched_wake_store(const volatile void *p);
unsigned sched_decide(enum sched_decision_kind kind, unsigned n,
		      const int *cands, unsigned dflt);
void sched_abort_execution(void) __attribute__((noreturn));

/* decisions.c: the index of the candidate with this label, or -1. */
int sched_label_index(const int *cands, unsigned n, int label);

/* backend_*.c: how CPUs get a stack and hand the one token around. */
struct sched_backend {
	const char *name;
	void (*start)(int ncpus);
	/* Resumes `to`; returns when `from` is resumed. */
	void (*switch_to)(int from, int to);
	/* `from` (a CPU) is finished with this execution: resume `to`, and
	 * start over at the CPU's entry the next time `from` is resumed. */
	void (*exit_to)(int from, int to) __attribute__((noreturn));
	/* From the controller: drop the stack of a started, unfinished CPU. */
	void (*unwind)(int cpu);
};

extern const struct sched_backend sched_backend_pthread;
extern const struct sched_backend sched_backend_fiber;
extern const struct sched_backend *sched_backend;

/* Entry of every CPU, called by the backend each time the CPU starts. */
void sched_cpu_main(int cpu) __attribute__((noreturn));

/* memory.c: the arena that holds every shared object. */
struct sched_region;
void sched_memory_reset(void);
/* Carves a region of nobj objects of objsize bytes; returns its base. */
void *sched_region_new(const char *name, bool is_cache, bool poison_free,
		       size_t objsize, int nobj, int first_slot);
/* Checks an access of size bytes at p: reports use-after-free and
 * null-deref; memory outside the arena (a static, the stack) is fatal. */
void sched_check_access(const volatile void *p, size_t size, const char *what,
			struct sched_site *site);
int sched_obj_lookup(const volatile void *p, uint32_t *off);
void sched_obj_set_free(int obj, bool free);
bool sched_obj_free(int obj);
/* A new allocation: its generation. */
uint32_t sched_obj_bump_gen(int obj);
uint32_t sched_obj_gen_of(int obj);
void *sched_obj_base(int obj);
void sched_region_release(void *base);
const char *sched_obj_name(int obj, int *slot);

/* coverage.c */
#define SCHED_ARENA_SIZE (8u << 20)
void sched_cov_reset(uint32_t arena_used);
/* off: arena offset of the access, UINT32_MAX for none. */
void sched_cov_event(enum sched_op op, int cpu, uint32_t off, uint32_t site);
/* The weak mode's reads-from pair, in place of the latest store's site. */
void sched_cov_rf(struct sched_site *load, uint32_t store_site);
/* memory.c: the arena, and the top of what this execution's objects use
 * (inline: every access and every event asks). */
extern uint8_t sched_arena[SCHED_ARENA_SIZE];
extern uint32_t sched_arena_top;
static inline uint32_t sched_arena_used(void)
{
	return sched_arena_top;
}
static inline void *sched_arena_base(void)
{
	return sched_arena;
}
static inline bool sched_arena_offset(const volatile void *p, uint32_t *off)
{
	uintptr_t rel = (uintptr_t)p - (uintptr_t)sched_arena;

	if (rel >= SCHED_ARENA_SIZE)
		return false;
	*off = (uint32_t)rel;
	return true;
}
/* An arena pointer becomes its arena offset (returns true). */
static inline bool sched_normalize(uint64_t *v)
{
	uint64_t rel = *v - (uintptr_t)sched_arena;

	if (rel >= SCHED_ARENA_SIZE)
		return false;
	*v = rel;
	return true;
}

/* memory.c: a load or store of the model inside the step in progress
 * (the parts of one primitive, e.g. read_seqcount_begin), checked, under
 * the memory model and traced, named prim when not NULL. */
uint64_t sched_load_step(const volatile void *p, int size,
			 enum sched_order ord, const char *prim,
			 const char *what, struct sched_site *site);
void sched_store_step(volatile void *p, int size, uint64_t v,
		      enum sched_order ord, const char *prim,
		      const char *what, struct sched_site *site);

/* memory.c: the engine's own accesses to shared memory (list operations),
 * which read the latest store. */
uint64_t sched_mem_read(const volatile void *p, int size);
void sched_mem_write(volatile void *p, int size, uint64_t v);

/* weak.c: the weak memory mode. */
struct sched_rf {		/* which store a load read */
	uint32_t step;		/* the store's step, 0: the initial value */
	uint32_t age;		/* newer stores it could have read instead */
	uint32_t site;
	bool known;
};
void sched_weak_reset(void);
void sched_weak_start(void);	/* the CPUs start: on when the mode is */
extern bool sched_weak_running;
/* Inline: every load and store asks. */
static inline bool sched_weak_active(void)
{
	return sched_weak_running;
}
uint64_t sched_weak_load(const volatile void *p, int size,
			 enum sched_order ord, struct sched_rf *rf);
/* Writes the store to the location's history, and to the arena when it
 * is the newest; returns the value stored; *before: how many newer
 * stores it went before in coherence order (a WRITE decision). */
uint64_t sched_weak_store(volatile void *p, int size, uint64_t v,
			  enum sched_order ord, struct sched_site *site,
			  unsigned *before);
/* An atomic RMW (weak.c says how it is ordered): whether it stored. */
bool sched_weak_rmw(volatile void *p, int size, enum sched_rmw_op op,
		    uint64_t a, uint64_t b, enum sched_rmw_order ord,
		    struct sched_site *site, uint64_t *old, uint64_t *new,
		    struct sched_rf *rf);
/* A spinning CPU sees a newer store of p than it read; false when there
 * is none. */
bool sched_weak_advance(const volatile void *p);
void sched_weak_fence(enum sched_fence f);
/* kind: SCHED_SYNC_LOCK (locks, rwsems, completions) or SCHED_SYNC_OBJ
 * (an object through the slab) */
enum { SCHED_SYNC_LOCK, SCHED_SYNC_OBJ };
void sched_weak_acquire_view(const volatile void *p, unsigned kind);
void sched_weak_release_view(const volatile void *p, unsigned kind);
static inline void sched_weak_acquire(const volatile void *p, unsigned kind)
{
	if (sched_weak_running)
		sched_weak_acquire_view(p, kind);
}
static inline void sched_weak_release(const volatile void *p, unsigned kind)
{
	if (sched_weak_running)
		sched_weak_release_view(p, kind);
}
/* A failed trylock or spin_is_locked read the lock word (held or not). */
void sched_weak_lock_read(const volatile void *p, bool held);

/* memory.c: one plain access, as a scheduling point. */
uint64_t sched_plain_load(const volatile void *p, int size,
			  struct sched_site *site);
void sched_plain_store(volatile void *p, int size, struct sched_site *site);
/* plain_site.c: the site of the callback that returns to ret. */
struct sched_site *sched_plain_site(uintptr_t ret);

/* race.c: data races, checked when sched_race_on.  What an acquire or
 * release is on: a lock held alone (spin locks, rwsems for write,
 * completions), shared (rwsems for read), or an object through the
 * slab. */
enum sched_sync_kind { SCHED_EXCLUSIVE, SCHED_SHARED, SCHED_OBJECT };
extern bool sched_race_on;
void sched_race_reset(int ncpus);
void sched_race_start(void);	/* the CPUs start: on when asked */
/* An access of the running CPU (value: what a load read, for address
 * dependencies; rf: the store it read under weak memory, NULL under sc). */
void sched_race_load(const volatile void *p, int size, enum sched_order ord,
		     bool plain, uint64_t value, const struct sched_rf *rf,
		     struct sched_site *site);
void sched_race_store(const volatile void *p, int size, enum sched_order ord,
		      bool plain, struct sched_site *site);
/* An RMW: its ordering, whether it stored (a failed cmpxchg is a
 * relaxed load of old), the value it stored. */
void sched_race_rmw(const volatile void *p, int size,
		    enum sched_rmw_order ord, bool stored, uint64_t new,
		    uint64_t old, const struct sched_rf *rf,
		    struct sched_site *site);
void sched_race_fence(enum sched_fence f);
void sched_race_acquire(const volatile void *p, enum sched_sync_kind kind);
void sched_race_release(const volatile void *p, enum sched_sync_kind kind);
/* Grace period gp (rcu.c's index) starts; a reader it waits for leaves
 * its section; it ends (callback: its function runs now). */
void sched_race_gp_start(unsigned gp);
void sched_race_gp_reader(unsigned gp);
void sched_race_gp_end(unsigned gp, bool callback);
/* sched_take_over: the running CPU follows every last access of obj. */
void sched_race_take_over(const void *obj, size_t size);

/* A fence, an acquire, a release of the engine's primitives: for the
 * weak model and the race checker. */
static inline void sched_fence(enum sched_fence f)
{
	sched_weak_fence(f);
	if (sched_race_on)
		sched_race_fence(f);
}

static inline void sched_acquire(const volatile void *p,
				 enum sched_sync_kind kind)
{
	sched_weak_acquire(p, kind == SCHED_OBJECT ? SCHED_SYNC_OBJ
						   : SCHED_SYNC_LOCK);
	if (sched_race_on)
		sched_race_acquire(p, kind);
}

static inline void sched_release(const volatile void *p,
				 enum sched_sync_kind kind)
{
	sched_weak_release(p, kind == SCHED_OBJECT ? SCHED_SYNC_OBJ
						   : SCHED_SYNC_LOCK);
	if (sched_race_on)
		sched_race_release(p, kind);
}

/* lock.c: the links the last list operation touched (its step's). */
#define SCHED_LIST_TOUCH_MAX 6
struct sched_list_touch {
	uint32_t step;
	unsigned n;
	const void *p[SCHED_LIST_TOUCH_MAX];
	bool write[SCHED_LIST_TOUCH_MAX];
};
const struct sched_list_touch *sched_list_touched(void);

/* rcu.c */
void sched_rcu_reset(void);
void sched_call_rcu(void (*fn)(void *), void *arg);
void sched_rcu_quiescent(int cpu);

/* slab.c */
void sched_slab_reset(void);

/* trace.c */
void sched_trace_reset(void);
/* Returns the event's index, SIZE_MAX when none was added. */
size_t sched_trace_add(enum sched_op op, const volatile void *p,
		       const char *what, uint64_t value, uint64_t aux,
		       struct sched_site *site);
/* A plain access's event: flagged SCHED_PLAIN; a store's value, known
 * only once the compiled store has run, set then. */
void sched_trace_set_plain(size_t i);
void sched_trace_set_value(size_t i, uint64_t value);
/* The step of cpu's last load that read 0 (a NULL pointer), 0 if none. */
uint32_t sched_trace_null_load(int cpu);
/* Weak memory: the store just added went before `before` newer stores. */
void sched_trace_mark_before(unsigned before);
/* The event just added is the primitive prim (sched_event); failed: it
 * failed (a cmpxchg that found another value, a trylock of a held lock). */
void sched_trace_name(const char *prim, bool failed);
void sched_trace_decision(enum sched_decision_kind kind, unsigned n,
			  unsigned choice, int label, int first_label);

#endif
