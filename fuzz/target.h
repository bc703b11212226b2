/*
 * target.h - what the fuzz targets and the replay tool share: run one
 * input of a scenario, and say what happened.
 */
#ifndef FUZZ_TARGET_H
#define FUZZ_TARGET_H

#include "../scenarios/scenario.h"

/* libFuzzer's entry points, which every fuzz target defines. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --variant NAME: 0, or -1 after one line naming the valid ones. */
int target_use_variant(const char *tool, const char *name);

/* --memory NAME (sc, weak, weak-alpha): 0, or -1 after one line. */
int target_use_memory(const char *tool, const char *name);
/* SCHED_MEMORY, when set; a bad value exits 2 with one line. */
void target_memory_from_env(const char *tool);

/* Reads a whole regular file of at most 64 MiB (free it); NULL with a
 * one-line error "TOOL: PATH: why" on stderr otherwise. */
uint8_t *target_read_file(const char *tool, const char *path, size_t *size);

/* Runs data as a schedule of sc under the variant in force: a text
 * schedule when it starts with "schedfuzz schedule v1", else bytes.
 * Returns -1, with the reason in target_error(), when a text schedule
 * does not parse (binary inputs always run). */
int target_run(const struct scenario *sc, const uint8_t *data, size_t size,
	       struct sched_result *res);
const char *target_error(void);
/* The programs of the last run (sc->header_size bytes, zero-filled). */
const uint8_t *target_programs(void);
/* The first line of the last text schedule whose choice could not be
 * taken (the default was), 0 when none. */
int target_text_failed_line(void);

/* One line per report: "VIOLATION <class>: <detail>", "STEP-LIMIT: ...",
 * or "OK".  Returns true when there was a violation. */
bool target_print_verdicts(FILE *out, const struct sched_result *res);

/* The body of a libFuzzer target: RMAP_VARIANT picks the variant,
 * SCHED_STOP the classes that abort (default: every violation class),
 * SCHED_FINDINGS=DIR logs the first input of each class found. */
int target_fuzz_one(const char *scenario, const uint8_t *data, size_t size);
/* From LLVMFuzzerInitialize: adds the targets' default libFuzzer flags
 * (-len_control=0) to the command line unless it sets them. */
void target_fuzz_flags(int *argc, char ***argv);
/* The schedule features when SCHED_FEATURES is not set, for the memory
 * model in force: under weak memory the reads-from pairs join them. */
const char *target_default_features(void);
/* Reads that configuration; a bad value exits 2 with a one-line error.
 * Call it from LLVMFuzzerInitialize, before libFuzzer watches exit(). */
void target_fuzz_init(const char *scenario);

/* minimize.c: the fewest preemptions, then the fewest runs, that still
 * show class v.  0, with the minimized execution as the last run (write
 * it with sched_print_text), or -1 when the input does not parse or does
 * not show v. */
struct target_min_result {
	unsigned before_steps, before_preemptions;
	unsigned after_steps, after_preemptions;
	size_t runs;
};
int target_minimize(const struct scenario *sc, const uint8_t *data,
		    size_t size, enum sched_verdict v,
		    struct target_min_result *out);

#endif
