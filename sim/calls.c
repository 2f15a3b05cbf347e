/* SPDX-License-Identifier: MIT */
/*
 * calls.c — causeway-pstn-sim's call behaviour: the rules applied to each
 * incoming call, calls originated on command, the libpri events and the
 * Q.931 messages seen on the span (calls.h).
 */
#include "calls.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/q850.h>

#include "bearer.h"
#include "report.h"

/* Copies a NUL-terminated string into dst[size], cutting it if needed. */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int64_t rel_ms(const struct sim_calls *s)
{
	return sim_mono_ms() - s->t0;
}

void sim_calls_init(struct sim_calls *s, const struct sim_rules *rules, FILE *report, int debug)
{
	memset(s, 0, sizeof(*s));
	s->rules = rules;
	s->report = report;
	s->debug = debug;
	s->t0 = sim_mono_ms();
}

struct sim_call *sim_call_by_cref(struct sim_calls *s, int cref)
{
	int i;

	for (i = 0; i < SIM_MAX_CALLS; i++)
		if (s->calls[i].used && s->calls[i].cref == cref)
			return &s->calls[i];
	return NULL;
}

static struct sim_call *call_by_ptr(struct sim_calls *s, q931_call *call)
{
	int i;

	for (i = 0; i < SIM_MAX_CALLS && call; i++)
		if (s->calls[i].used && s->calls[i].call == call)
			return &s->calls[i];
	return NULL;
}

static struct sim_call *call_new(struct sim_calls *s, int cref)
{
	int i;

	for (i = 0; i < SIM_MAX_CALLS; i++) {
		struct sim_call *c = &s->calls[i];

		if (!c->used) {
			memset(c, 0, sizeof(*c));
			c->used = 1;
			c->cref = cref;
			c->loc_rx = c->loc_tx = -1;
			c->clear_location = -1;
			c->bearer = -1;
			c->t_setup = rel_ms(s);
			c->t_setup_wall_us = sim_wall_us();
			/* A new call may reuse a CRV: forget the previous one's Cause data. */
			cwi_span_forget_cref(s->span, cref);
			return c;
		}
	}
	return NULL;
}

static void call_end(struct sim_calls *s, struct sim_call *c, const char *end)
{
	c->t_end = rel_ms(s);
	sim_audio_stop(s->audio, c->channel, &c->audio);
	sim_report_call(s->report, c, end);
	if (c->channel > 0 && c->channel <= SIM_MAX_CHANNEL)
		s->chan_busy[c->channel] = 0;
	c->used = 0;
}

static int pick_channel(const struct sim_calls *s, int wanted)
{
	int ch;

	if (cwi_span_bchannel_valid(s->switchtype, wanted) && !s->chan_busy[wanted])
		return wanted;
	for (ch = 1; ch <= cwi_span_bchannel_max(s->switchtype); ch++)
		if (cwi_span_bchannel_valid(s->switchtype, ch) && !s->chan_busy[ch])
			return ch;
	return -1;
}

int sim_calls_count(const struct sim_calls *s)
{
	int i, n = 0;

	for (i = 0; i < SIM_MAX_CALLS; i++)
		n += s->calls[i].used;
	return n;
}

void sim_calls_end_all(struct sim_calls *s, const char *end)
{
	int i;

	for (i = 0; i < SIM_MAX_CALLS; i++)
		if (s->calls[i].used)
			call_end(s, &s->calls[i], end);
}

/* Every Q.931 message on the span, in wire order (received: before libpri). */
static void on_msg(struct cwi_span *span, enum cwi_span_dir dir, int cref,
                   const struct cwi_q931_info *info, void *arg)
{
	struct sim_calls *s = arg;
	struct sim_call *c;
	int clearing;

	(void)span;
	if (cref < 0 || info->crv == 0)
		return; /* dummy or global call reference (RESTART): no call */
	c = sim_call_by_cref(s, cref);
	if (!c && dir == CWI_SPAN_RX && info->msgtype == CWI_Q931_SETUP)
		c = call_new(s, cref);
	if (!c)
		return;
	if (c->n_msgs < SIM_MAX_MSGS - 1) {
		c->msgs_pi[c->n_msgs] = (uint8_t)(info->has_progress ? info->progress_description : 0);
		c->msgs[c->n_msgs++] = (uint16_t)(((dir == CWI_SPAN_TX) << 8) | (info->msgtype & 0xff));
	}
	else if (c->n_msgs == SIM_MAX_MSGS - 1)
		c->msgs[c->n_msgs++] = SIM_MSG_TRUNCATED;
	/* Our SETUP as it went on the wire: libpri changes the screening for some switch
	 * types (DMS100, 4ESS: "network provided") and drops the name for others. */
	if (dir == CWI_SPAN_TX && c->out && info->msgtype == CWI_Q931_SETUP) {
		c->presentation = info->has_calling ? info->calling_pres : PRES_NUMBER_NOT_AVAILABLE;
		copy_str(c->calling_name, sizeof(c->calling_name),
		         info->has_display ? info->display : "");
	}
	/* The first Cause of the clearing (Q.931 §5.3): DISCONNECT, or RELEASE /
	 * RELEASE COMPLETE when clearing starts there. STATUS causes are not it. */
	clearing = info->msgtype == CWI_Q931_DISCONNECT || info->msgtype == CWI_Q931_RELEASE ||
	           info->msgtype == CWI_Q931_RELEASE_COMPLETE;
	if (!clearing || !info->has_cause)
		return;
	if (dir == CWI_SPAN_RX && c->cause_rx <= 0) {
		c->cause_rx = info->cause_value;
		c->loc_rx = info->cause_location;
		c->coding_rx = info->cause_coding;
	} else if (dir == CWI_SPAN_TX && c->cause_tx <= 0) {
		c->cause_tx = info->cause_value;
		c->loc_tx = info->cause_location; /* after the rewrite: what went on the wire */
		/* Q.850 Table 2: cause 22's diagnostic is the new number; from the wire too */
		if (info->cause_value != 22 || info->cause_diag_len == 0 ||
		    cwi_q931_diag_new_number(info->cause_diag, info->cause_diag_len, c->diag_tx,
		                            sizeof(c->diag_tx)) != 0)
			c->diag_tx[0] = '\0';
	}
}

int sim_call_clear(struct sim_calls *s, struct sim_call *c, int cause, int location,
                   const char *diag)
{
	uint8_t d[CWI_Q931_CAUSE_IE_MAX];
	int n;

	if (diag && *diag) {
		n = cwi_q931_diag_encode_new_number(diag, d, sizeof(d));
		if (n < 0 || cwi_span_set_cause_diagnostic(s->span, c->cref, cause, d, (size_t)n) < 0)
			return -1;
	}
	c->stage = SIM_ST_NONE;
	if (location >= 0)
		cwi_span_set_cause_location(s->span, c->cref, location);
	pri_hangup(cwi_span_pri(s->span), c->call, cause);
	return 0;
}

/* CONNECT, with the rule's Connected number (Q.951 §3: COLP) when it has one (the
 * network provided it: Q.931 §4.5.10 octet 3a screening 3) and --connected-name. */
static void call_answer(struct sim_calls *s, struct sim_call *c)
{
	struct pri *pri = cwi_span_pri(s->span);

	struct cwi_pri_party cp;

	memset(&cp, 0, sizeof(cp));
	if (c->rule && c->rule->connected[0]) {
		copy_str(cp.digits, sizeof(cp.digits), c->rule->connected);
		cp.ton = c->rule->connected_intl ? 1 : 0; /* international : unknown */
		cp.npi = 1;                               /* ISDN/telephony, E.164 */
		cp.presentation = c->rule->connected_restricted ? 1 : 0;
		cp.screening = 3;
	}
	/* --connected-name: the connected name too (on qsig a connectedName) */
	if ((cp.digits[0] || (s->connected_name && s->connected_name[0])) &&
	    cwi_pri_call_connected(s->span, CWI_PRI_CALL_OF(c->call), &cp, s->connected_name) != 0)
		fprintf(stderr, "sim: libpri refused the connected line\n");
	pri_answer(pri, c->call, c->channel, 0);
	c->answered = 1;
	c->t_answer = rel_ms(s);
	sim_audio_answered(s->audio, c->channel);
}

static void call_schedule(struct sim_call *c, enum sim_stage st, long delay_ms)
{
	c->stage = st;
	c->deadline = sim_mono_ms() + delay_ms;
}

/* The clearing a rule asks for, DELAY_MS from now (or at once). */
static void call_schedule_clear(struct sim_call *c, const struct sim_rule *r, long delay_ms)
{
	c->clear_cause = r->cause;
	c->clear_location = r->location;
	c->clear_diag = r->diagnostic;
	call_schedule(c, SIM_ST_CLEAR, delay_ms);
}

/*
 * disconnect-inband: DISCONNECT with PI 8 (Q.931 §5.3.4.1): the announcement
 * plays on the B-channel while the peer listens; RELEASE after HOLD_MS
 * unless the peer releases first. libpri's pri_hangup() cannot add a
 * Progress indicator: the span adapter inserts it into the frame (as it
 * rewrites locations). libpri has no call to send RELEASE in N12 (a second
 * pri_hangup() sends nothing and spoils the call): its T305 (Q.931 §5.3.2:
 * DISCONNECT sent, no RELEASE) sends it, so T305 is HOLD_MS for this
 * DISCONNECT only (libpri reads the timer when it schedules it).
 */
static void disconnect_inband(struct sim_calls *s, struct sim_call *c, const struct sim_rule *r)
{
	struct pri *pri = cwi_span_pri(s->span);
	int t305 = pri_get_timer(pri, PRI_TIMER_T305);

	cwi_span_set_disconnect_progress(s->span, c->cref, r->location >= 0 ? r->location : CW_LOC_LN,
	                                8);
	pri_set_timer(pri, PRI_TIMER_T305, r->delay1_ms > 0 ? (int)r->delay1_ms : 1);
	(void)sim_call_clear(s, c, r->cause, r->location, r->diagnostic);
	pri_set_timer(pri, PRI_TIMER_T305, t305);
}

/*
 * Glare, Q.931 §5.1.2 c): a SETUP asking exclusively for the channel of a SETUP of ours the
 * peer has not answered yet (only our SETUP on the wire) is refused with cause 44, requested
 * circuit/channel not available (after CALL PROCEEDING without a channel: libpri sends
 * nothing for a hangup straight from RING). 1 when refused. Any other channel in use is
 * replaced as before (pick_channel()).
 */
static const struct {
	const char *word;
	int reason;
} redirect_words[] = {
	{ "unknown", PRI_REDIR_UNKNOWN },
	{ "busy", PRI_REDIR_FORWARD_ON_BUSY },
	{ "no-reply", PRI_REDIR_FORWARD_ON_NO_REPLY },
	{ "deflection", PRI_REDIR_DEFLECTION },
	{ "dte-out-of-order", PRI_REDIR_DTE_OUT_OF_ORDER },
	{ "forwarded-by-dte", PRI_REDIR_FORWARDED_BY_DTE },
	{ "unconditional", PRI_REDIR_UNCONDITIONAL },
};

int sim_redirect_reason_code(const char *word)
{
	char *end;
	long v;

	for (size_t i = 0; i < sizeof(redirect_words) / sizeof(redirect_words[0]); i++)
		if (strcmp(word, redirect_words[i].word) == 0)
			return redirect_words[i].reason;
	v = strtol(word, &end, 10);
	return *word && !*end && v >= 0 && v <= 15 ? (int)v : -1;
}

const char *sim_redirect_reason_name(int reason)
{
	for (size_t i = 0; i < sizeof(redirect_words) / sizeof(redirect_words[0]); i++)
		if (redirect_words[i].reason == reason)
			return redirect_words[i].word;
	return "unknown";
}

/* The Redirecting number of a SETUP received: libpri's redirecting subcommand (with
   presentation and count), else the ring event's fields. */
static void ring_redirecting(const pri_event_ring *r, struct sim_redirecting *out)
{
	const struct pri_party_redirecting *rd = NULL;

	memset(out, 0, sizeof(*out));
	for (int i = 0; r->subcmds && i < r->subcmds->counter_subcmd && i < PRI_MAX_SUBCOMMANDS; i++)
		if (r->subcmds->subcmd[i].cmd == PRI_SUBCMD_REDIRECTING)
			rd = &r->subcmds->subcmd[i].u.redirecting;
	if (rd && rd->from.number.valid) {
		copy_str(out->number, sizeof(out->number), rd->from.number.str);
		out->presentation = rd->from.number.presentation & PRI_PRES_RESTRICTION;
		out->reason = rd->reason;
		out->count = rd->count;
		out->present = 1;
	} else if (r->redirectingnum[0]) {
		copy_str(out->number, sizeof(out->number), r->redirectingnum);
		out->reason = r->redirectingreason;
		out->count = 1;
		out->present = 1;
	}
}

static int ring_channel_taken(struct sim_calls *s, struct sim_call *c, const pri_event *ev)
{
	int want = ev->ring.channel > 0 ? ev->ring.channel & 0xff : 0, i;

	if (ev->ring.flexible || want <= 0 || want > SIM_MAX_CHANNEL || !s->chan_busy[want])
		return 0;
	for (i = 0; i < SIM_MAX_CALLS; i++)
		if (s->calls[i].used && s->calls[i].out && s->calls[i].channel == want &&
		    s->calls[i].n_msgs == 1)
			break;
	if (i == SIM_MAX_CALLS)
		return 0;
	c->rule = NULL;
	pri_proceeding(cwi_span_pri(s->span), c->call, 0, 0);
	(void)sim_call_clear(s, c, 44, CW_LOC_LN, NULL);
	return 1;
}

static void call_route(struct sim_calls *s, struct sim_call *c);

/* An incoming SETUP: a call record, a B-channel, the rule for the called number. */
static void on_ring(struct sim_calls *s, pri_event *ev)
{
	struct pri *pri = cwi_span_pri(s->span);
	struct sim_call *c = sim_call_by_cref(s, ev->ring.cref);

	if (!c)
		c = call_new(s, ev->ring.cref);
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
	c->bearer = ev->ring.ctype; /* Q.931 §4.5.5 octet 3, as received */
	/* names travel for some switch types only (README "Calling name") */
	copy_str(c->calling_name, sizeof(c->calling_name), ev->ring.callingname);
	ring_redirecting(&ev->ring, &c->redirecting);
	c->layer1 = ev->ring.layer1;
	if (ring_channel_taken(s, c, ev))
		return;
	c->channel = pick_channel(s, ev->ring.channel & 0xff);
	if (c->channel > 0)
		s->chan_busy[c->channel] = 1;
	copy_str(c->called_setup, sizeof(c->called_setup), c->called);
	/* --overlap: a SETUP without Sending complete (Q.931 §4.5.27) is answered SETUP
	   ACKNOWLEDGE and its number collected (§5.2.4), T302 from now on */
	if (s->overlap_t302_ms > 0 && !ev->ring.complete && c->channel > 0) {
		c->overlap = 1;
		pri_need_more_info(pri, c->call, c->channel, 0);
		call_schedule(c, SIM_ST_T302, s->overlap_t302_ms);
		return;
	}
	call_route(s, c);
}

/* INFORMATION in overlap receiving: its digits added, T302 afresh; Sending complete or
   '#' ends the dialling (Q.931 §5.2.4). */
static void on_information(struct sim_calls *s, pri_event *ev)
{
	struct sim_call *c = call_by_ptr(s, ev->ring.call);
	size_t have, n;

	if (!c || !c->overlap)
		return;
	if (c->n_infos < SIM_MAX_INFOS)
		copy_str(c->infos[c->n_infos++], sizeof(c->infos[0]), ev->ring.callednum);
	have = strlen(c->called);
	copy_str(c->called + have, sizeof(c->called) - have, ev->ring.callednum);
	n = strlen(c->called);
	if (ev->ring.complete || (n > 0 && c->called[n - 1] == '#')) {
		if (n > 0 && c->called[n - 1] == '#')
			c->called[n - 1] = '\0';
		c->stage = SIM_ST_NONE;
		call_route(s, c);
		return;
	}
	call_schedule(c, SIM_ST_T302, s->overlap_t302_ms);
}

/* The rule of the called number decides: CALL PROCEEDING, then its action. */
static void call_route(struct sim_calls *s, struct sim_call *c)
{
	struct pri *pri = cwi_span_pri(s->span);
	const struct sim_rule *r;
	static const struct sim_rule builtin = {
		.key = "(built-in)", .is_default = 1, .action = SIM_REJECT,
		.cause = 1, .location = CW_LOC_LN, .line = 0
	};

	c->overlap = 0;
	r = sim_rules_match(s->rules, c->called);
	c->rule = r ? r : &builtin;
	r = c->rule;
	/* CALL PROCEEDING first: a hangup straight from RING sends nothing at
	 * all in libpri (call not yet "alive", docs/libpri.md §2). */
	pri_proceeding(pri, c->call, c->channel > 0 ? c->channel : 0, 0);
	if (c->channel < 0) {
		(void)sim_call_clear(s, c, 34, CW_LOC_LN, NULL);
		return;
	}
	/* the B-channel is through-connected from CALL PROCEEDING on */
	sim_audio_start(s->audio, c->channel, &r->early, &r->play);
	switch (r->action) {
	case SIM_ANSWER:
		call_schedule(c, SIM_ST_ANSWER, r->delay1_ms);
		break;
	case SIM_ALERT_ANSWER:
		call_schedule(c, SIM_ST_ALERT, r->delay1_ms);
		break;
	case SIM_REJECT:
		if (r->alert)
			pri_acknowledge(pri, c->call, c->channel, 1); /* ALERTING, PI 8 (ringback in-band) */
		call_schedule_clear(c, r, r->alert ? r->delay1_ms : 0);
		break;
	case SIM_PROGRESS_CLEAR:
		/* PROGRESS with PI 8, in-band information now available (Q.931
		 * §4.5.23): the announcement plays, then the network clears. */
		pri_progress(pri, c->call, c->channel, 1);
		call_schedule_clear(c, r, r->delay1_ms);
		break;
	case SIM_DISCONNECT_INBAND:
		disconnect_inband(s, c, r);
		break;
	case SIM_TALK_CLEAR:
		call_answer(s, c);
		call_schedule_clear(c, r, r->delay1_ms);
		break;
	}
}

static void run_stage(struct sim_calls *s, struct sim_call *c)
{
	struct pri *pri = cwi_span_pri(s->span);
	enum sim_stage st = c->stage;

	c->stage = SIM_ST_NONE;
	switch (st) {
	case SIM_ST_ALERT:
		pri_acknowledge(pri, c->call, c->channel, 1);
		call_schedule(c, SIM_ST_ANSWER, c->rule ? c->rule->delay2_ms : 0);
		break;
	case SIM_ST_ANSWER:
		call_answer(s, c);
		break;
	case SIM_ST_CLEAR:
		(void)sim_call_clear(s, c, c->clear_cause, c->clear_location, c->clear_diag);
		break;
	case SIM_ST_DIGIT:
		/* Q.931 §5.1.3: one digit per INFORMATION, in Called party number */
		if (c->more[c->more_pos])
			pri_information(pri, c->call, c->more[c->more_pos++]);
		if (c->more[c->more_pos])
			call_schedule(c, SIM_ST_DIGIT, c->every_ms);
		break;
	case SIM_ST_T302:
		call_route(s, c); /* Q.931 §5.2.4: T302 expiry, the number as it is */
		break;
	case SIM_ST_NONE:
		break;
	}
}

static struct sim_call *event_call(struct sim_calls *s, int cref, q931_call *call)
{
	struct sim_call *c = sim_call_by_cref(s, cref);

	return c ? c : call_by_ptr(s, call);
}

/* A held SETUP goes out before the peer's SETUP is handled (sim_calls_collide()); the
 * event is copied first, as libpri's own is rewritten by what it does next. */
static void on_ring_collide(struct sim_calls *s, pri_event *ev)
{
	pri_event ring = *ev;
	int cref = 0, channel = 0, rc;

	if (s->collide_armed) {
		s->collide_armed = 0;
		rc = sim_calls_originate(s, &s->collide.o, &cref, &channel);
		if (rc < 0)
			fprintf(stderr, "causeway-pstn-sim: the held SETUP failed: %s\n", strerror(-rc));
	}
	on_ring(s, &ring);
}

/* ANSI T1.607 Change status: 0 in service, 1 maintenance, 2 out of service. */
static const char *service_status(int changestatus)
{
	switch (changestatus) {
	case 0: return "in";
	case 2: return "out";
	default: return "maintenance";
	}
}

static void on_event(struct cwi_span *span, pri_event *ev, void *arg)
{
	struct sim_calls *s = arg;
	struct pri *pri = cwi_span_pri(span);
	struct sim_call *c;

	if (s->debug)
		fprintf(stderr, "sim: event %s\n", cwi_span_event_name(ev->e));
	switch (ev->e) {
	case PRI_EVENT_DCHAN_UP:
		s->up = 1;
		sim_report_dchan(s->report, "up", rel_ms(s));
		break;
	case PRI_EVENT_DCHAN_DOWN:
		s->up = 0;
		sim_report_dchan(s->report, "down", rel_ms(s));
		break;
	case PRI_EVENT_RING:
		on_ring_collide(s, ev);
		break;
	case PRI_EVENT_RESTART_ACK:
		sim_report_channel(s->report, "restart_ack", ev->restartack.channel & 0xff, NULL,
		                   rel_ms(s));
		break;
	case PRI_EVENT_SERVICE_ACK:
		sim_report_channel(s->report, "service_ack", ev->service_ack.channel & 0xff,
		                   service_status(ev->service_ack.changestatus), rel_ms(s));
		break;
	case PRI_EVENT_ANSWER:
		c = event_call(s, ev->answer.cref, ev->answer.call);
		if (c) {
			struct cwi_pri_event e;

			cwi_pri_event_from_libpri(ev, &e);
			copy_str(c->connected_name, sizeof(c->connected_name), e.connected_name);
		}
		if (c && !c->answered) {
			struct cwi_pri_party cp;
			if (cwi_pri_answer_connected(&ev->answer, &cp)) {
				copy_str(c->connected, sizeof(c->connected), cp.digits);
				c->connected_ton = cp.ton;
				c->connected_pres = cp.presentation << 5 | cp.screening;
			}
			c->answered = 1;
			c->t_answer = rel_ms(s);
			sim_audio_answered(s->audio, c->channel);
		}
		break;
	case PRI_EVENT_HANGUP_REQ:
		/* DISCONNECT received: answer with RELEASE (our cause = theirs). */
		c = event_call(s, ev->hangup.cref, ev->hangup.call);
		if (c)
			c->stage = SIM_ST_NONE;
		pri_hangup(pri, ev->hangup.call, ev->hangup.cause);
		break;
	case PRI_EVENT_HANGUP:
		/* RELEASE / RELEASE COMPLETE received (or a timer cleared the call):
		 * pri_hangup sends RELEASE COMPLETE if needed and frees the call. */
		c = event_call(s, ev->hangup.cref, ev->hangup.call);
		pri_hangup(pri, ev->hangup.call, ev->hangup.cause);
		if (c)
			call_end(s, c, "normal");
		break;
	case PRI_EVENT_HANGUP_ACK:
		/* RELEASE COMPLETE after our RELEASE: the call is gone. */
		c = event_call(s, ev->hangup.cref, ev->hangup.call);
		if (c)
			call_end(s, c, "normal");
		break;
	case PRI_EVENT_SETUP_ACK:
		/* overlap sending: the rest of the number follows (Q.931 §5.1.3) */
		c = call_by_ptr(s, ev->setup_ack.call);
		if (c && c->out && c->more[c->more_pos])
			call_schedule(c, SIM_ST_DIGIT, c->every_ms);
		break;
	case PRI_EVENT_INFO_RECEIVED:
		on_information(s, ev); /* libpri reports INFORMATION in the ring member */
		break;
	case PRI_EVENT_RESTART:
		break;
	default:
		break;
	}
}

static void on_lost(struct cwi_span *span, void *arg)
{
	struct sim_calls *s = arg;

	(void)span;
	/* Layer 2 stays "up" in libpri until T203 + N200 x T200; report the EOF now. */
	sim_report_dchan(s->report, "lost", rel_ms(s));
}

/* libpri errors to stderr with the span name; debug dumps only with --debug. */
static void on_log(struct cwi_span *span, int is_error, const char *text, void *arg)
{
	const struct sim_calls *s = arg;

	if (is_error || s->debug)
		fprintf(stderr, "%s: libpri: %s", cwi_span_name(span), text);
}

/* --timer NAME=VALUE, by libpri's timer name. */
static void set_timer(struct sim_calls *s, const char *name_value)
{
	const char *eq = strchr(name_value, '=');
	char name[64];
	int idx;

	copy_str(name, sizeof(name), name_value);
	if (eq != NULL && (size_t)(eq - name_value) < sizeof(name))
		name[eq - name_value] = '\0';
	idx = pri_timer2idx(name);
	if (eq == NULL || idx < 0 || pri_set_timer(cwi_span_pri(s->span), idx, atoi(eq + 1)) < 0)
		fprintf(stderr, "causeway-pstn-sim: cannot set timer %s\n", name);
}

int sim_calls_attach(struct sim_calls *s, struct cwi_dchan *d, const struct sim_span_opts *o)
{
	int i;

	if (s->span) {
		/* A new peer (the bridge reconnecting): same struct pri, new fd. */
		cwi_span_set_source(s->span, d);
		sim_report_dchan(s->report, "reconnected", rel_ms(s));
		return 0;
	}
	if (cwi_span_new_libpri(&s->span, "sim", o->node, o->switchtype, d, o->tap, on_event, s) < 0)
		return -1;
	s->switchtype = o->switchtype;
	cwi_span_set_msg_cb(s->span, on_msg);
	cwi_span_set_lost_cb(s->span, on_lost);
	cwi_span_set_log_cb(s->span, on_log);
	for (i = 0; i < o->n_timers; i++)
		set_timer(s, o->timers[i]);
	cwi_span_drop_frames(s->span, s->drop_rx, s->drop_tx);
	return 0;
}

int sim_calls_next_timeout_ms(struct sim_calls *s, int64_t now)
{
	int timeout, t, i;

	if (!s->span)
		return -1;
	timeout = cwi_span_next_timeout_ms(s->span, NULL);
	for (i = 0; i < SIM_MAX_CALLS; i++) {
		const struct sim_call *c = &s->calls[i];

		if (!c->used || c->stage == SIM_ST_NONE)
			continue;
		t = c->deadline > now ? (int)(c->deadline - now) : 0;
		if (timeout < 0 || t < timeout)
			timeout = t;
	}
	return timeout;
}

void sim_calls_run_due(struct sim_calls *s, int64_t now)
{
	int i;

	if (!s->span)
		return;
	for (i = 0; i < SIM_MAX_CALLS; i++)
		if (s->calls[i].used && s->calls[i].stage != SIM_ST_NONE && s->calls[i].deadline <= now)
			run_stage(s, &s->calls[i]);
	cwi_span_run_timers(s->span);
}

int sim_calls_originate(struct sim_calls *s, const struct sim_origination *o, int *ret_cref,
                        int *ret_channel)
{
	const struct sim_rule *r;
	struct pri *pri;
	int ch, crv = 0, callmode = 0;
	struct sim_call *c;
	struct pri_sr *sr;
	q931_call *call;

	if (!s->span || !s->up)
		return -ENETDOWN;
	pri = cwi_span_pri(s->span);
	ch = pick_channel(s, o->channel); /* 0: the lowest free one */
	if (o->channel > 0 && ch != o->channel)
		return -EBUSY;
	call = ch > 0 ? pri_new_call(pri) : NULL;
	if (!call)
		return -EBUSY;
	/* pri_get_crv is GR-303 flavoured: the call reference is (crv << 3) |
	 * callmode (docs/libpri.md §4); ours, so flag 0x8000 in libpri form. */
	crv = pri_get_crv(pri, call, &callmode);
	c = call_new(s, 0x8000 | ((crv << 3) | callmode));
	if (!c) {
		pri_destroycall(pri, call);
		return -ENFILE;
	}
	c->out = 1;
	c->call = call;
	c->channel = ch;
	c->presentation = o->presentation;
	c->bearer = o->bearer;
	s->chan_busy[ch] = 1;
	copy_str(c->called, sizeof(c->called), o->called);
	copy_str(c->calling, sizeof(c->calling), o->calling);
	copy_str(c->calling_name, sizeof(c->calling_name), o->name ? o->name : "");
	sr = pri_sr_new();
	if (!sr) {
		pri_destroycall(pri, call);
		s->chan_busy[ch] = 0;
		c->used = 0;
		return -ENOMEM;
	}
	pri_sr_set_channel(sr, ch, 1, 0);
	/* Q.931 §4.5.5 octet 5: the law of the B-channels (the switch type's or --law's);
	   none for the digital capabilities */
	c->layer1 = sim_bearer_layer1(o->bearer) < 0  ? 0
	            : s->law == CWI_BCHAN_ULAW ? PRI_LAYER_1_ULAW
	                                       : PRI_LAYER_1_ALAW;
	pri_sr_set_bearer(sr, o->bearer, c->layer1 ? c->layer1 : -1);
	/* overlap sending (Q.931 §5.1.3): libpri leaves Sending complete out only with
	   overlapdial on, and reads it as it builds the SETUP */
	pri_set_overlapdial(pri, o->complete ? 0 : 1);
	pri_sr_set_called(sr, c->called, PRI_UNKNOWN, o->complete ? 1 : 0);
	copy_str(c->called_setup, sizeof(c->called_setup), c->called);
	copy_str(c->more, sizeof(c->more), o->more ? o->more : "");
	c->more_pos = 0;
	c->every_ms = o->every_ms;
	/* libpri sends the name only for some switch types (README "Calling name") */
	pri_sr_set_caller(sr, c->calling, c->calling_name[0] ? c->calling_name : NULL, PRI_UNKNOWN,
	                  o->presentation);
	if (o->redirecting && o->redirecting->present) {
		/* Q.952 §4.1.2 Redirecting number; the count goes out on Q.SIG only */
		struct pri_party_redirecting rd;

		memset(&rd, 0, sizeof(rd));
		c->redirecting = *o->redirecting;
		rd.from.number.valid = 1;
		rd.from.number.plan = PRI_UNKNOWN;
		rd.from.number.presentation = c->redirecting.presentation | PRI_PRES_USER_NUMBER_UNSCREENED;
		copy_str(rd.from.number.str, sizeof(rd.from.number.str), c->redirecting.number);
		rd.reason = c->redirecting.reason;
		rd.count = c->redirecting.count;
		pri_sr_set_redirecting_parties(sr, &rd);
	}
	if (pri_setup(pri, call, sr) != 0) {
		pri_set_overlapdial(pri, 0);
		pri_sr_free(sr);
		s->chan_busy[ch] = 0;
		c->used = 0;
		return -EIO;
	}
	pri_set_overlapdial(pri, 0);
	pri_sr_free(sr);
	/* the rule of the called number says what the channel carries (its action is not used) */
	r = sim_rules_match(s->rules, c->called);
	if (r)
		sim_audio_start(s->audio, ch, &r->early, &r->play);
	else
		sim_audio_start(s->audio, ch, NULL, NULL);
	*ret_cref = c->cref;
	*ret_channel = ch;
	return 0;
}

void sim_calls_drop(struct sim_calls *s, int rx, int tx)
{
	if (rx >= 0)
		s->drop_rx = rx;
	if (tx >= 0)
		s->drop_tx = tx;
	if (s->span)
		cwi_span_drop_frames(s->span, s->drop_rx, s->drop_tx);
	sim_report_drop(s->report, s->drop_rx, s->drop_tx, rel_ms(s));
}

int sim_calls_restart(struct sim_calls *s, int channel)
{
	struct pri *pri;
	int i;

	if (!s->span || !s->up)
		return -ENETDOWN;
	pri = cwi_span_pri(s->span);
	if (pri_reset(pri, channel) != 0)
		return -EIO;
	/* Q.931 §5.5.1: the call references on the channel go to Null without a message */
	for (i = 0; i < SIM_MAX_CALLS; i++) {
		struct sim_call *c = &s->calls[i];

		if (!c->used || c->channel != channel)
			continue;
		c->stage = SIM_ST_NONE;
		if (c->call)
			pri_destroycall(pri, c->call);
		c->call = NULL;
		call_end(s, c, "restart");
	}
	return 0;
}

int sim_calls_service(struct sim_calls *s, int channel, int in_service)
{
	if (!s->span || !s->up)
		return -ENETDOWN;
	if (!cwi_span_service_messages(s->switchtype))
		return -ENOTSUP;
	/* ANSI T1.607 Change status: 0 in service, 2 out of service */
	return pri_maintenance_service(cwi_span_pri(s->span), 0, channel, in_service ? 0 : 2) == 0
	       ? 0 : -EIO;
}

void sim_calls_collide(struct sim_calls *s, const struct sim_origination *o)
{
	struct sim_collision *h = &s->collide;

	h->o = *o;
	copy_str(h->called, sizeof(h->called), o->called);
	copy_str(h->calling, sizeof(h->calling), o->calling);
	copy_str(h->name, sizeof(h->name), o->name ? o->name : "");
	copy_str(h->more, sizeof(h->more), o->more ? o->more : "");
	h->o.called = h->called;
	h->o.calling = h->calling;
	h->o.name = o->name ? h->name : NULL;
	h->o.more = o->more ? h->more : NULL;
	if (o->redirecting)
		h->redirecting = *o->redirecting;
	h->o.redirecting = o->redirecting ? &h->redirecting : NULL;
	s->collide_armed = 1;
}
