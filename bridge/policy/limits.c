/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/limits.c — per-source token buckets, call counts and
 * blocks in a fixed table (limits.h).
 *
 * Layout, all in one allocation: a pool of `capacity` entries and an
 * open-addressing index of 2^k >= 2 * capacity slots holding pool indices
 * (linear probing; deletion shifts the following run back, so there are
 * no tombstones and a probe ends at the first empty slot). An entry with
 * no call is on one of two lists: `idle` in order of last sight (least
 * recent first) or `blocked` in order of block start (one whose last
 * call ends during its block joins at the end: nearly that order); an
 * entry with a call is on none, so eviction never sees it.
 *
 * Tokens are counted in thousandths: a request costs 1000 and a source
 * earns `rate` per millisecond, up to burst * 1000 (exact integers).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/common.h>

#include "limits.h"
#include "siphash.h"

#define NIL UINT32_MAX
#define TOKEN 1000u            /* one request, in thousandths */
#define WINDOW_MS 1000u        /* the block's counting window */
#define MAX_CAPACITY (1u << 28)

enum list_id { ON_NONE = 0, ON_IDLE = 1, ON_BLOCKED = 2 };

struct entry {
	struct cwp_addr key;
	uint8_t list;            /* enum list_id */
	uint32_t hash;           /* low bits: the home slot */
	uint32_t slot;           /* where the index holds it */
	uint32_t prev, next;     /* on its list, or next free */
	uint32_t calls;
	uint32_t window_count;
	uint64_t tokens;         /* thousandths */
	uint64_t refilled_at;
	uint64_t window_start;
	uint64_t blocked_until;  /* 0 = not blocked */
};

struct list {
	uint32_t head, tail;
};

struct cwp_limits {
	struct cwp_limits_config cfg;
	struct cwp_limits_stats st;
	size_t memory;
	uint32_t mask;           /* slots - 1 */
	uint32_t free_head;
	struct list idle, blocked;
	struct entry *pool;
	uint32_t *slots;
};

/* ---- lists ---- */

static struct list *list_of(cwp_limits *l, uint8_t id)
{
	return id == ON_IDLE ? &l->idle : id == ON_BLOCKED ? &l->blocked : NULL;
}

static void list_unlink(cwp_limits *l, uint32_t i)
{
	struct entry *e = &l->pool[i];
	struct list *li = list_of(l, e->list);

	if (!li)
		return;
	if (e->prev != NIL)
		l->pool[e->prev].next = e->next;
	else
		li->head = e->next;
	if (e->next != NIL)
		l->pool[e->next].prev = e->prev;
	else
		li->tail = e->prev;
	e->prev = e->next = NIL;
	e->list = ON_NONE;
}

static void list_append(cwp_limits *l, uint32_t i, uint8_t id)
{
	struct entry *e = &l->pool[i];
	struct list *li = list_of(l, id);

	list_unlink(l, i);
	e->list = id;
	e->prev = li->tail;
	e->next = NIL;
	if (li->tail != NIL)
		l->pool[li->tail].next = i;
	else
		li->head = i;
	li->tail = i;
}

/* ---- index ---- */

static uint32_t key_hash(const cwp_limits *l, const struct cwp_addr *k)
{
	uint8_t buf[19];

	buf[0] = k->family;
	memcpy(buf + 1, k->bytes, 16);
	buf[17] = (uint8_t)(k->port >> 8);
	buf[18] = (uint8_t)k->port;
	return (uint32_t)cwp_siphash24(l->cfg.hash_key, buf, sizeof(buf));
}

/* The slot holding k, or the empty slot where it would go (*ret_found 0). */
static uint32_t index_find(const cwp_limits *l, const struct cwp_addr *k, uint32_t hash,
                           int *ret_found)
{
	uint32_t s = hash & l->mask;

	while (l->slots[s] != NIL) {
		const struct entry *e = &l->pool[l->slots[s]];

		if (e->hash == hash && cwp_addr_equal(&e->key, k, 1)) {
			*ret_found = 1;
			return s;
		}
		s = (s + 1) & l->mask;
	}
	*ret_found = 0;
	return s;
}

/* Empties slot s and moves back the entries of its run that may use it. */
static void index_delete(cwp_limits *l, uint32_t s)
{
	uint32_t j = s;

	for (;;) {
		uint32_t home;

		j = (j + 1) & l->mask;
		if (l->slots[j] == NIL)
			break;
		home = l->pool[l->slots[j]].hash & l->mask;
		/* The entry at j stays when its home lies cyclically in (s, j]. */
		if (s <= j ? (s < home && home <= j) : (s < home || home <= j))
			continue;
		l->slots[s] = l->slots[j];
		l->pool[l->slots[s]].slot = s;
		s = j;
	}
	l->slots[s] = NIL;
}

/* ---- eviction ---- */

static void evict(cwp_limits *l, uint32_t i)
{
	struct entry *e = &l->pool[i];

	list_unlink(l, i);
	index_delete(l, e->slot);
	e->next = l->free_head;
	l->free_head = i;
	l->st.entries--;
	l->st.evictions++;
}

/* Frees one entry for a new source (limits.h, steps 1-3); 0 when all have calls. */
static int make_room(cwp_limits *l, uint64_t now)
{
	uint32_t b = l->blocked.head;

	if (b != NIL && l->pool[b].blocked_until <= now) {
		evict(l, b);
	} else if (l->idle.head != NIL) {
		evict(l, l->idle.head);
	} else if (b != NIL) {
		evict(l, b);
		l->st.evictions_blocked++;
	} else {
		return 0;
	}
	return 1;
}

/* ---- creation ---- */

static int config_valid(const struct cwp_limits_config *c)
{
	if (c->capacity < 2 || c->capacity > MAX_CAPACITY || c->rate < 1 || c->burst < 1 ||
	    c->max_calls < 1 || c->capacity <= c->max_calls)
		return 0;
	/* 1000 thousandths per token: keep burst * 1000 and rate * ms far from overflow. */
	if (c->rate > 1000000u || c->burst > 1000000u)
		return 0;
	if (c->block_factor && (c->block_ms < 1 ||
	                        (uint64_t)c->block_factor * c->rate < c->burst ||
	                        (uint64_t)c->block_factor * c->rate > UINT32_MAX))
		return 0;
	return 1;
}

int cwp_limits_new(cwp_limits **ret, const struct cwp_limits_config *cfg)
{
	size_t slots = 1, pool_bytes, slot_bytes, i;
	cwp_limits *l;

	if (!ret || !cfg)
		return -EINVAL;
	if (!config_valid(cfg))
		return -ERANGE;
	while (slots < 2 * cfg->capacity)
		slots *= 2;
	pool_bytes = cfg->capacity * sizeof(struct entry);
	slot_bytes = slots * sizeof(uint32_t);
	l = calloc(1, sizeof(*l) + pool_bytes + slot_bytes);
	if (!l)
		return -ENOMEM;
	l->cfg = *cfg;
	l->memory = sizeof(*l) + pool_bytes + slot_bytes;
	l->pool = (struct entry *)(void *)(l + 1);
	l->slots = (uint32_t *)(void *)((char *)l->pool + pool_bytes);
	l->mask = (uint32_t)(slots - 1);
	for (i = 0; i < slots; i++)
		l->slots[i] = NIL;
	for (i = 0; i < cfg->capacity; i++)
		l->pool[i].next = i + 1 < cfg->capacity ? (uint32_t)(i + 1) : NIL;
	l->free_head = 0;
	l->idle.head = l->idle.tail = NIL;
	l->blocked.head = l->blocked.tail = NIL;
	l->st.capacity = cfg->capacity;
	*ret = l;
	return 0;
}

void cwp_limits_free(cwp_limits *l)
{
	free(l);
}

int cwp_limits_reconfigure(cwp_limits *l, const struct cwp_limits_config *cfg)
{
	struct cwp_limits_config next;

	if (!l || !cfg)
		return -EINVAL;
	next = *cfg;
	/* the table stays: its size, its key and what a source is */
	next.capacity = l->cfg.capacity;
	next.with_port = l->cfg.with_port;
	memcpy(next.hash_key, l->cfg.hash_key, sizeof(next.hash_key));
	if (!config_valid(&next))
		return -ERANGE;
	l->cfg = next;
	return 0;
}

/* ---- checks ---- */

/* The table's key of src: as cwp_addr_normalize() makes it, the port only with with_port. */
static void make_key(const cwp_limits *l, const struct cwp_addr *src, struct cwp_addr *k)
{
	*k = *src;
	cwp_addr_normalize(k);
	if (!l->cfg.with_port)
		k->port = 0;
}

/* The entry of k, made (full bucket, idle) when it is new; NIL when there is no room. */
static uint32_t lookup_or_add(cwp_limits *l, const struct cwp_addr *k, uint64_t now)
{
	uint32_t hash = key_hash(l, k), s, i;
	struct entry *e;
	int found;

	s = index_find(l, k, hash, &found);
	l->st.lookups++;
	l->st.probes += ((s - (hash & l->mask)) & l->mask) + 1;
	if (found)
		return l->slots[s];
	if (l->free_head == NIL) {
		if (!make_room(l, now))
			return NIL;
		s = index_find(l, k, hash, &found); /* the shift may have moved the gap */
	}
	i = l->free_head;
	e = &l->pool[i];
	l->free_head = e->next;
	memset(e, 0, sizeof(*e));
	e->key = *k;
	e->hash = hash;
	e->slot = s;
	e->prev = e->next = NIL;
	e->tokens = (uint64_t)l->cfg.burst * TOKEN;
	e->refilled_at = now;
	e->window_start = now;
	l->slots[s] = i;
	l->st.entries++;
	list_append(l, i, ON_IDLE);
	return i;
}

static void refill(const cwp_limits *l, struct entry *e, uint64_t now)
{
	uint64_t full = (uint64_t)l->cfg.burst * TOKEN;

	if (e->tokens > full) /* burst lowered by cwp_limits_reconfigure() */
		e->tokens = full;
	if (now > e->refilled_at) {
		uint64_t elapsed = now - e->refilled_at;

		/* compared before multiplying: a long pause cannot overflow */
		if (elapsed >= (full - e->tokens) / l->cfg.rate + 1)
			e->tokens = full;
		else
			e->tokens += elapsed * l->cfg.rate;
		if (e->tokens > full)
			e->tokens = full;
		e->refilled_at = now;
	}
}

/* Counts the request in its one-second window; 1 when it crosses the block threshold. */
static int exceeds_block_threshold(const cwp_limits *l, struct entry *e, uint64_t now)
{
	if (!l->cfg.block_factor)
		return 0;
	if (now < e->window_start || now - e->window_start >= WINDOW_MS) {
		e->window_start = now;
		e->window_count = 0;
	}
	e->window_count++;
	return e->window_count > l->cfg.block_factor * l->cfg.rate;
}

static int refuse(cwp_limits *l, enum cwp_verdict v, struct cwp_admission *ret)
{
	ret->verdict = v;
	switch (v) {
	case CWP_REFUSED_RATE: l->st.refused_rate++; break;
	case CWP_REFUSED_BLOCKED: l->st.refused_blocked++; break;
	case CWP_REFUSED_CALLS: l->st.refused_calls++; break;
	default: l->st.refused_busy++; break;
	}
	return 0;
}

int cwp_limits_check(cwp_limits *l, const struct cwp_addr *src, uint64_t now,
                     enum cwp_limits_kind kind, struct cwp_admission *ret)
{
	struct cwp_addr k;
	struct entry *e;
	uint32_t i;

	if (!l || !src || !ret || (src->family != AF_INET && src->family != AF_INET6) ||
	    (kind != CWP_LIMITS_REQUEST && kind != CWP_LIMITS_NEW_CALL))
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	make_key(l, src, &k);
	i = lookup_or_add(l, &k, now);
	if (i == NIL)
		return refuse(l, CWP_REFUSED_BUSY, ret);
	e = &l->pool[i];
	if (e->blocked_until) {
		if (now < e->blocked_until) {
			ret->blocked_until = e->blocked_until;
			return refuse(l, CWP_REFUSED_BLOCKED, ret);
		}
		e->blocked_until = 0;
		e->window_start = now;
		e->window_count = 0;
	}
	if (e->list != ON_NONE)
		list_append(l, i, ON_IDLE); /* seen now: the most recent */
	refill(l, e, now);
	if (exceeds_block_threshold(l, e, now)) {
		e->blocked_until = now + l->cfg.block_ms;
		l->st.blocks++;
		if (e->list != ON_NONE)
			list_append(l, i, ON_BLOCKED);
		ret->block_started = 1;
		ret->blocked_until = e->blocked_until;
		return refuse(l, CWP_REFUSED_BLOCKED, ret);
	}
	if (e->tokens < TOKEN)
		return refuse(l, CWP_REFUSED_RATE, ret);
	e->tokens -= TOKEN;
	if (kind == CWP_LIMITS_NEW_CALL) {
		if (l->cfg.max_calls_per_source && e->calls >= l->cfg.max_calls_per_source)
			return refuse(l, CWP_REFUSED_CALLS, ret);
		if (l->st.calls >= l->cfg.max_calls)
			return refuse(l, CWP_REFUSED_BUSY, ret);
		if (e->calls++ == 0)
			list_unlink(l, i); /* in a call: never evicted */
		l->st.calls++;
	}
	l->st.admitted++;
	ret->verdict = CWP_ADMIT;
	return 0;
}

int cwp_limits_call_end(cwp_limits *l, const struct cwp_addr *src, uint64_t now)
{
	struct cwp_addr k;
	struct entry *e;
	uint32_t s;
	int found;

	if (!l || !src)
		return -EINVAL;
	make_key(l, src, &k);
	s = index_find(l, &k, key_hash(l, &k), &found);
	if (!found)
		return -ENOENT;
	e = &l->pool[l->slots[s]];
	if (e->calls == 0)
		return -ENOENT;
	l->st.calls--;
	if (--e->calls == 0)
		list_append(l, l->slots[s],
		            e->blocked_until > now ? ON_BLOCKED : ON_IDLE);
	return 0;
}

uint32_t cwp_limits_calls_of(const cwp_limits *l, const struct cwp_addr *src)
{
	struct cwp_addr k;
	uint32_t s;
	int found;

	if (!l || !src)
		return 0;
	make_key(l, src, &k);
	s = index_find(l, &k, key_hash(l, &k), &found);
	return found ? l->pool[l->slots[s]].calls : 0;
}

void cwp_limits_stats(const cwp_limits *l, struct cwp_limits_stats *ret)
{
	if (l && ret)
		*ret = l->st;
}

size_t cwp_limits_memory(const cwp_limits *l)
{
	return l ? l->memory : 0;
}
