/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/reg_fsm.h — one outbound registration's state machine (RFC 3261
 * §10.2): when to send a REGISTER and with which Expires, what a final
 * response or a timeout means, refresh before the binding runs out, back-off
 * after failures, unregister at the end. Pure: no I/O, no libosip2, no
 * clock: every input carries `now` (ms, monotonic) and the caller sends
 * what the output asks for. sip_register.c drives it.
 *
 * Timing (README "Outbound registration"):
 *   - refresh at granted - margin, margin = half the granted time up to 30 s
 *     (RFC 3261 §10.2.4 asks for a refresh before the binding expires);
 *   - after a failure (a final response other than 2xx/423, a timeout, a
 *     transport error) the next try is retry_interval * 2^(n-1) seconds
 *     after the n-th failure in a row, at most retry_max; a Retry-After
 *     (RFC 3261 §20.33) longer than that is waited for, up to retry_max;
 *   - 423 with a Min-Expires above the Expires asked: again at once, asking
 *     for Min-Expires (RFC 3261 §10.2.8, §10.3 step 7); otherwise a failure.
 */
#ifndef BRIDGE_SIP_REG_FSM_H
#define BRIDGE_SIP_REG_FSM_H

#include <stdint.h>

#define CWS_REG_NEVER UINT64_MAX
#define CWS_REG_MARGIN_MS 30000u   /* the largest refresh margin */
#define CWS_REG_EXPIRES_MAX 86400u /* the largest Expires asked for (a 423 raising it too) */

enum cws_reg_state {
	CWS_REG_IDLE = 0,        /* not sent yet: the first REGISTER is due at once */
	CWS_REG_REGISTERING,     /* a REGISTER is out */
	CWS_REG_REGISTERED,      /* bound; a refresh is due at next_ms */
	CWS_REG_FAILED,          /* the last try failed; the next is due at next_ms */
	CWS_REG_UNREGISTERING,   /* the REGISTER with Expires: 0 is out */
	CWS_REG_DONE             /* stopped: nothing is bound, nothing more is sent */
};

struct cws_reg_params {
	unsigned expires_s;        /* asked for, 1..CWS_REG_EXPIRES_MAX */
	unsigned retry_interval_s; /* the first back-off, >= 1 */
	unsigned retry_max_s;      /* the back-off's cap, >= retry_interval_s */
};

struct cws_reg_fsm {
	struct cws_reg_params par;
	enum cws_reg_state state;
	unsigned asking_s;   /* the Expires of the next REGISTER (raised by a 423) */
	unsigned granted_s;  /* what the registrar granted last */
	uint64_t expiry_ms;  /* the binding granted runs out (0: none) */
	uint64_t next_ms;    /* REGISTERED: refresh; FAILED, IDLE: the next try; else NEVER */
	unsigned failures;   /* in a row */
	unsigned retry_s;    /* FAILED: the delay chosen */
	int status;          /* the last final status; 0 for a timeout or transport error */
};

/* What the caller does after an input. */
struct cws_reg_out {
	int send;          /* send a REGISTER now, with Expires: expires */
	unsigned expires;
	int changed;       /* the state worth one log line changed: registered, failed (with
	                      another status than the last failure), unregistered */
};

/* cws_reg_init() - a registration that starts at once (the first tick sends). -EINVAL
   for parameters out of range. */
int cws_reg_init(struct cws_reg_fsm *f, const struct cws_reg_params *par, uint64_t now);

/* cws_reg_tick() - the time is now: out->send when a REGISTER is due. */
void cws_reg_tick(struct cws_reg_fsm *f, uint64_t now, struct cws_reg_out *out);

/*
 * cws_reg_response() - the final response to the REGISTER out (status 200..699; 0 for
 * a timeout or transport error). granted_s: a 2xx's expires for our contact (0: none
 * given, the Expires asked holds); min_expires_s: a 423's Min-Expires (0: none);
 * retry_after_s: Retry-After (0: none). Ignored unless a REGISTER is out.
 */
void cws_reg_response(struct cws_reg_fsm *f, uint64_t now, int status, unsigned granted_s,
                      unsigned min_expires_s, unsigned retry_after_s, struct cws_reg_out *out);

/*
 * cws_reg_stop() - the end (a clean shutdown): out->send with Expires 0 when a binding
 * may exist (registered, a REGISTER out, or a failed refresh before the old binding ran
 * out); then UNREGISTERING until its response, else DONE at once.
 */
void cws_reg_stop(struct cws_reg_fsm *f, uint64_t now, struct cws_reg_out *out);

/* The next time cws_reg_tick() has something to do; CWS_REG_NEVER when none. */
uint64_t cws_reg_deadline(const struct cws_reg_fsm *f);

/* "registering", "registered", ... */
const char *cws_reg_state_name(enum cws_reg_state s);

#endif
