/* SPDX-License-Identifier: MIT */
/*
 * resources.c — the B-channels of every span and the SIP targets put
 * aside, over route.c's pure choices (cwb_pick_channel, cwb_hunt,
 * cwb_target_next).
 */
#include <errno.h>
#include <stdlib.h>

#include <causeway/causeway.h>

#include "resources.h"
#include "route.h"

struct span_state {
	int up;
	unsigned long busy; /* bit n = B-channel n in use */
};

struct cwb_resources {
	const struct cwcfg_config *cfg;
	struct span_state *spans;                       /* cfg->n_spans */
	uint64_t (*skip_until)[CWCFG_MAX_TARGETS]; /* per route, per target; 0 = usable */
};

static unsigned long bit(int ch)
{
	return ch > 0 && ch <= CWCFG_MAX_CHANNEL ? 1UL << ch : 0;
}

int cwb_resources_new(const struct cwcfg_config *cfg, struct cwb_resources **ret)
{
	struct cwb_resources *res;

	if (!cfg || !ret)
		return -EINVAL;
	res = calloc(1, sizeof(*res));
	if (!res)
		return -ENOMEM;
	res->cfg = cfg;
	res->spans = calloc(cfg->n_spans ? cfg->n_spans : 1, sizeof(*res->spans));
	res->skip_until = calloc(cfg->n_routes ? cfg->n_routes : 1, sizeof(*res->skip_until));
	if (!res->spans || !res->skip_until) {
		cwb_resources_free(res);
		return -ENOMEM;
	}
	*ret = res;
	return 0;
}

void cwb_resources_free(struct cwb_resources *res)
{
	if (!res)
		return;
	free(res->spans);
	free(res->skip_until);
	free(res);
}

void cwb_resources_span_up(struct cwb_resources *res, size_t span, int up)
{
	if (span < res->cfg->n_spans)
		res->spans[span].up = up;
}

int cwb_resources_usable(const struct cwb_resources *res)
{
	for (size_t i = 0; i < res->cfg->n_spans; i++)
		if (res->spans[i].up && (res->cfg->spans[i].bchannels & ~res->spans[i].busy) != 0)
			return 1;
	return 0;
}

void cwb_resources_span_channels(const struct cwb_resources *res, size_t span, int *up,
                                 unsigned *busy, unsigned *total)
{
	if (span >= res->cfg->n_spans)
		return;
	*up = res->spans[span].up != 0;
	*busy = (unsigned)__builtin_popcountl(res->spans[span].busy & res->cfg->spans[span].bchannels);
	*total = (unsigned)__builtin_popcountl(res->cfg->spans[span].bchannels);
}

size_t cwb_resources_spans_up(const struct cwb_resources *res)
{
	size_t n = 0;

	for (size_t i = 0; i < res->cfg->n_spans; i++)
		n += res->spans[i].up != 0;
	return n;
}

int cwb_resources_claim_on(struct cwb_resources *res, size_t span, int requested, int exclusive,
                           struct cwb_claim *claim)
{
	int ch = 0, rc;

	if (span >= res->cfg->n_spans)
		return CWB_CAUSE_OUT_OF_ORDER;
	rc = cwb_pick_channel(res->cfg->spans[span].bchannels, res->spans[span].busy, requested,
	                      exclusive, &ch);
	if (rc != 0)
		return rc;
	res->spans[span].busy |= bit(ch);
	claim->span = (long)span;
	claim->channel = ch;
	return 0;
}

static int tried_span(const struct cwb_tried *tried, size_t span)
{
	for (size_t i = 0; i < tried->n; i++)
		if (tried->at[i].span == span)
			return 1;
	return 0;
}

/* The hunter's view of the spans: channels tried count as busy; other_span: spans tried
 * count as down. */
static size_t hunt_view(const struct cwb_resources *res, int other_span,
                        const struct cwb_tried *tried, struct cwb_hunt_span *hs)
{
	size_t i;

	for (i = 0; i < res->cfg->n_spans && i < CWCFG_MAX_SPANS; i++) {
		unsigned long avoid = 0;

		for (size_t k = 0; k < tried->n; k++)
			if (tried->at[k].span == i)
				avoid |= bit(tried->at[k].channel);
		hs[i].group = res->cfg->spans[i].group;
		hs[i].up = res->spans[i].up && !(other_span && tried_span(tried, i));
		hs[i].bchannels = res->cfg->spans[i].bchannels;
		hs[i].busy = res->spans[i].busy | avoid;
	}
	return i;
}

int cwb_resources_claim_hunt(struct cwb_resources *res, const char *group, int other_span,
                             struct cwb_tried *tried, struct cwb_claim *claim)
{
	struct cwb_hunt_span hs[CWCFG_MAX_SPANS];
	size_t n, idx = 0;
	int ch = 0, rc;

	n = hunt_view(res, other_span, tried, hs);
	rc = cwb_hunt(hs, n, group, &idx, &ch);
	if (rc != 0)
		return rc;
	res->spans[idx].busy |= bit(ch);
	claim->span = (long)idx;
	claim->channel = ch;
	if (tried->n < CWB_MAX_TRIED) {
		tried->at[tried->n].span = idx;
		tried->at[tried->n].channel = ch;
		tried->n++;
	}
	return 0;
}

int cwb_resources_hunt_possible(const struct cwb_resources *res, const char *group,
                                const struct cwb_tried *tried)
{
	struct cwb_hunt_span hs[CWCFG_MAX_SPANS];
	size_t n, idx = 0;
	int ch = 0;

	n = hunt_view(res, 1, tried, hs);
	return cwb_hunt(hs, n, group, &idx, &ch) == 0;
}

void cwb_resources_release(struct cwb_resources *res, struct cwb_claim *claim)
{
	if (claim->span >= 0 && (size_t)claim->span < res->cfg->n_spans)
		res->spans[claim->span].busy &= ~bit(claim->channel);
	claim->channel = 0;
}

static uint64_t *skip_of(const struct cwb_resources *res, const struct cwcfg_route *route)
{
	size_t i;

	if (!route || !res->cfg->routes)
		return NULL;
	i = (size_t)(route - res->cfg->routes);
	return i < res->cfg->n_routes ? res->skip_until[i] : NULL;
}

void cwb_resources_target_aside(struct cwb_resources *res, const struct cwcfg_route *route,
                                int target, uint64_t until_ms)
{
	uint64_t *skip = skip_of(res, route);

	if (skip && target >= 0 && target < CWCFG_MAX_TARGETS)
		skip[target] = until_ms;
}

int cwb_resources_target_next(const struct cwb_resources *res, const struct cwcfg_route *route,
                              unsigned tried, uint64_t now)
{
	if (!route)
		return -1;
	return cwb_target_next(route->n_targets, tried, skip_of(res, route), now);
}
