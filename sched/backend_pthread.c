/*
 * backend_pthread.c - one persistent pthread per simulated CPU.
 *
 * The threads are created once and reused by every execution.  The token
 * moves with a semaphore per thread: the holder posts the next one's and
 * waits on its own, so exactly one thread runs model code at a time and
 * every handoff is a full memory barrier.  A CPU that is done with an
 * execution (finished, or told to unwind after a fatal verdict) longjmps
 * back to its thread loop and waits to be started again.
 */
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine.h"

static struct backend_thread {
	sem_t go;
	jmp_buf top;
	pthread_t tid;
} threads[SCHED_MAX_CPUS + 1];	/* the last one is the controller */

static int nthreads;
static bool initialised;

static void *cpu_thread(void *arg)
{
	int cpu = (int)(intptr_t)arg;

	for (;;) {
		while (sem_wait(&threads[cpu].go))
			;
		if (setjmp(threads[cpu].top) == 0)
			sched_cpu_main(cpu);
	}
	return NULL;
}

static void pthread_start(int ncpus)
{
	if (!initialised) {
		sem_init(&threads[SCHED_CONTROLLER].go, 0, 0);
		initialised = true;
	}
	for (; nthreads < ncpus; nthreads++) {
		pthread_attr_t attr;

		sem_init(&threads[nthreads].go, 0, 0);
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 1 << 20);
		if (pthread_create(&threads[nthreads].tid, &attr, cpu_thread,
				   (void *)(intptr_t)nthreads)) {
			sched_fatal("cannot create CPU thread");
		}
		pthread_detach(threads[nthreads].tid);
		pthread_attr_destroy(&attr);
	}
}

static void pthread_switch(int from, int to)
{
	sem_post(&threads[to].go);
	while (sem_wait(&threads[from].go))
		;	/* EINTR: libFuzzer's timers may interrupt us */
}

__attribute__((noreturn)) static void pthread_exit_to(int from, int to)
{
	sem_post(&threads[to].go);
	longjmp(threads[from].top, 1);
}

/* The CPU wakes up inside pthread_switch, sees the execution is aborting
 * and exits back to us. */
static void pthread_unwind(int cpu)
{
	pthread_switch(SCHED_CONTROLLER, cpu);
}

const struct sched_backend sched_backend_pthread = {
	.name = "pthread",
	.start = pthread_start,
	.switch_to = pthread_switch,
	.exit_to = pthread_exit_to,
	.unwind = pthread_unwind,
};
