/* SPDX-License-Identifier: MIT */
/*
 * minheap.h — a binary min-heap of entries that the caller embeds in its own objects
 * (the daemon's calls, keyed by their earliest core deadline: bridge/daemon/README.md
 * "Timers"): the smallest key is the top, and an entry moves or leaves in O(log n)
 * because it knows its place. The heap holds pointers to the entries.
 */
#ifndef CWCOM_MINHEAP_H
#define CWCOM_MINHEAP_H

#include <stddef.h>
#include <stdint.h>

struct cwcom_heap_entry {
	uint64_t key; /* the earliest deadline, ms; 0 = not in the heap */
	size_t pos;   /* index in the heap + 1; 0 = not in the heap */
};

struct cwcom_heap {
	struct cwcom_heap_entry **v;
	size_t n, cap;
};

/* cwcom_heap_reserve() - room for n entries, so cwcom_heap_set() of up to n entries never
 * allocates: 0, or -ENOMEM (the heap as it was). */
int cwcom_heap_reserve(struct cwcom_heap *t, size_t n);
/* cwcom_heap_set() - e keyed by key from now on (put in, moved, or taken out when key is
 * 0); 0, or -ENOMEM when e is new and there is no room (cwcom_heap_reserve()). */
int cwcom_heap_set(struct cwcom_heap *t, struct cwcom_heap_entry *e, uint64_t key);
/* cwcom_heap_top() - the entry with the smallest key, NULL when empty. */
struct cwcom_heap_entry *cwcom_heap_top(const struct cwcom_heap *t);
/* cwcom_heap_free() - the heap's array (not the entries, which are the callers'). */
void cwcom_heap_free(struct cwcom_heap *t);

#endif /* CWCOM_MINHEAP_H */
