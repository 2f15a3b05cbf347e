/* SPDX-License-Identifier: MIT */
/*
 * bridge/core/call_summary.h — the part of a call's summary the engine
 * records from the events it accepts and the actions it returns: attempts,
 * causes sent and received, Reasons, first-provisional and final times.
 * Internal to bridge/core (call.c calls it; call_fsm.c does not).
 */
#ifndef BRIDGE_CALL_SUMMARY_H
#define BRIDGE_CALL_SUMMARY_H

#include "call.h"

struct cwc_call;

struct cwc_call_record {
	struct cwc_call_reasons reasons_sent, reasons_received;
	/* status and cause resolved; allocated as attempts begin (most calls make one), up to
	 * CWC_CALL_ATTEMPTS_MAX; freed by cwc_summary_free() */
	struct cwc_call_attempt *attempts;
	size_t attempts_cap;
	int status_seen[CWC_CALL_ATTEMPTS_MAX];                  /* 0: no final response yet */
	int cause_seen[CWC_CALL_ATTEMPTS_MAX];                   /* 0: no cause yet */
	size_t nattempts;
};

/* cwc_summary_init() - nothing recorded; the summary's outcome fields "none". */
void cwc_summary_init(struct cwc_call *call);

/* cwc_summary_free() - what cwc_summary_init() and the attempts allocated. */
void cwc_summary_free(struct cwc_call *call);

/* What cwc_summary_record() changes outside struct cwc_call: the last attempt (the others'
 * outcomes are resolved again from what the call struct holds). */
struct cwc_summary_saved {
	int has_last;
	struct cwc_call_attempt last;
};

/* cwc_summary_save() - before an event; cwc_summary_restore() - after the call struct was
 * restored from its copy (the actions did not fit): the attempts as they were. */
void cwc_summary_save(const struct cwc_call *call, struct cwc_summary_saved *out);
void cwc_summary_restore(struct cwc_call *call, const struct cwc_summary_saved *saved);

/* cwc_summary_record() - ev was accepted and produced acts[0..n); the call goes to next. */
void cwc_summary_record(struct cwc_call *call, const struct cwc_call_event *ev,
                       const struct cwc_call_action *acts, size_t n, enum cwc_call_state next);

/* cwc_summary_export() - the call's summary with its lists attached. */
void cwc_summary_export(const struct cwc_call *call, struct cwc_call_summary *out);

#endif /* BRIDGE_CALL_SUMMARY_H */
