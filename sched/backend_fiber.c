/*
 * backend_fiber.c - every simulated CPU is a fiber on the caller's thread.
 *
 * A handoff is a hand-written x86-64 switch of the callee-saved registers
 * and the stack pointer: no system call, no signal-mask change (glibc's
 * swapcontext makes one per switch), no allocation.  Stacks are mapped once
 * and reused; a CPU that is done with an execution simply has its stack
 * forgotten and starts from its entry next time.
 *
 * Under AddressSanitizer each switch is announced with
 * __sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber, and a
 * stack is unpoisoned before it is reused, so frames abandoned by an
 * aborted execution leave no stale redzones behind.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "engine.h"

#if defined(__x86_64__)

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FIBER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FIBER_ASAN 1
#endif

#ifdef FIBER_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#define FIBER_STACK (128u << 10)
#define FIBER_GUARD 4096u

struct fiber {
	void *sp;		/* saved stack pointer while switched out */
	uint8_t *stack;		/* lowest usable address; NULL: the thread's */
	bool fresh;		/* start at the entry on the next switch */
};

static struct fiber fibers[SCHED_MAX_CPUS + 1];
#ifdef FIBER_ASAN
static const void *thread_stack_bottom;	/* the controller's */
static size_t thread_stack_size;
static int switching_from;
#endif

/* fiber_switch(save, to): push callee-saved registers, save rsp in *save,
 * load `to` as rsp, pop the registers saved there and return into it. */
void fiber_switch(void **save, void *to);
__asm__(".text\n"
	".globl fiber_switch\n"
	".type fiber_switch,@function\n"
	"fiber_switch:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size fiber_switch, .-fiber_switch\n");

__attribute__((noreturn)) static void fiber_entry(void)
{
#ifdef FIBER_ASAN
	if (switching_from == SCHED_CONTROLLER)
		__sanitizer_finish_switch_fiber(NULL, &thread_stack_bottom,
						&thread_stack_size);
	else
		__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
	sched_cpu_main(sched_eng.cur);
}

/* A stack laid out as if fiber_switch had saved it just before calling
 * fiber_entry: six zero registers, then the entry as return address, then
 * a null return address for fiber_entry itself, 16-byte aligned. */
static void *initial_sp(struct fiber *f)
{
	uintptr_t top = ((uintptr_t)f->stack + FIBER_STACK) & ~(uintptr_t)15;
	void **sp = (void **)top;

	*--sp = NULL;
	*--sp = (void *)(uintptr_t)fiber_entry;
	for (int i = 0; i < 6; i++)
		*--sp = NULL;
	return sp;
}

static void forget_stack(struct fiber *f)
{
#ifdef FIBER_ASAN
	if (f->stack)
		__asan_unpoison_memory_region(f->stack, FIBER_STACK);
#endif
	f->fresh = true;
}

static void fiber_start(int ncpus)
{
	for (int c = 0; c < ncpus; c++) {
		struct fiber *f = &fibers[c];

		if (!f->stack) {
			uint8_t *m = mmap(NULL, FIBER_STACK + FIBER_GUARD,
					  PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (m == MAP_FAILED) {
				sched_fatal("cannot map a fiber stack");
			}
			mprotect(m, FIBER_GUARD, PROT_NONE);
			f->stack = m + FIBER_GUARD;
			f->fresh = true;
		}
	}
}

static void do_switch(int from, int to, bool from_done)
{
	struct fiber *t = &fibers[to];
#ifdef FIBER_ASAN
	void *fake = NULL;
	const void *bottom = t->stack ? t->stack : thread_stack_bottom;
	size_t size = t->stack ? FIBER_STACK : thread_stack_size;

	__sanitizer_start_switch_fiber(from_done ? NULL : &fake, bottom, size);
#else
	(void)from_done;
#endif
	if (t->fresh) {
		t->fresh = false;
		t->sp = initial_sp(t);
	}
#ifdef FIBER_ASAN
	switching_from = from;
#endif
	fiber_switch(&fibers[from].sp, t->sp);
#ifdef FIBER_ASAN
	__sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
}

static void fiber_switch_to(int from, int to)
{
	do_switch(from, to, false);
}

__attribute__((noreturn)) static void fiber_exit_to(int from, int to)
{
	forget_stack(&fibers[from]);
	do_switch(from, to, true);
	abort();	/* a fresh fiber is never resumed where it left */
}

static void fiber_unwind(int cpu)
{
	forget_stack(&fibers[cpu]);
}

const struct sched_backend sched_backend_fiber = {
	.name = "fiber",
	.start = fiber_start,
	.switch_to = fiber_switch_to,
	.exit_to = fiber_exit_to,
	.unwind = fiber_unwind,
};

#else /* no fiber switch for this architecture: threads it is */

const struct sched_backend sched_backend_fiber = {
	.name = NULL,
};

#endif
