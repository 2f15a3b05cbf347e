/* SPDX-License-Identifier: MIT */
/*
 * audit_stats.c — the totals of "causeway audit": counts by SIP status
 * and Q.850 cause, time-to-final-response percentiles (nearest rank) and
 * per-route attempts and errors, as a KPI dashboard shows them.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"

void audit_stats_init(audit_stats *s)
{
	memset(s, 0, sizeof(*s));
}

void audit_stats_free(audit_stats *s)
{
	for (size_t i = 0; i < s->nattempts; i++)
		free(s->attempts[i].route ? s->attempts[i].route : s->attempts[i].target);
	free(s->attempts);
	free(s->ttf);
	audit_stats_init(s);
}

int audit_grow(void *arr, size_t *cap, size_t n, size_t elem, void **ret_arr)
{
	size_t want;
	void *bigger;

	if (n < *cap) {
		*ret_arr = arr;
		return 0;
	}
	want = *cap ? *cap * 2 : 64;
	if (want > ((size_t)-1) / elem)
		return CW_ENOMEM;
	bigger = realloc(arr, want * elem);
	if (bigger == NULL)
		return CW_ENOMEM;
	*ret_arr = bigger;
	*cap = want;
	return 0;
}

/*
 * A failed attempt whose outcome tells the caller to try another route:
 * disposition next-route or retry-later (408, 430, 482, 483, 500-504).
 * A callee's answer (486, 480, 603...) is not a route error.
 */
static int error_status(int status)
{
	const cw_sip_status_info *info;

	if (cw_sip_status_info_get(status, &info) != 0)
		return 0;
	return info->disposition == CW_DISP_NEXT_ROUTE || info->disposition == CW_DISP_RETRY_LATER;
}

/* A span attempt: its cause as the profile answers it in SIP (clearing causes are no error). */
static int error_cause(const cw_profile *profile, int cause)
{
	cw_sip_result res;

	if (cw_map_cause_to_sip(profile, cause, CW_LOCATION_UNKNOWN, 0, &res) != 0 ||
	    res.action == CW_C2S_CLEAR)
		return 0;
	return error_status(res.status);
}

static int add_attempt(audit_stats *s, const cw_profile *profile, const cdr_route *r, int won)
{
	size_t lr = r->route ? strlen(r->route) + 1 : 0;
	size_t lt = r->target ? strlen(r->target) + 1 : 0;
	audit_attempt *a;
	char *mem = NULL;
	void *arr;

	if (audit_grow(s->attempts, &s->cattempts, s->nattempts, sizeof(*s->attempts), &arr) != 0)
		return CW_ENOMEM;
	s->attempts = arr;
	if (lr + lt > 0 && (mem = malloc(lr + lt)) == NULL)
		return CW_ENOMEM;
	a = &s->attempts[s->nattempts++];
	a->route = lr ? memcpy(mem, r->route, lr) : NULL;
	a->target = lt ? memcpy(mem + lr, r->target, lt) : NULL;
	a->span = r->span;
	if (won)
		a->error = 0;
	else if (r->target != NULL)
		a->error = error_status(r->status);
	else
		a->error = error_cause(profile, r->cause);
	return 0;
}

int audit_stats_add(audit_stats *s, const cw_profile *profile, const cdr_record *rec)
{
	size_t before = s->nattempts;
	void *arr;

	if (rec->ms_to_final != CDR_NULL) {
		if (audit_grow(s->ttf, &s->cttf, s->nttf, sizeof(*s->ttf), &arr) != 0)
			return CW_ENOMEM;
		s->ttf = arr;
		s->ttf[s->nttf++] = rec->ms_to_final;
	}
	for (size_t i = 0; i < rec->nroutes; i++) {
		/* The last attempt of an answered call is the one that was answered. */
		int won = rec->answered && i + 1 == rec->nroutes;

		if (add_attempt(s, profile, &rec->routes[i], won) != 0) {
			while (s->nattempts > before) {
				audit_attempt *a = &s->attempts[--s->nattempts];

				free(a->route ? a->route : a->target);
			}
			if (rec->ms_to_final != CDR_NULL)
				s->nttf--;
			return CW_ENOMEM;
		}
	}
	s->calls++;
	s->answered += rec->answered != 0;
	if (strcmp(rec->profile, cw_profile_name(profile)) != 0)
		s->other_profile++;
	s->status[rec->sip_status == CDR_NULL ? 0 : rec->sip_status]++;
	s->cause_received[rec->cause_received.present ? rec->cause_received.cause : 0]++;
	s->cause_sent[rec->cause_sent.present ? rec->cause_sent.cause : 0]++;
	return 0;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static int cmp_opt_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL); /* no name first */
	return strcmp(a, b);
}

/* Route name, then spans (ascending) before targets (byte-wise). */
static int cmp_attempt(const void *pa, const void *pb)
{
	const audit_attempt *a = pa, *b = pb;
	int c = cmp_opt_str(a->route, b->route);

	if (c != 0)
		return c;
	if ((a->target == NULL) != (b->target == NULL))
		return a->target == NULL ? -1 : 1;
	if (a->target == NULL)
		return (a->span > b->span) - (a->span < b->span);
	return strcmp(a->target, b->target);
}

void audit_stats_finish(audit_stats *s)
{
	if (s->nttf > 1)
		qsort(s->ttf, s->nttf, sizeof(*s->ttf), cmp_ll);
	if (s->nattempts > 1)
		qsort(s->attempts, s->nattempts, sizeof(*s->attempts), cmp_attempt);
}

int audit_percentile(const audit_stats *s, unsigned pct, long long *ret)
{
	size_t rank;

	if (s->nttf == 0 || pct == 0 || pct > 100)
		return CW_ENOENT;
	/* nearest rank: ceil(pct * N / 100), 1-based */
	rank = (pct * s->nttf + 99) / 100;
	if (rank == 0)
		rank = 1;
	*ret = s->ttf[rank - 1];
	return 0;
}

int audit_route_next(const audit_stats *s, size_t *pos, audit_route *ret)
{
	size_t i = *pos;
	audit_route r;

	if (i >= s->nattempts)
		return 0;
	r.route = s->attempts[i].route;
	r.target = s->attempts[i].target;
	r.span = s->attempts[i].span;
	r.attempts = 0;
	r.errors = 0;
	while (i < s->nattempts && cmp_attempt(&s->attempts[i], &s->attempts[*pos]) == 0) {
		r.attempts++;
		r.errors += (unsigned long)s->attempts[i].error;
		i++;
	}
	*pos = i;
	*ret = r;
	return 1;
}
