/* SPDX-License-Identifier: MIT */
/*
 * bridge/core/call_internal.h — what call.c (the engine) and call_fsm.c
 * (the transition table and its action functions) share. Not installed.
 */
#ifndef CW_BRIDGE_CALL_INTERNAL_H
#define CW_BRIDGE_CALL_INTERNAL_H

#include "call.h"
#include "call_summary.h"

#define CW_CALL_REASON_VALUES 8
#define CW_CALL_REASON_RAW 1024
#define CW_CALL_REASON_TEXT 512


struct cw_call {
	struct cw_call_config cfg;     /* profile and local_location resolved */
	enum cw_call_state state;
	unsigned timers;               /* running timers, (1u << timer) */
	long last_row;
	/* set-up */
	struct cw_call_party called, calling;
	enum cw_call_bearer bearer;
	int channel;
	unsigned retries_used;         /* cause 44 re-hunts on the current span */
	int retry_pending;             /* a SETUP_RETRY is out ... */
	int retry_cause;               /* ... because of this cause (34, 44) */
	int retry_location;            /* ... received with this location */
	unsigned redirects;            /* 3xx followed (SIP_INVITE_NEXT redirect) */
	int early_cause;               /* cause of a PROGRESS with Cause IE, 0 if none */
	int early_location;
	int early_has_diag;            /* the early DISCONNECT's cause 22 diagnostic */
	char early_diag[CW_CALL_NUMBER_MAX];
	int sdp_sent;                  /* a 180/183 with SDP went to SIP (S_ calls) */
	int early_media;               /* an 18x with SDP came from SIP: PI 8 sent (I_ calls) */
	/* received Reason values of the current event: the spans point into reason_raw */
	char reason_raw[CW_CALL_REASON_RAW];
	cw_reason reason_values[CW_CALL_REASON_VALUES];
	char reason_text[CW_CALL_REASON_TEXT];
	cw_reason_list reasons;
	/* the Reason for a BYE still to come (after ACK, or after a late 200) */
	char pending_reason[CW_CALL_REASON_MAX];
	int pending_cause;
	int pending_location;
	struct cw_call_summary summary;
	struct cw_call_record record;  /* the summary's lists (call_summary.c) */
};

struct cw_fsm_ctx;
typedef int (*cw_fsm_guard)(const struct cw_fsm_ctx *ctx);
typedef void (*cw_fsm_action)(struct cw_fsm_ctx *ctx);

/*
 * Where the cause a row sends (or keeps for later) comes from: the "cause"
 * column of call-table.md. Action functions read FIXED, EVENT, REJECT,
 * EARLY and RETRY causes from their row (row_cause() in call_fsm.c), so the
 * number in the table is the number that runs.
 */
enum cw_fsm_cause_src {
	CW_FSM_CAUSE_NONE = 0,  /* the row sends no cause */
	CW_FSM_CAUSE_FIXED,     /* always .cause */
	CW_FSM_CAUSE_EVENT,     /* the event's cause; .cause when it has none */
	CW_FSM_CAUSE_REJECT,    /* the adapter's reject_cause */
	CW_FSM_CAUSE_SIP,       /* the SIP status or request through the profile, received
	                           Reason first (cw_map_sip_to_cause); 31 when it gives none */
	CW_FSM_CAUSE_EARLY,     /* kept from the early release (PROGRESS with cause, DISCONNECT
	                           with PI 8); .cause when none was kept */
	CW_FSM_CAUSE_RETRY,     /* kept from the 34/44 that made the SETUP retry; .cause when
	                           no retry is out */
	CW_FSM_CAUSE_PENDING,   /* kept when the clearing began, for the BYE that waited */
	CW_FSM_CAUSE_COUNT
};

struct cw_fsm_cause {
	enum cw_fsm_cause_src src;
	int cause;                     /* FIXED: the cause; EVENT, EARLY, RETRY: the default */
	const char *clause;            /* why; NULL for NONE */
};

struct cw_call_row {
	int state;                     /* enum cw_call_state or CW_CS_ANY */
	enum cw_call_event_type event;
	cw_fsm_guard guard;            /* NULL: always */
	const char *guard_name;
	cw_fsm_action action;
	const char *action_name;
	int next;                      /* enum cw_call_state or CW_CS_SAME */
	struct cw_fsm_cause cause;
	const char *clause;
};

struct cw_fsm_ctx {
	struct cw_call *call;
	const struct cw_call_event *ev;
	const struct cw_call_row *row;
	struct cw_call_action acts[CW_CALL_ACTIONS_MAX];
	size_t n;
	int overflow;
	struct cw_call_action scratch; /* written instead of acts[] on overflow */
};

/* call_fsm.c */
extern const struct cw_call_row cw_call_rows[];
extern const size_t cw_call_nrows;
extern const unsigned cw_call_state_timer_mask[CW_CS_COUNT];
extern const struct cw_call_timer_info cw_call_timers[CW_TIMER_COUNT];

/* call.c: append an action (zeroed, location unknown, channel -1); on overflow
 * sets ctx->overflow and returns ctx->scratch, so callers need no check. */
struct cw_call_action *cw_fsm_push(struct cw_fsm_ctx *ctx, enum cw_call_action_type type);

#endif /* CW_BRIDGE_CALL_INTERNAL_H */
