/* SPDX-License-Identifier: MIT */
/*
 * overlap_keys.c — the keys of overlap dialling: a span's overlap (Q.931
 * §5.2.4 overlap receiving) and a route's digits (when a number is complete,
 * RFC 3578 §2), their dump lines, and what a number so far is worth to the
 * routes (cwcfg_route_classify()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "config.h"
#include "parser.h"

int cwcfg_span_overlap_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = &p->cfg->spans[p->sec_index];

	ONCE(p, sp->overlap_line, key);
	return cwcfg_parse_bool(p, key, value, &sp->overlap);
}

/* One count of digits: 1 .. the longest called number (CWCFG_MAX_NUMBER - 1). */
static int count(const char *s, const char **end, unsigned *ret)
{
	unsigned long v;
	char *e;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &e, 10);
	if (errno || v < 1 || v > CWCFG_MAX_NUMBER - 1)
		return -1;
	*end = e;
	*ret = (unsigned)v;
	return 0;
}

/* digits = N, or digits = MIN-MAX */
int cwcfg_route_digits_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_route *r = &p->cfg->routes[p->sec_index];
	unsigned lo, hi;
	const char *e;

	ONCE(p, r->digits_line, key);
	if (count(value, &e, &lo) < 0)
		goto bad;
	hi = lo;
	if (*e == '-' && count(e + 1, &e, &hi) < 0)
		goto bad;
	if (*e != '\0' || hi < lo)
		goto bad;
	r->digits_min = lo;
	r->digits_max = hi;
	return 0;
bad:
	return cwcfg_fail(p, p->lineno, -ERANGE,
	                  "%s: '%s' is not N or MIN-MAX digits (1-%d, MIN <= MAX)", key, value,
	                  CWCFG_MAX_NUMBER - 1);
}

void cwcfg_overlap_dump_span(const struct cwcfg_span *sp, FILE *out)
{
	fprintf(out, "overlap = %s\n", sp->overlap ? "yes" : "no");
}

void cwcfg_overlap_dump_route(const struct cwcfg_route *r, FILE *out)
{
	if (!r->digits_max)
		fprintf(out, "; digits: complete as soon as the match covers the number\n");
	else if (r->digits_min == r->digits_max)
		fprintf(out, "digits = %u\n", r->digits_max);
	else
		fprintf(out, "digits = %u-%u\n", r->digits_min, r->digits_max);
}

enum cwcfg_match cwcfg_route_classify(const struct cwcfg_config *cfg, enum cwcfg_direction dir,
                                      const char *number, const struct cwcfg_route **ret_route)
{
	const struct cwcfg_route *best;
	size_t i, len;
	int longer = 0;

	if (ret_route)
		*ret_route = NULL;
	if (!cfg || !number)
		return CWCFG_MATCH_NONE;
	len = strlen(number);
	/* more digits can reach a route whose match the number begins */
	for (i = 0; i < cfg->n_routes; i++) {
		const struct cwcfg_route *r = &cfg->routes[i];

		if (r->direction == dir && strlen(r->match) > len &&
		    strncmp(r->match, number, len) == 0)
			longer = 1;
	}
	best = cwcfg_route_find(cfg, dir, number);
	if (!best)
		return longer ? CWCFG_MATCH_PREFIX : CWCFG_MATCH_NONE;
	if (best->digits_max && len < best->digits_min)
		return CWCFG_MATCH_PREFIX;
	if (ret_route)
		*ret_route = best;
	if (longer || (best->digits_max && len < best->digits_max))
		return CWCFG_MATCH_ENOUGH;
	return CWCFG_MATCH_COMPLETE;
}
