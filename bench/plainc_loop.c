/*
 * plainc_loop.c - bench/plainc's plain-C program: the Makefile compiles
 * this file as a plain-C file (clang's load and store callbacks, -O0),
 * so each load and store of *x is a scheduling point, and the loop's own
 * variables, on the stack, are the accesses the callbacks filter out.
 */
#include "plainc.h"

void plainc_loop(long *x, int n)
{
	for (int i = 0; i < n; i++)
		*x = *x + 1;
}
