/*
 * sha1.h - SHA-1 of a buffer as 40 hex digits (sha1.c).
 */
#ifndef FUZZ_SHA1_H
#define FUZZ_SHA1_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void sha1_hex(const uint8_t *data, size_t size, char out[41]);

#endif
