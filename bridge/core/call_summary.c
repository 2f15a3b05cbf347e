/* SPDX-License-Identifier: MIT */
/*
 * bridge/core/call_summary.c — the call's outcome as the core saw it
 * (docs/cdr.md): recorded from each accepted event and the actions it
 * produced, after the row ran, so the table's rows stay as they are.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "call_internal.h"

void cwc_summary_init(struct cwc_call *call)
{
	struct cwc_call_summary *s = &call->summary;

	memset(&call->record, 0, sizeof(call->record));
	s->presentation = -1;
	s->final_status = 0;
	s->warning = 0;
	s->first_provisional_after_ms = s->final_after_ms = -1;
	memset(&s->cause_sent, 0, sizeof(s->cause_sent));
	memset(&s->cause_received, 0, sizeof(s->cause_received));
	s->cause_sent.location = s->cause_received.location = CW_LOCATION_UNKNOWN;
}

void cwc_summary_free(struct cwc_call *call)
{
	free(call->record.attempts);
	call->record.attempts = NULL;
	call->record.attempts_cap = 0;
}

/* Room for one more attempt: the array doubles from 1 to CWC_CALL_ATTEMPTS_MAX. */
static int attempt_room(struct cwc_call_record *r)
{
	struct cwc_call_attempt *grown;
	size_t cap;

	if (r->nattempts < r->attempts_cap)
		return 0;
	if (r->nattempts >= CWC_CALL_ATTEMPTS_MAX)
		return CWCOM_ELIMIT;
	cap = r->attempts_cap ? r->attempts_cap * 2 : 1;
	if (cap > CWC_CALL_ATTEMPTS_MAX)
		cap = CWC_CALL_ATTEMPTS_MAX;
	grown = realloc(r->attempts, cap * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	r->attempts = grown;
	r->attempts_cap = cap;
	return 0;
}

static int64_t since_start(const struct cwc_call *call, uint64_t now)
{
	return now > call->summary.start_ms ? (int64_t)(now - call->summary.start_ms) : 0;
}

int cwc_call_reasons_add(struct cwc_call_reasons *r, const char *s, size_t len)
{
	size_t room;

	if (r->n >= CWC_CALL_SUMMARY_REASONS || len == 0 || !s)
		return 0;
	room = sizeof(r->text) - r->used;
	if (room < 2)
		return 0;
	if (len >= CWC_CALL_REASON_MAX)
		len = CWC_CALL_REASON_MAX - 1;
	if (len > room - 1)
		len = room - 1;
	memcpy(r->text + r->used, s, len);
	r->text[r->used + len] = '\0';
	r->off[r->n++] = r->used;
	r->used = (uint16_t)(r->used + len + 1);
	return 1;
}

const char *cwc_call_reasons_value(const struct cwc_call_reasons *r, size_t i)
{
	return r && i < r->n ? r->text + r->off[i] : NULL;
}

static void reasons_clear(struct cwc_call_reasons *list)
{
	list->n = 0;
	list->used = 0;
}

static void reasons_of(struct cwc_call_reasons *list, const struct cwc_call_event *ev)
{
	reasons_clear(list);
	for (size_t i = 0; i < ev->nreasons; i++)
		(void)cwc_call_reasons_add(list, ev->reasons[i].ptr, ev->reasons[i].len);
}

/* The first final response counts; SIP_INVITE_NEXT starts the next target's afresh. */
static void final_status(struct cwc_call *call, int status, uint64_t now)
{
	if (call->summary.final_after_ms >= 0)
		return;
	call->summary.final_after_ms = since_start(call, now);
	call->summary.final_status = status;
}

/* docs/cdr.md: the first provisional other than 100 (post-dial delay) */
static void provisional(struct cwc_call *call, int status, uint64_t now)
{
	if (status > 100 && call->summary.first_provisional_after_ms < 0)
		call->summary.first_provisional_after_ms = since_start(call, now);
}

/* The last attempt if it is of that kind (a span or a target), else -1. */
static long last_attempt(const struct cwc_call *call, int span)
{
	const struct cwc_call_record *r = &call->record;

	if (r->nattempts == 0 || (r->attempts[r->nattempts - 1].span != 0) != (span != 0))
		return -1;
	return (long)r->nattempts - 1;
}

static void attempt_status(struct cwc_call *call, int status)
{
	long i = last_attempt(call, 0);

	if (i >= 0 && call->record.status_seen[i] == 0)
		call->record.status_seen[i] = status;
}

static void attempt_cause(struct cwc_call *call, int cause)
{
	long i = last_attempt(call, 1);

	if (i >= 0 && call->record.cause_seen[i] == 0 && cause > 0)
		call->record.cause_seen[i] = cause;
}

static void cause_received(struct cwc_call *call, const struct cwc_call_event *ev)
{
	struct cwc_call_cause *c = &call->summary.cause_received;

	if (c->present || ev->cause <= 0)
		return;
	c->present = 1;
	c->cause = ev->cause;
	c->location = ev->location;
	c->coding = ev->coding;
	c->diagnostic = ev->has_diagnostic;
}

static void cause_sent(struct cwc_call *call, const struct cwc_call_action *a)
{
	struct cwc_call_cause *c = &call->summary.cause_sent;

	if (c->present || a->cause <= 0)
		return;
	c->present = 1;
	c->cause = a->cause;
	c->location = a->location;
}

static void record_event(struct cwc_call *call, const struct cwc_call_event *ev,
                         enum cwc_call_state next)
{
	int to_sip = call->cfg.dir == CWC_CALL_FROM_ISDN;

	switch (ev->type) {
	case CWC_EV_SIP_INVITE:
	case CWC_EV_ISDN_SETUP:
		call->summary.presentation = ev->calling.presentation; /* Q.931 §4.5.10 octet 3a */
		break;
	case CWC_EV_SIP_1XX:
		provisional(call, ev->status, ev->now_ms);
		break;
	case CWC_EV_SIP_2XX:
		final_status(call, ev->status, ev->now_ms);
		attempt_status(call, ev->status);
		break;
	case CWC_EV_SIP_FINAL_ERROR: {
		long i = last_attempt(call, 0);

		final_status(call, ev->status, ev->now_ms);
		call->summary.warning = ev->warning;
		reasons_of(&call->record.reasons_received, ev);
		if (i >= 0 && call->record.status_seen[i] == 0) {
			call->record.status_seen[i] = ev->status;
			reasons_of(&call->record.attempts[i].reasons, ev);
		}
		break;
	}
	case CWC_EV_SIP_INVITE_TIMEOUT:
		/* no response to our INVITE counts as 408 (RFC 3261 §8.1.3.1) */
		if (to_sip) {
			final_status(call, 408, ev->now_ms);
			attempt_status(call, 408);
		}
		break;
	case CWC_EV_SIP_TRANSPORT_ERROR:
		/* the INVITE could not be sent: as a 503 (RFC 3261 §8.1.3.1) for its attempt */
		if (to_sip && next != CWC_CS_U10_ACTIVE)
			attempt_status(call, 503);
		break;
	case CWC_EV_SIP_BYE:
	case CWC_EV_SIP_CANCEL:
		reasons_of(&call->record.reasons_received, ev);
		break;
	case CWC_EV_ISDN_DISCONNECT:
	case CWC_EV_ISDN_RELEASE:
	case CWC_EV_ISDN_RELEASE_COMPLETE:
		cause_received(call, ev);
		attempt_cause(call, ev->cause);
		break;
	default:
		break;
	}
}

/* A new INVITE: the call's final response is to come from it. */
static void final_afresh(struct cwc_call *call)
{
	call->summary.final_after_ms = -1;
	call->summary.final_status = 0;
	call->summary.warning = 0;
	reasons_clear(&call->record.reasons_received);
}

static void record_action(struct cwc_call *call, const struct cwc_call_action *a, uint64_t now)
{
	struct cwc_call_record *r = &call->record;

	switch (a->type) {
	case CWC_ACT_SIP_PROVISIONAL:
		provisional(call, a->status, now);
		break;
	case CWC_ACT_SIP_200_OK:
		final_status(call, 200, now);
		break;
	case CWC_ACT_SIP_FINAL_ERROR:
		final_status(call, a->status, now);
		(void)cwc_call_reasons_add(&r->reasons_sent, a->reason, strlen(a->reason));
		break;
	case CWC_ACT_SIP_CANCEL:
	case CWC_ACT_SIP_BYE:
		(void)cwc_call_reasons_add(&r->reasons_sent, a->reason, strlen(a->reason));
		break;
	case CWC_ACT_SIP_INVITE: { /* RFC 3578 §3.2: each multiple-INVITE number its own */
		long i = last_attempt(call, 0);

		/* §3.4: the INVITE before, CANCELled for this one, ends 487; the adapter keeps
		 * that response (its handle is gone) */
		if (i >= 0 && r->status_seen[i] == 0)
			r->status_seen[i] = 487;
		final_afresh(call);
		break;
	}
	case CWC_ACT_SIP_INVITE_NEXT:
		/* failover: the call's final response is the next target's; the one before
		 * stays in its attempt */
		final_afresh(call);
		break;
	case CWC_ACT_ISDN_SETUP_RETRY:
		/* cause 44 / 34 ended this attempt (Q.931 §5.2.3.1, RFC 4497 §8.3.1) */
		attempt_cause(call, a->cause > 0 ? a->cause : 44);
		break;
	case CWC_ACT_ISDN_DISCONNECT:
	case CWC_ACT_ISDN_RELEASE:
	case CWC_ACT_ISDN_RELEASE_COMPLETE:
		cause_sent(call, a);
		attempt_cause(call, a->cause);
		break;
	default:
		break;
	}
}

/* An attempt's outcome is never empty: 408 for a target no response came from, the
 * call's clearing cause (else 31) for a span that saw no Cause IE either way. */
static void resolve_attempts(struct cwc_call *call)
{
	struct cwc_call_record *r = &call->record;
	int cause = call->summary.cause > 0 && call->summary.cause <= 127 ? call->summary.cause : 31;

	for (size_t i = 0; i < r->nattempts; i++) {
		if (r->attempts[i].span)
			r->attempts[i].cause = r->cause_seen[i] ? r->cause_seen[i] : cause;
		else
			r->attempts[i].status = r->status_seen[i] ? r->status_seen[i] : 408;
	}
}

void cwc_summary_save(const struct cwc_call *call, struct cwc_summary_saved *out)
{
	const struct cwc_call_record *r = &call->record;

	out->has_last = r->nattempts > 0;
	if (out->has_last)
		out->last = r->attempts[r->nattempts - 1];
}

void cwc_summary_restore(struct cwc_call *call, const struct cwc_summary_saved *saved)
{
	struct cwc_call_record *r = &call->record;

	if (saved->has_last && r->nattempts > 0)
		r->attempts[r->nattempts - 1] = saved->last;
	resolve_attempts(call);
}

void cwc_summary_record(struct cwc_call *call, const struct cwc_call_event *ev,
                       const struct cwc_call_action *acts, size_t n, enum cwc_call_state next)
{
	record_event(call, ev, next);
	for (size_t i = 0; i < n; i++)
		record_action(call, &acts[i], ev->now_ms);
	resolve_attempts(call);
}

int cwc_call_attempt_begin(struct cwc_call *call, const char *target, int span)
{
	struct cwc_call_record *r;
	struct cwc_call_attempt *a;
	int rc;

	if (!call || (target == NULL) == (span == 0) || span < 0)
		return -EINVAL;
	r = &call->record;
	if (span) {
		/* docs/cdr.md: cause_sent and cause_received are of the last span tried; the
		 * causes of the spans before stay in their attempts */
		memset(&call->summary.cause_sent, 0, sizeof(call->summary.cause_sent));
		memset(&call->summary.cause_received, 0, sizeof(call->summary.cause_received));
		call->summary.cause_sent.location = CW_LOCATION_UNKNOWN;
		call->summary.cause_received.location = CW_LOCATION_UNKNOWN;
	}
	rc = attempt_room(r);
	if (rc != 0)
		return rc;
	a = &r->attempts[r->nattempts];
	memset(a, 0, sizeof(*a));
	snprintf(a->target, sizeof(a->target), "%s", target ? target : "");
	a->span = span;
	r->status_seen[r->nattempts] = r->cause_seen[r->nattempts] = 0;
	r->nattempts++;
	resolve_attempts(call);
	return 0;
}

void cwc_summary_export(const struct cwc_call *call, struct cwc_call_summary *out)
{
	*out = call->summary;
	if (!out->answered && out->final_status >= 200 && out->final_status <= 299) {
		/* a 2xx that did not make the call (it crossed our CANCEL): no final outcome */
		out->final_status = 0;
		out->final_after_ms = -1;
	}
	if (out->final_after_ms >= 0 && out->first_provisional_after_ms > out->final_after_ms)
		out->first_provisional_after_ms = out->final_after_ms;
	out->reasons_sent = &call->record.reasons_sent;
	out->reasons_received = &call->record.reasons_received;
	out->attempts = call->record.attempts;
	out->nattempts = call->record.nattempts;
}
