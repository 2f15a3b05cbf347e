/* SPDX-License-Identifier: MIT */
/*
 * overlap_keys.c — the keys of overlap dialling: a span's overlap (Q.931
 * §5.2.4 overlap receiving) and its overlap_method (RFC 3578 §2 en bloc or §3.2
 * multiple INVITEs), a span's overlap_sending and overlap_sending_digits (Q.931
 * §5.1.3 overlap sending), a route's digits (when a number is complete, RFC 3578
 * §2), their dump lines, and what a number so far is worth to the routes
 * (cwcfg_route_classify()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "config.h"
#include "name_table.h"
#include "parser.h"

static const struct cwcfg_name overlap_method_names[] = {
	{"en-bloc", CWCFG_OVERLAP_EN_BLOC},
	{"multiple-invite", CWCFG_OVERLAP_MULTIPLE_INVITE},
	{NULL, 0}};

int cwcfg_span_overlap_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = &p->cfg->spans[p->sec_index];

	ONCE(p, sp->overlap_line, key);
	return cwcfg_parse_bool(p, key, value, &sp->overlap);
}

int cwcfg_span_overlap_method_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = &p->cfg->spans[p->sec_index];
	int v = 0, rc;

	ONCE(p, sp->overlap_method_line, key);
	rc = cwcfg_parse_name(p, key, overlap_method_names, value, &v);
	if (rc == 0)
		sp->overlap_method = (enum cwcfg_overlap_method)v;
	return rc;
}

int cwcfg_span_overlap_sending_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = &p->cfg->spans[p->sec_index];

	ONCE(p, sp->overlap_sending_line, key);
	return cwcfg_parse_bool(p, key, value, &sp->overlap_sending);
}

int cwcfg_span_overlap_sending_digits_key(struct cwcfg_parser *p, const char *key,
                                          const char *value)
{
	struct cwcfg_span *sp = &p->cfg->spans[p->sec_index];

	ONCE(p, sp->overlap_sending_digits_line, key);
	return cwcfg_parse_uint(p, key, value, 1, CWCFG_MAX_NUMBER - 1, &sp->overlap_sending_digits);
}

int cwcfg_overlap_check_span(struct cwcfg_parser *p, const struct cwcfg_span *sp)
{
	if (sp->overlap_method == CWCFG_OVERLAP_MULTIPLE_INVITE && !sp->overlap)
		return cwcfg_fail(p, sp->overlap_method_line, CWCOM_EMISSING,
		                  "[span %u]: overlap_method = multiple-invite needs overlap = yes",
		                  sp->number);
	return 0;
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
	fprintf(out, "overlap_method = %s\n",
	        cwcfg_name_of(overlap_method_names, (int)sp->overlap_method));
	fprintf(out, "overlap_sending = %s\n", sp->overlap_sending ? "yes" : "no");
	fprintf(out, "overlap_sending_digits = %u\n", sp->overlap_sending_digits);
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
