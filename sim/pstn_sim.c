/* SPDX-License-Identifier: MIT */
/*
 * causeway-pstn-sim — the PSTN for the demo and the tests: libpri (network
 * side by default) at the other end of a span socket, behaving per called
 * number as a rules file says, originating calls on command, and printing
 * one JSON line per finished call and per D-channel event. See README.md.
 *
 * One thread, one ppoll() loop (libpri is not thread-safe, libpri-libosip2.md §2).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <causeway/q850.h>

#include "span.h"
#include "rules.h"

#define MAX_CALLS 64
#define MAX_MSGS 48
#define MAX_CTL 8
#define CTL_LINE 512
#define E1_CHANNELS 31 /* timeslots 1..31, 16 is the D-channel (libpri-libosip2.md §1.5) */
#define NAME_MAX_SENT 15 /* calling name on command: 15 characters (the NI2 / ANSI T1.641 limit) */

enum stage {
	ST_NONE = 0,
	ST_ALERT,    /* send ALERTING at the deadline */
	ST_ANSWER,   /* send CONNECT at the deadline */
	ST_CLEAR     /* send DISCONNECT (cause, location) at the deadline */
};

struct sim_call {
	int used;
	int cref;            /* libpri form: CRV | 0x8000 when we originated */
	q931_call *call;
	int out;             /* originated by the simulator */
	int channel;
	int have_ring;
	char called[64], calling[64];
	int presentation;    /* received / sent calling number presentation and screening
	                        (Q.931 §4.5.10 octet 3a: PRI_PRES_* | PRI_PRES_NUMBER_TYPE bits) */
	char calling_name[128]; /* received / sent calling name, "" = none */
	const struct sim_rule *rule;
	enum stage stage;
	int64_t deadline;
	int clear_cause, clear_location;
	const char *clear_diag;  /* cause 22's new number for the clearing, NULL = none */
	uint16_t msgs[MAX_MSGS]; /* (tx << 8) | message type; 0x1ff = truncated */
	uint8_t msgs_pi[MAX_MSGS]; /* the message's first progress description, 0 = none */
	int n_msgs;
	int cause_rx, loc_rx, coding_rx;
	int cause_tx, loc_tx;
	char diag_tx[CW_Q931_DIAG_MAX]; /* the first sent clearing cause's new number, "" = none */
	int answered;
	int64_t t_setup, t_answer, t_end;
};

struct ctl_client {
	int fd;
	char buf[CTL_LINE];
	size_t len;
};

static struct {
	struct cw_span *span;
	int listen_fd;
	int ctl_fd;
	struct ctl_client ctl[MAX_CTL];
	struct sim_call calls[MAX_CALLS];
	int chan_busy[E1_CHANNELS + 1];
	struct sim_rules rules;
	FILE *report;
	FILE *tap;
	int node, switchtype;
	int up;
	int64_t t0;
	char timers[8][64];
	int n_timers;
	int debug;
} sim;

static volatile sig_atomic_t terminate;

/* Copies a NUL-terminated string into dst[size], cutting it if needed. */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t rel_ms(void)
{
	return mono_ms() - sim.t0;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* A string, or null when it is empty. */
static void json_str_or_null(FILE *f, const char *s)
{
	if (*s)
		json_str(f, s);
	else
		fputs("null", f);
}

/* Q.931 §4.5.10 octet 3a bits 2-1 (libpri's PRI_PRES_NUMBER_TYPE). */
static const char *screening_name(int pres)
{
	switch (pres & PRI_PRES_NUMBER_TYPE) {
	case PRI_PRES_USER_NUMBER_UNSCREENED: return "unscreened";
	case PRI_PRES_USER_NUMBER_PASSED_SCREEN: return "passed";
	case PRI_PRES_USER_NUMBER_FAILED_SCREEN: return "failed";
	default: return "network";
	}
}

static void json_int_or_null(FILE *f, const char *key, int present, long long v)
{
	if (present)
		fprintf(f, ",\"%s\":%lld", key, v);
	else
		fprintf(f, ",\"%s\":null", key);
}

static void json_loc(FILE *f, const char *key, int loc)
{
	const char *n = loc >= 0 ? cw_location_name(loc) : NULL;

	fprintf(f, ",\"%s\":", key);
	if (n)
		json_str(f, n);
	else
		fputs("null", f);
}

static void report_dchan(const char *state)
{
	fprintf(sim.report, "{\"event\":\"dchan\",\"state\":\"%s\",\"t_ms\":%lld}\n", state,
	        (long long)rel_ms());
	fflush(sim.report);
}

static void report_call(const struct sim_call *c, const char *end)
{
	FILE *f = sim.report;
	int i;

	fprintf(f, "{\"event\":\"call\",\"direction\":\"%s\",\"called\":", c->out ? "out" : "in");
	json_str(f, c->called);
	fputs(",\"calling\":", f);
	json_str(f, c->calling);
	fprintf(f, ",\"presentation\":\"%s\"",
	        (c->presentation & PRI_PRES_RESTRICTION) == PRI_PRES_ALLOWED ? "allowed" :
	        (c->presentation & PRI_PRES_RESTRICTION) == PRI_PRES_RESTRICTED ? "restricted" :
	        "unavailable");
	/* Q.931 §4.5.10 octet 3a bits 2-1: screening indicator */
	fprintf(f, ",\"screening\":\"%s\"", screening_name(c->presentation));
	fputs(",\"calling_name\":", f);
	json_str_or_null(f, c->calling_name);
	fprintf(f, ",\"cref\":%d,\"channel\":%d,\"rule\":", c->cref, c->channel);
	if (c->rule) {
		fprintf(f, "{\"line\":%d,\"action\":\"%s\"}", c->rule->line,
		        sim_action_name(c->rule->action));
	} else {
		fputs("null", f);
	}
	fputs(",\"messages\":[", f);
	for (i = 0; i < c->n_msgs; i++) {
		char m[48];

		if (c->msgs[i] == 0x1ff)
			snprintf(m, sizeof(m), "...");
		else
			snprintf(m, sizeof(m), "%c%s", (c->msgs[i] >> 8) ? '>' : '<',
			         cw_q931_msg_name(c->msgs[i] & 0xff));
		if (i)
			fputc(',', f);
		json_str(f, m);
	}
	fputc(']', f);
	/* the messages that carried a Progress indicator, with its description */
	fputs(",\"progress\":[", f);
	{
		int first = 1;

		for (i = 0; i < c->n_msgs; i++) {
			char m[48];

			if (c->msgs[i] == 0x1ff || !c->msgs_pi[i])
				continue;
			snprintf(m, sizeof(m), "%c%s %d", (c->msgs[i] >> 8) ? '>' : '<',
			         cw_q931_msg_name(c->msgs[i] & 0xff), c->msgs_pi[i]);
			if (!first)
				fputc(',', f);
			first = 0;
			json_str(f, m);
		}
	}
	fputc(']', f);
	json_int_or_null(f, "cause_received", c->cause_rx > 0, c->cause_rx);
	json_loc(f, "location_received", c->cause_rx > 0 ? c->loc_rx : -1);
	json_int_or_null(f, "cause_sent", c->cause_tx > 0, c->cause_tx);
	json_loc(f, "location_sent", c->cause_tx > 0 ? c->loc_tx : -1);
	fputs(",\"diagnostic_sent\":", f);
	json_str_or_null(f, c->diag_tx);
	fprintf(f, ",\"answered\":%s", c->answered ? "true" : "false");
	json_int_or_null(f, "t_setup_ms", 1, c->t_setup);
	json_int_or_null(f, "t_answer_ms", c->answered, c->t_answer);
	json_int_or_null(f, "t_end_ms", 1, c->t_end);
	fprintf(f, ",\"end\":\"%s\"}\n", end);
	fflush(f);
}

static struct sim_call *call_by_cref(int cref)
{
	int i;

	for (i = 0; i < MAX_CALLS; i++)
		if (sim.calls[i].used && sim.calls[i].cref == cref)
			return &sim.calls[i];
	return NULL;
}

static struct sim_call *call_by_ptr(q931_call *call)
{
	int i;

	for (i = 0; i < MAX_CALLS && call; i++)
		if (sim.calls[i].used && sim.calls[i].call == call)
			return &sim.calls[i];
	return NULL;
}

static struct sim_call *call_new(int cref)
{
	int i;

	for (i = 0; i < MAX_CALLS; i++) {
		struct sim_call *c = &sim.calls[i];

		if (!c->used) {
			memset(c, 0, sizeof(*c));
			c->used = 1;
			c->cref = cref;
			c->loc_rx = c->loc_tx = -1;
			c->clear_location = -1;
			c->t_setup = rel_ms();
			/* A new call may reuse a CRV: forget the previous one's Cause data. */
			cw_span_forget_cref(sim.span, cref);
			return c;
		}
	}
	return NULL;
}

static void call_end(struct sim_call *c, const char *end)
{
	c->t_end = rel_ms();
	report_call(c, end);
	if (c->channel > 0 && c->channel <= E1_CHANNELS)
		sim.chan_busy[c->channel] = 0;
	c->used = 0;
}

static int pick_channel(int wanted)
{
	int ch;

	if (wanted > 0 && wanted <= E1_CHANNELS && wanted != 16 && !sim.chan_busy[wanted])
		return wanted;
	for (ch = 1; ch <= E1_CHANNELS; ch++)
		if (ch != 16 && !sim.chan_busy[ch])
			return ch;
	return -1;
}

/* Every Q.931 message on the span, in wire order (received: before libpri). */
static void on_msg(struct cw_span *span, enum cw_span_dir dir, int cref,
                   const struct cw_q931_info *info, void *arg)
{
	struct sim_call *c;
	int clearing;

	(void)span;
	(void)arg;
	if (cref < 0 || info->crv == 0)
		return; /* dummy or global call reference (RESTART): no call */
	c = call_by_cref(cref);
	if (!c && dir == CW_SPAN_RX && info->msgtype == CW_Q931_SETUP)
		c = call_new(cref);
	if (!c)
		return;
	if (c->n_msgs < MAX_MSGS - 1) {
		c->msgs_pi[c->n_msgs] = (uint8_t)(info->has_progress ? info->progress_description : 0);
		c->msgs[c->n_msgs++] = (uint16_t)(((dir == CW_SPAN_TX) << 8) | (info->msgtype & 0xff));
	}
	else if (c->n_msgs == MAX_MSGS - 1)
		c->msgs[c->n_msgs++] = 0x1ff;
	/* Our SETUP as it went on the wire: libpri changes the screening for some switch
	 * types (DMS100, 4ESS: "network provided") and drops the name for others. */
	if (dir == CW_SPAN_TX && c->out && info->msgtype == CW_Q931_SETUP) {
		c->presentation = info->has_calling ? info->calling_pres : PRES_NUMBER_NOT_AVAILABLE;
		copy_str(c->calling_name, sizeof(c->calling_name),
		         info->has_display ? info->display : "");
	}
	/* The first Cause of the clearing (Q.931 §5.3): DISCONNECT, or RELEASE /
	 * RELEASE COMPLETE when clearing starts there. STATUS causes are not it. */
	clearing = info->msgtype == CW_Q931_DISCONNECT || info->msgtype == CW_Q931_RELEASE ||
	           info->msgtype == CW_Q931_RELEASE_COMPLETE;
	if (!clearing || !info->has_cause)
		return;
	if (dir == CW_SPAN_RX && c->cause_rx <= 0) {
		c->cause_rx = info->cause_value;
		c->loc_rx = info->cause_location;
		c->coding_rx = info->cause_coding;
	} else if (dir == CW_SPAN_TX && c->cause_tx <= 0) {
		c->cause_tx = info->cause_value;
		c->loc_tx = info->cause_location; /* after the rewrite: what went on the wire */
		/* Q.850 Table 2: cause 22's diagnostic is the new number; from the wire too */
		if (info->cause_value != 22 || info->cause_diag_len == 0 ||
		    cw_q931_diag_new_number(info->cause_diag, info->cause_diag_len, c->diag_tx,
		                            sizeof(c->diag_tx)) != 0)
			c->diag_tx[0] = '\0';
	}
}

/*
 * Clears the call with cause (location >= 0: rewritten on the wire). diag,
 * when non-NULL, is cause 22's new number (Q.850 Table 2): libpri sends no
 * diagnostic, so the span adapter adds it to the Cause IE of the clearing
 * messages. 0, or -1 when the diagnostic cannot be coded (nothing sent then).
 */
static int call_clear(struct sim_call *c, int cause, int location, const char *diag)
{
	uint8_t d[CW_Q931_CAUSE_IE_MAX];
	int n;

	if (diag && *diag) {
		n = cw_q931_diag_encode_new_number(diag, d, sizeof(d));
		if (n < 0 || cw_span_set_cause_diagnostic(sim.span, c->cref, cause, d, (size_t)n) < 0)
			return -1;
	}
	c->stage = ST_NONE;
	if (location >= 0)
		cw_span_set_cause_location(sim.span, c->cref, location);
	pri_hangup(cw_span_pri(sim.span), c->call, cause);
	return 0;
}

static void call_schedule(struct sim_call *c, enum stage st, long delay_ms)
{
	c->stage = st;
	c->deadline = mono_ms() + delay_ms;
}

static void on_ring(pri_event *ev)
{
	struct pri *pri = cw_span_pri(sim.span);
	struct sim_call *c = call_by_cref(ev->ring.cref);
	const struct sim_rule *r;
	static const struct sim_rule builtin = {
		.key = "(built-in)", .is_default = 1, .action = SIM_REJECT,
		.cause = 1, .location = CW_LOC_LN, .line = 0
	};

	if (!c)
		c = call_new(ev->ring.cref);
	if (!c) {
		/* Q.850 cause 34: no circuit/channel available. */
		pri_proceeding(pri, ev->ring.call, ev->ring.channel, 0);
		pri_hangup(pri, ev->ring.call, 34);
		return;
	}
	c->call = ev->ring.call;
	c->have_ring = 1;
	copy_str(c->called, sizeof(c->called), ev->ring.callednum);
	copy_str(c->calling, sizeof(c->calling), ev->ring.callingnum);
	c->presentation = ev->ring.callingpres;
	/* names travel for some switch types only (README "Calling name") */
	copy_str(c->calling_name, sizeof(c->calling_name), ev->ring.callingname);
	c->channel = pick_channel(ev->ring.channel & 0xff);
	if (c->channel > 0)
		sim.chan_busy[c->channel] = 1;
	r = sim_rules_match(&sim.rules, c->called);
	c->rule = r ? r : &builtin;
	r = c->rule;
	/* CALL PROCEEDING first: a hangup straight from RING sends nothing at
	 * all in libpri (call not yet "alive", libpri-libosip2.md §1.2). */
	pri_proceeding(pri, c->call, c->channel > 0 ? c->channel : 0, 0);
	if (c->channel < 0) {
		(void)call_clear(c, 34, CW_LOC_LN, NULL);
		return;
	}
	switch (r->action) {
	case SIM_ANSWER:
		call_schedule(c, ST_ANSWER, r->delay1_ms);
		break;
	case SIM_ALERT_ANSWER:
		call_schedule(c, ST_ALERT, r->delay1_ms);
		break;
	case SIM_REJECT:
		if (r->alert)
			pri_acknowledge(pri, c->call, c->channel, 1); /* ALERTING, PI 8 (ringback in-band) */
		c->clear_cause = r->cause;
		c->clear_location = r->location;
		c->clear_diag = r->diagnostic;
		call_schedule(c, ST_CLEAR, r->alert ? r->delay1_ms : 0);
		break;
	case SIM_PROGRESS_CLEAR:
		/* PROGRESS with PI 8, in-band information now available (Q.931
		 * §4.5.23): the announcement plays, then the network clears. */
		pri_progress(pri, c->call, c->channel, 1);
		c->clear_cause = r->cause;
		c->clear_location = r->location;
		c->clear_diag = r->diagnostic;
		call_schedule(c, ST_CLEAR, r->delay1_ms);
		break;
	case SIM_DISCONNECT_INBAND:
		/* DISCONNECT with PI 8 (Q.931 §5.3.4.1): the announcement plays on the
		 * B-channel while the peer listens; RELEASE after HOLD_MS unless the peer
		 * releases first. libpri's pri_hangup() cannot add a Progress indicator:
		 * the span adapter inserts it into the frame (as it rewrites locations).
		 * libpri has no call to send RELEASE in N12 (a second pri_hangup() sends
		 * nothing and spoils the call): its T305 (Q.931 §5.3.2: DISCONNECT sent,
		 * no RELEASE) sends it, so T305 is HOLD_MS for this DISCONNECT only (libpri
		 * reads the timer when it schedules it). */
		{
			int t305 = pri_get_timer(pri, PRI_TIMER_T305);

			cw_span_set_disconnect_progress(sim.span, c->cref,
			                                r->location >= 0 ? r->location : CW_LOC_LN, 8);
			pri_set_timer(pri, PRI_TIMER_T305, r->delay1_ms > 0 ? (int)r->delay1_ms : 1);
			(void)call_clear(c, r->cause, r->location, r->diagnostic);
			pri_set_timer(pri, PRI_TIMER_T305, t305);
		}
		break;
	case SIM_TALK_CLEAR:
		pri_answer(pri, c->call, c->channel, 0);
		c->answered = 1;
		c->t_answer = rel_ms();
		c->clear_cause = r->cause;
		c->clear_location = r->location;
		c->clear_diag = r->diagnostic;
		call_schedule(c, ST_CLEAR, r->delay1_ms);
		break;
	}
}

static void run_stage(struct sim_call *c)
{
	struct pri *pri = cw_span_pri(sim.span);
	enum stage st = c->stage;

	c->stage = ST_NONE;
	switch (st) {
	case ST_ALERT:
		pri_acknowledge(pri, c->call, c->channel, 1);
		call_schedule(c, ST_ANSWER, c->rule ? c->rule->delay2_ms : 0);
		break;
	case ST_ANSWER:
		pri_answer(pri, c->call, c->channel, 0);
		c->answered = 1;
		c->t_answer = rel_ms();
		break;
	case ST_CLEAR:
		(void)call_clear(c, c->clear_cause, c->clear_location, c->clear_diag);
		break;
	case ST_NONE:
		break;
	}
}

static struct sim_call *event_call(int cref, q931_call *call)
{
	struct sim_call *c = call_by_cref(cref);

	return c ? c : call_by_ptr(call);
}

static void on_event(struct cw_span *span, pri_event *ev, void *arg)
{
	struct pri *pri = cw_span_pri(span);
	struct sim_call *c;

	(void)arg;
	if (sim.debug)
		fprintf(stderr, "sim: event %s\n", cw_span_event_name(ev->e));
	switch (ev->e) {
	case PRI_EVENT_DCHAN_UP:
		sim.up = 1;
		report_dchan("up");
		break;
	case PRI_EVENT_DCHAN_DOWN:
		sim.up = 0;
		report_dchan("down");
		break;
	case PRI_EVENT_RING:
		on_ring(ev);
		break;
	case PRI_EVENT_ANSWER:
		c = event_call(ev->answer.cref, ev->answer.call);
		if (c && !c->answered) {
			c->answered = 1;
			c->t_answer = rel_ms();
		}
		break;
	case PRI_EVENT_HANGUP_REQ:
		/* DISCONNECT received: answer with RELEASE (our cause = theirs). */
		c = event_call(ev->hangup.cref, ev->hangup.call);
		if (c)
			c->stage = ST_NONE;
		pri_hangup(pri, ev->hangup.call, ev->hangup.cause);
		break;
	case PRI_EVENT_HANGUP:
		/* RELEASE / RELEASE COMPLETE received (or a timer cleared the call):
		 * pri_hangup sends RELEASE COMPLETE if needed and frees the call. */
		c = event_call(ev->hangup.cref, ev->hangup.call);
		pri_hangup(pri, ev->hangup.call, ev->hangup.cause);
		if (c)
			call_end(c, "normal");
		break;
	case PRI_EVENT_HANGUP_ACK:
		/* RELEASE COMPLETE after our RELEASE: the call is gone. */
		c = event_call(ev->hangup.cref, ev->hangup.call);
		if (c)
			call_end(c, "normal");
		break;
	case PRI_EVENT_RESTART:
		break;
	default:
		break;
	}
}

static void on_lost(struct cw_span *span, void *arg)
{
	(void)span;
	(void)arg;
	/* Layer 2 stays "up" in libpri until T203 + N200 x T200; report the EOF now. */
	report_dchan("lost");
}

/* libpri errors to stderr with the span name; debug dumps only with --debug. */
static void on_log(struct cw_span *span, int is_error, const char *text, void *arg)
{
	(void)arg;
	if (is_error || sim.debug)
		fprintf(stderr, "%s: libpri: %s", cw_span_name(span), text);
}

/* ---- control channel ---- */

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void ctl_reply(struct ctl_client *cl, const char *fmt, ...)
{
	char line[CTL_LINE];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	(void)send(cl->fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static int valid_number(const char *s)
{
	if (!*s || strlen(s) >= 64)
		return 0;
	for (; *s; s++)
		if (!strchr("0123456789*#+", *s))
			return 0;
	return 1;
}

/* Q.931 §4.5.10 octet 3a, as libpri's callerpres: presentation (bits 7-6) | screening (2-1). */
struct call_opts {
	int restriction; /* PRI_PRES_ALLOWED, PRI_PRES_RESTRICTED or PRI_PRES_UNAVAILABLE */
	int screening;   /* PRI_PRES_USER_NUMBER_UNSCREENED .. PRI_PRES_NETWORK_NUMBER, -1 = default */
	int bearer;
	const char *name; /* NULL = none */
};

#define CALL_USAGE "error usage: call CALLED CALLING [presentation allowed|restricted|unavailable]" \
	" [screening unscreened|passed|failed|network] [name NAME] [bearer speech|audio]"

/* A calling name on command: one token (no spaces) of 1..15 printable ASCII characters. */
static int valid_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > NAME_MAX_SENT)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

/* "KEY VALUE" pairs after CALLED CALLING. 0, or -1 after an error reply. */
static int call_opts_parse(struct ctl_client *cl, char **tok, int ntok, struct call_opts *o)
{
	static const struct {
		const char *key, *value;
		int v;
	} words[] = {
		{ "presentation", "allowed", PRI_PRES_ALLOWED },
		{ "presentation", "restricted", PRI_PRES_RESTRICTED },
		{ "presentation", "unavailable", PRI_PRES_UNAVAILABLE },
		{ "screening", "unscreened", PRI_PRES_USER_NUMBER_UNSCREENED },
		{ "screening", "passed", PRI_PRES_USER_NUMBER_PASSED_SCREEN },
		{ "screening", "failed", PRI_PRES_USER_NUMBER_FAILED_SCREEN },
		{ "screening", "network", PRI_PRES_NETWORK_NUMBER },
		{ "bearer", "speech", PRI_TRANS_CAP_SPEECH },
		{ "bearer", "audio", PRI_TRANS_CAP_3_1K_AUDIO },
	};
	size_t w;
	int i;

	for (i = 3; i < ntok; i += 2) {
		const char *v = i + 1 < ntok ? tok[i + 1] : "";

		if (strcmp(tok[i], "name") == 0) {
			if (!valid_name(v)) {
				ctl_reply(cl, "error name must be 1..%d printable ASCII characters, "
				          "one word", NAME_MAX_SENT);
				return -1;
			}
			o->name = v;
			continue;
		}
		for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
			if (strcmp(tok[i], words[w].key) == 0 && strcmp(v, words[w].value) == 0)
				break;
		if (w == sizeof(words) / sizeof(words[0])) {
			ctl_reply(cl, "error unknown option '%s %s'", tok[i], v);
			return -1;
		}
		if (words[w].key[0] == 'p')
			o->restriction = words[w].v;
		else if (words[w].key[0] == 's')
			o->screening = words[w].v;
		else
			o->bearer = words[w].v;
	}
	return 0;
}

static void ctl_call(struct ctl_client *cl, char **tok, int ntok)
{
	struct call_opts o = { PRI_PRES_ALLOWED, -1, PRI_TRANS_CAP_SPEECH, NULL };
	struct pri *pri;
	int pres, ch, crv = 0, callmode = 0;
	struct sim_call *c;
	struct pri_sr *sr;
	q931_call *call;

	if (ntok < 3 || !valid_number(tok[1]) || !valid_number(tok[2])) {
		ctl_reply(cl, CALL_USAGE);
		return;
	}
	if (call_opts_parse(cl, tok, ntok, &o) < 0)
		return;
	/* Screening as before (user-provided, not screened) unless given; "not available"
	   goes with "network provided" (Q.931 §4.5.10; libpri's PRES_NUMBER_NOT_AVAILABLE). */
	if (o.screening < 0)
		o.screening = o.restriction == PRI_PRES_UNAVAILABLE ? PRI_PRES_NETWORK_NUMBER :
		              PRI_PRES_USER_NUMBER_UNSCREENED;
	pres = o.restriction | o.screening;
	if (!sim.span || !sim.up) {
		ctl_reply(cl, "error D-channel down");
		return;
	}
	pri = cw_span_pri(sim.span);
	ch = pick_channel(0);
	call = ch > 0 ? pri_new_call(pri) : NULL;
	if (!call) {
		ctl_reply(cl, "error no channel or call reference free");
		return;
	}
	/* pri_get_crv is GR-303 flavoured: the call reference is (crv << 3) |
	 * callmode (libpri-libosip2.md §1.4); ours, so flag 0x8000 in libpri form. */
	crv = pri_get_crv(pri, call, &callmode);
	c = call_new(0x8000 | ((crv << 3) | callmode));
	if (!c) {
		pri_destroycall(pri, call);
		ctl_reply(cl, "error too many calls");
		return;
	}
	c->out = 1;
	c->call = call;
	c->channel = ch;
	c->presentation = pres;
	sim.chan_busy[ch] = 1;
	copy_str(c->called, sizeof(c->called), tok[1]);
	/* Q.931 §4.5.10: with "not available" the IE carries no digits */
	copy_str(c->calling, sizeof(c->calling), o.restriction == PRI_PRES_UNAVAILABLE ? "" : tok[2]);
	copy_str(c->calling_name, sizeof(c->calling_name), o.name ? o.name : "");
	sr = pri_sr_new();
	if (!sr) {
		pri_destroycall(pri, call);
		sim.chan_busy[ch] = 0;
		c->used = 0;
		ctl_reply(cl, "error out of memory");
		return;
	}
	pri_sr_set_channel(sr, ch, 1, 0);
	pri_sr_set_bearer(sr, o.bearer, PRI_LAYER_1_ALAW);
	pri_sr_set_called(sr, c->called, PRI_UNKNOWN, 1);
	/* libpri sends the name only for some switch types (README "Calling name") */
	pri_sr_set_caller(sr, c->calling, c->calling_name[0] ? c->calling_name : NULL, PRI_UNKNOWN,
	                  pres);
	if (pri_setup(pri, call, sr) != 0) {
		pri_sr_free(sr);
		sim.chan_busy[ch] = 0;
		c->used = 0;
		ctl_reply(cl, "error pri_setup failed");
		return;
	}
	pri_sr_free(sr);
	ctl_reply(cl, "ok cref %d channel %d", c->cref, ch);
}

static void ctl_hangup(struct ctl_client *cl, char **tok, int ntok)
{
	uint8_t scratch[CW_Q931_CAUSE_IE_MAX];
	const char *diag = NULL;
	struct sim_call *c;
	char *end;
	long cref, cause;
	int loc = -1, i = 3;

	if (i + 1 < ntok && strcmp(tok[i], "location") == 0)
		i += 2;
	if (i + 1 < ntok && strcmp(tok[i], "diagnostic") == 0) {
		diag = tok[i + 1];
		i += 2;
	}
	if (ntok < 3 || i != ntok) {
		ctl_reply(cl, "error usage: hangup CREF CAUSE [location LOC] [diagnostic DIGITS]");
		return;
	}
	cref = strtol(tok[1], &end, 10);
	if (*end || !(c = call_by_cref((int)cref))) {
		ctl_reply(cl, "error no call with cref '%s'", tok[1]);
		return;
	}
	cause = strtol(tok[2], &end, 10);
	if (*end || cause < 1 || cause > 127) {
		ctl_reply(cl, "error cause '%s' not in 1..127", tok[2]);
		return;
	}
	if (ntok > 3 && strcmp(tok[3], "location") == 0 &&
	    cw_location_from_name(tok[4], strlen(tok[4]), &loc) != 0) {
		ctl_reply(cl, "error unknown location '%s'", tok[4]);
		return;
	}
	/* Q.850 Table 2: the new number is cause 22's diagnostic */
	if (diag && cause != 22) {
		ctl_reply(cl, "error diagnostic DIGITS (the new number) goes with cause 22 only");
		return;
	}
	if (diag && cw_q931_diag_encode_new_number(diag, scratch, sizeof(scratch)) < 0) {
		ctl_reply(cl, "error diagnostic '%s' is not 1..%d digits (0-9, *, #)", diag,
		          CW_Q931_NEW_NUMBER_MAX);
		return;
	}
	if (call_clear(c, (int)cause, loc, diag) < 0) {
		ctl_reply(cl, "error cannot set the diagnostic");
		return;
	}
	ctl_reply(cl, "ok");
}

static void ctl_line(struct ctl_client *cl, char *line)
{
	char *tok[16], *save = NULL, *t;
	int ntok = 0, i, n = 0;

	for (t = strtok_r(line, " \t\r", &save); t && ntok < 16; t = strtok_r(NULL, " \t\r", &save))
		tok[ntok++] = t;
	if (ntok == 0)
		return;
	if (strcmp(tok[0], "call") == 0) {
		ctl_call(cl, tok, ntok);
	} else if (strcmp(tok[0], "hangup") == 0) {
		ctl_hangup(cl, tok, ntok);
	} else if (strcmp(tok[0], "status") == 0) {
		for (i = 0; i < MAX_CALLS; i++)
			n += sim.calls[i].used;
		ctl_reply(cl, "ok dchan %s calls %d", sim.up ? "up" : "down", n);
	} else {
		ctl_reply(cl, "error unknown command '%s' (call, hangup, status)", tok[0]);
	}
}

static void ctl_read(struct ctl_client *cl)
{
	ssize_t n = recv(cl->fd, cl->buf + cl->len, sizeof(cl->buf) - 1 - cl->len, MSG_DONTWAIT);
	char *nl;

	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		close(cl->fd);
		cl->fd = -1;
		cl->len = 0;
		return;
	}
	cl->len += (size_t)n;
	cl->buf[cl->len] = '\0';
	while ((nl = strchr(cl->buf, '\n')) != NULL) {
		size_t used = (size_t)(nl - cl->buf) + 1;

		*nl = '\0';
		ctl_line(cl, cl->buf);
		memmove(cl->buf, cl->buf + used, cl->len - used + 1);
		cl->len -= used;
	}
	if (cl->len == sizeof(cl->buf) - 1) {
		ctl_reply(cl, "error line too long");
		cl->len = 0;
	}
}

static int ctl_listen(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		(void)unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 4) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

/* ---- span connection ---- */

static int span_attach(struct cw_dchan *d)
{
	int i;

	if (sim.span) {
		/* A new peer (the bridge reconnecting): same struct pri, new fd. */
		cw_span_set_source(sim.span, d);
		report_dchan("reconnected");
		return 0;
	}
	if (cw_span_new(&sim.span, "sim", sim.node, sim.switchtype, d, sim.tap, on_event, NULL) < 0)
		return -1;
	cw_span_set_msg_cb(sim.span, on_msg);
	cw_span_set_lost_cb(sim.span, on_lost);
	cw_span_set_log_cb(sim.span, on_log);
	for (i = 0; i < sim.n_timers; i++) {
		char *eq = strchr(sim.timers[i], '=');
		int idx;

		*eq = '\0';
		idx = pri_timer2idx(sim.timers[i]);
		if (idx < 0 || pri_set_timer(cw_span_pri(sim.span), idx, atoi(eq + 1)) < 0)
			fprintf(stderr, "causeway-pstn-sim: cannot set timer %s\n", sim.timers[i]);
		*eq = '=';
	}
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	terminate = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: causeway-pstn-sim --span PATH --rules FILE [--switchtype euroisdn]\n"
	        "         [--node network|cpe] [--report FILE|-] [--control PATH]\n"
	        "         [--tap FILE.pcap] [--timer NAME=VALUE]... [--debug]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "span", required_argument, NULL, 's' },
		{ "rules", required_argument, NULL, 'r' },
		{ "switchtype", required_argument, NULL, 'w' },
		{ "node", required_argument, NULL, 'n' },
		{ "report", required_argument, NULL, 'o' },
		{ "control", required_argument, NULL, 'c' },
		{ "tap", required_argument, NULL, 't' },
		{ "timer", required_argument, NULL, 'T' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *span_path = NULL, *rules_path = NULL, *report_path = "-", *ctl_path = NULL;
	const char *tap_path = NULL;
	char err[512];
	struct sigaction sa;
	sigset_t block, empty;
	int opt, i;

	sim.node = PRI_NETWORK;
	sim.switchtype = PRI_SWITCH_EUROISDN_E1;
	sim.listen_fd = sim.ctl_fd = -1;
	for (i = 0; i < MAX_CTL; i++)
		sim.ctl[i].fd = -1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (span_path) {
				fprintf(stderr, "causeway-pstn-sim: one --span per process for now\n");
				return 2;
			}
			span_path = optarg;
			break;
		case 'r':
			rules_path = optarg;
			break;
		case 'w':
			if (cw_switchtype_from_name(optarg, &sim.switchtype) < 0) {
				fprintf(stderr, "causeway-pstn-sim: unknown switchtype '%s' "
				        "(euroisdn, ni2, dms100, 4ess, 5ess, qsig, ni1)\n", optarg);
				return 2;
			}
			break;
		case 'n':
			if (strcmp(optarg, "network") == 0)
				sim.node = PRI_NETWORK;
			else if (strcmp(optarg, "cpe") == 0)
				sim.node = PRI_CPE;
			else {
				fprintf(stderr, "causeway-pstn-sim: --node network or cpe\n");
				return 2;
			}
			break;
		case 'o':
			report_path = optarg;
			break;
		case 'c':
			ctl_path = optarg;
			break;
		case 't':
			tap_path = optarg;
			break;
		case 'T':
			if (sim.n_timers == 8 || !strchr(optarg, '=') ||
			    strlen(optarg) >= sizeof(sim.timers[0])) {
				fprintf(stderr, "causeway-pstn-sim: --timer NAME=VALUE (at most 8)\n");
				return 2;
			}
			snprintf(sim.timers[sim.n_timers++], sizeof(sim.timers[0]), "%s", optarg);
			break;
		case 'd':
			sim.debug = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!span_path || !rules_path || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (sim_rules_load(&sim.rules, rules_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "causeway-pstn-sim: %s\n", err);
		return 1;
	}
	if (strcmp(report_path, "-") == 0) {
		sim.report = stdout;
	} else if (!(sim.report = fopen(report_path, "w"))) {
		fprintf(stderr, "causeway-pstn-sim: %s: %s\n", report_path, strerror(errno));
		return 1;
	}
	if (tap_path && !(sim.tap = fopen(tap_path, "wb"))) {
		fprintf(stderr, "causeway-pstn-sim: %s: %s\n", tap_path, strerror(errno));
		return 1;
	}
	sim.listen_fd = cw_dchan_socket_listen(span_path);
	if (sim.listen_fd < 0) {
		fprintf(stderr, "causeway-pstn-sim: listen on %s: %s\n", span_path, strerror(-sim.listen_fd));
		return 1;
	}
	if (ctl_path) {
		sim.ctl_fd = ctl_listen(ctl_path);
		if (sim.ctl_fd < 0) {
			fprintf(stderr, "causeway-pstn-sim: listen on %s: %s\n", ctl_path, strerror(-sim.ctl_fd));
			return 1;
		}
	}
	/* SIGTERM/SIGINT only inside ppoll(): no race between the check and the wait. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&empty);
	sim.t0 = mono_ms();

	while (!terminate) {
		struct pollfd pfd[3 + MAX_CTL];
		int nfd = 0, span_idx = -1, ctl_base, timeout = -1, t;
		struct timespec ts, *tsp = NULL;
		int64_t now;

		pfd[nfd++] = (struct pollfd){ .fd = sim.listen_fd, .events = POLLIN };
		if (sim.span && cw_span_fd(sim.span) >= 0) {
			span_idx = nfd;
			pfd[nfd++] = (struct pollfd){ .fd = cw_span_fd(sim.span), .events = POLLIN };
		}
		pfd[nfd++] = (struct pollfd){ .fd = sim.ctl_fd, .events = POLLIN };
		ctl_base = nfd;
		for (i = 0; i < MAX_CTL; i++)
			pfd[nfd++] = (struct pollfd){ .fd = sim.ctl[i].fd, .events = POLLIN };
		if (sim.span) {
			timeout = cw_span_next_timeout_ms(sim.span, NULL);
			now = mono_ms();
			for (i = 0; i < MAX_CALLS; i++) {
				struct sim_call *c = &sim.calls[i];

				if (!c->used || c->stage == ST_NONE)
					continue;
				t = c->deadline > now ? (int)(c->deadline - now) : 0;
				if (timeout < 0 || t < timeout)
					timeout = t;
			}
		}
		if (timeout >= 0) {
			ts.tv_sec = timeout / 1000;
			ts.tv_nsec = (long)(timeout % 1000) * 1000000L;
			tsp = &ts;
		}
		if (ppoll(pfd, (nfds_t)nfd, tsp, &empty) < 0 && errno != EINTR) {
			perror("causeway-pstn-sim: ppoll");
			break;
		}
		if (terminate)
			break;
		if (pfd[0].revents & POLLIN) {
			struct cw_dchan *d;

			if (cw_dchan_socket_accept(sim.listen_fd, &d) == 0 && span_attach(d) < 0) {
				fprintf(stderr, "causeway-pstn-sim: cannot create the span\n");
				break;
			}
		}
		if (span_idx >= 0 && pfd[span_idx].revents)
			cw_span_on_readable(sim.span);
		if (sim.ctl_fd >= 0 && (pfd[ctl_base - 1].revents & POLLIN)) {
			int fd = accept4(sim.ctl_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

			for (i = 0; fd >= 0 && i < MAX_CTL; i++) {
				if (sim.ctl[i].fd < 0) {
					sim.ctl[i].fd = fd;
					sim.ctl[i].len = 0;
					fd = -1;
				}
			}
			if (fd >= 0)
				close(fd); /* too many control clients */
		}
		for (i = 0; i < MAX_CTL; i++)
			if (sim.ctl[i].fd >= 0 && pfd[ctl_base + i].fd == sim.ctl[i].fd &&
			    pfd[ctl_base + i].revents)
				ctl_read(&sim.ctl[i]);
		if (sim.span) {
			now = mono_ms();
			for (i = 0; i < MAX_CALLS; i++)
				if (sim.calls[i].used && sim.calls[i].stage != ST_NONE &&
				    sim.calls[i].deadline <= now)
					run_stage(&sim.calls[i]);
			cw_span_run_timers(sim.span);
		}
	}
	/* Report the calls still up, so no outcome is lost. */
	for (i = 0; i < MAX_CALLS; i++)
		if (sim.calls[i].used)
			call_end(&sim.calls[i], "shutdown");
	fflush(sim.report);
	if (sim.report != stdout)
		fclose(sim.report);
	if (sim.tap)
		fclose(sim.tap);
	for (i = 0; i < MAX_CTL; i++)
		if (sim.ctl[i].fd >= 0)
			close(sim.ctl[i].fd);
	if (sim.ctl_fd >= 0) {
		close(sim.ctl_fd);
		if (ctl_path)
			unlink(ctl_path);
	}
	close(sim.listen_fd);
	unlink(span_path);
	sim_rules_free(&sim.rules);
	return 0;
}
