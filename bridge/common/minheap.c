/* SPDX-License-Identifier: MIT */
/*
 * minheap.c — a binary min-heap of entries that know their place in it (minheap.h):
 * insert, move and remove are O(log n) sifts; the top is v[0].
 */
#include <errno.h>
#include <stdlib.h>

#include "minheap.h"

static void place(struct cwcom_heap *t, size_t i, struct cwcom_heap_entry *e)
{
	t->v[i] = e;
	e->pos = i + 1;
}

static void sift_up(struct cwcom_heap *t, size_t i)
{
	struct cwcom_heap_entry *e = t->v[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (t->v[parent]->key <= e->key)
			break;
		place(t, i, t->v[parent]);
		i = parent;
	}
	place(t, i, e);
}

static void sift_down(struct cwcom_heap *t, size_t i)
{
	struct cwcom_heap_entry *e = t->v[i];

	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= t->n)
			break;
		if (child + 1 < t->n && t->v[child + 1]->key < t->v[child]->key)
			child++;
		if (e->key <= t->v[child]->key)
			break;
		place(t, i, t->v[child]);
		i = child;
	}
	place(t, i, e);
}

int cwcom_heap_reserve(struct cwcom_heap *t, size_t n)
{
	struct cwcom_heap_entry **v;
	size_t cap = t->cap ? t->cap : 64;

	if (n <= t->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	v = realloc(t->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	t->v = v;
	t->cap = cap;
	return 0;
}

static void take_out(struct cwcom_heap *t, struct cwcom_heap_entry *e)
{
	size_t i = e->pos - 1;
	struct cwcom_heap_entry *last = t->v[--t->n];

	e->pos = 0;
	e->key = 0;
	if (last == e)
		return;
	place(t, i, last);
	if (i > 0 && t->v[(i - 1) / 2]->key > last->key)
		sift_up(t, i);
	else
		sift_down(t, i);
}

int cwcom_heap_set(struct cwcom_heap *t, struct cwcom_heap_entry *e, uint64_t key)
{
	uint64_t old = e->key;

	if (key == 0) {
		if (e->pos)
			take_out(t, e);
		return 0;
	}
	if (!e->pos) {
		if (t->n == t->cap && cwcom_heap_reserve(t, t->n + 1) < 0)
			return -ENOMEM;
		e->key = key;
		place(t, t->n++, e);
		sift_up(t, e->pos - 1);
		return 0;
	}
	e->key = key;
	if (key < old)
		sift_up(t, e->pos - 1);
	else if (key > old)
		sift_down(t, e->pos - 1);
	return 0;
}

struct cwcom_heap_entry *cwcom_heap_top(const struct cwcom_heap *t)
{
	return t->n ? t->v[0] : NULL;
}

void cwcom_heap_free(struct cwcom_heap *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}
