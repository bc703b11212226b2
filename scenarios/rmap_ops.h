/*
 * rmap_ops.h - the input format of the rmap_ops scenario, for people and
 * tests that write programs by hand, and a view of its world for tests.
 */
#ifndef SCENARIOS_RMAP_OPS_H
#define SCENARIOS_RMAP_OPS_H

#include "../rmap/rmap.h"

#define RMAP_OPS_PROCS 3
#define RMAP_OPS_PAGES 2
#define RMAP_OPS_MAX_CPUS 4
#define RMAP_OPS_PER_CPU 4
/* The programs at the front of an input: docs/scenarios-and-variants.md,
 * "Input format". */
#define RMAP_OPS_HEADER (1 + RMAP_OPS_MAX_CPUS * RMAP_OPS_PER_CPU)

enum rmap_op {
	OP_NOP, OP_FAULT, OP_FORK, OP_SWAPOUT, OP_SWAPIN, OP_MUNMAP, OP_EXIT,
	OP_SPLIT, OP_MERGE, OP_REFERENCED, OP_NR
};

/* One operation byte, as the input format has it. */
#define RMAP_OP(op, proc, addr) ((uint8_t)((op) | (((proc) << 1 | (addr)) << 4)))
#define RMAP_PAGE_OP(op, page) ((uint8_t)((op) | ((page) << 4)))

struct rmap_ops_world {
	struct mm_struct *mm[RMAP_OPS_PROCS];
	struct page *page[RMAP_OPS_PAGES];
};

/* The world of the last execution, readable after sched_run. */
const struct rmap_ops_world *rmap_ops_world(void);

#endif
