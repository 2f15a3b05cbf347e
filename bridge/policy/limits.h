/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/limits.h — flood limits per source and for the gateway:
 * a token bucket (requests per second, burst) and a count of concurrent
 * calls per source, a temporary block of a source that exceeds its rate
 * by a factor, and a cap on the gateway's concurrent calls.
 *
 * Pure and bounded: `now` is a monotonic time in milliseconds passed by
 * the caller; cwp_limits_new() allocates everything once, for a fixed
 * number of sources, and nothing is allocated afterwards. A check costs
 * O(1) expected: one keyed hash (SipHash-2-4 under the caller's random
 * key, so colliding addresses cannot be chosen) and a linear probe of a
 * table at most half full.
 *
 * When the table is full a new source takes the entry of another, in this
 * order (README.md, "Eviction"):
 *   1. a source whose block has run out and that has not been seen since;
 *   2. the least recently seen source without calls and without a block;
 *   3. the blocked source whose block started first (counted apart in
 *      evictions_blocked);
 * a source with a call in progress is never dropped, so its count stays
 * right and never goes negative. capacity > max_calls makes step 3 the
 * last one ever needed.
 */
#ifndef CWP_LIMITS_H
#define CWP_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "verdict.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cwp_limits cwp_limits;

struct cwp_limits_config {
	size_t capacity;                /* sources tracked at once: > max_calls, <= 2^28 */
	uint32_t rate;                  /* requests per second per source, >= 1 */
	uint32_t burst;                 /* requests a quiet source may send at once, >= 1 */
	uint32_t block_factor;          /* block a source with more than block_factor * rate
	                                   requests in one second; 0 = never block */
	uint32_t block_ms;              /* length of a block, >= 1 when block_factor != 0 */
	uint32_t max_calls_per_source;  /* concurrent calls per source; 0 = no limit */
	uint32_t max_calls;             /* concurrent calls of the gateway, >= 1 */
	int with_port;                  /* a source is ADDR:PORT, not ADDR */
	uint8_t hash_key[16];           /* random (getrandom(2)), kept secret */
};

enum cwp_limits_kind {
	CWP_LIMITS_REQUEST = 0,   /* a request: rate and block only */
	CWP_LIMITS_NEW_CALL = 1   /* an initial INVITE: also the call counts; admitted, it counts */
};

struct cwp_admission {
	enum cwp_verdict verdict;  /* CWP_ADMIT or one of RATE, BLOCKED, CALLS, BUSY */
	int block_started;         /* 1: this request started the block; log it (once) */
	uint64_t blocked_until;    /* verdict BLOCKED: when the block ends (ms) */
};

struct cwp_limits_stats {
	size_t capacity;           /* as configured */
	size_t entries;            /* sources tracked now */
	uint32_t calls;            /* concurrent calls now */
	uint64_t admitted;
	uint64_t refused_rate, refused_blocked, refused_calls, refused_busy;
	uint64_t blocks;           /* blocks started */
	uint64_t evictions;        /* sources dropped for a new one (all steps) */
	uint64_t evictions_blocked; /* of which during their block (step 3) */
	uint64_t lookups, probes;  /* checks and the index slots they visited: the
	                              table is at most half full, so probes / lookups
	                              stays near 1.5 at any size */
};

/*
 * cwp_limits_new() - the limits of cfg (copied), all memory allocated
 * here. Returns 0, -EINVAL (NULL), -ERANGE (a value out of its range,
 * including block_factor * rate < burst: a burst that is allowed must not
 * block), -ENOMEM. *ret is written on success only.
 */
int cwp_limits_new(cwp_limits **ret, const struct cwp_limits_config *cfg);

/*
 * cwp_limits_reconfigure() - rate, burst, block and call limits of cfg from
 * now on; the sources tracked, their calls, tokens and blocks stay, as do
 * capacity, with_port and hash_key (cfg's are not used). A source over a
 * lowered call limit keeps its calls and gets no new one until under it.
 * Returns 0, -EINVAL (NULL), -ERANGE (a value out of its range, max_calls
 * not below the capacity included: nothing changes then).
 */
int cwp_limits_reconfigure(cwp_limits *l, const struct cwp_limits_config *cfg);

/* cwp_limits_free() - frees l; NULL does nothing. */
void cwp_limits_free(cwp_limits *l);

/*
 * cwp_limits_check() - one request from src at now: refused while src is
 * blocked, blocked when it exceeds block_factor * rate, refused when its
 * bucket is empty; for CWP_LIMITS_NEW_CALL also refused at
 * max_calls_per_source or max_calls, else counted as a call (end it with
 * cwp_limits_call_end()). A refused request still costs a token and counts
 * towards the block. Returns 0 with *ret set, -EINVAL.
 */
int cwp_limits_check(cwp_limits *l, const struct cwp_addr *src, uint64_t now,
                     enum cwp_limits_kind kind, struct cwp_admission *ret);

/*
 * cwp_limits_call_end() - a call of src admitted by cwp_limits_check()
 * has ended. Returns 0, -ENOENT (src has no call: nothing changes, no
 * count goes below zero), -EINVAL.
 */
int cwp_limits_call_end(cwp_limits *l, const struct cwp_addr *src, uint64_t now);

/* cwp_limits_calls_of() - the concurrent calls of src (0 when not tracked). */
uint32_t cwp_limits_calls_of(const cwp_limits *l, const struct cwp_addr *src);

/* cwp_limits_stats() - the counters (README.md, "Statistics"). */
void cwp_limits_stats(const cwp_limits *l, struct cwp_limits_stats *ret);

/* cwp_limits_memory() - bytes allocated by cwp_limits_new(); never changes. */
size_t cwp_limits_memory(const cwp_limits *l);

#ifdef __cplusplus
}
#endif

#endif
