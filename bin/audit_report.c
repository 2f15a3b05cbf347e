/* SPDX-License-Identifier: MIT */
/*
 * audit_report.c — print the report of "causeway audit" as text lines or
 * as one JSON object (the exact formats are in bin/README.md).
 */
#include <stdio.h>

#include "audit.h"
#include "cli.h"
#include "json.h"

#define Q850_CLASSES 7

static const unsigned percentiles[] = { 50, 90, 99, 100 };
static const char *const percentile_names[] = { "p50", "p90", "p99", "max" };

/* Counts of causes 1..127 by Q.850 class. */
static void cause_classes(const unsigned long *by_cause, unsigned long *ret)
{
	for (int i = 0; i < Q850_CLASSES; i++)
		ret[i] = 0;
	for (int c = CW_Q850_CAUSE_MIN; c <= CW_Q850_CAUSE_MAX; c++) {
		const cw_q850_info *info;

		if (cw_q850_info_get(c, &info) == 0 && (int)info->cls < Q850_CLASSES)
			ret[info->cls] += by_cause[c];
	}
}

/* Error rate in tenths of a percent, rounded half up. */
static unsigned long rate_tenths(const audit_route *rt)
{
	return (rt->errors * 2000 + rt->attempts) / (2 * rt->attempts);
}

/* ---- text ---- */

static void text_causes(const char *what, const unsigned long *by_cause)
{
	unsigned long cls[Q850_CLASSES];

	cause_classes(by_cause, cls);
	printf("cause %s class:", what);
	for (int i = 0; i < Q850_CLASSES; i++)
		printf(" %s %lu,", cw_q850_class_name((enum cw_q850_class)i), cls[i]);
	printf(" none %lu\n", by_cause[0]);
	for (int c = CW_Q850_CAUSE_MIN; c <= CW_Q850_CAUSE_MAX; c++) {
		if (by_cause[c] > 0)
			printf("cause %s %d %s: %lu\n", what, c, cli_cause_name(c), by_cause[c]);
	}
}

static void text_statuses(const audit_stats *s)
{
	unsigned long cls[6] = { 0 };

	for (int st = CW_SIP_STATUS_MIN; st <= CW_SIP_STATUS_MAX; st++)
		cls[st / 100 - 1] += s->status[st];
	printf("status class:");
	for (int i = 0; i < 6; i++)
		printf(" %dxx %lu,", i + 1, cls[i]);
	printf(" none %lu\n", s->status[0]);
	for (int st = CW_SIP_STATUS_MIN; st <= CW_SIP_STATUS_MAX; st++) {
		if (s->status[st] > 0)
			printf("status %d %s: %lu\n", st, cli_status_phrase(st), s->status[st]);
	}
}

static void text_ttf(const audit_stats *s)
{
	long long v;

	if (s->nttf == 0) {
		printf("time to final response: none\n");
		return;
	}
	printf("time to final response: %zu calls", s->nttf);
	for (size_t i = 0; i < sizeof(percentiles) / sizeof(percentiles[0]); i++) {
		if (audit_percentile(s, percentiles[i], &v) == 0)
			printf(", %s %lld ms", percentile_names[i], v);
	}
	printf("\n");
}

static void text_routes(const audit_stats *s)
{
	audit_route rt;
	size_t pos = 0;

	while (audit_route_next(s, &pos, &rt)) {
		unsigned long t = rate_tenths(&rt);

		printf("route %s ", rt.route ? rt.route : "-");
		if (rt.target)
			printf("target %s", rt.target);
		else
			printf("span %d", rt.span);
		printf(": %lu attempts, %lu errors, error rate %lu.%lu%%\n", rt.attempts, rt.errors,
		       t / 10, t % 10);
	}
}

static void text_call(const audit_disagreement *d)
{
	if (d->call_id_sip)
		printf("%s", d->call_id_sip);
	else
		printf("span %d cref %ld", d->span, d->cref_isdn);
}

void audit_print_text(const audit_report *r)
{
	const audit_stats *s = &r->stats;
	char file[256];

	cli_printable(r->file, file, sizeof(file));

	printf("profile: %s\n", cw_profile_name(r->profile));
	printf("calls: %lu\n", s->calls);
	printf("answered: %lu\n", s->answered);
	printf("other profile: %lu\n", s->other_profile);
	printf("malformed: %zu\n", r->nbad);
	text_statuses(s);
	text_causes("received", s->cause_received);
	text_causes("sent", s->cause_sent);
	text_ttf(s);
	text_routes(s);
	printf("checked: %lu\n", r->checked);
	printf("disagreeing: %zu\n", r->ndis);
	for (size_t i = 0; i < r->ndis; i++) {
		const audit_disagreement *d = &r->dis[i];

		printf("disagree %s:%lu ", file, d->line);
		text_call(d);
		printf(" %s: %s -> %s, expected %s | rule %s | recorded %s\n",
		       cdr_direction_name(d->direction), d->input, d->seen, d->expected, d->rule,
		       d->recorded_rule ? d->recorded_rule : "-");
	}
	for (size_t i = 0; i < r->nbad; i++)
		printf("malformed %s:%lu: %s\n", file, r->bad[i].line, r->bad[i].message);
}

/* ---- JSON ---- */

static void json_count(json_w *w, const char *key, unsigned long n)
{
	json_key(w, key);
	json_int(w, (long)n);
}

static void json_causes(json_w *w, const char *key, const unsigned long *by_cause)
{
	unsigned long cls[Q850_CLASSES];

	cause_classes(by_cause, cls);
	json_key(w, key);
	json_obj_begin(w);
	json_key(w, "classes");
	json_obj_begin(w);
	for (int i = 0; i < Q850_CLASSES; i++)
		json_count(w, cw_q850_class_name((enum cw_q850_class)i), cls[i]);
	json_count(w, "none", by_cause[0]);
	json_obj_end(w);
	json_key(w, "codes");
	json_arr_begin(w);
	for (int c = CW_Q850_CAUSE_MIN; c <= CW_Q850_CAUSE_MAX; c++) {
		if (by_cause[c] == 0)
			continue;
		json_obj_begin(w);
		json_count(w, "cause", (unsigned long)c);
		json_key(w, "name");
		json_str(w, cli_cause_name(c));
		json_count(w, "count", by_cause[c]);
		json_obj_end(w);
	}
	json_arr_end(w);
	json_obj_end(w);
}

static void json_statuses(json_w *w, const audit_stats *s)
{
	static const char *const names[] = { "1xx", "2xx", "3xx", "4xx", "5xx", "6xx" };
	unsigned long cls[6] = { 0 };

	for (int st = CW_SIP_STATUS_MIN; st <= CW_SIP_STATUS_MAX; st++)
		cls[st / 100 - 1] += s->status[st];
	json_key(w, "status_classes");
	json_obj_begin(w);
	for (int i = 0; i < 6; i++)
		json_count(w, names[i], cls[i]);
	json_count(w, "none", s->status[0]);
	json_obj_end(w);
	json_key(w, "statuses");
	json_arr_begin(w);
	for (int st = CW_SIP_STATUS_MIN; st <= CW_SIP_STATUS_MAX; st++) {
		if (s->status[st] == 0)
			continue;
		json_obj_begin(w);
		json_count(w, "status", (unsigned long)st);
		json_key(w, "phrase");
		json_str(w, cli_status_phrase(st));
		json_count(w, "count", s->status[st]);
		json_obj_end(w);
	}
	json_arr_end(w);
}

static void json_ttf(json_w *w, const audit_stats *s)
{
	long long v;

	json_key(w, "time_to_final");
	json_obj_begin(w);
	json_count(w, "count", s->nttf);
	for (size_t i = 0; i < sizeof(percentiles) / sizeof(percentiles[0]); i++) {
		json_key(w, percentile_names[i]);
		if (audit_percentile(s, percentiles[i], &v) == 0)
			json_int(w, (long)v);
		else
			json_null(w);
	}
	json_obj_end(w);
}

static void json_routes(json_w *w, const audit_stats *s)
{
	audit_route rt;
	size_t pos = 0;

	json_key(w, "routes");
	json_arr_begin(w);
	while (audit_route_next(s, &pos, &rt)) {
		json_obj_begin(w);
		json_key(w, "route");
		json_str(w, rt.route);
		json_key(w, "target");
		json_str(w, rt.target);
		json_key(w, "span");
		if (rt.target)
			json_null(w);
		else
			json_int(w, rt.span);
		json_count(w, "attempts", rt.attempts);
		json_count(w, "errors", rt.errors);
		json_key(w, "error_rate");
		json_double(w, (double)rt.errors / (double)rt.attempts);
		json_obj_end(w);
	}
	json_arr_end(w);
}

static void json_disagreement(json_w *w, const audit_disagreement *d)
{
	json_obj_begin(w);
	json_count(w, "line", d->line);
	json_key(w, "call_id_sip");
	json_str(w, d->call_id_sip);
	json_key(w, "cref_isdn");
	if (d->cref_isdn == CDR_NULL)
		json_null(w);
	else
		json_int(w, d->cref_isdn);
	json_key(w, "span");
	if (d->span == CDR_NULL)
		json_null(w);
	else
		json_int(w, d->span);
	json_key(w, "direction");
	json_str(w, cdr_direction_name(d->direction));
	json_key(w, "check");
	json_str(w, d->kind == AUDIT_CAUSE2SIP ? "cause2sip" : "sip2cause");
	json_key(w, "input");
	json_str(w, d->input);
	json_key(w, "seen");
	json_str(w, d->seen);
	json_key(w, "expected");
	json_str(w, d->expected);
	json_key(w, "rule");
	json_str(w, d->rule);
	json_key(w, "recorded_rule");
	json_str(w, d->recorded_rule);
	json_obj_end(w);
}

void audit_print_json(const audit_report *r)
{
	const audit_stats *s = &r->stats;
	json_w w;

	json_init(&w, stdout);
	json_obj_begin(&w);
	json_key(&w, "file");
	json_str(&w, r->file);
	json_key(&w, "profile");
	json_str(&w, cw_profile_name(r->profile));
	json_count(&w, "calls", s->calls);
	json_count(&w, "answered", s->answered);
	json_count(&w, "other_profile", s->other_profile);
	json_count(&w, "malformed", r->nbad);
	json_statuses(&w, s);
	json_causes(&w, "causes_received", s->cause_received);
	json_causes(&w, "causes_sent", s->cause_sent);
	json_ttf(&w, s);
	json_routes(&w, s);
	json_count(&w, "checked", r->checked);
	json_key(&w, "disagreements");
	json_arr_begin(&w);
	for (size_t i = 0; i < r->ndis; i++)
		json_disagreement(&w, &r->dis[i]);
	json_arr_end(&w);
	json_key(&w, "malformed_lines");
	json_arr_begin(&w);
	for (size_t i = 0; i < r->nbad; i++) {
		json_obj_begin(&w);
		json_count(&w, "line", r->bad[i].line);
		json_key(&w, "error");
		json_str(&w, r->bad[i].message);
		json_obj_end(&w);
	}
	json_arr_end(&w);
	json_obj_end(&w);
	json_newline(&w);
}
