/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sched.h — which shards the SIP adapter must run now: a set of
 * ready shards (events queued) and a min-heap of timer deadlines.
 *
 * The adapter shards libosip2's transactions over many osip_t so that the
 * linear scans inside libosip2 see few transactions each (sip_stack.c). For
 * that to pay, nothing may visit every shard per message: marking, taking the
 * ready ones and the due ones, and the next deadline cost O(1) or O(log n)
 * in the number of shards, and O(k) in the k shards handed out.
 *
 * Shards are numbered 0..n-1. Deadlines are absolute times in any unit the
 * caller keeps monotonic (the adapter: milliseconds); -1 means none. Not
 * thread-safe: one thread owns it, like the adapter.
 */
#ifndef BRIDGE_SIP_SCHED_H
#define BRIDGE_SIP_SCHED_H

struct cws_sched {
	unsigned n;
	unsigned *ready;          /* shards marked ready, in marking order */
	unsigned nready;
	unsigned char *is_ready;  /* is_ready[i]: i is in ready[] */
	unsigned *heap;           /* shards with a deadline, min-heap on deadline */
	unsigned nheap;
	int *pos;                 /* pos[i]: index of i in heap[], -1 if absent */
	long long *deadline;      /* deadline[i], -1 none */
};

/* cws_sched_init() - n shards (1..1<<20), none ready, no deadline. 0 or -EINVAL/-ENOMEM. */
int cws_sched_init(struct cws_sched *s, unsigned n);
void cws_sched_free(struct cws_sched *s);

/* Mark shard i ready (again: no effect). */
void cws_sched_mark(struct cws_sched *s, unsigned i);
int cws_sched_has_ready(const struct cws_sched *s);
/* Move the ready shards to out[] (room for n), in marking order; the set is
   then empty, so shards marked while the caller runs these are kept for the
   next call. Returns how many. */
unsigned cws_sched_take_ready(struct cws_sched *s, unsigned *out);

/* Set (at >= 0) or clear (at < 0) shard i's deadline. */
void cws_sched_set_deadline(struct cws_sched *s, unsigned i, long long at);
long long cws_sched_deadline(const struct cws_sched *s, unsigned i);
/* The earliest deadline, -1 when none. */
long long cws_sched_next(const struct cws_sched *s);
/* Move the shards whose deadline is <= now to out[] (room for n), earliest
   first, clearing their deadlines. Returns how many. */
unsigned cws_sched_take_due(struct cws_sched *s, long long now, unsigned *out);

#endif
