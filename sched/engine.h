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
	int store_waiters;	/* CPUs in BLOCK_STORE: stores wake them */
	struct cpu_state cpu[SCHED_MAX_CPUS];
	int nkeys;		/* named for the next report */
	struct sched_key keys[SCHED_MAX_KEYS];
};

extern struct engine sched_eng;

/* engine.c */
void sched_point(void);
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
/* An arena pointer becomes its arena offset (returns true). */
bool sched_normalize(uint64_t *v);
int sched_obj_lookup(const volatile void *p, uint32_t *off);
void sched_obj_set_free(int obj, bool free);
bool sched_obj_free(int obj);
void sched_obj_bump_gen(int obj);
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
/* memory.c */
uint32_t sched_arena_used(void);
bool sched_arena_offset(const volatile void *p, uint32_t *off);

/* memory.c: an RMW's store, from the value it read (op and a, b as in
 * sched_rmw); false when it fails and stores nothing. */
bool sched_rmw_apply(enum sched_rmw_op op, int size, uint64_t old,
		     uint64_t a, uint64_t b, uint64_t *new);
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
void *sched_arena_base(void);

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
void sched_weak_acquire(const volatile void *p, unsigned kind);
void sched_weak_release(const volatile void *p, unsigned kind);
/* A failed trylock or spin_is_locked read the lock word (held or not). */
void sched_weak_lock_read(const volatile void *p, bool held);

/* rcu.c */
void sched_rcu_reset(void);
void sched_call_rcu(void (*fn)(void *), void *arg);
void sched_rcu_quiescent(int cpu);

/* slab.c */
void sched_slab_reset(void);

/* trace.c */
void sched_trace_reset(void);
void sched_trace_add(enum sched_op op, const volatile void *p,
		     const char *what, uint64_t value, uint64_t aux,
		     struct sched_site *site);
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
