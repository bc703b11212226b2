/*
 * sched.h - the schedfuzz execution engine.
 *
 * One execution runs a program (an initial world plus one function per
 * simulated CPU) under a decision source.  Exactly one CPU runs at a time;
 * every interposed operation (see kernel.h) is a scheduling point at which
 * the decision source picks the CPU that performs the next operation.  The
 * allocator's choice of object and the release of empty slab pages are
 * decisions from the same stream, so one stream of decisions is one exact,
 * replayable execution.
 *
 * The engine knows nothing about the code it runs: no page, no anon_vma.
 */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SCHED_VERSION "0.11"
#define SCHED_MAX_CPUS 64

/* A source location, created once per call site; id is stable across runs,
 * processes and builds (hash of file basename, line and function).  Keep
 * each interposed call on one line: compilers disagree on __LINE__ inside
 * a macro call that spans lines. */
struct sched_site {
	const char *file;
	int line;
	const char *func;
	uint32_t id;		/* 0 until first use */
};

#define SCHED_SITE()                                                         \
	({                                                                   \
		static struct sched_site sched_site_ = { __FILE__, __LINE__, \
							 __func__, 0 };      \
		&sched_site_;                                                \
	})

uint32_t sched_site_id(struct sched_site *site);

/* ---- decisions ---------------------------------------------------------- */

struct sched_result;

enum sched_decision_kind {
	SCHED_DECIDE_CPU,	/* which runnable CPU performs the next step */
	SCHED_DECIDE_ALLOC,	/* which free object (or a new slab page) */
	SCHED_DECIDE_RELEASE,	/* does an empty slab page go back (0 no, 1 yes) */
	SCHED_DECIDE_READ,	/* weak memory: which store a load reads, by
				   how many newer stores it skips (0: latest) */
	SCHED_DECIDE_WRITE,	/* weak memory: where a store goes in
				   coherence order, before how many newer
				   stores (0: at the end) */
	SCHED_DECIDE_NR
};

/*
 * What the engine says when it asks a decision source: "choose one of n
 * candidates of this kind".  cands[i] labels candidate i: a CPU number for
 * SCHED_DECIDE_CPU, an object slot (or SCHED_ALLOC_NEW) for
 * SCHED_DECIDE_ALLOC, 0/1 for RELEASE.  dflt is the engine's fallback
 * choice (see sched_bytes_source).  The engine asks at every scheduling
 * point, n == 1 included when the source wants singles; only decisions
 * with n > 1 are recorded in the trace.  A CPU decision picks the CPU
 * that performs step step + 1.
 */
struct sched_ask {
	enum sched_decision_kind kind;
	unsigned n;
	const int *cands;
	unsigned dflt;
	int cpu;		/* the running CPU */
	uint32_t step;		/* steps taken so far in this execution */
	bool can_go_on;		/* a CPU decision where cands[0] is the
				   running CPU, which could go on: any other
				   choice is a preemption */
};

/* choose's answer that ends the execution at once, without a verdict: the
 * source knows that whatever follows was run already (sleep sets). */
#define SCHED_CHOICE_CUT 0xffffffffu

/*
 * A decision source: choose answers each decision; begin and end, both
 * optional, bracket each execution (end sees its verdicts in res, and the
 * trace is readable).  singles: choose is asked about decisions with a
 * single candidate too (a source that counts steps or runs of a CPU);
 * without it the engine takes them alone.  The fields after it are the
 * source's to set, for whoever runs it: exhausted once it has no further
 * execution to offer (an exhaustive search is done), error when it
 * cannot go on (one line), and level, the bound the last execution ran
 * within (-1: no bound).
 */
struct sched_decisions {
	unsigned (*choose)(struct sched_decisions *src,
			   const struct sched_ask *ask);
	void (*begin)(struct sched_decisions *src);
	void (*end)(struct sched_decisions *src, const struct sched_result *res);
	bool singles;
	bool exhausted;
	const char *error;
	int level;
};

#define SCHED_ALLOC_NEW (-1)
#define SCHED_MAX_SLOTS 64	/* objects per slab cache */

/*
 * The fuzzer's source: each decision takes one byte, modulo the number of
 * candidates.  Candidates are ordered so that 0 is the quiet choice: for a
 * CPU decision the current CPU first, then the others in increasing order
 * from it (so byte 0 means "no switch"); for an allocation the free objects
 * in slot order, then a new slab page; for a release "keep" then "release".
 *
 * Fallback once the bytes are used up: the engine's default, which is to
 * keep running the current CPU while it can run and otherwise the next
 * runnable CPU in increasing order; allocate the lowest-numbered free object
 * (a new slab page when none is free); keep empty slab pages.  Any byte
 * string, the empty one included, is therefore a complete schedule.
 * Decisions with a single candidate take no byte.
 */
struct sched_bytes_source {
	struct sched_decisions base;
	const uint8_t *data;
	size_t size, pos;
};

void sched_bytes_source_init(struct sched_bytes_source *src,
			     const uint8_t *data, size_t size);

/*
 * A hand-written schedule, for tests and seeds: run-lengths of CPUs, and
 * the labels to pick for the other kinds of decision, in order.  A run of
 * count 0 lasts while its CPU can run.  A run whose CPU cannot run when
 * asked, or a label that is not a candidate, sets failed and falls back to
 * the engine's default.  Every decision taken is in the trace
 * (sched_decision), so a script becomes bytes with sched_decisions_to_bytes.
 */
struct sched_script_run {
	int cpu;
	unsigned count;
};

struct sched_script_source {
	struct sched_decisions base;
	const struct sched_script_run *runs;
	size_t nruns, run;
	unsigned done_in_run;
	const int *labels[SCHED_DECIDE_NR];	/* [SCHED_DECIDE_CPU] unused */
	size_t nlabels[SCHED_DECIDE_NR], next[SCHED_DECIDE_NR];
	int failed;
};

void sched_script_source_init(struct sched_script_source *src,
			      const struct sched_script_run *runs, size_t nruns);
/* Writes the last execution's decisions as fuzzer bytes; returns the
 * count (at most cap). */
size_t sched_decisions_to_bytes(uint8_t *out, size_t cap);

/*
 * Text schedules (schedule_text.c; the grammar is in docs/schedules.md):
 * after the line "schedfuzz schedule v1", the settings the execution
 * depends on ("scenario NAME", "variant NAME", "memory MODEL", "noise N",
 * "max-steps N"), an optional "programs HEX..." line for scenarios whose
 * input starts with programs, then one line per decision: "cpu N [xK |
 * run]", "alloc SLOT|new", "release keep|release", "read N", "write N";
 * # comments.  Each kind is read in its own order; a line whose choice is
 * not a candidate, and every decision after the last line, take the
 * engine's default.
 */
enum sched_setting {
	SCHED_SET_SCENARIO, SCHED_SET_VARIANT, SCHED_SET_MEMORY,
	SCHED_SET_NOISE, SCHED_SET_MAX_STEPS, SCHED_SET_NR
};
/* "scenario", "variant", "memory", "noise", "max-steps". */
extern const char *const sched_setting_names[SCHED_SET_NR];

struct sched_text_entry {
	int label;		/* CPU, object slot (SCHED_ALLOC_NEW), 0/1 */
	unsigned count;		/* decisions it covers; 0: while it can */
	int line;
	bool used;		/* set by the source when its turn came */
};
struct sched_text_queue {
	struct sched_text_entry *v;
	size_t n, cap;
};
struct sched_text {
	char setting[SCHED_SET_NR][96];	/* "" when the file does not say */
	int setting_line[SCHED_SET_NR];
	bool has_programs;
	size_t nprograms;
	uint8_t programs[256];
	struct sched_text_queue q[SCHED_DECIDE_NR];
};
/* Starts with the format's first line. */
bool sched_text_is(const uint8_t *data, size_t size);
/* Meant as one but its first line is off (a byte-order mark, trailing
 * blanks, another version, other case): sched_text_parse says what. */
bool sched_text_near_miss(const uint8_t *data, size_t size);
/* 0, or -1 with "line L, column C: what" in err. */
int sched_text_parse(const char *text, size_t len, struct sched_text *t,
		     char *err, size_t errlen);
void sched_text_free(struct sched_text *t);

struct sched_text_source {
	struct sched_decisions base;
	struct sched_text *t;		/* marks the entries it uses */
	size_t next[SCHED_DECIDE_NR];
	unsigned used[SCHED_DECIDE_NR];
	int failed_line;	/* first line whose choice could not be taken */
};
void sched_text_source_init(struct sched_text_source *src,
			    struct sched_text *t);
/* Lines of t that the last execution never reached, "12, 14-20" in buf
 * (at most len); false when every line was used. */
bool sched_text_unused(const struct sched_text *t, char *buf, size_t len);
/* The last execution's decisions as a text schedule, each with a comment
 * saying what its step did: settings (the lines of header, "" for none)
 * and programs (when nprograms > 0) first. */
void sched_print_text(FILE *out, const char *header, const uint8_t *programs,
		      size_t nprograms);
/* s with control and non-ASCII bytes as \xNN, for messages that quote
 * input (at most len - 1 bytes). */
void sched_escape(char *buf, size_t len, const char *s, size_t n);

/*
 * The strategies users would otherwise pick, as decision sources over the
 * same engine (one file each: strategy_random.c, strategy_pct.c,
 * strategy_dfs.c).  For allocator and release decisions random and PCT
 * choose uniformly; dfs enumerates them like CPU choices.
 */
/* splitmix64: the one PRNG of schedfuzz, the same stream everywhere. */
uint64_t sched_rand64(uint64_t *state);

struct sched_random_source {
	struct sched_decisions base;
	uint64_t state;
};
void sched_random_source_init(struct sched_random_source *src, uint64_t seed);

/* PCT, depth d: each execution draws new priorities and change points
 * (its begin); end learns the length of executions. */
struct sched_pct_source {
	struct sched_decisions base;
	uint64_t state;
	int depth;
	uint32_t steps_estimate;	/* k: the longest execution seen */
	int prio[SCHED_MAX_CPUS];
	uint32_t change_at[8];		/* d-1 priority change points */
};
void sched_pct_source_init(struct sched_pct_source *src, uint64_t seed,
			   int depth);

/*
 * Systematic search (strategy_dfs.c): depth first over the tree of
 * decisions, replaying the prefix of the last execution up to its deepest
 * decision with an alternative left.  What a schedule costs:
 *   SCHED_COST_PREEMPTIONS  switching away from a CPU that could go on
 *                           (CHESS's context bound; who goes on when a CPU
 *                           blocks or ends is free);
 *   SCHED_COST_DELAYS       any choice but the deterministic scheduler's
 *                           (the running CPU while it can, then the next
 *                           runnable one upwards; the lowest free object,
 *                           keep the slab page, the latest store): bound 0
 *                           is one schedule.
 * Under preemptions, allocator, release and weak-memory decisions are
 * branches that cost nothing.  Reductions:
 *   SCHED_POR_NONE   every decision sequence within the bound;
 *   SCHED_POR_SLEEP  sleep sets (Godefroid): after the subtree of CPU t is
 *                    done at a node, t sleeps in its siblings' subtrees
 *                    until a step that depends on t's next step runs;
 *   SCHED_POR_DPOR   source-DPOR (Abdulla, Aronis, Jonsson, Sagonas, POPL
 *                    2014) with sleep sets, no bound: one execution per
 *                    class of interleavings equivalent under commuting
 *                    independent steps.
 * Two steps depend on each other when they touch the same location and
 * one writes, take or release the same lock, rwsem or completion, or both
 * allocate or free (any cache: the allocator's choice of object is
 * shared); an allocation or free also touches all of its object, list
 * operations and released slab pages everything.  Reductions need the sc
 * memory model.  With deepen, the search runs bound 0, 1, ... up to bound,
 * each to its end, and level says which one ran.
 */
enum sched_cost { SCHED_COST_PREEMPTIONS, SCHED_COST_DELAYS };
enum sched_por { SCHED_POR_NONE, SCHED_POR_SLEEP, SCHED_POR_DPOR };
#define SCHED_DFS_MAX_DEPTH 8192
#define SCHED_FP_KEYS 8
struct sched_footprint {	/* what one step touched */
	uint8_t nkeys;
	bool all;		/* depends on every step (or too many keys) */
	bool write[SCHED_FP_KEYS];
	uint64_t key[SCHED_FP_KEYS];
};
struct sched_dfs_entry {
	uint8_t kind, n, choice;
	int8_t cpu;		/* CPU decisions: the running CPU */
	bool can_go_on;
	bool dead;		/* nothing left to branch on here */
	uint16_t cost;		/* of the path before this decision */
	uint32_t step;		/* CPU decisions: the step it picks for */
	uint64_t enabled, sleep, done, backtrack;	/* CPU masks */
	uint32_t first_slept, nslept;	/* its explored CPUs in slept[] */
	struct sched_footprint fp;	/* of the step it picked */
};
struct sched_dfs_slept {	/* a CPU explored at a node, and its step */
	int8_t cpu;
	struct sched_footprint fp;
};
/* Parallel search: the subtrees under each choice of path entry split
 * are pieces, numbered in search order.  Every job meets every piece in
 * the same order and runs its first execution (what the search above
 * needs); the rest of a piece is run by the job that claims it first in
 * owners[piece] (shared by the jobs: 0 free, else the job + 1), so a job
 * that is ahead takes more; pieces past nowners go by job modulo jobs.
 * Not with DPOR, whose races add branches above the piece they are found
 * in. */
struct sched_dfs_options {
	int bound;		/* ignored by SCHED_POR_DPOR */
	enum sched_cost cost;
	enum sched_por por;
	bool deepen;
	bool cpu_only;		/* only CPU decisions branch: the allocator's,
				   release and weak-memory decisions take the
				   engine's default */
	int jobs, job, split;	/* jobs 0 or 1: one job */
	int8_t *owners;		/* of the pieces, or NULL */
	uint64_t nowners;
};
struct sched_dfs_source {
	struct sched_decisions base;
	struct sched_dfs_options opt;
	int bound;		/* in force */
	size_t len, pos;
	int diverged;		/* replay met a different decision: a bug */
	unsigned long long cut;	/* executions ended by sleep sets */
	bool pruned;		/* the bound in force cut a branch */
	uint64_t piece;		/* of the last execution */
	bool own;		/* the last execution is this job's */
	/* the execution in progress */
	uint64_t sleep;
	struct sched_footprint sleep_fp[SCHED_MAX_CPUS];
	size_t trace_seen, open;	/* open: the CPU entry whose step runs */
	struct sched_dfs_entry path[SCHED_DFS_MAX_DEPTH];
	uint32_t nslept;
	struct sched_dfs_slept slept[SCHED_DFS_MAX_DEPTH * 4];
};
/* Plain preemption-bounded search, no reduction, no deepening. */
void sched_dfs_source_init(struct sched_dfs_source *src, int bound);
void sched_dfs_source_init_opts(struct sched_dfs_source *src,
				const struct sched_dfs_options *opt);
/* After an execution: 0 when the space is exhausted (base.exhausted). */
int sched_dfs_next(struct sched_dfs_source *src);
/* The footprint of step (sc trace of the last or current execution),
 * and whether two steps depend on each other. */
void sched_step_footprint(uint32_t step, size_t *from,
			  struct sched_footprint *fp);
bool sched_footprints_depend(const struct sched_footprint *a,
			     const struct sched_footprint *b);

/* ---- verdicts ----------------------------------------------------------- */

/*
 * A class of violation: the engine owns the generic ones (deadlock,
 * lock-mismatch, use-after-free, null-deref, assert, warn, step-limit), a
 * model registers its own from its own folder with SCHED_CLASS, and every
 * tool (stop sets, findings, triage, the minimizer) takes the list from
 * this registry.  An execution without a report is "ok".
 */
#define SCHED_CLASS_FATAL 1u	/* leaves the execution undefined: it ends */
#define SCHED_CLASS_NOT_BUG 2u	/* step-limit: the bound was hit, no bug */
#define SCHED_CLASS_STATE 4u	/* judges the whole state at a quiet instant,
				   not one access: no site to group by */

struct sched_class {
	const char *name;	/* "stale-reused": lower case, dashes */
	const char *meaning;	/* one line, for --list-classes and the docs */
	unsigned flags;
	int id;			/* 1.., by name; set by the registry */
};

#define SCHED_SECTION_(sec) __attribute__((section(#sec), used))
/* Defines and registers a class: SCHED_CLASS(counter_lost, "lost-update",
 * 0, "an increment was lost");  declare it elsewhere as
 * extern struct sched_class counter_lost. */
#define SCHED_CLASS(var, cname, cflags, cmeaning)                          \
	struct sched_class var = { cname, cmeaning, cflags, 0 };           \
	static struct sched_class *const var##_entry_                      \
		SCHED_SECTION_(sched_classes) = &var

#define SCHED_MAX_CLASSES 64
/* The registered classes, sorted by name (ids 1..count): the order and the
 * ids are the same in every build, whatever the link order. */
size_t sched_class_count(void);
struct sched_class *sched_class_at(size_t i);	/* i < count */
/* NULL when name is unknown. */
struct sched_class *sched_class_find(const char *name);
/* "deadlock, lock-mismatch, ..." (every class but step-limit). */
const char *sched_class_names(void);

/* The engine's classes. */
extern struct sched_class sched_class_deadlock, sched_class_lock_mismatch,
	sched_class_use_after_free, sched_class_null_deref,
	sched_class_assert, sched_class_warn, sched_class_data_race,
	sched_class_step_limit;
#define SCHED_OK ((const struct sched_class *)0)
#define SCHED_DEADLOCK (&sched_class_deadlock)
#define SCHED_LOCK_MISMATCH (&sched_class_lock_mismatch)
#define SCHED_USE_AFTER_FREE (&sched_class_use_after_free)
#define SCHED_NULL_DEREF (&sched_class_null_deref)
#define SCHED_ASSERT (&sched_class_assert)
#define SCHED_WARN (&sched_class_warn)
#define SCHED_DATA_RACE (&sched_class_data_race)
#define SCHED_STEP_LIMIT (&sched_class_step_limit)

/* "ok" for SCHED_OK. */
const char *sched_verdict_name(const struct sched_class *c);

#define SCHED_MAX_REPORTS 8
#define SCHED_MAX_KEYS 8

/* An event a report depends on, named by the oracle (the slice, slice.h,
 * starts from these): the events of step on any CPU, or, when place is
 * set (arena offset + 1), the last write of that location at or before
 * step. */
struct sched_key {
	uint32_t step;
	uint32_t place;
};

struct sched_report {
	const struct sched_class *verdict;
	uint32_t step;
	int cpu;
	char detail[240];
	int nkeys;
	struct sched_key keys[SCHED_MAX_KEYS];
};

/* Records a violation found by the engine or by a model's oracle.  Fatal
 * classes end the execution immediately (this call does not return). */
void sched_report(const struct sched_class *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Names a key event of the next sched_report: the events of step (place
 * NULL), or the last write of place at or before step (the store that
 * made the state the oracle judged).  Keys past SCHED_MAX_KEYS are
 * dropped; a report with none has its CPU's last event as its key. */
void sched_report_key(const volatile void *place, uint32_t step);

/* A setting or an environment the engine cannot work with: one line
 * "schedfuzz: ..." on stderr, exit status 2. */
void sched_fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* registry.c: the entries a linker section holds, sorted by name into out
 * (at most cap); two entries of one name are fatal.  what names them in
 * errors ("class", "scenario"). */
size_t sched_registry_collect(void *const *start, void *const *stop,
			      void **out, size_t cap,
			      const char *(*name_of)(const void *),
			      const char *what);

/* ---- trace -------------------------------------------------------------- */

enum sched_op {
	SCHED_OP_LOAD, SCHED_OP_STORE, SCHED_OP_RMW,
	SCHED_OP_LOCK, SCHED_OP_UNLOCK, SCHED_OP_BLOCK,
	SCHED_OP_RCU_LOCK, SCHED_OP_RCU_UNLOCK, SCHED_OP_SYNC_RCU,
	SCHED_OP_CALL_RCU,
	SCHED_OP_BARRIER, SCHED_OP_ALLOC, SCHED_OP_FREE,
	SCHED_OP_LIST, SCHED_OP_WAIT, SCHED_OP_COMPLETE,
	SCHED_OP_RELEASE_PAGE, SCHED_OP_CALL, SCHED_OP_VERDICT,
	SCHED_OP_NR
};

/* Values that point into the shared arena are stored as the arena offset
 * with a flag, so no raw address ever reaches a trace or a hash. */
#define SCHED_VAL_PTR 1u
#define SCHED_AUX_PTR 2u
#define SCHED_BEFORE 4u		/* weak store: aux is how many newer stores
				   it went before in coherence order */
#define SCHED_FAILED 8u		/* a cmpxchg, trylock, ... that failed: a
				   load of what it found */
#define SCHED_PLAIN 16u		/* a plain C access, seen through the
				   compiler's instrumentation (what: NULL) */

struct sched_event {
	uint32_t step;		/* scheduling point, or the one it belongs to */
	int8_t cpu;		/* -1 for the engine itself */
	uint8_t op;		/* enum sched_op */
	uint8_t flags;		/* SCHED_VAL_PTR, SCHED_AUX_PTR */
	int16_t obj;		/* object id, -1 for none */
	uint32_t off;		/* offset of the field inside the object */
	const char *what;	/* expression or name, e.g. "page->mapping" */
	uint64_t value;		/* normalised: see SCHED_VAL_PTR */
	uint64_t aux;		/* op-specific: old value, generation, ...;
				   a load in the weak mode: the step of the
				   store it read + 1, and in bits 32 and up
				   how many newer stores it skipped */
	struct sched_site *site;
	const char *prim;	/* the primitive when the op alone does not
				   say it ("cmpxchg", "mutex_lock"), or NULL */
};

struct sched_decision_rec {
	uint32_t step;
	uint8_t kind, n, choice;
	int8_t cpu;
	bool preemption;	/* a CPU decision away from a CPU that could go on */
	int label;		/* cands[choice] */
};

/* ---- programs and executions ------------------------------------------- */

/* A program: how to build the initial world, what each CPU runs, and
 * what must hold once every CPU has finished (check, optional: it runs
 * with no scheduling point and reads the final values; BUG_ON or WARN_ON
 * in it report as in the CPUs). */
struct sched_program {
	int ncpus;
	void (*init)(void *arg);
	void (*cpu[SCHED_MAX_CPUS])(void *arg);
	void (*check)(void *arg);
	void *arg;
};

/* A named variant of a model (a kernel version, a fix, an ablation): the
 * scenario hands data to the model when the variant is chosen. */
struct sched_variant {
	const char *name;
	const char *summary;	/* one line */
	const void *data;	/* the model's own: flags, a function table */
};

struct sched_result {
	int nreports;
	struct sched_report reports[SCHED_MAX_REPORTS];
	uint32_t steps;
	int step_limit_hit;
	bool cut;		/* the source ended it (SCHED_CHOICE_CUT) */
};

/* Runs one execution.  The trace stays readable until the next run. */
void sched_run(const struct sched_program *prog, struct sched_decisions *src,
	       struct sched_result *res);

/* Step bound per execution (default SCHED_DEFAULT_MAX_STEPS, or the
 * environment variable SCHED_MAX_STEPS). */
#define SCHED_DEFAULT_MAX_STEPS 4000
#define SCHED_MAX_MAX_STEPS 100000000	/* the trace keeps the first 65536 */
#define SCHED_STR__(x) #x
#define SCHED_STR_(x) SCHED_STR__(x)
void sched_set_max_steps(uint32_t n);
/* A step bound as text: NULL with *out set, or why it is not one. */
const char *sched_parse_max_steps(const char *s, uint32_t *out);

/* How CPUs run: "fiber" (default where available) or "pthread"; the
 * environment variable SCHED_BACKEND sets it too.  -1 if unknown. */
int sched_set_backend(const char *name);

/* The memory model (weak.c): "sc" (the default: every load reads the
 * latest store), "weak" (a load may read an older store, as LKMM allows;
 * which one is a SCHED_DECIDE_READ decision) or "weak-alpha" (weak, and
 * address dependencies order nothing without smp_read_barrier_depends).
 * The environment variable SCHED_MEMORY sets it too.  -1 if unknown. */
int sched_set_memory(const char *name);
const char *sched_memory_name(void);

/* Data races (race.c): checked in the executions of a program whose
 * code is plain C (the scenario's files were compiled with the plain-C
 * instrumentation: scenario.c says so), under the rules of
 * sched_set_race_mode or the environment variable SCHED_RACES: "lkmm"
 * (the default: every data race as LKMM defines it), "kcsan" (not those
 * KCSAN leaves out by default: a plain aligned write of up to 8 bytes
 * counts as marked) or "off".  -1 if unknown. */
void sched_set_races(bool plain_c);
int sched_set_race_mode(const char *name);
const char *sched_race_mode_name(void);

/* The data races of the last execution, for tools that gather them:
 * every pair of sites, while the verdicts name the first few (the
 * report's detail says the same for people). */
struct sched_race_access {
	int cpu;
	uint32_t step;
	struct sched_site *site;
	bool plain, write, atomic;
};
struct sched_race {
	int obj;		/* the object, or -1 */
	uint32_t field;		/* the offset in it of a byte both touched */
	struct sched_race_access first, second;
};
size_t sched_race_count(void);
const struct sched_race *sched_race_at(size_t i);

/* Schedule-shaped coverage for libFuzzer (coverage.c), and the model's
 * own features (model). */
#define SCHED_COV_SWITCH 1u
#define SCHED_COV_RF 2u
#define SCHED_COV_LOCK 4u
#define SCHED_COV_ALLOC 8u
#define SCHED_COV_MODEL 16u
#define SCHED_COV_ALL 31u
extern unsigned sched_cov_mask;
/* libFuzzer's extra counters; coverage.c says why this size. */
#define SCHED_COV_SIZE 4096u
extern uint8_t sched_cov_counters[SCHED_COV_SIZE];
/* "switch,rf,lock,alloc,model", "all" or "none" (NULL or "": the default,
 * "lock,alloc,model"); -1 on an unknown name. */
int sched_cov_parse(const char *spec);
/* A feature the model computes from its own state (with "model" on): a
 * pair of stable keys, never an address.  Each is there or not in an
 * execution (no count), in a region of its own. */
void sched_cov_model(uint32_t a, uint32_t b);
#define SCHED_COV_MODEL_SIZE 8192u
extern uint8_t sched_cov_model_counters[SCHED_COV_MODEL_SIZE];

/* The trace of the last execution: at most SCHED_TRACE_MAX events. */
#define SCHED_TRACE_MAX (1u << 16)
size_t sched_trace_len(void);
const struct sched_event *sched_trace_event(size_t i);
size_t sched_decision_count(void);
const struct sched_decision_rec *sched_decision(size_t i);
uint64_t sched_trace_hash(void);
/* Whether the current CPU loaded p at a step >= since in the execution in
 * progress; *from is then the step of the store its last such load read:
 * under sc the load's own step (it read the latest), in the weak modes
 * the step the store was made at (0: the initial value).  For oracles
 * that judge what a CPU saw, not what was true at the instant. */
bool sched_load_read_from(const volatile void *p, uint32_t since,
			  uint32_t *from);
/* Preemptions in the last execution. */
unsigned sched_preemptions(void);

/* Rendering, for people: Relacy-style numbered event list (view.h has
 * the column diagram in the style of the 2010 mail, the mail view and the
 * SVG picture). */
void sched_print_events(FILE *out);
/* One event as the event list shows it, e.g. "read page_A->mapping: ...". */
void sched_describe_event(char *buf, size_t len, const struct sched_event *e);
void sched_format_value(char *buf, size_t len, uint64_t value, bool ptr);
/* "anon_vma#0", or "page_A" for a named object. */
void sched_format_obj(char *buf, size_t len, int obj);

/* ---- what a running CPU may ask ---------------------------------------- */

int sched_current_cpu(void);	/* -1 outside a CPU */
uint32_t sched_current_step(void);
/* Adds a model-level note to the trace (no scheduling point), e.g. the
 * return value of a function the diagram should show. */
void sched_note(struct sched_site *site, const char *what, uint64_t value);

/* Object identity, for oracles (no scheduling point, nothing recorded). */
int sched_obj_id(const void *p);
uint32_t sched_obj_gen(const void *p);	/* bumped at each allocation */
int sched_obj_is_free(const void *p);

#endif
