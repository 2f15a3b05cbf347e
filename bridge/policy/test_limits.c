/* SPDX-License-Identifier: MIT */
/*
 * test_limits.c — the flood limits with fed times: token bucket, block and
 * unblock, per-source and global call counts, eviction under a spray of
 * 100 000 sources with the memory fixed; SipHash-2-4 against the paper's
 * vectors.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <causeway/common.h>

#include "limits.h"
#include "siphash.h"
#include "check.h"

static const struct cwp_limits_config base_config = {
	.capacity = 64,
	.rate = 10,
	.burst = 5,
	.block_factor = 3,
	.block_ms = 30000,
	.max_calls_per_source = 2,
	.max_calls = 8,
	.with_port = 0,
	.hash_key = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 },
};

static struct cwp_addr v4(uint32_t n, uint16_t port)
{
	struct cwp_addr a;

	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	a.bytes[0] = (uint8_t)(n >> 24);
	a.bytes[1] = (uint8_t)(n >> 16);
	a.bytes[2] = (uint8_t)(n >> 8);
	a.bytes[3] = (uint8_t)n;
	a.port = port;
	return a;
}

static enum cwp_verdict check(cwp_limits *l, const struct cwp_addr *a, uint64_t now,
                              enum cwp_limits_kind kind)
{
	struct cwp_admission adm;

	if (cwp_limits_check(l, a, now, kind, &adm) != 0)
		return (enum cwp_verdict)-1;
	return adm.verdict;
}

static void test_siphash(void)
{
	uint8_t key[16], msg[64];
	unsigned i;

	for (i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	/* the paper's Appendix A example, and vectors 0, 8 of its reference set */
	CHECK(cwp_siphash24(key, msg, 15) == UINT64_C(0xa129ca6149be45e5));
	CHECK(cwp_siphash24(key, msg, 0) == UINT64_C(0x726fdb47dd0e0e31));
	CHECK(cwp_siphash24(key, msg, 8) == UINT64_C(0x93f5f5799a932462));
}

static void test_config(void)
{
	struct cwp_limits_config c = base_config;
	cwp_limits *l = NULL;

	CHECK(cwp_limits_new(&l, NULL) == -EINVAL);
	CHECK(cwp_limits_new(NULL, &c) == -EINVAL);
	c.capacity = c.max_calls; /* every entry could hold a call */
	CHECK(cwp_limits_new(&l, &c) == -ERANGE && l == NULL);
	c = base_config;
	c.rate = 0;
	CHECK(cwp_limits_new(&l, &c) == -ERANGE);
	c = base_config;
	c.burst = 31; /* block_factor * rate = 30: an allowed burst would block */
	CHECK(cwp_limits_new(&l, &c) == -ERANGE);
	c.block_factor = 0; /* no block: any burst */
	CHECK(cwp_limits_new(&l, &c) == 0 && l != NULL);
	cwp_limits_free(l);
	c = base_config;
	c.block_ms = 0;
	CHECK(cwp_limits_new(&l, &c) == -ERANGE);
	c.max_calls = 0;
	CHECK(cwp_limits_new(&l, &c) == -ERANGE);
	cwp_limits_free(NULL);
}

static void test_token_bucket(void)
{
	struct cwp_limits_config c = base_config;
	struct cwp_addr a = v4(0xc0000201, 5060), b = v4(0xc0000202, 5060);
	struct cwp_limits_stats st;
	cwp_limits *l;
	int i;

	c.block_factor = 0;
	CHECK(cwp_limits_new(&l, &c) == 0);
	/* a burst of 5 at t=1000, then empty */
	for (i = 0; i < 5; i++)
		CHECK(check(l, &a, 1000, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	CHECK(check(l, &a, 1000, CWP_LIMITS_REQUEST) == CWP_REFUSED_RATE);
	/* another source has its own bucket */
	CHECK(check(l, &b, 1000, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	/* 10/s: one token per 100 ms, none at 99 ms */
	CHECK(check(l, &a, 1099, CWP_LIMITS_REQUEST) == CWP_REFUSED_RATE);
	CHECK(check(l, &a, 1100, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	CHECK(check(l, &a, 1100, CWP_LIMITS_REQUEST) == CWP_REFUSED_RATE);
	/* the fractions add up: 50 ms + 50 ms is a token */
	CHECK(check(l, &a, 1150, CWP_LIMITS_REQUEST) == CWP_REFUSED_RATE);
	CHECK(check(l, &a, 1200, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	/* a long pause fills the bucket to burst, not beyond */
	for (i = 0; i < 5; i++)
		CHECK(check(l, &a, 100000, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	CHECK(check(l, &a, 100000, CWP_LIMITS_REQUEST) == CWP_REFUSED_RATE);
	/* a clock that goes back earns nothing */
	CHECK(check(l, &a, 50000, CWP_LIMITS_REQUEST) == CWP_REFUSED_RATE);
	/* the port is not part of the source */
	a.port = 5070;
	CHECK(check(l, &a, 100000, CWP_LIMITS_REQUEST) == CWP_REFUSED_RATE);
	/* an IPv6 source */
	memset(&b, 0, sizeof(b));
	b.family = AF_INET6;
	b.bytes[0] = 0x20;
	b.bytes[15] = 1;
	CHECK(check(l, &b, 100000, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	b.family = AF_UNIX;
	CHECK(check(l, &b, 100000, CWP_LIMITS_REQUEST) == (enum cwp_verdict)-1);
	/* ::ffff:192.0.2.1 made by hand is the IPv4 source a, with its empty bucket */
	memset(&b, 0, sizeof(b));
	b.family = AF_INET6;
	b.bytes[10] = b.bytes[11] = 0xff;
	memcpy(b.bytes + 12, a.bytes, 4);
	CHECK(check(l, &b, 100000, CWP_LIMITS_REQUEST) == CWP_REFUSED_RATE);
	cwp_limits_stats(l, &st);
	CHECK(st.entries == 3 && st.refused_rate == 8 && st.admitted == 14);
	/* a pause of any length fills the bucket, without overflow */
	CHECK(check(l, &a, UINT64_MAX / 2, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	for (i = 1; i < 5; i++)
		CHECK(check(l, &a, UINT64_MAX / 2, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	CHECK(check(l, &a, UINT64_MAX / 2, CWP_LIMITS_REQUEST) == CWP_REFUSED_RATE);
	cwp_limits_free(l);

	/* with_port: ADDR:PORT is the source */
	c.with_port = 1;
	CHECK(cwp_limits_new(&l, &c) == 0);
	a = v4(0xc0000201, 5060);
	for (i = 0; i < 5; i++)
		CHECK(check(l, &a, 0, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	CHECK(check(l, &a, 0, CWP_LIMITS_REQUEST) == CWP_REFUSED_RATE);
	a.port = 5070;
	CHECK(check(l, &a, 0, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	cwp_limits_free(l);
}

static void test_block(void)
{
	struct cwp_addr a = v4(0xcb007107, 5060), b = v4(0xcb007108, 5060);
	struct cwp_admission adm;
	struct cwp_limits_stats st;
	cwp_limits *l;
	int i, started = 0;

	/* rate 10/s, factor 3: the 31st request within one second blocks for 30 s */
	CHECK(cwp_limits_new(&l, &base_config) == 0);
	for (i = 0; i < 30; i++) {
		CHECK(cwp_limits_check(l, &a, 5000 + (uint64_t)i, CWP_LIMITS_REQUEST, &adm) == 0);
		CHECK(adm.verdict == (i < 5 ? CWP_ADMIT : CWP_REFUSED_RATE));
		CHECK(!adm.block_started);
	}
	CHECK(cwp_limits_check(l, &a, 5030, CWP_LIMITS_REQUEST, &adm) == 0);
	CHECK(adm.verdict == CWP_REFUSED_BLOCKED && adm.block_started == 1);
	CHECK(adm.blocked_until == 35030);
	/* logged once: every later request of the block is refused quietly */
	for (i = 0; i < 1000; i++) {
		CHECK(cwp_limits_check(l, &a, 5031 + (uint64_t)i * 29, CWP_LIMITS_NEW_CALL, &adm) == 0);
		CHECK(adm.verdict == CWP_REFUSED_BLOCKED && adm.blocked_until == 35030);
		started += adm.block_started;
	}
	CHECK(started == 0);
	CHECK(check(l, &b, 20000, CWP_LIMITS_REQUEST) == CWP_ADMIT); /* others go on */
	CHECK(check(l, &a, 35029, CWP_LIMITS_REQUEST) == CWP_REFUSED_BLOCKED);
	/* the block ends at blocked_until with a full bucket */
	for (i = 0; i < 5; i++)
		CHECK(check(l, &a, 35030, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	CHECK(check(l, &a, 35030, CWP_LIMITS_REQUEST) == CWP_REFUSED_RATE);
	/* a flood again: a new block, logged once again */
	for (i = 0; i < 24; i++)
		CHECK(check(l, &a, 35100, CWP_LIMITS_REQUEST) != CWP_REFUSED_BLOCKED);
	CHECK(cwp_limits_check(l, &a, 35100, CWP_LIMITS_REQUEST, &adm) == 0);
	CHECK(adm.verdict == CWP_REFUSED_BLOCKED && adm.block_started == 1);
	CHECK(adm.blocked_until == 65100);
	/* a steady 10/s never blocks: the window restarts every second */
	for (i = 0; i < 300; i++)
		CHECK(check(l, &b, 40000 + (uint64_t)i * 100, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	/* nor does 30 requests a second, though most are refused */
	for (i = 0; i < 300; i++)
		CHECK(check(l, &b, 80000 + (uint64_t)i * 34, CWP_LIMITS_REQUEST) != CWP_REFUSED_BLOCKED);
	cwp_limits_stats(l, &st);
	CHECK(st.blocks == 2);
	CHECK(st.refused_blocked == 1000 + 2 + 1);
	cwp_limits_free(l);
}

static void test_calls(void)
{
	struct cwp_limits_config c = base_config;
	struct cwp_addr a = v4(0x0a000001, 0), b;
	struct cwp_limits_stats st;
	cwp_limits *l;
	uint64_t now = 0;
	uint32_t i;

	c.rate = 1000;
	c.burst = 1000;
	CHECK(cwp_limits_new(&l, &c) == 0);
	/* never negative: ending a call that was never counted changes nothing */
	CHECK(cwp_limits_call_end(l, &a, now) == -ENOENT);
	CHECK(check(l, &a, now, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	CHECK(cwp_limits_call_end(l, &a, now) == -ENOENT);
	CHECK(cwp_limits_calls_of(l, &a) == 0);
	/* two per source */
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_ADMIT);
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_ADMIT);
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_REFUSED_CALLS);
	CHECK(check(l, &a, now, CWP_LIMITS_REQUEST) == CWP_ADMIT); /* in-dialog requests go on */
	CHECK(cwp_limits_calls_of(l, &a) == 2);
	CHECK(cwp_limits_call_end(l, &a, now) == 0);
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_ADMIT);
	/* eight for the gateway */
	for (i = 1; i <= 6; i++) {
		b = v4(0x0a000100 + i, 0);
		CHECK(check(l, &b, now, CWP_LIMITS_NEW_CALL) == CWP_ADMIT);
	}
	b = v4(0x0a000200, 0);
	CHECK(check(l, &b, now, CWP_LIMITS_NEW_CALL) == CWP_REFUSED_BUSY);
	cwp_limits_stats(l, &st);
	CHECK(st.calls == 8 && st.refused_busy == 1 && st.refused_calls == 1);
	/* ends, twice as many as there were calls: counts stop at zero */
	for (i = 0; i < 4; i++)
		cwp_limits_call_end(l, &a, now);
	CHECK(cwp_limits_calls_of(l, &a) == 0);
	cwp_limits_stats(l, &st);
	CHECK(st.calls == 6);
	CHECK(check(l, &b, now, CWP_LIMITS_NEW_CALL) == CWP_ADMIT);
	cwp_limits_free(l);
}

/* cwp_limits_reconfigure(): new limits from now on; the sources' calls stay counted; a
 * value out of range (or the capacity) changes nothing. */
static void test_reconfigure(void)
{
	struct cwp_limits_config c = base_config, next;
	struct cwp_addr a = v4(0x0a000001, 0);
	cwp_limits *l;
	uint64_t now = 0;

	c.rate = 1000;
	c.burst = 1000;
	CHECK(cwp_limits_new(&l, &c) == 0);
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_ADMIT);
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_ADMIT);
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_REFUSED_CALLS);
	/* one call per source now: the two up stay, a third is still refused */
	next = c;
	next.max_calls_per_source = 1;
	next.capacity = 2; /* not taken: the table stays */
	CHECK(cwp_limits_reconfigure(l, &next) == 0);
	CHECK(cwp_limits_calls_of(l, &a) == 2);
	CHECK(cwp_limits_call_end(l, &a, now) == 0);
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_REFUSED_CALLS);
	CHECK(cwp_limits_call_end(l, &a, now) == 0);
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_ADMIT);
	/* three per source again */
	next.max_calls_per_source = 3;
	CHECK(cwp_limits_reconfigure(l, &next) == 0);
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_ADMIT);
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_ADMIT);
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_REFUSED_CALLS);
	/* out of range: nothing changes */
	next.max_calls = 64; /* not below the running capacity */
	CHECK(cwp_limits_reconfigure(l, &next) == -ERANGE);
	next = c;
	next.rate = 0;
	CHECK(cwp_limits_reconfigure(l, &next) == -ERANGE);
	CHECK(cwp_limits_reconfigure(NULL, &next) == -EINVAL);
	CHECK(check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_REFUSED_CALLS);
	/* a lower burst: a full bucket is cut to it */
	next = c;
	next.rate = 1;
	next.burst = 2;
	next.block_factor = 0;
	CHECK(cwp_limits_reconfigure(l, &next) == 0);
	CHECK(check(l, &a, now, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	CHECK(check(l, &a, now, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	CHECK(check(l, &a, now, CWP_LIMITS_REQUEST) == CWP_REFUSED_RATE);
	cwp_limits_free(l);
}

/* 100 000 sources, one request each, into 1000 entries: the memory stays
 * what it was, entries with a call or a running block stay. */
static void test_spray(void)
{
	struct cwp_limits_config c = base_config;
	struct cwp_addr caller = v4(0xc6336401, 5060), flooder = v4(0xc6336402, 5060), a;
	struct cwp_admission adm;
	struct cwp_limits_stats st;
	size_t memory;
	cwp_limits *l;
	uint64_t now = 1000;
	uint32_t i;

	c.capacity = 1000;
	c.max_calls = 100;
	CHECK(cwp_limits_new(&l, &c) == 0);
	memory = cwp_limits_memory(l);
	CHECK(memory > 0);
	CHECK(check(l, &caller, now, CWP_LIMITS_NEW_CALL) == CWP_ADMIT);
	for (i = 0; i <= 30; i++)
		cwp_limits_check(l, &flooder, now, CWP_LIMITS_REQUEST, &adm);
	CHECK(adm.verdict == CWP_REFUSED_BLOCKED && adm.block_started == 1);
	for (i = 0; i < 100000; i++) {
		a = v4(0x0a000000 + i, 5060);
		if (i % 2) {
			memset(&a, 0, sizeof(a));
			a.family = AF_INET6;
			a.bytes[0] = 0x20;
			a.bytes[1] = 0x01;
			memcpy(a.bytes + 12, &i, sizeof(i));
		}
		CHECK(check(l, &a, now + i / 100, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	}
	cwp_limits_stats(l, &st);
	CHECK(cwp_limits_memory(l) == memory);
	CHECK(st.entries == 1000);
	CHECK(st.evictions == 100000 + 2 - 1000);
	CHECK(st.evictions_blocked == 0);
	/* the call is still counted and the flooder still blocked, without a new log */
	CHECK(cwp_limits_calls_of(l, &caller) == 1);
	CHECK(cwp_limits_check(l, &flooder, now + 1000, CWP_LIMITS_REQUEST, &adm) == 0);
	CHECK(adm.verdict == CWP_REFUSED_BLOCKED && adm.block_started == 0);
	/* the last sources sprayed are still there (least recent went first) */
	a = v4(0x0a000000 + 99998, 5060);
	CHECK(check(l, &a, now + 1000, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	cwp_limits_stats(l, &st);
	CHECK(st.evictions == 100000 + 2 - 1000);
	CHECK(cwp_limits_call_end(l, &caller, now + 1000) == 0);

	/* after its block ran out, the flooder goes first */
	a = v4(0x0b000000, 5060);
	CHECK(check(l, &a, now + 40000, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	CHECK(check(l, &flooder, now + 40000, CWP_LIMITS_REQUEST) == CWP_ADMIT); /* a new entry, fresh */
	cwp_limits_free(l);
}

/* A table of blocked sources only: a new source takes the oldest block. */
static void test_evict_blocked(void)
{
	struct cwp_limits_config c = base_config;
	struct cwp_admission adm;
	struct cwp_limits_stats st;
	struct cwp_addr a;
	cwp_limits *l;
	uint32_t i, j;

	c.capacity = 16;
	CHECK(cwp_limits_new(&l, &c) == 0);
	for (i = 0; i < 16; i++) {
		a = v4(0x0a000000 + i, 0);
		for (j = 0; j <= 30; j++)
			cwp_limits_check(l, &a, 100 + i, CWP_LIMITS_REQUEST, &adm);
		CHECK(adm.block_started == 1);
	}
	a = v4(0x0b000000, 0);
	CHECK(check(l, &a, 200, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	cwp_limits_stats(l, &st);
	CHECK(st.evictions == 1 && st.evictions_blocked == 1 && st.blocks == 16);
	a = v4(0x0a000000, 0); /* the first blocked: evicted, so a fresh entry */
	CHECK(check(l, &a, 200, CWP_LIMITS_REQUEST) == CWP_ADMIT);
	a = v4(0x0a000002, 0); /* the second went for that one; the third is still blocked */
	CHECK(check(l, &a, 200, CWP_LIMITS_REQUEST) == CWP_REFUSED_BLOCKED);
	cwp_limits_free(l);
}

/* A random walk of checks, calls and ends over 300 sources in 40 entries,
 * against a model that knows only the calls: a source's count and the
 * gateway's are always the model's, whatever was evicted or blocked. */
static void test_random_walk(void)
{
	struct cwp_limits_config c = base_config;
	uint32_t model[300] = { 0 }, total = 0, seed = 12345, i, step, bad = 0;
	struct cwp_limits_stats st;
	cwp_limits *l;
	uint64_t now = 0;

	c.capacity = 40;
	c.max_calls = 30;
	c.max_calls_per_source = 3;
	c.rate = 20;
	c.burst = 10;
	c.block_factor = 2;
	c.block_ms = 500;
	CHECK(cwp_limits_new(&l, &c) == 0);
	for (step = 0; step < 200000; step++) {
		uint32_t r, src;
		struct cwp_addr a;

		seed = seed * 1103515245u + 12345u;
		r = seed >> 8;
		src = r & 1 ? r % 5 : r % 300; /* five flooders among them */
		a = v4(0x0a000000 + src, 0);
		now += (r >> 16) % 4;
		switch ((r >> 12) % 4) {
		case 0:
			if (check(l, &a, now, CWP_LIMITS_NEW_CALL) == CWP_ADMIT) {
				model[src]++;
				total++;
			}
			break;
		case 1:
			if (cwp_limits_call_end(l, &a, now) == 0) {
				bad += model[src] == 0;
				model[src]--;
				total--;
			} else {
				bad += model[src] != 0;
			}
			break;
		default:
			check(l, &a, now, CWP_LIMITS_REQUEST);
			break;
		}
		bad += cwp_limits_calls_of(l, &a) != model[src];
		bad += model[src] > c.max_calls_per_source;
		cwp_limits_stats(l, &st);
		bad += st.calls != total || total > c.max_calls || st.entries > c.capacity;
	}
	for (i = 0; i < 300; i++) {
		struct cwp_addr a = v4(0x0a000000 + i, 0);

		bad += cwp_limits_calls_of(l, &a) != model[i];
	}
	CHECK(bad == 0);
	cwp_limits_stats(l, &st);
	/* the walk went everywhere: evictions, blocks, every refusal */
	CHECK(st.evictions > 1000 && st.blocks > 10);
	CHECK(st.refused_rate && st.refused_blocked && st.refused_calls && st.refused_busy);
	cwp_limits_free(l);
}

int main(void)
{
	test_siphash();
	test_config();
	test_token_bucket();
	test_block();
	test_calls();
	test_reconfigure();
	test_spray();
	test_evict_blocked();
	test_random_walk();
	return check_done();
}
