/* SPDX-License-Identifier: MIT */
/*
 * bridge/core/call_internal.h — what call.c (the engine) and call_fsm.c
 * (the transition table and its action functions) share. Not installed.
 */
#ifndef BRIDGE_CALL_INTERNAL_H
#define BRIDGE_CALL_INTERNAL_H

#include "call.h"
#include "call_summary.h"

#define CWC_CALL_REASON_VALUES 8
#define CWC_CALL_REASON_RAW 1024
#define CWC_CALL_REASON_TEXT 512


struct cwc_call {
	struct cwc_call_config cfg;     /* profile and local_location resolved */
	enum cwc_call_state state;
	unsigned timers;               /* running timers, (1u << timer) */
	long last_row;
	/* set-up */
	struct cwc_call_party called, calling;
	enum cwc_call_bearer bearer;
	int channel;
	unsigned retries_used;         /* cause 44 re-hunts on the current span */
	int retry_pending;             /* a SETUP_RETRY is out ... */
	int retry_cause;               /* ... because of this cause (34, 44) */
	int retry_location;            /* ... received with this location */
	unsigned redirects;            /* 3xx followed (SIP_INVITE_NEXT redirect) */
	int early_cause;               /* cause of a PROGRESS with Cause IE, 0 if none */
	int early_location;
	int early_has_diag;            /* the early DISCONNECT's cause 22 diagnostic */
	char early_diag[CWC_CALL_NUMBER_MAX];
	int sdp_sent;                  /* a 180/183 with SDP went to SIP (S_ calls) */
	int early_media;               /* an 18x with SDP came from SIP: PI 8 sent (I_ calls) */
	int overlap_484;               /* a multiple-INVITE number got 484 (RFC 3578 §3.3) */
	/* the Reason for a BYE still to come (after ACK, or after a late 200) */
	char pending_reason[CWC_CALL_REASON_MAX];
	int pending_cause;
	int pending_location;
	struct cwc_call_summary summary;
	struct cwc_call_record record;  /* the summary's lists (call_summary.c) */
};

struct cwc_fsm_ctx;
typedef int (*cwc_fsm_guard)(const struct cwc_fsm_ctx *ctx);
typedef void (*cwc_fsm_action)(struct cwc_fsm_ctx *ctx);

/*
 * Where the cause a row sends (or keeps for later) comes from: the "cause"
 * column of call-table.md. Action functions read FIXED, EVENT, REJECT,
 * EARLY and RETRY causes from their row (row_cause() in call_fsm.c), so the
 * number in the table is the number that runs.
 */
enum cwc_fsm_cause_src {
	CWC_FSM_CAUSE_NONE = 0,  /* the row sends no cause */
	CWC_FSM_CAUSE_FIXED,     /* always .cause */
	CWC_FSM_CAUSE_EVENT,     /* the event's cause; .cause when it has none */
	CWC_FSM_CAUSE_REJECT,    /* the adapter's reject_cause */
	CWC_FSM_CAUSE_SIP,       /* the SIP status or request through the profile, received
	                           Reason first (cw_map_sip_to_cause); 31 when it gives none */
	CWC_FSM_CAUSE_EARLY,     /* kept from the early release (PROGRESS with cause, DISCONNECT
	                           with PI 8); .cause when none was kept */
	CWC_FSM_CAUSE_RETRY,     /* kept from the 34/44 that made the SETUP retry; .cause when
	                           no retry is out */
	CWC_FSM_CAUSE_PENDING,   /* kept when the clearing began, for the BYE that waited */
	CWC_FSM_CAUSE_COUNT
};

struct cwc_fsm_cause {
	enum cwc_fsm_cause_src src;
	int cause;                     /* FIXED: the cause; EVENT, EARLY, RETRY: the default */
	const char *clause;            /* why; NULL for NONE */
};

struct cwc_call_row {
	int state;                     /* enum cwc_call_state or CWC_CS_ANY */
	enum cwc_call_event_type event;
	cwc_fsm_guard guard;            /* NULL: always */
	const char *guard_name;
	cwc_fsm_action action;
	const char *action_name;
	int next;                      /* enum cwc_call_state or CWC_CS_SAME */
	struct cwc_fsm_cause cause;
	const char *clause;
	unsigned restart;              /* timers started afresh, (1u << timer): next SAME, or
	                                  timers the next state runs as this one does */
};

struct cwc_fsm_ctx {
	struct cwc_call *call;
	const struct cwc_call_event *ev;
	const struct cwc_call_row *row;
	struct cwc_call_action acts[CWC_CALL_ACTIONS_MAX];
	size_t n;
	int overflow;
	struct cwc_call_action scratch; /* written instead of acts[] on overflow */
	/* received Reason values of the event: the spans point into reason_raw (on the
	   stack of cwc_call_handle(), not in every call) */
	char reason_raw[CWC_CALL_REASON_RAW];
	cw_reason reason_values[CWC_CALL_REASON_VALUES];
	char reason_text[CWC_CALL_REASON_TEXT];
	cw_reason_list reasons;
};

/* call_fsm.c */
extern const struct cwc_call_row cwc_call_rows[];
extern const size_t cwc_call_nrows;
extern const unsigned cwc_call_state_timer_mask[CWC_CS_COUNT];
extern const struct cwc_call_timer_info cwc_call_timers[CWC_TIMER_COUNT];

/* call.c: append an action (zeroed, location unknown, channel -1); on overflow
 * sets ctx->overflow and returns ctx->scratch, so callers need no check. */
struct cwc_call_action *cwc_fsm_push(struct cwc_fsm_ctx *ctx, enum cwc_call_action_type type);

#endif /* BRIDGE_CALL_INTERNAL_H */
