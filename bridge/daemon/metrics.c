/* SPDX-License-Identifier: MIT */
/*
 * metrics.c — the families of docs/metrics.md and what feeds them
 * (metrics.h). Names follow Prometheus's naming conventions: causeway_
 * prefix, _total on counters, _seconds on durations. Label values come
 * from fixed sets or the configuration (route names, targets, spans),
 * never from a peer's bytes: a SIP method outside RFC 3261 §27.4's
 * registry is "other", a status outside 100-699 "other".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "registry.h"

enum fam {
	F_CALLS,          /* causeway_calls_total{direction,class,status} */
	F_ATTEMPTED,      /* causeway_calls_attempted_total{direction} */
	F_ANSWERED,       /* causeway_calls_answered_total{direction} */
	F_EFFECTIVE,      /* causeway_calls_effective_total{direction} */
	F_CAUSE_SENT,     /* causeway_q850_causes_sent_total{direction,cause} */
	F_CAUSE_RCVD,     /* causeway_q850_causes_received_total{direction,cause} */
	F_FIRST_PROV,     /* causeway_call_first_provisional_seconds{direction} */
	F_FINAL,          /* causeway_call_final_response_seconds{direction} */
	F_ROUTE_ATT,      /* causeway_route_attempts_total{route,target} */
	F_ROUTE_ERR,      /* causeway_route_errors_total{route,target} */
	F_FAILOVERS,      /* causeway_failovers_total{direction,route} */
	F_SIP_REQ,        /* causeway_sip_requests_total{direction,method} */
	F_SIP_RESP,       /* causeway_sip_responses_total{direction,method,class,code} */
	F_REFUSALS,       /* causeway_policy_refusals_total{reason} */
	F_DCHAN,          /* causeway_dchannel_events_total{span,event} */
	F_SPANS_UP,       /* causeway_spans_up */
	F_SPAN_UP,        /* causeway_span_up{span} */
	F_BCHAN,          /* causeway_bchannels{span} */
	F_BCHAN_BUSY,     /* causeway_bchannels_busy{span} */
	F_BCHAN_OOS,      /* causeway_bchannels_out_of_service{span} */
	F_CALLS_ACTIVE,   /* causeway_calls_active */
	F_NODE,           /* causeway_node_info{node} */
	F_COUNT
};

/* Seconds from the start of a call to its first 1xx and to its final response. */
#define TIME_BUCKETS { 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60 }, 12

static const struct cwmet_family_spec specs[F_COUNT] = {
	[F_CALLS] = { CWMET_COUNTER, "causeway_calls_total",
		"Calls ended, by direction and the final SIP status sent or received (class 2xx-6xx; "
		"none: no final response).", { "direction", "class", "status" }, 3, { 0 }, 0 },
	[F_ATTEMPTED] = { CWMET_COUNTER, "causeway_calls_attempted_total",
		"Calls ended, answered or not (the denominator of ASR and NER).", { "direction" }, 1,
		{ 0 }, 0 },
	[F_ANSWERED] = { CWMET_COUNTER, "causeway_calls_answered_total",
		"Calls answered (the numerator of ASR).", { "direction" }, 1, { 0 }, 0 },
	[F_EFFECTIVE] = { CWMET_COUNTER, "causeway_calls_effective_total",
		"Calls answered or ended by the user: Q.850 cause 17, 18, 19 or 21 (the numerator of "
		"NER, ITU-T E.425).", { "direction" }, 1, { 0 }, 0 },
	[F_CAUSE_SENT] = { CWMET_COUNTER, "causeway_q850_causes_sent_total",
		"Q.850 causes of the calls' clearing, sent on ISDN.", { "direction", "cause" }, 2, { 0 },
		0 },
	[F_CAUSE_RCVD] = { CWMET_COUNTER, "causeway_q850_causes_received_total",
		"Q.850 causes of the calls' clearing, received on ISDN.", { "direction", "cause" }, 2,
		{ 0 }, 0 },
	[F_FIRST_PROV] = { CWMET_HISTOGRAM, "causeway_call_first_provisional_seconds",
		"Time from the start of a call to its first provisional response other than 100.",
		{ "direction" }, 1, TIME_BUCKETS },
	[F_FINAL] = { CWMET_HISTOGRAM, "causeway_call_final_response_seconds",
		"Time from the start of a call to its final response.", { "direction" }, 1,
		TIME_BUCKETS },
	[F_ROUTE_ATT] = { CWMET_COUNTER, "causeway_route_attempts_total",
		"INVITEs to a SIP target and SETUPs on a span, by route and target (host:port, "
		"span:N, or redirect: the Contact of a 3xx).", { "route", "target" }, 2, { 0 }, 0 },
	[F_ROUTE_ERR] = { CWMET_COUNTER, "causeway_route_errors_total",
		"Attempts that failed at their target: SIP 408 or 5xx (503: not sent), or a Q.850 cause "
		"27 or 34 and above from the span.", { "route", "target" }, 2, { 0 }, 0 },
	[F_FAILOVERS] = { CWMET_COUNTER, "causeway_failovers_total",
		"Attempts after a failed one that was not a redirect.", { "direction", "route" }, 2,
		{ 0 }, 0 },
	[F_SIP_REQ] = { CWMET_COUNTER, "causeway_sip_requests_total",
		"SIP requests received (in) and sent (out), retransmissions included.",
		{ "direction", "method" }, 2, { 0 }, 0 },
	[F_SIP_RESP] = { CWMET_COUNTER, "causeway_sip_responses_total",
		"SIP responses received (in) and sent (out), by the method of their CSeq and code.",
		{ "direction", "method", "class", "code" }, 4, { 0 }, 0 },
	[F_REFUSALS] = { CWMET_COUNTER, "causeway_policy_refusals_total",
		"SIP requests refused by the admission policy, by the reason of the refusal line.",
		{ "reason" }, 1, { 0 }, 0 },
	[F_DCHAN] = { CWMET_COUNTER, "causeway_dchannel_events_total",
		"D-channel changes of a span: up, down.", { "span", "event" }, 2, { 0 }, 0 },
	[F_SPANS_UP] = { CWMET_GAUGE, "causeway_spans_up", "Spans whose D-channel is up.", { 0 }, 0,
		{ 0 }, 0 },
	[F_SPAN_UP] = { CWMET_GAUGE, "causeway_span_up", "1 when the span's D-channel is up.",
		{ "span" }, 1, { 0 }, 0 },
	[F_BCHAN] = { CWMET_GAUGE, "causeway_bchannels", "B-channels configured on the span.",
		{ "span" }, 1, { 0 }, 0 },
	[F_BCHAN_BUSY] = { CWMET_GAUGE, "causeway_bchannels_busy", "B-channels of the span in use.",
		{ "span" }, 1, { 0 }, 0 },
	[F_BCHAN_OOS] = { CWMET_GAUGE, "causeway_bchannels_out_of_service",
		"B-channels of the span the network put out of service (SERVICE): not hunted.",
		{ "span" }, 1, { 0 }, 0 },
	[F_CALLS_ACTIVE] = { CWMET_GAUGE, "causeway_calls_active", "Calls in progress.", { 0 }, 0,
		{ 0 }, 0 },
	[F_NODE] = { CWMET_GAUGE, "causeway_node_info",
		"1, labelled with this gateway's [general] node name (none without it).", { "node" }, 1,
		{ 0 }, 0 },
};

struct cwb_metrics {
	struct cwmet_registry *reg;
	struct cwmet_family *f[F_COUNT];
};

int cwb_metrics_new(struct cwb_metrics **ret)
{
	struct cwb_metrics *m = calloc(1, sizeof(*m));
	int r = m ? cwmet_registry_new(&m->reg) : -ENOMEM;

	for (size_t i = 0; r == 0 && i < F_COUNT; i++)
		r = cwmet_family_add(m->reg, &specs[i], &m->f[i]);
	if (r < 0) {
		cwb_metrics_free(m);
		return r;
	}
	*ret = m;
	return 0;
}

void cwb_metrics_free(struct cwb_metrics *m)
{
	if (m == NULL)
		return;
	cwmet_registry_free(m->reg);
	free(m);
}

static const char *direction(enum cwc_call_dir dir)
{
	return dir == CWC_CALL_FROM_SIP ? "sip_to_isdn" : "isdn_to_sip";
}

/* "2xx".."6xx" (or "1xx"), "none" for 0, "other" outside 100-699 */
static const char *status_class(int status)
{
	static const char *const classes[] = { "1xx", "2xx", "3xx", "4xx", "5xx", "6xx" };

	if (status == 0)
		return "none";
	return status >= 100 && status <= 699 ? classes[status / 100 - 1] : "other";
}

static void status_text(int status, char *buf, size_t len)
{
	if (status == 0)
		snprintf(buf, len, "none");
	else if (status >= 100 && status <= 699)
		snprintf(buf, len, "%d", status);
	else
		snprintf(buf, len, "other");
}

static void count(struct cwb_metrics *m, enum fam f, const char *a, const char *b,
                  const char *c, const char *d)
{
	const char *values[4] = { a, b, c, d };

	(void)cwmet_counter_add(m->f[f], values, 1);
}

/* ITU-T E.425 §2: answered, or ended by the user (busy, no reply, no answer, rejected). */
static int effective(const struct cwc_call_summary *s)
{
	return s->answered || s->cause == 17 || s->cause == 18 || s->cause == 19 || s->cause == 21;
}

static int attempt_failed(const struct cwc_call_attempt *a)
{
	if (a->target[0])
		return a->status == 408 || a->status >= 500;
	return a->cause == 27 || a->cause >= 34; /* Q.850 §2.2.7: resource unavailable and after */
}

static void count_attempts(struct cwb_metrics *m, enum cwc_call_dir dir, const char *route,
                           const struct cwc_call_summary *s)
{
	char target[CWC_CALL_TARGET_MAX + 8];

	for (size_t i = 0; i < s->nattempts; i++) {
		const struct cwc_call_attempt *a = &s->attempts[i], *prev = i ? a - 1 : NULL;
		/* after a 3xx the target is its Contact (RFC 3261 §8.1.3.4): a redirect, not a
		 * failover, and a host the peer named, so not a label value of its own */
		int redirect = prev && prev->target[0] && prev->status >= 300 && prev->status <= 399;

		if (redirect)
			snprintf(target, sizeof(target), "redirect");
		else if (a->target[0])
			snprintf(target, sizeof(target), "%s", a->target);
		else
			snprintf(target, sizeof(target), "span:%d", a->span);
		count(m, F_ROUTE_ATT, route, target, NULL, NULL);
		if (attempt_failed(a))
			count(m, F_ROUTE_ERR, route, target, NULL, NULL);
		if (prev && !redirect)
			count(m, F_FAILOVERS, direction(dir), route, NULL, NULL);
	}
}

void cwb_metrics_call_end(struct cwb_metrics *m, enum cwc_call_dir dir, const char *route,
                          const struct cwc_call_summary *s)
{
	const char *dirs[1] = { direction(dir) };
	char status[16], cause[8];

	if (m == NULL || s == NULL)
		return;
	route = route ? route : "none";
	status_text(s->sip_status, status, sizeof(status));
	count(m, F_CALLS, dirs[0], status_class(s->sip_status), status, NULL);
	count(m, F_ATTEMPTED, dirs[0], NULL, NULL, NULL);
	if (s->answered)
		count(m, F_ANSWERED, dirs[0], NULL, NULL, NULL);
	if (effective(s))
		count(m, F_EFFECTIVE, dirs[0], NULL, NULL, NULL);
	if (s->cause_sent.present) {
		snprintf(cause, sizeof(cause), "%d", s->cause_sent.cause & 127);
		count(m, F_CAUSE_SENT, dirs[0], cause, NULL, NULL);
	}
	if (s->cause_received.present) {
		snprintf(cause, sizeof(cause), "%d", s->cause_received.cause & 127);
		count(m, F_CAUSE_RCVD, dirs[0], cause, NULL, NULL);
	}
	if (s->first_provisional_after_ms >= 0)
		(void)cwmet_histogram_observe(m->f[F_FIRST_PROV], dirs,
		                              (double)s->first_provisional_after_ms / 1000.0);
	if (s->final_after_ms >= 0)
		(void)cwmet_histogram_observe(m->f[F_FINAL], dirs, (double)s->final_after_ms / 1000.0);
	count_attempts(m, dir, route, s);
}

/* RFC 3261 §27.4 and its extensions' methods; anything else is "other". */
static const char *method_name(const char *method)
{
	static const char *const known[] = {
		"ACK", "BYE", "CANCEL", "INFO", "INVITE", "MESSAGE", "NOTIFY", "OPTIONS",
		"PRACK", "PUBLISH", "REFER", "REGISTER", "SUBSCRIBE", "UPDATE",
	};

	if (method == NULL)
		return "unknown";
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(method, known[i]) == 0)
			return known[i];
	return "other";
}

void cwb_metrics_sip_message(struct cwb_metrics *m, int out, const char *method, int status)
{
	const char *dir = out ? "out" : "in";
	char code[16];

	if (m == NULL)
		return;
	if (status == 0) {
		count(m, F_SIP_REQ, dir, method_name(method), NULL, NULL);
		return;
	}
	status_text(status, code, sizeof(code));
	count(m, F_SIP_RESP, dir, method_name(method), status_class(status), code);
}

void cwb_metrics_refusal(struct cwb_metrics *m, const char *reason)
{
	if (m != NULL)
		count(m, F_REFUSALS, reason ? reason : "unknown", NULL, NULL, NULL);
}

void cwb_metrics_dchannel(struct cwb_metrics *m, unsigned span, int up)
{
	char num[16];

	if (m == NULL)
		return;
	snprintf(num, sizeof(num), "%u", span);
	count(m, F_DCHAN, num, up ? "up" : "down", NULL, NULL);
}

void cwb_metrics_node(struct cwb_metrics *m, const char *node)
{
	const char *v[1] = { node };

	if (m == NULL)
		return;
	cwmet_family_reset(m->f[F_NODE]);
	if (node != NULL)
		(void)cwmet_gauge_set(m->f[F_NODE], v, 1);
}

int cwb_metrics_format(struct cwb_metrics *m, const struct cwb_metrics_span *spans, size_t n,
                       size_t calls_active, char **out, size_t *len)
{
	size_t up = 0;

	if (m == NULL || (n > 0 && spans == NULL))
		return -EINVAL;
	/* the gauges of now: a span left out of the configuration is not kept */
	cwmet_family_reset(m->f[F_SPAN_UP]);
	cwmet_family_reset(m->f[F_BCHAN]);
	cwmet_family_reset(m->f[F_BCHAN_BUSY]);
	cwmet_family_reset(m->f[F_BCHAN_OOS]);
	for (size_t i = 0; i < n; i++) {
		char num[16];
		const char *v[1] = { num };

		snprintf(num, sizeof(num), "%u", spans[i].number);
		up += spans[i].up != 0;
		(void)cwmet_gauge_set(m->f[F_SPAN_UP], v, spans[i].up ? 1 : 0);
		(void)cwmet_gauge_set(m->f[F_BCHAN], v, spans[i].total);
		(void)cwmet_gauge_set(m->f[F_BCHAN_BUSY], v, spans[i].busy);
		(void)cwmet_gauge_set(m->f[F_BCHAN_OOS], v, spans[i].out_of_service);
	}
	(void)cwmet_gauge_set(m->f[F_SPANS_UP], NULL, (double)up);
	(void)cwmet_gauge_set(m->f[F_CALLS_ACTIVE], NULL, (double)calls_active);
	return cwmet_format(m->reg, out, len);
}
