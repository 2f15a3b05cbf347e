/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/reg_fsm.c — one outbound registration's state machine
 * (reg_fsm.h; RFC 3261 §10.2). Pure.
 */
#include <errno.h>
#include <string.h>

#include "reg_fsm.h"

int cws_reg_init(struct cws_reg_fsm *f, const struct cws_reg_params *par, uint64_t now)
{
	if (!f || !par || par->expires_s < 1 || par->expires_s > CWS_REG_EXPIRES_MAX ||
	    par->retry_interval_s < 1 || par->retry_max_s < par->retry_interval_s)
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	f->par = *par;
	f->state = CWS_REG_IDLE;
	f->asking_s = par->expires_s;
	f->next_ms = now;
	return 0;
}

static void clear_out(struct cws_reg_out *out)
{
	memset(out, 0, sizeof(*out));
}

static void send_register(struct cws_reg_fsm *f, struct cws_reg_out *out)
{
	f->state = CWS_REG_REGISTERING;
	f->next_ms = CWS_REG_NEVER;
	out->send = 1;
	out->expires = f->asking_s;
}

void cws_reg_tick(struct cws_reg_fsm *f, uint64_t now, struct cws_reg_out *out)
{
	clear_out(out);
	if ((f->state == CWS_REG_IDLE || f->state == CWS_REG_REGISTERED ||
	     f->state == CWS_REG_FAILED) && now >= f->next_ms)
		send_register(f, out);
}

/* RFC 3261 §10.2.4: refresh before the binding runs out; half of it for a short one. */
static uint64_t refresh_margin_ms(unsigned granted_s)
{
	uint64_t half = (uint64_t)granted_s * 500u;

	return half < CWS_REG_MARGIN_MS ? half : CWS_REG_MARGIN_MS;
}

static void registered(struct cws_reg_fsm *f, uint64_t now, int status, unsigned granted_s,
                       struct cws_reg_out *out)
{
	/* a registrar may shorten the time (RFC 3261 §10.3 step 7), never make it 0 for
	   a binding it keeps: no time given means the one asked for */
	unsigned g = granted_s ? granted_s : f->asking_s;

	out->changed = f->failures > 0 || f->granted_s == 0;
	f->state = CWS_REG_REGISTERED;
	f->status = status;
	f->failures = 0;
	f->retry_s = 0;
	f->granted_s = g;
	f->expiry_ms = now + (uint64_t)g * 1000u;
	f->next_ms = f->expiry_ms - refresh_margin_ms(g);
}

static void failed(struct cws_reg_fsm *f, uint64_t now, int status, unsigned retry_after_s,
                   struct cws_reg_out *out)
{
	uint64_t delay = f->par.retry_interval_s;

	out->changed = f->failures == 0 || f->status != status;
	f->failures++;
	for (unsigned i = 1; i < f->failures && delay < f->par.retry_max_s; i++)
		delay *= 2;
	if (retry_after_s > delay)
		delay = retry_after_s;
	if (delay > f->par.retry_max_s)
		delay = f->par.retry_max_s;
	f->state = CWS_REG_FAILED;
	f->status = status;
	f->granted_s = 0;
	f->retry_s = (unsigned)delay;
	f->next_ms = now + delay * 1000u;
}

void cws_reg_response(struct cws_reg_fsm *f, uint64_t now, int status, unsigned granted_s,
                      unsigned min_expires_s, unsigned retry_after_s, struct cws_reg_out *out)
{
	clear_out(out);
	if (f->state == CWS_REG_UNREGISTERING) {
		/* whatever the answer, nothing more is sent */
		f->state = CWS_REG_DONE;
		f->status = status;
		f->expiry_ms = 0;
		f->next_ms = CWS_REG_NEVER;
		out->changed = 1;
		return;
	}
	if (f->state != CWS_REG_REGISTERING)
		return;
	if (status >= 200 && status < 300) {
		registered(f, now, status, granted_s, out);
		return;
	}
	if (status == 423 && min_expires_s > f->asking_s && min_expires_s <= CWS_REG_EXPIRES_MAX) {
		/* RFC 3261 §10.2.8: "Interval Too Brief": ask again, for Min-Expires */
		f->asking_s = min_expires_s;
		f->status = status;
		send_register(f, out);
		return;
	}
	failed(f, now, status, retry_after_s, out);
}

void cws_reg_stop(struct cws_reg_fsm *f, uint64_t now, struct cws_reg_out *out)
{
	clear_out(out);
	if (f->state == CWS_REG_DONE || f->state == CWS_REG_UNREGISTERING)
		return;
	if (f->state == CWS_REG_REGISTERED || f->state == CWS_REG_REGISTERING ||
	    (f->state == CWS_REG_FAILED && f->expiry_ms > now)) {
		f->state = CWS_REG_UNREGISTERING;
		f->next_ms = CWS_REG_NEVER;
		out->send = 1;
		out->expires = 0; /* RFC 3261 §10.2.2: remove the binding */
		return;
	}
	f->state = CWS_REG_DONE;
	f->next_ms = CWS_REG_NEVER;
}

uint64_t cws_reg_deadline(const struct cws_reg_fsm *f)
{
	if (f->state == CWS_REG_IDLE || f->state == CWS_REG_REGISTERED ||
	    f->state == CWS_REG_FAILED)
		return f->next_ms;
	return CWS_REG_NEVER;
}

const char *cws_reg_state_name(enum cws_reg_state s)
{
	switch (s) {
	case CWS_REG_IDLE: return "idle";
	case CWS_REG_REGISTERING: return "registering";
	case CWS_REG_REGISTERED: return "registered";
	case CWS_REG_FAILED: return "failed";
	case CWS_REG_UNREGISTERING: return "unregistering";
	case CWS_REG_DONE: return "unregistered";
	}
	return "?";
}
