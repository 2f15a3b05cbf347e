/* SPDX-License-Identifier: MIT */
/*
 * heap.h — memory given back to the system after a load peak (README.md
 * "Memory after a peak"). glibc's malloc keeps the pages of freed chunks in
 * its heap: after a flood, or the 32 s the transactions of many calls are
 * kept for their timers (RFC 3261 §17.2.2 timer J, §17.2.1 timer I), the
 * process would stay at its peak size. When the loop is idle and the heap
 * holds much more free memory than after the last trim, malloc_trim(0)
 * returns the free pages.
 */
#ifndef CWB_HEAP_H
#define CWB_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define CWB_HEAP_TRIM_BYTES ((size_t)8 << 20) /* this much more free memory than after the last trim */
#define CWB_HEAP_CHECK_MS 1000u               /* at most one look at the heap this often */

struct cwb_heap {
	uint64_t next_check_ms;  /* 0: at the first idle wake-up */
	size_t free_kept;        /* free bytes in the heap after the last trim (or the least since) */
	unsigned long trims;     /* malloc_trim() calls so far */
};

/* cwb_heap_trim_due() - pure: 1 when a heap with free_bytes free (mallinfo2's fordblks)
 * should be trimmed now, else 0; a heap that was reused lowers what counts as kept. */
int cwb_heap_trim_due(struct cwb_heap *h, size_t free_bytes);
/* cwb_heap_idle() - the loop had nothing to do at now: at most every CWB_HEAP_CHECK_MS,
 * look at the heap and trim it when cwb_heap_trim_due() says so; an info line then
 * (RSS before and after). 1 if it trimmed, 0 if not. */
int cwb_heap_idle(struct cwb_heap *h, uint64_t now);
/* cwb_heap_rss_kib() - this process's VmRSS in KiB (proc(5) /proc/self/statm: the second
 * field, in pages); 0 if unreadable. */
unsigned long cwb_heap_rss_kib(void);

#endif /* CWB_HEAP_H */
