/* SPDX-License-Identifier: MIT */
/*
 * audit_check.c — does a call's cause/status pair agree with a profile?
 * Recomputes, with libcauseway, the one mapping decision a CDR records
 * (docs/cdr.md, "What causeway audit checks"):
 *
 *   cause2sip  sip-to-isdn, not answered, cleared by ISDN (the cause
 *              received) or locally (the cause sent, else the Q.850
 *              Reason sent): cause -> the final status sent
 *              (RFC 3398 §7.2.4.1);
 *   sip2cause  cleared by SIP: the final response received (isdn-to-sip,
 *              not answered), the BYE (answered) or the CANCEL
 *              (sip-to-isdn, not answered), with its Warning and Reason
 *              values -> the cause sent (RFC 3398 §8.2.6.1, §7.2.3).
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"

#define REASON_VALUES 64
#define REASON_TEXT 8192

static const char *status_phrase(int status)
{
	const cw_sip_status_info *info;

	if (cw_sip_status_info_get(status, &info) != 0 || info->phrase == NULL)
		return "";
	return info->phrase;
}

static void cause_text(int cause, int location, char *buf, size_t len)
{
	const cw_q850_info *info;
	const char *name = cw_q850_info_get(cause, &info) == 0 ? info->name : "";

	if (location >= 0)
		snprintf(buf, len, "%d %s location=%s", cause, name, cw_location_name(location));
	else
		snprintf(buf, len, "%d %s", cause, name);
}

/* Parse raw Reason header lines; bad values stay in the list with their error. */
static const cw_reason_list *reasons_parse(const char *const *lines, size_t n)
{
	static cw_reason values[REASON_VALUES];
	static char text[REASON_TEXT];
	static cw_reason_list list;

	cw_reason_list_init(&list, values, REASON_VALUES, text, sizeof(text));
	for (size_t i = 0; i < n; i++)
		cw_reason_list_parse(&list, lines[i], strlen(lines[i]));
	return &list;
}

/* The cause that decided the status of a sip-to-isdn call, if the CDR has one. */
static int c2s_cause(const cdr_record *rec, cdr_cause *ret)
{
	const cw_reason *q;

	if (rec->cleared_by == CDR_SIDE_ISDN) {
		*ret = rec->cause_received;
		return ret->present;
	}
	if (rec->cleared_by != CDR_SIDE_LOCAL)
		return 0;
	if (rec->cause_sent.present) {
		*ret = rec->cause_sent;
		return 1;
	}
	q = cw_reason_list_find(reasons_parse(rec->reasons_sent, rec->nreasons_sent),
	                        CW_REASON_Q850);
	if (q == NULL)
		return 0;
	memset(ret, 0, sizeof(*ret));
	ret->present = 1;
	ret->cause = q->cause;
	ret->location = q->location;
	return 1;
}

static int check_c2s(const cw_profile *profile, const cdr_record *rec, audit_finding *f)
{
	char text[AUDIT_TEXT_MAX - 32];
	cdr_cause c;
	cw_sip_result res;
	int rc;

	if (rec->direction != CDR_SIP_TO_ISDN || rec->answered || rec->sip_status == CDR_NULL ||
	    !c2s_cause(rec, &c))
		return 0;
	rc = cw_map_cause_to_sip(profile, c.cause, c.location, c.diagnostic, &res);
	if (rc != 0)
		return rc;
	f->kind = AUDIT_CAUSE2SIP;
	/* CLEAR and RETRY_CHANNEL carry the status owed when a final response is due. */
	f->agree = res.status == rec->sip_status;
	cause_text(c.cause, c.location, text, sizeof(text));
	snprintf(f->input, sizeof(f->input), "cause %s%s", text, c.diagnostic ? " diagnostic" : "");
	snprintf(f->seen, sizeof(f->seen), "%d %s", rec->sip_status,
	         status_phrase(rec->sip_status));
	snprintf(f->expected, sizeof(f->expected), "%d %s", res.status, status_phrase(res.status));
	cw_rule_describe(res.rule, f->rule, sizeof(f->rule));
	f->recorded_rule = rec->rule_c2s;
	return 0;
}

/* "486 Busy Here warning=399", "BYE", "CANCEL", then " reason=..." if a Reason decided. */
static void s2c_input(const cw_sip_query *q, const cw_cause_result *res, char *buf, size_t len)
{
	char reason[64];
	int n;

	if (q->event == CW_SIP_BYE)
		n = snprintf(buf, len, "BYE");
	else if (q->event == CW_SIP_CANCEL)
		n = snprintf(buf, len, "CANCEL");
	else if (q->warning > 0)
		n = snprintf(buf, len, "%d %s warning=%d", q->status, status_phrase(q->status),
		             q->warning);
	else
		n = snprintf(buf, len, "%d %s", q->status, status_phrase(q->status));
	if (n < 0 || (size_t)n >= len || res->reason == NULL)
		return;
	if (cw_reason_format(reason, sizeof(reason), res->reason->protocol, res->reason->cause, NULL,
	                     res->reason->location, NULL) == 0)
		snprintf(buf + n, len - (size_t)n, " reason=%s", reason);
}

static int check_s2c(const cw_profile *profile, const cdr_record *rec, audit_finding *f)
{
	cw_sip_query q = { .event = CW_SIP_RESPONSE };
	cw_cause_result res;
	const cdr_cause *sent = &rec->cause_sent;
	int rc;

	if (rec->cleared_by != CDR_SIDE_SIP || !sent->present)
		return 0;
	if (rec->answered) {
		q.event = CW_SIP_BYE;
	} else if (rec->direction == CDR_SIP_TO_ISDN) {
		q.event = CW_SIP_CANCEL;
	} else {
		if (rec->sip_status == CDR_NULL)
			return 0;
		q.status = rec->sip_status;
		q.warning = rec->warning == CDR_NULL ? 0 : rec->warning;
	}
	if (rec->nreasons_received > 0)
		q.reasons = reasons_parse(rec->reasons_received, rec->nreasons_received);
	rc = cw_map_sip_to_cause(profile, &q, &res);
	if (rc != 0)
		return rc;
	if (res.action == CW_S2C_NONE || res.cause == 0)
		return 0; /* the profile sends no cause: no decision to compare */
	f->kind = AUDIT_SIP2CAUSE;
	f->agree = res.cause == sent->cause &&
	           (sent->location == CW_LOCATION_UNKNOWN || sent->location == res.location);
	s2c_input(&q, &res, f->input, sizeof(f->input));
	cause_text(sent->cause, sent->location, f->seen, sizeof(f->seen));
	cause_text(res.cause, res.location, f->expected, sizeof(f->expected));
	cw_rule_describe(res.rule, f->rule, sizeof(f->rule));
	f->recorded_rule = rec->rule_s2c;
	return 0;
}

int audit_check(const cw_profile *profile, const cdr_record *rec, audit_finding *ret)
{
	audit_finding f;
	int rc;

	memset(&f, 0, sizeof(f));
	f.agree = 1;
	rc = check_c2s(profile, rec, &f);
	if (rc == 0 && f.kind == AUDIT_NOT_CHECKED)
		rc = check_s2c(profile, rec, &f);
	if (rc != 0)
		return rc;
	*ret = f;
	return 0;
}
