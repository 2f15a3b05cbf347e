/* SPDX-License-Identifier: MIT */
/*
 * test_sim_cpe.c — test driver (tests only): connects to causeway-pstn-sim's
 * span socket as libpri PRI_CPE, places one call per rule action of the
 * rules file written by test_sim.py, checks what comes back (messages,
 * cause, and the location and diagnostic of the Cause IE on the wire),
 * then accepts the calls the simulator originates on command.
 *
 * The calls carry a calling name and presentation / screening per scenario; the
 * incoming ones are printed with theirs (names travel only for some switch
 * types: -w SWITCHTYPE, as the simulator's --switchtype).
 *
 * Output: "ok NUMBER ..." / "FAIL NUMBER: why" lines, "outgoing-done" once the
 * outgoing calls are finished, "incoming ..." per incoming call and "incoming
 * cleared ..." per clearing of one. Exit 0 when every check passed.
 */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <causeway/q850.h>

#include "span_impl.h" /* a libpri CPE of its own */

/* What the driver does and expects for one called number (rules in test_sim.py). */
struct scenario {
	const char *called;
	int want_ringing, want_progress, want_answer;
	int driver_hangup_cause;    /* > 0: the driver clears after ANSWER with this cause */
	int driver_hangup_location; /* -1 = libpri's LPN */
	int want_cause, want_location; /* > 0: network clears with this cause / location */
	long min_ms;                /* network clearing not earlier than this after SETUP */
	int pres;                   /* calling number presentation | screening (Q.931 §4.5.10) */
	const char *name;           /* calling name, NULL = none */
	const char *want_diag;      /* cause 22's new number expected in the diagnostic, or NULL */
};

static const struct scenario scenarios[] = {
	/* answer 50 -> driver clears 16 at U (rewritten by the driver); caller "Alice", screened */
	{ "100", 0, 0, 1, 16, CW_LOC_U, 0, -1, 0, PRES_ALLOWED_USER_NUMBER_PASSED_SCREEN, "Alice",
	  NULL },
	/* alert 30 then answer 30 -> driver clears 16 (LPN, libpri's); restricted, "Bob" */
	{ "200", 1, 0, 1, 16, -1, 0, -1, 0, PRES_PROHIB_USER_NUMBER_NOT_SCREENED, "Bob", NULL },
	/* reject 17 location LN */
	{ "300", 0, 0, 0, 0, -1, 17, CW_LOC_LN, 0, 0, NULL, NULL },
	/* reject 21 location TN after-alert 30 */
	{ "400", 1, 0, 0, 0, -1, 21, CW_LOC_TN, 25, 0, NULL, NULL },
	/* progress-then-clear 1 location RLN 50 */
	{ "500", 0, 1, 0, 0, -1, 1, CW_LOC_RLN, 45, 0, NULL, NULL },
	/* 6* talk 0.2 then clear 16 location LN */
	{ "6001", 0, 0, 1, 0, -1, 16, CW_LOC_LN, 190, 0, NULL, NULL },
	/* reject 22 location LN diagnostic 4930777: the new number in the Cause IE; network
	   provided number */
	{ "700", 0, 0, 0, 0, -1, 22, CW_LOC_LN, 0, PRES_ALLOWED_NETWORK_NUMBER, NULL, "4930777" },
	/* default: reject 1 location INTL */
	{ "999", 0, 0, 0, 0, -1, 1, CW_LOC_INTL, 0, 0, NULL, NULL },
};

struct state {
	const struct scenario *sc;
	q931_call *call;
	int cref;
	int proceeding, ringing, progress_inband, answered;
	int cause, location, done;
	uint8_t diag[CWI_Q931_DIAG_MAX];
	size_t diag_len;
	long t_setup, t_clear;
};

static struct cwi_span *span;
static struct state cur;
static int up, failures, incoming_done, incoming_seen;

/* libpri reuses q931_call memory: a finished call's pointer may come back. */
static int is_current(q931_call *call)
{
	return cur.call && call == cur.call && !cur.done;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Q.931 §4.5.10 octet 3a: presentation indicator (bits 7-6) and screening (bits 2-1). */
static const char *pres_name(int pres)
{
	switch (pres & PRI_PRES_RESTRICTION) {
	case PRI_PRES_ALLOWED: return "allowed";
	case PRI_PRES_RESTRICTED: return "restricted";
	default: return "unavailable";
	}
}

static const char *screening_name(int pres)
{
	static const char *const n[] = { "unscreened", "passed", "failed", "network" };

	return n[pres & PRI_PRES_NUMBER_TYPE];
}

static void on_event(struct cwi_span *sp, pri_event *ev, void *arg)
{
	struct pri *pri = cwi_span_pri(sp);
	int loc = -1;

	(void)arg;
	switch (ev->e) {
	case PRI_EVENT_DCHAN_UP:
		up = 1;
		break;
	case PRI_EVENT_DCHAN_DOWN:
		up = 0;
		break;
	case PRI_EVENT_PROCEEDING:
		cur.proceeding = 1;
		cur.cref = ev->proceeding.cref;
		break;
	case PRI_EVENT_RINGING:
		cur.ringing = 1;
		break;
	case PRI_EVENT_PROGRESS:
		if (ev->proceeding.progressmask & PRI_PROG_INBAND_AVAILABLE)
			cur.progress_inband = 1;
		break;
	case PRI_EVENT_ANSWER:
		cur.answered = 1;
		if (cur.sc && cur.sc->driver_hangup_cause > 0) {
			if (cur.sc->driver_hangup_location >= 0)
				cwi_span_set_cause_location(sp, ev->answer.cref, cur.sc->driver_hangup_location);
			pri_hangup(pri, ev->answer.call, cur.sc->driver_hangup_cause);
		}
		break;
	case PRI_EVENT_RING:
		/* A call from the simulator: check it, then proceed, alert, answer. */
		incoming_seen++;
		printf("incoming called=%s calling=%s pres=%s screening=%s name=%s cref=%d\n",
		       ev->ring.callednum, ev->ring.callingnum, pres_name(ev->ring.callingpres),
		       screening_name(ev->ring.callingpres),
		       ev->ring.callingname[0] ? ev->ring.callingname : "(none)", ev->ring.cref);
		pri_proceeding(pri, ev->ring.call, ev->ring.channel, 0);
		pri_acknowledge(pri, ev->ring.call, ev->ring.channel, 0);
		pri_answer(pri, ev->ring.call, ev->ring.channel, 0);
		break;
	case PRI_EVENT_HANGUP_REQ:
		/* DISCONNECT from the network: the location comes from the wire. */
		(void)cwi_span_received_cause(sp, ev->hangup.cref, NULL, &loc, NULL);
		if (is_current(ev->hangup.call)) {
			cur.cause = ev->hangup.cause;
			cur.location = loc;
			cur.t_clear = now_ms();
			/* Q.850 §2.2.8: the diagnostic, decoded from the wire by the span adapter */
			cur.diag_len = cwi_span_received_diagnostic(sp, ev->hangup.cref, cur.diag,
			                                           sizeof(cur.diag));
		} else {
			uint8_t diag[CWI_Q931_DIAG_MAX];
			char num[CWI_Q931_DIAG_MAX];
			size_t nd = cwi_span_received_diagnostic(sp, ev->hangup.cref, diag, sizeof(diag));

			/* Q.850 Table 2: cause 22's new number, when the diagnostic holds one */
			printf("incoming cleared cause=%d location=%s diagnostic=%s\n", ev->hangup.cause,
			       loc >= 0 ? cw_location_name(loc) : "none",
			       cwi_q931_diag_new_number(diag, nd, num, sizeof(num)) == 0 ? num : "none");
		}
		pri_hangup(pri, ev->hangup.call, ev->hangup.cause);
		break;
	case PRI_EVENT_HANGUP:
		pri_hangup(pri, ev->hangup.call, ev->hangup.cause);
		if (is_current(ev->hangup.call))
			cur.done = 1;
		else
			incoming_done++;
		break;
	case PRI_EVENT_HANGUP_ACK:
		if (is_current(ev->hangup.call))
			cur.done = 1;
		else
			incoming_done++;
		break;
	default:
		break;
	}
	fflush(stdout);
}

static void on_lost(struct cwi_span *sp, void *arg)
{
	(void)sp;
	(void)arg;
	printf("FAIL span: D-channel source lost\n");
	failures++;
	exit(1);
}

/* Drives the span until *flag or timeout. */
static int run_until(const int *flag, int at_least, long timeout_ms)
{
	long end = now_ms() + timeout_ms;

	while (*flag < at_least && now_ms() < end) {
		struct pollfd p = { .fd = cwi_span_fd(span), .events = POLLIN };
		int t = cwi_span_next_timeout_ms(span, NULL);

		if (t < 0 || t > 20)
			t = 20;
		(void)poll(&p, 1, t);
		if (p.revents)
			cwi_span_on_readable(span);
		cwi_span_run_timers(span);
	}
	return *flag >= at_least;
}

#define EXPECT(cond, ...) do { \
	if (!(cond)) { \
		printf("FAIL %s: ", sc->called); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		bad++; \
	} \
} while (0)

static void place(const struct scenario *sc, int channel)
{
	struct pri *pri = cwi_span_pri(span);
	struct pri_sr *sr = pri_sr_new();
	char called[32], calling[] = "4930555", name[32];
	int bad = 0;

	memset(&cur, 0, sizeof(cur));
	cur.sc = sc;
	cur.location = -1;
	snprintf(called, sizeof(called), "%s", sc->called);
	cur.call = pri_new_call(pri);
	pri_sr_set_channel(sr, channel, 0, 0);
	pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH, PRI_LAYER_1_ALAW);
	pri_sr_set_called(sr, called, PRI_UNKNOWN, 1);
	snprintf(name, sizeof(name), "%s", sc->name ? sc->name : "");
	pri_sr_set_caller(sr, calling, sc->name ? name : NULL, PRI_UNKNOWN, sc->pres);
	cur.t_setup = now_ms();
	if (pri_setup(pri, cur.call, sr) != 0) {
		printf("FAIL %s: pri_setup\n", sc->called);
		failures++;
		pri_sr_free(sr);
		return;
	}
	pri_sr_free(sr);
	run_until(&cur.done, 1, 5000);
	cur.call = NULL;
	EXPECT(cur.done, "call not finished within 5 s");
	EXPECT(cur.proceeding, "no CALL PROCEEDING");
	EXPECT(cur.ringing == sc->want_ringing, "ALERTING %s", cur.ringing ? "unexpected" : "missing");
	EXPECT(cur.progress_inband == sc->want_progress, "PROGRESS PI 8 %s",
	       cur.progress_inband ? "unexpected" : "missing");
	EXPECT(cur.answered == sc->want_answer, "CONNECT %s", cur.answered ? "unexpected" : "missing");
	if (sc->want_cause > 0) {
		EXPECT(cur.cause == sc->want_cause, "cause %d, want %d", cur.cause, sc->want_cause);
		EXPECT(cur.location == sc->want_location, "location %d, want %d", cur.location,
		       sc->want_location);
		EXPECT(cur.t_clear - cur.t_setup >= sc->min_ms, "cleared after %ld ms, want >= %ld",
		       cur.t_clear - cur.t_setup, sc->min_ms);
	}
	if (sc->want_diag) {
		/* Q.850 Table 2, cause 22: the new number as a Called party number IE */
		uint8_t want[CWI_Q931_DIAG_MAX];
		char got[CWI_Q931_DIAG_MAX] = "";
		int wn = cwi_q931_diag_encode_new_number(sc->want_diag, want, sizeof(want));

		EXPECT(wn > 0 && cur.diag_len == (size_t)wn && memcmp(cur.diag, want, cur.diag_len) == 0,
		       "diagnostic of %zu octets, not 70 %02x 81 %s", cur.diag_len, wn - 2,
		       sc->want_diag);
		EXPECT(cwi_q931_diag_new_number(cur.diag, cur.diag_len, got, sizeof(got)) == 0 &&
		       strcmp(got, sc->want_diag) == 0, "new number '%s', want '%s'", got,
		       sc->want_diag);
	} else {
		EXPECT(cur.diag_len == 0, "unexpected diagnostic of %zu octets", cur.diag_len);
	}
	if (!bad)
		printf("ok %s cref=%d cause=%d location=%s%s%s\n", sc->called, cur.cref, cur.cause,
		       cur.location >= 0 ? cw_location_name(cur.location) : "none",
		       sc->want_diag ? " diagnostic=" : "", sc->want_diag ? sc->want_diag : "");
	failures += bad;
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	struct cwi_dchan *d;
	int incoming = 0, opt, r, sw = PRI_SWITCH_EUROISDN_E1;
	size_t i;
	long wait_end;

	while ((opt = getopt(argc, argv, "s:i:w:")) != -1) {
		if (opt == 's')
			path = optarg;
		else if (opt == 'i')
			incoming = atoi(optarg);
		else if (opt == 'w' && cwi_switchtype_from_name(optarg, &sw) == 0)
			;
		else {
			fprintf(stderr, "usage: test_sim_cpe -s SPAN_PATH [-i INCOMING] [-w SWITCHTYPE]\n");
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "usage: test_sim_cpe -s SPAN_PATH [-i INCOMING]\n");
		return 2;
	}
	/* The simulator may still be starting: retry the connect for 3 s. */
	for (wait_end = now_ms() + 3000; (r = cwi_dchan_socket_connect(path, &d)) < 0;) {
		if (now_ms() > wait_end) {
			printf("FAIL connect %s: %d\n", path, r);
			return 1;
		}
		usleep(20000);
	}
	if (cwi_span_new_libpri(&span, "cpe", PRI_CPE, sw, d, NULL, on_event, NULL) < 0) {
		printf("FAIL span\n");
		return 1;
	}
	cwi_span_set_lost_cb(span, on_lost);
	if (!run_until(&up, 1, 3000)) {
		printf("FAIL D-channel not up within 3 s\n");
		return 1;
	}
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		place(&scenarios[i], (int)i + 1);
	printf("outgoing-done\n");
	fflush(stdout);
	if (incoming > 0) {
		if (!run_until(&incoming_done, incoming, 8000)) {
			printf("FAIL incoming: %d of %d calls finished\n", incoming_done, incoming);
			failures++;
		}
	}
	printf("%s\n", failures ? "FAILED" : "PASSED");
	return failures ? 1 : 0;
}
