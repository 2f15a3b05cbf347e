/* SPDX-License-Identifier: MIT */
/*
 * resources.c — the B-channels of every span and the SIP targets put
 * aside, over route.c's pure choices (cwb_pick_channel, cwb_hunt,
 * cwb_target_next).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/causeway.h>

#include "resources.h"
#include "route.h"

struct span_state {
	int up;
	unsigned long busy; /* bit n = B-channel n in use */
	unsigned long oos;  /* bit n = B-channel n out of service (SERVICE from the network) */
	int last;           /* the channel hunting gave last (round-robin) */
};

struct cwb_resources {
	const struct cwcfg_config *cfg;
	struct span_state *spans;                       /* cfg->n_spans */
	uint64_t (*skip_until)[CWCFG_MAX_TARGETS]; /* per route, per target; 0 = usable */
	uint64_t (*skip_spare)[CWCFG_MAX_TARGETS]; /* the next reload's: it cannot fail */
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
	/* for every route a configuration may have (CWCFG_MAX_ROUTES): reloads allocate nothing */
	res->skip_until = calloc(CWCFG_MAX_ROUTES, sizeof(*res->skip_until));
	res->skip_spare = calloc(CWCFG_MAX_ROUTES, sizeof(*res->skip_spare));
	if (!res->spans || !res->skip_until || !res->skip_spare) {
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
	free(res->skip_spare);
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
		if (res->spans[i].up &&
		    (res->cfg->spans[i].bchannels & ~(res->spans[i].busy | res->spans[i].oos)) != 0)
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
		hs[i].busy = res->spans[i].busy | res->spans[i].oos | avoid;
		hs[i].order = res->cfg->spans[i].hunting;
		hs[i].last = res->spans[i].last;
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
	res->spans[idx].last = ch;
	claim->span = (long)idx;
	claim->channel = ch;
	if (tried->n < CWB_MAX_TRIED) {
		tried->at[tried->n].span = idx;
		tried->at[tried->n].channel = ch;
		tried->n++;
	}
	return 0;
}

int cwb_resources_hunt_cause(const struct cwb_resources *res, const char *group,
                             unsigned taken)
{
	struct cwb_hunt_span hs[CWCFG_MAX_SPANS];
	struct cwb_tried none;
	size_t n, i, idx = 0;
	unsigned long free_channels = 0;
	int ch = 0, rc;

	memset(&none, 0, sizeof(none));
	n = hunt_view(res, 0, &none, hs);
	rc = cwb_hunt(hs, n, group, &idx, &ch);
	if (rc != 0 || taken == 0)
		return rc;
	for (i = 0; i < n; i++)
		if (hs[i].up && hs[i].group && strcmp(hs[i].group, group) == 0)
			free_channels += (unsigned long)__builtin_popcountl(hs[i].bchannels &
			                                                    ~hs[i].busy & ~1UL);
	return free_channels > taken ? 0 : CWB_CAUSE_NO_CHANNEL;
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

int cwb_resources_take_over(struct cwb_resources *res, struct cwb_claim *from,
                            struct cwb_claim *to)
{
	if (from->span < 0 || (size_t)from->span >= res->cfg->n_spans || from->channel <= 0 ||
	    !(res->spans[from->span].busy & bit(from->channel)))
		return -ENOENT;
	*to = *from; /* the channel stays busy: only its holder changes */
	from->channel = 0;
	return 0;
}

void cwb_resources_channel_service(struct cwb_resources *res, size_t span, int channel,
                                   int in_service)
{
	if (span >= res->cfg->n_spans)
		return;
	if (in_service)
		res->spans[span].oos &= ~bit(channel);
	else
		res->spans[span].oos |= bit(channel);
}

unsigned cwb_resources_span_out_of_service(const struct cwb_resources *res, size_t span)
{
	if (span >= res->cfg->n_spans)
		return 0;
	return (unsigned)__builtin_popcountl(res->spans[span].oos & res->cfg->spans[span].bchannels);
}

/* The index of route in cfg's routes: the same object, or (a call that started before a
 * reload) the route of the same name; -1 if none. */
static long route_index(const struct cwcfg_config *cfg, const struct cwcfg_route *route)
{
	size_t i;

	if (!route || !cfg->routes)
		return -1;
	for (i = 0; i < cfg->n_routes; i++)
		if (&cfg->routes[i] == route)
			return (long)i;
	for (i = 0; i < cfg->n_routes; i++)
		if (strcmp(cfg->routes[i].name, route->name) == 0)
			return (long)i;
	return -1;
}

/* The skip time of route's target t (its URI: a reload may have moved or changed it). */
static uint64_t *skip_slot(const struct cwb_resources *res, const struct cwcfg_route *route,
                           int t)
{
	long i = route_index(res->cfg, route);
	const struct cwcfg_route *cur;

	if (i < 0 || t < 0 || t >= CWCFG_MAX_TARGETS || (size_t)t >= route->n_targets)
		return NULL;
	cur = &res->cfg->routes[i];
	if (cur == route)
		return &res->skip_until[i][t];
	for (size_t j = 0; j < cur->n_targets; j++)
		if (strcmp(cur->targets[j].uri, route->targets[t].uri) == 0)
			return &res->skip_until[i][j];
	return NULL;
}

void cwb_resources_reload(struct cwb_resources *res, const struct cwcfg_config *cfg)
{
	uint64_t (*next)[CWCFG_MAX_TARGETS] = res->skip_spare;
	size_t i, t;

	memset(next, 0, CWCFG_MAX_ROUTES * sizeof(*next));
	for (i = 0; i < cfg->n_routes && i < CWCFG_MAX_ROUTES; i++)
		for (t = 0; t < cfg->routes[i].n_targets && t < CWCFG_MAX_TARGETS; t++) {
			uint64_t *was = skip_slot(res, &cfg->routes[i], (int)t);

			next[i][t] = was ? *was : 0;
		}
	res->skip_spare = res->skip_until;
	res->skip_until = next;
	res->cfg = cfg;
}

void cwb_resources_target_aside(struct cwb_resources *res, const struct cwcfg_route *route,
                                int target, uint64_t until_ms)
{
	uint64_t *skip = skip_slot(res, route, target);

	if (skip)
		*skip = until_ms;
}

int cwb_resources_target_next(const struct cwb_resources *res, const struct cwcfg_route *route,
                              unsigned tried, uint64_t now)
{
	uint64_t skip[CWCFG_MAX_TARGETS];

	if (!route)
		return -1;
	for (int t = 0; t < CWCFG_MAX_TARGETS; t++) {
		const uint64_t *s = skip_slot(res, route, t);

		skip[t] = s ? *s : 0;
	}
	return cwb_target_next(route->n_targets, tried, skip, now);
}
