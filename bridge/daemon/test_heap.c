/* SPDX-License-Identifier: MIT */
/*
 * test_heap.c — bridge-daemon-heap: when heap.c trims (the pure rule), and that a
 * trim gives a freed heap's pages back: 64 MiB in small chunks freed below one
 * chunk still in use stay resident until cwb_heap_idle() trims.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"

static int failures;

#define CHECK(cond) do { \
	if (!(cond)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); failures++; } \
} while (0)

static void test_rule(void)
{
	struct cwb_heap h;

	memset(&h, 0, sizeof(h));
	CHECK(!cwb_heap_trim_due(&h, 0));
	CHECK(!cwb_heap_trim_due(&h, CWB_HEAP_TRIM_BYTES - 1));
	CHECK(cwb_heap_trim_due(&h, CWB_HEAP_TRIM_BYTES));
	h.free_kept = 3 * CWB_HEAP_TRIM_BYTES;  /* after a trim */
	CHECK(!cwb_heap_trim_due(&h, 3 * CWB_HEAP_TRIM_BYTES));
	CHECK(!cwb_heap_trim_due(&h, 4 * CWB_HEAP_TRIM_BYTES - 1));
	CHECK(cwb_heap_trim_due(&h, 4 * CWB_HEAP_TRIM_BYTES));
	/* the free memory was reused: a new peak counts from the least seen */
	CHECK(!cwb_heap_trim_due(&h, CWB_HEAP_TRIM_BYTES));
	CHECK(h.free_kept == CWB_HEAP_TRIM_BYTES);
	CHECK(cwb_heap_trim_due(&h, 2 * CWB_HEAP_TRIM_BYTES));
}

/* A sanitizer's allocator stands in for glibc's malloc: nothing there for malloc_trim(). */
#if defined(__SANITIZE_ADDRESS__)
#define HEAP_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_SANITIZED 1
#endif
#endif

#if !defined(HEAP_SANITIZED)
#define CHUNKS 262144u  /* of 256 bytes: 64 MiB, each below glibc's mmap threshold */

/* through a volatile pointer: the compiler may not drop a malloc() freed unused */
static void *(*volatile alloc)(size_t) = malloc;

static void test_trim(void)
{
	struct cwb_heap h;
	char **chunks = malloc(CHUNKS * sizeof(*chunks));
	char *pin;
	unsigned long peak, after;

	memset(&h, 0, sizeof(h));
	CHECK(chunks != NULL);
	if (!chunks)
		return;
	for (unsigned i = 0; i < CHUNKS; i++) {
		chunks[i] = alloc(256);
		if (chunks[i])
			memset(chunks[i], 0x5a, 256);
	}
	pin = alloc(256); /* above them all: the heap's top cannot shrink on its own */
	for (unsigned i = 0; i < CHUNKS; i++)
		free(chunks[i]);
	free(chunks);
	peak = cwb_heap_rss_kib();
	CHECK(cwb_heap_idle(&h, 1000) == 1);
	after = cwb_heap_rss_kib();
	printf("RSS %lu KiB after free, %lu KiB after the trim\n", peak, after);
	CHECK(h.trims == 1);
	CHECK(after + 32768u < peak);
	/* once trimmed, neither a second look within CWB_HEAP_CHECK_MS nor one later trims */
	CHECK(cwb_heap_idle(&h, 1001) == 0);
	CHECK(cwb_heap_idle(&h, 1000 + CWB_HEAP_CHECK_MS) == 0);
	CHECK(h.trims == 1);
	free(pin);
}
#endif

int main(void)
{
	test_rule();
#if defined(HEAP_SANITIZED)
	printf("the trim itself not checked: built with AddressSanitizer\n");
#else
	test_trim();
#endif
	if (failures)
		fprintf(stderr, "bridge-daemon-heap: %d failure(s)\n", failures);
	return failures ? 1 : 0;
}
