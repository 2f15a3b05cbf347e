/* SPDX-License-Identifier: MIT */
/*
 * route.c — number rewriting, span group hunting, B-channel choice (pure).
 */
#include <errno.h>
#include <string.h>

#include "common/error.h"
#include "route.h"

int cwb_number_rewrite(const struct cwcfg_route *route, const char *number, int allow_plus,
                       char *out, size_t len)
{
	const char *rest;
	size_t nlen, plen, i;
	const char *prefix;

	if (!route || !number || !out)
		return -EINVAL;
	nlen = strlen(number);
	rest = number + (route->strip < nlen ? route->strip : nlen);
	prefix = route->prefix ? route->prefix : "";
	plen = strlen(prefix);
	nlen = strlen(rest);
	/* Q.931 §4.5.8: number digits are IA5 characters 0-9, '*', '#'. */
	for (i = 0; i < nlen; i++) {
		char ch = rest[i];

		if ((ch < '0' || ch > '9') && ch != '*' && ch != '#' &&
		    !(allow_plus && ch == '+' && i == 0 && plen == 0))
			return CWCOM_ESYNTAX;
	}
	if (plen + nlen + 1 > len)
		return -ENOSPC;
	memcpy(out, prefix, plen);
	memcpy(out + plen, rest, nlen + 1);
	return 0;
}

static int is_free(unsigned long bchannels, unsigned long busy, int ch)
{
	return (bchannels >> ch & 1UL) && !(busy >> ch & 1UL);
}

static int lowest_free(unsigned long bchannels, unsigned long busy)
{
	int ch;

	for (ch = 1; ch <= CWCFG_MAX_CHANNEL; ch++)
		if (is_free(bchannels, busy, ch))
			return ch;
	return 0;
}

/* The span's B-channel in its hunting order ([span N] hunting), 0 when none is free. */
static int hunt_free(const struct cwb_hunt_span *s)
{
	int ch, k;

	switch (s->order) {
	case CWCFG_HUNT_DESCENDING:
		for (ch = CWCFG_MAX_CHANNEL; ch >= 1; ch--)
			if (is_free(s->bchannels, s->busy, ch))
				return ch;
		return 0;
	case CWCFG_HUNT_ROUND_ROBIN:
		for (k = 1; k <= CWCFG_MAX_CHANNEL; k++) {
			ch = (s->last > 0 && s->last <= CWCFG_MAX_CHANNEL ? s->last : 0) + k;
			if (ch > CWCFG_MAX_CHANNEL)
				ch -= CWCFG_MAX_CHANNEL;
			if (is_free(s->bchannels, s->busy, ch))
				return ch;
		}
		return 0;
	case CWCFG_HUNT_ASCENDING:
	default:
		return lowest_free(s->bchannels, s->busy);
	}
}

int cwb_hunt(const struct cwb_hunt_span *spans, size_t n, const char *group, size_t *ret_index,
             int *ret_channel)
{
	size_t i;
	int any_up = 0, ch;

	for (i = 0; i < n; i++) {
		if (!group || !spans[i].group || strcmp(spans[i].group, group) != 0)
			continue;
		if (!spans[i].up)
			continue;
		any_up = 1;
		ch = hunt_free(&spans[i]);
		if (ch > 0) {
			*ret_index = i;
			*ret_channel = ch;
			return 0;
		}
	}
	return any_up ? CWB_CAUSE_NO_CHANNEL : CWB_CAUSE_OUT_OF_ORDER;
}

int cwb_pick_channel(unsigned long bchannels, unsigned long busy, int requested, int exclusive,
                     int *ret_channel)
{
	int ch;

	if (requested > 0 && requested <= CWCFG_MAX_CHANNEL) {
		int is_b = (int)(bchannels >> requested & 1UL);

		if (is_b && !(busy >> requested & 1UL)) {
			*ret_channel = requested;
			return 0;
		}
		/* Q.931 §5.2.3.1 c): exclusive and not available -> cause 44 would name
		 * the channel; the bridge answers 34 for busy, 6 for not ours. */
		if (exclusive)
			return is_b ? CWB_CAUSE_NO_CHANNEL : CWB_CAUSE_CHANNEL_UNACCEPTABLE;
	} else if (requested > CWCFG_MAX_CHANNEL && exclusive) {
		return CWB_CAUSE_CHANNEL_UNACCEPTABLE;
	}
	ch = lowest_free(bchannels, busy);
	if (ch <= 0)
		return CWB_CAUSE_NO_CHANNEL;
	*ret_channel = ch;
	return 0;
}

int cwb_target_next(size_t n, unsigned tried, const uint64_t *skip_until, uint64_t now)
{
	size_t i;

	if (n > CWCFG_MAX_TARGETS)
		n = CWCFG_MAX_TARGETS;
	for (i = 0; i < n; i++) {
		if (tried >> i & 1u)
			continue;
		if (skip_until && skip_until[i] > now)
			continue;
		return (int)i;
	}
	return -1;
}

int cwb_span_alaw(const struct cwcfg_span *span)
{
	return span->switchtype == CWCFG_SWITCH_EUROISDN ||
	       span->switchtype == CWCFG_SWITCH_QSIG;
}
