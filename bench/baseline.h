/*
 * baseline.h - lock_anon_vma's own code without the engine, for
 * bench/throughput: a shared library (bench/baseline.c) whose symbols
 * but these are hidden, so that it links beside the engine's copy of
 * the model.
 */
#ifndef BENCH_BASELINE_H
#define BENCH_BASELINE_H

/* Runs lock_anon_vma, v2.6.34, noise 0, n times: its init, then each
 * CPU to its end in turn, as the engine's no-switch schedule does.
 * baseline_run returns 0; baseline_run_count (built with
 * SCHED_BASELINE_COUNT) the scheduling points of the last run. */
unsigned long baseline_run(unsigned long n);
unsigned long baseline_run_count(unsigned long n);

#endif
