/*
 * plain.h - kernel.h's shims without the engine (plain/kernel.c), for
 * the benchmark's baseline (bench/baseline.c): the model's code as it
 * would run on its own, one CPU after the other, every shared access a
 * plain access and every primitive a plain call.
 *
 * One CPU runs at a time and to its end, so a CPU never waits: a lock
 * that is held, a completion not yet completed or a spin on a location
 * stops the program with one line (a scenario whose no-switch schedule
 * blocks has no plain baseline).  Barriers are compiler barriers, RMWs
 * plain read-modify-writes; the allocator hands out the lowest free
 * object of a cache, else a new slab page of constructed objects, and
 * keeps empty pages, as the engine's default decisions do; call_rcu's
 * callback runs once no read-side section is open.  Nothing is checked
 * and nothing recorded.  Built with SCHED_BASELINE_COUNT, it counts the
 * scheduling points the engine would have taken.
 */
#ifndef SCHED_PLAIN_PLAIN_H
#define SCHED_PLAIN_PLAIN_H

#include "../kernel.h"

/* A new execution: an empty world, no caches, no CPU running (init). */
void plain_begin(void);
/* The CPU whose code runs from now on (sched_current_cpu). */
void plain_set_cpu(int cpu);
/* Points since plain_begin, 0 without SCHED_BASELINE_COUNT. */
unsigned long plain_points(void);

#endif
