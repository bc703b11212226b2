/*
 * target.h - what the fuzz targets and the tools share: the settings an
 * execution depends on, reading inputs, running one, and saying what
 * happened.  No model header here: scenarios come from the registry.
 */
#ifndef FUZZ_TARGET_H
#define FUZZ_TARGET_H

#include "../scenarios/scenario.h"

/* libFuzzer's entry points, which every fuzz target defines. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- settings ------------------------------------------------------------ */

/*
 * The settings an execution depends on (enum sched_setting): scenario,
 * variant, memory, noise, max-steps.  The user gives them in the
 * environment (SCHED_SCENARIO, SCHED_VARIANT or a scenario's older name
 * such as RMAP_VARIANT, SCHED_MEMORY, SCHED_NOISE, SCHED_MAX_STEPS) and
 * on the command line (--scenario, --variant, --memory, --noise,
 * --max-steps; the command line wins); a text schedule carries them in
 * its header.  A user setting that contradicts the file is an error,
 * unless the tool's --override says the user's win.
 */
struct target_settings {
	char val[SCHED_SET_NR][96];
	const char *from[SCHED_SET_NR];	/* who set it, NULL: nobody */
};

/* The environment's; a malformed value exits 2 with one line. */
void target_settings_env(struct target_settings *s, const char *tool);
/* opt is a setting's option (--memory ...): takes val (exits 2 on a
 * malformed one) and returns true. */
bool target_settings_option(struct target_settings *s, const char *tool,
			    const char *opt, const char *val);
/* The lines --help prints for the settings' options and variables. */
extern const char target_settings_help[];

/* ---- inputs --------------------------------------------------------------- */

/* One input: a text schedule (parsed) or bytes (the programs, when the
 * scenario has them, then one byte per decision). */
struct target_input {
	const uint8_t *data;
	size_t size;
	bool text;
	struct sched_text t;
};

/* Reads data as an input.  A text schedule that does not parse is an
 * error; so is one whose first line is nearly the format's when strict
 * (the tools), while a fuzz target takes such bytes as a binary input
 * (any byte string is one).  0, or -1 with target_error(). */
int target_load(struct target_input *in, const uint8_t *data, size_t size,
		bool strict);
void target_unload(struct target_input *in);

/* Puts in force the settings of one execution of in (NULL: the user's
 * alone): the user's, else the input's header, else the defaults (the
 * scenario's first variant, memory sc, noise 0, SCHED_DEFAULT_MAX_STEPS).
 * Every value is checked.  0 with *sc set, or -1 with target_error(). */
int target_configure(const struct target_settings *user,
		     const struct target_input *in, bool override,
		     const struct scenario **sc);
/* The settings in force as a text schedule's header lines, and one of
 * them ("" before any target_configure). */
const char *target_header(void);
const char *target_setting(enum sched_setting k);
/* "variant v2.6.34, memory sc, noise 0": the settings in force. */
const char *target_settings_line(void);

/* Runs in under the settings in force.  The trace stays readable until
 * the next run.  -1 with target_error() when a text input does not fit
 * sc (a programs line it does not take, a CPU it does not have). */
int target_exec(const struct scenario *sc, struct target_input *in,
		struct sched_result *res);
/* Runs sc with these programs (sc->header_size bytes, ignored when it
 * has none) under any decision source: the strategies, the minimizer. */
void target_exec_source(const struct scenario *sc, const uint8_t *programs,
			struct sched_decisions *src, struct sched_result *res);
/* The CPUs of the last execution. */
int target_ncpus(void);
/* Lines of the last text input that the execution never reached ("12,
 * 14-20"), NULL when none. */
const char *target_unused_lines(const struct target_input *in);

/* Loads and runs data under the settings in force for sc (tests and the
 * minimizer): a text schedule's settings must agree with them.  -1 with
 * target_error() when the input cannot run. */
int target_run(const struct scenario *sc, const uint8_t *data, size_t size,
	       struct sched_result *res);
const char *target_error(void);
void target_error_clear(void);
/* Sets target_error() (for the files of fuzz/); returns -1. */
int target_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The programs of the last run (sc->header_size bytes, zero-filled). */
const uint8_t *target_programs(void);
/* The first line of the last text schedule whose choice could not be
 * taken (the default was), 0 when none. */
int target_text_failed_line(void);

/* Reads a whole file ("-": standard input) of at most 64 MiB, of any
 * kind (a FIFO is read to its end; with no writer, that is at once);
 * NULL with one line "TOOL: PATH: why" on stderr otherwise.  Free it. */
uint8_t *target_read_file(const char *tool, const char *path, size_t *size);

/* One line per report: "VIOLATION <class>: <detail> (step N)",
 * "STEP-LIMIT: ...", or "OK".  Returns true when there was a violation. */
bool target_print_verdicts(FILE *out, const struct sched_result *res);
/* Writes the last execution as a self-describing text schedule (header,
 * programs, decisions) to path; 0, or -1 after one line on stderr. */
int target_write_text(const char *tool, const char *path,
		      const struct scenario *sc);

/* A set of classes, from "all", "none" or "a,b,...": false with a line
 * naming the unknown class.  stop[c->id]. */
bool target_parse_classes(const char *tool, const char *what,
			  const char *spec, bool stop[SCHED_MAX_CLASSES + 1]);

/* The replay command for a file, with the replay next to this program
 * (argv0) and the file's absolute path. */
void target_replay_command(char *buf, size_t len, const char *argv0,
			   const char *path);

/* ---- libFuzzer ----------------------------------------------------------- */

/* What a fuzz target has built in (NULL or "-": nothing): its scenario
 * (NULL for the generic out/fuzz: SCHED_SCENARIO, or its first argument,
 * which is taken off), variant and memory model (the environment
 * overrides them), and the classes it is expected to show ("a,b"): it
 * stops on every other class unless SCHED_STOP says otherwise. */
struct target_fuzz_config {
	const char *scenario, *variant, *memory, *expect;
};

/* LLVMFuzzerInitialize of every fuzz target.  Adds the default libFuzzer
 * flags (-len_control=0) unless the command line sets them; --help and
 * --version print and exit 0; reads and checks every setting (a bad one
 * exits 2 with one line, before libFuzzer watches exit()). */
void target_fuzz_init(const struct target_fuzz_config *cfg, int *argc,
		      char ***argv);
/* LLVMFuzzerTestOneInput of every fuzz target. */
int target_fuzz_one(const uint8_t *data, size_t size);
/* The schedule features when SCHED_FEATURES is not set, for the memory
 * model in force: under weak memory the reads-from pairs join them. */
const char *target_default_features(void);

/* ---- minimize.c ------------------------------------------------------------ */

/* The fewest preemptions, then the fewest runs, that still show class v
 * (a status line on stderr every 5 s; Ctrl-C stops at the best so far).
 * 0, with the minimized execution as the last run (write it with
 * target_write_text), or -1 when the input does not parse or does not
 * show v. */
struct target_min_result {
	unsigned before_steps, before_preemptions;
	unsigned after_steps, after_preemptions;
	size_t runs;
	bool interrupted;	/* Ctrl-C: the best found until then */
};
int target_minimize(const struct scenario *sc, const uint8_t *data,
		    size_t size, const struct sched_class *v,
		    struct target_min_result *out);

/* ---- exit status, the same for every tool -------------------------------- */
#define TARGET_EXIT_OK 0	/* no violation */
#define TARGET_EXIT_FOUND 1	/* a violation */
#define TARGET_EXIT_USAGE 2	/* a usage, input or setting error */

#endif
