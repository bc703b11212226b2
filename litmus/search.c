/*
 * search.c - every execution of a litmus test, and the final states they
 * reach: dfs with no preemption bound over every schedule and, under
 * weak memory, every store each load may read and every place in
 * coherence order each store may take.  An execution that deadlocks (a
 * synchronize_rcu inside its own read-side critical section) or that the
 * filter rejects has no final state, as in herd7, where such an
 * execution is no candidate at all.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../sched/view.h"
#include "litmus.h"

static bool holds(const struct lit_test *t, const struct lit_prop *q)
{
	int64_t want, got;

	switch (q->kind) {
	case LIT_P_TRUE: return true;
	case LIT_P_FALSE: return false;
	case LIT_P_NOT: return !holds(t, q->a);
	case LIT_P_AND: return holds(t, q->a) && holds(t, q->b);
	case LIT_P_OR: return holds(t, q->a) || holds(t, q->b);
	case LIT_P_ATOM:
		want = q->value_addr >= 0 ? lit_var_addr(q->value_addr) : q->value;
		got = lit_final_value(t, q->loc);
		return (got == want) != q->neq;
	}
	return false;
}

/* Adds the last run's final state unless it is there already. */
static int add_state(const struct lit_test *t, struct lit_search *s)
{
	struct lit_state st = { .ok = holds(t, t->cond) };

	for (int i = 0; i < t->nlocs; i++)
		st.v[i] = lit_final_value(t, t->locs[i]);
	for (int i = 0; i < s->nstates; i++)
		if (!memcmp(s->states[i].v, st.v, sizeof(st.v)))
			return 0;
	if (s->nstates == s->capstates) {
		int cap = s->capstates ? 2 * s->capstates : 16;
		struct lit_state *n = realloc(s->states, (size_t)cap * sizeof(*n));

		if (!n)
			return -1;
		s->states = n;
		s->capstates = cap;
	}
	s->states[s->nstates++] = st;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first report of the last run, or NULL. */
static const struct sched_report *report(const struct sched_result *res)
{
	return res->nreports ? &res->reports[0] : NULL;
}

int lit_search(const struct lit_test *t, unsigned long max_executions,
	       struct lit_search *s, char *err, size_t errlen)
{
	return lit_search_witness(t, max_executions, NULL, s, err, errlen);
}

int lit_search_witness(const struct lit_test *t, unsigned long max_executions,
		       FILE *witness, struct lit_search *s, char *err,
		       size_t errlen)
{
	static struct sched_dfs_source dfs;
	struct sched_program prog;
	struct sched_result res;
	double start = now();
	int rc = 0;

	memset(s, 0, sizeof(*s));
	lit_program(t, &prog);
	sched_deps_explicit(true);
	sched_dfs_source_init(&dfs, INT_MAX);
	do {
		const struct sched_report *r;

		if (s->executions == max_executions) {
			snprintf(err, errlen, "%s: more than %lu executions: "
				 "the search was stopped, no verdict "
				 "(--max-executions)", t->path, max_executions);
			rc = -1;
			break;
		}
		sched_run(&prog, &dfs.base, &res);
		s->executions++;
		if ((int)dfs.len > s->max_depth)
			s->max_depth = (int)dfs.len;
		r = report(&res);
		if (lit_run_error()) {
			snprintf(err, errlen, "%s", lit_run_error());
			rc = -1;
			break;
		}
		if (dfs.diverged || res.step_limit_hit) {
			snprintf(err, errlen, "%s: %s", t->path, dfs.diverged ?
				 "an execution did not replay the same way "
				 "(a bug of schedfuzz)" :
				 "an execution did not end (SCHED_MAX_STEPS)");
			rc = -1;
			break;
		}
		if (r && r->verdict == SCHED_DEADLOCK) {
			if (!s->deadlocked++)
				snprintf(s->deadlock, sizeof(s->deadlock), "%s",
					 r->detail);
		} else if (r) {
			if (!s->flagged++)
				snprintf(s->flag, sizeof(s->flag), "%s: %s",
					 sched_verdict_name(r->verdict),
					 r->detail);
		} else if (t->filter && !holds(t, t->filter)) {
			s->filtered++;
		} else {
			s->complete++;
			if (witness && holds(t, t->cond)) {
				struct sched_view view;

				sched_view_init(&view, t->nprocs, NULL);
				sched_view_diagram(witness, &view);
				witness = NULL;
			}
			if (add_state(t, s)) {
				snprintf(err, errlen, "%s: out of memory",
					 t->path);
				rc = -1;
				break;
			}
		}
	} while (sched_dfs_next(&dfs));
	sched_deps_explicit(false);
	s->seconds = now() - start;
	for (int i = 0; i < s->nstates; i++)
		s->states[i].ok ? s->positive++ : s->negative++;
	s->observation = !s->positive ? LIT_NEVER :
			 s->negative ? LIT_SOMETIMES : LIT_ALWAYS;
	return rc;
}

void lit_search_free(struct lit_search *s)
{
	free(s->states);
	s->states = NULL;
}

/* A value as herd7 prints it: a variable's name for its address. */
static void value_text(const struct lit_test *t, int64_t v, char *buf,
		       size_t len)
{
	for (int i = 0; i < t->nvars; i++)
		if (v == lit_var_addr(i)) {
			snprintf(buf, len, "%s", t->vars[i].name);
			return;
		}
	snprintf(buf, len, "%lld", (long long)v);
}

void lit_state_text(const struct lit_test *t, const struct lit_state *st,
		    char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (int i = 0; i < t->nlocs && used < len; i++) {
		const struct lit_loc *l = &t->locs[i];
		char v[64];

		value_text(t, st->v[i], v, sizeof(v));
		if (l->proc >= 0)
			used += (size_t)snprintf(buf + used, len - used, "%s%d:%s=%s;",
						 used ? " " : "", l->proc,
						 t->procs[l->proc].regs[l->idx], v);
		else
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%s;",
						 used ? " " : "",
						 t->vars[l->idx].name, v);
	}
}
