/* SPDX-License-Identifier: MIT */
/*
 * test_cdr_record.c — the core's summary as a CDR (cdr_record.c): every
 * field taken from the summary or the legs, in docs/cdr.md's units and
 * nulls, and the line cwcdr_format() writes from it.
 */
#include <stdlib.h>
#include <string.h>

#include "../../tests/unit/check.h"
#include "cdr_record.h"

static void summary_init(struct cwc_call_summary *s, struct cwc_call_reasons *sent,
                         struct cwc_call_reasons *received)
{
	memset(s, 0, sizeof(*s));
	memset(sent, 0, sizeof(*sent));
	memset(received, 0, sizeof(*received));
	s->location = CW_LOCATION_UNKNOWN;
	s->presentation = -1;
	s->first_provisional_after_ms = s->final_after_ms = -1;
	s->cause_sent.location = s->cause_received.location = CW_LOCATION_UNKNOWN;
	s->reasons_sent = sent;
	s->reasons_received = received;
}

static void legs_init(struct cwb_cdr_legs *legs, enum cwc_call_dir dir)
{
	memset(legs, 0, sizeof(*legs));
	legs->dir = dir;
	legs->cref = -1;
	legs->called = "200";
	legs->calling = "5551234";
	legs->profile = "rfc3398";
	legs->t_start_wall_ms = 1700000000000;
}

/* ISDN -> SIP, answered after a failover: the wire Call-ID whole, times from start_ms. */
static void test_isdn_to_sip(void)
{
	struct cwc_call_summary s;
	struct cwc_call_reasons sent, received;
	struct cwc_call_attempt at[2];
	struct cwb_cdr_legs legs;
	struct cwb_cdr_text text;
	struct cwcdr out;
	char *line = NULL;
	size_t len = 0;

	summary_init(&s, &sent, &received);
	memset(at, 0, sizeof(at));
	strcpy(at[0].target, "a.example:5060");
	at[0].status = 503;
	CHECK_INT(cwc_call_reasons_add(&at[0].reasons, "SIP;cause=503", 13), 1);
	strcpy(at[1].target, "b.example");
	at[1].status = 200;
	s.attempts = at;
	s.nattempts = 2;
	s.cleared_by = CWC_SIDE_SIP;
	s.answered = 1;
	s.start_ms = 10000;
	s.answer_ms = 10700;
	s.end_ms = 15100;
	s.presentation = 0;
	s.final_status = 200;
	s.final_after_ms = 700;
	s.first_provisional_after_ms = 300;
	s.cause_sent.present = 1;
	s.cause_sent.cause = 16; /* no location asked */
	s.cause_sent.location = CW_LOCATION_UNKNOWN;
	CHECK_INT(cwc_call_reasons_add(&received, "Q.850;cause=16", 14), 1);

	legs_init(&legs, CWC_CALL_FROM_ISDN);
	legs.call_id_sip = "1-2549@127.0.0.1";
	legs.span = 1;
	legs.cref = 0x8000 | 37;
	legs.route = "in";
	legs.node = "gw-b";
	cwb_cdr_from_summary(&s, &legs, 99999, &out, &text);
	CHECK_STR(out.call_id_sip, "1-2549@127.0.0.1");
	CHECK_STR(out.node, "gw-b");
	CHECK_INT(out.cref_isdn, 37);
	CHECK_INT(out.span, 1);
	CHECK_INT(out.direction, CWCDR_ISDN_TO_SIP);
	CHECK_STR(out.presentation, "allowed");
	CHECK_STR(out.calling, "5551234");
	CHECK_INT(out.t_start_ms, 1700000000000);
	CHECK_INT(out.answered, 1);
	CHECK_INT(out.answer_after_ms, 700);
	CHECK_INT(out.end_after_ms, 5100); /* the summary's end, not now */
	CHECK_INT(out.first_provisional_ms, 300);
	CHECK_INT(out.final_ms, 700);
	CHECK_INT(out.sip_status, 200);
	CHECK_INT(out.cause_sent.present, 1);
	CHECK_INT(out.cause_sent.location, CW_LOC_LPN); /* what libpri put on the wire */
	CHECK_INT(out.cause_received.present, 0);
	CHECK_INT(out.nreasons_received, 1);
	CHECK_STR(out.reasons_received[0], "Q.850;cause=16");
	CHECK_STR(out.cleared_by, "sip");
	CHECK_INT(out.nattempts, 2);
	CHECK_STR(out.attempts[0].route, "in");
	CHECK_STR(out.attempts[0].target, "a.example:5060");
	CHECK_INT(out.attempts[0].status, 503);
	CHECK_INT(out.attempts[0].nreasons, 1);
	CHECK_INT(out.attempts[1].status, 200);
	CHECK(out.rule_c2s == NULL);
	if (CHECK_INT(cwcdr_format(&out, &line, &len), 0)) {
		/* docs/cdr.md: the Call-ID of the SIP leg, host part and all */
		CHECK(strstr(line, "\"call_id_sip\":\"1-2549@127.0.0.1\"") != NULL);
		/* an ISDN call has no SIP source */
		CHECK(strstr(line, "\"sip_source\":null,\"sip_transport\":null") != NULL);
		CHECK(strstr(line, ",\"node\":\"gw-b\",\"bearer\":\"speech\"}") != NULL);
		free(line);
	}
}

/* SIP -> ISDN refused, restricted caller, dropped at exit (no end yet: now counts). */
static void test_sip_to_isdn(void)
{
	struct cwc_call_summary s;
	struct cwc_call_reasons sent, received;
	struct cwc_call_attempt at[1];
	struct cwb_cdr_legs legs;
	struct cwb_cdr_text text;
	struct cwcdr out;

	summary_init(&s, &sent, &received);
	memset(at, 0, sizeof(at));
	at[0].span = 2;
	at[0].cause = 17;
	s.attempts = at;
	s.nattempts = 1;
	s.cleared_by = CWC_SIDE_NONE;
	s.start_ms = 500;
	s.presentation = 1;
	s.final_status = 486;
	s.final_after_ms = 40;
	s.cause_received.present = 1;
	s.cause_received.cause = 17;
	s.cause_received.location = CW_LOC_RLN;
	s.cause_received.coding = 3;
	CHECK_INT(cwc_call_reasons_add(&sent, "Q.850;cause=17", 14), 1);

	legs_init(&legs, CWC_CALL_FROM_SIP);
	legs.call_id_sip = "x";
	legs.sip_source = "[2001:db8::7]:5062";
	legs.sip_transport = "tcp";
	legs.bearer = CWC_BEARER_DIGITAL;
	legs.cref = 5; /* without a span: no cref */
	cwb_cdr_from_summary(&s, &legs, 800, &out, &text);
	CHECK_STR(out.sip_source, "[2001:db8::7]:5062");
	CHECK_STR(out.sip_transport, "tcp");
	{
		char *line = NULL;
		size_t len = 0;

		/* docs/cdr.md: where the INVITE came from, as the socket gave it */
		if (CHECK_INT(cwcdr_format(&out, &line, &len), 0))
			CHECK(strstr(line, "\"call_id_sip\":\"x\",\"sip_source\":\"[2001:db8::7]:5062\","
			                   "\"sip_transport\":\"tcp\",") != NULL);
		free(line);
	}
	CHECK_INT(out.direction, CWCDR_SIP_TO_ISDN);
	CHECK_INT(out.cref_isdn, -1);
	CHECK_STR(out.presentation, "restricted");
	CHECK_STR(out.bearer, "digital"); /* a clearmode INVITE (RFC 4040) */
	CHECK(out.calling == NULL); /* docs/cdr.md: after privacy rules */
	CHECK_INT(out.end_after_ms, 300);
	CHECK_INT(out.answered, 0);
	CHECK_INT(out.answer_after_ms, -1);
	CHECK_INT(out.first_provisional_ms, -1);
	CHECK_INT(out.sip_status, 486);
	CHECK_INT(out.cause_received.location, CW_LOC_RLN);
	CHECK_INT(out.cause_received.coding, 3);
	CHECK_INT(out.nreasons_sent, 1);
	CHECK_STR(out.cleared_by, "local");
	CHECK_INT(out.attempts[0].span, 2);
	CHECK_INT(out.attempts[0].cause, 17);
	CHECK(out.attempts[0].target == NULL);
	s.presentation = 3; /* reserved: null */
	cwb_cdr_from_summary(&s, &legs, 800, &out, &text);
	CHECK(out.presentation == NULL);
	CHECK_STR(out.calling, "5551234");
}

int main(void)
{
	test_isdn_to_sip();
	test_sip_to_isdn();
	return check_done();
}
