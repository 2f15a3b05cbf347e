/* SPDX-License-Identifier: MIT */
/*
 * bridge/core/call.c — the engine of the call state machine: event
 * checks, row lookup, Reason parsing into the call, timer bookkeeping by
 * state, the all-or-nothing output, names and transcript lines.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_internal.h"

/* ---- Names ---- */

struct state_name {
	const char *name, *q931, *rfc3398;
};

static const struct state_name state_names[CWC_CS_COUNT] = {
	[CWC_CS_NULL] = { "NULL", "U0 Null", "Idle" },
	[CWC_CS_S_U1_INITIATED] = { "S_U1_INITIATED", "U1 Call initiated", "Trying" },
	[CWC_CS_S_U3_PROCEEDING] = { "S_U3_PROCEEDING", "U3 Outgoing call proceeding", "Trying" },
	[CWC_CS_S_U3_PROGRESSING] = { "S_U3_PROGRESSING", "U3 Outgoing call proceeding", "Not alerting" },
	[CWC_CS_S_U3_EARLY_RELEASE] = { "S_U3_EARLY_RELEASE", "U3 Outgoing call proceeding", "Not alerting" },
	[CWC_CS_S_U12_EARLY_RELEASE] = { "S_U12_EARLY_RELEASE", "U12 Disconnect indication", "Not alerting" },
	[CWC_CS_S_U4_DELIVERED] = { "S_U4_DELIVERED", "U4 Call delivered", "Alerting" },
	[CWC_CS_S_U10_WAIT_ACK] = { "S_U10_WAIT_ACK", "U10 Active", "Waiting for ACK" },
	[CWC_CS_I_U25_OVERLAP] = { "I_U25_OVERLAP", "U25 Overlap receiving", "Idle (collecting digits)" },
	[CWC_CS_I_U25_OVERLAP_INVITE] = { "I_U25_OVERLAP_INVITE", "U25 Overlap receiving",
	                                  "Trying (collecting digits)" },
	[CWC_CS_I_U9_CALLING] = { "I_U9_CALLING", "U9 Incoming call proceeding", "Trying" },
	[CWC_CS_I_U9_PROCEEDING] = { "I_U9_PROCEEDING", "U9 Incoming call proceeding", "Trying" },
	[CWC_CS_I_U9_PROGRESSING] = { "I_U9_PROGRESSING", "U9 Incoming call proceeding", "Progressing" },
	[CWC_CS_I_U7_RECEIVED] = { "I_U7_RECEIVED", "U7 Call received", "Alerting" },
	[CWC_CS_U10_ACTIVE] = { "U10_ACTIVE", "U10 Active", "Connected" },
	[CWC_CS_C_U11] = { "C_U11", "U11 Disconnect request", "Idle (SIP leg done)" },
	[CWC_CS_C_U19] = { "C_U19", "U19 Release request", "Idle (SIP leg done)" },
	[CWC_CS_C_CANCEL] = { "C_CANCEL", "U0 Null", "CANCEL sent" },
	[CWC_CS_C_CANCEL_U11] = { "C_CANCEL_U11", "U11 Disconnect request", "CANCEL sent" },
	[CWC_CS_C_CANCEL_U19] = { "C_CANCEL_U19", "U19 Release request", "CANCEL sent" },
	[CWC_CS_C_ACKWAIT] = { "C_ACKWAIT", "U0 Null", "Waiting for ACK" },
	[CWC_CS_C_ACKWAIT_U11] = { "C_ACKWAIT_U11", "U11 Disconnect request", "Waiting for ACK" },
	[CWC_CS_C_ACKWAIT_U19] = { "C_ACKWAIT_U19", "U19 Release request", "Waiting for ACK" },
	[CWC_CS_DONE] = { "DONE", "U0 Null", "Idle" },
};

static const char *const event_names[CWC_EV_COUNT] = {
	[CWC_EV_SIP_INVITE] = "SIP_INVITE",
	[CWC_EV_SIP_1XX] = "SIP_1XX",
	[CWC_EV_SIP_2XX] = "SIP_2XX",
	[CWC_EV_SIP_FINAL_ERROR] = "SIP_FINAL_ERROR",
	[CWC_EV_SIP_ACK] = "SIP_ACK",
	[CWC_EV_SIP_BYE] = "SIP_BYE",
	[CWC_EV_SIP_CANCEL] = "SIP_CANCEL",
	[CWC_EV_SIP_INVITE_TIMEOUT] = "SIP_INVITE_TIMEOUT",
	[CWC_EV_SIP_NONINVITE_TIMEOUT] = "SIP_NONINVITE_TIMEOUT",
	[CWC_EV_SIP_TRANSPORT_ERROR] = "SIP_TRANSPORT_ERROR",
	[CWC_EV_SIP_REFRESH] = "SIP_REFRESH",
	[CWC_EV_SIP_REFRESH_FAILED] = "SIP_REFRESH_FAILED",
	[CWC_EV_ISDN_SETUP] = "ISDN_SETUP",
	[CWC_EV_ISDN_PROCEEDING] = "ISDN_PROCEEDING",
	[CWC_EV_ISDN_ALERTING] = "ISDN_ALERTING",
	[CWC_EV_ISDN_PROGRESS] = "ISDN_PROGRESS",
	[CWC_EV_ISDN_CONNECT] = "ISDN_CONNECT",
	[CWC_EV_ISDN_CONNECT_ACK] = "ISDN_CONNECT_ACK",
	[CWC_EV_ISDN_DISCONNECT] = "ISDN_DISCONNECT",
	[CWC_EV_ISDN_RELEASE] = "ISDN_RELEASE",
	[CWC_EV_ISDN_RELEASE_COMPLETE] = "ISDN_RELEASE_COMPLETE",
	[CWC_EV_ISDN_DCHAN_DOWN] = "ISDN_DCHAN_DOWN",
	[CWC_EV_ISDN_NO_CHANNEL] = "ISDN_NO_CHANNEL",
	[CWC_EV_ISDN_INFORMATION] = "ISDN_INFORMATION",
	[CWC_EV_ISDN_RESTART] = "ISDN_RESTART",
	[CWC_EV_TIMER_EXPIRED] = "TIMER_EXPIRED",
	[CWC_EV_ADMIN_RELEASE] = "ADMIN_RELEASE",
	[CWC_EV_SIP_MORE_DIGITS] = "SIP_MORE_DIGITS",
};

static const char *const action_names[CWC_ACT_COUNT] = {
	[CWC_ACT_SIP_PROVISIONAL] = "SIP_PROVISIONAL",
	[CWC_ACT_SIP_200_OK] = "SIP_200_OK",
	[CWC_ACT_SIP_FINAL_ERROR] = "SIP_FINAL_ERROR",
	[CWC_ACT_SIP_INVITE] = "SIP_INVITE",
	[CWC_ACT_SIP_INVITE_NEXT] = "SIP_INVITE_NEXT",
	[CWC_ACT_SIP_CANCEL] = "SIP_CANCEL",
	[CWC_ACT_SIP_BYE] = "SIP_BYE",
	[CWC_ACT_SIP_ACK] = "SIP_ACK",
	[CWC_ACT_SIP_REFRESH] = "SIP_REFRESH",
	[CWC_ACT_ISDN_SETUP] = "ISDN_SETUP",
	[CWC_ACT_ISDN_SETUP_RETRY] = "ISDN_SETUP_RETRY",
	[CWC_ACT_ISDN_PROCEEDING] = "ISDN_PROCEEDING",
	[CWC_ACT_ISDN_SETUP_ACK] = "ISDN_SETUP_ACK",
	[CWC_ACT_ISDN_ALERTING] = "ISDN_ALERTING",
	[CWC_ACT_ISDN_PROGRESS] = "ISDN_PROGRESS",
	[CWC_ACT_ISDN_CONNECT] = "ISDN_CONNECT",
	[CWC_ACT_ISDN_DISCONNECT] = "ISDN_DISCONNECT",
	[CWC_ACT_ISDN_RELEASE] = "ISDN_RELEASE",
	[CWC_ACT_ISDN_RELEASE_COMPLETE] = "ISDN_RELEASE_COMPLETE",
	[CWC_ACT_ISDN_INFORMATION] = "ISDN_INFORMATION",
	[CWC_ACT_TIMER_START] = "TIMER_START",
	[CWC_ACT_TIMER_STOP] = "TIMER_STOP",
	[CWC_ACT_CALL_FINISHED] = "CALL_FINISHED",
};

static const char *const side_names[] = { "none", "sip", "isdn", "local" };

const char *cwc_call_state_name(enum cwc_call_state state)
{
	return (unsigned)state < CWC_CS_COUNT ? state_names[state].name : NULL;
}

const char *cwc_call_state_q931(enum cwc_call_state state)
{
	return (unsigned)state < CWC_CS_COUNT ? state_names[state].q931 : NULL;
}

const char *cwc_call_state_rfc3398(enum cwc_call_state state)
{
	return (unsigned)state < CWC_CS_COUNT ? state_names[state].rfc3398 : NULL;
}

const char *cwc_call_event_name(enum cwc_call_event_type type)
{
	return (unsigned)type < CWC_EV_COUNT ? event_names[type] : NULL;
}

const char *cwc_call_action_name(enum cwc_call_action_type type)
{
	return (unsigned)type < CWC_ACT_COUNT ? action_names[type] : NULL;
}

const char *cwc_call_timer_name(enum cwc_call_timer timer)
{
	return (unsigned)timer < CWC_TIMER_COUNT ? cwc_call_timers[timer].name : NULL;
}

const char *cwc_call_side_name(enum cwc_call_side side)
{
	return (unsigned)side < sizeof(side_names) / sizeof(side_names[0]) ? side_names[side] : NULL;
}

int cwc_call_state_from_name(const char *name, enum cwc_call_state *ret_state)
{
	if (!name || !ret_state)
		return -EINVAL;
	for (int i = 0; i < CWC_CS_COUNT; i++) {
		if (strcmp(name, state_names[i].name) == 0) {
			*ret_state = (enum cwc_call_state)i;
			return 0;
		}
	}
	return -ENOENT;
}

int cwc_call_event_from_name(const char *name, enum cwc_call_event_type *ret_type)
{
	if (!name || !ret_type)
		return -EINVAL;
	for (int i = 0; i < CWC_EV_COUNT; i++) {
		if (strcmp(name, event_names[i]) == 0) {
			*ret_type = (enum cwc_call_event_type)i;
			return 0;
		}
	}
	return -ENOENT;
}

const struct cwc_call_timer_info *cwc_call_timer_info(enum cwc_call_timer timer)
{
	return (unsigned)timer < CWC_TIMER_COUNT ? &cwc_call_timers[timer] : NULL;
}

unsigned cwc_call_state_timers(enum cwc_call_state state)
{
	return (unsigned)state < CWC_CS_COUNT ? cwc_call_state_timer_mask[state] : 0;
}

size_t cwc_call_row_count(void)
{
	return cwc_call_nrows;
}

int cwc_call_row_at(size_t index, struct cwc_call_row_info *ret_row)
{
	const struct cwc_call_row *r;

	if (!ret_row)
		return -EINVAL;
	if (index >= cwc_call_nrows)
		return -ERANGE;
	r = &cwc_call_rows[index];
	ret_row->state = r->state;
	ret_row->event = r->event;
	ret_row->guard = r->guard_name;
	ret_row->action = r->action_name;
	ret_row->next = r->next;
	ret_row->clause = r->clause;
	return 0;
}

/* ---- Life cycle ---- */

void cwc_call_config_init(struct cwc_call_config *cfg, enum cwc_call_dir dir)
{
	if (!cfg)
		return;
	memset(cfg, 0, sizeof(*cfg));
	cfg->dir = dir;
	cfg->local_location = CW_LOCATION_UNKNOWN;
	cfg->retry_after_s = 30;
	cfg->channel_retries = 1;
	cfg->max_redirects = 3;
	for (int t = 0; t < CWC_TIMER_COUNT; t++)
		cfg->timer_ms[t] = cwc_call_timers[t].default_ms;
}

int cwc_call_new(struct cwc_call **ret_call, const struct cwc_call_config *cfg)
{
	struct cwc_call *call;
	const cw_profile *profile;

	if (!ret_call || !cfg)
		return -EINVAL;
	if (cfg->dir != CWC_CALL_FROM_SIP && cfg->dir != CWC_CALL_FROM_ISDN)
		return -EINVAL;
	if (cfg->local_location < CW_LOCATION_UNKNOWN || cfg->local_location > 15)
		return -ERANGE;
	profile = cfg->profile;
	if (!profile && cw_profile_get(CW_PROFILE_DEFAULT, &profile) != 0)
		return -EINVAL;
	call = calloc(1, sizeof(*call));
	if (!call)
		return -ENOMEM;
	call->cfg = *cfg;
	call->cfg.profile = profile;
	/* A user-side gateway is the private network of its users (LPN); in network
	   mode it is the public network serving the local user (LN). Q.850 §2.2.3. */
	if (call->cfg.local_location == CW_LOCATION_UNKNOWN)
		call->cfg.local_location = cfg->pri_net ? CW_LOC_LN : CW_LOC_LPN;
	call->state = CWC_CS_NULL;
	call->last_row = -1;
	call->channel = -1;
	call->early_location = CW_LOCATION_UNKNOWN;
	call->retry_location = CW_LOCATION_UNKNOWN;
	call->summary.location = CW_LOCATION_UNKNOWN;
	cwc_summary_init(call);
	*ret_call = call;
	return 0;
}

void cwc_call_free(struct cwc_call *call)
{
	if (!call)
		return;
	cwc_summary_free(call);
	free(call);
}

int cwc_call_set_timer(struct cwc_call *call, enum cwc_call_timer timer, uint64_t ms)
{
	if (!call || (unsigned)timer >= CWC_TIMER_COUNT)
		return -EINVAL;
	call->cfg.timer_ms[timer] = ms;
	return 0;
}

/* RFC 4028 §10: the refresher sends at half the interval; the other side gives up
   min(32, interval / 3) seconds before the interval ends. */
int cwc_call_set_session(struct cwc_call *call, unsigned interval_s, int local_refresher)
{
	uint64_t se = (uint64_t)interval_s * 1000, margin = se / 3 < 32000 ? se / 3 : 32000;

	if (!call)
		return -EINVAL;
	call->cfg.timer_ms[CWC_TIMER_SESSION_REFRESH] = local_refresher ? se / 2 : 0;
	call->cfg.timer_ms[CWC_TIMER_SESSION_EXPIRY] = local_refresher ? se : se - margin;
	return 0;
}

enum cwc_call_state cwc_call_state(const struct cwc_call *call)
{
	return call ? call->state : CWC_CS_NULL;
}

enum cwc_call_dir cwc_call_dir(const struct cwc_call *call)
{
	return call ? call->cfg.dir : CWC_CALL_FROM_SIP;
}

void cwc_call_summary_get(const struct cwc_call *call, struct cwc_call_summary *ret_summary)
{
	if (call && ret_summary)
		cwc_summary_export(call, ret_summary);
}

long cwc_call_last_row(const struct cwc_call *call)
{
	return call ? call->last_row : -1;
}

void cwc_call_event_init(struct cwc_call_event *ev, enum cwc_call_event_type type, uint64_t now_ms)
{
	if (!ev)
		return;
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->now_ms = now_ms;
	ev->location = CW_LOCATION_UNKNOWN;
	ev->channel = -1;
}

/* ---- The engine ---- */

struct cwc_call_action *cwc_fsm_push(struct cwc_fsm_ctx *ctx, enum cwc_call_action_type type)
{
	struct cwc_call_action *a;

	if (ctx->n >= CWC_CALL_ACTIONS_MAX) {
		ctx->overflow = 1;
		a = &ctx->scratch;
	} else {
		a = &ctx->acts[ctx->n++];
	}
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->location = CW_LOCATION_UNKNOWN;
	a->channel = -1;
	return a;
}

static int terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static int check_party(const struct cwc_call_party *p)
{
	if (!terminated(p->digits, sizeof(p->digits)) || !terminated(p->name, sizeof(p->name)))
		return -EINVAL;
	for (const char *c = p->name; *c; c++)
		if (*c < 0x20 || *c > 0x7e) /* Q.931 §4.5.16: IA5 display characters */
			return -EINVAL;
	if (p->ton < 0 || p->ton > 7 || p->npi < 0 || p->npi > 15 || p->presentation < 0 ||
	    p->presentation > 3 || p->screening < 0 || p->screening > 3)
		return -ERANGE;
	return 0;
}

static int check_event(const struct cwc_call_event *ev)
{
	int rc;

	if ((unsigned)ev->type >= CWC_EV_COUNT)
		return -EINVAL;
	if (ev->nreasons > CWC_CALL_REASON_LINES_MAX)
		return -ERANGE;
	for (size_t i = 0; i < ev->nreasons; i++)
		if (!ev->reasons[i].ptr && ev->reasons[i].len)
			return -EINVAL;
	if (ev->cause < 0 || ev->cause > CW_Q850_CAUSE_MAX)
		return -ERANGE;
	if (ev->location < CW_LOCATION_UNKNOWN || ev->location > 15)
		return -ERANGE;
	if (ev->coding < 0 || ev->coding > 3) /* Q.850 §2.2.5: two bits */
		return -ERANGE;
	if (ev->has_diagnostic && !terminated(ev->diagnostic, sizeof(ev->diagnostic)))
		return -EINVAL;
	switch (ev->type) {
	case CWC_EV_SIP_1XX:
		if (ev->status < 100 || ev->status > 199)
			return -ERANGE;
		break;
	case CWC_EV_SIP_2XX:
		if (ev->status < 200 || ev->status > 299)
			return -ERANGE;
		break;
	case CWC_EV_SIP_FINAL_ERROR:
		if (ev->status < 300 || ev->status > CW_SIP_STATUS_MAX)
			return -ERANGE;
		if (ev->warning < 0 || ev->warning > 999)
			return -ERANGE;
		break;
	case CWC_EV_SIP_MORE_DIGITS:
		if ((rc = check_party(&ev->called)) != 0)
			return rc;
		break;
	case CWC_EV_SIP_INVITE:
	case CWC_EV_ISDN_SETUP:
	case CWC_EV_ISDN_INFORMATION:
		if ((rc = check_party(&ev->called)) != 0 || (rc = check_party(&ev->calling)) != 0)
			return rc;
		if (!cwc_call_bearer_name(ev->bearer))
			return -ERANGE;
		if (ev->reject_cause < 0 || ev->reject_cause > CW_Q850_CAUSE_MAX)
			return -ERANGE;
		break;
	case CWC_EV_TIMER_EXPIRED:
		if ((unsigned)ev->timer >= CWC_TIMER_COUNT)
			return -ERANGE;
		if (ev->reject_cause < 0 || ev->reject_cause > CW_Q850_CAUSE_MAX)
			return -ERANGE;
		break;
	default:
		break;
	}
	return 0;
}

/* Copy the raw Reason lines into ctx (the parsed spans point there), then parse. */
static void parse_reasons(struct cwc_fsm_ctx *ctx, const struct cwc_call_event *ev)
{
	size_t used = 0;

	cw_reason_list_init(&ctx->reasons, ctx->reason_values, CWC_CALL_REASON_VALUES,
	                    ctx->reason_text, sizeof(ctx->reason_text));
	for (size_t i = 0; i < ev->nreasons; i++) {
		size_t len = ev->reasons[i].len;

		if (len == 0 || len > sizeof(ctx->reason_raw) - used)
			continue; /* a line that does not fit is not read */
		memcpy(ctx->reason_raw + used, ev->reasons[i].ptr, len);
		(void)cw_reason_list_parse(&ctx->reasons, ctx->reason_raw + used, len);
		used += len;
	}
}

static const struct cwc_call_row *find_row(struct cwc_fsm_ctx *ctx, long *ret_index)
{
	const struct cwc_call *call = ctx->call;

	for (size_t i = 0; i < cwc_call_nrows; i++) {
		const struct cwc_call_row *r = &cwc_call_rows[i];

		if (r->event != ctx->ev->type)
			continue;
		if (r->state == CWC_CS_ANY) {
			if (call->state == CWC_CS_NULL || call->state == CWC_CS_DONE)
				continue;
		} else if (r->state != (int)call->state) {
			continue;
		}
		ctx->row = r;
		if (r->guard && !r->guard(ctx))
			continue;
		*ret_index = (long)i;
		return r;
	}
	return NULL;
}

/* Stop the timers of the old state, start those of the new one. */
static void switch_timers(struct cwc_fsm_ctx *ctx, enum cwc_call_state next)
{
	struct cwc_call *call = ctx->call;
	unsigned want = 0;

	for (int t = 0; t < CWC_TIMER_COUNT; t++)
		if ((cwc_call_state_timer_mask[next] & (1u << t)) && call->cfg.timer_ms[t] > 0)
			want |= 1u << t;
	for (int t = 0; t < CWC_TIMER_COUNT; t++) {
		unsigned bit = 1u << t;

		if ((call->timers & bit) && !(want & bit)) {
			struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_TIMER_STOP);
			a->timer = (enum cwc_call_timer)t;
		}
	}
	for (int t = 0; t < CWC_TIMER_COUNT; t++) {
		unsigned bit = 1u << t;

		if ((want & bit) && !(call->timers & bit)) {
			struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_TIMER_START);
			a->timer = (enum cwc_call_timer)t;
			a->timer_ms = call->cfg.timer_ms[t];
		}
	}
	call->timers = want;
}

/* A row names timers it starts afresh (RFC 4028 §10: a refresh restarts the session
   timers, MAX-DURATION runs on; Q.931 §5.2.4: a digit restarts T302 in the next state too):
   stop each running one, start it again if its duration is not 0 and state runs it. */
static void restart_timers(struct cwc_fsm_ctx *ctx, unsigned mask, enum cwc_call_state state)
{
	struct cwc_call *call = ctx->call;

	for (int t = 0; t < CWC_TIMER_COUNT; t++) {
		unsigned bit = 1u << t;

		if (!(mask & bit))
			continue;
		if (call->timers & bit) {
			struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_TIMER_STOP);
			a->timer = (enum cwc_call_timer)t;
			call->timers &= ~bit;
		}
		if ((cwc_call_state_timer_mask[state] & bit) && call->cfg.timer_ms[t] > 0) {
			struct cwc_call_action *a = cwc_fsm_push(ctx, CWC_ACT_TIMER_START);
			a->timer = (enum cwc_call_timer)t;
			a->timer_ms = call->cfg.timer_ms[t];
			call->timers |= bit;
		}
	}
}

int cwc_call_handle(struct cwc_call *call, const struct cwc_call_event *ev,
                   struct cwc_call_action *out, size_t cap, size_t *ret_n)
{
	struct cwc_fsm_ctx ctx;
	const struct cwc_call_row *row;
	struct cwc_call backup;
	struct cwc_summary_saved saved;
	enum cwc_call_state next;
	long index = -1;
	int rc;

	if (!call || !ev || !ret_n || (!out && cap))
		return -EINVAL;
	if ((rc = check_event(ev)) != 0)
		return rc;
	memset(&ctx, 0, sizeof(ctx));
	ctx.call = call;
	ctx.ev = ev;
	row = find_row(&ctx, &index);
	if (!row)
		return CWC_CALL_ESTATE;

	backup = *call; /* restored byte for byte if the actions do not fit */
	cwc_summary_save(call, &saved); /* with the attempts, which the call points to */
	ctx.row = row;
	parse_reasons(&ctx, ev);
	row->action(&ctx);
	next = row->next == CWC_CS_SAME ? call->state : (enum cwc_call_state)row->next;
	if (next != call->state) {
		switch_timers(&ctx, next);
		if (row->restart) /* a timer both states run, started afresh */
			restart_timers(&ctx, row->restart, next);
	} else if (row->next != CWC_CS_SAME) {
		/* a row naming its own state re-enters it: its timers start afresh
		   (README "The table's columns"; failover re-enters I_U9_CALLING) */
		switch_timers(&ctx, CWC_CS_NULL);
		switch_timers(&ctx, next);
	} else if (row->restart) {
		restart_timers(&ctx, row->restart, next);
	}
	cwc_summary_record(call, ev, ctx.acts, ctx.n < CWC_CALL_ACTIONS_MAX ? ctx.n : CWC_CALL_ACTIONS_MAX,
	                  next);
	if (next == CWC_CS_DONE && call->state != CWC_CS_DONE) {
		struct cwc_call_action *a = cwc_fsm_push(&ctx, CWC_ACT_CALL_FINISHED);

		call->summary.end_ms = ev->now_ms;
		cwc_summary_export(call, &a->summary);
		a->cause = call->summary.cause;
		a->location = call->summary.location;
		a->status = call->summary.sip_status;
	}
	if (ctx.overflow || ctx.n > cap) {
		*call = backup;
		cwc_summary_restore(call, &saved);
		return -ENOSPC;
	}
	call->state = next;
	call->last_row = index;
	if (ctx.n)
		memcpy(out, ctx.acts, ctx.n * sizeof(ctx.acts[0]));
	*ret_n = ctx.n;
	return 0;
}

/* ---- Transcript lines ---- */

struct buf {
	char *p;
	size_t len, n;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(b->n < b->len ? b->p + b->n : NULL, b->n < b->len ? b->len - b->n : 0, fmt, ap);
	va_end(ap);
	if (k > 0)
		b->n += (size_t)k;
}

static const char *phrase(int status)
{
	const cw_sip_status_info *info;

	return cw_sip_status_info_get(status, &info) == 0 ? info->phrase : "?";
}

static void put_pi(struct buf *b, unsigned mask)
{
	const char *sep = " pi=";

	for (int i = 0; i < 32; i++) {
		if (mask & (1u << i)) {
			bprintf(b, "%s%d", sep, i);
			sep = ",";
		}
	}
}

static void put_loc(struct buf *b, int location)
{
	const char *name = cw_location_name(location);

	if (name)
		bprintf(b, " loc=%s", name);
}

const char *cwc_call_bearer_name(enum cwc_call_bearer bearer)
{
	switch (bearer) {
	case CWC_BEARER_SPEECH:
		return "speech";
	case CWC_BEARER_AUDIO_3K1:
		return "3.1khz";
	case CWC_BEARER_DIGITAL:
		return "digital";
	}
	return NULL;
}

static void put_setup(struct buf *b, const struct cwc_call_action *a)
{
	const char *bearer = cwc_call_bearer_name(a->bearer);

	bprintf(b, " called=%s calling=%s bearer=%s", a->called.digits, a->calling.digits,
	        bearer ? bearer : "?");
}

size_t cwc_call_action_format(const struct cwc_call_action *a, char *out, size_t len)
{
	struct buf b = { out, len, 0 };

	if (out && len)
		out[0] = '\0';
	if (!a)
		return 0;
	switch (a->type) {
	case CWC_ACT_SIP_PROVISIONAL:
	case CWC_ACT_SIP_200_OK:
		bprintf(&b, "SIP %d %s%s", a->status, phrase(a->status), a->with_sdp ? " +sdp" : "");
		break;
	case CWC_ACT_SIP_FINAL_ERROR:
		bprintf(&b, "SIP %d %s", a->status, phrase(a->status));
		if (a->retry_after_s)
			bprintf(&b, "; Retry-After: %u", a->retry_after_s);
		if (a->contact[0])
			bprintf(&b, "; Contact: %s", a->contact);
		if (a->reason[0])
			bprintf(&b, "; Reason: %s", a->reason);
		break;
	case CWC_ACT_SIP_INVITE:
		bprintf(&b, "SIP INVITE");
		put_setup(&b, a);
		break;
	case CWC_ACT_SIP_INVITE_NEXT:
		bprintf(&b, "SIP INVITE %s", a->redirect ? "REDIRECT" : "NEXT");
		put_setup(&b, a);
		break;
	case CWC_ACT_SIP_CANCEL:
	case CWC_ACT_SIP_BYE:
		bprintf(&b, "SIP %s", a->type == CWC_ACT_SIP_CANCEL ? "CANCEL" : "BYE");
		if (a->reason[0])
			bprintf(&b, "; Reason: %s", a->reason);
		break;
	case CWC_ACT_SIP_ACK:
		bprintf(&b, "SIP ACK");
		break;
	case CWC_ACT_SIP_REFRESH:
		bprintf(&b, "SIP REFRESH");
		break;
	case CWC_ACT_ISDN_SETUP:
		bprintf(&b, "ISDN SETUP");
		put_setup(&b, a);
		break;
	case CWC_ACT_ISDN_SETUP_RETRY:
		bprintf(&b, "ISDN SETUP RETRY%s cause=%d", a->next_span ? " NEXT-SPAN" : "", a->cause);
		break;
	case CWC_ACT_ISDN_PROCEEDING:
		bprintf(&b, "ISDN CALL PROCEEDING");
		break;
	case CWC_ACT_ISDN_SETUP_ACK:
		bprintf(&b, "ISDN SETUP ACKNOWLEDGE");
		break;
	case CWC_ACT_ISDN_ALERTING:
	case CWC_ACT_ISDN_PROGRESS:
		bprintf(&b, "ISDN %s", a->type == CWC_ACT_ISDN_ALERTING ? "ALERTING" : "PROGRESS");
		put_pi(&b, a->pi_mask);
		break;
	case CWC_ACT_ISDN_CONNECT:
		bprintf(&b, "ISDN CONNECT");
		break;
	case CWC_ACT_ISDN_DISCONNECT:
		bprintf(&b, "ISDN DISCONNECT cause=%d", a->cause);
		put_loc(&b, a->location);
		put_pi(&b, a->pi_mask);
		break;
	case CWC_ACT_ISDN_RELEASE:
		bprintf(&b, "ISDN RELEASE cause=%d", a->cause);
		break;
	case CWC_ACT_ISDN_RELEASE_COMPLETE:
		bprintf(&b, "ISDN RELEASE COMPLETE cause=%d", a->cause);
		break;
	case CWC_ACT_ISDN_INFORMATION:
		bprintf(&b, "ISDN INFORMATION called=%s", a->called.digits);
		break;
	case CWC_ACT_TIMER_START:
		bprintf(&b, "TIMER START %s %llu", cwc_call_timer_name(a->timer),
		        (unsigned long long)a->timer_ms);
		break;
	case CWC_ACT_TIMER_STOP:
		bprintf(&b, "TIMER STOP %s", cwc_call_timer_name(a->timer));
		break;
	case CWC_ACT_CALL_FINISHED:
		bprintf(&b, "FINISHED by=%s status=%d cause=%d", cwc_call_side_name(a->summary.cleared_by),
		        a->summary.sip_status, a->summary.cause);
		put_loc(&b, a->summary.location);
		bprintf(&b, " answered=%d", a->summary.answered);
		break;
	default:
		bprintf(&b, "?");
		break;
	}
	return b.n;
}
