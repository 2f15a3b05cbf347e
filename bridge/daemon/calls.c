/* SPDX-License-Identifier: MIT */
/*
 * calls.c — the bridge call: one cwc_call (bridge/core) and its two legs.
 * Every event goes through cwc_call_handle(); the actions it returns are
 * handed in order to the ops of their side (bridge/core/README.md "Adapter
 * obligations"); the core's timers become absolute deadlines fed back as
 * CWC_EV_TIMER_EXPIRED; the finished call's summary becomes the end line
 * and the CDR.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/q850.h>

#include "calls.h"
#include "common/error.h"
#include "cdr.h"
#include "config_ref.h"
#include "identity.h"
#include "log.h"
#include "metrics.h"
#include "media.h"

void cwb_calls_set_leg(struct cwb *d, enum cwb_side side, const struct cwb_leg_ops *ops)
{
	if ((unsigned)side < CWB_SIDE_COUNT)
		d->legs[side] = ops;
}

static const struct cwb_leg_ops *leg(const struct cwb_call *c, enum cwb_side side)
{
	return c->d->legs[side];
}

/* docs/cdr.md: the call's line, mapped from the core's summary (cdr_record.c). */
static void write_cdr(const struct cwb_call *c, const struct cwc_call_summary *s, uint64_t now)
{
	struct cwb_cdr_legs legs;
	struct cwb_cdr_text text;
	struct cwcdr out;
	char *line = NULL;
	size_t len = 0;
	int rc;

	if (c->d->cdr == NULL)
		return;
	memset(&legs, 0, sizeof(legs));
	legs.dir = c->dir;
	legs.cref = -1;
	for (int side = 0; side < CWB_SIDE_COUNT; side++)
		if (leg(c, side) && leg(c, side)->describe)
			leg(c, side)->describe(c, &legs);
	legs.called = c->called;
	legs.calling = c->calling;
	legs.route = c->route ? c->route->name : NULL;
	legs.profile = cw_profile_name(c->profile);
	legs.node = c->cfg ? c->cfg->general.node : NULL;
	legs.bearer = c->bearer;
	legs.t_start_wall_ms = c->t_start_wall;
	cwb_cdr_from_summary(s, &legs, now, &out, &text);
	rc = cwcdr_format(&out, &line, &len);
	if (rc < 0) {
		cwb_call_error(c, "CDR not written: %s", cwcom_strerror(rc));
		return;
	}
	rc = cwcdr_file_append(c->d->cdr, line, len);
	if (rc < 0)
		cwb_call_error(c, "CDR write failed (%s); the record was: %.*s", cwcom_strerror(rc),
		                  (int)(len - 1), line);
	free(line);
}

static void call_link(struct cwb *d, struct cwb_call *c)
{
	d->ncalls_linked++;
	c->next = d->calls;
	c->prev = NULL;
	if (d->calls)
		d->calls->prev = c;
	d->calls = c;
}

void cwb_call_overlap_list(struct cwb_call *c)
{
	struct cwb *d = c->d;

	if (c->overlap_listed)
		return;
	c->overlap_next = d->overlap_calls;
	c->overlap_prev = NULL;
	if (d->overlap_calls)
		d->overlap_calls->overlap_prev = c;
	d->overlap_calls = c;
	c->overlap_listed = 1;
}

static void overlap_unlist(struct cwb *d, struct cwb_call *c)
{
	if (!c->overlap_listed)
		return;
	if (c->overlap_prev)
		c->overlap_prev->overlap_next = c->overlap_next;
	else
		d->overlap_calls = c->overlap_next;
	if (c->overlap_next)
		c->overlap_next->overlap_prev = c->overlap_prev;
	c->overlap_next = c->overlap_prev = NULL;
	c->overlap_listed = 0;
}

static void call_unlink(struct cwb *d, struct cwb_call *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		d->calls = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->next = c->prev = NULL;
	d->ncalls_linked--;
	overlap_unlist(d, c);
	(void)cwcom_heap_set(&d->timers, &c->timer, 0);
	if (c->isdn.q)
		(void)cwcom_ptrmap_del_if(&d->calls_by_q, c->isdn.q, c);
}

/* The call's key in d->timers: its earliest running deadline (0: out of the heap). Never
 * fails: cwb_call_new() reserved an entry for every call on the list. */
static void call_timers_update(struct cwb_call *c)
{
	uint64_t best = 0;

	for (size_t i = 0; i < CWC_TIMER_COUNT; i++)
		if (c->deadline[i] && (!best || c->deadline[i] < best))
			best = c->deadline[i];
	(void)cwcom_heap_set(&c->d->timers, &c->timer, best);
}

struct cwb_call *cwb_call_new(struct cwb *d, enum cwc_call_dir dir, const struct cwcfg_span *s)
{
	struct cwc_call_config cfg;
	struct cwb_call *c = calloc(1, sizeof(*c));
	int r;

	if (!c) {
		cwb_error("out of memory for a call");
		return NULL;
	}
	if (cwcom_heap_reserve(&d->timers, d->ncalls_linked + 1) < 0 ||
	    cwcom_ptrmap_reserve(&d->calls_by_q, d->ncalls_linked + 1) < 0) {
		cwb_error("out of memory for a call's timers and index");
		free(c);
		return NULL;
	}
	cwc_call_config_init(&cfg, dir);
	if (s) {
		cfg.profile = s->profile;
		cfg.pri_net = s->signalling == CWCFG_PRI_NET;
		cfg.local_location = s->location;
		/* t310/t301 drive the core's supervision; libpri's stay disabled
		 * (bridge/config/README.md; docs/libpri.md §5). */
		if (s->timers[CWCFG_T310] > 0)
			cfg.timer_ms[CWC_TIMER_T310] = (uint64_t)s->timers[CWCFG_T310];
		if (s->timers[CWCFG_T301] > 0)
			cfg.timer_ms[CWC_TIMER_T301] = (uint64_t)s->timers[CWCFG_T301];
		if (s->timers[CWCFG_T302] > 0) /* overlap receiving, Q.931 §5.2.4 */
			cfg.timer_ms[CWC_TIMER_T302] = (uint64_t)s->timers[CWCFG_T302];
		/* RFC 3398 §7.1.6 (bridge/config/README.md: early_release, default yes) */
		cfg.early_release = s->early_release;
	}
	cfg.retry_after_s = d->cfg->sip.retry_after;
	cfg.timer_ms[CWC_TIMER_INVITE] = d->cfg->sip.invite_timeout;
	cfg.timer_ms[CWC_TIMER_INTERWORK] = d->cfg->sip.interwork_timeout;
	cfg.max_redirects = d->cfg->sip.max_redirects; /* RFC 3261 §8.1.3.4 ([sip] max_redirects) */
	r = cwc_call_new(&c->core, &cfg);
	if (r < 0) {
		cwb_error("cannot create a call: %s", cwcom_strerror(r));
		free(c);
		return NULL;
	}
	c->d = d;
	c->dir = dir;
	c->id = ++d->next_call_id;
	/* README.md "Reload": the call keeps the configuration it started with */
	c->cfg_ref = cwb_config_ref_hold(d->cfg_ref);
	c->cfg = d->cfg;
	if (cfg.profile == NULL)
		(void)cw_profile_get(CW_PROFILE_DEFAULT, &cfg.profile);
	c->profile = cfg.profile;
	c->t_start_wall = d->now_wall_ms;
	c->bchan.span = -1;
	c->isdn.cref = -1;
	call_link(d, c);
	d->ncalls_live++;
	return c;
}

void cwb_call_queue(struct cwb_call *c, const struct cwc_call_event *ev)
{
	if (c->nqueue >= CWB_EVENT_QUEUE) {
		cwb_call_error(c, "event queue full, %s dropped", cwc_call_event_name(ev->type));
		return;
	}
	if (!c->queue && !(c->queue = malloc(CWB_EVENT_QUEUE * sizeof(*c->queue)))) {
		cwb_call_error(c, "out of memory, %s dropped", cwc_call_event_name(ev->type));
		return;
	}
	c->queue[c->nqueue++] = *ev;
}

/* A rule as one token for the end line: FILE:LINE, "builtin", or "-". */
static void rule_token(const cw_rule *r, char *buf, size_t len)
{
	const char *f;

	if (!r) {
		snprintf(buf, len, "-");
		return;
	}
	if (r->line == 0 || !r->file) {
		snprintf(buf, len, "builtin");
		return;
	}
	f = strrchr(r->file, '/');
	snprintf(buf, len, "%s:%u", f ? f + 1 : r->file, r->line);
}

/* README.md "Log lines": call ID: end dir=sip|isdn called=NUM calling=NUM status=S cause=C
 * location=LOC cleared_by=SIDE rules=C2S/S2C */
static void log_end(const struct cwb_call *c, const struct cwc_call_summary *s)
{
	char c2s[160], s2c[160], status[16], cause[16];
	const char *loc = s->location >= 0 ? cw_location_name(s->location) : NULL;

	rule_token(s->c2s_rule, c2s, sizeof(c2s));
	rule_token(s->s2c_rule, s2c, sizeof(s2c));
	if (s->sip_status > 0)
		snprintf(status, sizeof(status), "%d", s->sip_status);
	else
		snprintf(status, sizeof(status), "-");
	if (s->cause > 0)
		snprintf(cause, sizeof(cause), "%d", s->cause);
	else
		snprintf(cause, sizeof(cause), "-");
	cwb_call_notice(c, "end dir=%s called=%s calling=%s status=%s cause=%s location=%s "
	                   "cleared_by=%s rules=%s/%s",
	                   c->dir == CWC_CALL_FROM_SIP ? "sip" : "isdn", c->called[0] ? c->called : "-",
	                   c->calling[0] ? c->calling : "-", status, cause, loc ? loc : "-",
	                   cwc_call_side_name(s->cleared_by), c2s, s2c);
}

static void call_finished(struct cwb_call *c, const struct cwc_call_action *a)
{
	size_t i;

	c->finished = 1;
	for (i = 0; i < CWC_TIMER_COUNT; i++)
		c->deadline[i] = 0;
	call_timers_update(c);
	c->nqueue = 0;
	if (c->d->ncalls_live)
		c->d->ncalls_live--;
	log_end(c, &a->summary);
	write_cdr(c, &a->summary, a->summary.end_ms);
	cwb_metrics_call_end(c->d->metrics, c->dir, c->route ? c->route->name : NULL, &a->summary);
	cwb_media_call_free(c->media); /* before the legs give the B-channel back */
	c->media = NULL;
	for (int side = 0; side < CWB_SIDE_COUNT; side++)
		if (leg(c, side) && leg(c, side)->finished)
			leg(c, side)->finished(c, &a->summary);
}

/* The side an action is for; CWB_SIDE_COUNT for the local ones. */
static enum cwb_side action_side(enum cwc_call_action_type type)
{
	switch (type) {
	case CWC_ACT_SIP_PROVISIONAL:
	case CWC_ACT_SIP_200_OK:
	case CWC_ACT_SIP_FINAL_ERROR:
	case CWC_ACT_SIP_INVITE:
	case CWC_ACT_SIP_INVITE_NEXT:
	case CWC_ACT_SIP_CANCEL:
	case CWC_ACT_SIP_BYE:
	case CWC_ACT_SIP_ACK:
	case CWC_ACT_SIP_REFRESH:
		return CWB_SIDE_SIP;
	case CWC_ACT_ISDN_SETUP:
	case CWC_ACT_ISDN_SETUP_RETRY:
	case CWC_ACT_ISDN_PROCEEDING:
	case CWC_ACT_ISDN_SETUP_ACK:
	case CWC_ACT_ISDN_ALERTING:
	case CWC_ACT_ISDN_PROGRESS:
	case CWC_ACT_ISDN_CONNECT:
	case CWC_ACT_ISDN_DISCONNECT:
	case CWC_ACT_ISDN_RELEASE:
	case CWC_ACT_ISDN_RELEASE_COMPLETE:
	case CWC_ACT_ISDN_INFORMATION:
		return CWB_SIDE_ISDN;
	default:
		return CWB_SIDE_COUNT;
	}
}

static void perform(struct cwb_call *c, const struct cwc_call_action *a, uint64_t now)
{
	enum cwb_side side = action_side(a->type);
	char line[512];

	if (cwb_log_level >= CWCFG_LOG_DEBUG) {
		cwc_call_action_format(a, line, sizeof(line));
		cwb_call_debug(c, "< %s", line);
	}
	if (side != CWB_SIDE_COUNT) {
		if (leg(c, side) && leg(c, side)->perform)
			leg(c, side)->perform(c, a, now);
		return;
	}
	switch (a->type) {
	case CWC_ACT_TIMER_START:
		if ((unsigned)a->timer < CWC_TIMER_COUNT) {
			c->deadline[a->timer] = now + (a->timer_ms ? a->timer_ms : 1);
			call_timers_update(c);
		}
		break;
	case CWC_ACT_TIMER_STOP:
		if ((unsigned)a->timer < CWC_TIMER_COUNT) {
			c->deadline[a->timer] = 0;
			call_timers_update(c);
		}
		break;
	case CWC_ACT_CALL_FINISHED:
		call_finished(c, a);
		break;
	default:
		break;
	}
}

static void feed_one(struct cwb_call *c, const struct cwc_call_event *ev)
{
	struct cwc_call_action acts[CWC_CALL_ACTIONS_MAX];
	enum cwc_call_state before = cwc_call_state(c->core);
	size_t n = 0, i;
	int r;

	r = cwc_call_handle(c->core, ev, acts, CWC_CALL_ACTIONS_MAX, &n);
	if (r == CWC_CALL_ESTATE) {
		/* bridge/core README: not permitted here; nothing changed. */
		cwb_call_info(c, "%s not permitted in state %s: ignored",
		                 cwc_call_event_name(ev->type), cwc_call_state_name(before));
		return;
	}
	if (r < 0) {
		cwb_call_warning(c, "%s refused by the core: %s", cwc_call_event_name(ev->type),
		                    cwcom_strerror(r));
		return;
	}
	cwb_call_info(c, "%s: %s -> %s", cwc_call_event_name(ev->type),
	                 cwc_call_state_name(before), cwc_call_state_name(cwc_call_state(c->core)));
	for (i = 0; i < n && !c->finished; i++)
		perform(c, &acts[i], ev->now_ms);
}

void cwb_call_feed(struct cwb_call *c, const struct cwc_call_event *ev)
{
	unsigned guard = 0;

	if (c->finished)
		return;
	if (c->feeding) {
		/* An action led back here: keep the order, feed it afterwards. */
		cwb_call_queue(c, ev);
		return;
	}
	c->feeding = 1;
	feed_one(c, ev);
	while (!c->finished && c->nqueue > 0 && guard++ < 16) {
		struct cwc_call_event next = c->queue[0];

		memmove(&c->queue[0], &c->queue[1], (c->nqueue - 1) * sizeof(c->queue[0]));
		c->nqueue--;
		next.now_ms = ev->now_ms;
		feed_one(c, &next);
	}
	if (c->finished)
		c->nqueue = 0;
	if (c->nqueue == 0) {
		free(c->queue);
		c->queue = NULL;
	}
	c->feeding = 0;
	/* the audio follows the call's B-channel (hunting may have moved it) */
	if (!c->finished)
		cwb_media_call_bind(c->media, c->bchan.span, c->bchan.channel);
}

void cwb_call_start(struct cwb_call *c, const struct cwc_call_event *ev)
{
	enum cwb_side from = c->dir == CWC_CALL_FROM_SIP ? CWB_SIDE_SIP : CWB_SIDE_ISDN;

	/* the route's max_call_seconds: the core's MAX-DURATION timer, from the answer on */
	if (c->route && c->route->max_call_seconds)
		(void)cwc_call_set_timer(c->core, CWC_TIMER_MAX_DURATION,
		                        (uint64_t)c->route->max_call_seconds * 1000);
	cwb_call_feed(c, ev);
	if (cwc_call_state(c->core) != CWC_CS_NULL || c->finished)
		return;
	/* The core refused the event itself (a bad field): the wire is answered here. */
	if (leg(c, from) && leg(c, from)->refused)
		leg(c, from)->refused(c);
	cwb_resources_release(c->d->res, &c->bchan);
	cwb_media_call_free(c->media);
	c->media = NULL;
	c->finished = 1;
	if (c->d->ncalls_live)
		c->d->ncalls_live--;
}

static const char *const presentation_names[] = { "allowed", "restricted", "unavailable",
	                                           "reserved" };

void cwb_call_redirect_log(const struct cwb_call *c, const char *source)
{
	const struct cwb_redirecting *r = &c->redirecting;

	if (r->present)
		cwb_call_info(c, "redirecting source=%s number=%s reason=%d (%s) count=%d presentation=%s",
		                 source, r->digits[0] ? r->digits : "-", r->reason,
		                 cwb_redirect_reason_name(r->reason), r->count,
		                 presentation_names[r->presentation & 3]);
}

void cwb_call_identity_log(const struct cwb_call *c, const struct cwc_call_party *p,
                           const char *source)
{
	const char *const *pres = presentation_names;

	cwb_call_info(c, "identity source=%s calling=%s presentation=%s screening=%s name=%s",
	                 source, p->digits[0] ? p->digits : "-", pres[p->presentation & 3],
	                 cwb_screening_name(p->screening), p->name[0] ? p->name : "-");
}

void cwb_call_log(const struct cwb_call *c, enum cwcfg_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cwb_log_callv(level, c->id, c->sip.peer, fmt, ap);
	va_end(ap);
}

uint64_t cwb_calls_next_deadline(const struct cwb *d)
{
	const struct cwcom_heap_entry *top = cwcom_heap_top(&d->timers);

	return top ? top->key : 0;
}

/*
 * README "Failover": the core fails over on its own supervision of the SIP leg (the INVITE
 * timer; T310 after a 100) as on Timer B, so its expiry says, as SIP_INVITE_TIMEOUT does
 * (sipside.c failover_info), whether another target of the route is usable.
 */
static void timer_failover_info(struct cwb_call *c, struct cwc_call_event *ev)
{
	if (c->dir == CWC_CALL_FROM_ISDN &&
	    (ev->timer == CWC_TIMER_INVITE || ev->timer == CWC_TIMER_T310))
		ev->more_routes = cwb_resources_target_next(c->d->res, c->route, c->targets_tried,
		                                            ev->now_ms) >= 0;
}

/* T302 expiry (Q.931 §5.2.4): the number as the ISDN leg judged it at the last digit. */
static void t302_info(struct cwb_call *c, struct cwc_call_event *ev)
{
	const char *number;

	if (ev->timer != CWC_TIMER_T302)
		return;
	ev->reject_cause = c->isdn.t302_reject;
	number = ev->reject_cause ? c->isdn.dialled : c->isdn.t302_called;
	snprintf(ev->called.digits, sizeof(ev->called.digits), "%s", number);
	snprintf(c->called, sizeof(c->called), "%s", number);
}

void cwb_calls_run_timers(struct cwb *d, uint64_t now)
{
	struct cwcom_heap_entry *top;

	/* The calls due, earliest first. Each pass stops every deadline of the call that has
	 * come (a timer the core starts again runs from now, so it is later): the top moves on.
	 * Calls are unlinked only by cwb_calls_reap(), so the call stays valid meanwhile. */
	while ((top = cwcom_heap_top(&d->timers)) != NULL && top->key <= now) {
		struct cwb_call *c = (struct cwb_call *)((char *)top - offsetof(struct cwb_call, timer));
		size_t i;

		for (i = 0; i < CWC_TIMER_COUNT; i++) {
			struct cwc_call_event ev;

			if (!c->deadline[i] || c->deadline[i] > now)
				continue;
			c->deadline[i] = 0;
			call_timers_update(c);
			if (c->finished)
				continue;
			cwc_call_event_init(&ev, CWC_EV_TIMER_EXPIRED, now);
			ev.timer = (enum cwc_call_timer)i;
			timer_failover_info(c, &ev);
			t302_info(c, &ev);
			cwb_call_feed(c, &ev);
		}
	}
}

static void call_free(struct cwb *d, struct cwb_call *c)
{
	call_unlink(d, c);
	cwb_media_call_free(c->media);
	c->media = NULL;
	for (int side = 0; side < CWB_SIDE_COUNT; side++)
		if (leg(c, side) && leg(c, side)->release)
			leg(c, side)->release(c);
	cwc_call_free(c->core);
	cwb_config_ref_drop(c->cfg_ref);
	free(c->queue);
	free(c);
}

void cwb_calls_reap(struct cwb *d)
{
	struct cwb_call *c = d->calls, *next;

	for (; c; c = next) {
		next = c->next;
		if (c->finished && !c->feeding)
			call_free(d, c);
	}
}

size_t cwb_calls_admin_release(struct cwb *d, uint64_t now)
{
	struct cwb_call *c;
	size_t n = 0;

	for (c = d->calls; c; c = c->next) {
		struct cwc_call_event ev;

		if (c->finished)
			continue;
		n++;
		cwc_call_event_init(&ev, CWC_EV_ADMIN_RELEASE, now);
		ev.cause = 16; /* Q.850 normal call clearing */
		cwb_call_feed(c, &ev);
	}
	return n;
}

void cwb_calls_free_all(struct cwb *d, uint64_t now)
{
	while (d->calls) {
		struct cwb_call *c = d->calls;

		if (!c->finished) {
			struct cwc_call_summary s;

			cwb_call_warning(c, "still in state %s at exit: dropped",
			                    cwc_call_state_name(cwc_call_state(c->core)));
			/* docs/cdr.md: never lost on SIGTERM, even when clearing did not finish */
			cwc_call_summary_get(c->core, &s);
			s.cleared_by = CWC_SIDE_LOCAL;
			write_cdr(c, &s, now);
			c->finished = 1;
			if (d->ncalls_live)
				d->ncalls_live--;
		}
		call_free(d, c);
	}
}
