/*
 * input.c - reading inputs and running them: a file or standard input,
 * a text schedule or bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target.h"

#define MAX_INPUT (64u << 20)

/* Reads fd to its end, at most MAX_INPUT bytes. */
static uint8_t *read_all(int fd, size_t *size, const char **why)
{
	size_t cap = 1 << 16, n = 0;
	uint8_t *data = malloc(cap + 1);

	while (data) {
		ssize_t got;

		if (n == cap) {
			uint8_t *more;

			if (cap > MAX_INPUT) {
				*why = "larger than 64 MiB";
				break;
			}
			more = realloc(data, 2 * cap + 1);
			if (!more)
				break;
			data = more;
			cap *= 2;
		}
		got = read(fd, data + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			*why = strerror(errno);
			break;
		}
		if (got == 0) {
			if (n > MAX_INPUT) {
				*why = "larger than 64 MiB";
				break;
			}
			*size = n;
			return data;
		}
		n += (size_t)got;
	}
	if (!data)
		*why = "out of memory";
	free(data);
	return NULL;
}

uint8_t *target_read_file(const char *tool, const char *path, size_t *size)
{
	const char *why = NULL;
	uint8_t *data;
	struct stat st;
	int fd;

	if (!strcmp(path, "-"))
		return (data = read_all(0, size, &why)) ? data :
		       (fprintf(stderr, "%s: standard input: %s\n", tool, why),
			NULL);
	/* O_NONBLOCK: opening a FIFO nobody writes to must not hang; reads
	 * block again once it is open. */
	fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", tool, path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: %s: is a directory\n", tool, path);
		close(fd);
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	data = read_all(fd, size, &why);
	close(fd);
	if (!data)
		fprintf(stderr, "%s: %s: %s\n", tool, path, why);
	return data;
}

int target_load(struct target_input *in, const uint8_t *data, size_t size,
		bool strict)
{
	char err[400];

	target_error_clear();
	memset(in, 0, sizeof(*in));
	in->data = data;
	in->size = size;
	if (!sched_text_is(data, size) &&
	    !(strict && sched_text_near_miss(data, size)))
		return 0;
	in->text = true;
	if (sched_text_parse((const char *)data, size, &in->t, err,
			     sizeof(err))) {
		in->text = false;
		return target_fail("%s", err);
	}
	return 0;
}

void target_unload(struct target_input *in)
{
	if (in->text)
		sched_text_free(&in->t);
	in->text = false;
}

static uint8_t programs[256];	/* the last run's, header_size bytes */
static int text_failed_line, ncpus;

int target_ncpus(void)
{
	return ncpus;
}

const uint8_t *target_programs(void)
{
	return programs;
}

int target_text_failed_line(void)
{
	return text_failed_line;
}

/* The input's programs, zero-filled to the scenario's header; the rest of
 * a binary input is the schedule. */
static size_t take_programs(const struct scenario *sc,
			    const struct target_input *in)
{
	const uint8_t *p = in->text ? in->t.programs : in->data;
	size_t n = in->text ? in->t.nprograms : in->size;

	memset(programs, 0, sizeof(programs));
	n = n < sc->header_size ? n : sc->header_size;
	memcpy(programs, p, n);
	return in->text ? 0 : n;
}

/* A text input's own checks against sc: its programs line, its CPUs. */
static int check_text(const struct scenario *sc,
		      const struct sched_program *prog,
		      const struct target_input *in)
{
	if (in->t.has_programs && !sc->setup)
		return target_fail("%s takes no programs line", sc->name);
	for (size_t i = 0; i < in->t.q[SCHED_DECIDE_CPU].n; i++) {
		const struct sched_text_entry *e = &in->t.q[SCHED_DECIDE_CPU].v[i];

		if (e->label >= prog->ncpus)
			return target_fail("line %d: cpu %d, but this %s has "
					   "%d CPUs", e->line, e->label,
					   sc->name, prog->ncpus);
	}
	return 0;
}

int target_exec(const struct scenario *sc, struct target_input *in,
		struct sched_result *res)
{
	size_t skip = take_programs(sc, in);
	const struct sched_program *prog = scenario_program(sc, programs);

	text_failed_line = 0;
	ncpus = prog->ncpus;
	if (in->text && check_text(sc, prog, in))
		return -1;
	if (in->text) {
		struct sched_text_source src;

		sched_text_source_init(&src, &in->t);
		sched_run(prog, &src.base, res);
		text_failed_line = src.failed_line;
	} else {
		struct sched_bytes_source src;

		sched_bytes_source_init(&src, in->data + skip, in->size - skip);
		sched_run(prog, &src.base, res);
	}
	return 0;
}

void target_exec_source(const struct scenario *sc, const uint8_t *prog_bytes,
			struct sched_decisions *src, struct sched_result *res)
{
	const struct sched_program *prog;

	if (prog_bytes != programs) {
		memset(programs, 0, sizeof(programs));
		if (prog_bytes)
			memcpy(programs, prog_bytes, sc->header_size);
	}
	prog = scenario_program(sc, programs);
	ncpus = prog->ncpus;
	sched_run(prog, src, res);
}

const char *target_unused_lines(const struct target_input *in)
{
	static char buf[256];

	return in->text && sched_text_unused(&in->t, buf, sizeof(buf)) ? buf
								       : NULL;
}

/* A text input's settings must be those in force. */
static int check_settings(const struct target_input *in)
{
	for (int k = 0; k < SCHED_SET_NR; k++)
		if (in->t.setting[k][0] &&
		    strcmp(in->t.setting[k], target_setting(k)))
			return target_setting(k)[0] ?
			       target_fail("line %d says %s %s, but %s %s is in "
					   "force", in->t.setting_line[k],
					   sched_setting_names[k],
					   in->t.setting[k],
					   sched_setting_names[k],
					   target_setting(k)) :
			       target_fail("line %d says %s %s, but no settings "
					   "are in force", in->t.setting_line[k],
					   sched_setting_names[k],
					   in->t.setting[k]);
	return 0;
}

int target_run(const struct scenario *sc, const uint8_t *data, size_t size,
	       struct sched_result *res)
{
	struct target_input in;
	int ret;

	if (target_load(&in, data, size, false))
		return -1;
	ret = in.text ? check_settings(&in) : 0;
	if (!ret)
		ret = target_exec(sc, &in, res);
	target_unload(&in);
	return ret;
}
