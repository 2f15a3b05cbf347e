/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sched.c — ready set and deadline min-heap over shard numbers
 * (sched.h). A binary heap with each shard's position kept, so a deadline
 * moves in O(log n) without a search.
 */
#include <errno.h>
#include <stdlib.h>

#include <causeway/common.h>

#include "sched.h"

#define SCHED_MAX (1u << 20)

int cws_sched_init(struct cws_sched *s, unsigned n)
{
	struct cws_sched z = { .n = n };

	if (s == NULL || n == 0 || n > SCHED_MAX)
		return -EINVAL;
	*s = z;
	s->ready = calloc(n, sizeof(*s->ready));
	s->is_ready = calloc(n, sizeof(*s->is_ready));
	s->heap = calloc(n, sizeof(*s->heap));
	s->pos = calloc(n, sizeof(*s->pos));
	s->deadline = calloc(n, sizeof(*s->deadline));
	if (!s->ready || !s->is_ready || !s->heap || !s->pos || !s->deadline) {
		cws_sched_free(s);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n; i++) {
		s->pos[i] = -1;
		s->deadline[i] = -1;
	}
	return 0;
}

void cws_sched_free(struct cws_sched *s)
{
	if (s == NULL)
		return;
	free(s->ready);
	free(s->is_ready);
	free(s->heap);
	free(s->pos);
	free(s->deadline);
	s->ready = s->heap = NULL;
	s->is_ready = NULL;
	s->pos = NULL;
	s->deadline = NULL;
	s->n = s->nready = s->nheap = 0;
}

/* ---- ready set ---- */

void cws_sched_mark(struct cws_sched *s, unsigned i)
{
	if (i >= s->n || s->is_ready[i])
		return;
	s->is_ready[i] = 1;
	s->ready[s->nready++] = i;
}

int cws_sched_has_ready(const struct cws_sched *s)
{
	return s->nready > 0;
}

unsigned cws_sched_take_ready(struct cws_sched *s, unsigned *out)
{
	unsigned k = s->nready;

	for (unsigned j = 0; j < k; j++) {
		out[j] = s->ready[j];
		s->is_ready[out[j]] = 0;
	}
	s->nready = 0;
	return k;
}

/* ---- deadline heap ---- */

static void heap_put(struct cws_sched *s, unsigned at, unsigned shard)
{
	s->heap[at] = shard;
	s->pos[shard] = (int)at;
}

static void heap_up(struct cws_sched *s, unsigned at)
{
	unsigned shard = s->heap[at];

	while (at > 0) {
		unsigned parent = (at - 1) / 2;
		if (s->deadline[s->heap[parent]] <= s->deadline[shard])
			break;
		heap_put(s, at, s->heap[parent]);
		at = parent;
	}
	heap_put(s, at, shard);
}

static void heap_down(struct cws_sched *s, unsigned at)
{
	unsigned shard = s->heap[at];

	for (;;) {
		unsigned child = 2 * at + 1;
		if (child >= s->nheap)
			break;
		if (child + 1 < s->nheap &&
		    s->deadline[s->heap[child + 1]] < s->deadline[s->heap[child]])
			child++;
		if (s->deadline[shard] <= s->deadline[s->heap[child]])
			break;
		heap_put(s, at, s->heap[child]);
		at = child;
	}
	heap_put(s, at, shard);
}

static void heap_remove(struct cws_sched *s, unsigned shard)
{
	unsigned at = (unsigned)s->pos[shard], last = --s->nheap, moved;

	s->pos[shard] = -1;
	if (at == last)
		return;
	moved = s->heap[last];          /* the last one fills the hole, then settles */
	heap_put(s, at, moved);
	heap_up(s, at);
	heap_down(s, (unsigned)s->pos[moved]);
}

void cws_sched_set_deadline(struct cws_sched *s, unsigned i, long long at)
{
	if (i >= s->n)
		return;
	if (at < 0) {
		s->deadline[i] = -1;
		if (s->pos[i] >= 0)
			heap_remove(s, i);
		return;
	}
	s->deadline[i] = at;
	if (s->pos[i] < 0) {
		heap_put(s, s->nheap++, i);
		heap_up(s, (unsigned)s->pos[i]);
	} else {
		heap_up(s, (unsigned)s->pos[i]);
		heap_down(s, (unsigned)s->pos[i]);
	}
}

long long cws_sched_deadline(const struct cws_sched *s, unsigned i)
{
	return i < s->n ? s->deadline[i] : -1;
}

long long cws_sched_next(const struct cws_sched *s)
{
	return s->nheap ? s->deadline[s->heap[0]] : -1;
}

unsigned cws_sched_take_due(struct cws_sched *s, long long now, unsigned *out)
{
	unsigned k = 0;

	while (s->nheap && s->deadline[s->heap[0]] <= now) {
		unsigned shard = s->heap[0];
		out[k++] = shard;
		cws_sched_set_deadline(s, shard, -1);
	}
	return k;
}
