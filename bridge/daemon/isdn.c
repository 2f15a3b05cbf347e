/* SPDX-License-Identifier: MIT */
/*
 * isdn.c — the spans: D-channel sources (socket:PATH, dahdi:N), reconnect
 * under the same span (docs/libpri.md §2), span events (bridge/pri's
 * struct cwi_pri_event) -> core events, core ISDN actions -> pri_call.h.
 *
 * What this relies on (docs/libpri.md): cwi_pri_call_hangup() is the only
 * clearing call and sends DISCONNECT, RELEASE or RELEASE COMPLETE by state
 * (docs/libpri.md §2, hangup_fix enabled by cwi_span_new); the Cause
 * location is neither exposed nor settable by the stack, so it is read and
 * written by the span adapter (docs/libpri.md §4); a call after a RELEASE
 * received lives until it is hung up once more (docs/libpri.md §2).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "calls.h"
#include "identity.h"
#include "isdn.h"
#include "log.h"
#include "metrics.h"
#include "resources.h"
#include "pri_call.h"
#include "route.h"
#include "span.h"

/* Q.931 Table 9-1 T309 (libpri's own default is 6 s): how long an active call outlives a
 * layer 2 loss unless the span sets t309 (bridge/config/README.md). */
#define T309_DEFAULT_MS 90000
#define RETRY_MS 500 /* README.md "Behaviour": a missing or lost source is retried every 500 ms */

struct cwb_span {
	struct cwb *d;
	size_t index;                   /* in cfg->spans and isdn->spans */
	const struct cwcfg_span *cfg;
	struct cwi_span *span;           /* created once, never freed before exit */
	struct cwi_dchan *src;           /* the attached source (owned by span), NULL if none */
	enum cwi_span_node node;
	int alaw;                       /* G.711 A-law (euroisdn, qsig) */
	int l2_up;                      /* the span reported DCHAN_UP and no DCHAN_DOWN since */
	int up;                         /* l2_up and a source without alarm: calls allowed */
	int up_once;
	int t309_kept;                  /* down, and answered calls were left to T309 */
	int fd;                         /* fd watched by the loop, -1 if none */
	uint64_t retry_at;              /* next source (re)open, monotonic ms; 0 = none */
	int open_error;                 /* last open errno logged (log each change once) */
};

struct cwb_isdn {
	struct cwb_span *spans;
	size_t n;
};

/* The span a call is (or was last) on, NULL if none. */
static struct cwb_span *span_of(const struct cwb_call *c)
{
	struct cwb_isdn *isdn = c->d->isdn;

	if (!isdn || c->bchan.span < 0 || (size_t)c->bchan.span >= isdn->n)
		return NULL;
	return &isdn->spans[c->bchan.span];
}

static void span_watch(struct cwb_span *sp, int fd);

/* Copy a number, cut to the core's CWC_CALL_NUMBER_MAX - 1 digits. */
static void copy_digits(char *dst, size_t len, const char *src)
{
	size_t n = src ? strnlen(src, len - 1) : 0;

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

/* ---- span state ---- */

static const char *down_reason(const struct cwb_span *sp)
{
	if (!sp->src)
		return sp->up_once ? "connection lost" : "no connection";
	if (cwi_dchan_alarm(sp->src))
		return "alarm";
	return "layer 2 down";
}

/* Q.931 §5.8.9 data link failure: a call in the Active state (U10: CONNECT sent or
 * received) survives a DL-RELEASE for T309, libpri's timer, which it starts for every
 * active call of a span that is not NFAS (docs/libpri.md §2); the link back in time stops
 * it, expiry clears the call with cause 27 (a HANGUP event). Only a layer 2 loss with
 * the source attached and no alarm keeps calls: a lost source or an alarm took the
 * B-channels too. Every call not yet answered is cleared at once (§5.8.9 a)). */
static int kept_for_t309(const struct cwb_span *sp, const struct cwb_call *c)
{
	enum cwc_call_state st = cwc_call_state(c->core);

	if (!sp->src || cwi_dchan_alarm(sp->src) || !c->isdn.q || c->isdn.release_rcvd)
		return 0;
	return st == CWC_CS_U10_ACTIVE || st == CWC_CS_S_U10_WAIT_ACK;
}

/* Clear the span's calls through the core, but those kept_for_t309(); 1 if any was kept.
 * README.md "Behaviour": at once, without waiting for libpri's T203 + N200 x T200. */
static int clear_calls(struct cwb_span *sp)
{
	struct cwb *d = sp->d;
	struct cwb_call *c;
	int kept = 0;

	for (c = d->calls; c; c = c->next) {
		struct cwc_call_event ev;

		if (c->finished || c->bchan.span != (long)sp->index)
			continue;
		if (kept_for_t309(sp, c)) {
			cwb_notice("call %lu: kept for T309 (span %u layer 2 down)", c->id,
			           sp->cfg->number);
			kept = 1;
			continue;
		}
		cwc_call_event_init(&ev, CWC_EV_ISDN_DCHAN_DOWN, d->now_ms);
		cwb_call_feed(c, &ev);
	}
	return kept;
}

/* Recompute "up"; on a change log it and, going down, clear the span's calls; the calls
 * kept for T309 go too if the source is then lost or in alarm. */
static void span_update(struct cwb_span *sp)
{
	struct cwb *d = sp->d;
	int up = sp->l2_up && sp->src && !cwi_dchan_alarm(sp->src);

	if (up == sp->up) {
		if (!up && sp->t309_kept && (!sp->src || cwi_dchan_alarm(sp->src))) {
			cwb_notice("span %u: %s: the calls kept for T309 are cleared",
			           sp->cfg->number, down_reason(sp));
			sp->t309_kept = clear_calls(sp);
		}
		return;
	}
	sp->up = up;
	cwb_resources_span_up(d->res, sp->index, up);
	cwb_metrics_dchannel(d->metrics, sp->cfg->number, up);
	if (up) {
		sp->up_once = 1;
		sp->t309_kept = 0; /* libpri stopped T309: they are calls as any other */
		cwb_notice("span %u: D-channel up", sp->cfg->number);
		return;
	}
	cwb_notice("span %u: D-channel down (%s)", sp->cfg->number, down_reason(sp));
	sp->t309_kept = clear_calls(sp);
}

static int source_open(struct cwb_span *sp, struct cwi_dchan **ret)
{
	if (sp->cfg->dchannel_kind == CWCFG_DCHAN_SOCKET)
		return cwi_dchan_socket_connect(sp->cfg->dchannel_path, ret);
	return cwi_dchan_dahdi_open((int)sp->cfg->dchannel_channo, ret);
}

static void source_attached(struct cwb_span *sp)
{
	if (sp->cfg->dchannel_kind == CWCFG_DCHAN_SOCKET)
		cwb_notice("span %u: connected to socket %s", sp->cfg->number, sp->cfg->dchannel_path);
	else
		cwb_notice("span %u: opened dahdi:%u", sp->cfg->number, sp->cfg->dchannel_channo);
	sp->open_error = 0;
	span_watch(sp, cwi_dchan_fd(sp->src));
}

static void source_failed(struct cwb_span *sp, int err, uint64_t now)
{
	if (err != sp->open_error) {
		if (sp->cfg->dchannel_kind == CWCFG_DCHAN_SOCKET)
			cwb_warning("span %u: cannot connect to socket %s: %s (retrying every %d ms)",
			            sp->cfg->number, sp->cfg->dchannel_path, strerror(-err), RETRY_MS);
		else
			cwb_warning("span %u: cannot open dahdi:%u: %s (retrying every %d ms)",
			            sp->cfg->number, sp->cfg->dchannel_channo, strerror(-err), RETRY_MS);
		sp->open_error = err;
	}
	sp->retry_at = now + RETRY_MS;
}

/* The source reported EOF/ENODEV (cwi_span_lost_cb); the span closes it after this. */
static void on_lost(struct cwi_span *span, void *arg)
{
	struct cwb_span *sp = arg;

	(void)span;
	span_watch(sp, -1);
	sp->src = NULL;
	sp->retry_at = sp->d->now_ms + RETRY_MS;
	span_update(sp);
}

static void on_libpri_log(struct cwi_span *span, int is_error, const char *text, void *arg)
{
	struct cwb_span *sp = arg;
	size_t n = strlen(text);

	(void)span;
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		n--;
	if (n == 0)
		return;
	cwb_log(is_error ? CWCFG_LOG_WARNING : CWCFG_LOG_DEBUG, "span %u: libpri: %.*s",
	        sp->cfg->number, (int)n, text);
}

/* ---- span events -> core events ---- */

static int more_spans(struct cwb_call *c);

static struct cwb_call *find_call(struct cwb_span *sp, const struct cwi_pri_call *q)
{
	struct cwb_call *c;

	if (!q)
		return NULL;
	c = cwcom_ptrmap_get(&sp->d->calls_by_q, q);
	if (c && !c->finished && c->bchan.span == (long)sp->index)
		return c;
	return NULL;
}

/* The call's span call from now on (NULL: none), and find_call()'s map with it. Never
 * fails: cwb_call_new() reserved an entry for every call on the list. A newer call given
 * the same handle takes the entry over; the older one leaving it then takes nothing. */
static void set_q(struct cwb_call *c, struct cwi_pri_call *q)
{
	if (c->isdn.q)
		(void)cwcom_ptrmap_del_if(&c->d->calls_by_q, c->isdn.q, c);
	c->isdn.q = q;
	if (q)
		(void)cwcom_ptrmap_put(&c->d->calls_by_q, q, c);
}

/* The received Cause IE's location, decoded from the wire (span adapter, docs/libpri.md §4), and what
 * libpri does not report with a clearing: the Progress indicators (Q.931 §5.3.4.1) and
 * cause 22's new number. */
static void fill_cause(struct cwb_span *sp, int cref, int cause, struct cwc_call_event *ev)
{
	int rc = 0, loc = CW_LOCATION_UNKNOWN, coding = 0;
	uint8_t diag[CWI_Q931_DIAG_MAX];
	size_t nd;

	ev->cause = cause > 0 && cause <= 127 ? cause : 0;
	if (cref >= 0 && cwi_span_received_cause(sp->span, cref, &rc, &loc, &coding) == 0 &&
	    (ev->cause == 0 || rc == ev->cause)) {
		ev->location = loc;
		ev->coding = coding >= 0 && coding <= 3 ? coding : 0;
		nd = cwi_span_received_diagnostic(sp->span, cref, diag, sizeof(diag));
		if (rc == 22 && nd > 0 &&
		    cwi_q931_diag_new_number(diag, nd, ev->diagnostic, sizeof(ev->diagnostic)) == 0)
			ev->has_diagnostic = 1;
	} else {
		ev->location = CW_LOCATION_UNKNOWN;
	}
	if (cref >= 0) /* CWC_PI(n) and the span's bit n are the same: description n */
		ev->pi_mask = cwi_span_received_progress(sp->span, cref);
}

/* A span call we do not (or no longer) know: clear it politely. */
static void unknown_call(struct cwb_span *sp, const struct cwi_pri_event *e, int cause)
{
	if (!e->call)
		return;
	switch (e->kind) {
	case CWI_PRI_EV_HANGUP_ACK:
		/* RELEASE COMPLETE: the span has freed it; a finished call's last word. */
		cwb_debug("span %u: %s for a finished call: ignored", sp->cfg->number, e->name);
		break;
	case CWI_PRI_EV_HANGUP_REQ:
	case CWI_PRI_EV_HANGUP:
		/* DISCONNECT -> RELEASE, RELEASE -> RELEASE COMPLETE (Q.931 §5.3.3, §5.3.4);
		 * the span frees its call after a hangup on HANGUP. */
		cwb_debug("span %u: %s for a finished call: hung up", sp->cfg->number, e->name);
		(void)cwi_pri_call_hangup(sp->span, e->call, cause > 0 ? cause : 16);
		break;
	default:
		/* Q.931 §5.8.3.2: a message for a call reference we do not know: clear
		 * with cause 81 (invalid call reference value). */
		cwb_info("span %u: %s for an unknown call: cleared with cause 81", sp->cfg->number,
		         e->name);
		(void)cwi_pri_call_hangup(sp->span, e->call, 81);
		break;
	}
}

/*
 * The route of number (as dialled) for a call from ISDN (RFC 3398 §8.1.1): 0 with the
 * rewritten number in out and c->route set, or the cause: 3 no route, 28 a number the
 * rewrite refuses, 41 every target put aside by a 503 + Retry-After (RFC 3261 §21.5.4,
 * as that 503 would be: RFC 3398 §8.2.6.1).
 */
static int route_number(struct cwb_call *c, const char *number, char *out, size_t len)
{
	struct cwb *d = c->d;
	const struct cwcfg_route *route = cwcfg_route_find(d->cfg, CWCFG_ISDN_TO_SIP, number);

	if (!route)
		return CWB_CAUSE_NO_ROUTE;
	if (cwb_number_rewrite(route, number, 1, out, len) < 0)
		return CWB_CAUSE_INVALID_NUMBER;
	c->route = route;
	if (cwb_resources_target_next(d->res, route, 0, d->now_ms) < 0)
		return CWB_CAUSE_TEMPORARY_FAILURE;
	return 0;
}

/*
 * Overlap receiving (Q.931 §5.2.4): what c->isdn.dialled asks for now. A trailing '#'
 * ends the dialling as Sending complete does. Not complete and a route can still take
 * more digits: ev->overlap (SETUP ACKNOWLEDGE, or T302 afresh). Otherwise the call goes
 * on (ev->called rewritten) or is cleared: 28 when a route wanted more digits (RFC 4497
 * §8.2.1.1), else route_number()'s cause. T302's verdict is kept for its expiry.
 */
static void overlap_judge(struct cwb_span *sp, struct cwb_call *c, int complete,
                          struct cwc_call_event *ev)
{
	char number[CWC_CALL_NUMBER_MAX];
	size_t n;
	enum cwcfg_match m;

	copy_digits(number, sizeof(number), c->isdn.dialled);
	n = strlen(number);
	if (n > 0 && number[n - 1] == '#') {
		number[--n] = '\0';
		complete = 1;
	}
	m = cwcfg_route_classify(c->d->cfg, CWCFG_ISDN_TO_SIP, number, NULL);
	c->isdn.t302_reject = m == CWCFG_MATCH_PREFIX ? CWB_CAUSE_INVALID_NUMBER
	                      : route_number(c, number, c->isdn.t302_called,
	                                     sizeof(c->isdn.t302_called));
	if (!complete && (m == CWCFG_MATCH_PREFIX || m == CWCFG_MATCH_ENOUGH)) {
		ev->overlap = 1;
		/* RFC 3578 §3.2: from the route's minimum digits on, INVITE the number so far */
		ev->overlap_invite = m == CWCFG_MATCH_ENOUGH && !c->isdn.t302_reject &&
		                     sp->cfg->overlap_method == CWCFG_OVERLAP_MULTIPLE_INVITE;
		copy_digits(ev->called.digits, sizeof(ev->called.digits),
		            ev->overlap_invite ? c->isdn.t302_called : number);
		return;
	}
	ev->reject_cause = c->isdn.t302_reject;
	copy_digits(ev->called.digits, sizeof(ev->called.digits),
	            ev->reject_cause ? number : c->isdn.t302_called);
}

/* INFORMATION in overlap receiving: its digits added to the number, judged again. */
static void on_information(struct cwb_span *sp, struct cwb_call *c, const struct cwi_pri_event *e)
{
	struct cwc_call_event ev;
	size_t have = strlen(c->isdn.dialled);

	if (cwc_call_state(c->core) != CWC_CS_I_U25_OVERLAP &&
	    cwc_call_state(c->core) != CWC_CS_I_U25_OVERLAP_INVITE) {
		cwb_call_debug(c, "INFORMATION after the number was complete: ignored");
		return;
	}
	cwc_call_event_init(&ev, CWC_EV_ISDN_INFORMATION, sp->d->now_ms);
	copy_digits(c->isdn.dialled + have, sizeof(c->isdn.dialled) - have, e->called.digits);
	/* a number that fills the field takes no more digits: it is complete */
	overlap_judge(sp, c, e->complete || strlen(c->isdn.dialled) + 1 >= sizeof(c->isdn.dialled),
	              &ev);
	copy_digits(c->called, sizeof(c->called), ev.called.digits);
	cwb_call_info(c, "INFORMATION %s on span %u: called=%s%s", e->called.digits,
	                 sp->cfg->number, c->isdn.dialled,
	                 ev.overlap_invite ? ", INVITE, more digits awaited"
	                 : ev.overlap ? ", more digits awaited" : e->complete ? ", sending complete" : "");
	cwb_call_feed(c, &ev);
}

/* Overlap sending (Q.931 §5.1.3): digits, one INFORMATION each; what names the moment. */
static void send_digits(struct cwb_span *sp, struct cwb_call *c, const char *digits,
                        const char *what)
{
	if (!c->isdn.q || cwi_pri_call_information(sp->span, c->isdn.q, digits) != 0)
		cwb_call_warning(c, "INFORMATION %s on span %u not sent", digits, sp->cfg->number);
	else
		cwb_call_info(c, "%sINFORMATION %s on span %u", what, digits, sp->cfg->number);
}

/* SETUP ACKNOWLEDGE to our SETUP: the rest of the number. The network judges the number;
   CALL PROCEEDING, ALERTING or CONNECT tell the core. */
static void on_setup_ack(struct cwb_span *sp, struct cwb_call *c)
{
	c->isdn.setup_acked = 1;
	if (!c->isdn.overlap_rest[0]) {
		cwb_call_info(c, "SETUP ACKNOWLEDGE on span %u: no digits left to send", sp->cfg->number);
		return;
	}
	send_digits(sp, c, c->isdn.overlap_rest, "SETUP ACKNOWLEDGE: ");
	c->isdn.overlap_rest[0] = '\0';
}

/*
 * Glare (Q.931 §5.2.3.1, §5.1.2): the network's SETUP names, exclusively, the channel of a
 * SETUP of ours it has not answered yet (our call still in U1). The network wins: the
 * incoming call c takes the channel; ours keeps no channel and is hunted again when the
 * network refuses it with cause 44 (the core's retry row; the channel is in its tried
 * list). 1 when c got the channel this way.
 */
static int glare_take(struct cwb_span *sp, int requested, int exclusive, struct cwb_call *c)
{
	struct cwb_call *o;

	if (!exclusive || requested <= 0)
		return 0;
	for (o = sp->d->calls; o; o = o->next) {
		if (o == c || o->finished || o->dir != CWC_CALL_FROM_SIP ||
		    o->bchan.span != (long)sp->index || o->bchan.channel != requested ||
		    cwc_call_state(o->core) != CWC_CS_S_U1_INITIATED)
			continue;
		if (cwb_resources_take_over(sp->d->res, &o->bchan, &c->bchan) != 0)
			return 0;
		cwb_call_notice(o, "glare on span %u channel %d: the network's SETUP takes it, ours "
		                "awaits its cause 44", sp->cfg->number, requested);
		return 1;
	}
	return 0;
}

/*
 * The SETUP's bearer capability (Q.931 §4.5.5) into ev: 0, or the cause to refuse the call
 * with (Q.850 §2.2.7.3): 65 for a capability the bridge cannot carry (restricted digital,
 * video, ...: never taken as speech), 58 for unrestricted digital on a span with
 * digital = no. Unrestricted digital goes to SIP as clearmode (RFC 4040).
 */
static int setup_bearer(const struct cwb_span *sp, enum cwi_pri_bearer bearer,
                        struct cwc_call_event *ev)
{
	switch (bearer) {
	case CWI_PRI_BEARER_SPEECH:
		ev->bearer = CWC_BEARER_SPEECH;
		return 0;
	case CWI_PRI_BEARER_AUDIO_3K1:
		ev->bearer = CWC_BEARER_AUDIO_3K1;
		return 0;
	case CWI_PRI_BEARER_DIGITAL:
		ev->bearer = CWC_BEARER_DIGITAL;
		return sp->cfg->digital ? 0 : CWB_CAUSE_BEARER_NOT_AVAILABLE;
	case CWI_PRI_BEARER_OTHER:
		break;
	}
	ev->bearer = CWC_BEARER_SPEECH; /* not used: the call is refused */
	return CWB_CAUSE_BEARER_NOT_IMPLEMENTED;
}

/* Q.952 §4.1.2: the Redirecting number of a SETUP received, as the INVITE carries it. */
static void redirecting_from_setup(const struct cwi_pri_redirecting *in, struct cwb_redirecting *r)
{
	memset(r, 0, sizeof(*r));
	if (!in->present)
		return;
	r->present = 1;
	copy_digits(r->digits, sizeof(r->digits), in->digits);
	r->ton = in->ton;
	r->npi = in->npi;
	r->presentation = r->digits[0] ? in->presentation & 3 : 2;
	r->reason = in->reason & 15;
	r->count = in->count < 1 ? 1 : in->count > CWB_REDIRECT_COUNT_MAX ? CWB_REDIRECT_COUNT_MAX
	                                                                  : in->count;
}

/*
 * Connected line (Q.951 §3 COLP, §4 COLR; README.md "Connected line"): the Connected
 * number of a CONNECT received is kept for the 2xx toward SIP (sipside.c); the one
 * the 2xx gave (sipside.c) goes into the CONNECT sent.
 */
static void take_connected(struct cwb_call *c, const struct cwi_pri_party *p)
{
	struct cwc_call_party *k = &c->connected;

	memset(k, 0, sizeof(*k));
	if (!p->digits[0])
		return;
	copy_digits(k->digits, sizeof(k->digits), p->digits);
	k->ton = p->ton;
	k->npi = p->npi;
	k->presentation = p->presentation;
	k->screening = p->screening;
	cwb_call_info(c, "connected number=%s ton=%d presentation=%s screening=%s", k->digits,
	              k->ton, k->presentation == 1 ? "restricted" : "allowed",
	              cwb_screening_name(k->screening));
}

static void send_connected(struct cwb_span *sp, struct cwb_call *c, const char *name)
{
	struct cwi_pri_party p;

	if (!c->connected.digits[0] && !(name && name[0]))
		return;
	memset(&p, 0, sizeof(p));
	copy_digits(p.digits, sizeof(p.digits), c->connected.digits);
	p.ton = c->connected.ton;
	p.npi = c->connected.npi;
	p.presentation = c->connected.presentation;
	p.screening = c->connected.screening;
	if (cwi_pri_call_connected(sp->span, c->isdn.q, &p, name) != 0)
		cwb_call_warning(c, "libpri refused the connected line");
}

static void on_ring(struct cwb_span *sp, const struct cwi_pri_event *r)
{
	struct cwb *d = sp->d;
	struct cwi_pri_call *q = r->call;
	int requested = r->channel;
	int exclusive = r->exclusive, rc, bearer_cause;
	struct cwc_call_event ev;
	struct cwb_call *c;
	char called[CWC_CALL_NUMBER_MAX];

	cwc_call_event_init(&ev, CWC_EV_ISDN_SETUP, d->now_ms);
	copy_digits(ev.called.digits, sizeof(ev.called.digits), r->called.digits);
	ev.called.ton = r->called.ton; /* Q.931 §4.5.8 octet 3 */
	ev.called.npi = r->called.npi;
	copy_digits(ev.calling.digits, sizeof(ev.calling.digits), r->calling.digits);
	ev.calling.ton = r->calling.ton; /* Q.931 §4.5.10 octet 3 */
	ev.calling.npi = r->calling.npi;
	ev.calling.presentation = r->calling.presentation; /* octet 3a bits 7-6 */
	ev.calling.screening = r->calling.screening;       /* octet 3a bits 2-1 */
	/* the calling name (NI2, DMS100, 5ESS, QSIG: docs/libpri.md §3), IA5 only */
	cwb_display_clean(r->calling.name, ev.calling.name, sizeof(ev.calling.name));
	bearer_cause = setup_bearer(sp, r->bearer, &ev);

	c = cwb_call_new(d, CWC_CALL_FROM_ISDN, sp->cfg);
	if (!c) {
		/* Nothing goes out for a hangup straight from RING (docs/libpri.md §2). */
		(void)cwi_pri_call_proceeding(sp->span, q, requested);
		(void)cwi_pri_call_hangup(sp->span, q, 47); /* Q.850 resource unavailable, unspecified */
		return;
	}
	c->bchan.span = (long)sp->index;
	set_q(c, q);
	c->isdn.cref = r->cref;
	c->bearer = ev.bearer;
	copy_digits(c->called, sizeof(c->called), ev.called.digits);
	copy_digits(c->calling, sizeof(c->calling), ev.calling.digits);
	cwb_call_identity_log(c, &ev.calling, "isdn");
	redirecting_from_setup(&r->redirecting, &c->redirecting);
	cwb_call_redirect_log(c, "isdn");

	/* RFC 3398 §8.1.1: route by the called number; targets are tried in order (sipside.c).
	 * A span with overlap takes a number without Sending complete digit by digit. */
	copy_digits(c->isdn.dialled, sizeof(c->isdn.dialled), ev.called.digits);
	if (d->stopping) {
		/* draining (README.md "Drain"): as a SIP INVITE now, cause 42 */
		ev.reject_cause = CWB_CAUSE_CONGESTION;
	} else if (bearer_cause) {
		/* Q.931 §5.2.5.1: a bearer not carried is refused before routing */
		ev.reject_cause = bearer_cause;
	} else if (sp->cfg->overlap) {
		overlap_judge(sp, c, r->complete, &ev);
	} else if ((ev.reject_cause = route_number(c, ev.called.digits, called, sizeof(called))) ==
	           0) {
		copy_digits(ev.called.digits, sizeof(ev.called.digits), called);
	}
	if (!ev.reject_cause && !glare_take(sp, requested, exclusive, c) &&
	    (rc = cwb_resources_claim_on(d->res, sp->index, requested, exclusive, &c->bchan)) != 0)
		ev.reject_cause = rc;
	if (!ev.reject_cause) {
		copy_digits(c->called, sizeof(c->called), ev.called.digits);
		ev.channel = c->bchan.channel;
	}
	if (ev.reject_cause)
		cwb_call_info(c, "SETUP on span %u called=%s calling=%s bearer %s: refused, cause %d",
		                 sp->cfg->number, c->called, c->calling,
		                 r->bearer == CWI_PRI_BEARER_OTHER ? "other"
		                                                   : cwc_call_bearer_name(ev.bearer),
		                 ev.reject_cause);
	else
		cwb_call_info(c, "SETUP on span %u channel %d called=%s calling=%s%s",
		                 sp->cfg->number, c->bchan.channel, c->called, c->calling,
		                 ev.overlap_invite ? ", INVITE, more digits awaited"
		                 : ev.overlap ? ", more digits awaited" : "");
	cwb_call_start(c, &ev);
}

/*
 * RESTART received (Q.931 §5.5.2) for channel, or every channel (-1: the interface; libpri
 * has answered RESTART ACKNOWLEDGE): the channel is idle again and the call references on it
 * are in the Null state without a clearing message. Each call on it forgets its libpri call,
 * gives its B-channel back at once (hunting may take it again) and is cleared toward SIP
 * through the core (ISDN_RESTART: cause 41).
 */
static void on_restart(struct cwb_span *sp, int channel)
{
	struct cwb *d = sp->d;
	struct cwb_call *c;
	unsigned n = 0;

	for (c = d->calls; c; c = c->next) {
		struct cwc_call_event ev;
		int had_call = c->isdn.q != NULL;

		if (c->finished || c->bchan.span != (long)sp->index ||
		    (channel > 0 ? c->bchan.channel != channel : !had_call && c->bchan.channel <= 0))
			continue;
		n++;
		cwb_call_info(c, "RESTART of channel %d on span %u: call cleared", c->bchan.channel,
		              sp->cfg->number);
		if (had_call)
			cwi_pri_call_destroy(sp->span, c->isdn.q);
		set_q(c, NULL);
		cwb_resources_release(d->res, &c->bchan);
		if (!had_call)
			continue; /* its ISDN leg had ended: only the channel was still held */
		cwc_call_event_init(&ev, CWC_EV_ISDN_RESTART, d->now_ms);
		cwb_call_feed(c, &ev);
	}
	if (channel > 0)
		cwb_notice("span %u: RESTART of channel %d (%u call%s cleared)", sp->cfg->number, channel,
		           n, n == 1 ? "" : "s");
	else
		cwb_notice("span %u: RESTART of every channel (%u call%s cleared)", sp->cfg->number, n,
		           n == 1 ? "" : "s");
}

/*
 * SERVICE received (ANSI T1.607 maintenance; libpri has answered SERVICE ACKNOWLEDGE): a
 * channel out of service (or in maintenance) is not hunted until a SERVICE puts it back in
 * service; a call on it goes on.
 */
static void on_service(struct cwb_span *sp, int channel, int in_service)
{
	if (channel <= 0 || channel > CWCFG_MAX_CHANNEL || !(sp->cfg->bchannels >> channel & 1UL)) {
		cwb_warning("span %u: SERVICE for channel %d, not a B-channel of the span: ignored",
		            sp->cfg->number, channel);
		return;
	}
	cwb_resources_channel_service(sp->d->res, sp->index, channel, in_service);
	cwb_notice("span %u: channel %d %s (SERVICE)", sp->cfg->number, channel,
	           in_service ? "in service" : "out of service");
}

/* The core refused the SETUP itself (a bad field): clear it on the wire. */
static void isdn_refused(struct cwb_call *c)
{
	struct cwb_span *sp = span_of(c);

	if (!sp || !c->isdn.q)
		return;
	(void)cwi_pri_call_proceeding(sp->span, c->isdn.q, c->bchan.channel);
	(void)cwi_pri_call_hangup(sp->span, c->isdn.q, 111); /* Q.850 protocol error, unspecified */
	set_q(c, NULL);
}

static void on_event(struct cwi_span *span, const struct cwi_pri_event *e, void *arg)
{
	struct cwb_span *sp = arg;
	struct cwc_call_event ev;
	struct cwb_call *c = NULL;
	struct cwi_pri_call *q = e->call;
	int cref = e->cref;
	enum cwi_pri_event_kind type = e->kind;
	uint64_t now = sp->d->now_ms;

	(void)span;
	cwb_debug("span %u: libpri %s", sp->cfg->number, e->name);
	switch (type) {
	case CWI_PRI_EV_DCHAN_UP:
		sp->l2_up = 1;
		span_update(sp);
		return;
	case CWI_PRI_EV_DCHAN_DOWN:
		sp->l2_up = 0;
		span_update(sp);
		return;
	case CWI_PRI_EV_RING:
		on_ring(sp, e);
		return;
	case CWI_PRI_EV_PROCEEDING:
		cwc_call_event_init(&ev, CWC_EV_ISDN_PROCEEDING, now);
		break;
	case CWI_PRI_EV_RINGING:
		cwc_call_event_init(&ev, CWC_EV_ISDN_ALERTING, now);
		ev.pi_mask = e->pi_mask; /* CWC_PI(n) and the event's bit n: description n */
		break;
	case CWI_PRI_EV_PROGRESS:
		cwc_call_event_init(&ev, CWC_EV_ISDN_PROGRESS, now);
		fill_cause(sp, cref, e->cause, &ev);
		ev.pi_mask = e->pi_mask;
		break;
	case CWI_PRI_EV_ANSWER:
		cwc_call_event_init(&ev, CWC_EV_ISDN_CONNECT, now);
		break;
	case CWI_PRI_EV_CONNECT_ACK:
		cwc_call_event_init(&ev, CWC_EV_ISDN_CONNECT_ACK, now);
		break;
	case CWI_PRI_EV_INFO:
		cwc_call_event_init(&ev, CWC_EV_ISDN_INFORMATION, now); /* on_information() */
		break;
	case CWI_PRI_EV_SETUP_ACK:
		if ((c = find_call(sp, q)) != NULL)
			on_setup_ack(sp, c);
		return;
	case CWI_PRI_EV_HANGUP_REQ:
		cwc_call_event_init(&ev, CWC_EV_ISDN_DISCONNECT, now);
		fill_cause(sp, cref, e->cause, &ev);
		break;
	case CWI_PRI_EV_HANGUP:
		cwc_call_event_init(&ev, CWC_EV_ISDN_RELEASE, now);
		fill_cause(sp, cref, e->cause, &ev);
		break;
	case CWI_PRI_EV_HANGUP_ACK:
		cwc_call_event_init(&ev, CWC_EV_ISDN_RELEASE_COMPLETE, now);
		fill_cause(sp, cref, e->cause, &ev);
		break;
	case CWI_PRI_EV_RESTART:
		on_restart(sp, e->channel);
		return;
	case CWI_PRI_EV_SERVICE:
		on_service(sp, e->channel, e->in_service);
		return;
	case CWI_PRI_EV_CONFIG_ERR:
		cwb_warning("span %u: libpri configuration error: %s", sp->cfg->number, e->text);
		return;
	default:
		cwb_debug("span %u: %s ignored", sp->cfg->number, e->name);
		return;
	}
	c = find_call(sp, q);
	if (!c) {
		unknown_call(sp, e, ev.cause);
		return;
	}
	if (type == CWI_PRI_EV_INFO) {
		on_information(sp, c, e);
		return;
	}
	if (cref >= 0)
		c->isdn.cref = cref;
	if (c->isdn.overlap_rest[0]) {
		/* Q.931 §5.1.3: no SETUP ACKNOWLEDGE, the network took the SETUP's digits as all */
		cwb_call_notice(c, "%s before SETUP ACKNOWLEDGE on span %u: digits %s not sent",
		                e->name, sp->cfg->number, c->isdn.overlap_rest);
		c->isdn.overlap_rest[0] = '\0';
	}
	if (type == CWI_PRI_EV_ANSWER)
		take_connected(c, &e->connected);
	if (ev.type == CWC_EV_ISDN_DISCONNECT || ev.type == CWC_EV_ISDN_RELEASE ||
	    ev.type == CWC_EV_ISDN_RELEASE_COMPLETE)
		ev.more_spans = more_spans(c); /* hunting: the core's g_next_span */
	if (type == CWI_PRI_EV_ANSWER) /* for the 2xx (sipside.c) */
		cwb_display_clean(e->connected_name, c->connected_name, sizeof(c->connected_name));
	if (type == CWI_PRI_EV_HANGUP)
		c->isdn.release_rcvd = 1; /* the span waits for a hangup to free it */
	else if (type == CWI_PRI_EV_HANGUP_ACK)
		set_q(c, NULL); /* RELEASE COMPLETE: the span has freed it */
	cwb_call_feed(c, &ev);
	/* Whatever the core made of a RELEASE, the span's call must be freed (a
	 * refused or late event must not leak it): RELEASE COMPLETE now. */
	if (type == CWI_PRI_EV_HANGUP && c->isdn.q == q && q) {
		(void)cwi_pri_call_hangup(sp->span, q, ev.cause > 0 ? ev.cause : 16);
		set_q(c, NULL);
	}
}

/* ---- core ISDN actions -> pri_call.h ---- */

/* Another span of the call's group, not tried yet, has a free B-channel (RFC 4497 §8.3.1). */
static int more_spans(struct cwb_call *c)
{
	if (c->dir != CWC_CALL_FROM_SIP || !c->route || !c->route->group)
		return 0;
	return cwb_resources_hunt_possible(c->d->res, c->route->group, &c->tried);
}

/* Overlap sending (Q.931 §5.1.3): a span with overlap_sending keeps the first
   overlap_sending_digits digits in called; the others go to rest (else rest is ""). */
static void overlap_split(const struct cwb_span *sp, char *called, char *rest, size_t len)
{
	size_t k = sp->cfg->overlap_sending_digits;

	rest[0] = '\0';
	if (!sp->cfg->overlap_sending || strlen(called) <= k)
		return;
	copy_digits(rest, len, called + k);
	called[k] = '\0';
}

/* Digits a SIP overlap sender added (RFC 3578 §3): INFORMATION after SETUP ACKNOWLEDGE, kept
   for it before. */
static void more_digits(struct cwb_span *sp, struct cwb_call *c, const char *digits)
{
	size_t have = strlen(c->isdn.overlap_rest);

	if (!sp->cfg->overlap_sending) {
		cwb_call_notice(c, "digits %s: span %u has no overlap sending, not sent", digits,
		                sp->cfg->number);
	} else if (!c->isdn.setup_acked) {
		copy_digits(c->isdn.overlap_rest + have, sizeof(c->isdn.overlap_rest) - have, digits);
		cwb_call_info(c, "digits %s kept for SETUP ACKNOWLEDGE", digits);
	} else {
		send_digits(sp, c, digits, "");
	}
}

/* SETUP on the call's span and B-channel (Q.931 §5.1.1). 0 or -1. */
static int send_setup(struct cwb_call *c, const struct cwc_call_action *a)
{
	struct cwb_span *sp = span_of(c);
	struct cwi_pri_setup setup;
	struct cwi_pri_redirecting redirecting;
	struct cwi_pri_call *q;
	int cref;
	char called[CWC_CALL_NUMBER_MAX], calling[CWC_CALL_NUMBER_MAX], name[CWC_CALL_NAME_MAX];

	if (!sp || c->bchan.channel <= 0 || !sp->up)
		return -1;
	if (a->bearer == CWC_BEARER_DIGITAL && !sp->cfg->digital) {
		/* a span hunted after cause 34/44 that does not carry it ([span N] digital) */
		cwb_call_info(c, "span %u: digital = no, no SETUP with unrestricted digital",
		                 sp->cfg->number);
		return -1;
	}
	copy_digits(called, sizeof(called), a->called.digits);
	copy_digits(calling, sizeof(calling), a->calling.digits);
	/* a name goes only with a presented number (identity.c leaves it empty otherwise) */
	snprintf(name, sizeof(name), "%s", a->calling.name);
	memset(&setup, 0, sizeof(setup));
	setup.called = called;
	setup.called_ton = a->called.ton;
	setup.called_npi = a->called.npi;
	setup.calling = calling; /* empty: presentation not available (Q.931 §4.5.10) */
	setup.calling_ton = a->calling.ton;
	setup.calling_npi = a->calling.npi;
	setup.presentation = a->calling.presentation;
	setup.screening = a->calling.screening;
	setup.calling_name = name;
	setup.bearer = a->bearer == CWC_BEARER_AUDIO_3K1 ? CWI_PRI_BEARER_AUDIO_3K1
	               : a->bearer == CWC_BEARER_DIGITAL ? CWI_PRI_BEARER_DIGITAL
	                                                 : CWI_PRI_BEARER_SPEECH;
	/* G.711 A-law in Europe (euroisdn, qsig), mu-law elsewhere (Q.931 §4.5.5 octet 5). */
	setup.alaw = sp->alaw;
	setup.channel = c->bchan.channel;
	setup.exclusive = 1; /* Q.931 §5.1.2 a) */
	overlap_split(sp, called, c->isdn.overlap_rest, sizeof(c->isdn.overlap_rest));
	setup.overlap = sp->cfg->overlap_sending;
	if (c->redirecting.present) { /* from the INVITE's Diversion / History-Info (sipside.c) */
		memset(&redirecting, 0, sizeof(redirecting));
		redirecting.present = 1;
		copy_digits(redirecting.digits, sizeof(redirecting.digits), c->redirecting.digits);
		redirecting.ton = c->redirecting.ton;
		redirecting.npi = c->redirecting.npi;
		redirecting.presentation = c->redirecting.presentation;
		redirecting.reason = c->redirecting.reason;
		redirecting.count = c->redirecting.count;
		setup.redirecting = &redirecting;
	}
	if (cwi_pri_call_setup(sp->span, &setup, &q, &cref) != 0)
		return -1;
	set_q(c, q);
	/* RFC 3578 §3 from SIP: a later INVITE may join it (sipside.c join_overlap()) */
	if (c->dir == CWC_CALL_FROM_SIP &&
	    (setup.overlap || ((size_t)c->bchan.span < c->cfg->n_spans &&
	                       c->cfg->spans[c->bchan.span].overlap_sending)))
		cwb_call_overlap_list(c);
	c->isdn.hung = 0;
	c->isdn.setup_acked = 0;
	c->isdn.release_rcvd = 0;
	c->isdn.cref = cref; /* libpri form (docs/libpri.md §4); events confirm it */
	cwb_call_info(c, "SETUP on span %u channel %d called=%s%s%s", sp->cfg->number,
	                 c->bchan.channel, called, setup.overlap ? ", overlap sending, to follow: " : "",
	                 setup.overlap ? (c->isdn.overlap_rest[0] ? c->isdn.overlap_rest : "-") : "");
	return 0;
}

static void queue_no_channel(struct cwb_call *c, uint64_t now)
{
	struct cwc_call_event ev;

	cwc_call_event_init(&ev, CWC_EV_ISDN_NO_CHANNEL, now);
	cwb_call_queue(c, &ev);
}

/* Give back the B-channel and detach the span's call (events for it become "unknown"). */
static void detach_isdn(struct cwb_call *c, int cause)
{
	struct cwb_span *sp = span_of(c);

	if (!sp)
		return;
	/* Not hung up yet, or a RELEASE received that nobody answered: the span
	 * frees its call only after a hangup (docs/libpri.md §2). */
	if (c->isdn.q && (!c->isdn.hung || c->isdn.release_rcvd))
		(void)cwi_pri_call_hangup(sp->span, c->isdn.q, cause > 0 ? cause : 16);
	set_q(c, NULL);
	if (c->isdn.cref >= 0)
		cwi_span_forget_cref(sp->span, c->isdn.cref);
	c->isdn.cref = -1;
	cwb_resources_release(c->d->res, &c->bchan);
}

static void isdn_perform(struct cwb_call *c, const struct cwc_call_action *a, uint64_t now)
{
	struct cwb_span *sp = span_of(c);
	struct cwb_isdn_leg *leg = &c->isdn;

	switch (a->type) {
	case CWC_ACT_ISDN_SETUP:
		if (sp) /* docs/cdr.md: one routes_tried entry per SETUP */
			(void)cwc_call_attempt_begin(c->core, NULL, (int)sp->cfg->number);
		if (send_setup(c, a) < 0)
			queue_no_channel(c, now);
		return;
	case CWC_ACT_ISDN_SETUP_RETRY: {
		/* RFC 3398 §7.2.4.1 / Q.931 §5.2.3.1: cause 44, hunt another B-channel;
		 * next_span (cause 34/44, RFC 4497 §8.3.1): another span of the group.
		 * The old call was answered (RELEASE / RELEASE COMPLETE) by the
		 * action before this one; its later events are dropped as unknown. */
		const char *group = c->route && c->route->group ? c->route->group
		                    : sp                        ? sp->cfg->group
		                                                : NULL;

		leg->hung = 1;
		detach_isdn(c, a->cause);
		c->bchan.span = -1;
		if (cwb_resources_claim_hunt(c->d->res, group, a->next_span, &c->tried, &c->bchan) != 0 ||
		    send_setup(c, a) < 0) {
			cwb_call_info(c, "no other %s after cause %d",
			                 a->next_span ? "span" : "B-channel", a->cause);
			queue_no_channel(c, now);
			return;
		}
		(void)cwc_call_attempt_begin(c->core, NULL, (int)span_of(c)->cfg->number);
		return;
	}
	default:
		break;
	}
	if (!sp || !leg->q) {
		cwb_call_debug(c, "%s without a libpri call: skipped",
		                  cwc_call_action_name(a->type));
		return;
	}
	switch (a->type) {
	case CWC_ACT_ISDN_PROCEEDING:
		(void)cwi_pri_call_proceeding(sp->span, leg->q, c->bchan.channel);
		break;
	case CWC_ACT_ISDN_SETUP_ACK:
		if (cwi_pri_call_setup_ack(sp->span, leg->q, c->bchan.channel) != 0)
			cwb_call_warning(c, "libpri refused SETUP ACKNOWLEDGE");
		break;
	case CWC_ACT_ISDN_ALERTING:
		/* PI 8 with in-band information (docs/libpri.md §5) */
		(void)cwi_pri_call_alerting(sp->span, leg->q, c->bchan.channel,
		                           (a->pi_mask & CWC_PI(8)) != 0);
		break;
	case CWC_ACT_ISDN_PROGRESS:
		/* PI 8 or, for anything else, PI 1 (docs/libpri.md §5) */
		(void)cwi_pri_call_progress(sp->span, leg->q, c->bchan.channel,
		                           (a->pi_mask & CWC_PI(8)) != 0);
		break;
	case CWC_ACT_ISDN_CONNECT:
		/* the Connected number (Q.951 §3) and, on QSIG, the answering party's name as a
		   connectedName (bridge/pri/README.md "Switch types"): the other switch types
		   carry no connected name here */
		send_connected(sp, c, sp->cfg->switchtype == CWCFG_SWITCH_QSIG ? c->connected_name
		                                                              : NULL);
		(void)cwi_pri_call_answer(sp->span, leg->q, c->bchan.channel);
		break;
	case CWC_ACT_ISDN_INFORMATION:
		more_digits(sp, c, a->called.digits);
		break;
	case CWC_ACT_ISDN_DISCONNECT:
	case CWC_ACT_ISDN_RELEASE:
	case CWC_ACT_ISDN_RELEASE_COMPLETE:
		/* The stack has no location API: the span adapter rewrites the Cause IE
		 * of this call reference (docs/libpri.md §4). */
		if (leg->cref >= 0 && a->location >= 0 && a->location <= 15)
			(void)cwi_span_set_cause_location(sp->span, leg->cref, a->location);
		/* DISCONNECT with PI 8 (in-band information, Q.931 §5.3.4.1): the hangup
		 * cannot carry it; the span adapter inserts the IE into the frame. Location:
		 * the bridge's own (local_location of the span). */
		if (a->type == CWC_ACT_ISDN_DISCONNECT && (a->pi_mask & CWC_PI(8)) && leg->cref >= 0)
			(void)cwi_span_set_disconnect_progress(sp->span, leg->cref, sp->cfg->location, 8);
		(void)cwi_pri_call_hangup(sp->span, leg->q, a->cause > 0 ? a->cause : 16);
		leg->hung = 1;
		if (leg->release_rcvd || a->type == CWC_ACT_ISDN_RELEASE_COMPLETE)
			set_q(c, NULL); /* a hangup after HANGUP frees the span's call */
		break;
	default:
		break;
	}
}

static void isdn_finished(struct cwb_call *c, const struct cwc_call_summary *s)
{
	/* D-channel loss, guard timer, operator: the span may still hold the call;
	 * a hangup lets it clear on its own timers (T305/T308). */
	detach_isdn(c, s->cause > 0 ? s->cause : 16);
}

static void isdn_describe(const struct cwb_call *c, struct cwb_cdr_legs *legs)
{
	const struct cwb_span *sp = span_of(c);

	legs->span = sp ? (int)sp->cfg->number : 0;
	legs->cref = c->isdn.cref;
}

static const struct cwb_leg_ops isdn_ops = {
	.perform = isdn_perform,
	.refused = isdn_refused,
	.finished = isdn_finished,
	.describe = isdn_describe,
	.release = NULL,
};

/* ---- start, tick, free ---- */

static void apply_timers(struct cwb_span *sp)
{
	static const struct {
		enum cwcfg_timer t;
		enum cwi_span_timer span;
	} map[] = {
		{ CWCFG_T200, CWI_SPAN_T200 }, { CWCFG_T203, CWI_SPAN_T203 },
		{ CWCFG_T303, CWI_SPAN_T303 }, { CWCFG_T305, CWI_SPAN_T305 },
		{ CWCFG_T308, CWI_SPAN_T308 }, { CWCFG_T309, CWI_SPAN_T309 },
		{ CWCFG_T313, CWI_SPAN_T313 }, { CWCFG_T316, CWI_SPAN_T316 },
		{ CWCFG_N200, CWI_SPAN_N200 }, { CWCFG_K, CWI_SPAN_K },
		/* T310, T301 and T302 are the core's (bridge/config/README.md). */
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		long v = sp->cfg->timers[map[i].t];

		if (v <= 0 && map[i].t == CWCFG_T309)
			v = T309_DEFAULT_MS;
		if (v > 0 && cwi_span_set_timer(sp->span, map[i].span, (int)v) != 0)
			cwb_warning("%s:%u: libpri refused %s = %ld", sp->d->cfg->file,
			            sp->cfg->timer_lines[map[i].t], cwcfg_timer_name(map[i].t), v);
	}
}

/* The loop reported the span's fd readable at now. */
static void span_readable(void *arg, uint64_t now)
{
	struct cwb_span *sp = arg;

	(void)now; /* libpri's events take the loop's now_ms */
	(void)cwi_span_on_readable(sp->span);
	if (sp->src)
		span_update(sp); /* a DAHDI alarm event is handled inside the read */
}

/* Watch fd (>= 0) for the span instead of the one before, or none (-1). */
static void span_watch(struct cwb_span *sp, int fd)
{
	struct cwb *d = sp->d;

	if (sp->fd >= 0) {
		d->fd_ops->unwatch(d, sp->fd);
		sp->fd = -1;
	}
	if (fd < 0)
		return;
	/* DAHDI signals events with POLLPRI (docs/dahdi.md §1.3) */
	if (d->fd_ops->watch(d, fd, EPOLLIN | EPOLLPRI, span_readable, sp) < 0) {
		cwb_error("span %u: cannot poll the D-channel: %s", sp->cfg->number, strerror(errno));
		return;
	}
	sp->fd = fd;
}

static int span_open(struct cwb *d, struct cwb_span *sp, uint64_t now)
{
	const struct cwcfg_span *s = sp->cfg;
	struct cwi_dchan *src = NULL;
	char name[32];
	int sw, r;

	if (cwi_switchtype_from_name(cwcfg_switchtype_name(s->switchtype), &sw) != 0) {
		cwb_error("%s:%u: switchtype not supported by libpri", d->cfg->file, s->switchtype_line);
		return 1;
	}
	sp->node = s->signalling == CWCFG_PRI_NET ? CWI_SPAN_NETWORK : CWI_SPAN_CPE;
	r = source_open(sp, &src);
	if (r == -ENOTSUP) {
		cwb_error("%s:%u: error: dchannel = dahdi:%u: causeway-bridge was built without "
		          "DAHDI support (dahdi/user.h)",
		          d->cfg->file, s->dchannel_line, s->dchannel_channo);
		return 1;
	}
	if (r < 0) {
		src = NULL;
		source_failed(sp, r, now);
	}
	snprintf(name, sizeof(name), "span %u", s->number);
	/* cwi_span_new owns src from now on, also on failure. */
	r = cwi_span_new_captured(&sp->span, name, sp->node, sw, src, d->cap, s->number, on_event,
	                          sp);
	if (r < 0) {
		cwb_error("span %u: cannot create the libpri span: %s", s->number, strerror(-r));
		return 1;
	}
	sp->src = src;
	cwi_span_set_lost_cb(sp->span, on_lost);
	cwi_span_set_log_cb(sp->span, on_libpri_log);
	apply_timers(sp);
	if (src)
		source_attached(sp);
	return 0;
}

int cwb_isdn_start(struct cwb *d)
{
	const struct cwcfg_config *cfg = d->cfg;
	struct cwb_isdn *isdn = calloc(1, sizeof(*isdn));
	size_t i;

	if (isdn)
		isdn->spans = calloc(cfg->n_spans ? cfg->n_spans : 1, sizeof(*isdn->spans));
	if (!isdn || !isdn->spans) {
		free(isdn);
		cwb_error("out of memory");
		return 1;
	}
	isdn->n = cfg->n_spans;
	d->isdn = isdn;
	for (i = 0; i < isdn->n; i++) {
		struct cwb_span *sp = &isdn->spans[i];

		sp->d = d;
		sp->index = i;
		sp->cfg = &cfg->spans[i];
		sp->fd = -1;
		sp->alaw = cwb_span_alaw(sp->cfg);
	}
	cwb_calls_set_leg(d, CWB_SIDE_ISDN, &isdn_ops);
	for (i = 0; i < isdn->n; i++)
		if (span_open(d, &isdn->spans[i], d->now_ms) != 0)
			return 1;
	return 0;
}

void cwb_isdn_reload(struct cwb *d, const struct cwcfg_config *cfg)
{
	for (size_t i = 0; d->isdn && i < d->isdn->n && i < cfg->n_spans; i++)
		d->isdn->spans[i].cfg = &cfg->spans[i];
}

int cwb_isdn_every_span_up_once(const struct cwb *d)
{
	for (size_t i = 0; d->isdn && i < d->isdn->n; i++)
		if (!d->isdn->spans[i].up_once)
			return 0;
	return 1;
}

void cwb_isdn_tick(struct cwb *d, uint64_t now)
{
	size_t i;

	for (i = 0; d->isdn && i < d->isdn->n; i++) {
		struct cwb_span *sp = &d->isdn->spans[i];

		cwi_span_run_timers(sp->span);
		if (!sp->src && sp->retry_at && now >= sp->retry_at) {
			struct cwi_dchan *src = NULL;
			int r = source_open(sp, &src);

			if (r < 0) {
				source_failed(sp, r, now);
				continue;
			}
			/* The same span under a new source (docs/libpri.md §2): layer 2
			 * re-establishes at the next T200 tick. */
			cwi_span_set_source(sp->span, src);
			sp->src = src;
			sp->retry_at = 0;
			source_attached(sp);
		}
		span_update(sp);
	}
}

int cwb_isdn_next_timeout(const struct cwb *d, uint64_t now)
{
	int best = -1;
	size_t i;

	for (i = 0; d->isdn && i < d->isdn->n; i++) {
		const struct cwb_span *sp = &d->isdn->spans[i];
		int t = cwi_span_next_timeout_ms(sp->span, NULL);

		if (t >= 0 && (best < 0 || t < best))
			best = t;
		if (!sp->src && sp->retry_at) {
			t = sp->retry_at > now ? (int)(sp->retry_at - now) : 0;
			if (best < 0 || t < best)
				best = t;
		}
		if (sp->src && sp->cfg->dchannel_kind == CWCFG_DCHAN_DAHDI && (best < 0 || best > 1000))
			best = 1000; /* look at the alarm state at least once a second */
	}
	return best;
}

void cwb_isdn_free(struct cwb *d)
{
	size_t i;

	if (!d->isdn)
		return;
	for (i = 0; i < d->isdn->n; i++) {
		struct cwb_span *sp = &d->isdn->spans[i];

		if (!sp->span)
			continue;
		span_watch(sp, -1);
		cwi_span_free(sp->span);
		sp->span = NULL;
		sp->src = NULL;
	}
	free(d->isdn->spans);
	free(d->isdn);
	d->isdn = NULL;
}
