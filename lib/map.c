/* SPDX-License-Identifier: MIT */
/*
 * map.c — the lookups: Q.850 cause -> SIP status (RFC 3398 §7.2.4.1) and
 * SIP status or request -> Q.850 cause (RFC 3398 §8.2.6.1, §7.2.3).
 * Pure functions over a compiled profile: no allocation, no state.
 */
#include <causeway/map.h>
#include <causeway/q850.h>

#include "internal.h"
#include "profile.h"

/* RFC 8606 §3: the location of a received Q.850 Reason value is used as is. */
static const cw_rule reason_location_rule = {
	.profile = "causeway",
	.file = "",
	.line = 0,
	.clause = "RFC 8606 §3 (location of the received Q.850 Reason value)",
	.key = "Reason location",
	.override = 0,
};

int cw_map_cause_to_sip(const cw_profile *p, int cause, int location, int has_diagnostic,
                        cw_sip_result *ret)
{
	const struct cw_c2s_cell *cell = NULL;
	size_t i;

	if (!p || !ret)
		return CW_EINVAL;
	if (cause < CW_Q850_CAUSE_MIN || cause > CW_Q850_CAUSE_MAX)
		return CW_ERANGE;
	if (location < CW_LOCATION_UNKNOWN || location > 15)
		return CW_ERANGE;

	/* RFC 3398 §7.2.4.1 note (+): the location may change the answer (21 -> 603). */
	if (location >= 0) {
		for (i = 0; i < p->ncause_loc; i++) {
			if (p->cause_loc[i].cause == cause && p->cause_loc[i].location == location) {
				cell = &p->cause_loc[i].cell;
				break;
			}
		}
	}
	/* RFC 3398 §7.2.4.1: 22 with a diagnostic (the new number) -> 301 + Contact. */
	if (!cell && has_diagnostic && p->cause_diag[cause].status)
		cell = &p->cause_diag[cause];
	if (!cell)
		cell = &p->cause[cause];

	ret->status = cell->status;
	ret->action = (enum cw_c2s_action)cell->action;
	ret->flags = 0;
	/* RFC 3398 §7.2.4.1, resource unavailable class: "A Retry-After header MAY be added".
	 * A property of the class, whatever the action: 44's fallback 503 is congestion too
	 * (RFC 4497 §8.4.1 NOTE 2). */
	if (cause >= 32 && cause <= 47)
		ret->flags |= CW_C2S_F_RETRY_AFTER;
	if (cell == &p->cause_diag[cause] && cell->status >= 300 && cell->status < 400)
		ret->flags |= CW_C2S_F_CONTACT;
	ret->rule = &p->rules[cell->rule];
	return 0;
}

static const cw_reason *find_reason(const cw_reason_list *list, enum cw_reason_protocol proto)
{
	return list ? cw_reason_list_find(list, proto) : NULL;
}

static unsigned honour_bit(enum cw_sip_event event)
{
	switch (event) {
	case CW_SIP_BYE:
		return CW_HONOUR_BYE;
	case CW_SIP_CANCEL:
		return CW_HONOUR_CANCEL;
	case CW_SIP_RESPONSE:
	default:
		return CW_HONOUR_RESPONSE;
	}
}

static void from_cell(const cw_profile *p, const struct cw_s2c_cell *cell, cw_cause_result *ret)
{
	ret->cause = cell->cause;
	ret->action = (enum cw_s2c_action)cell->action;
	ret->rule = &p->rules[cell->rule];
}

/* The deciding cell for a response status (no Reason): warning=, then status/class/default. */
static const struct cw_s2c_cell *status_cell(const cw_profile *p, int status, int warning)
{
	size_t i;

	/* RFC 3398 §8.2.6.1: 488/606 "by Warning header". */
	if (warning) {
		for (i = 0; i < p->nwarning; i++)
			if (p->warning[i].key == status && p->warning[i].value == warning)
				return &p->warning[i].cell;
	}
	return &p->status[status - 100];
}

/* BYE/CANCEL without a usable Q.850 Reason (RFC 3398 §7.2.3, §8.2.6.1). */
static void request_result(const cw_profile *p, enum cw_sip_event event, const cw_reason *sip,
                           cw_cause_result *ret)
{
	size_t i;

	if (sip && sip->cause >= 100) {
		for (i = 0; i < p->nreq_reason; i++) {
			if (p->req_reason[i].key == event && p->req_reason[i].value == sip->cause) {
				from_cell(p, &p->req_reason[i].cell, ret);
				ret->reason = sip;
				return;
			}
		}
		/* RFC 3398 §7.2.3: a Reason in BYE/CANCEL "SHOULD be mapped"; a SIP one
		 * maps as the response it names would. */
		if ((p->reason_sip & honour_bit(event)) && sip->cause >= 300) {
			const struct cw_s2c_cell *cell = &p->status[sip->cause - 100];

			if (cell->action != CW_S2C_NONE) {
				from_cell(p, cell, ret);
				ret->reason = sip;
				return;
			}
		}
	}
	from_cell(p, &p->request[event], ret);
}

int cw_map_sip_to_cause(const cw_profile *p, const cw_sip_query *q, cw_cause_result *ret)
{
	const struct cw_loc_cell *loc;
	const cw_reason *q850 = NULL, *sip = NULL;
	cw_cause_result res;

	if (!p || !q || !ret)
		return CW_EINVAL;
	if (q->event != CW_SIP_RESPONSE && q->event != CW_SIP_BYE && q->event != CW_SIP_CANCEL)
		return CW_EINVAL;
	if (q->event == CW_SIP_RESPONSE && (q->status < 100 || q->status > 699))
		return CW_ERANGE;
	if (q->warning < 0 || q->warning > 999)
		return CW_ERANGE;

	res.reason = NULL;
	/* RFC 3398 §7.2.3 (BYE/CANCEL), RFC 6432 §3 (responses): a received Q.850
	 * cause needs no mapping, when the profile honours it for this event.
	 * Provisional and 2xx responses clear nothing, whatever they carry. */
	if ((p->reason_q850 & honour_bit(q->event)) &&
	    (q->event != CW_SIP_RESPONSE || q->status >= 300))
		q850 = find_reason(q->reasons, CW_REASON_Q850);
	/* RFC 3326 §2 lets a value omit cause: such a value decides nothing. */
	if (q850 && q850->cause < CW_Q850_CAUSE_MIN)
		q850 = NULL;
	if (q->event != CW_SIP_RESPONSE)
		sip = find_reason(q->reasons, CW_REASON_SIP);

	if (q850) {
		res.cause = q850->cause;
		res.action = CW_S2C_RELEASE;
		res.rule = &p->rules[p->reason_q850_rule];
		res.reason = q850;
	} else if (q->event == CW_SIP_RESPONSE) {
		from_cell(p, status_cell(p, q->status, q->warning), &res);
	} else {
		request_result(p, q->event, sip, &res);
	}

	/* RFC 3398 §8.2.6.1 location: 6xx user, 4xx/5xx network (per profile rows). */
	loc = q->event == CW_SIP_RESPONSE ? &p->status_loc[q->status - 100] : &p->request_loc[q->event];
	if (q850 && q850->location >= 0) {
		res.location = q850->location;
		res.location_rule = &reason_location_rule;
	} else {
		res.location = loc->location;
		res.location_rule = &p->rules[loc->rule];
	}
	*ret = res;
	return 0;
}

const char *cw_c2s_action_name(enum cw_c2s_action action)
{
	switch (action) {
	case CW_C2S_RESPOND:
		return "respond";
	case CW_C2S_CLEAR:
		return "clear";
	case CW_C2S_RETRY_CHANNEL:
		return "retry-channel";
	}
	return NULL;
}

const char *cw_s2c_action_name(enum cw_s2c_action action)
{
	switch (action) {
	case CW_S2C_RELEASE:
		return "release";
	case CW_S2C_NONE:
		return "none";
	case CW_S2C_REDIRECT:
		return "redirect";
	case CW_S2C_AUTHENTICATE:
		return "authenticate";
	case CW_S2C_REORIGINATE:
		return "reoriginate";
	}
	return NULL;
}
