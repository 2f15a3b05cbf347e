/* SPDX-License-Identifier: MIT */
/*
 * bridge/core/call_summary.h — the part of a call's summary the engine
 * records from the events it accepts and the actions it returns: attempts,
 * causes sent and received, Reasons, first-provisional and final times.
 * Internal to bridge/core (call.c calls it; call_fsm.c does not).
 */
#ifndef CW_BRIDGE_CALL_SUMMARY_H
#define CW_BRIDGE_CALL_SUMMARY_H

#include "call.h"

struct cw_call;

struct cw_call_record {
	struct cw_call_reasons reasons_sent, reasons_received;
	struct cw_call_attempt attempts[CW_CALL_ATTEMPTS_MAX]; /* status and cause resolved */
	int status_seen[CW_CALL_ATTEMPTS_MAX];                  /* 0: no final response yet */
	int cause_seen[CW_CALL_ATTEMPTS_MAX];                   /* 0: no cause yet */
	size_t nattempts;
};

/* cw_summary_init() - nothing recorded; the summary's outcome fields "none". */
void cw_summary_init(struct cw_call *call);

/* cw_summary_record() - ev was accepted and produced acts[0..n); the call goes to next. */
void cw_summary_record(struct cw_call *call, const struct cw_call_event *ev,
                       const struct cw_call_action *acts, size_t n, enum cw_call_state next);

/* cw_summary_export() - the call's summary with its lists attached. */
void cw_summary_export(const struct cw_call *call, struct cw_call_summary *out);

#endif /* CW_BRIDGE_CALL_SUMMARY_H */
