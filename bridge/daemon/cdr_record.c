/* SPDX-License-Identifier: MIT */
/*
 * cdr_record.c — what a call's CDR needs (docs/cdr.md), collected from the
 * events fed to the core and the actions it returns, and written as the
 * call finishes. The core decides; this file only watches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <causeway/causeway.h>

#include "daemon.h"

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void cwb_cdr_start(struct cwb_call *c, const cw_profile *profile)
{
	struct cwb_cdr_rec *r = &c->rec;

	memset(r, 0, sizeof(*r));
	r->profile = profile;
	r->t_start_wall = wall_ms();
	r->t_start_mono = cwb_now_ms();
	r->first_provisional = r->final = -1;
	r->sent.location = r->received.location = CW_LOCATION_UNKNOWN;
}

static int64_t since_start(const struct cwb_call *c, uint64_t now)
{
	return now > c->rec.t_start_mono ? (int64_t)(now - c->rec.t_start_mono) : 0;
}

static void keep_reason(char (*list)[CW_CALL_REASON_MAX], size_t *n, const char *s, size_t len)
{
	if (*n >= CWB_CDR_REASONS || len == 0)
		return;
	if (len >= CW_CALL_REASON_MAX)
		len = CW_CALL_REASON_MAX - 1;
	memcpy(list[*n], s, len);
	list[*n][len] = '\0';
	(*n)++;
}

/* The SIP leg ended with this message: its Reason lines are the ones received (docs/cdr.md). */
static void received_reasons(struct cwb_cdr_rec *r, const struct cw_call_event *ev)
{
	r->nreasons_received = 0;
	for (size_t i = 0; i < ev->nreasons; i++)
		keep_reason(r->reasons_received, &r->nreasons_received, ev->reasons[i].ptr,
		            ev->reasons[i].len);
}

static void final_status(struct cwb_call *c, int status, uint64_t now)
{
	struct cwb_cdr_rec *r = &c->rec;

	if (r->final >= 0)
		return;
	r->final = since_start(c, now);
	r->status = status;
}

static void provisional(struct cwb_call *c, int status, uint64_t now)
{
	/* docs/cdr.md: the first provisional other than 100 (post-dial delay) */
	if (status > 100 && c->rec.first_provisional < 0)
		c->rec.first_provisional = since_start(c, now);
}

static struct cwb_cdr_attempt *last_attempt(struct cwb_cdr_rec *r)
{
	return r->nattempts ? &r->attempts[r->nattempts - 1] : NULL;
}

void cwb_cdr_attempt(struct cwb_call *c, const char *target, int span)
{
	struct cwb_cdr_rec *r = &c->rec;
	struct cwb_cdr_attempt *a;

	if (span) {
		/* docs/cdr.md: cause_sent and cause_received are of the last span tried; the
		 * causes of the spans before stay in their routes_tried entries */
		memset(&r->sent, 0, sizeof(r->sent));
		memset(&r->received, 0, sizeof(r->received));
		r->sent.location = r->received.location = CW_LOCATION_UNKNOWN;
	}
	if (r->nattempts >= CW_CDR_ATTEMPTS_MAX)
		return;
	a = &r->attempts[r->nattempts++];
	memset(a, 0, sizeof(*a));
	snprintf(a->target, sizeof(a->target), "%s", target ? target : "");
	a->span = span;
}

void cwb_cdr_event(struct cwb_call *c, const struct cw_call_event *ev)
{
	struct cwb_cdr_rec *r = &c->rec;
	struct cwb_cdr_attempt *a = last_attempt(r);

	switch (ev->type) {
	case CW_EV_SIP_INVITE:
	case CW_EV_ISDN_SETUP:
		/* Q.931 §4.5.10 octet 3a presentation indicator */
		r->presentation = ev->calling.presentation == 0   ? "allowed"
		                  : ev->calling.presentation == 1 ? "restricted"
		                  : ev->calling.presentation == 2 ? "unavailable"
		                                                   : NULL;
		break;
	case CW_EV_SIP_1XX:
		provisional(c, ev->status, ev->now_ms);
		break;
	case CW_EV_SIP_2XX:
		final_status(c, ev->status, ev->now_ms);
		if (a && a->status == 0)
			a->status = ev->status;
		break;
	case CW_EV_SIP_FINAL_ERROR:
		final_status(c, ev->status, ev->now_ms);
		r->warning = ev->warning;
		received_reasons(r, ev);
		if (a && a->status == 0) {
			a->status = ev->status;
			a->nreasons = 0;
			for (size_t i = 0; i < ev->nreasons; i++)
				keep_reason(a->reasons, &a->nreasons, ev->reasons[i].ptr, ev->reasons[i].len);
		}
		break;
	case CW_EV_SIP_INVITE_TIMEOUT:
		/* docs/cdr.md: no response counts as 408 (RFC 3261 §8.1.3.1) */
		if (c->dir == CW_CALL_FROM_ISDN) {
			final_status(c, 408, ev->now_ms);
			if (a && a->status == 0)
				a->status = 408;
		}
		break;
	case CW_EV_SIP_TRANSPORT_ERROR:
		/* the INVITE could not be sent: as a 503 (RFC 3261 §8.1.3.1) for its attempt */
		if (c->dir == CW_CALL_FROM_ISDN && a && !a->span && a->status == 0 &&
		    cw_call_state(c->core) != CW_CS_U10_ACTIVE)
			a->status = 503;
		break;
	case CW_EV_SIP_BYE:
	case CW_EV_SIP_CANCEL:
		received_reasons(r, ev);
		break;
	case CW_EV_ISDN_DISCONNECT:
	case CW_EV_ISDN_RELEASE:
	case CW_EV_ISDN_RELEASE_COMPLETE:
		if (!r->received.present && ev->cause > 0) {
			int cause, location, coding = 0;

			r->received.present = 1;
			r->received.cause = ev->cause;
			r->received.location = ev->location;
			r->received.diagnostic = ev->has_diagnostic;
			if (c->span && c->cref >= 0 &&
			    cw_span_received_cause(c->span->span, c->cref, &cause, &location, &coding) == 0 &&
			    cause == ev->cause)
				r->received.coding = coding;
		}
		if (a && a->span && a->cause == 0)
			a->cause = ev->cause;
		break;
	default:
		break;
	}
}

static void sent_cause(struct cwb_cdr_rec *r, const struct cw_call_action *a)
{
	if (r->sent.present || a->cause <= 0)
		return;
	r->sent.present = 1;
	r->sent.cause = a->cause;
	/* no location asked for: the wire carries libpri's constant 1, LPN (libpri-libosip2.md
	   §1.4), since no earlier cause of this call set a rewrite (this is the first) */
	r->sent.location = a->location >= 0 ? a->location : CW_LOC_LPN;
}

void cwb_cdr_action(struct cwb_call *c, const struct cw_call_action *a, uint64_t now)
{
	struct cwb_cdr_rec *r = &c->rec;
	struct cwb_cdr_attempt *last = last_attempt(r);

	switch (a->type) {
	case CW_ACT_SIP_PROVISIONAL:
		provisional(c, a->status, now);
		break;
	case CW_ACT_SIP_200_OK:
		final_status(c, 200, now);
		break;
	case CW_ACT_SIP_FINAL_ERROR:
		final_status(c, a->status, now);
		keep_reason(r->reasons_sent, &r->nreasons_sent, a->reason, strlen(a->reason));
		break;
	case CW_ACT_SIP_CANCEL:
	case CW_ACT_SIP_BYE:
		keep_reason(r->reasons_sent, &r->nreasons_sent, a->reason, strlen(a->reason));
		break;
	case CW_ACT_SIP_INVITE:
		/* the attempt is added by sipside.c once it knows the target (cwb_cdr_attempt) */
		break;
	case CW_ACT_SIP_INVITE_NEXT:
		/* failover: the call's final response is the next target's (docs/cdr.md: the last
		 * attempt decides the call); the one before stays in its attempt */
		r->final = -1;
		r->status = 0;
		r->warning = 0;
		r->nreasons_received = 0;
		break;
	case CW_ACT_ISDN_SETUP:
		if (c->span)
			cwb_cdr_attempt(c, NULL, (int)c->span->cfg->number);
		break;
	case CW_ACT_ISDN_SETUP_RETRY:
		/* cause 44 / 34: this attempt failed; the daemon hunts again and, if it finds a
		 * channel, adds the attempt of the new SETUP (isdn.c) */
		if (last && last->span && last->cause == 0)
			last->cause = a->cause > 0 ? a->cause : 44;
		break;
	case CW_ACT_ISDN_DISCONNECT:
	case CW_ACT_ISDN_RELEASE:
	case CW_ACT_ISDN_RELEASE_COMPLETE:
		sent_cause(r, a);
		if (last && last->span && last->cause == 0 && a->cause > 0)
			last->cause = a->cause;
		break;
	default:
		break;
	}
}

static const char *rule_text(const cw_rule *rule, char *buf, size_t len)
{
	if (rule == NULL)
		return NULL;
	cw_rule_describe(rule, buf, len);
	return buf;
}

static const char *cleared_by_name(enum cw_call_side side)
{
	switch (side) {
	case CW_SIDE_SIP:
		return "sip";
	case CW_SIDE_ISDN:
		return "isdn";
	default:
		return "local"; /* docs/cdr.md: a timer, a refusal, the operator, shutdown */
	}
}

/*
 * docs/cdr.md routes_tried[].cause: a span attempt always has its clearing cause. One that
 * saw no Cause IE either way (the D-channel died, the bridge gave up) takes the cause the core
 * cleared the call with, else 31 (Q.850 normal, unspecified).
 */
static int attempt_cause(const struct cwb_cdr_attempt *a, const struct cw_call_summary *s)
{
	if (a->cause > 0)
		return a->cause;
	return s->cause > 0 && s->cause <= 127 ? s->cause : 31;
}

static void fill_attempts(struct cw_cdr *out, const struct cwb_call *c,
                          const struct cw_call_summary *s)
{
	const struct cwb_cdr_rec *r = &c->rec;
	const char *route = c->route ? c->route->name : NULL;

	for (size_t i = 0; i < r->nattempts; i++) {
		const struct cwb_cdr_attempt *a = &r->attempts[i];
		struct cw_cdr_attempt *o = &out->attempts[out->nattempts++];

		memset(o, 0, sizeof(*o));
		o->route = route;
		if (a->span) {
			o->span = a->span;
			o->cause = attempt_cause(a, s);
		} else {
			o->target = a->target;
			o->status = a->status ? a->status : 408; /* none came */
			for (size_t k = 0; k < a->nreasons; k++)
				o->reasons[o->nreasons++] = a->reasons[k];
		}
	}
}

void cwb_cdr_finish(struct cwb_call *c, const struct cw_call_summary *s)
{
	const struct cwb_cdr_rec *r = &c->rec;
	char c2s[256], s2c[256], loc[256];
	char *line = NULL;
	size_t len = 0;
	struct cw_cdr out;
	int rc;

	if (c->d->cdr == NULL)
		return;
	cw_cdr_init(&out);
	out.call_id_sip = c->sc ? cw_sip_call_id(c->sc) : NULL;
	out.cref_isdn = c->cref >= 0 ? (c->cref & 0x7fff) : -1;
	out.span = c->span ? (int)c->span->cfg->number : 0;
	if (out.span == 0)
		out.cref_isdn = -1; /* docs/cdr.md: a cref only with its span */
	out.direction = c->dir == CW_CALL_FROM_SIP ? CW_CDR_SIP_TO_ISDN : CW_CDR_ISDN_TO_SIP;
	out.called = c->called;
	/* docs/cdr.md: numbers after privacy rules — a restricted number is not recorded */
	out.calling = r->presentation && strcmp(r->presentation, "allowed") != 0 ? NULL : c->calling;
	out.presentation = r->presentation;
	out.profile = cw_profile_name(r->profile);
	out.t_start_ms = r->t_start_wall;
	out.end_after_ms = since_start(c, cwb_now_ms());
	out.answered = s->answered && r->status >= 200 && r->status <= 299;
	out.answer_after_ms = -1;
	if (out.answered) {
		out.answer_after_ms = s->answer_ms > r->t_start_mono ? (int64_t)(s->answer_ms - r->t_start_mono) : 0;
		if (out.answer_after_ms > out.end_after_ms)
			out.answer_after_ms = out.end_after_ms;
	}
	out.first_provisional_ms = r->first_provisional;
	out.final_ms = r->final;
	out.sip_status = r->status;
	if (!out.answered && out.sip_status != 0 && out.sip_status < 300) {
		/* a 2xx that did not make the call (crossed a CANCEL): not a final outcome */
		out.sip_status = 0;
		out.final_ms = -1;
	}
	if (out.first_provisional_ms > out.final_ms && out.final_ms >= 0)
		out.first_provisional_ms = out.final_ms;
	out.warning = r->warning >= 100 && r->warning <= 999 ? r->warning : 0;
	out.cause_sent = r->sent;
	out.cause_received = r->received;
	for (size_t i = 0; i < r->nreasons_sent; i++)
		out.reasons_sent[out.nreasons_sent++] = r->reasons_sent[i];
	for (size_t i = 0; i < r->nreasons_received; i++)
		out.reasons_received[out.nreasons_received++] = r->reasons_received[i];
	out.cleared_by = cleared_by_name(s->cleared_by);
	fill_attempts(&out, c, s);
	if (out.answered && out.nattempts == 0)
		out.answered = 0, out.answer_after_ms = -1; /* cannot happen: a call answers on a leg */
	out.rule_c2s = rule_text(s->c2s_rule, c2s, sizeof(c2s));
	out.rule_s2c = rule_text(s->s2c_rule, s2c, sizeof(s2c));
	out.rule_location = rule_text(s->location_rule, loc, sizeof(loc));

	rc = cw_cdr_format(&out, &line, &len);
	if (rc < 0) {
		cwb_error("call %lu: CDR not written: %s", c->id, cw_strerror(rc));
		return;
	}
	rc = cw_cdr_file_append(c->d->cdr, line, len);
	if (rc < 0)
		cwb_error("call %lu: CDR write failed (%s); the record was: %.*s", c->id, strerror(-rc),
		          (int)(len - 1), line);
	free(line);
}
