/* SPDX-License-Identifier: MIT */
/*
 * route.h — the pure parts of causeway-bridge's call routing: number
 * rewriting (strip/prefix), span group hunting and B-channel choice.
 * No I/O, no libpri: unit-tested by test_route.c.
 */
#ifndef BRIDGE_DAEMON_ROUTE_H
#define BRIDGE_DAEMON_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Q.850 causes the hunting decides (the core maps them to SIP, RFC 3398 §7.2.4.1). */
#define CWB_CAUSE_NO_ROUTE 3       /* no route to destination */
#define CWB_CAUSE_INVALID_NUMBER 28 /* invalid number format (address incomplete) */
#define CWB_CAUSE_NO_CHANNEL 34    /* no circuit/channel available */
#define CWB_CAUSE_OUT_OF_ORDER 38  /* network out of order */
#define CWB_CAUSE_TEMPORARY_FAILURE 41 /* temporary failure (every SIP target put aside) */
#define CWB_CAUSE_CONGESTION 42    /* switching equipment congestion: draining at SIGTERM */
#define CWB_CAUSE_CHANNEL_UNACCEPTABLE 6 /* Q.931 §5.2.3.1: requested channel unacceptable */
/* Q.850 §2.2.7.3: a bearer the span does not carry now ([span N] digital = no), and one the
 * bridge cannot carry at all (restricted digital, video, ...; or an offer without G.711
 * or clearmode, RFC 3398 §8.2.6.1's 488) */
#define CWB_CAUSE_BEARER_NOT_AVAILABLE 58
#define CWB_CAUSE_BEARER_NOT_IMPLEMENTED 65

/*
 * cwb_number_rewrite() - the route's strip then prefix applied to number
 * (config README, [route NAME]). The result must be a Q.931 §4.5.8 IA5
 * address (digits, '*', '#'); for ISDN->SIP a leading '+' is allowed too.
 * Returns 0, CWCOM_ESYNTAX (a character outside those), -ENOSPC (does not
 * fit len), -EINVAL (NULL). out is written only on success.
 */
int cwb_number_rewrite(const struct cwcfg_route *route, const char *number, int allow_plus,
                       char *out, size_t len);

/* One span as the hunter sees it. */
struct cwb_hunt_span {
	const char *group;
	int up;                 /* D-channel up */
	unsigned long bchannels; /* bit n = channel n is a B-channel */
	unsigned long busy;     /* bit n = channel n is in use (or must be avoided) */
	enum cwcfg_hunting order; /* [span N] hunting; 0: ascending */
	int last;               /* round-robin: the channel the span gave last, 0 none */
};

/*
 * cwb_hunt() - span group hunting: a free B-channel of the first span (in
 * array order) of group that is up and has one, in the span's order: the
 * lowest (ascending), the highest (descending), or the first after last,
 * wrapping (round-robin).
 * Returns 0 with *ret_index and *ret_channel set; CWB_CAUSE_NO_CHANNEL
 * when a span of the group is up but none has a free channel;
 * CWB_CAUSE_OUT_OF_ORDER when every span of the group is down (or the group
 * has no span).
 */
int cwb_hunt(const struct cwb_hunt_span *spans, size_t n, const char *group, size_t *ret_index,
             int *ret_channel);

/*
 * cwb_target_next() - ISDN->SIP failover: the index of the first of a route's
 * n targets, in failover order, that this call has not tried (bit i of tried)
 * and that no 503 Retry-After put aside until later than now (skip_until[i],
 * monotonic ms, 0 = never; RFC 3261 §21.5.4). -1 when none is left; n above
 * CWCFG_MAX_TARGETS counts as CWCFG_MAX_TARGETS. skip_until may be NULL.
 */
int cwb_target_next(size_t n, unsigned tried, const uint64_t *skip_until, uint64_t now);

/*
 * cwb_pick_channel() - the B-channel for a received SETUP (Q.931 §5.2.3.1):
 * requested (0 = none) if it is a free B-channel; if it is not and the
 * indication is exclusive, CWB_CAUSE_CHANNEL_UNACCEPTABLE (or 34 when it is
 * a B-channel that is busy: Q.931 §5.2.3.1 c); otherwise (preferred, or
 * none) the lowest free one, or CWB_CAUSE_NO_CHANNEL.
 * Returns 0 with *ret_channel, or the cause.
 */
int cwb_pick_channel(unsigned long bchannels, unsigned long busy, int requested, int exclusive,
                     int *ret_channel);

/* cwb_span_alaw() - 1 if the span's B-channels carry G.711 A-law (E1 Europe and QSIG),
 * 0 for mu-law (G.711 §2; Q.931 §4.5.5 octet 5). */
int cwb_span_alaw(const struct cwcfg_span *span);

#endif
