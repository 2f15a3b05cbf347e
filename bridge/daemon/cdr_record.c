/* SPDX-License-Identifier: MIT */
/*
 * cdr_record.c — the core's call summary as a CDR (docs/cdr.md): field by
 * field, in the record's units and null conventions.
 */
#include <string.h>

#include <causeway/causeway.h>

#include "cdr_record.h"

static const char *rule_text(const cw_rule *rule, char *buf, size_t len)
{
	if (rule == NULL)
		return NULL;
	cw_rule_describe(rule, buf, len);
	return buf;
}

static const char *cleared_by_name(enum cwc_call_side side)
{
	switch (side) {
	case CWC_SIDE_SIP:
		return "sip";
	case CWC_SIDE_ISDN:
		return "isdn";
	default:
		return "local"; /* docs/cdr.md: a timer, a refusal, the operator, shutdown */
	}
}

/* Q.931 §4.5.10 octet 3a presentation indicator; 3 (reserved) and none are null. */
static const char *presentation_name(int presentation)
{
	static const char *const names[] = { "allowed", "restricted", "unavailable" };

	return presentation >= 0 && presentation < 3 ? names[presentation] : NULL;
}

/* A cause the core sent without asking a location went out with libpri's constant 1, LPN
 * (docs/libpri.md §4): the record says what the wire carried. */
static struct cwcdr_cause cause_of(const struct cwc_call_cause *c, int sent)
{
	struct cwcdr_cause out;

	memset(&out, 0, sizeof(out));
	out.location = CW_LOCATION_UNKNOWN;
	if (!c->present)
		return out;
	out.present = 1;
	out.cause = c->cause;
	out.location = sent && c->location < 0 ? CW_LOC_LPN : c->location;
	out.coding = c->coding;
	out.diagnostic = c->diagnostic;
	return out;
}

static int64_t after(uint64_t t, uint64_t start)
{
	return t > start ? (int64_t)(t - start) : 0;
}

static void reasons_into(const struct cwc_call_reasons *r, const char **out, size_t *n)
{
	*n = 0;
	for (size_t i = 0; r && i < r->n && *n < CWCDR_REASONS_MAX; i++)
		out[(*n)++] = cwc_call_reasons_value(r, i);
}

static void attempts_into(const struct cwc_call_summary *s, const char *route, struct cwcdr *out)
{
	for (size_t i = 0; i < s->nattempts && out->nattempts < CWCDR_ATTEMPTS_MAX; i++) {
		const struct cwc_call_attempt *a = &s->attempts[i];
		struct cwcdr_attempt *o = &out->attempts[out->nattempts++];

		memset(o, 0, sizeof(*o));
		o->route = route;
		if (a->span) {
			o->span = a->span;
			o->cause = a->cause;
		} else {
			o->target = a->target;
			o->status = a->status;
			reasons_into(&a->reasons, o->reasons, &o->nreasons);
		}
	}
}

void cwb_cdr_from_summary(const struct cwc_call_summary *s, const struct cwb_cdr_legs *legs,
                          uint64_t now_ms, struct cwcdr *out, struct cwb_cdr_text *text)
{
	uint64_t end = s->end_ms ? s->end_ms : now_ms;

	cwcdr_init(out);
	out->call_id_sip = legs->call_id_sip;
	out->sip_source = legs->sip_source;
	out->sip_transport = legs->sip_transport;
	out->span = legs->span;
	/* docs/cdr.md: a cref only with its span; the CRV without libpri's 0x8000 */
	out->cref_isdn = legs->span && legs->cref >= 0 ? (legs->cref & 0x7fff) : -1;
	out->direction = legs->dir == CWC_CALL_FROM_SIP ? CWCDR_SIP_TO_ISDN : CWCDR_ISDN_TO_SIP;
	out->called = legs->called;
	out->presentation = presentation_name(s->presentation);
	/* docs/cdr.md: numbers after privacy rules — a restricted number is not recorded */
	out->calling = out->presentation && strcmp(out->presentation, "allowed") != 0 ? NULL
	                                                                              : legs->calling;
	out->profile = legs->profile;
	out->node = legs->node;
	out->bearer = cwc_call_bearer_name(legs->bearer);
	out->t_start_ms = legs->t_start_wall_ms;
	out->end_after_ms = after(end, s->start_ms);
	out->answered = s->answered;
	out->answer_after_ms = -1;
	if (s->answered) {
		out->answer_after_ms = after(s->answer_ms, s->start_ms);
		if (out->answer_after_ms > out->end_after_ms)
			out->answer_after_ms = out->end_after_ms;
	}
	out->first_provisional_ms = s->first_provisional_after_ms;
	out->final_ms = s->final_after_ms;
	out->sip_status = s->final_status;
	out->warning = s->warning >= 100 && s->warning <= 999 ? s->warning : 0;
	out->cause_sent = cause_of(&s->cause_sent, 1);
	out->cause_received = cause_of(&s->cause_received, 0);
	reasons_into(s->reasons_sent, out->reasons_sent, &out->nreasons_sent);
	reasons_into(s->reasons_received, out->reasons_received, &out->nreasons_received);
	out->cleared_by = cleared_by_name(s->cleared_by);
	attempts_into(s, legs->route, out);
	out->rule_c2s = rule_text(s->c2s_rule, text->c2s, sizeof(text->c2s));
	out->rule_s2c = rule_text(s->s2c_rule, text->s2c, sizeof(text->s2c));
	out->rule_location = rule_text(s->location_rule, text->location, sizeof(text->location));
}
