/* SPDX-License-Identifier: MIT */
/*
 * test_summary.c — the call's outcome the core records (struct
 * cwc_call_summary): attempts with their statuses, causes and Reasons,
 * causes sent and received, first-provisional and final times, as the
 * events' now_ms give them.
 */
#include <errno.h>
#include <string.h>

#include "common/error.h"
#include "../../tests/unit/check.h"
#include "call.h"

static struct cwc_call_action acts[CWC_CALL_ACTIONS_MAX];
static size_t nacts;

static struct cwc_call *new_call(enum cwc_call_dir dir)
{
	struct cwc_call_config cfg;
	struct cwc_call *call = NULL;

	cwc_call_config_init(&cfg, dir);
	CHECK_INT(cwc_call_new(&call, &cfg), 0);
	return call;
}

static int feed(struct cwc_call *call, struct cwc_call_event *ev)
{
	int rc = cwc_call_handle(call, ev, acts, CWC_CALL_ACTIONS_MAX, &nacts);

	CHECK_INT(rc, 0);
	return rc;
}

static void event(struct cwc_call_event *ev, enum cwc_call_event_type type, uint64_t now)
{
	cwc_call_event_init(ev, type, now);
}

static void reason(struct cwc_call_event *ev, const char *text)
{
	ev->reasons[ev->nreasons].ptr = text;
	ev->reasons[ev->nreasons].len = strlen(text);
	ev->nreasons++;
}

static const struct cwc_call_summary *finished(void)
{
	for (size_t i = 0; i < nacts; i++)
		if (acts[i].type == CWC_ACT_CALL_FINISHED)
			return &acts[i].summary;
	return NULL;
}

static int has_action(enum cwc_call_action_type type)
{
	for (size_t i = 0; i < nacts; i++)
		if (acts[i].type == type)
			return 1;
	return 0;
}

/* ISDN -> SIP: 503 from the first target, the second rings and answers; BYE clears it. */
static void test_failover_answered(void)
{
	struct cwc_call *call = new_call(CWC_CALL_FROM_ISDN);
	struct cwc_call_summary s;
	struct cwc_call_event ev;
	const struct cwc_call_summary *f;

	event(&ev, CWC_EV_ISDN_SETUP, 1000);
	strcpy(ev.called.digits, "200");
	strcpy(ev.calling.digits, "5551234");
	ev.calling.presentation = 1;
	feed(call, &ev);
	CHECK(has_action(CWC_ACT_SIP_INVITE));
	CHECK_INT(cwc_call_attempt_begin(call, "a.example:5060", 0), 0);
	cwc_call_summary_get(call, &s);
	CHECK_INT(s.presentation, 1);
	CHECK_INT(s.nattempts, 1);
	CHECK_INT(s.attempts[0].status, 408); /* none came yet */
	CHECK_INT(s.final_after_ms, -1);

	event(&ev, CWC_EV_SIP_FINAL_ERROR, 1200);
	ev.status = 503;
	ev.warning = 399;
	ev.more_routes = 1;
	reason(&ev, "SIP;cause=503;text=\"busy server\"");
	feed(call, &ev);
	CHECK(has_action(CWC_ACT_SIP_INVITE_NEXT));
	CHECK_INT(cwc_call_attempt_begin(call, "b.example", 0), 0);
	cwc_call_summary_get(call, &s);
	/* the next target's response decides the call: the first one's stays in its attempt */
	CHECK_INT(s.final_status, 0);
	CHECK_INT(s.final_after_ms, -1);
	CHECK_INT(s.warning, 0);
	CHECK_INT(s.reasons_received->n, 0);
	CHECK_INT(s.attempts[0].status, 503);
	CHECK_INT(s.attempts[0].reasons.n, 1);
	CHECK_STR(cwc_call_reasons_value(&s.attempts[0].reasons, 0), "SIP;cause=503;text=\"busy server\"");

	event(&ev, CWC_EV_SIP_1XX, 1250);
	ev.status = 100;
	feed(call, &ev);
	event(&ev, CWC_EV_SIP_1XX, 1300);
	ev.status = 180;
	feed(call, &ev);
	event(&ev, CWC_EV_SIP_2XX, 1700);
	ev.status = 200;
	feed(call, &ev);
	cwc_call_summary_get(call, &s);
	CHECK_INT(s.first_provisional_after_ms, 300); /* the 180, not the 100 */
	CHECK_INT(s.final_status, 200);
	CHECK_INT(s.final_after_ms, 700);
	CHECK_INT(s.attempts[1].status, 200);
	CHECK_STR(s.attempts[1].target, "b.example");

	event(&ev, CWC_EV_SIP_BYE, 5000);
	reason(&ev, "Q.850;cause=16");
	feed(call, &ev);
	CHECK(finished() == NULL);
	event(&ev, CWC_EV_ISDN_RELEASE, 5100);
	feed(call, &ev);
	f = finished();
	if (CHECK(f != NULL)) {
		CHECK_INT(f->answered, 1);
		CHECK_INT(f->final_status, 200);
		CHECK_INT(f->nattempts, 2);
		CHECK_INT(f->reasons_received->n, 1);
		CHECK_STR(cwc_call_reasons_value(f->reasons_received, 0), "Q.850;cause=16");
		CHECK(f->cause_sent.present); /* the DISCONNECT after the BYE */
		CHECK_INT(f->cause_sent.cause, 16);
		CHECK_INT(f->end_ms - f->start_ms, 4100);
	}
	cwc_call_free(call);
}

/* ISDN -> SIP: no response at all is a 408 for the call and its attempt. */
static void test_no_response(void)
{
	struct cwc_call *call = new_call(CWC_CALL_FROM_ISDN);
	struct cwc_call_summary s;
	struct cwc_call_event ev;

	event(&ev, CWC_EV_ISDN_SETUP, 0);
	strcpy(ev.called.digits, "200");
	feed(call, &ev);
	CHECK_INT(cwc_call_attempt_begin(call, "a.example", 0), 0);
	event(&ev, CWC_EV_SIP_INVITE_TIMEOUT, 32000);
	feed(call, &ev);
	cwc_call_summary_get(call, &s);
	CHECK_INT(s.final_status, 408);
	CHECK_INT(s.final_after_ms, 32000);
	CHECK_INT(s.attempts[0].status, 408);
	CHECK_INT(s.presentation, 0);
	cwc_call_free(call);
}

/* SIP -> ISDN: cause 34 on the first span, the second span's DISCONNECT with its location
 * and coding; the causes of the call are the last span's, each attempt keeps its own. */
static void test_hunting(void)
{
	struct cwc_call *call = new_call(CWC_CALL_FROM_SIP);
	struct cwc_call_summary s;
	struct cwc_call_event ev;
	const struct cwc_call_summary *f;

	event(&ev, CWC_EV_SIP_INVITE, 100);
	strcpy(ev.called.digits, "5551234");
	feed(call, &ev);
	CHECK(has_action(CWC_ACT_ISDN_SETUP));
	CHECK_INT(cwc_call_attempt_begin(call, NULL, 1), 0);
	event(&ev, CWC_EV_ISDN_RELEASE_COMPLETE, 200);
	ev.cause = 34;
	ev.location = CW_LOC_LN;
	ev.more_spans = 1;
	feed(call, &ev);
	CHECK(has_action(CWC_ACT_ISDN_SETUP_RETRY));
	cwc_call_summary_get(call, &s);
	CHECK(s.cause_received.present);
	CHECK_INT(s.cause_received.cause, 34);
	CHECK_INT(cwc_call_attempt_begin(call, NULL, 2), 0);
	cwc_call_summary_get(call, &s);
	CHECK(!s.cause_received.present); /* the next span starts afresh */
	CHECK_INT(s.attempts[0].cause, 34);
	CHECK_INT(s.attempts[1].cause, 31); /* none seen yet, none decided */

	event(&ev, CWC_EV_ISDN_PROCEEDING, 300);
	feed(call, &ev);
	event(&ev, CWC_EV_ISDN_DISCONNECT, 400);
	ev.cause = 17;
	ev.location = CW_LOC_RLN;
	ev.coding = 3;
	feed(call, &ev);
	cwc_call_summary_get(call, &s);
	CHECK_INT(s.final_status, 486);
	CHECK_INT(s.final_after_ms, 300);
	CHECK(s.cause_received.present);
	CHECK_INT(s.cause_received.cause, 17);
	CHECK_INT(s.cause_received.location, CW_LOC_RLN);
	CHECK_INT(s.cause_received.coding, 3);
	CHECK(s.cause_sent.present); /* the RELEASE answering it */
	CHECK_INT(s.cause_sent.cause, 17);
	CHECK_INT(s.reasons_sent->n, 1);
	CHECK(strstr(cwc_call_reasons_value(s.reasons_sent, 0), "cause=17") != NULL);
	CHECK_INT(s.attempts[1].cause, 17);

	event(&ev, CWC_EV_ISDN_RELEASE_COMPLETE, 500);
	feed(call, &ev);
	f = finished();
	if (CHECK(f != NULL)) {
		CHECK_INT(f->nattempts, 2);
		CHECK_INT(f->attempts[0].span, 1);
		CHECK_INT(f->attempts[1].span, 2);
		CHECK_INT(f->answered, 0);
	}
	cwc_call_free(call);
}

/* The actions of an event did not fit: the attempt the call points to is as it was. */
static void test_no_room_restores_attempt(void)
{
	struct cwc_call *call = new_call(CWC_CALL_FROM_ISDN);
	struct cwc_call_summary s;
	struct cwc_call_event ev;
	size_t n = 0;

	event(&ev, CWC_EV_ISDN_SETUP, 0);
	strcpy(ev.called.digits, "200");
	feed(call, &ev);
	CHECK_INT(cwc_call_attempt_begin(call, "a.example", 0), 0);
	event(&ev, CWC_EV_SIP_FINAL_ERROR, 900);
	ev.status = 486;
	reason(&ev, "SIP;cause=486;text=\"busy\"");
	CHECK_INT(cwc_call_handle(call, &ev, acts, 0, &n), -ENOSPC);
	cwc_call_summary_get(call, &s);
	CHECK_INT(s.nattempts, 1);
	CHECK_INT(s.attempts[0].status, 408); /* none came yet */
	CHECK_INT(s.attempts[0].reasons.n, 0);
	feed(call, &ev);
	cwc_call_summary_get(call, &s);
	CHECK_INT(s.attempts[0].status, 486);
	CHECK_INT(s.attempts[0].reasons.n, 1);
	cwc_call_free(call);
}

static void test_attempt_begin_checks(void)
{
	struct cwc_call *call = new_call(CWC_CALL_FROM_SIP);
	struct cwc_call_summary s;

	CHECK_INT(cwc_call_attempt_begin(NULL, "a", 0), -EINVAL);
	CHECK_INT(cwc_call_attempt_begin(call, NULL, 0), -EINVAL);
	CHECK_INT(cwc_call_attempt_begin(call, "a", 1), -EINVAL);
	cwc_call_summary_get(call, &s);
	CHECK_INT(s.nattempts, 0);
	for (int i = 0; i < CWC_CALL_ATTEMPTS_MAX; i++)
		CHECK_INT(cwc_call_attempt_begin(call, NULL, 1 + i), 0);
	CHECK_INT(cwc_call_attempt_begin(call, NULL, 99), CWCOM_ELIMIT);
	cwc_call_summary_get(call, &s);
	CHECK_INT(s.nattempts, CWC_CALL_ATTEMPTS_MAX);
	/* the attempts are allocated as they begin: every one kept as the array grew */
	for (int i = 0; i < CWC_CALL_ATTEMPTS_MAX; i++)
		CHECK_INT(s.attempts[i].span, 1 + i);
	CHECK_INT(s.presentation, -1);
	cwc_call_free(call);
}

/* A list's values packed in its text: four usual ones kept whole, in order; a value over
 * CWC_CALL_REASON_MAX - 1 cut there; one past the room cut to what is left, the rest out. */
static void test_reasons_packed(void)
{
	struct cwc_call_reasons r;
	char big[400];
	const char *q850 = "Q.850;cause=34;text=\"No circuit/channel available\"";

	memset(&r, 0, sizeof(r));
	memset(big, 'x', sizeof(big));
	CHECK_INT(cwc_call_reasons_add(&r, "", 0), 0);
	CHECK_INT(cwc_call_reasons_add(&r, NULL, 3), 0);
	CHECK_INT(cwc_call_reasons_add(&r, "SIP;cause=503;text=\"Service Unavailable\"", 41), 1);
	CHECK_INT(cwc_call_reasons_add(&r, q850, strlen(q850)), 1);
	CHECK_INT(cwc_call_reasons_add(&r, "Q.850;cause=16", 14), 1);
	CHECK_INT(cwc_call_reasons_add(&r, "SIP;cause=200", 13), 1);
	CHECK_INT(cwc_call_reasons_add(&r, "SIP;cause=480", 13), 0); /* the fifth */
	CHECK_INT(r.n, 4);
	CHECK_STR(cwc_call_reasons_value(&r, 0), "SIP;cause=503;text=\"Service Unavailable\"");
	CHECK_STR(cwc_call_reasons_value(&r, 1), q850);
	CHECK_STR(cwc_call_reasons_value(&r, 2), "Q.850;cause=16");
	CHECK_STR(cwc_call_reasons_value(&r, 3), "SIP;cause=200");
	CHECK(cwc_call_reasons_value(&r, 4) == NULL);

	memset(&r, 0, sizeof(r));
	CHECK_INT(cwc_call_reasons_add(&r, big, sizeof(big)), 1);
	CHECK_INT(strlen(cwc_call_reasons_value(&r, 0)), CWC_CALL_REASON_MAX - 1);
	CHECK_INT(cwc_call_reasons_add(&r, big, sizeof(big)), 1);
	CHECK_INT(strlen(cwc_call_reasons_value(&r, 1)), CWC_CALL_REASONS_TEXT - CWC_CALL_REASON_MAX - 1);
	CHECK_INT(cwc_call_reasons_add(&r, "Q.850;cause=16", 14), 0); /* no room left */
	CHECK_INT(r.n, 2);
	CHECK_INT(r.used, CWC_CALL_REASONS_TEXT);
	CHECK_INT(strlen(cwc_call_reasons_value(&r, 0)), CWC_CALL_REASON_MAX - 1); /* untouched */
}

int main(void)
{
	test_reasons_packed();
	test_failover_answered();
	test_no_response();
	test_hunting();
	test_attempt_begin_checks();
	test_no_room_restores_attempt();
	return check_done();
}
