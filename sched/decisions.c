/*
 * decisions.c - the fuzzer's decision source: one byte per decision.
 *
 * The mapping is documented in sched.h (struct sched_bytes_source): byte
 * modulo the number of candidates, and the engine's default once the bytes
 * run out.  Decisions with a single candidate take no byte, so every byte
 * of an input is a real choice and a mutation of one byte changes one
 * decision.
 */
#include "engine.h"

static unsigned bytes_choose(struct sched_decisions *base,
			     const struct sched_ask *ask)
{
	struct sched_bytes_source *src = (struct sched_bytes_source *)base;

	if (ask->n <= 1 || src->pos >= src->size)
		return ask->dflt;
	return src->data[src->pos++] % ask->n;
}

void sched_bytes_source_init(struct sched_bytes_source *src,
			     const uint8_t *data, size_t size)
{
	src->base = (struct sched_decisions){ .choose = bytes_choose };
	src->data = data;
	src->size = size;
	src->pos = 0;
}

int sched_label_index(const int *cands, unsigned n, int label)
{
	for (unsigned i = 0; i < n; i++)
		if (cands[i] == label)
			return (int)i;
	return -1;
}

static unsigned script_choose(struct sched_decisions *base,
			      const struct sched_ask *ask)
{
	struct sched_script_source *src = (struct sched_script_source *)base;
	enum sched_decision_kind kind = ask->kind;
	const int *cands = ask->cands;
	unsigned n = ask->n, dflt = ask->dflt;
	int i;

	if (kind != SCHED_DECIDE_CPU) {
		if (src->next[kind] >= src->nlabels[kind])
			return dflt;
		i = sched_label_index(cands, n, src->labels[kind][src->next[kind]++]);
		if (i < 0)
			src->failed = 1;
		return i < 0 ? dflt : (unsigned)i;
	}
	while (src->run < src->nruns) {
		const struct sched_script_run *r = &src->runs[src->run];

		i = sched_label_index(cands, n, r->cpu);
		if (i >= 0 && (r->count == 0 || src->done_in_run < r->count)) {
			src->done_in_run++;
			return (unsigned)i;
		}
		if (i < 0 && r->count && src->done_in_run < r->count)
			src->failed = 1;	/* its CPU cannot run */
		src->run++;
		src->done_in_run = 0;
	}
	return dflt;
}

void sched_script_source_init(struct sched_script_source *src,
			      const struct sched_script_run *runs, size_t nruns)
{
	*src = (struct sched_script_source){ .base.choose = script_choose,
					     .base.singles = true,
					     .runs = runs, .nruns = nruns };
}

size_t sched_decisions_to_bytes(uint8_t *out, size_t cap)
{
	size_t n = sched_decision_count();

	if (n > cap)
		n = cap;
	for (size_t i = 0; i < n; i++)
		out[i] = sched_decision(i)->choice;
	return n;
}
