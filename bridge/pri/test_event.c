/* SPDX-License-Identifier: MIT */
/*
 * test_event.c — cwi_pri_event_from_libpri() on hand-filled libpri events:
 * every kind the bridge handles and every field it reads (plans and
 * presentation taken apart, PRI_PROG_* bits as PI descriptions, the
 * B-channel out of libpri's channel code, strings cut at the buffer).
 */
#include <stdio.h>
#include <string.h>

#include "../../tests/unit/check.h"
#include "span_impl.h"

/* A stand-in for libpri's opaque call: only its address is used. */
static char call_a, call_b;
#define CALL_A ((q931_call *)(void *)&call_a)
#define CALL_B ((q931_call *)(void *)&call_b)

static void test_ring(void)
{
	pri_event e;
	struct cwi_pri_event out;

	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_RING;
	e.ring.call = CALL_A;
	e.ring.cref = 0x0005;
	e.ring.channel = 0x10100 | 7; /* explicit, DS1 1, B-channel 7 */
	e.ring.flexible = 0;
	snprintf(e.ring.callednum, sizeof(e.ring.callednum), "%s", "4930123");
	e.ring.calledplan = PRI_NATIONAL_ISDN; /* 0x21: national, E.164 */
	snprintf(e.ring.callingnum, sizeof(e.ring.callingnum), "%s", "4940999");
	e.ring.callingplan = PRI_INTERNATIONAL_ISDN; /* 0x11 */
	e.ring.callingpres = PRES_PROHIB_NETWORK_NUMBER; /* 0x23 */
	snprintf(e.ring.callingname, sizeof(e.ring.callingname), "%s", "Alice");
	e.ring.ctype = PRI_TRANS_CAP_3_1K_AUDIO;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_RING);
	CHECK(strcmp(out.name, "RING") == 0);
	CHECK(out.call == CWI_PRI_CALL_OF(CALL_A));
	CHECK(out.cref == 5);
	CHECK(out.channel == 7 && out.exclusive == 1);
	CHECK(strcmp(out.called.digits, "4930123") == 0);
	CHECK(out.called.ton == 2 && out.called.npi == 1);
	CHECK(strcmp(out.calling.digits, "4940999") == 0);
	CHECK(out.calling.ton == 1 && out.calling.npi == 1);
	CHECK(out.calling.presentation == 1 && out.calling.screening == 3);
	CHECK(strcmp(out.calling.name, "Alice") == 0);
	CHECK(out.bearer == CWI_PRI_BEARER_AUDIO_3K1);
	CHECK(out.cause == 0 && out.pi_mask == 0);
	CHECK(out.complete == 0);
	e.ring.complete = 1; /* Sending complete (Q.931 §4.5.27) */
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.complete == 1);

	/* any channel, flexible, speech, allowed user-provided; digital; restricted
	 * digital and video are OTHER */
	e.ring.channel = -1;
	e.ring.flexible = 1;
	e.ring.ctype = PRI_TRANS_CAP_SPEECH;
	e.ring.callingpres = PRES_ALLOWED_USER_NUMBER_PASSED_SCREEN; /* 0x01 */
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.channel == 0 && out.exclusive == 0);
	CHECK(out.bearer == CWI_PRI_BEARER_SPEECH);
	CHECK(out.calling.presentation == 0 && out.calling.screening == 1);
	e.ring.ctype = PRI_TRANS_CAP_DIGITAL;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.bearer == CWI_PRI_BEARER_DIGITAL);
	e.ring.ctype = PRI_TRANS_CAP_RESTRICTED_DIGITAL;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.bearer == CWI_PRI_BEARER_OTHER);
	e.ring.ctype = PRI_TRANS_CAP_VIDEO;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.bearer == CWI_PRI_BEARER_OTHER);

	/* a number filling libpri's field whole is cut, terminated */
	memset(e.ring.callednum, '9', sizeof(e.ring.callednum));
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(strlen(out.called.digits) == sizeof(out.called.digits) - 1);
}

/* INFORMATION in overlap receiving: libpri reports it in the ring member, the digits of
   that message only (Q.931 §5.2.4). */
static void test_information(void)
{
	pri_event e;
	struct cwi_pri_event out;

	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_INFO_RECEIVED;
	e.ring.call = CALL_B;
	e.ring.cref = 0x0009;
	snprintf(e.ring.callednum, sizeof(e.ring.callednum), "%s", "7");
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_INFO);
	CHECK(strcmp(out.name, "INFO_RECEIVED") == 0);
	CHECK(out.call == CWI_PRI_CALL_OF(CALL_B));
	CHECK(out.cref == 9);
	CHECK(strcmp(out.called.digits, "7") == 0);
	CHECK(out.complete == 0);
	e.ring.complete = 1;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.complete == 1);
}

static void test_progress(void)
{
	pri_event e;
	struct cwi_pri_event out;

	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_RINGING;
	e.ringing.call = CALL_B;
	e.ringing.cref = 0x8003;
	e.ringing.progressmask = PRI_PROG_INBAND_AVAILABLE;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_RINGING && out.call == CWI_PRI_CALL_OF(CALL_B));
	CHECK(out.cref == 0x8003 && out.pi_mask == (1u << 8));

	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_PROGRESS;
	e.proceeding.call = CALL_B;
	e.proceeding.cref = 0x8003;
	e.proceeding.cause = 17;
	e.proceeding.progressmask = PRI_PROG_CALL_NOT_E2E_ISDN | PRI_PROG_CALLED_NOT_ISDN |
	                            PRI_PROG_CALLER_NOT_ISDN | PRI_PROG_CALLER_RETURNED_TO_ISDN |
	                            PRI_PROG_DELAY_AT_INTERF;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_PROGRESS && strcmp(out.name, "PROGRESS") == 0);
	CHECK(out.cause == 17);
	CHECK(out.pi_mask == ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 10)));

	e.e = PRI_EVENT_PROCEEDING;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_PROCEEDING && out.cref == 0x8003);
	CHECK(out.pi_mask == 0 && out.cause == 0); /* CALL PROCEEDING carries neither here */

	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_SETUP_ACK;
	e.setup_ack.call = CALL_B;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_SETUP_ACK && out.call == CWI_PRI_CALL_OF(CALL_B));
	CHECK(out.cref == -1);

	e.e = PRI_EVENT_PROCEEDING;
	e.proceeding.call = CALL_B;
	e.proceeding.cref = 0x8003;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.pi_mask == 0 && out.cause == 0); /* CALL PROCEEDING carries neither here */
}

static void test_answer_and_clearing(void)
{
	static const struct {
		int e;
		enum cwi_pri_event_kind kind;
	} clearing[] = {
		{ PRI_EVENT_HANGUP_REQ, CWI_PRI_EV_HANGUP_REQ },
		{ PRI_EVENT_HANGUP, CWI_PRI_EV_HANGUP },
		{ PRI_EVENT_HANGUP_ACK, CWI_PRI_EV_HANGUP_ACK },
	};
	pri_event e;
	struct cwi_pri_event out;
	struct pri_subcommands subcmds;
	size_t i;

	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_ANSWER;
	e.answer.call = CALL_A;
	e.answer.cref = 0x8001;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_ANSWER && out.cref == 0x8001 && out.call == CWI_PRI_CALL_OF(CALL_A));
	CHECK(out.connected_name[0] == '\0'); /* no subcommands */

	/* a QSIG connectedName: libpri's connected line subcommand, after another one */
	memset(&subcmds, 0, sizeof(subcmds));
	subcmds.counter_subcmd = 2;
	subcmds.subcmd[0].cmd = PRI_SUBCMD_REDIRECTING;
	subcmds.subcmd[1].cmd = PRI_SUBCMD_CONNECTED_LINE;
	subcmds.subcmd[1].u.connected_line.id.name.valid = 1;
	snprintf(subcmds.subcmd[1].u.connected_line.id.name.str,
	         sizeof(subcmds.subcmd[1].u.connected_line.id.name.str), "Carol");
	e.answer.subcmds = &subcmds;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK_STR(out.connected_name, "Carol");
	subcmds.subcmd[1].u.connected_line.id.name.valid = 0; /* a number only */
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.connected_name[0] == '\0');

	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_CONNECT_ACK;
	e.connect_ack.call = CALL_A;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_CONNECT_ACK && out.call == CWI_PRI_CALL_OF(CALL_A));
	CHECK(out.cref == -1); /* libpri's CONNECT ACKNOWLEDGE has none */

	for (i = 0; i < sizeof(clearing) / sizeof(clearing[0]); i++) {
		memset(&e, 0, sizeof(e));
		e.e = clearing[i].e;
		e.hangup.call = CALL_B;
		e.hangup.cref = 0x12;
		e.hangup.cause = 34;
		cwi_pri_event_from_libpri(&e, &out);
		CHECK(out.kind == clearing[i].kind);
		CHECK(out.call == CWI_PRI_CALL_OF(CALL_B) && out.cref == 0x12 && out.cause == 34);
	}
}

/* Q.951 §3: the Connected number of a CONNECT, from libpri's connected-line subcommand. */
static void test_answer_connected(void)
{
	struct pri_subcommands sub;
	pri_event e;
	struct cwi_pri_event out;

	memset(&sub, 0, sizeof(sub));
	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_ANSWER;
	e.answer.call = CALL_A;
	e.answer.subcmds = &sub;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK_STR(out.connected.digits, ""); /* no subcommand: none */

	sub.counter_subcmd = 2;
	sub.subcmd[0].cmd = PRI_SUBCMD_REDIRECTING;
	sub.subcmd[1].cmd = PRI_SUBCMD_CONNECTED_LINE;
	sub.subcmd[1].u.connected_line.id.number.valid = 1;
	sub.subcmd[1].u.connected_line.id.number.plan = PRI_INTERNATIONAL_ISDN; /* 0x11 */
	sub.subcmd[1].u.connected_line.id.number.presentation = PRES_PROHIB_NETWORK_NUMBER;
	snprintf(sub.subcmd[1].u.connected_line.id.number.str,
	         sizeof(sub.subcmd[1].u.connected_line.id.number.str), "4930100");
	cwi_pri_event_from_libpri(&e, &out);
	CHECK_STR(out.connected.digits, "4930100");
	CHECK_INT(out.connected.ton, 1);
	CHECK_INT(out.connected.npi, 1);
	CHECK_INT(out.connected.presentation, 1);
	CHECK_INT(out.connected.screening, 3);

	sub.subcmd[1].u.connected_line.id.number.valid = 0; /* CONNECT without the IE */
	cwi_pri_event_from_libpri(&e, &out);
	CHECK_STR(out.connected.digits, "");
}

static void test_span_events(void)
{
	pri_event e;
	struct cwi_pri_event out;

	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_DCHAN_UP;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_DCHAN_UP && out.call == NULL && out.cref == -1);
	e.e = PRI_EVENT_DCHAN_DOWN;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_DCHAN_DOWN && strcmp(out.name, "DCHAN_DOWN") == 0);

	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_RESTART;
	e.restart.channel = 12;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_RESTART && out.channel == 12);

	e.restart.channel = -1;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.channel == -1);

	/* SERVICE: the channel and whether it is in service (ANSI T1.607 Change status) */
	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_SERVICE;
	e.service.channel = 0x100 | 5;
	e.service.changestatus = 2; /* out of service */
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_SERVICE && out.channel == 5 && out.in_service == 0);
	CHECK(strcmp(out.name, "SERVICE") == 0);
	e.service.changestatus = 1; /* maintenance: not hunted either */
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.in_service == 0);
	e.service.changestatus = 0;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_SERVICE && out.in_service == 1);

	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_CONFIG_ERR;
	snprintf(e.err.err, sizeof(e.err.err), "%s", "bad switch");
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_CONFIG_ERR && strcmp(out.text, "bad switch") == 0);

	/* one the bridge does not handle keeps libpri's name */
	memset(&e, 0, sizeof(e));
	e.e = PRI_EVENT_FACILITY;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_OTHER && strcmp(out.name, "FACILITY") == 0);
	CHECK(out.call == NULL && out.cref == -1);
	e.e = 9999;
	cwi_pri_event_from_libpri(&e, &out);
	CHECK(out.kind == CWI_PRI_EV_OTHER && strcmp(out.name, "UNKNOWN") == 0);
}

int main(void)
{
	test_ring();
	test_information();
	test_progress();
	test_answer_and_clearing();
	test_answer_connected();
	test_span_events();
	return check_done();
}
