/*
 * litmus.h - the LKMM C-litmus format (tools/memory-model/litmus-tests):
 * a test parsed from its text (parse.c), its processes run on the engine
 * by an interpreter that knows every dependency from the program text
 * (interp.c), and every execution of it searched for the final states it
 * reaches (search.c).
 *
 * A test reads:
 *
 *	C NAME
 *	(* ... Result: Never ... *)
 *	{ x=1; int *p = &x; spinlock_t s; 0:r1=2; }
 *	P0(int *x, int **p) { int r0; r0 = READ_ONCE(*x); ... }
 *	P1(...) { ... }
 *	locations [x; 0:r0]
 *	filter (0:r0=1)
 *	exists (0:r0=1 /\ ~x=2 \/ 1:r0=x)
 *
 * with the kernel C subset of LKMM's linux-kernel.def: registers,
 * marked accesses, barriers, RCU, spin locks, the atomic_t, xchg and
 * cmpxchg families, if/else; and, beyond herd7's set, what sched/kernel.h
 * adds (mutexes, rwsems, refcount_t, seqcount_t, smp_cond_load_*).
 */
#ifndef LITMUS_LITMUS_H
#define LITMUS_LITMUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../sched/kernel.h"

#define LIT_MAX_PROCS 16	/* SCHED_MAX_CPUS */
#define LIT_MAX_VARS 64
#define LIT_MAX_REGS 64		/* per process */
#define LIT_MAX_DEPS 16		/* loads one value may depend on */
#define LIT_MAX_LOCS 64		/* locations shown in a state */

/* Result: lines and observations.  DEADLOCK (a Result: word of the
 * kernel's Documentation/litmus-tests/locking) expects no final state. */
enum lit_word { LIT_NONE, LIT_NEVER, LIT_SOMETIMES, LIT_ALWAYS, LIT_DEADLOCK };
const char *lit_word_name(enum lit_word w);

/* A place in the file, for messages "FILE:LINE:COL: ...". */
struct lit_pos {
	int line, col;
};

/* ---- the program --------------------------------------------------------- */

enum lit_var_kind { LIT_VAR_INT, LIT_VAR_LOCK };

struct lit_var {
	char *name;
	enum lit_var_kind kind;
	int64_t init;		/* the initial value, or */
	int init_addr;		/* the address of this variable, -1 none */
};

struct lit_prim;		/* a primitive the interpreter knows (interp.c) */

enum lit_expr_kind {
	LIT_E_NUM, LIT_E_REG, LIT_E_VAR,	/* a shared variable's address */
	LIT_E_DEREF,		/* *e: only as a marked access's argument */
	LIT_E_UNARY, LIT_E_BINARY, LIT_E_COND, LIT_E_CALL, LIT_E_ASSIGN,
	LIT_E_VAL,		/* VAL, inside smp_cond_load_*() */
};

struct lit_expr {
	enum lit_expr_kind kind;
	struct lit_pos pos;
	int64_t num;
	int idx;		/* register or variable */
	int op;			/* unary/binary operator: its first char, or
				   a two-char token as 'a'<<8|'b' */
	struct lit_expr *a, *b, *c;
	/* a call */
	const struct lit_prim *prim;
	struct lit_expr *args[3];
	int nargs;
	char *what;		/* the accessed location as written ("*x") */
	struct sched_site site;
};

enum lit_stmt_kind { LIT_S_EXPR, LIT_S_IF, LIT_S_BLOCK };

struct lit_stmt {
	enum lit_stmt_kind kind;
	struct lit_expr *e;	/* EXPR; IF: the condition */
	struct lit_stmt *then, *els, *body;	/* IF; BLOCK: first child */
	struct lit_stmt *next;
};

struct lit_proc {
	char name[8];		/* "P0" */
	struct lit_stmt *body;
	int nregs;
	char *regs[LIT_MAX_REGS];
	int64_t reg_init[LIT_MAX_REGS];
	int reg_init_addr[LIT_MAX_REGS];	/* variable, -1 none */
};

/* ---- the condition ------------------------------------------------------ */

struct lit_loc {
	int proc;		/* -1: the variable idx; else register idx */
	int idx;
};

enum lit_prop_kind { LIT_P_TRUE, LIT_P_FALSE, LIT_P_ATOM, LIT_P_NOT,
		     LIT_P_AND, LIT_P_OR };

struct lit_prop {
	enum lit_prop_kind kind;
	struct lit_loc loc;	/* ATOM: loc = value, or loc != value */
	bool neq;
	int64_t value;
	int value_addr;		/* the value is this variable's address */
	struct lit_prop *a, *b;
};

enum lit_quant { LIT_EXISTS, LIT_NOT_EXISTS, LIT_FORALL };

/* A Result: line, and a departure schedfuzz documents for the test. */
struct lit_expect {
	enum lit_word word;
	int line;
	char reason[160];	/* departures only */
};

struct lit_test {
	const char *path;
	char *name;
	struct lit_expect result;	/* LKMM's verdict (Result:) */
	/* "schedfuzz: WORD (reason)" and "schedfuzz weak-alpha: WORD
	 * (reason)" in the header: the documented departures */
	struct lit_expect departure, departure_alpha;
	int nvars;
	struct lit_var vars[LIT_MAX_VARS];
	int nprocs;
	struct lit_proc procs[LIT_MAX_PROCS];
	int nlocs;		/* locations shown: locations [...], then */
	struct lit_loc locs[LIT_MAX_LOCS];	/* the condition's */
	struct lit_prop *filter;
	enum lit_quant quant;
	struct lit_prop *cond;
	char *cond_text;
	/* the allocations of this test, freed by lit_free */
	void **blocks;
	size_t nblocks, capblocks;
};

/* parse.c: the test in text (len bytes; path names it in messages), or
 * NULL with one line "PATH:LINE:COL: message" in err. */
struct lit_test *lit_parse(const char *path, const char *text, size_t len,
			   char *err, size_t errlen);
void lit_free(struct lit_test *t);
/* An allocation that lives as long as t (zeroed). */
void *lit_alloc(struct lit_test *t, size_t size);

/* interp.c: the primitive called name, NULL when unknown; *why says why
 * one the format has is not supported here. */
const struct lit_prim *lit_prim_find(const char *name, const char **why);
const char *lit_prim_name(const struct lit_prim *p);
/* How many arguments it takes. */
int lit_prim_nargs(const struct lit_prim *p);
/* Whether its value can be used (not a void call). */
bool lit_prim_has_value(const struct lit_prim *p);
/* Which argument is the location it accesses, -1 none; *deref says
 * whether it is written *E (READ_ONCE(*x)) or as the address E. */
int lit_prim_loc_arg(const struct lit_prim *p, bool *deref);

/* ---- running it ------------------------------------------------------- */

/* The program of t for the engine: one CPU per process.  After each run
 * the final state is readable with lit_final_value until the next. */
void lit_program(const struct lit_test *t, struct sched_program *prog);
/* The final value of a location after the last run. */
int64_t lit_final_value(const struct lit_test *t, struct lit_loc loc);
/* The address of variable idx in the last run (for values naming it). */
int64_t lit_var_addr(int idx);
/* A run that went wrong in a way the test cannot mean (a register used
 * as a pointer that points at no variable): the message, with its
 * place, or NULL. */
const char *lit_run_error(void);

struct lit_state {
	int64_t v[LIT_MAX_LOCS];
	bool ok;		/* the condition holds */
};

struct lit_search {
	unsigned long executions;	/* every execution the search ran */
	unsigned long complete;		/* that ended with every CPU done */
	unsigned long deadlocked, filtered, flagged;
	char deadlock[240];		/* one deadlock's detail */
	char flag[240];			/* one flagged execution's verdict */
	int nstates, capstates;
	struct lit_state *states;	/* distinct final states, found order */
	int positive, negative;		/* states where the condition holds */
	enum lit_word observation;
	double seconds;
	int max_depth;			/* the longest decision path */
};

/* search.c: every execution of t under the memory model in force (dfs
 * over every schedule and every store each load may read).  0, or -1
 * with "PATH:LINE:COL: message" (or "PATH: message") in err when a run
 * went wrong or max_executions ran out before the end. */
int lit_search(const struct lit_test *t, unsigned long max_executions,
	       struct lit_search *s, char *err, size_t errlen);
/* The same; the first execution whose final state satisfies the
 * condition is drawn on witness (sched_print_diagram) as it ends. */
int lit_search_witness(const struct lit_test *t, unsigned long max_executions,
		       FILE *witness, struct lit_search *s, char *err,
		       size_t errlen);
void lit_search_free(struct lit_search *s);
/* "0:r0=1; x=2;", a state as herd7 prints it. */
void lit_state_text(const struct lit_test *t, const struct lit_state *st,
		    char *buf, size_t len);

#endif
