/* SPDX-License-Identifier: MIT */
/*
 * bridge/core/call_fsm.c — the transition table of the call state
 * machine, its guards and action functions, the timer table and the
 * state -> timer table.
 *
 * Read a row as: in STATE, on EVENT, if GUARD holds, do ACTION and enter
 * NEXT, because CLAUSE says so; CAUSE says which cause the row sends and
 * why. An action's cause is declared beside it (CAUSE_OF_a_...); a row
 * whose cause depends on the state (the timer rows) names it itself
 * (ROWC). The action functions take FIXED/EVENT/REJECT/EARLY/RETRY causes
 * from the row (row_cause()), so call-table.md shows the number that runs. Rows are tried in order; the first whose
 * state, event and guard match wins; no match rejects the event by name.
 * Timers are not started or stopped by action functions: the engine
 * (call.c) stops the timers of the old state and starts those of the new
 * one (cwc_call_state_timer_mask[]), so a reader checks them once, per state.
 */
#include <string.h>

#include "call_internal.h"

/* ---- Timers (Q.931 §9.1 Table 9-1; RFC 3261 §17; RFC 3398) ---- */

const struct cwc_call_timer_info cwc_call_timers[CWC_TIMER_COUNT] = {
	{ CWC_TIMER_T310, "T310", 30000,
	  "Q.931 Table 9-1 T310 (30-120 s; 30 s chosen); expiry as ISUP T7, RFC 3398 §7.2.2: 504 + cause 102; "
	  "on the SIP leg after a 100: next target, else CANCEL + cause 18 (Q.931 §5.2.5.4)" },
	{ CWC_TIMER_T301, "T301", 180000,
	  "Q.931 Table 9-1 T301 (minimum 3 min); expiry as ISUP T9, RFC 3398 §7.2.8: 480 + cause 19; "
	  "on the SIP leg: CANCEL + 19 after ALERTING, 18 after PROGRESS (Q.931 §5.2.5.4)" },
	{ CWC_TIMER_INVITE, "INVITE", 32000,
	  "RFC 3261 §17.1.1.2 Timer B = 64*T1; next target as on a 408 (RFC 3261 §16.7), "
	  "else RFC 3398 §8.1.3: cause 18 + CANCEL" },
	{ CWC_TIMER_ACK, "ACK", 32000,
	  "RFC 3261 §13.3.1.4 (64*T1 without ACK); RFC 3398 §7.1.4: cause 102 + BYE" },
	{ CWC_TIMER_INTERWORK, "INTERWORK", 10000,
	  "RFC 3398 §7.1.6 interwork timer (early release: PROGRESS with cause, DISCONNECT with PI 8)" },
	{ CWC_TIMER_CLEAR_GUARD, "CLEAR-GUARD", 40000,
	  "Q.931 T305 30 s + T308 4 s are libpri's; this guard only ends a call whose leg never finishes" },
	{ CWC_TIMER_MAX_DURATION, "MAX-DURATION", 0,
	  "the gateway's own limit on an answered call (off by default): BYE + DISCONNECT 16, "
	  "Q.931 §5.3.3 clearing by the network, RFC 3398 §10.2; also ends a call whose BYE was lost" },
	{ CWC_TIMER_SESSION_REFRESH, "SESSION-REFRESH", 0,
	  "RFC 4028 §10: the refresher sends a refresh at half the session interval (off unless "
	  "the bridge is the refresher of a negotiated interval, cwc_call_set_session())" },
	{ CWC_TIMER_SESSION_EXPIRY, "SESSION-EXPIRY", 0,
	  "RFC 4028 §10: no refresh by interval - min(32 s, interval/3) (the refresher: by the "
	  "interval): BYE + DISCONNECT 102, Q.850 recovery on timer expiry (off without an interval)" },
	{ CWC_TIMER_T302, "T302", 15000,
	  "Q.931 Table 9-1/9-2 T302 (10-15 s; 15 s chosen), §5.2.4 overlap receiving: from SETUP "
	  "ACKNOWLEDGE, restarted by each INFORMATION; expiry: the number as it is, or cause 28" },
};

#define TB(t) (1u << CWC_TIMER_##t)

const unsigned cwc_call_state_timer_mask[CWC_CS_COUNT] = {
	[CWC_CS_NULL] = 0,
	[CWC_CS_S_U1_INITIATED] = 0,               /* T303 is libpri's */
	[CWC_CS_S_U3_PROCEEDING] = TB(T310),
	[CWC_CS_S_U3_PROGRESSING] = TB(T301),      /* RFC 3398 §7.2: T9 runs in "Not alerting" */
	[CWC_CS_S_U3_EARLY_RELEASE] = TB(INTERWORK),
	[CWC_CS_S_U12_EARLY_RELEASE] = TB(INTERWORK),
	[CWC_CS_S_U4_DELIVERED] = TB(T301),
	[CWC_CS_S_U10_WAIT_ACK] = TB(ACK),
	[CWC_CS_I_U25_OVERLAP] = TB(T302),         /* Q.931 §5.2.4 */
	[CWC_CS_I_U25_OVERLAP_INVITE] = TB(T302),  /* still dialling; Timer B is the SIP layer's */
	[CWC_CS_I_U9_CALLING] = TB(INVITE),
	[CWC_CS_I_U9_PROCEEDING] = TB(T310),       /* 100 Trying as CALL PROCEEDING */
	[CWC_CS_I_U9_PROGRESSING] = TB(T301),
	[CWC_CS_I_U7_RECEIVED] = TB(T301),
	[CWC_CS_U10_ACTIVE] = TB(MAX_DURATION) | TB(SESSION_REFRESH) | TB(SESSION_EXPIRY),
	[CWC_CS_C_U11] = TB(CLEAR_GUARD),
	[CWC_CS_C_U19] = TB(CLEAR_GUARD),
	[CWC_CS_C_CANCEL] = TB(CLEAR_GUARD),
	[CWC_CS_C_CANCEL_U11] = TB(CLEAR_GUARD),
	[CWC_CS_C_CANCEL_U19] = TB(CLEAR_GUARD),
	[CWC_CS_C_ACKWAIT] = TB(ACK),
	[CWC_CS_C_ACKWAIT_U11] = TB(ACK) | TB(CLEAR_GUARD),
	[CWC_CS_C_ACKWAIT_U19] = TB(ACK) | TB(CLEAR_GUARD),
	[CWC_CS_DONE] = 0,
};

/* ---- Shared pieces ---- */

/* A received cause; a missing Cause IE counts as 31 (Q.850 §2.2.7: normal, unspecified). */
static int ev_cause(const struct cwc_call_event *ev)
{
	return ev->cause > 0 ? ev->cause : 31;
}

static void fmt_reason(char *buf, int cause, int location)
{
	const cw_q850_info *info = NULL;

	buf[0] = '\0';
	if (cw_q850_info_get(cause, &info) != 0)
		return;
	if (cw_reason_format(buf, CWC_CALL_REASON_MAX, CW_REASON_Q850, cause, info->name,
	                     location, NULL) != 0)
		buf[0] = '\0';
}

/* Keep the Reason of a BYE that must wait (for the ACK, or for a late 200). */
static void set_pending(struct cwc_call *call, int cause, int location)
{
	call->pending_cause = cause;
	call->pending_location = location;
	fmt_reason(call->pending_reason, cause, location);
}

static void note_cause(struct cwc_call *call, int cause, int location)
{
	call->summary.cause = cause;
	call->summary.location = location;
}

static void cleared_by(struct cwc_call *call, enum cwc_call_side side)
{
	if (call->summary.cleared_by == CWC_SIDE_NONE)
		call->summary.cleared_by = side;
}

/* The final error response for a cause (RFC 3398 §7.2.4.1 via the profile). */
static void sip_final_from_cause(struct cwc_fsm_ctx *ctx, int cause, int location, int has_diag,
                                 const char *diag)
{
	struct cwc_call *call = ctx->call;
	struct cwc_call_action *a;
	cw_sip_result r;

	if (cw_map_cause_to_sip(call->cfg.profile, cause, location, has_diag, &r) != 0) {
		r.status = 500; /* cannot happen for a checked cause: RFC 3398 default */
		r.flags = 0;
		r.rule = NULL;
	}
	a = cwc_fsm_push(ctx, CWC_ACT_SIP_FINAL_ERROR);
	a->status = r.status; /* for CLEAR and RETRY_CHANNEL: the fallback status */
	a->cause = cause;
	a->location = location;
	fmt_reason(a->reason, cause, location);
	if (r.flags & CW_C2S_F_RETRY_AFTER)
		a->retry_after_s = call->cfg.retry_after_s;
	if ((r.flags & CW_C2S_F_CONTACT) && has_diag && diag)
		memcpy(a->contact, diag, strnlen(diag, sizeof(a->contact) - 1));
	call->summary.c2s_rule = r.rule;
	call->summary.sip_status = r.status;
	note_cause(call, cause, location);
}

/*
 * The cause toward ISDN for a SIP response or request, with the received
 * Reason values (RFC 3398 §8.2.6.1, §7.2.3). NONE (487) still needs a
 * cause when ISDN must be cleared: 31 (RFC 4497 §8.4.4 NOTE 7).
 */
static int cause_from_sip(struct cwc_fsm_ctx *ctx, enum cw_sip_event sev, int status, int warning,
                          int *ret_location)
{
	struct cwc_call *call = ctx->call;
	cw_sip_query q = { .event = sev, .status = status, .warning = warning,
	                   .reasons = &ctx->reasons };
	cw_cause_result r;

	if (cw_map_sip_to_cause(call->cfg.profile, &q, &r) != 0) {
		*ret_location = call->cfg.local_location;
		return 31;
	}
	call->summary.s2c_rule = r.rule;
	call->summary.location_rule = r.location_rule;
	*ret_location = r.location;
	if (r.action == CW_S2C_NONE || r.cause <= 0)
		return 31;
	/* REDIRECT not followed, AUTHENTICATE/REORIGINATE: no credentials, no
	   remedy: all clear with the cause (RFC 3398 §8.2.5, §8.2.6.1 notes (*), (+)). */
	return r.cause;
}

static void isdn_disconnect(struct cwc_fsm_ctx *ctx, int cause, int location, unsigned pi)
{
	struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_ISDN_DISCONNECT);

	a->cause = cause;
	a->location = location;
	a->pi_mask = pi;
	note_cause(ctx->call, cause, location);
}

/* The answer to a received clearing message (Q.931 §5.3.3, §5.3.4). */
static void isdn_reply(struct cwc_fsm_ctx *ctx)
{
	const struct cwc_call_event *ev = ctx->ev;
	struct cwc_call_action *a;

	if (ev->type == CWC_EV_ISDN_DISCONNECT) {
		a = cwc_fsm_push(ctx, CWC_ACT_ISDN_RELEASE);
		a->cause = ev_cause(ev);
	} else if (ev->type == CWC_EV_ISDN_RELEASE) {
		a = cwc_fsm_push(ctx, CWC_ACT_ISDN_RELEASE_COMPLETE);
		a->cause = ev_cause(ev);
	}
}

static void sip_with_reason(struct cwc_fsm_ctx *ctx, enum cwc_call_action_type type, int cause,
                            int location)
{
	struct cwc_call_action *a = cwc_fsm_push(ctx, type);

	a->cause = cause;
	a->location = location;
	fmt_reason(a->reason, cause, location);
}

static int local_loc(const struct cwc_fsm_ctx *ctx)
{
	return ctx->call->cfg.local_location;
}

/* The cause the row decides (its "cause" column) for this event and call; 0 where the
   action resolves it (SIP: the profile; PENDING: the kept Reason) or sends none. */
static int row_cause(const struct cwc_fsm_ctx *ctx)
{
	const struct cwc_fsm_cause *c = &ctx->row->cause;
	const struct cwc_call *call = ctx->call;

	switch (c->src) {
	case CWC_FSM_CAUSE_FIXED: return c->cause;
	case CWC_FSM_CAUSE_EVENT: return ctx->ev->cause > 0 ? ctx->ev->cause : c->cause;
	case CWC_FSM_CAUSE_REJECT: return ctx->ev->reject_cause;
	case CWC_FSM_CAUSE_EARLY: return call->early_cause > 0 ? call->early_cause : c->cause;
	case CWC_FSM_CAUSE_RETRY: return call->retry_pending ? call->retry_cause : c->cause;
	default: return 0;
	}
}

/* The cause column: CAUSE_OF_<action> beside each action function, or ROWC in the row. */
#define CAUSE_NONE { CWC_FSM_CAUSE_NONE, 0, NULL }
#define CAUSE_FIXED(n, cl) { CWC_FSM_CAUSE_FIXED, n, cl }
#define CAUSE_EVENT(dflt, cl) { CWC_FSM_CAUSE_EVENT, dflt, cl }
#define CAUSE_REJECT(cl) { CWC_FSM_CAUSE_REJECT, 0, cl }
#define CAUSE_SIP(cl) { CWC_FSM_CAUSE_SIP, 0, cl }
#define CAUSE_EARLY(dflt, cl) { CWC_FSM_CAUSE_EARLY, dflt, cl }
#define CAUSE_RETRY(dflt, cl) { CWC_FSM_CAUSE_RETRY, dflt, cl }
#define CAUSE_PENDING(cl) { CWC_FSM_CAUSE_PENDING, 0, cl }

/* The operator's cause (ADMIN_RELEASE), 16 when it gives none (call.h). */
#define CAUSE_ADMIN CAUSE_EVENT(16, "the operator's cause; none: 16 normal call clearing (Q.850 §2.2.7)")
/* D-channel lost: Q.931 §5.8.9 clears with 27, as libpri does. */
#define CAUSE_DCHAN CAUSE_FIXED(27, "Q.931 §5.8.9 (destination out of order, as libpri reports it)")
/* RESTART of the call's B-channel (Q.931 §5.5.2): the network returns the channel to idle
   and the call reference to Null without a clearing message; the call is gone on ISDN and
   its SIP side is cleared with 41. The D-channel actions serve (no message can go to ISDN
   either); the rows name this cause (ROWCA). */
#define CAUSE_RESTART \
	CAUSE_FIXED(41, "Q.931 §5.5.2 RESTART: the channel idle, the call reference Null; Q.850 41 temporary failure")
/* A received clearing cause; a missing Cause IE counts as 31 (ev_cause()). */
#define CAUSE_RECEIVED(what) CAUSE_EVENT(31, "the received cause " what "; none: 31 (Q.850 §2.2.7)")

static void copy_setup(struct cwc_call *call, const struct cwc_call_event *ev)
{
	call->called = ev->called;
	call->calling = ev->calling;
	call->bearer = ev->bearer;
	call->channel = ev->channel;
	call->summary.start_ms = ev->now_ms;
}

static void fill_setup(const struct cwc_call *call, struct cwc_call_action *a)
{
	a->called = call->called;
	a->calling = call->calling;
	a->bearer = call->bearer;
	a->channel = call->channel;
}

/* ---- Guards (pure) ---- */

static int g_accept(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->reject_cause == 0;
}

static int g_reject(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->reject_cause != 0;
}

static int g_from_sip(const struct cwc_fsm_ctx *ctx)
{
	return ctx->call->cfg.dir == CWC_CALL_FROM_SIP;
}

static int g_from_sip_accept(const struct cwc_fsm_ctx *ctx)
{
	return g_from_sip(ctx) && g_accept(ctx);
}

static int g_from_sip_reject(const struct cwc_fsm_ctx *ctx)
{
	return g_from_sip(ctx) && g_reject(ctx);
}

static int g_from_isdn_accept(const struct cwc_fsm_ctx *ctx)
{
	return !g_from_sip(ctx) && g_accept(ctx);
}

static int g_from_isdn_reject(const struct cwc_fsm_ctx *ctx)
{
	return !g_from_sip(ctx) && g_reject(ctx);
}

/* A SETUP whose number is not complete yet (Q.931 §5.2.4: no Sending complete). */
static int g_from_isdn_overlap(const struct cwc_fsm_ctx *ctx)
{
	return g_from_isdn_accept(ctx) && ctx->ev->overlap;
}

/* INFORMATION: more digits awaited. */
static int g_more_digits(const struct cwc_fsm_ctx *ctx)
{
	return g_accept(ctx) && ctx->ev->overlap;
}

/* RFC 3578 §3.2: the number so far has the route's minimum digits, INVITE it now. */
static int g_from_isdn_overlap_invite(const struct cwc_fsm_ctx *ctx)
{
	return g_from_isdn_overlap(ctx) && ctx->ev->overlap_invite;
}

static int g_overlap_invite(const struct cwc_fsm_ctx *ctx)
{
	return g_more_digits(ctx) && ctx->ev->overlap_invite;
}

/* PROGRESS with a Cause IE while early release is configured (RFC 3398 §7.1.6). */
static int g_early_release(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->cause > 0 && ctx->call->cfg.early_release;
}

/* DISCONNECT with PI 8 before answer while early release is configured: the network plays
   an announcement or tone (Q.931 §5.3.4.1); RFC 3398 §7.1.6: 183, interwork timer. */
static int g_inband_release(const struct cwc_fsm_ctx *ctx)
{
	return (ctx->ev->pi_mask & CWC_PI(8)) && ctx->call->cfg.early_release;
}

/* An error response after an 18x with SDP (PI 8 sent) while early release is configured:
   DISCONNECT with PI 8, so the ISDN caller hears what the SIP side plays (the reverse of
   RFC 3398 §7.1.6; Q.931 §5.3.4.1). */
static int g_redirect(const struct cwc_fsm_ctx *ctx);
static int g_next_route(const struct cwc_fsm_ctx *ctx);

static int g_inband_error(const struct cwc_fsm_ctx *ctx)
{
	/* failover (3xx, next target) comes first, as in I_PRE_FINAL */
	return ctx->call->early_media && ctx->call->cfg.early_release && !g_redirect(ctx) &&
	       !g_next_route(ctx);
}

/* Progress indicator 1 or 8: in-band information (Q.931 §4.5.23; RFC 4497 §8.3.3). */
static int g_inband(const struct cwc_fsm_ctx *ctx)
{
	return (ctx->ev->pi_mask & (CWC_PI(1) | CWC_PI(8))) != 0;
}

/* Cause 44 maps to "retry on another channel" and a retry is left (RFC 3398 §7.2.4.1). */
static int g_retry_channel(const struct cwc_fsm_ctx *ctx)
{
	const struct cwc_call *call = ctx->call;
	cw_sip_result r;

	if (call->retries_used >= call->cfg.channel_retries)
		return 0;
	if (cw_map_cause_to_sip(call->cfg.profile, ev_cause(ctx->ev), ctx->ev->location, 0, &r) != 0)
		return 0;
	return r.action == CW_C2S_RETRY_CHANNEL;
}

/* The disposition of a received status (libcauseway's status table), or -1. */
static int disposition(int status)
{
	const cw_sip_status_info *info;

	return cw_sip_status_info_get(status, &info) == 0 ? (int)info->disposition : -1;
}

/* ISDN->SIP failover: the response says "this route failed" (next-route: 408, 430, 482, 483,
   500-504 and unknown 5xx; retry-later: 503) and the adapter has another target (RFC 3398
   §8.2.6.1 is for when no route is left; RFC 3261 §16.7). fix-request (505, 513, 580...),
   authenticate and final statuses stop: another target would get the same answer. */
static int g_next_route(const struct cwc_fsm_ctx *ctx)
{
	int st = ctx->ev->status, d = disposition(st);

	/* RFC 3261 §16.7: 408 and every 5xx try the next target (a 505, 513 or
	   580 is about that server: another may take the call), and so does every status the
	   disposition table says belongs elsewhere (430, 482, 483: next-route) */
	return ctx->ev->more_routes && (st == 408 || (st >= 500 && st <= 599) ||
	                                d == CW_DISP_NEXT_ROUTE || d == CW_DISP_RETRY_LATER);
}

/* No response, or the INVITE could not be sent, and another target is there. */
static int g_more_routes(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->more_routes != 0;
}

/* 3xx with a usable Contact, within the call's redirect bound (RFC 3261 §8.1.3.4). */
static int g_redirect(const struct cwc_fsm_ctx *ctx)
{
	const struct cwc_call *call = ctx->call;

	return disposition(ctx->ev->status) == CW_DISP_REDIRECT && ctx->ev->has_contact &&
	       call->redirects < call->cfg.max_redirects;
}

/* SIP->ISDN hunting: no circuit on this span (34, or 44 once its re-hunt is spent) and
   another span of the group can take the call (RFC 4497 §8.3.1: 503 only when none can). */
static int g_next_span(const struct cwc_fsm_ctx *ctx)
{
	int cause = ev_cause(ctx->ev);

	return ctx->ev->more_spans && (cause == 34 || cause == 44);
}

static int g_status_100(const struct cwc_fsm_ctx *ctx)
{
	/* 100 and unknown 1xx (RFC 3261 §8.1.3.2: an unknown 1xx is handled as 100) */
	int s = ctx->ev->status;
	return s != 180 && (s < 181 || s > 183);
}

static int g_status_180(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->status == 180;
}

static int g_status_18x(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->status >= 181 && ctx->ev->status <= 183;
}

static int g_timer_running(const struct cwc_fsm_ctx *ctx)
{
	return (ctx->call->timers & (1u << ctx->ev->timer)) != 0;
}

static int g_timer_stale(const struct cwc_fsm_ctx *ctx)
{
	return !g_timer_running(ctx);
}

/* ISDN->SIP: the SIP leg's supervision (the INVITE timer; T310 after a 100, which is
   hop-by-hop, RFC 3261 §21.1.1) ran out before the target alerted anyone, and another
   target is there: the same as a 408 from it (RFC 3261 §16.8 Timer C, §16.7). */
static int g_timer_next_route(const struct cwc_fsm_ctx *ctx)
{
	return g_timer_running(ctx) && g_more_routes(ctx);
}

static int g_timer_ack(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->timer == CWC_TIMER_ACK && g_timer_running(ctx);
}

static int g_timer_guard(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->timer == CWC_TIMER_CLEAR_GUARD && g_timer_running(ctx);
}

static int g_timer_max_duration(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->timer == CWC_TIMER_MAX_DURATION && g_timer_running(ctx);
}

static int g_timer_t302_reject(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->timer == CWC_TIMER_T302 && g_timer_running(ctx) && g_reject(ctx);
}

static int g_timer_t302(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->timer == CWC_TIMER_T302 && g_timer_running(ctx);
}

/* T302 ran out after the number's INVITE was answered 484 (RFC 3578 §3.3). */
static int g_timer_t302_484(const struct cwc_fsm_ctx *ctx)
{
	return g_timer_t302(ctx) && ctx->call->overlap_484;
}

static int g_status_484(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->status == 484;
}

static int g_timer_session_refresh(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->timer == CWC_TIMER_SESSION_REFRESH && g_timer_running(ctx);
}

static int g_timer_session_expiry(const struct cwc_fsm_ctx *ctx)
{
	return ctx->ev->timer == CWC_TIMER_SESSION_EXPIRY && g_timer_running(ctx);
}

/* ---- Actions ---- */

#define CAUSE_OF_a_none CAUSE_NONE
static void a_none(struct cwc_fsm_ctx *ctx)
{
	(void)ctx;
}

/* INVITE received: 100 Trying at once, SETUP (RFC 3398 §7.2.1). */
#define CAUSE_OF_a_invite CAUSE_NONE
static void a_invite(struct cwc_fsm_ctx *ctx)
{
	struct cwc_call_action *a;

	copy_setup(ctx->call, ctx->ev);
	a = cwc_fsm_push(ctx, CWC_ACT_SIP_PROVISIONAL);
	a->status = 100;
	a = cwc_fsm_push(ctx, CWC_ACT_ISDN_SETUP);
	fill_setup(ctx->call, a);
}

/* INVITE refused by the adapter (no route, no channel, D-channel down). */
#define CAUSE_REFUSAL CAUSE_REJECT("the adapter's refusal: 3 no route, 34 no B-channel, 38 D-channel down, 58 bearer not carried by the span, 65 bearer not implemented")
#define CAUSE_OF_a_invite_reject CAUSE_REFUSAL
static void a_invite_reject(struct cwc_fsm_ctx *ctx)
{
	struct cwc_call_action *a;

	copy_setup(ctx->call, ctx->ev);
	a = cwc_fsm_push(ctx, CWC_ACT_SIP_PROVISIONAL);
	a->status = 100;
	cleared_by(ctx->call, CWC_SIDE_LOCAL);
	sip_final_from_cause(ctx, row_cause(ctx), local_loc(ctx), 0, NULL);
}

/* The number is complete: CALL PROCEEDING, then INVITE with the SDP offer (RFC 3398 §8.1.1). */
static void proceed_invite(struct cwc_fsm_ctx *ctx)
{
	cwc_fsm_push(ctx, CWC_ACT_ISDN_PROCEEDING);
	fill_setup(ctx->call, cwc_fsm_push(ctx, CWC_ACT_SIP_INVITE));
}

/* SETUP received, its number complete (en bloc). */
#define CAUSE_OF_a_setup CAUSE_NONE
static void a_setup(struct cwc_fsm_ctx *ctx)
{
	copy_setup(ctx->call, ctx->ev);
	proceed_invite(ctx);
}

/* SETUP refused: PROCEEDING first, else libpri drops the DISCONNECT (docs/libpri.md §2). */
#define CAUSE_OF_a_setup_reject CAUSE_REFUSAL
static void a_setup_reject(struct cwc_fsm_ctx *ctx)
{
	copy_setup(ctx->call, ctx->ev);
	cwc_fsm_push(ctx, CWC_ACT_ISDN_PROCEEDING);
	cleared_by(ctx->call, CWC_SIDE_LOCAL);
	isdn_disconnect(ctx, row_cause(ctx), local_loc(ctx), 0);
}

/* SETUP without a complete number: SETUP ACKNOWLEDGE, collect the digits (Q.931 §5.2.4). */
#define CAUSE_OF_a_setup_ack CAUSE_NONE
static void a_setup_ack(struct cwc_fsm_ctx *ctx)
{
	copy_setup(ctx->call, ctx->ev);
	cwc_fsm_push(ctx, CWC_ACT_ISDN_SETUP_ACK)->channel = ctx->call->channel;
}

/* The number so far, as the adapter has it (INFORMATION; T302 keeps the last one). */
static void take_digits(struct cwc_call *call, const struct cwc_call_event *ev)
{
	if (ev->type == CWC_EV_ISDN_INFORMATION || ev->called.digits[0])
		memcpy(call->called.digits, ev->called.digits, sizeof(call->called.digits));
}

#define CAUSE_OF_a_digits CAUSE_NONE
static void a_digits(struct cwc_fsm_ctx *ctx)
{
	take_digits(ctx->call, ctx->ev);
}

/* The number is complete: CALL PROCEEDING, then the INVITE en bloc (Q.931 §5.2.4;
   RFC 3398 §8.1.1). */
#define CAUSE_OF_a_overlap_complete CAUSE_NONE
static void a_overlap_complete(struct cwc_fsm_ctx *ctx)
{
	take_digits(ctx->call, ctx->ev);
	proceed_invite(ctx);
}

/* The number cannot be completed: DISCONNECT with the adapter's cause (28 incomplete,
   3 no route); after SETUP ACKNOWLEDGE libpri sends it as it is (Q.931 §5.3.3). */
#define CAUSE_OF_a_overlap_reject \
	CAUSE_REJECT("the adapter's: 28 invalid number format (address incomplete), 3 no route")
static void a_overlap_reject(struct cwc_fsm_ctx *ctx)
{
	take_digits(ctx->call, ctx->ev);
	cleared_by(ctx->call, CWC_SIDE_LOCAL);
	isdn_disconnect(ctx, row_cause(ctx), local_loc(ctx), 0);
}

/* ---- Overlap receiving with multiple INVITEs (RFC 3578 §3) ---- */

/* SETUP with the route's minimum digits, no Sending complete: SETUP ACKNOWLEDGE and the
   INVITE with the digits so far (RFC 3578 §3.2); the dialling goes on. */
#define CAUSE_OF_a_setup_ack_invite CAUSE_NONE
static void a_setup_ack_invite(struct cwc_fsm_ctx *ctx)
{
	a_setup_ack(ctx);
	fill_setup(ctx->call, cwc_fsm_push(ctx, CWC_ACT_SIP_INVITE));
}

/* INFORMATION: the number so far is worth an INVITE (after a 484, or its first). */
#define CAUSE_OF_a_overlap_invite CAUSE_NONE
static void a_overlap_invite(struct cwc_fsm_ctx *ctx)
{
	take_digits(ctx->call, ctx->ev);
	fill_setup(ctx->call, cwc_fsm_push(ctx, CWC_ACT_SIP_INVITE));
}

/* RFC 3578 §3.4: a digit before the pending INVITE's 484 CANCELs that INVITE. */
static void cancel_pending(struct cwc_fsm_ctx *ctx)
{
	cwc_fsm_push(ctx, CWC_ACT_SIP_CANCEL);
}

/* More digits, still not complete: CANCEL, the INVITE with the grown number (§3.2). */
#define CAUSE_OF_a_overlap_reinvite CAUSE_NONE
static void a_overlap_reinvite(struct cwc_fsm_ctx *ctx)
{
	cancel_pending(ctx);
	a_overlap_invite(ctx);
}

/* The grown number wants more digits before an INVITE (a longer route's MIN): CANCEL. */
#define CAUSE_OF_a_overlap_withdraw CAUSE_NONE
static void a_overlap_withdraw(struct cwc_fsm_ctx *ctx)
{
	cancel_pending(ctx);
	take_digits(ctx->call, ctx->ev);
}

/* The number is complete: CANCEL, CALL PROCEEDING, the last INVITE (Q.931 §5.2.4). */
#define CAUSE_OF_a_overlap_reinvite_complete CAUSE_NONE
static void a_overlap_reinvite_complete(struct cwc_fsm_ctx *ctx)
{
	cancel_pending(ctx);
	a_overlap_complete(ctx);
}

/* 484 to the pending INVITE: collect on (RFC 3578 §3.3); T302 decides if nothing comes. */
#define CAUSE_OF_a_overlap_484 CAUSE_NONE
static void a_overlap_484(struct cwc_fsm_ctx *ctx)
{
	ctx->call->overlap_484 = 1;
	ctx->call->summary.sip_status = ctx->ev->status;
}

/* The pending INVITE is the call now: CALL PROCEEDING (Q.931 §5.2.4), then as U9. */
#define CAUSE_OF_a_overlap_proceed CAUSE_NONE
static void a_overlap_proceed(struct cwc_fsm_ctx *ctx)
{
	cwc_fsm_push(ctx, CWC_ACT_ISDN_PROCEEDING);
}

#define CAUSE_OF_a_i_alerting CAUSE_NONE
static void a_i_alerting(struct cwc_fsm_ctx *ctx);
#define CAUSE_OF_a_overlap_alerting CAUSE_NONE
static void a_overlap_alerting(struct cwc_fsm_ctx *ctx)
{
	a_overlap_proceed(ctx);
	a_i_alerting(ctx);
}

static void a_i_progress(struct cwc_fsm_ctx *ctx);
#define CAUSE_OF_a_overlap_progress CAUSE_NONE
static void a_overlap_progress(struct cwc_fsm_ctx *ctx)
{
	a_overlap_proceed(ctx);
	a_i_progress(ctx);
}

static void a_i_connect(struct cwc_fsm_ctx *ctx);
#define CAUSE_OF_a_overlap_connect CAUSE_NONE
static void a_overlap_connect(struct cwc_fsm_ctx *ctx)
{
	a_overlap_proceed(ctx);
	a_i_connect(ctx);
}

/* The number cannot be completed with an INVITE out: CANCEL it, DISCONNECT. */
#define CAUSE_OF_a_overlap_reject_cancel CAUSE_OF_a_overlap_reject
static void a_overlap_reject_cancel(struct cwc_fsm_ctx *ctx)
{
	cancel_pending(ctx);
	a_overlap_reject(ctx);
}

/* The caller cleared while dialling: no SIP leg yet, answer on ISDN only. */
#define CAUSE_OF_a_overlap_isdn_clear CAUSE_RECEIVED("echoed in the answer (Q.931 §5.3.3, §5.3.4)")
static void a_overlap_isdn_clear(struct cwc_fsm_ctx *ctx)
{
	cleared_by(ctx->call, CWC_SIDE_ISDN);
	note_cause(ctx->call, row_cause(ctx), ctx->ev->location);
	isdn_reply(ctx);
}

#define CAUSE_OF_a_overlap_dchan CAUSE_DCHAN
static void a_overlap_dchan(struct cwc_fsm_ctx *ctx)
{
	cleared_by(ctx->call, CWC_SIDE_ISDN);
	note_cause(ctx->call, row_cause(ctx), local_loc(ctx));
}

#define CAUSE_OF_a_overlap_admin CAUSE_ADMIN
static void a_overlap_admin(struct cwc_fsm_ctx *ctx)
{
	cleared_by(ctx->call, CWC_SIDE_LOCAL);
	isdn_disconnect(ctx, row_cause(ctx), local_loc(ctx), 0);
}

/* RFC 3578 §3 from SIP: the digits a new INVITE adds go in INFORMATION (Q.931 §5.1.3);
   the number of the call grows by them. */
#define CAUSE_OF_a_s_more_digits CAUSE_NONE
static void a_s_more_digits(struct cwc_fsm_ctx *ctx)
{
	struct cwc_call *call = ctx->call;
	size_t have = strlen(call->called.digits), add = strlen(ctx->ev->called.digits);

	if (have + add >= sizeof(call->called.digits))
		add = sizeof(call->called.digits) - 1 - have; /* the number is full: no more */
	memcpy(call->called.digits + have, ctx->ev->called.digits, add);
	call->called.digits[have + add] = '\0';
	memcpy(cwc_fsm_push(ctx, CWC_ACT_ISDN_INFORMATION)->called.digits, ctx->ev->called.digits,
	       sizeof(ctx->ev->called.digits));
}

#define CAUSE_OF_a_s_alerting CAUSE_NONE
static void a_s_alerting(struct cwc_fsm_ctx *ctx)
{
	struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_SIP_PROVISIONAL);

	a->status = 180;
	a->with_sdp = g_inband(ctx);
	if (a->with_sdp)
		ctx->call->sdp_sent = 1;
}

#define CAUSE_OF_a_s_progress CAUSE_NONE
static void a_s_progress(struct cwc_fsm_ctx *ctx)
{
	struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_SIP_PROVISIONAL);

	a->status = 183;
	a->with_sdp = 1;
	ctx->call->sdp_sent = 1;
	if (ctx->ev->cause > 0) { /* the final response of an early release (§7.1.6) */
		ctx->call->early_cause = ctx->ev->cause;
		ctx->call->early_location = ctx->ev->location;
	}
}

#define CAUSE_OF_a_s_connect CAUSE_NONE
static void a_s_connect(struct cwc_fsm_ctx *ctx)
{
	struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_SIP_200_OK);

	a->status = 200;
	a->with_sdp = 1;
	ctx->call->summary.answered = 1;
	ctx->call->summary.answer_ms = ctx->ev->now_ms;
	ctx->call->summary.sip_status = 200;
}

/* Answer the clearing, then SETUP_RETRY; remember why, for a NO_CHANNEL that may follow. */
static void setup_retry(struct cwc_fsm_ctx *ctx, int next_span)
{
	struct cwc_call *call = ctx->call;
	struct cwc_call_action *a;

	isdn_reply(ctx);
	a = cwc_fsm_push(ctx, CWC_ACT_ISDN_SETUP_RETRY);
	fill_setup(call, a);
	a->cause = row_cause(ctx);
	a->next_span = next_span;
	call->retry_pending = 1;
	call->retry_cause = a->cause;
	call->retry_location = ctx->ev->location;
}

/* Cause 44: clear this channel, hunt another (RFC 4497 §8.4.1 NOTE 2). */
#define CAUSE_RETRY_OUT CAUSE_RECEIVED("(34, 44), answered and kept for a NO_CHANNEL that follows")
#define CAUSE_OF_a_s_retry_channel CAUSE_RETRY_OUT
static void a_s_retry_channel(struct cwc_fsm_ctx *ctx)
{
	setup_retry(ctx, 0);
	ctx->call->retries_used++;
}

/* Cause 34/44 on this span: answer the clearing, hunt the next span of the group. */
#define CAUSE_OF_a_s_next_span CAUSE_RETRY_OUT
static void a_s_next_span(struct cwc_fsm_ctx *ctx)
{
	setup_retry(ctx, 1);
	ctx->call->retries_used = 0; /* the new span gets its own cause 44 re-hunt */
}

/* ISDN cleared before answer: final response per the cause, with Reason (RFC 3398 §7.2.4). */
#define CAUSE_OF_a_s_isdn_clear CAUSE_RECEIVED("to the final response and its Reason (RFC 3398 §7.2.4.1)")
static void a_s_isdn_clear(struct cwc_fsm_ctx *ctx)
{
	const struct cwc_call_event *ev = ctx->ev;

	cleared_by(ctx->call, CWC_SIDE_ISDN);
	sip_final_from_cause(ctx, row_cause(ctx), ev->location, ev->has_diagnostic, ev->diagnostic);
	isdn_reply(ctx);
}

/* CANCEL or BYE before the final response: 487; returns the cause for ISDN, 16 or the
   Reason's (RFC 3398 §7.2.3), and its location. */
static int sip_cancel_487(struct cwc_fsm_ctx *ctx, int *ret_location)
{
	struct cwc_call_action *a;
	int cause;

	cause = cause_from_sip(ctx, ctx->ev->type == CWC_EV_SIP_CANCEL ? CW_SIP_CANCEL : CW_SIP_BYE,
	                       0, 0, ret_location);
	a = cwc_fsm_push(ctx, CWC_ACT_SIP_FINAL_ERROR);
	a->status = 487;
	ctx->call->summary.sip_status = 487;
	cleared_by(ctx->call, CWC_SIDE_SIP);
	return cause;
}

/* CANCEL or BYE before the final response: 487, DISCONNECT 16 or the Reason's cause (§7.2.3). */
#define CAUSE_SIP_REQUEST CAUSE_SIP("CANCEL/BYE: 16, or the received Reason's (RFC 3398 §7.2.3)")
#define CAUSE_OF_a_s_sip_cancel CAUSE_SIP_REQUEST
static void a_s_sip_cancel(struct cwc_fsm_ctx *ctx)
{
	int loc, cause = sip_cancel_487(ctx, &loc);

	isdn_disconnect(ctx, cause, loc, 0);
}

/* The SIP leg failed: clear ISDN with 41 (RFC 4497 §8.4.5: 102 or 41). */
#define CAUSE_SIP_LEG_FAILED CAUSE_FIXED(41, "the SIP leg failed: RFC 4497 §8.4.5 (102 or 41; 41 chosen)")
#define CAUSE_OF_a_sip_transport_error CAUSE_SIP_LEG_FAILED
static void a_sip_transport_error(struct cwc_fsm_ctx *ctx)
{
	cleared_by(ctx->call, CWC_SIDE_LOCAL);
	isdn_disconnect(ctx, row_cause(ctx), local_loc(ctx), 0);
}

/* D-channel lost: no ISDN message can go; Q.931 §5.8.9 clears with 27 (as libpri does). */
#define CAUSE_OF_a_s_dchan_down CAUSE_DCHAN
static void a_s_dchan_down(struct cwc_fsm_ctx *ctx)
{
	cleared_by(ctx->call, CWC_SIDE_ISDN);
	sip_final_from_cause(ctx, row_cause(ctx), local_loc(ctx), 0, NULL);
}

/* The SETUP found no B-channel: 34, or the cause of the retry (RFC 4497 §8.3.1: 503). */
#define CAUSE_OF_a_s_no_channel \
	CAUSE_RETRY(34, "the cause of the SETUP retry (34, 44) if one is out, else 34 no circuit (RFC 4497 §8.3.1)")
static void a_s_no_channel(struct cwc_fsm_ctx *ctx)
{
	struct cwc_call *call = ctx->call;

	cleared_by(call, CWC_SIDE_ISDN);
	sip_final_from_cause(ctx, row_cause(ctx),
	                     call->retry_pending ? call->retry_location : local_loc(ctx), 0, NULL);
}

#define CAUSE_OF_a_s_admin CAUSE_ADMIN
static void a_s_admin(struct cwc_fsm_ctx *ctx)
{
	int cause = row_cause(ctx);

	cleared_by(ctx->call, CWC_SIDE_LOCAL);
	sip_final_from_cause(ctx, cause, local_loc(ctx), 0, NULL);
	isdn_disconnect(ctx, cause, local_loc(ctx), 0);
}

/* T310 / T301 / interwork timer before answer: final response + DISCONNECT. The cause is
   the row's (ROWC): each state runs one of these timers. */
static void a_s_timer(struct cwc_fsm_ctx *ctx)
{
	struct cwc_call *call = ctx->call;
	int cause = row_cause(ctx);

	cleared_by(call, CWC_SIDE_LOCAL);
	if (ctx->ev->timer == CWC_TIMER_INTERWORK) {
		/* §7.1.6: the final response carries the cause of the PROGRESS; the
		   network is told the call is over */
		sip_final_from_cause(ctx, cause, call->early_location, 0, NULL);
		isdn_disconnect(ctx, 16, local_loc(ctx), 0);
		return;
	}
	sip_final_from_cause(ctx, cause, local_loc(ctx), 0, NULL);
	isdn_disconnect(ctx, cause, local_loc(ctx), 0);
}

/* DISCONNECT with PI 8 before answer (RFC 3398 §7.1.6; Q.931 §5.3.4.1): keep the cause,
   183 with SDP unless early media is already on, and listen until the interwork timer. */
#define CAUSE_OF_a_s_inband_disconnect CAUSE_RECEIVED("kept for the final response (RFC 3398 §7.1.6)")
static void a_s_inband_disconnect(struct cwc_fsm_ctx *ctx)
{
	struct cwc_call *call = ctx->call;
	const struct cwc_call_event *ev = ctx->ev;
	struct cwc_call_action *a;

	call->early_cause = row_cause(ctx);
	call->early_location = ev->location;
	call->early_has_diag = ev->has_diagnostic;
	memcpy(call->early_diag, ev->diagnostic, sizeof(call->early_diag));
	call->early_diag[sizeof(call->early_diag) - 1] = '\0';
	cleared_by(call, CWC_SIDE_ISDN);
	note_cause(call, call->early_cause, call->early_location);
	if (!call->sdp_sent) {
		a = cwc_fsm_push(ctx, CWC_ACT_SIP_PROVISIONAL);
		a->status = 183;
		a->with_sdp = 1;
		call->sdp_sent = 1;
	}
}

/* U12: the final response from the DISCONNECT's cause, with Reason (§7.1.6, §7.2.4.1). */
static void inband_final(struct cwc_fsm_ctx *ctx, int cause)
{
	struct cwc_call *call = ctx->call;

	sip_final_from_cause(ctx, cause, call->early_location, call->early_has_diag, call->early_diag);
}

static void u12_release(struct cwc_fsm_ctx *ctx, int cause)
{
	struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_ISDN_RELEASE);

	a->cause = cause;
}

/* U12, interwork timer: final response, then RELEASE (Q.931 §5.3.4.1: the user releases). */
#define CAUSE_OF_a_s_inband_timer \
	CAUSE_EARLY(31, "the DISCONNECT's, to the final response (RFC 3398 §7.1.6) and the RELEASE (Q.931 §5.3.4.1)")
static void a_s_inband_timer(struct cwc_fsm_ctx *ctx)
{
	int cause = row_cause(ctx);

	inband_final(ctx, cause);
	u12_release(ctx, cause);
}

/* U12, the network released (announcement over): final response, RELEASE COMPLETE. */
#define CAUSE_OF_a_s_inband_released \
	CAUSE_EARLY(31, "the DISCONNECT's, to the final response (RFC 3398 §7.1.6, §7.2.4.1); RELEASE COMPLETE echoes the RELEASE's")
static void a_s_inband_released(struct cwc_fsm_ctx *ctx)
{
	inband_final(ctx, row_cause(ctx));
	isdn_reply(ctx);
}

/* U12, CANCEL or BYE before the timer (§7.1.6, §7.2.3): 487, RELEASE with the SIP cause. */
#define CAUSE_OF_a_s_inband_cancel CAUSE_SIP_REQUEST
static void a_s_inband_cancel(struct cwc_fsm_ctx *ctx)
{
	int loc, cause = sip_cancel_487(ctx, &loc);

	u12_release(ctx, cause); /* cleared_by stays ISDN: its DISCONNECT came first */
}

/* U12, the SIP leg failed: RELEASE 41 (RFC 4497 §8.4.5). */
#define CAUSE_OF_a_s_inband_transport CAUSE_SIP_LEG_FAILED
static void a_s_inband_transport(struct cwc_fsm_ctx *ctx)
{
	u12_release(ctx, row_cause(ctx));
}

/* U12, operator: final response from the DISCONNECT's cause, RELEASE with the operator's. */
#define CAUSE_OF_a_s_inband_admin \
	CAUSE_EVENT(16, "the operator's cause in the RELEASE, none: 16; the final response: the DISCONNECT's")
static void a_s_inband_admin(struct cwc_fsm_ctx *ctx)
{
	inband_final(ctx, ctx->call->early_cause);
	u12_release(ctx, row_cause(ctx));
}

/* The bridge itself ends an answered call: BYE with Reason and DISCONNECT, both with the
   row's cause at the local location. */
static void local_bye(struct cwc_fsm_ctx *ctx)
{
	int cause = row_cause(ctx);

	cleared_by(ctx->call, CWC_SIDE_LOCAL);
	sip_with_reason(ctx, CWC_ACT_SIP_BYE, cause, local_loc(ctx));
	isdn_disconnect(ctx, cause, local_loc(ctx), 0);
}

/* No ACK for our 200: BYE and DISCONNECT with 102 (RFC 3398 §7.1.4). */
#define CAUSE_OF_a_ack_timeout CAUSE_FIXED(102, "no ACK: RFC 3398 §7.1.4 (recovery on timer expiry)")
static void a_ack_timeout(struct cwc_fsm_ctx *ctx)
{
	local_bye(ctx);
}

/* BYE after answer: DISCONNECT 16 or the Reason's cause (RFC 3398 §10.1, §7.2.3). */
#define CAUSE_OF_a_sip_bye CAUSE_SIP("BYE: 16, or the received Reason's (RFC 3398 §10.1, §7.2.3)")
static void a_sip_bye(struct cwc_fsm_ctx *ctx)
{
	int loc, cause = cause_from_sip(ctx, CW_SIP_BYE, 0, 0, &loc);

	cleared_by(ctx->call, CWC_SIDE_SIP);
	isdn_disconnect(ctx, cause, loc, 0);
}

/* ISDN cleared after answer: BYE with Reason (RFC 3398 §10.2). */
#define CAUSE_OF_a_isdn_clear_bye CAUSE_RECEIVED("in the BYE's Reason (RFC 3398 §10.2)")
static void a_isdn_clear_bye(struct cwc_fsm_ctx *ctx)
{
	const struct cwc_call_event *ev = ctx->ev;
	int cause = row_cause(ctx);

	cleared_by(ctx->call, CWC_SIDE_ISDN);
	note_cause(ctx->call, cause, ev->location);
	isdn_reply(ctx);
	sip_with_reason(ctx, CWC_ACT_SIP_BYE, cause, ev->location);
}

#define CAUSE_OF_a_dchan_bye CAUSE_DCHAN
static void a_dchan_bye(struct cwc_fsm_ctx *ctx)
{
	int cause = row_cause(ctx);

	cleared_by(ctx->call, CWC_SIDE_ISDN);
	note_cause(ctx->call, cause, local_loc(ctx));
	sip_with_reason(ctx, CWC_ACT_SIP_BYE, cause, local_loc(ctx));
}

#define CAUSE_OF_a_admin_bye CAUSE_ADMIN
static void a_admin_bye(struct cwc_fsm_ctx *ctx)
{
	local_bye(ctx);
}

/* RFC 4028 §10: the refresher's turn; the adapter picks UPDATE (RFC 3311) or re-INVITE. */
#define CAUSE_OF_a_session_refresh CAUSE_NONE
static void a_session_refresh(struct cwc_fsm_ctx *ctx)
{
	cwc_fsm_push(ctx, CWC_ACT_SIP_REFRESH);
}

/* RFC 4028 §10: the session expired (no refresh came, or ours failed): BYE and DISCONNECT
   with 102 recovery on timer expiry, as for a lost ACK (RFC 3398 §7.1.4). */
#define CAUSE_OF_a_session_expired \
	CAUSE_FIXED(102, "session expired: RFC 4028 §10; Q.850 102 recovery on timer expiry")
static void a_session_expired(struct cwc_fsm_ctx *ctx)
{
	local_bye(ctx);
}

/* ISDN cleared while our 200 awaits its ACK: answer ISDN now, BYE after the ACK. */
#define CAUSE_OF_a_isdn_clear_ackwait CAUSE_RECEIVED("kept for the BYE after the ACK (RFC 4497 §8.4.1)")
static void a_isdn_clear_ackwait(struct cwc_fsm_ctx *ctx)
{
	const struct cwc_call_event *ev = ctx->ev;
	int cause = row_cause(ctx);

	cleared_by(ctx->call, CWC_SIDE_ISDN);
	note_cause(ctx->call, cause, ev->location);
	isdn_reply(ctx);
	set_pending(ctx->call, cause, ev->location);
}

#define CAUSE_OF_a_dchan_ackwait CAUSE_DCHAN
static void a_dchan_ackwait(struct cwc_fsm_ctx *ctx)
{
	int cause = row_cause(ctx);

	cleared_by(ctx->call, CWC_SIDE_ISDN);
	note_cause(ctx->call, cause, local_loc(ctx));
	set_pending(ctx->call, cause, local_loc(ctx));
}

#define CAUSE_OF_a_admin_ackwait CAUSE_ADMIN
static void a_admin_ackwait(struct cwc_fsm_ctx *ctx)
{
	int cause = row_cause(ctx);

	cleared_by(ctx->call, CWC_SIDE_LOCAL);
	isdn_disconnect(ctx, cause, local_loc(ctx), 0);
	set_pending(ctx->call, cause, local_loc(ctx));
}

/* The deferred BYE, with the Reason kept from the ISDN clearing. */
#define CAUSE_KEPT_FOR_BYE CAUSE_PENDING("the cause kept when the clearing began, in the BYE's Reason")
#define CAUSE_OF_a_pending_bye CAUSE_KEPT_FOR_BYE
static void a_pending_bye(struct cwc_fsm_ctx *ctx)
{
	struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_SIP_BYE);

	memcpy(a->reason, ctx->call->pending_reason, sizeof(a->reason));
	a->cause = ctx->call->pending_cause;
	a->location = ctx->call->pending_location;
}

/* A 200 after our CANCEL: ACK, then BYE (RFC 3398 §8.2.7). */
#define CAUSE_OF_a_late_2xx CAUSE_KEPT_FOR_BYE
static void a_late_2xx(struct cwc_fsm_ctx *ctx)
{
	cwc_fsm_push(ctx, CWC_ACT_SIP_ACK);
	a_pending_bye(ctx);
}

#define CAUSE_OF_a_cancel_final CAUSE_NONE
static void a_cancel_final(struct cwc_fsm_ctx *ctx)
{
	if (ctx->call->summary.sip_status == 0)
		ctx->call->summary.sip_status = ctx->ev->status;
}

/* ---- ISDN-originated, before the final response ---- */

static void a_i_alerting(struct cwc_fsm_ctx *ctx)
{
	/* RFC 4497 §8.2.1.3: PI 8 only when in-band information (early media) is there */
	struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_ISDN_ALERTING);

	a->pi_mask = ctx->ev->has_sdp ? CWC_PI(8) : 0;
	if (ctx->ev->has_sdp)
		ctx->call->early_media = 1;
}

#define CAUSE_OF_a_i_progress CAUSE_NONE
static void a_i_progress(struct cwc_fsm_ctx *ctx)
{
	/* PI 8 with early media (SDP); otherwise PI 1 (RFC 4497 §8.2.1.3) */
	struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_ISDN_PROGRESS);

	a->pi_mask = ctx->ev->has_sdp ? CWC_PI(8) : CWC_PI(1);
	if (ctx->ev->has_sdp)
		ctx->call->early_media = 1;
}

#define CAUSE_OF_a_i_connect CAUSE_NONE
static void a_i_connect(struct cwc_fsm_ctx *ctx)
{
	cwc_fsm_push(ctx, CWC_ACT_ISDN_CONNECT);
	cwc_fsm_push(ctx, CWC_ACT_SIP_ACK);
	ctx->call->summary.answered = 1;
	ctx->call->summary.answer_ms = ctx->ev->now_ms;
	ctx->call->summary.sip_status = ctx->ev->status;
}

/* An error response: DISCONNECT with the mapped cause and location (RFC 3398 §8.2.6). */
#define CAUSE_SIP_RESPONSE \
	CAUSE_SIP("the status and Warning through the profile, received Reason first (RFC 3398 §8.2.6.1)")
#define CAUSE_OF_a_i_sip_error CAUSE_SIP_RESPONSE
static void a_i_sip_error(struct cwc_fsm_ctx *ctx)
{
	int loc, cause = cause_from_sip(ctx, CW_SIP_RESPONSE, ctx->ev->status, ctx->ev->warning, &loc);

	cleared_by(ctx->call, CWC_SIDE_SIP);
	ctx->call->summary.sip_status = ctx->ev->status;
	isdn_disconnect(ctx, cause, loc, 0);
}

/* An error response after early media: DISCONNECT with PI 8, the PSTN caller keeps
   listening to the B-channel (Q.931 §5.3.4.1) until it releases. */
#define CAUSE_OF_a_i_sip_error_inband CAUSE_SIP_RESPONSE
static void a_i_sip_error_inband(struct cwc_fsm_ctx *ctx)
{
	int loc, cause = cause_from_sip(ctx, CW_SIP_RESPONSE, ctx->ev->status, ctx->ev->warning, &loc);

	cleared_by(ctx->call, CWC_SIDE_SIP);
	ctx->call->summary.sip_status = ctx->ev->status;
	isdn_disconnect(ctx, cause, loc, CWC_PI(8));
}

/* Failover: the INVITE again, to the next target (the ISDN leg is untouched). */
#define CAUSE_OF_a_i_next_target CAUSE_NONE
static void a_i_next_target(struct cwc_fsm_ctx *ctx)
{
	struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_SIP_INVITE_NEXT);

	fill_setup(ctx->call, a);
	a->status = ctx->ev->status; /* what ended the last try (0: none came) */
}

/* 3xx: the INVITE again, to the first Contact (RFC 3398 §8.2.5 recursion). */
#define CAUSE_OF_a_i_redirect CAUSE_NONE
static void a_i_redirect(struct cwc_fsm_ctx *ctx)
{
	struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_SIP_INVITE_NEXT);

	fill_setup(ctx->call, a);
	a->status = ctx->ev->status;
	a->redirect = 1;
	ctx->call->redirects++;
}

/* INVITE transaction timed out: cause 18 and CANCEL (RFC 3398 §8.1.3). */
#define CAUSE_NO_RESPONSE CAUSE_FIXED(18, "no response: RFC 3398 §8.1.3 (CANCEL + DISCONNECT 18)")
#define CAUSE_OF_a_i_invite_timeout CAUSE_NO_RESPONSE
static void a_i_invite_timeout(struct cwc_fsm_ctx *ctx)
{
	int cause = row_cause(ctx);

	cleared_by(ctx->call, CWC_SIDE_LOCAL);
	sip_with_reason(ctx, CWC_ACT_SIP_CANCEL, cause, local_loc(ctx));
	isdn_disconnect(ctx, cause, local_loc(ctx), 0);
}

/* The INVITE could not be sent: as a 503 (RFC 3261 §8.1.3.1), mapped. */
#define CAUSE_OF_a_i_transport_error \
	CAUSE_SIP("as a 503 through the profile (RFC 3261 §8.1.3.1; RFC 3398 §8.2.6.1)")
static void a_i_transport_error(struct cwc_fsm_ctx *ctx)
{
	int loc, cause = cause_from_sip(ctx, CW_SIP_RESPONSE, 503, 0, &loc);

	cleared_by(ctx->call, CWC_SIDE_LOCAL);
	isdn_disconnect(ctx, cause, loc, 0);
}

/* ISDN cleared before the final response: CANCEL with Reason (RFC 3398 §8.2.7). */
#define CAUSE_OF_a_i_isdn_clear CAUSE_RECEIVED("in the CANCEL's Reason (RFC 3398 §8.2.7), kept for a late 2xx's BYE")
static void a_i_isdn_clear(struct cwc_fsm_ctx *ctx)
{
	const struct cwc_call_event *ev = ctx->ev;
	int cause = row_cause(ctx);

	cleared_by(ctx->call, CWC_SIDE_ISDN);
	note_cause(ctx->call, cause, ev->location);
	isdn_reply(ctx);
	sip_with_reason(ctx, CWC_ACT_SIP_CANCEL, cause, ev->location);
	set_pending(ctx->call, cause, ev->location);
}

#define CAUSE_OF_a_i_dchan_down CAUSE_DCHAN
static void a_i_dchan_down(struct cwc_fsm_ctx *ctx)
{
	int cause = row_cause(ctx);

	cleared_by(ctx->call, CWC_SIDE_ISDN);
	note_cause(ctx->call, cause, local_loc(ctx));
	sip_with_reason(ctx, CWC_ACT_SIP_CANCEL, cause, local_loc(ctx));
	set_pending(ctx->call, cause, local_loc(ctx));
}

#define CAUSE_OF_a_i_admin CAUSE_ADMIN
static void a_i_admin(struct cwc_fsm_ctx *ctx)
{
	int cause = row_cause(ctx);

	cleared_by(ctx->call, CWC_SIDE_LOCAL);
	sip_with_reason(ctx, CWC_ACT_SIP_CANCEL, cause, local_loc(ctx));
	set_pending(ctx->call, cause, local_loc(ctx));
	isdn_disconnect(ctx, cause, local_loc(ctx), 0);
}

/* The SIP leg's supervision ran out: CANCEL and DISCONNECT with cause (RFC 3398 §8.1.3). */
static void i_timer_clear(struct cwc_fsm_ctx *ctx, int cause)
{
	cleared_by(ctx->call, CWC_SIDE_LOCAL);
	sip_with_reason(ctx, CWC_ACT_SIP_CANCEL, cause, local_loc(ctx));
	set_pending(ctx->call, cause, local_loc(ctx));
	isdn_disconnect(ctx, cause, local_loc(ctx), 0);
}

/* INVITE timer, T310 after a 100, T301 after a 181-183: no ALERTING went to the caller, so
   cause 18 (Q.931 §5.2.5.4: T303/T310 expiry -> 18 toward the calling user; Q.850 18 is
   "neither alerting nor connect"; RFC 3398 §8.1.3). */
#define CAUSE_OF_a_i_timer_no_response \
	CAUSE_FIXED(18, "no ALERTING went to the caller: Q.931 §5.2.5.4 (T303/T310 expiry); RFC 3398 §8.1.3")
static void a_i_timer_no_response(struct cwc_fsm_ctx *ctx)
{
	i_timer_clear(ctx, row_cause(ctx));
}

/* T301 after a 180: ALERTING went to the caller, so cause 19 (Q.931 §5.2.5.4: T301 expiry;
   Q.850 19 "no answer from user (user alerted)"). */
#define CAUSE_OF_a_i_timer_no_answer \
	CAUSE_FIXED(19, "ALERTING went to the caller: Q.931 §5.2.5.4 (T301 expiry); RFC 3398 §7.2.8")
static void a_i_timer_no_answer(struct cwc_fsm_ctx *ctx)
{
	i_timer_clear(ctx, row_cause(ctx));
}

/* The supervision ran out, no target alerted, another target is there: CANCEL this INVITE
   as the clearing would (cause 18) and send the INVITE to the next target; the ISDN leg
   hears nothing. The adapter drops what the CANCELled INVITE still brings (its 487). */
#define CAUSE_OF_a_i_timer_next_target \
	CAUSE_FIXED(18, "the CANCEL's Reason, as the clearing's would be (RFC 3398 §8.1.3); nothing to ISDN")
static void a_i_timer_next_target(struct cwc_fsm_ctx *ctx)
{
	sip_with_reason(ctx, CWC_ACT_SIP_CANCEL, row_cause(ctx), local_loc(ctx));
	a_i_next_target(ctx);
}

/* ---- Clearing ---- */

/* RELEASE in U11 -> RELEASE COMPLETE; DISCONNECT in U11 (clear collision) -> RELEASE. */
#define CAUSE_OF_a_isdn_reply CAUSE_RECEIVED("echoed in the answer (Q.931 §5.3.3, §5.3.5)")
static void a_isdn_reply(struct cwc_fsm_ctx *ctx)
{
	isdn_reply(ctx);
}

/* ---- The table ---- */

#define ROW(st, ev, g, a, nx, cl) \
	{ CWC_CS_##st, CWC_EV_##ev, g, #g, a, #a, CWC_CS_##nx, CAUSE_OF_##a, cl, 0 }
#define ROWA(st, ev, a, nx, cl) \
	{ CWC_CS_##st, CWC_EV_##ev, NULL, NULL, a, #a, CWC_CS_##nx, CAUSE_OF_##a, cl, 0 }
/* A row whose cause depends on the state, not on the action (the timer rows). */
#define ROWC(st, ev, g, a, nx, cause, cl) \
	{ CWC_CS_##st, CWC_EV_##ev, g, #g, a, #a, CWC_CS_##nx, cause, cl, 0 }
/* ROWC without a guard. */
#define ROWCA(st, ev, a, nx, cause, cl) \
	{ CWC_CS_##st, CWC_EV_##ev, NULL, NULL, a, #a, CWC_CS_##nx, cause, cl, 0 }
/* A row that stays (SAME) and starts the timers of mask afresh (RFC 4028 §10 refreshes). */
#define ROWR(st, ev, g, a, mask, cl) \
	{ CWC_CS_##st, CWC_EV_##ev, g, #g, a, #a, CWC_CS_SAME, CAUSE_OF_##a, cl, mask }
/* A row into another state that also runs a timer of mask: started afresh all the same. */
#define ROWN(st, ev, g, a, nx, mask, cl) \
	{ CWC_CS_##st, CWC_EV_##ev, g, #g, a, #a, CWC_CS_##nx, CAUSE_OF_##a, cl, mask }
#define ROWRA(st, ev, a, mask, cl) \
	{ CWC_CS_##st, CWC_EV_##ev, NULL, NULL, a, #a, CWC_CS_SAME, CAUSE_OF_##a, cl, mask }

/* T310 / T301 / interwork expiry of a SIP-originated call before answer (a_s_timer). */
#define CAUSE_T310 CAUSE_FIXED(102, "T310 expiry: Q.931 §5.1.5.2; RFC 3398 §7.2.2 (as ISUP T7: 504)")
#define CAUSE_T301 CAUSE_FIXED(19, "T301 expiry: RFC 3398 §7.2.8 (as ISUP T9: 480); RFC 4497 §8.4.5")
#define CAUSE_INTERWORK \
	CAUSE_EARLY(31, "the PROGRESS's, to the final response (RFC 3398 §7.1.6); DISCONNECT 16 to ISDN")

/* SIP-originated, before answer: rows shared by the five pre-answer states. */
#define S_PRE_ANSWER(st) \
	ROW(st, ISDN_DISCONNECT, g_retry_channel, a_s_retry_channel, S_U1_INITIATED, \
	    "RFC 3398 §7.2.4.1 (44 untranslatable); RFC 4497 §8.4.1 NOTE 2"), \
	ROW(st, ISDN_DISCONNECT, g_next_span, a_s_next_span, S_U1_INITIATED, \
	    "RFC 4497 §8.3.1 (503 only when no channel: hunt the group); Q.931 §5.3.4"), \
	ROW(st, ISDN_DISCONNECT, g_inband_release, a_s_inband_disconnect, S_U12_EARLY_RELEASE, \
	    "RFC 3398 §7.1.6 (183, interwork timer); Q.931 §5.3.4.1 (DISCONNECT with PI 8: in-band information)"), \
	ROWA(st, ISDN_DISCONNECT, a_s_isdn_clear, C_U19, "RFC 3398 §7.2.4, §7.2.4.1; Q.931 §5.3.4"), \
	ROW(st, ISDN_RELEASE, g_retry_channel, a_s_retry_channel, S_U1_INITIATED, \
	    "RFC 3398 §7.2.4.1 (44); Q.931 §5.3.2 (RELEASE instead of DISCONNECT)"), \
	ROW(st, ISDN_RELEASE, g_next_span, a_s_next_span, S_U1_INITIATED, \
	    "RFC 4497 §8.3.1 (hunt the group); Q.931 §5.3.2 (RELEASE instead of DISCONNECT)"), \
	ROWA(st, ISDN_RELEASE, a_s_isdn_clear, DONE, "RFC 3398 §7.2.4.1; Q.931 §5.3.2"), \
	ROW(st, ISDN_RELEASE_COMPLETE, g_retry_channel, a_s_retry_channel, S_U1_INITIATED, \
	    "RFC 3398 §7.2.4.1 (44); Q.931 §5.3.2 (RELEASE COMPLETE)"), \
	ROW(st, ISDN_RELEASE_COMPLETE, g_next_span, a_s_next_span, S_U1_INITIATED, \
	    "RFC 4497 §8.3.1 (hunt the group); Q.931 §5.3.2 (RELEASE COMPLETE, e.g. to the SETUP)"), \
	ROWA(st, ISDN_RELEASE_COMPLETE, a_s_isdn_clear, DONE, "RFC 3398 §7.2.4.1; Q.931 §5.3.2"), \
	ROWA(st, SIP_CANCEL, a_s_sip_cancel, C_U11, "RFC 3398 §7.2.3; Q.931 §5.3.3"), \
	ROWA(st, SIP_BYE, a_s_sip_cancel, C_U11, "RFC 3398 §7.2.3; Q.931 §5.3.3"), \
	ROWA(st, SIP_TRANSPORT_ERROR, a_sip_transport_error, C_U11, "RFC 3261 §17.2.4; RFC 4497 §8.4.5"), \
	ROWA(st, ISDN_DCHAN_DOWN, a_s_dchan_down, DONE, "Q.931 §5.8.9 (cause 27); RFC 3398 §7.2.4.1"), \
	ROWCA(st, ISDN_RESTART, a_s_dchan_down, DONE, CAUSE_RESTART, "Q.931 §5.5.2; RFC 3398 §7.2.4.1"), \
	ROWA(st, ADMIN_RELEASE, a_s_admin, C_U11, "RFC 3398 §7.2.4.1; Q.931 §5.3.3"), \
	ROWA(st, ISDN_CONNECT, a_s_connect, S_U10_WAIT_ACK, "RFC 3398 §7.2.7; Q.931 §5.1.8")

/* ISDN-originated, before the final response. A failover row re-enters `again` (U9: the
   INVITE timer starts afresh; U7: ALERTING was sent, T301 starts afresh); the ISDN leg
   stays where it is and hears nothing of the SIP targets tried. */
#define I_PRE_FINAL(st, again) \
	ROWA(st, SIP_2XX, a_i_connect, U10_ACTIVE, "RFC 3398 §8.2.4; RFC 4497 §8.2.1.3 (CONNECT + ACK)"), \
	I_PRE_FINAL_ERRORS(st, again)
/* I_PRE_FINAL without the 2xx (a state whose CONNECT needs more first). */
#define I_PRE_FINAL_ERRORS(st, again) \
	ROW(st, SIP_FINAL_ERROR, g_redirect, a_i_redirect, again, \
	    "RFC 3398 §8.2.5 (3xx: recurse on Contact); RFC 3261 §8.1.3.4 (new request to it)"), \
	ROW(st, SIP_FINAL_ERROR, g_next_route, a_i_next_target, again, \
	    "RFC 3261 §16.7 (408/5xx: next target); §21.5.4 (503: Retry-After); RFC 3398 §8.2.6.1 when none is left"), \
	ROWA(st, SIP_FINAL_ERROR, a_i_sip_error, C_U11, "RFC 3398 §8.2.6, §8.2.6.1; Q.931 §5.3.3"), \
	ROW(st, SIP_INVITE_TIMEOUT, g_more_routes, a_i_next_target, again, \
	    "RFC 3261 §16.7 (no response: the branch counts as 408, next target)"), \
	ROWA(st, SIP_INVITE_TIMEOUT, a_i_invite_timeout, C_U11, "RFC 3398 §8.1.3 (cause 18 + CANCEL)"), \
	ROW(st, SIP_TRANSPORT_ERROR, g_more_routes, a_i_next_target, again, \
	    "RFC 3261 §8.1.3.1 (transport error as 503), §16.7 (next target)"), \
	ROWA(st, SIP_TRANSPORT_ERROR, a_i_transport_error, C_U11, "RFC 3261 §8.1.3.1 (as 503); RFC 3398 §8.2.6.1"), \
	ROWA(st, ISDN_DISCONNECT, a_i_isdn_clear, C_CANCEL_U19, "RFC 3398 §8.2.7; Q.931 §5.3.4"), \
	ROWA(st, ISDN_RELEASE, a_i_isdn_clear, C_CANCEL, "RFC 3398 §8.2.7; Q.931 §5.3.2"), \
	ROWA(st, ISDN_RELEASE_COMPLETE, a_i_isdn_clear, C_CANCEL, "RFC 3398 §8.2.7; Q.931 §5.3.2"), \
	ROWA(st, ISDN_DCHAN_DOWN, a_i_dchan_down, C_CANCEL, "Q.931 §5.8.9 (cause 27); RFC 3398 §8.2.7"), \
	ROWCA(st, ISDN_RESTART, a_i_dchan_down, C_CANCEL, CAUSE_RESTART, "Q.931 §5.5.2; RFC 3398 §8.2.7"), \
	ROWA(st, ADMIN_RELEASE, a_i_admin, C_CANCEL_U11, "RFC 3398 §8.2.7; Q.931 §5.3.3")

/* Clearing: the ISDN leg of a C_ state (X_U11 / X_U19 -> X). */
#define ISDN_LEG(u11, u19, u0) \
	ROWA(u11, ISDN_RELEASE, a_isdn_reply, u0, "Q.931 §5.3.3 (RELEASE -> RELEASE COMPLETE)"), \
	ROWA(u11, ISDN_DISCONNECT, a_isdn_reply, u19, "Q.931 §5.3.5 (clear collision)"), \
	ROWA(u11, ISDN_RELEASE_COMPLETE, a_none, u0, "Q.931 §5.3.2"), \
	ROWA(u11, ISDN_DCHAN_DOWN, a_none, u0, "Q.931 §5.8.9"), \
	ROWA(u11, ISDN_RESTART, a_none, u0, "Q.931 §5.5.2 (the call reference is Null)"), \
	ROWA(u19, ISDN_RELEASE_COMPLETE, a_none, u0, "Q.931 §5.3.4 (RELEASE COMPLETE in U19)"), \
	ROWA(u19, ISDN_RELEASE, a_none, u0, "Q.931 §5.3.5 (clear collision: RELEASE in U19)"), \
	ROWA(u19, ISDN_DISCONNECT, a_none, SAME, "Q.931 §5.3.5 (DISCONNECT in U19 ignored)"), \
	ROWA(u19, ISDN_DCHAN_DOWN, a_none, u0, "Q.931 §5.8.9"), \
	ROWA(u19, ISDN_RESTART, a_none, u0, "Q.931 §5.5.2 (the call reference is Null)")

/* Clearing: the SIP leg after our CANCEL (C_CANCEL* -> the same ISDN state). */
#define CANCEL_LEG(st, nx) \
	ROWA(st, SIP_FINAL_ERROR, a_cancel_final, nx, "RFC 3398 §8.2.7 (487 ends the INVITE)"), \
	ROWA(st, SIP_2XX, a_late_2xx, nx, "RFC 3398 §8.2.7 (200 after CANCEL: ACK, then BYE)"), \
	ROWA(st, SIP_1XX, a_none, SAME, "RFC 3261 §9.1 (provisional after CANCEL)"), \
	ROWA(st, SIP_INVITE_TIMEOUT, a_none, nx, "RFC 3261 §9.1, §17.1.1.2 (Timer B ends the INVITE)"), \
	ROWA(st, SIP_NONINVITE_TIMEOUT, a_none, SAME, "RFC 3261 §17.1.2.2 (CANCEL timed out; INVITE still open)"), \
	ROWA(st, SIP_TRANSPORT_ERROR, a_none, nx, "RFC 3261 §8.1.3.1")

/* Clearing: the SIP leg after our 200 without ACK (C_ACKWAIT* -> the same ISDN state). */
#define ACKWAIT_LEG(st, nx) \
	ROWA(st, SIP_ACK, a_pending_bye, nx, "RFC 4497 §8.4.1 (ACK, then BYE); RFC 3261 §15"), \
	ROW(st, TIMER_EXPIRED, g_timer_ack, a_pending_bye, nx, "RFC 3398 §7.1.4; RFC 3261 §15"), \
	ROWA(st, SIP_INVITE_TIMEOUT, a_pending_bye, nx, "RFC 3261 §13.3.1.4 (no ACK: BYE)"), \
	ROWA(st, SIP_BYE, a_none, nx, "RFC 3398 §10.1 (the peer cleared too)"), \
	ROWA(st, SIP_TRANSPORT_ERROR, a_none, nx, "RFC 3261 §17.2.4")

/* Clearing: where the SIP leg is done and only ISDN remains, SIP noise is ignored. */
#define SIP_DONE_LEG(st) \
	ROWA(st, SIP_NONINVITE_TIMEOUT, a_none, SAME, "RFC 3261 §15.1.1 (BYE failed: the dialog is over)"), \
	ROWA(st, SIP_TRANSPORT_ERROR, a_none, SAME, "RFC 3261 §15.1.1"), \
	ROWA(st, SIP_BYE, a_none, SAME, "RFC 3261 §15.1.2 (BYE crossing ours)")

#define GUARD_LEG(st) \
	ROW(st, TIMER_EXPIRED, g_timer_guard, a_none, DONE, "clearing guard (Q.931 T305/T308 run in libpri)"), \
	ROWA(st, ADMIN_RELEASE, a_none, DONE, "operator: forget the call")

const struct cwc_call_row cwc_call_rows[] = {
	/* any live state: a timer that was stopped but whose expiry was already queued */
	ROW(ANY, TIMER_EXPIRED, g_timer_stale, a_none, SAME, "stale expiry after TIMER_STOP: ignored"),

	/* Null: the call is created by INVITE or SETUP */
	ROW(NULL, SIP_INVITE, g_from_sip_accept, a_invite, S_U1_INITIATED,
	    "RFC 3398 §7.2.1 (100 Trying, IAM=SETUP); Q.931 §5.1.1"),
	ROW(NULL, SIP_INVITE, g_from_sip_reject, a_invite_reject, DONE,
	    "RFC 3398 §7.2.4.1 (3 -> 404, 34/38 -> 503); RFC 4497 §8.3.1"),
	ROW(NULL, ISDN_SETUP, g_from_isdn_overlap_invite, a_setup_ack_invite, I_U25_OVERLAP_INVITE,
	    "Q.931 §5.2.4 (SETUP ACKNOWLEDGE); RFC 3578 §3.2 (the minimum digits: INVITE, collect on)"),
	ROW(NULL, ISDN_SETUP, g_from_isdn_overlap, a_setup_ack, I_U25_OVERLAP,
	    "Q.931 §5.2.4 (no Sending complete, number incomplete: SETUP ACKNOWLEDGE, start T302)"),
	ROW(NULL, ISDN_SETUP, g_from_isdn_accept, a_setup, I_U9_CALLING,
	    "Q.931 §5.2.5.2 (CALL PROCEEDING); RFC 3398 §8.1.1 (IAM -> INVITE)"),
	ROW(NULL, ISDN_SETUP, g_from_isdn_reject, a_setup_reject, C_U11,
	    "Q.931 §5.2.5.2, §5.3.3; docs/libpri.md §2 (PROCEEDING before DISCONNECT)"),

	/* SIP -> ISDN: U1 Call initiated ("Trying") */
	ROWA(S_U1_INITIATED, ISDN_PROCEEDING, a_none, S_U3_PROCEEDING,
	     "Q.931 §5.1.5.2 (start T310); RFC 3398 §7.2.1"),
	ROWA(S_U1_INITIATED, ISDN_ALERTING, a_s_alerting, S_U4_DELIVERED, "Q.931 §5.1.7; RFC 3398 §7.2.6"),
	ROW(S_U1_INITIATED, ISDN_PROGRESS, g_early_release, a_s_progress, S_U3_EARLY_RELEASE,
	    "RFC 3398 §7.1.6 (cause in progress: 183, interwork timer)"),
	ROW(S_U1_INITIATED, ISDN_PROGRESS, g_inband, a_s_progress, S_U3_PROGRESSING,
	    "Q.931 §5.1.6; RFC 4497 §8.3.3 (PI 1/8 -> 183); RFC 3398 §7.2.5"),
	ROWA(S_U1_INITIATED, ISDN_PROGRESS, a_none, SAME, "Q.931 §5.1.6 (no in-band information: no 18x)"),
	ROWA(S_U1_INITIATED, SIP_MORE_DIGITS, a_s_more_digits, SAME,
	     "RFC 3578 §3 (a new INVITE with more digits); Q.931 §5.1.3 (INFORMATION, overlap sending)"),
	ROWA(S_U1_INITIATED, ISDN_NO_CHANNEL, a_s_no_channel, DONE,
	     "RFC 4497 §8.3.1 (no channel: 503); RFC 3398 §7.2.4.1 (34)"),
	S_PRE_ANSWER(S_U1_INITIATED),

	/* SIP -> ISDN: U3 Outgoing call proceeding ("Trying"), T310 */
	ROWA(S_U3_PROCEEDING, ISDN_ALERTING, a_s_alerting, S_U4_DELIVERED, "Q.931 §5.1.7; RFC 3398 §7.2.6"),
	ROW(S_U3_PROCEEDING, ISDN_PROGRESS, g_early_release, a_s_progress, S_U3_EARLY_RELEASE,
	    "RFC 3398 §7.1.6"),
	ROW(S_U3_PROCEEDING, ISDN_PROGRESS, g_inband, a_s_progress, S_U3_PROGRESSING,
	    "Q.931 §5.1.6; RFC 4497 §8.3.3; RFC 3398 §7.2.5"),
	ROWA(S_U3_PROCEEDING, ISDN_PROGRESS, a_none, SAME, "Q.931 §5.1.6 (no in-band information)"),
	ROWC(S_U3_PROCEEDING, TIMER_EXPIRED, g_timer_running, a_s_timer, C_U11, CAUSE_T310,
	     "Q.931 §5.1.5.2 T310 (cause 102); RFC 3398 §7.2.2 (504)"),
	S_PRE_ANSWER(S_U3_PROCEEDING),

	/* SIP -> ISDN: U3 with in-band information ("Not alerting"), T301 */
	ROWA(S_U3_PROGRESSING, ISDN_ALERTING, a_s_alerting, S_U4_DELIVERED, "RFC 3398 §7.2.9 (Alerting -> 180)"),
	ROWA(S_U3_PROGRESSING, ISDN_PROGRESS, a_none, SAME, "RFC 3398 §7.2.9 (state does not change)"),
	ROWC(S_U3_PROGRESSING, TIMER_EXPIRED, g_timer_running, a_s_timer, C_U11, CAUSE_T301,
	     "RFC 3398 §7.2.8 (T9: 480 + cause 19)"),
	S_PRE_ANSWER(S_U3_PROGRESSING),

	/* SIP -> ISDN: U3 after PROGRESS with cause ("Not alerting"), interwork timer */
	ROWA(S_U3_EARLY_RELEASE, ISDN_ALERTING, a_none, SAME, "RFC 3398 §7.1.6 (await the release)"),
	ROWA(S_U3_EARLY_RELEASE, ISDN_PROGRESS, a_none, SAME, "RFC 3398 §7.1.6"),
	ROWC(S_U3_EARLY_RELEASE, TIMER_EXPIRED, g_timer_running, a_s_timer, C_U11, CAUSE_INTERWORK,
	     "RFC 3398 §7.1.6 (interwork timer: final response from the cause)"),
	S_PRE_ANSWER(S_U3_EARLY_RELEASE),

	/* SIP -> ISDN: U12 Disconnect indication, DISCONNECT with PI 8 before answer ("Not
	   alerting"), interwork timer: the announcement plays through the 183's early media */
	ROW(S_U12_EARLY_RELEASE, TIMER_EXPIRED, g_timer_running, a_s_inband_timer, C_U19,
	    "RFC 3398 §7.1.6 (interwork timer: final response from the cause); Q.931 §5.3.4.1 (RELEASE)"),
	ROWA(S_U12_EARLY_RELEASE, ISDN_RELEASE, a_s_inband_released, DONE,
	     "RFC 3398 §7.1.6, §7.2.4.1 (final response from the cause); Q.931 §5.3.4.1, §5.3.2"),
	ROWA(S_U12_EARLY_RELEASE, ISDN_RELEASE_COMPLETE, a_s_inband_released, DONE,
	     "RFC 3398 §7.1.6, §7.2.4.1; Q.931 §5.3.2"),
	ROWA(S_U12_EARLY_RELEASE, ISDN_DISCONNECT, a_none, SAME, "Q.931 §5.8.4 (DISCONNECT in U12: ignored)"),
	ROWA(S_U12_EARLY_RELEASE, ISDN_PROGRESS, a_none, SAME, "RFC 3398 §7.1.6 (await the release)"),
	ROWA(S_U12_EARLY_RELEASE, ISDN_ALERTING, a_none, SAME, "RFC 3398 §7.1.6 (await the release)"),
	ROWA(S_U12_EARLY_RELEASE, SIP_CANCEL, a_s_inband_cancel, C_U19,
	     "RFC 3398 §7.1.6 (CANCEL before the timer), §7.2.3; Q.931 §5.3.4.1 (RELEASE)"),
	ROWA(S_U12_EARLY_RELEASE, SIP_BYE, a_s_inband_cancel, C_U19, "RFC 3398 §7.2.3; Q.931 §5.3.4.1"),
	ROWA(S_U12_EARLY_RELEASE, SIP_TRANSPORT_ERROR, a_s_inband_transport, C_U19,
	     "RFC 4497 §8.4.5 (41); Q.931 §5.3.4.1"),
	ROWA(S_U12_EARLY_RELEASE, ISDN_DCHAN_DOWN, a_s_dchan_down, DONE, "Q.931 §5.8.9 (cause 27); RFC 3398 §7.2.4.1"),
	ROWCA(S_U12_EARLY_RELEASE, ISDN_RESTART, a_s_dchan_down, DONE, CAUSE_RESTART, "Q.931 §5.5.2; RFC 3398 §7.2.4.1"),
	ROWA(S_U12_EARLY_RELEASE, ADMIN_RELEASE, a_s_inband_admin, C_U19, "RFC 3398 §7.2.4.1; Q.931 §5.3.4.1"),

	/* SIP -> ISDN: U4 Call delivered ("Alerting"), T301 */
	ROW(S_U4_DELIVERED, ISDN_PROGRESS, g_inband, a_s_progress, SAME,
	    "RFC 4497 §8.3.3 (PI 1/8: connect media, 183)"),
	ROWA(S_U4_DELIVERED, ISDN_PROGRESS, a_none, SAME, "RFC 3398 §7.2.9 (state does not change)"),
	ROWC(S_U4_DELIVERED, TIMER_EXPIRED, g_timer_running, a_s_timer, C_U11, CAUSE_T301,
	     "Q.931 Table 9-1 T301; RFC 3398 §7.2.8 (480 + cause 19)"),
	S_PRE_ANSWER(S_U4_DELIVERED),

	/* SIP -> ISDN: U10, 200 sent ("Waiting for ACK") */
	ROWA(S_U10_WAIT_ACK, SIP_ACK, a_none, U10_ACTIVE, "RFC 3398 §7.3 (ACK received)"),
	ROW(S_U10_WAIT_ACK, TIMER_EXPIRED, g_timer_ack, a_ack_timeout, C_U11,
	    "RFC 3398 §7.1.4 (no ACK: cause 102 + BYE)"),
	ROWA(S_U10_WAIT_ACK, SIP_INVITE_TIMEOUT, a_ack_timeout, C_U11, "RFC 3398 §7.1.4; RFC 3261 §17.2.1 (Timer H)"),
	ROWA(S_U10_WAIT_ACK, SIP_BYE, a_sip_bye, C_U11, "RFC 3398 §10.1; §7.2.3"),
	ROWA(S_U10_WAIT_ACK, SIP_TRANSPORT_ERROR, a_sip_transport_error, C_U11, "RFC 4497 §8.4.5"),
	ROWA(S_U10_WAIT_ACK, ISDN_DISCONNECT, a_isdn_clear_ackwait, C_ACKWAIT_U19,
	     "RFC 4497 §8.4.1 (200 sent, no ACK: wait for ACK, then BYE)"),
	ROWA(S_U10_WAIT_ACK, ISDN_RELEASE, a_isdn_clear_ackwait, C_ACKWAIT, "RFC 4497 §8.4.1; Q.931 §5.3.2"),
	ROWA(S_U10_WAIT_ACK, ISDN_RELEASE_COMPLETE, a_isdn_clear_ackwait, C_ACKWAIT, "RFC 4497 §8.4.1; Q.931 §5.3.2"),
	ROWA(S_U10_WAIT_ACK, ISDN_DCHAN_DOWN, a_dchan_ackwait, C_ACKWAIT, "Q.931 §5.8.9; RFC 4497 §8.4.1"),
	ROWCA(S_U10_WAIT_ACK, ISDN_RESTART, a_dchan_ackwait, C_ACKWAIT, CAUSE_RESTART, "Q.931 §5.5.2; RFC 4497 §8.4.1"),
	ROWA(S_U10_WAIT_ACK, ADMIN_RELEASE, a_admin_ackwait, C_ACKWAIT_U11, "RFC 4497 §8.4.1"),

	/* ISDN -> SIP: U25 Overlap receiving, T302; nothing on SIP yet */
	ROW(I_U25_OVERLAP, ISDN_INFORMATION, g_reject, a_overlap_reject, C_U11,
	    "Q.931 §5.2.4 (Sending complete or '#' with the number incomplete: clearing, cause 28); "
	    "RFC 4497 §8.2.1.1"),
	ROWN(I_U25_OVERLAP, ISDN_INFORMATION, g_overlap_invite, a_overlap_invite, I_U25_OVERLAP_INVITE,
	     TB(T302),
	     "RFC 3578 §3.2 (the minimum digits, or more after a 484: INVITE them); Q.931 §5.2.4 (T302 afresh)"),
	ROWR(I_U25_OVERLAP, ISDN_INFORMATION, g_more_digits, a_digits, TB(T302),
	     "Q.931 §5.2.4 (each INFORMATION restarts T302)"),
	ROWA(I_U25_OVERLAP, ISDN_INFORMATION, a_overlap_complete, I_U9_CALLING,
	     "Q.931 §5.2.4 (number complete: stop T302, CALL PROCEEDING); RFC 3398 §8.1.1 (INVITE)"),
	ROWC(I_U25_OVERLAP, TIMER_EXPIRED, g_timer_t302_484, a_overlap_reject, C_U11,
	     CAUSE_FIXED(28, "T302 after 484 only: the number stays incomplete (RFC 3398 §8.2.6.1: 484 -> 28)"),
	     "Q.931 §5.2.4 (T302 expiry); RFC 3578 §3.3 (the last INVITE answered 484)"),
	ROW(I_U25_OVERLAP, TIMER_EXPIRED, g_timer_t302_reject, a_overlap_reject, C_U11,
	    "Q.931 §5.2.4 (T302 expiry, the number definitely incomplete: clearing with cause 28)"),
	ROW(I_U25_OVERLAP, TIMER_EXPIRED, g_timer_t302, a_overlap_complete, I_U9_CALLING,
	    "Q.931 §5.2.4 (T302 expiry, enough digits: CALL PROCEEDING); RFC 3398 §8.1.1 (INVITE)"),
	ROWA(I_U25_OVERLAP, ISDN_DISCONNECT, a_overlap_isdn_clear, C_U19, "Q.931 §5.3.4 (RELEASE)"),
	ROWA(I_U25_OVERLAP, ISDN_RELEASE, a_overlap_isdn_clear, DONE, "Q.931 §5.3.2 (RELEASE COMPLETE)"),
	ROWA(I_U25_OVERLAP, ISDN_RELEASE_COMPLETE, a_overlap_isdn_clear, DONE, "Q.931 §5.3.2"),
	ROWA(I_U25_OVERLAP, ISDN_DCHAN_DOWN, a_overlap_dchan, DONE, "Q.931 §5.8.9 (cause 27)"),
	ROWCA(I_U25_OVERLAP, ISDN_RESTART, a_overlap_dchan, DONE, CAUSE_RESTART, "Q.931 §5.5.2"),
	ROWA(I_U25_OVERLAP, ADMIN_RELEASE, a_overlap_admin, C_U11, "Q.931 §5.3.3 (DISCONNECT)"),

	/* ISDN -> SIP: U25 with an INVITE of the digits so far out (RFC 3578 §3.2), T302 */
	ROW(I_U25_OVERLAP_INVITE, ISDN_INFORMATION, g_reject, a_overlap_reject_cancel, C_CANCEL_U11,
	    "Q.931 §5.2.4 (the number cannot be completed: DISCONNECT); RFC 3398 §8.2.7 (CANCEL)"),
	ROWR(I_U25_OVERLAP_INVITE, ISDN_INFORMATION, g_overlap_invite, a_overlap_reinvite, TB(T302),
	     "RFC 3578 §3.4 (a digit before the 484: CANCEL), §3.2 (INVITE the grown number); Q.931 §5.2.4"),
	ROWN(I_U25_OVERLAP_INVITE, ISDN_INFORMATION, g_more_digits, a_overlap_withdraw, I_U25_OVERLAP,
	     TB(T302),
	     "RFC 3578 §3.4 (CANCEL: the grown number is short of its route's minimum); Q.931 §5.2.4"),
	ROWA(I_U25_OVERLAP_INVITE, ISDN_INFORMATION, a_overlap_reinvite_complete, I_U9_CALLING,
	     "RFC 3578 §3.4 (CANCEL), §3.2 (the complete number); Q.931 §5.2.4 (CALL PROCEEDING)"),
	ROW(I_U25_OVERLAP_INVITE, SIP_FINAL_ERROR, g_status_484, a_overlap_484, I_U25_OVERLAP,
	    "RFC 3578 §3.3 (484: wait for more digits); Q.931 §5.2.4 (T302 runs on from the last digit)"),
	ROW(I_U25_OVERLAP_INVITE, SIP_1XX, g_status_100, a_none, SAME,
	    "RFC 3261 §21.1.1 (100 is hop-by-hop: nobody was reached, the dialling goes on)"),
	ROW(I_U25_OVERLAP_INVITE, SIP_1XX, g_status_180, a_overlap_alerting, I_U7_RECEIVED,
	    "RFC 3578 §3.3 (not a 484: the number is complete); Q.931 §5.2.4 (CALL PROCEEDING); RFC 3398 §8.2.3"),
	ROWA(I_U25_OVERLAP_INVITE, SIP_1XX, a_overlap_progress, I_U9_PROGRESSING,
	     "RFC 3578 §3.3; Q.931 §5.2.4 (CALL PROCEEDING); RFC 3398 §8.2.3 (18x -> PROGRESS)"),
	ROWA(I_U25_OVERLAP_INVITE, SIP_2XX, a_overlap_connect, U10_ACTIVE,
	     "RFC 3578 §3.3; Q.931 §5.2.4 (CALL PROCEEDING); RFC 3398 §8.2.4 (CONNECT)"),
	ROW(I_U25_OVERLAP_INVITE, TIMER_EXPIRED, g_timer_t302, a_overlap_proceed, I_U9_CALLING,
	    "Q.931 §5.2.4 (T302 expiry: the number as it is, CALL PROCEEDING); the pending INVITE goes on"),
	I_PRE_FINAL_ERRORS(I_U25_OVERLAP_INVITE, I_U25_OVERLAP_INVITE),

	/* ISDN -> SIP: U9, INVITE sent, no response ("Trying") */
	ROW(I_U9_CALLING, SIP_1XX, g_status_100, a_none, I_U9_PROCEEDING, "RFC 3398 §8.2.2 (100: no message)"),
	ROW(I_U9_CALLING, SIP_1XX, g_status_180, a_i_alerting, I_U7_RECEIVED,
	    "RFC 3398 §8.2.3 (180 -> ACM); RFC 4497 §8.2.1.3 (ALERTING)"),
	ROW(I_U9_CALLING, SIP_1XX, g_status_18x, a_i_progress, I_U9_PROGRESSING,
	    "RFC 3398 §8.2.3 (18x -> early ACM, Progressing); RFC 4497 §8.2.1.3 (PROGRESS)"),
	ROW(I_U9_CALLING, TIMER_EXPIRED, g_timer_next_route, a_i_timer_next_target, I_U9_CALLING,
	    "RFC 3261 §16.8 (Timer C, no response: as 408), §16.7 (CANCEL, next target); RFC 3398 §8.1.3 when none is left"),
	ROW(I_U9_CALLING, TIMER_EXPIRED, g_timer_running, a_i_timer_no_response, C_CANCEL_U11,
	    "RFC 3398 §8.1.3 (no response: cause 18 + CANCEL); Q.931 §5.2.5.4"),
	I_PRE_FINAL(I_U9_CALLING, I_U9_CALLING),

	/* ISDN -> SIP: U9, 100 received ("Trying"), T310 on the SIP leg */
	ROW(I_U9_PROCEEDING, SIP_1XX, g_status_180, a_i_alerting, I_U7_RECEIVED, "RFC 3398 §8.2.3; RFC 4497 §8.2.1.3"),
	ROW(I_U9_PROCEEDING, SIP_1XX, g_status_18x, a_i_progress, I_U9_PROGRESSING, "RFC 3398 §8.2.3; RFC 4497 §8.2.1.3"),
	ROWA(I_U9_PROCEEDING, SIP_1XX, a_none, SAME, "RFC 3398 §8.2.2"),
	ROW(I_U9_PROCEEDING, TIMER_EXPIRED, g_timer_next_route, a_i_timer_next_target, I_U9_CALLING,
	    "RFC 3261 §21.1.1 (100 is hop-by-hop: no one alerted), §16.8 (Timer C: CANCEL), §16.7 (next target)"),
	ROW(I_U9_PROCEEDING, TIMER_EXPIRED, g_timer_running, a_i_timer_no_response, C_CANCEL_U11,
	    "Q.931 §5.2.5.4 (T310 after CALL PROCEEDING: cause 18 toward the caller) applied to the SIP leg"),
	I_PRE_FINAL(I_U9_PROCEEDING, I_U9_CALLING),

	/* ISDN -> SIP: U9, PROGRESS sent ("Progressing"), T301 */
	ROW(I_U9_PROGRESSING, SIP_FINAL_ERROR, g_inband_error, a_i_sip_error_inband, C_U11,
	    "RFC 3398 §7.1.6 reversed, §8.2.6.1 (cause); Q.931 §5.3.4.1 (DISCONNECT with PI 8 after early media)"),
	ROW(I_U9_PROGRESSING, SIP_1XX, g_status_180, a_i_alerting, I_U7_RECEIVED,
	    "RFC 3398 §8.2.3 (180 after early ACM); RFC 4497 §8.2.1.3"),
	ROWA(I_U9_PROGRESSING, SIP_1XX, a_none, SAME, "RFC 4497 §8.2.1.3 (PI 1 already sent: no message)"),
	ROW(I_U9_PROGRESSING, TIMER_EXPIRED, g_timer_running, a_i_timer_no_response, C_CANCEL_U11,
	    "Q.931 Table 9-1 T301; §5.2.5.4 (PROGRESS is no ALERTING: cause 18, not 19); no failover after an 18x"),
	I_PRE_FINAL(I_U9_PROGRESSING, I_U9_CALLING),

	/* ISDN -> SIP: U7 Call received ("Alerting"), T301 */
	ROW(I_U7_RECEIVED, SIP_FINAL_ERROR, g_inband_error, a_i_sip_error_inband, C_U11,
	    "RFC 3398 §7.1.6 reversed, §8.2.6.1 (cause); Q.931 §5.3.4.1 (DISCONNECT with PI 8 after early media)"),
	ROWA(I_U7_RECEIVED, SIP_1XX, a_none, SAME, "RFC 4497 §8.2.1.3 (ALERTING sent: no message)"),
	ROW(I_U7_RECEIVED, TIMER_EXPIRED, g_timer_running, a_i_timer_no_answer, C_CANCEL_U11,
	    "Q.931 Table 9-1 T301, §5.2.5.4 (after ALERTING: cause 19); RFC 3398 §7.2.8; no failover: the user was alerted"),
	I_PRE_FINAL(I_U7_RECEIVED, I_U7_RECEIVED),

	/* U10 Active ("Connected") */
	ROWA(U10_ACTIVE, SIP_BYE, a_sip_bye, C_U11, "RFC 3398 §10.1, §7.2.3; RFC 4497 §8.4.2"),
	ROWA(U10_ACTIVE, ISDN_DISCONNECT, a_isdn_clear_bye, C_U19, "RFC 3398 §10.2; Q.931 §5.3.4"),
	ROWA(U10_ACTIVE, ISDN_RELEASE, a_isdn_clear_bye, DONE, "RFC 3398 §10.2; Q.931 §5.3.2"),
	ROWA(U10_ACTIVE, ISDN_RELEASE_COMPLETE, a_isdn_clear_bye, DONE, "RFC 3398 §10.2; Q.931 §5.3.2"),
	ROWA(U10_ACTIVE, ISDN_DCHAN_DOWN, a_dchan_bye, DONE, "Q.931 §5.8.9 (cause 27); RFC 3398 §10.2"),
	ROWCA(U10_ACTIVE, ISDN_RESTART, a_dchan_bye, DONE, CAUSE_RESTART, "Q.931 §5.5.2; RFC 3398 §10.2"),
	ROWA(U10_ACTIVE, ISDN_CONNECT_ACK, a_none, SAME, "Q.931 §5.2.8 (U8 -> U10)"),
	ROWA(U10_ACTIVE, SIP_TRANSPORT_ERROR, a_sip_transport_error, C_U11, "RFC 4497 §8.4.5"),
	ROWA(U10_ACTIVE, ADMIN_RELEASE, a_admin_bye, C_U11, "RFC 3398 §10.2; Q.931 §5.3.3"),
	ROWC(U10_ACTIVE, TIMER_EXPIRED, g_timer_max_duration, a_admin_bye, C_U11,
	     CAUSE_FIXED(16, "the call's time ran out: 16 normal call clearing (Q.850 §2.2.7)"),
	     "max_call_seconds: Q.931 §5.3.3 (DISCONNECT); RFC 3398 §10.2 (BYE with Reason)"),
	ROWR(U10_ACTIVE, TIMER_EXPIRED, g_timer_session_refresh, a_session_refresh, TB(SESSION_REFRESH),
	     "RFC 4028 §10 (the refresher refreshes at half the interval; next one again then)"),
	ROW(U10_ACTIVE, TIMER_EXPIRED, g_timer_session_expiry, a_session_expired, C_U11,
	    "RFC 4028 §10 (no refresh before the session expires: BYE); Q.931 §5.3.3"),
	ROWRA(U10_ACTIVE, SIP_REFRESH, a_none, TB(SESSION_REFRESH) | TB(SESSION_EXPIRY),
	     "RFC 4028 §10 (session refreshed: its timers run afresh)"),
	ROWA(U10_ACTIVE, SIP_REFRESH_FAILED, a_session_expired, C_U11,
	     "RFC 4028 §10 (a refresh answered 408/481 or not at all ends the session: BYE); "
	     "RFC 3261 §12.2.1.2"),

	/* Clearing */
	ISDN_LEG(C_U11, C_U19, DONE),
	ISDN_LEG(C_CANCEL_U11, C_CANCEL_U19, C_CANCEL),
	ISDN_LEG(C_ACKWAIT_U11, C_ACKWAIT_U19, C_ACKWAIT),
	CANCEL_LEG(C_CANCEL, DONE),
	CANCEL_LEG(C_CANCEL_U11, C_U11),
	CANCEL_LEG(C_CANCEL_U19, C_U19),
	ACKWAIT_LEG(C_ACKWAIT, DONE),
	ACKWAIT_LEG(C_ACKWAIT_U11, C_U11),
	ACKWAIT_LEG(C_ACKWAIT_U19, C_U19),
	SIP_DONE_LEG(C_U11),
	SIP_DONE_LEG(C_U19),
	GUARD_LEG(C_U11),
	GUARD_LEG(C_U19),
	GUARD_LEG(C_CANCEL),
	GUARD_LEG(C_CANCEL_U11),
	GUARD_LEG(C_CANCEL_U19),
	GUARD_LEG(C_ACKWAIT_U11),
	GUARD_LEG(C_ACKWAIT_U19),
	ROWA(C_ACKWAIT, ADMIN_RELEASE, a_none, DONE, "operator: forget the call"),
};

const size_t cwc_call_nrows = sizeof(cwc_call_rows) / sizeof(cwc_call_rows[0]);
