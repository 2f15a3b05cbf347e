/* SPDX-License-Identifier: MIT */
/*
 * heap.c — malloc_trim(0) when the loop is idle after a peak (heap.h).
 * glibc frees the top of the heap on its own (M_TRIM_THRESHOLD) but not the
 * pages of free chunks below a chunk still in use: a call's transactions
 * expire in the order they were made, so one late transaction keeps the
 * whole heap below it resident. malloc_trim(0) walks the free chunks and
 * gives their pages back (madvise MADV_DONTNEED); it costs a walk of the
 * heap, so it runs only when much was freed and nothing else waits.
 */
#include <stdio.h>
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "heap.h"
#include "log.h"

int cwb_heap_trim_due(struct cwb_heap *h, size_t free_bytes)
{
	if (free_bytes < h->free_kept) {
		h->free_kept = free_bytes; /* reused: the next peak counts from here */
		return 0;
	}
	return free_bytes - h->free_kept >= CWB_HEAP_TRIM_BYTES;
}

unsigned long cwb_heap_rss_kib(void)
{
	unsigned long size = 0, resident = 0;
	long page = sysconf(_SC_PAGESIZE);
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return page > 0 ? resident * ((unsigned long)page / 1024u) : 0;
}

int cwb_heap_idle(struct cwb_heap *h, uint64_t now)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
	struct mallinfo2 mi;
	unsigned long before;

	if (now < h->next_check_ms)
		return 0;
	h->next_check_ms = now + CWB_HEAP_CHECK_MS;
	mi = mallinfo2();
	if (!cwb_heap_trim_due(h, mi.fordblks))
		return 0;
	before = cwb_heap_rss_kib();
	(void)malloc_trim(0);
	h->trims++;
	/* the free chunks stay free (and counted): the next trim waits for as much again */
	h->free_kept = mi.fordblks;
	cwb_info("memory: heap trimmed, %zu KiB free in it, RSS %lu KiB -> %lu KiB",
	         mi.fordblks / 1024u, before, cwb_heap_rss_kib());
	return 1;
#else
	(void)h;
	(void)now;
	return 0;
#endif
}
