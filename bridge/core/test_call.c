/* SPDX-License-Identifier: MIT */
/*
 * test_call.c — unit tests of the call state machine: scenario
 * transcripts, every table row, rejection by name, the cause and status
 * sweeps against libcauseway, Reason precedence, timers, the cap, and a
 * deterministic random walk of 100 000 events.
 *
 * A scenario is its input, a list of lines:
 *   call sip|isdn [pri_net] [early] [max=MS]   a new call (FROM_SIP / FROM_ISDN);
 *                                     max: its MAX-DURATION timer
 *   > EVENT key=value ...             feed an event (names of cwc_call_event_name())
 *   >! EVENT key=value ...            feed it, expect CWC_CALL_ESTATE
 * The transcript it produces repeats each input line (">!" for a refused event)
 * and adds, after each accepted event,
 *   < text                            each action, as cwc_call_action_format() writes it
 *   = STATE                           the state then (cwc_call_state_name())
 * and must equal testdata/NAME.txt (CW_GOLDEN_UPDATE=1 rewrites the files).
 * Keys: status, sdp, warning, cause, loc (RFC 8606 name), pi (1,8), diag,
 * timer (T310, ...), called, calling, reject, more (more_routes and more_spans),
 * contact (has_contact), t (now_ms); reason= takes
 * the rest of the line (one Reason header value).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "call.h"
#include "call_internal.h"
#include "test_golden.h"
#include "../../tests/unit/check.h"

static unsigned char row_hit[1024];

static void note_row(const struct cwc_call *call)
{
	long r = cwc_call_last_row(call);

	if (r >= 0 && (size_t)r < sizeof(row_hit))
		row_hit[r] = 1;
}

/*
 * The cause column of call-table.md is the cause that runs: after a row with a fixed
 * cause, the event's or the refusal's, one of the actions carries it or the summary
 * records it (a cause kept for a later BYE).
 */
static int row_cause_ok(const struct cwc_call *call, const struct cwc_call_event *ev,
                        const struct cwc_call_action *acts, size_t n)
{
	long r = cwc_call_last_row(call);
	const struct cwc_fsm_cause *c;
	struct cwc_call_summary sum;
	int want;

	if (r < 0 || (size_t)r >= cwc_call_nrows)
		return 0;
	c = &cwc_call_rows[r].cause;
	switch (c->src) {
	case CWC_FSM_CAUSE_FIXED: want = c->cause; break;
	case CWC_FSM_CAUSE_EVENT: want = ev->cause > 0 ? ev->cause : c->cause; break;
	case CWC_FSM_CAUSE_REJECT: want = ev->reject_cause; break;
	default: return 1;
	}
	for (size_t k = 0; k < n; k++)
		if (acts[k].cause == want)
			return 1;
	cwc_call_summary_get(call, &sum);
	if (sum.cause == want)
		return 1;
	fprintf(stderr, "row %ld (%s): cause %d neither sent nor recorded\n", r,
	        cwc_call_rows[r].action_name, want);
	return 0;
}

/* ---- Transcript runner ---- */

struct runner {
	const char *name;
	struct cwc_call *call;
	struct cwc_call_action acts[CWC_CALL_ACTIONS_MAX];
	size_t n;
	uint64_t now;
	char reason[CWC_CALL_REASON_MAX];
	FILE *out;                     /* the transcript */
};

static int parse_event(struct runner *r, const char *text, struct cwc_call_event *ev)
{
	char buf[512], *tok, *save = NULL, *rs;
	enum cwc_call_event_type type;

	snprintf(buf, sizeof(buf), "%s", text);
	rs = strstr(buf, " reason=");
	if (rs) {
		snprintf(r->reason, sizeof(r->reason), "%s", rs + 8);
		*rs = '\0';
	}
	tok = strtok_r(buf, " ", &save);
	if (!tok || cwc_call_event_from_name(tok, &type) != 0)
		return -1;
	r->now += 10;
	cwc_call_event_init(ev, type, r->now);
	if (rs) {
		ev->reasons[0].ptr = r->reason;
		ev->reasons[0].len = strlen(r->reason);
		ev->nreasons = 1;
	}
	while ((tok = strtok_r(NULL, " ", &save)) != NULL) {
		char *val = strchr(tok, '=');

		if (!val)
			return -1;
		*val++ = '\0';
		if (!strcmp(tok, "status")) {
			ev->status = atoi(val);
		} else if (!strcmp(tok, "sdp")) {
			ev->has_sdp = atoi(val);
		} else if (!strcmp(tok, "warning")) {
			ev->warning = atoi(val);
		} else if (!strcmp(tok, "cause")) {
			ev->cause = atoi(val);
		} else if (!strcmp(tok, "loc")) {
			if (cw_location_from_name(val, strlen(val), &ev->location) != 0)
				return -1;
		} else if (!strcmp(tok, "pi")) {
			for (char *p = val; *p; p = *p ? p + 1 : p) {
				ev->pi_mask |= CWC_PI(strtol(p, &p, 10));
			}
		} else if (!strcmp(tok, "diag")) {
			ev->has_diagnostic = 1;
			snprintf(ev->diagnostic, sizeof(ev->diagnostic), "%s", val);
		} else if (!strcmp(tok, "timer")) {
			int t;
			for (t = 0; t < CWC_TIMER_COUNT; t++)
				if (!strcmp(val, cwc_call_timer_name((enum cwc_call_timer)t)))
					break;
			if (t == CWC_TIMER_COUNT)
				return -1;
			ev->timer = (enum cwc_call_timer)t;
		} else if (!strcmp(tok, "called")) {
			snprintf(ev->called.digits, sizeof(ev->called.digits), "%s", val);
		} else if (!strcmp(tok, "calling")) {
			snprintf(ev->calling.digits, sizeof(ev->calling.digits), "%s", val);
		} else if (!strcmp(tok, "more")) {
			ev->more_routes = ev->more_spans = atoi(val);
		} else if (!strcmp(tok, "contact")) {
			ev->has_contact = atoi(val);
		} else if (!strcmp(tok, "reject")) {
			ev->reject_cause = atoi(val);
		} else if (!strcmp(tok, "overlap")) {
			ev->overlap = atoi(val);
		} else if (!strcmp(tok, "invite")) {
			ev->overlap_invite = atoi(val);
		} else if (!strcmp(tok, "bearer")) {
			ev->bearer = !strcmp(val, "3.1khz")    ? CWC_BEARER_AUDIO_3K1
			             : !strcmp(val, "digital") ? CWC_BEARER_DIGITAL
			                                       : CWC_BEARER_SPEECH;
		} else if (!strcmp(tok, "t")) {
			ev->now_ms = r->now = strtoull(val, NULL, 10);
		} else {
			return -1;
		}
	}
	return 0;
}

/* Feed one "> EVENT" line; print it as accepted (">") or refused (">!"), then each
   action ("< ...") and the state ("= STATE"). */
static void run_event(struct runner *r, const char *line, int lineno)
{
	const char *text = line + (line[1] == '!' ? 3 : 2);
	int expect_reject = line[1] == '!';
	struct cwc_call_event ev;
	char act[512];
	int rc;

	if (!CHECK(parse_event(r, text, &ev) == 0)) {
		fprintf(stderr, "%s:%d: bad event line: %s\n", r->name, lineno, line);
		fprintf(r->out, "?? %s\n", text);
		return;
	}
	r->n = 0;
	rc = cwc_call_handle(r->call, &ev, r->acts, CWC_CALL_ACTIONS_MAX, &r->n);
	if (expect_reject ? rc != CWC_CALL_ESTATE : rc != 0) {
		fprintf(stderr, "%s:%d: %s: %d in %s\n", r->name, lineno, line, rc,
		        cwc_call_state_name(cwc_call_state(r->call)));
		CHECK(0);
	}
	if (rc != 0) {
		fprintf(r->out, ">! %s\n", text);
		return;
	}
	note_row(r->call);
	CHECK(row_cause_ok(r->call, &ev, r->acts, r->n));
	fprintf(r->out, "> %s\n", text);
	for (size_t k = 0; k < r->n; k++) {
		cwc_call_action_format(&r->acts[k], act, sizeof(act));
		fprintf(r->out, "< %s\n", act);
	}
	fprintf(r->out, "= %s\n", cwc_call_state_name(cwc_call_state(r->call)));
}

/*
 * A scenario is its input ("call ..." and "> EVENT" / ">! EVENT" lines, a refusal
 * expected); the transcript it produces is compared with testdata/NAME.txt.
 */
static void run_transcript(const char *name, const char *const *lines)
{
	struct runner r;
	char *text = NULL, file[128];
	size_t len = 0;
	int lineno = 0;

	memset(&r, 0, sizeof(r));
	r.name = name;
	r.out = open_memstream(&text, &len);
	if (!CHECK(r.out != NULL))
		return;
	for (const char *const *l = lines; *l; l++) {
		const char *line = *l;

		lineno++;
		if (!strncmp(line, "call ", 5)) {
			struct cwc_call_config cfg;

			cwc_call_free(r.call);
			cwc_call_config_init(&cfg, strstr(line, "isdn") ? CWC_CALL_FROM_ISDN : CWC_CALL_FROM_SIP);
			cfg.pri_net = strstr(line, "pri_net") != NULL;
			cfg.early_release = strstr(line, "early") != NULL;
			r.call = NULL;
			CHECK_INT(cwc_call_new(&r.call, &cfg), 0);
			if (strstr(line, " max="))
				CHECK_INT(cwc_call_set_timer(r.call, CWC_TIMER_MAX_DURATION,
				                            strtoull(strstr(line, " max=") + 5, NULL, 10)),
				          0);
			/* se=SECONDS: the peer refreshes; se=SECONDS/local: the bridge does */
			if (strstr(line, " se="))
				CHECK_INT(cwc_call_set_session(r.call,
				                              (unsigned)strtoul(strstr(line, " se=") + 4, NULL, 10),
				                              strstr(line, "/local") != NULL),
				          0);
			fprintf(r.out, "%s\n", line);
		} else if (line[0] == '>' && r.call) {
			run_event(&r, line, lineno);
		} else {
			fprintf(stderr, "%s:%d: not an input line: %s\n", name, lineno, line);
			CHECK(0);
		}
	}
	cwc_call_free(r.call);
	if (!CHECK(fclose(r.out) == 0)) {
		free(text);
		return;
	}
	snprintf(file, sizeof(file), "%s.txt", name);
	if (!CHECK(golden_check(CW_CORE_TESTDATA, CW_CORE_GOT_DIR, file, text, len) == 0))
		fprintf(stderr, "%s: transcript differs from testdata/%s\n", name, file);
	free(text);
}

/* ---- Scenarios ---- */

static const char *const sc_sip_answered[] = {
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	">! SIP_ACK",
	">! SIP_2XX status=200",
	">! ISDN_SETUP",
	"> ISDN_PROCEEDING",
	"> ISDN_ALERTING pi=8",
	">! ISDN_ALERTING",
	"> ISDN_PROGRESS pi=8",
	"> ISDN_PROGRESS pi=2",
	"> ISDN_CONNECT",
	"> SIP_ACK",
	">! SIP_CANCEL",
	"> SIP_BYE",
	"> ISDN_RELEASE cause=16",
	">! ISDN_RELEASE_COMPLETE",
	">! TIMER_EXPIRED timer=CLEAR-GUARD",
	NULL
};

/* RFC 3398 §7.2.4.1: 17 -> 486, with the Reason of the received cause. */
static const char *const sc_sip_busy[] = {
	"call sip",
	"> SIP_INVITE called=5551234 calling=100 t=1000",
	"> ISDN_PROCEEDING",
	"> ISDN_DISCONNECT cause=17 loc=LN pi=8",
	"> SIP_NONINVITE_TIMEOUT",
	"> ISDN_RELEASE_COMPLETE",
	NULL
};

/* RFC 3398 §7.2.3: CANCEL -> 487 and cause 16, or the Reason's Q.850 cause. */
static const char *const sc_sip_cancel[] = {
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_ALERTING",
	"> SIP_CANCEL",
	"> ISDN_DISCONNECT cause=16",
	"> ISDN_DISCONNECT cause=16",
	"> ISDN_RELEASE",
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> SIP_CANCEL reason=Q.850;cause=31;text=\"Normal, unspecified\"",
	"> SIP_BYE",
	"> TIMER_EXPIRED timer=CLEAR-GUARD",
	NULL
};

/* T310 expiry: 504 and cause 102 (Q.931 T310; RFC 3398 §7.2.2). */
static const char *const sc_t310[] = {
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_PROCEEDING",
	"> TIMER_EXPIRED timer=ACK",      /* not running: a stale expiry, ignored */
	"> TIMER_EXPIRED timer=T301",
	"> TIMER_EXPIRED timer=T310",
	"> ISDN_RELEASE_COMPLETE",
	/* T301 after ALERTING: 480 + cause 19 (RFC 3398 §7.2.8) */
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_PROCEEDING",
	"> ISDN_PROGRESS pi=1",
	"> TIMER_EXPIRED timer=T301",
	NULL
};

/* Refusals: 100 Trying at once, then the final response with Reason. */
static const char *const sc_refusals[] = {
	"call sip",
	"> SIP_INVITE called=999 calling=100 reject=3",
	"call sip",
	"> SIP_INVITE called=5551234 calling=100 reject=34",
	"call sip pri_net",
	"> SIP_INVITE called=5551234 calling=100 reject=38",
	/* the SETUP found no channel after all */
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_NO_CHANNEL",
	/* a SETUP refused: CALL PROCEEDING first (libpri drops a DISCONNECT from a fresh RING) */
	"call isdn",
	">! SIP_INVITE",
	"> ISDN_SETUP called=999 calling=5551234 reject=3",
	"> ISDN_RELEASE cause=3",
	NULL
};

/* The bearer capability (Q.931 §4.5.5): unrestricted digital through both ways; a bearer
 * refused by the adapter: 65 on ISDN, 58 -> 503 + Reason on SIP (RFC 3398 §8.2.6.1). */
static const char *const sc_bearer[] = {
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234 bearer=digital",
	"> SIP_FINAL_ERROR status=488 warning=305",
	"> ISDN_RELEASE_COMPLETE",
	"call sip",
	"> SIP_INVITE called=5551234 calling=100 sdp=1 bearer=digital",
	"> ISDN_CONNECT",
	"> SIP_BYE",
	"> ISDN_RELEASE_COMPLETE",
	"call isdn",
	">! SIP_INVITE",
	"> ISDN_SETUP called=200 calling=5551234 reject=65",
	"> ISDN_RELEASE cause=65",
	"call sip",
	"> SIP_INVITE called=5551234 calling=100 sdp=1 bearer=digital reject=58",
	NULL
};

/* Cause 44: re-hunt once, then 503 (RFC 3398 §7.2.4.1; RFC 4497 §8.4.1 NOTE 2). */
static const char *const sc_retry_channel[] = {
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_PROCEEDING",
	"> ISDN_DISCONNECT cause=44 loc=LN",
	"> ISDN_RELEASE_COMPLETE cause=44",
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_RELEASE_COMPLETE cause=44 loc=LN",
	"> ISDN_NO_CHANNEL",
	NULL
};

/* Overlap receiving (Q.931 §5.2.4): SETUP ACKNOWLEDGE, INFORMATION restarts T302, the
   INVITE en bloc once the number is complete; T302 expiry with enough digits or not; the
   caller hanging up while dialling. */
static const char *const sc_overlap[] = {
	"call isdn",
	"> ISDN_SETUP called=4 calling=5551234 overlap=1",
	"> ISDN_INFORMATION called=49 overlap=1",
	"> ISDN_INFORMATION called=4930 overlap=1",
	"> ISDN_INFORMATION called=49301",
	"> SIP_1XX status=180",
	"> SIP_2XX status=200",
	"> ISDN_DISCONNECT cause=16",
	"> ISDN_RELEASE_COMPLETE",
	/* T302 runs out with enough digits: the number as it is */
	"call isdn",
	"> ISDN_SETUP called=49 calling=5551234 overlap=1",
	"> TIMER_EXPIRED timer=T302 called=493",
	"> SIP_FINAL_ERROR status=486",
	"> ISDN_RELEASE",
	/* T302 runs out with too few: cause 28 */
	"call isdn",
	"> ISDN_SETUP called=4 calling=5551234 overlap=1",
	"> TIMER_EXPIRED timer=T302 reject=28",
	"> ISDN_RELEASE",
	/* Sending complete with the number incomplete: cause 28 */
	"call isdn",
	"> ISDN_SETUP called=4 calling=5551234 overlap=1",
	"> ISDN_INFORMATION called=49 reject=28",
	">! ISDN_INFORMATION called=491",
	"> ISDN_RELEASE",
	/* the caller hangs up while dialling; the operator clears another */
	"call isdn",
	"> ISDN_SETUP called=4 calling=5551234 overlap=1",
	"> ISDN_DISCONNECT cause=16",
	"> ISDN_RELEASE_COMPLETE",
	"call isdn",
	"> ISDN_SETUP called=4 calling=5551234 overlap=1",
	"> ADMIN_RELEASE",
	"> ISDN_RELEASE",
	NULL
};

/* Overlap receiving with multiple INVITEs (RFC 3578 §3): an INVITE from the minimum digits
   on; 484 goes on collecting; a digit before the 484 CANCELs and INVITEs again; the complete
   number CANCELs and INVITEs with CALL PROCEEDING; a 180 or 2xx ends the dialling; T302 with
   the INVITE out lets it go on, T302 after a 484 clears with 28. */
static const char *const sc_multiple_invite[] = {
	"call isdn",
	"> ISDN_SETUP called=4930 calling=5551234 overlap=1",
	"> ISDN_INFORMATION called=4930123 overlap=1 invite=1",
	"> SIP_1XX status=100",
	"> SIP_FINAL_ERROR status=484",
	"> ISDN_INFORMATION called=49301234 overlap=1 invite=1",
	"> ISDN_INFORMATION called=493012345 overlap=1 invite=1",
	"> ISDN_INFORMATION called=4930123456",
	/* the CANCELled INVITEs' 487s stay in the adapter (their handles are released) */
	"> SIP_FINAL_ERROR status=486",
	"> ISDN_RELEASE",
	/* the minimum digits in the SETUP: INVITE at once; a 180 ends the dialling */
	"call isdn",
	"> ISDN_SETUP called=4930123 calling=5551234 overlap=1 invite=1",
	"> SIP_1XX status=180",
	">! ISDN_INFORMATION called=49301234 overlap=1 invite=1",
	"> SIP_2XX status=200",
	"> ISDN_DISCONNECT cause=16",
	"> ISDN_RELEASE_COMPLETE",
	/* 200 to the pending INVITE: CALL PROCEEDING, CONNECT */
	"call isdn",
	"> ISDN_SETUP called=4930123 calling=5551234 overlap=1 invite=1",
	"> SIP_2XX status=200",
	"> ISDN_DISCONNECT cause=16",
	"> ISDN_RELEASE_COMPLETE",
	/* T302 with the INVITE unanswered: it goes on */
	"call isdn",
	"> ISDN_SETUP called=4930123 calling=5551234 overlap=1 invite=1",
	"> TIMER_EXPIRED timer=T302",
	"> SIP_FINAL_ERROR status=484",
	"> ISDN_RELEASE",
	/* T302 after a 484: cause 28 */
	"call isdn",
	"> ISDN_SETUP called=4930123 calling=5551234 overlap=1 invite=1",
	"> SIP_FINAL_ERROR status=484",
	"> TIMER_EXPIRED timer=T302",
	"> ISDN_RELEASE",
	/* the caller hangs up with the INVITE out: CANCEL */
	"call isdn",
	"> ISDN_SETUP called=4930123 calling=5551234 overlap=1 invite=1",
	"> ISDN_DISCONNECT cause=16",
	"> SIP_FINAL_ERROR status=487",
	/* from SIP (RFC 3578 §3): a new INVITE adds digits, INFORMATION; not after PROCEEDING */
	"call sip",
	"> SIP_INVITE called=0301234 calling=5551234",
	"> SIP_MORE_DIGITS called=5",
	"> SIP_MORE_DIGITS called=6",
	"> ISDN_PROCEEDING",
	">! SIP_MORE_DIGITS called=7",
	"> ISDN_DISCONNECT cause=17",
	"> ISDN_RELEASE_COMPLETE",
	NULL
};

/* ISDN-originated, answered, ISDN clears: BYE with Reason (RFC 3398 §10.2). */
static const char *const sc_isdn_answered[] = {
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234 bearer=3.1khz",
	"> SIP_1XX status=100",
	"> SIP_1XX status=100",
	"> SIP_1XX status=180",
	"> SIP_1XX status=183 sdp=1",
	"> SIP_2XX status=200 sdp=1",
	"> ISDN_CONNECT_ACK",
	"> ISDN_DISCONNECT cause=16 loc=U",
	"> ISDN_RELEASE_COMPLETE",
	/* 183 first: PROGRESS PI 8 (early media), then 180 -> ALERTING; SIP BYE */
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=183 sdp=1",
	"> SIP_1XX status=183",
	"> SIP_1XX status=180 sdp=1",
	"> SIP_2XX status=200",
	"> SIP_BYE reason=Q.850;cause=17",
	NULL
};

/* ISDN clears before the final response: CANCEL with Reason; a late 200 -> ACK + BYE (§8.2.7). */
static const char *const sc_isdn_cancel[] = {
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=180",
	"> ISDN_DISCONNECT cause=16 loc=U",
	"> SIP_1XX status=180",
	"> ISDN_RELEASE_COMPLETE",
	"> SIP_2XX status=200",
	/* the usual end: 487 */
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> ISDN_RELEASE cause=31",
	"> SIP_FINAL_ERROR status=487",
	NULL
};

/* SIP error responses on an ISDN-originated call (RFC 3398 §8.2.6.1), with Reason precedence. */
static const char *const sc_isdn_sip_errors[] = {
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_FINAL_ERROR status=486",
	"> ISDN_RELEASE",
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_FINAL_ERROR status=486 reason=Q.850;cause=21;text=\"Call rejected\";location=RLN",
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=100",
	"> SIP_FINAL_ERROR status=603",
	NULL
};

/* No response to the INVITE: cause 18 and CANCEL (RFC 3398 §8.1.3). */
static const char *const sc_invite_timeout[] = {
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> TIMER_EXPIRED timer=INVITE",
	"> SIP_INVITE_TIMEOUT",
	"> ISDN_RELEASE cause=18",
	/* the transaction layer reports it first */
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_INVITE_TIMEOUT",
	NULL
};

/* 200 sent, no ACK: cause 102 + BYE (RFC 3398 §7.1.4); ISDN clears first: BYE after the ACK. */
static const char *const sc_ack[] = {
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_CONNECT",
	"> TIMER_EXPIRED timer=ACK",
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_CONNECT",
	"> ISDN_DISCONNECT cause=16 loc=LN",
	"> SIP_ACK",
	"> ISDN_RELEASE_COMPLETE",
	NULL
};

/* D-channel down: calls in progress cleared with 27 (Q.931 §5.8.9). */
static const char *const sc_dchan[] = {
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_ALERTING",
	"> ISDN_DCHAN_DOWN",
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_2XX status=200",
	"> ISDN_DCHAN_DOWN",
	NULL
};

/* RESTART of the B-channel (Q.931 §5.5.2): nothing more to ISDN, SIP cleared with 41. */
static const char *const sc_restart[] = {
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_ALERTING",
	"> ISDN_RESTART",
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=180",
	"> ISDN_RESTART",
	"> SIP_FINAL_ERROR status=487",
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_2XX status=200",
	"> ISDN_RESTART",
	/* clearing already under way: the ISDN leg just ends */
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_CONNECT",
	"> SIP_ACK",
	"> SIP_BYE",
	"> ISDN_RESTART",
	NULL
};

/* Cause 22 with the new number: 301 with Contact; early release (§7.1.6, behind a setting). */
static const char *const sc_misc[] = {
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_DISCONNECT cause=22 diag=5559876",
	"call sip early",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_PROCEEDING",
	"> ISDN_PROGRESS pi=8 cause=17 loc=LN",
	"> TIMER_EXPIRED timer=INTERWORK",
	/* without the setting, a PROGRESS with cause is a PROGRESS; DISCONNECT with PI 8 clears */
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_PROGRESS pi=8 cause=17",
	"> ADMIN_RELEASE",
	"> ADMIN_RELEASE",
	NULL
};

/* Early release with in-band information (RFC 3398 §7.1.6; Q.931 §5.3.4.1), behind the
   early_release setting: DISCONNECT PI 8 before answer -> 183, interwork timer, then the
   final response with Reason (timer, RELEASE, CANCEL); the reverse: 183 with SDP then an
   error -> DISCONNECT with PI 8. */
static const char *const sc_early_release[] = {
	/* DISCONNECT PI 8 in U3: 183, INTERWORK; expiry: 486 + Reason, RELEASE (U12 -> U19) */
	"call sip early",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_PROCEEDING",
	"> ISDN_DISCONNECT cause=17 loc=LN pi=8",
	"> ISDN_PROGRESS pi=8",
	"> ISDN_DISCONNECT cause=17 loc=LN pi=8",
	"> TIMER_EXPIRED timer=INTERWORK",
	"> ISDN_RELEASE_COMPLETE",
	/* after a 183 (PROGRESS PI 8): no second 183; the network releases first: the final
	   response carries the DISCONNECT's cause (and cause 22's new number), RELEASE COMPLETE */
	"call sip early",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_PROGRESS pi=8",
	"> ISDN_DISCONNECT cause=22 loc=TN pi=8 diag=5559876",
	"> ISDN_RELEASE cause=16",
	/* after 180 without SDP: 183; CANCEL before the timer: 487, RELEASE 16 */
	"call sip early",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_ALERTING",
	"> ISDN_DISCONNECT cause=1 loc=LN pi=8",
	"> SIP_CANCEL",
	/* the other ways out of U12: BYE, transport error, D-channel, operator, RELEASE COMPLETE */
	"call sip early",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_DISCONNECT cause=17 pi=8",
	"> SIP_BYE",
	"call sip early",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_DISCONNECT cause=17 pi=8",
	"> SIP_TRANSPORT_ERROR",
	"call sip early",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_DISCONNECT cause=17 pi=8",
	"> ISDN_DCHAN_DOWN",
	"call sip early",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_DISCONNECT cause=17 pi=8",
	"> ADMIN_RELEASE",
	"call sip early",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_DISCONNECT cause=17 pi=8",
	"> ISDN_RELEASE_COMPLETE",
	/* without the setting: DISCONNECT PI 8 clears at once (as before) */
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_DISCONNECT cause=17 loc=LN pi=8",
	/* the reverse: 183 with SDP (PROGRESS PI 8), then 486 + Reason: DISCONNECT with PI 8 */
	"call isdn early",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=183 sdp=1",
	"> SIP_FINAL_ERROR status=486 reason=Q.850;cause=17;text=\"User busy\"",
	/* 180 with SDP (ALERTING PI 8), then 404: DISCONNECT 1 with PI 8 */
	"call isdn early",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=180 sdp=1",
	"> SIP_FINAL_ERROR status=404",
	/* 183 without SDP (PI 1): no in-band information, a plain DISCONNECT */
	"call isdn early",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=183",
	"> SIP_FINAL_ERROR status=486",
	/* failover still comes first */
	"call isdn early",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=183 sdp=1",
	"> SIP_FINAL_ERROR status=503 more=1",
	NULL
};

/* ISDN -> SIP failover: next-route/retry-later statuses with another target re-send the
   INVITE (RFC 3261 §16.7, §21.5.4); the ISDN leg hears nothing; final statuses stop. */
static const char *const sc_failover[] = {
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=100",
	"> SIP_FINAL_ERROR status=503 more=1",
	/* re-entering I_U9_CALLING: the INVITE timer starts afresh */
	"> SIP_FINAL_ERROR status=500 more=1",
	"> SIP_INVITE_TIMEOUT more=1",
	"> SIP_TRANSPORT_ERROR more=1",
	"> SIP_2XX status=200",
	/* the callee's answer stops the hunt even with targets left (final) */
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_FINAL_ERROR status=486 more=1",
	/* every 5xx fails over, a fix-request one too (505: about that server); a 4xx the
	   table files as fix-request (415) stops */
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_FINAL_ERROR status=505 more=1",
	"> SIP_FINAL_ERROR status=415 more=1",
	/* 6xx: stop */
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_FINAL_ERROR status=603 more=1",
	/* the last target: 503 -> 41 as RFC 3398 §8.2.6.1 says; no response -> 18 + CANCEL */
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_FINAL_ERROR status=408 more=1",
	"> SIP_FINAL_ERROR status=503",
	"> ISDN_RELEASE",
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_INVITE_TIMEOUT",
	/* after ALERTING: the ISDN leg stays in U7, T301 starts afresh, the next 180 is silent */
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=180",
	"> SIP_FINAL_ERROR status=502 more=1",
	"> SIP_1XX status=180",
	"> SIP_2XX status=200",
	NULL
};

/* ISDN -> SIP failover on the core's own supervision: the INVITE timer (or T310 after a
   100, which is hop-by-hop) runs out before the target alerted anyone: as a 408 from it,
   CANCEL that INVITE and send it to the next target (RFC 3261 §16.8, §16.7); with no target
   left, the clearing of RFC 3398 §8.1.3; after a 180 or 183, no failover (the user was
   alerted or heard something): 19 after ALERTING, 18 after PROGRESS (Q.931 §5.2.5.4). */
static const char *const sc_timer_failover[] = {
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> TIMER_EXPIRED timer=INVITE more=1",
	/* a 100 from the next target, then T310 runs out: the same (RFC 3261 §21.1.1) */
	"> SIP_1XX status=100",
	"> TIMER_EXPIRED timer=T310 more=1",
	/* the third target answers: nothing reached the ISDN leg before the CONNECT */
	"> SIP_2XX status=200",
	"> SIP_BYE",
	"> ISDN_RELEASE",
	/* no target left: today's clearing, 18 + CANCEL; its 487 ends the SIP leg */
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> TIMER_EXPIRED timer=INVITE more=1",
	"> TIMER_EXPIRED timer=INVITE",
	"> SIP_FINAL_ERROR status=487",
	"> ISDN_RELEASE cause=18",
	/* T310 after a 100, no target left: 18 toward the caller (Q.931 §5.2.5.4), not 102 */
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=100",
	"> TIMER_EXPIRED timer=T310",
	/* after a 180, with targets left: no failover; the INVITE timer stopped at the 180
	   (a late expiry is ignored); T301 clears with 19 (ALERTING was sent) */
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=180",
	"> TIMER_EXPIRED timer=INVITE more=1",
	"> TIMER_EXPIRED timer=T301 more=1",
	"> SIP_FINAL_ERROR status=487",
	"> ISDN_RELEASE",
	/* after a 183 (PROGRESS, no ALERTING), with targets left: no failover; cause 18 */
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_1XX status=183",
	"> TIMER_EXPIRED timer=T301 more=1",
	NULL
};

/* 3xx: follow the first Contact, at most 3 times per call (RFC 3398 §8.2.5, RFC 3261
   §8.1.3.4); without a usable Contact, or past the bound: cause 23 as before. */
static const char *const sc_redirect[] = {
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_FINAL_ERROR status=302 contact=1",
	"> SIP_1XX status=100",
	"> SIP_FINAL_ERROR status=301 contact=1",
	"> SIP_FINAL_ERROR status=302 contact=1 more=1",
	/* the fourth: the bound is reached */
	"> SIP_FINAL_ERROR status=302 contact=1",
	"call isdn",
	"> ISDN_SETUP called=200 calling=5551234",
	"> SIP_FINAL_ERROR status=302 more=1",
	NULL
};

/* SIP -> ISDN hunting across the span group: 34 (or 44 after its same-span re-hunt) with
   another span -> SETUP there (RFC 4497 §8.3.1); none left -> 503 + Retry-After + cause. */
static const char *const sc_hunting[] = {
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_RELEASE_COMPLETE cause=34 loc=LN more=1",
	"> ISDN_PROCEEDING",
	"> ISDN_CONNECT",
	/* every span refuses: the last cause, 503 with Retry-After */
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_PROCEEDING",
	"> ISDN_DISCONNECT cause=34 loc=LN more=1",
	"> ISDN_DISCONNECT cause=34 loc=RLN",
	/* the other spans had no free channel after all */
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_RELEASE cause=34 loc=LN more=1",
	"> ISDN_NO_CHANNEL",
	/* 44: first the same-span re-hunt, then the next span, which has its own re-hunt */
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_RELEASE_COMPLETE cause=44 more=1",
	"> ISDN_RELEASE_COMPLETE cause=44 more=1",
	"> ISDN_RELEASE_COMPLETE cause=44",
	"> ISDN_RELEASE_COMPLETE cause=44",
	/* the callee's answer is not a route failure: no hunting */
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_DISCONNECT cause=17 loc=LN more=1",
	NULL
};

/* max_call_seconds: the answered call is cleared on both sides with cause 16, whichever
   side placed it; before the answer the timer does not run (Q.931 §5.3.3; RFC 3398 §10.2). */
static const char *const sc_max_duration[] = {
	"call sip max=60000",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_CONNECT",
	"> SIP_ACK",
	"> TIMER_EXPIRED timer=MAX-DURATION",
	"> ISDN_RELEASE",
	"call isdn max=5000",
	"> ISDN_SETUP called=5551234 calling=100",
	"> SIP_2XX status=200",
	"> ISDN_CONNECT_ACK",
	"> TIMER_EXPIRED timer=MAX-DURATION",
	"> ISDN_RELEASE",
	/* the BYE's answer is lost: the clearing guard still ends the call */
	"call sip max=1000",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_CONNECT",
	"> SIP_ACK",
	"> TIMER_EXPIRED timer=MAX-DURATION",
	"> TIMER_EXPIRED timer=CLEAR-GUARD",
	/* without max= the timer never starts: an expiry is stale */
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_CONNECT",
	"> SIP_ACK",
	"> TIMER_EXPIRED timer=MAX-DURATION",
	"> SIP_BYE",
	"> ISDN_RELEASE",
	NULL
};

/* RFC 4028 session timers on an answered call. The peer refreshes a 90 s interval: the
   bridge waits 90 - min(32, 30) = 60 s, each refresh starts it afresh (MAX-DURATION runs
   on), no refresh: BYE + DISCONNECT 102. The bridge refreshes: at 45 s, again every 45 s,
   expiry at 90 s; a refresh answered 408/481 or not at all clears with 102 too. */
static const char *const sc_session_timer[] = {
	"call sip se=90 max=3600000",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_CONNECT",
	"> SIP_ACK",
	"> SIP_REFRESH",
	"> TIMER_EXPIRED timer=SESSION-EXPIRY",
	"> ISDN_RELEASE",
	"call isdn se=1800/local",
	"> ISDN_SETUP called=5551234 calling=100",
	"> SIP_2XX status=200",
	"> TIMER_EXPIRED timer=SESSION-REFRESH",
	"> SIP_REFRESH",
	"> TIMER_EXPIRED timer=SESSION-REFRESH",
	"> SIP_REFRESH_FAILED status=481",
	"> ISDN_RELEASE",
	/* no interval negotiated: the timers never start; a refresh is still accepted */
	"call sip",
	"> SIP_INVITE called=5551234 calling=100",
	"> ISDN_CONNECT",
	"> SIP_ACK",
	"> SIP_REFRESH",
	"> TIMER_EXPIRED timer=SESSION-EXPIRY",
	"> SIP_BYE",
	">! SIP_REFRESH",
	NULL
};

static void test_scenarios(void)
{
	run_transcript("sip_answered", sc_sip_answered);
	run_transcript("sip_busy", sc_sip_busy);
	run_transcript("sip_cancel", sc_sip_cancel);
	run_transcript("t310", sc_t310);
	run_transcript("refusals", sc_refusals);
	run_transcript("retry_channel", sc_retry_channel);
	run_transcript("isdn_answered", sc_isdn_answered);
	run_transcript("overlap", sc_overlap);
	run_transcript("multiple_invite", sc_multiple_invite);
	run_transcript("isdn_cancel", sc_isdn_cancel);
	run_transcript("isdn_sip_errors", sc_isdn_sip_errors);
	run_transcript("invite_timeout", sc_invite_timeout);
	run_transcript("ack", sc_ack);
	run_transcript("dchan", sc_dchan);
	run_transcript("restart", sc_restart);
	run_transcript("misc", sc_misc);
	run_transcript("early_release", sc_early_release);
	run_transcript("failover", sc_failover);
	run_transcript("timer_failover", sc_timer_failover);
	run_transcript("redirect", sc_redirect);
	run_transcript("hunting", sc_hunting);
	run_transcript("max_duration", sc_max_duration);
	run_transcript("session_timer", sc_session_timer);
	run_transcript("bearer", sc_bearer);
}

/* ---- Building blocks of the sweeps ---- */

static struct cwc_call *new_call(enum cwc_call_dir dir)
{
	struct cwc_call_config cfg;
	struct cwc_call *call = NULL;

	cwc_call_config_init(&cfg, dir);
	CHECK_INT(cwc_call_new(&call, &cfg), 0);
	return call;
}

static int feed(struct cwc_call *call, enum cwc_call_event_type type, struct cwc_call_action *out,
                size_t *n)
{
	struct cwc_call_event ev;
	int rc;

	cwc_call_event_init(&ev, type, 1);
	rc = cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, n);
	if (rc == 0)
		note_row(call);
	return rc;
}

static const struct cwc_call_action *find_act(const struct cwc_call_action *a, size_t n,
                                             enum cwc_call_action_type type)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].type == type)
			return &a[i];
	return NULL;
}

/* ---- Every ISDN cause before answer on a SIP-originated call ---- */

static const struct { int cause, status; } rfc3398_c2s[] = {
	/* RFC 3398 §7.2.4.1 (16: causeway's fallback when a response is owed; 44: no other channel) */
	{ 1, 404 }, { 2, 404 }, { 3, 404 }, { 16, 480 }, { 17, 486 }, { 18, 408 }, { 19, 480 },
	{ 20, 480 }, { 21, 403 }, { 22, 410 }, { 23, 410 }, { 26, 404 }, { 27, 502 }, { 28, 484 },
	{ 29, 501 }, { 31, 480 }, { 34, 503 }, { 38, 503 }, { 41, 503 }, { 42, 503 }, { 44, 503 },
	{ 47, 503 }, { 55, 403 }, { 57, 403 }, { 58, 503 }, { 65, 488 }, { 70, 488 }, { 79, 501 },
	{ 87, 403 }, { 88, 503 }, { 102, 504 }, { 111, 500 }, { 127, 500 },
	{ 5, 500 }, { 100, 500 }, /* unlisted: the default 500 */
};

static int rfc3398_status(int cause)
{
	for (size_t i = 0; i < sizeof(rfc3398_c2s) / sizeof(rfc3398_c2s[0]); i++)
		if (rfc3398_c2s[i].cause == cause)
			return rfc3398_c2s[i].status;
	return 0;
}

static void test_cause_sweep(void)
{
	const cw_profile *p;
	struct cwc_call_action out[CWC_CALL_ACTIONS_MAX];
	size_t n;

	CHECK_INT(cw_profile_get("rfc3398", &p), 0);
	for (int cause = 1; cause <= 127; cause++) {
		struct cwc_call *call = new_call(CWC_CALL_FROM_SIP);
		struct cwc_call_event ev;
		const struct cwc_call_action *a;
		const cw_q850_info *info;
		cw_sip_result want;
		char reason[CWC_CALL_REASON_MAX];

		CHECK_INT(feed(call, CWC_EV_SIP_INVITE, out, &n), 0);
		CHECK_INT(feed(call, CWC_EV_ISDN_PROCEEDING, out, &n), 0);
		cwc_call_event_init(&ev, CWC_EV_ISDN_DISCONNECT, 2);
		ev.cause = cause;
		CHECK_INT(cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, &n), 0);
		note_row(call);
		CHECK_INT(cw_map_cause_to_sip(p, cause, CW_LOCATION_UNKNOWN, 0, &want), 0);
		if (want.action == CW_C2S_RETRY_CHANNEL) {
			CHECK(find_act(out, n, CWC_ACT_ISDN_SETUP_RETRY) != NULL);
			CHECK(find_act(out, n, CWC_ACT_SIP_FINAL_ERROR) == NULL);
			CHECK_INT(feed(call, CWC_EV_ISDN_NO_CHANNEL, out, &n), 0);
		}
		a = find_act(out, n, CWC_ACT_SIP_FINAL_ERROR);
		if (!CHECK(a != NULL)) {
			cwc_call_free(call);
			continue;
		}
		CHECK_INT(a->status, want.status);
		if (rfc3398_status(cause) && !CHECK_INT(a->status, rfc3398_status(cause)))
			fprintf(stderr, "  cause %d\n", cause);
		CHECK_INT(cw_q850_info_get(cause, &info), 0);
		CHECK_INT(cw_reason_format(reason, sizeof(reason), CW_REASON_Q850, cause, info->name,
		                           CW_LOCATION_UNKNOWN, NULL), 0);
		CHECK_STR(a->reason, reason);
		CHECK_INT(a->retry_after_s, (want.flags & CW_C2S_F_RETRY_AFTER) ? 30 : 0);
		if (cause == 17)
			CHECK_STR(a->reason, "Q.850;cause=17;text=\"User busy\"");
		cwc_call_free(call);
	}
}

/* ---- Every final status on an ISDN-originated call ---- */

static void test_status_sweep(void)
{
	const cw_profile *p;
	struct cwc_call_action out[CWC_CALL_ACTIONS_MAX];
	size_t n;
	static const struct { int status, cause, location; } key[] = {
		/* RFC 3398 §8.2.6.1 (location: 6xx user, 4xx/5xx network = BI) */
		{ 400, 41, CW_LOC_BI }, { 403, 21, CW_LOC_BI }, { 404, 1, CW_LOC_BI },
		{ 408, 102, CW_LOC_BI }, { 480, 18, CW_LOC_BI }, { 486, 17, CW_LOC_BI },
		{ 487, 31, CW_LOC_BI }, { 500, 41, CW_LOC_BI }, { 503, 41, CW_LOC_BI },
		{ 504, 102, CW_LOC_BI }, { 600, 17, CW_LOC_U }, { 603, 21, CW_LOC_U },
		{ 604, 1, CW_LOC_U }, { 302, 23, CW_LOC_BI }, { 499, 31, CW_LOC_BI },
	};

	CHECK_INT(cw_profile_get("rfc3398", &p), 0);
	for (int status = 300; status <= 699; status++) {
		struct cwc_call *call = new_call(CWC_CALL_FROM_ISDN);
		struct cwc_call_event ev;
		const struct cwc_call_action *a;
		cw_sip_query q = { .event = CW_SIP_RESPONSE, .status = status };
		cw_cause_result want;

		CHECK_INT(feed(call, CWC_EV_ISDN_SETUP, out, &n), 0);
		cwc_call_event_init(&ev, CWC_EV_SIP_FINAL_ERROR, 2);
		ev.status = status;
		CHECK_INT(cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, &n), 0);
		note_row(call);
		CHECK_INT(cw_map_sip_to_cause(p, &q, &want), 0);
		a = find_act(out, n, CWC_ACT_ISDN_DISCONNECT);
		if (CHECK(a != NULL)) {
			CHECK_INT(a->cause, want.action == CW_S2C_NONE ? 31 : want.cause);
			CHECK_INT(a->location, want.location);
			for (size_t k = 0; k < sizeof(key) / sizeof(key[0]); k++) {
				if (key[k].status != status)
					continue;
				if (!CHECK_INT(a->cause, key[k].cause) || !CHECK_INT(a->location, key[k].location))
					fprintf(stderr, "  status %d\n", status);
			}
		}
		CHECK_INT(cwc_call_state(call), CWC_CS_C_U11);
		cwc_call_free(call);
	}
}

/* ---- Rejection by name, the cap, bad events ---- */

static void test_reject_and_cap(void)
{
	struct cwc_call *call = new_call(CWC_CALL_FROM_SIP);
	struct cwc_call_action out[CWC_CALL_ACTIONS_MAX + 1];
	struct cwc_call_event ev;
	size_t n = 12345;

	/* not permitted: nothing emitted, nothing changed, n untouched */
	CHECK_INT(feed(call, CWC_EV_ISDN_CONNECT, out, &n), CWC_CALL_ESTATE);
	CHECK_INT(n, 12345);
	CHECK_INT(cwc_call_state(call), CWC_CS_NULL);
	CHECK_INT(feed(call, CWC_EV_ISDN_SETUP, out, &n), CWC_CALL_ESTATE); /* wrong direction */
	/* the bridge's error code: its own text, apart from every errno value */
	CHECK_INT(CWC_CALL_ESTATE, CWCOM_ESTATE);
	CHECK_STR(cwcom_strerror(CWC_CALL_ESTATE), "event not permitted in the current state");
	CHECK_STR(cwc_call_event_name(CWC_EV_ISDN_CONNECT), "ISDN_CONNECT");
	CHECK_STR(cwc_call_state_name(CWC_CS_NULL), "NULL");
	CHECK_STR(cwc_call_state_q931(CWC_CS_S_U3_PROCEEDING), "U3 Outgoing call proceeding");
	CHECK_STR(cwc_call_state_rfc3398(CWC_CS_S_U10_WAIT_ACK), "Waiting for ACK");
	CHECK(cwc_call_state_name(CWC_CS_COUNT) == NULL);
	CHECK(cwc_call_event_name(CWC_EV_COUNT) == NULL);

	/* the cap: INVITE gives 2 actions */
	cwc_call_event_init(&ev, CWC_EV_SIP_INVITE, 1);
	memset(out, 0x5a, sizeof(out));
	CHECK_INT(cwc_call_handle(call, &ev, out, 1, &n), -ENOSPC);
	CHECK_INT(cwc_call_handle(call, &ev, NULL, 0, &n), -ENOSPC);
	CHECK_INT(((unsigned char *)&out[1])[0], 0x5a);
	CHECK_INT(((unsigned char *)&out[0])[0], 0x5a);
	CHECK_INT(cwc_call_state(call), CWC_CS_NULL);
	CHECK_INT(cwc_call_handle(call, &ev, out, 2, &n), 0);
	CHECK_INT(n, 2);
	CHECK_INT(cwc_call_state(call), CWC_CS_S_U1_INITIATED);

	/* bad events */
	cwc_call_event_init(&ev, CWC_EV_SIP_1XX, 1);
	ev.status = 200;
	CHECK_INT(cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, &n), -ERANGE);
	cwc_call_event_init(&ev, CWC_EV_ISDN_DISCONNECT, 1);
	ev.cause = 128;
	CHECK_INT(cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, &n), -ERANGE);
	ev.cause = 16;
	ev.location = 16;
	CHECK_INT(cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, &n), -ERANGE);
	ev.location = CW_LOCATION_UNKNOWN;
	/* the calling party (Q.931 §4.5.10): screening 0..3, a NUL-terminated IA5 name */
	cwc_call_event_init(&ev, CWC_EV_SIP_INVITE, 1);
	ev.calling.screening = 4;
	CHECK_INT(cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, &n), -ERANGE);
	ev.calling.screening = 3;
	memset(ev.calling.name, 'A', sizeof(ev.calling.name));
	CHECK_INT(cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, &n), -EINVAL);
	snprintf(ev.calling.name, sizeof(ev.calling.name), "Al\001ce");
	CHECK_INT(cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, &n), -EINVAL);
	snprintf(ev.calling.name, sizeof(ev.calling.name), "J\xc3\xbcrgen");
	CHECK_INT(cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, &n), -EINVAL);
	ev.type = CWC_EV_COUNT;
	CHECK_INT(cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, &n), -EINVAL);
	CHECK_INT(cwc_call_handle(NULL, &ev, out, CWC_CALL_ACTIONS_MAX, &n), -EINVAL);
	CHECK_INT(cwc_call_state(call), CWC_CS_S_U1_INITIATED);
	cwc_call_free(call);
	cwc_call_free(NULL);

	/* the largest output of any row fits CWC_CALL_ACTIONS_MAX: checked by the random walk */
	{
		struct cwc_call_config cfg;
		struct cwc_call *c = NULL;

		cwc_call_config_init(&cfg, CWC_CALL_FROM_SIP);
		cfg.local_location = 16;
		CHECK_INT(cwc_call_new(&c, &cfg), -ERANGE);
		CHECK(c == NULL);
	}
}

/* ---- The table itself ---- */

static void test_table(void)
{
	struct cwc_call_row_info row;

	CHECK(cwc_call_row_count() < sizeof(row_hit));
	for (size_t i = 0; i < cwc_call_row_count(); i++) {
		CHECK_INT(cwc_call_row_at(i, &row), 0);
		CHECK(row.clause && row.clause[0]);
		CHECK(row.action != NULL);
		CHECK(row.state == CWC_CS_ANY || cwc_call_state_name((enum cwc_call_state)row.state));
		CHECK(row.next == CWC_CS_SAME || cwc_call_state_name((enum cwc_call_state)row.next));
		CHECK(cwc_call_event_name(row.event) != NULL);
		/* a row without a guard must be the last for its state and event */
		if (!row.guard) {
			for (size_t j = i + 1; j < cwc_call_row_count(); j++) {
				struct cwc_call_row_info later;
				cwc_call_row_at(j, &later);
				if (later.state == row.state && later.event == row.event) {
					fprintf(stderr, "row %zu shadows row %zu\n", i, j);
					CHECK(0);
				}
			}
		}
	}
	CHECK_INT(cwc_call_row_at(cwc_call_row_count(), &row), -ERANGE);
	for (int t = 0; t < CWC_TIMER_COUNT; t++) {
		const struct cwc_call_timer_info *ti = cwc_call_timer_info((enum cwc_call_timer)t);
		/* off unless configured: MAX-DURATION (max_call_seconds), the RFC 4028 pair */
		CHECK(ti && ti->timer == (enum cwc_call_timer)t && ti->clause &&
		      (ti->default_ms > 0) == (t != CWC_TIMER_MAX_DURATION &&
		                               t != CWC_TIMER_SESSION_REFRESH &&
		                               t != CWC_TIMER_SESSION_EXPIRY));
	}
	CHECK_INT(cwc_call_timer_info(CWC_TIMER_T310)->default_ms, 30000);
	CHECK(cwc_call_timer_info(CWC_TIMER_T301)->default_ms >= 180000);
	/* the live states all can be left */
	for (int s = 0; s < CWC_CS_DONE; s++) {
		int leaves = 0;
		for (size_t i = 0; i < cwc_call_row_count(); i++) {
			cwc_call_row_at(i, &row);
			if (row.state == s && row.next != CWC_CS_SAME && row.next != s)
				leaves = 1;
		}
		if (!CHECK(leaves))
			fprintf(stderr, "  state %s cannot be left\n", cwc_call_state_name((enum cwc_call_state)s));
	}
}

/* ---- Every row: drive a call to the row's state, then try event variants ---- */

struct tev {
	enum cwc_call_event_type type;
	int status, cause, pi, timer, reject, sdp;
	int more; /* more_routes, has_contact, more_spans */
	int overlap; /* 2: overlap with overlap_invite (RFC 3578 §3.2) */
};

#define E(t) { CWC_EV_##t, 0, 0, 0, 0, 0, 0, 0, 0 }
#define ES(t, st) { CWC_EV_##t, st, 0, 0, 0, 0, 0, 0, 0 }
#define EC(t, c) { CWC_EV_##t, 0, c, 0, 0, 0, 0, 0, 0 }
#define END { CWC_EV_COUNT, 0, 0, 0, 0, 0, 0, 0, 0 }

struct path {
	enum cwc_call_state state;
	enum cwc_call_dir dir;
	int early;
	struct tev ev[4];
};

static const struct path paths[] = {
	{ CWC_CS_NULL, CWC_CALL_FROM_SIP, 0, { END } },
	{ CWC_CS_NULL, CWC_CALL_FROM_ISDN, 0, { END } },
	{ CWC_CS_S_U1_INITIATED, CWC_CALL_FROM_SIP, 0, { E(SIP_INVITE), END } },
	{ CWC_CS_S_U1_INITIATED, CWC_CALL_FROM_SIP, 1, { E(SIP_INVITE), END } },
	{ CWC_CS_S_U3_PROCEEDING, CWC_CALL_FROM_SIP, 0, { E(SIP_INVITE), E(ISDN_PROCEEDING), END } },
	{ CWC_CS_S_U3_PROCEEDING, CWC_CALL_FROM_SIP, 1, { E(SIP_INVITE), E(ISDN_PROCEEDING), END } },
	{ CWC_CS_S_U3_PROGRESSING, CWC_CALL_FROM_SIP, 0,
	  { E(SIP_INVITE), { CWC_EV_ISDN_PROGRESS, 0, 0, 8, 0, 0, 0, 0, 0 }, END } },
	{ CWC_CS_S_U3_EARLY_RELEASE, CWC_CALL_FROM_SIP, 1,
	  { E(SIP_INVITE), { CWC_EV_ISDN_PROGRESS, 0, 17, 8, 0, 0, 0, 0, 0 }, END } },
	{ CWC_CS_S_U12_EARLY_RELEASE, CWC_CALL_FROM_SIP, 1,
	  { E(SIP_INVITE), { CWC_EV_ISDN_DISCONNECT, 0, 17, 8, 0, 0, 0, 0, 0 }, END } },
	{ CWC_CS_S_U4_DELIVERED, CWC_CALL_FROM_SIP, 0, { E(SIP_INVITE), E(ISDN_ALERTING), END } },
	{ CWC_CS_S_U4_DELIVERED, CWC_CALL_FROM_SIP, 1, { E(SIP_INVITE), E(ISDN_ALERTING), END } },
	{ CWC_CS_S_U3_PROGRESSING, CWC_CALL_FROM_SIP, 1,
	  { E(SIP_INVITE), { CWC_EV_ISDN_PROGRESS, 0, 0, 8, 0, 0, 0, 0, 0 }, END } },
	{ CWC_CS_S_U10_WAIT_ACK, CWC_CALL_FROM_SIP, 0, { E(SIP_INVITE), E(ISDN_CONNECT), END } },
	{ CWC_CS_I_U25_OVERLAP, CWC_CALL_FROM_ISDN, 0,
	  { { CWC_EV_ISDN_SETUP, 0, 0, 0, 0, 0, 0, 0, 1 }, END } },
	{ CWC_CS_I_U25_OVERLAP_INVITE, CWC_CALL_FROM_ISDN, 0,
	  { { CWC_EV_ISDN_SETUP, 0, 0, 0, 0, 0, 0, 0, 2 }, END } },
	{ CWC_CS_I_U25_OVERLAP, CWC_CALL_FROM_ISDN, 0,
	  { { CWC_EV_ISDN_SETUP, 0, 0, 0, 0, 0, 0, 0, 2 }, ES(SIP_FINAL_ERROR, 484), END } },
	{ CWC_CS_I_U9_CALLING, CWC_CALL_FROM_ISDN, 0, { E(ISDN_SETUP), END } },
	{ CWC_CS_I_U9_PROCEEDING, CWC_CALL_FROM_ISDN, 0, { E(ISDN_SETUP), ES(SIP_1XX, 100), END } },
	{ CWC_CS_I_U9_PROGRESSING, CWC_CALL_FROM_ISDN, 0, { E(ISDN_SETUP), ES(SIP_1XX, 183), END } },
	{ CWC_CS_I_U7_RECEIVED, CWC_CALL_FROM_ISDN, 0, { E(ISDN_SETUP), ES(SIP_1XX, 180), END } },
	{ CWC_CS_I_U9_PROGRESSING, CWC_CALL_FROM_ISDN, 1,
	  { E(ISDN_SETUP), { CWC_EV_SIP_1XX, 183, 0, 0, 0, 0, 1, 0, 0 }, END } },
	{ CWC_CS_I_U7_RECEIVED, CWC_CALL_FROM_ISDN, 1,
	  { E(ISDN_SETUP), { CWC_EV_SIP_1XX, 180, 0, 0, 0, 0, 1, 0, 0 }, END } },
	{ CWC_CS_U10_ACTIVE, CWC_CALL_FROM_ISDN, 0, { E(ISDN_SETUP), ES(SIP_2XX, 200), END } },
	{ CWC_CS_U10_ACTIVE, CWC_CALL_FROM_SIP, 0,
	  { E(SIP_INVITE), E(ISDN_CONNECT), E(SIP_ACK), END } },
	{ CWC_CS_C_U11, CWC_CALL_FROM_ISDN, 0, { E(ISDN_SETUP), ES(SIP_FINAL_ERROR, 486), END } },
	{ CWC_CS_C_U19, CWC_CALL_FROM_SIP, 0, { E(SIP_INVITE), EC(ISDN_DISCONNECT, 17), END } },
	{ CWC_CS_C_CANCEL, CWC_CALL_FROM_ISDN, 0, { E(ISDN_SETUP), E(ISDN_RELEASE), END } },
	{ CWC_CS_C_CANCEL_U11, CWC_CALL_FROM_ISDN, 0, { E(ISDN_SETUP), E(ADMIN_RELEASE), END } },
	{ CWC_CS_C_CANCEL_U19, CWC_CALL_FROM_ISDN, 0, { E(ISDN_SETUP), E(ISDN_DISCONNECT), END } },
	{ CWC_CS_C_ACKWAIT, CWC_CALL_FROM_SIP, 0,
	  { E(SIP_INVITE), E(ISDN_CONNECT), E(ISDN_RELEASE), END } },
	{ CWC_CS_C_ACKWAIT_U11, CWC_CALL_FROM_SIP, 0,
	  { E(SIP_INVITE), E(ISDN_CONNECT), E(ADMIN_RELEASE), END } },
	{ CWC_CS_C_ACKWAIT_U19, CWC_CALL_FROM_SIP, 0,
	  { E(SIP_INVITE), E(ISDN_CONNECT), E(ISDN_DISCONNECT), END } },
};

static void tev_to_event(const struct tev *t, struct cwc_call_event *ev)
{
	cwc_call_event_init(ev, t->type, 100);
	ev->status = t->status;
	ev->cause = t->cause;
	ev->pi_mask = t->pi ? CWC_PI(t->pi) : 0;
	ev->timer = (enum cwc_call_timer)t->timer;
	ev->reject_cause = t->reject;
	ev->has_sdp = t->sdp;
	ev->overlap = t->overlap != 0;
	ev->overlap_invite = t->overlap == 2;
	ev->more_routes = ev->has_contact = ev->more_spans = t->more;
	if (t->type == CWC_EV_SIP_2XX && !ev->status)
		ev->status = 200;
	if (t->type == CWC_EV_SIP_1XX && !ev->status)
		ev->status = 100;
	if (t->type == CWC_EV_SIP_FINAL_ERROR && !ev->status)
		ev->status = 486;
}

/* Variants of an event that between them satisfy every guard. */
static size_t variants(enum cwc_call_event_type type, struct tev *v)
{
	size_t n = 0;
	struct tev base = { type, 0, 0, 0, 0, 0, 0, 0, 0 };

	switch (type) {
	case CWC_EV_SIP_1XX:
		for (int s = 0; s < 4; s++) {
			static const int st[] = { 100, 180, 183, 199 };
			v[n] = base;
			v[n++].status = st[s];
		}
		break;
	case CWC_EV_ISDN_PROGRESS:
		v[n] = base; v[n++].pi = 2;
		v[n] = base; v[n++].pi = 8;
		v[n] = base; v[n].pi = 8; v[n++].cause = 17;
		break;
	case CWC_EV_ISDN_DISCONNECT:
	case CWC_EV_ISDN_RELEASE:
	case CWC_EV_ISDN_RELEASE_COMPLETE:
		v[n] = base; v[n++].cause = 16;
		v[n] = base; v[n++].cause = 44;
		v[n] = base; v[n].more = 1; v[n++].cause = 34;
		v[n] = base; v[n].pi = 8; v[n++].cause = 17;
		break;
	case CWC_EV_SIP_FINAL_ERROR:
		v[n++] = base;
		v[n] = base; v[n].more = 1; v[n++].status = 503;
		v[n] = base; v[n].more = 1; v[n++].status = 302;
		v[n] = base; v[n++].status = 484;
		break;
	case CWC_EV_SIP_INVITE_TIMEOUT:
	case CWC_EV_SIP_TRANSPORT_ERROR:
		v[n++] = base;
		v[n] = base; v[n++].more = 1;
		break;
	case CWC_EV_TIMER_EXPIRED:
		for (int t = 0; t < CWC_TIMER_COUNT; t++) {
			v[n] = base;
			v[n++].timer = t;
			v[n] = base;
			v[n].more = 1; /* another target (failover on the supervision) */
			v[n++].timer = t;
		}
		v[n] = base; /* T302: the number incomplete */
		v[n].timer = CWC_TIMER_T302;
		v[n++].reject = 28;
		break;
	case CWC_EV_ISDN_INFORMATION:
		v[n++] = base;
		v[n] = base; v[n++].overlap = 1;
		v[n] = base; v[n++].overlap = 2;
		v[n] = base; v[n++].reject = 28;
		break;
	case CWC_EV_SIP_INVITE:
	case CWC_EV_ISDN_SETUP:
		v[n++] = base;
		v[n] = base; v[n++].reject = 34;
		v[n] = base; v[n++].overlap = 1;
		v[n] = base; v[n++].overlap = 2;
		break;
	default:
		v[n++] = base;
		break;
	}
	return n;
}

static void test_every_row(void)
{
	struct cwc_call_action out[CWC_CALL_ACTIONS_MAX];
	unsigned char hit[1024] = { 0 };
	unsigned missed = 0;

	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
		for (int type = 0; type < CWC_EV_COUNT; type++) {
			struct tev v[2 * CWC_TIMER_COUNT + 5];
			size_t nv = variants((enum cwc_call_event_type)type, v);

			for (size_t k = 0; k < nv; k++) {
				struct cwc_call_config cfg;
				struct cwc_call *call = NULL;
				struct cwc_call_event ev;
				size_t n;
				long r;

				cwc_call_config_init(&cfg, paths[p].dir);
				cfg.early_release = paths[p].early;
				cfg.timer_ms[CWC_TIMER_MAX_DURATION] = 3600000;
				cfg.timer_ms[CWC_TIMER_SESSION_REFRESH] = 45000;
				cfg.timer_ms[CWC_TIMER_SESSION_EXPIRY] = 90000;
				if (cwc_call_new(&call, &cfg) != 0)
					continue;
				for (const struct tev *t = paths[p].ev; t->type != CWC_EV_COUNT; t++) {
					tev_to_event(t, &ev);
					CHECK_INT(cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, &n), 0);
				}
				CHECK_INT(cwc_call_state(call), paths[p].state);
				tev_to_event(&v[k], &ev);
				if (cwc_call_handle(call, &ev, out, CWC_CALL_ACTIONS_MAX, &n) == 0) {
					CHECK(row_cause_ok(call, &ev, out, n));
					r = cwc_call_last_row(call);
					if (r >= 0 && (size_t)r < sizeof(hit))
						hit[r] = row_hit[r] = 1;
				}
				cwc_call_free(call);
			}
		}
	}
	for (size_t i = 0; i < cwc_call_row_count(); i++) {
		struct cwc_call_row_info row;

		if (hit[i])
			continue;
		cwc_call_row_at(i, &row);
		fprintf(stderr, "row %zu not reached by the row walk: %s %s %s\n", i,
		        row.state == CWC_CS_ANY ? "ANY" : cwc_call_state_name((enum cwc_call_state)row.state),
		        cwc_call_event_name(row.event), row.guard ? row.guard : "-");
		missed++;
	}
	CHECK_INT(missed, 0);
}

/* ---- A random walk ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static int action_ok(const struct cwc_call_action *a, unsigned *timers)
{
	switch (a->type) {
	case CWC_ACT_SIP_PROVISIONAL:
		return a->status == 100 || a->status == 180 || a->status == 183;
	case CWC_ACT_SIP_200_OK:
		return a->status == 200;
	case CWC_ACT_SIP_FINAL_ERROR:
		if (a->status < 300 || a->status > 699)
			return 0;
		break;
	case CWC_ACT_ISDN_DISCONNECT:
	case CWC_ACT_ISDN_RELEASE:
	case CWC_ACT_ISDN_RELEASE_COMPLETE:
	case CWC_ACT_ISDN_SETUP_RETRY:
		if (a->cause < 1 || a->cause > 127)
			return 0;
		break;
	case CWC_ACT_TIMER_START:
		if ((unsigned)a->timer >= CWC_TIMER_COUNT || a->timer_ms == 0 || (*timers & (1u << a->timer)))
			return 0;
		*timers |= 1u << a->timer;
		break;
	case CWC_ACT_TIMER_STOP:
		if ((unsigned)a->timer >= CWC_TIMER_COUNT || !(*timers & (1u << a->timer)))
			return 0;
		*timers &= ~(1u << a->timer);
		break;
	case CWC_ACT_CALL_FINISHED:
		return *timers == 0;
	default:
		if ((unsigned)a->type >= CWC_ACT_COUNT)
			return 0;
		break;
	}
	if (a->location < CW_LOCATION_UNKNOWN || a->location > 15)
		return 0;
	if (!memchr(a->reason, '\0', sizeof(a->reason)))
		return 0;
	if (a->reason[0]) {
		cw_reason values[4];
		char text[256];
		cw_reason_list list;
		const cw_reason *q;

		cw_reason_list_init(&list, values, 4, text, sizeof(text));
		if (cw_reason_list_parse(&list, a->reason, strlen(a->reason)) != 0 || list.count != 1)
			return 0;
		q = cw_reason_list_find(&list, CW_REASON_Q850);
		if (!q || q->cause != a->cause)
			return 0;
	}
	return 1;
}

static const char *const fuzz_reasons[] = {
	"Q.850;cause=21;text=\"Call rejected\"",
	"Q.850;cause=17, SIP;cause=486",
	"SIP;cause=200;text=\"Call completed elsewhere\"",
	"Q.850;cause=999",
	"garbage;;;=\"",
	"Q.850 ; cause = 34 ; location = LN",
};

static void test_random_walk(void)
{
	static const int causes[] = { 0, 16, 17, 21, 22, 34, 44, 102, 127 };
	static const int finals[] = { 302, 404, 408, 480, 486, 487, 488, 503, 603, 699 };
	struct cwc_call *call = NULL;
	struct cwc_call_action out[CWC_CALL_ACTIONS_MAX];
	unsigned timers = 0, bad = 0, accepted = 0, finished = 0;
	uint64_t now = 0;

	for (int i = 0; i < 100000; i++) {
		struct cwc_call_event ev;
		size_t n = 0, cap;
		int rc, type;

		if (!call) {
			struct cwc_call_config cfg;
			cwc_call_config_init(&cfg, rnd(2) ? CWC_CALL_FROM_ISDN : CWC_CALL_FROM_SIP);
			cfg.early_release = (int)rnd(2);
			cfg.pri_net = (int)rnd(2);
			cfg.timer_ms[CWC_TIMER_MAX_DURATION] = rnd(2) ? 60000 : 0;
			if (rnd(2)) {
				cfg.timer_ms[CWC_TIMER_SESSION_REFRESH] = rnd(2) ? 45000 : 0;
				cfg.timer_ms[CWC_TIMER_SESSION_EXPIRY] = 60000;
			}
			if (cwc_call_new(&call, &cfg) != 0)
				break;
			timers = 0;
		}
		/* the first event usually creates the call; timers come back often */
		if (cwc_call_state(call) == CWC_CS_NULL && rnd(4))
			type = cwc_call_dir(call) == CWC_CALL_FROM_SIP ? CWC_EV_SIP_INVITE : CWC_EV_ISDN_SETUP;
		else if (timers && rnd(4) == 0)
			type = CWC_EV_TIMER_EXPIRED;
		else
			type = (int)rnd(CWC_EV_COUNT);
		now += rnd(5000);
		cwc_call_event_init(&ev, (enum cwc_call_event_type)type, now);
		switch (type) {
		case CWC_EV_SIP_1XX: ev.status = 100 + (int)rnd(100); ev.has_sdp = (int)rnd(2); break;
		case CWC_EV_SIP_2XX: ev.status = 200 + (int)rnd(100); break;
		case CWC_EV_SIP_FINAL_ERROR:
			ev.status = rnd(2) ? finals[rnd(10)] : 300 + (int)rnd(400);
			ev.warning = rnd(3) ? 0 : 304;
			break;
		case CWC_EV_TIMER_EXPIRED: {
			int t = (int)rnd(CWC_TIMER_COUNT);
			for (int k = 0; k < CWC_TIMER_COUNT && timers && !(timers & (1u << t)); k++)
				t = (t + 1) % CWC_TIMER_COUNT;
			ev.timer = (enum cwc_call_timer)t;
			break;
		}
		case CWC_EV_SIP_INVITE:
		case CWC_EV_ISDN_SETUP:
			snprintf(ev.called.digits, sizeof(ev.called.digits), "%u", rnd(100000));
			ev.reject_cause = rnd(5) ? 0 : (int)(1 + rnd(127));
			ev.overlap = rnd(3) == 0;
			ev.overlap_invite = ev.overlap && rnd(2);
			break;
		case CWC_EV_ISDN_INFORMATION:
			snprintf(ev.called.digits, sizeof(ev.called.digits), "%u", rnd(100000));
			ev.overlap = (int)rnd(2);
			ev.overlap_invite = ev.overlap && rnd(2);
			ev.reject_cause = rnd(4) ? 0 : 28;
			break;
		default: break;
		}
		ev.cause = rnd(2) ? causes[rnd(9)] : (int)rnd(128);
		ev.more_routes = (int)rnd(2);
		ev.has_contact = (int)rnd(2);
		ev.more_spans = (int)rnd(2);
		ev.location = (int)rnd(17) - 1;
		ev.pi_mask = rnd(2) ? CWC_PI(rnd(11)) : 0;
		if (rnd(8) == 0) {
			ev.has_diagnostic = 1;
			snprintf(ev.diagnostic, sizeof(ev.diagnostic), "%u", rnd(1000000));
		}
		if (rnd(3) == 0) {
			const char *r = fuzz_reasons[rnd(6)];
			ev.reasons[0].ptr = r;
			ev.reasons[0].len = strlen(r);
			ev.nreasons = 1;
		}
		cap = rnd(10) == 0 ? rnd(3) : CWC_CALL_ACTIONS_MAX;
		rc = cwc_call_handle(call, &ev, out, cap, &n);
		if (rc == 0) {
			accepted++;
			note_row(call);
			if (n > cap || !row_cause_ok(call, &ev, out, n))
				bad++;
			for (size_t k = 0; k < n; k++) {
				if (!action_ok(&out[k], &timers)) {
					char line[512];
					cwc_call_action_format(&out[k], line, sizeof(line));
					if (bad < 5)
						fprintf(stderr, "random walk: bad action %s\n", line);
					bad++;
				}
				if (out[k].type == CWC_ACT_CALL_FINISHED) {
					finished++;
					if (k + 1 != n || cwc_call_state(call) != CWC_CS_DONE)
						bad++;
				}
			}
		} else if (rc != CWC_CALL_ESTATE && rc != -ENOSPC) {
			bad++;
		}
		if (cwc_call_state(call) == CWC_CS_DONE || rnd(200) == 0) {
			cwc_call_free(call);
			call = NULL;
		}
	}
	cwc_call_free(call);
	CHECK_INT(bad, 0);
	CHECK(accepted > 10000);
	CHECK(finished > 1000);
	printf("random walk: %u accepted, %u calls finished\n", accepted, finished);
}

static void test_rows_hit(void)
{
	struct cwc_call_row_info row;
	unsigned missed = 0;

	for (size_t i = 0; i < cwc_call_row_count(); i++) {
		if (row_hit[i])
			continue;
		cwc_call_row_at(i, &row);
		fprintf(stderr, "row %zu not exercised: %s %s %s -> %s\n", i,
		        row.state == CWC_CS_ANY ? "ANY" : cwc_call_state_name((enum cwc_call_state)row.state),
		        cwc_call_event_name(row.event), row.guard ? row.guard : "-", row.action);
		missed++;
	}
	CHECK_INT(missed, 0);
	printf("table: %zu rows, all exercised: %s\n", cwc_call_row_count(), missed ? "no" : "yes");
}

int main(void)
{
	test_table();
	test_scenarios();
	test_reject_and_cap();
	test_cause_sweep();
	test_status_sweep();
	test_every_row();
	test_random_walk();
	test_rows_hit();
	return check_done();
}
