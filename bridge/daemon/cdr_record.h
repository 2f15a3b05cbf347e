/* SPDX-License-Identifier: MIT */
/*
 * cdr_record.h — a finished call's CDR (docs/cdr.md), mapped from the
 * core's summary and what the legs know of themselves (Call-ID, span,
 * call reference, numbers). Decides nothing: the core owns the outcome.
 * Pure: no clock, no libpri, no libosip2; calls.c is its only caller.
 */
#ifndef CWB_CDR_RECORD_H
#define CWB_CDR_RECORD_H

#include <stdint.h>

#include "call.h"
#include "cdr.h"

/* What the core does not know: the legs' identifiers and the call's numbers. */
struct cwb_cdr_legs {
	enum cwc_call_dir dir;
	const char *call_id_sip;       /* the SIP leg's Call-ID; NULL: none */
	const char *sip_source;        /* a call from SIP: "ADDR:PORT" it came from; NULL: none */
	const char *sip_transport;     /* and "udp" / "tcp"; NULL: none */
	int span;                      /* span number of the ISDN leg; 0: none */
	int cref;                      /* libpri form (CRV | 0x8000 if we originated); -1: none */
	const char *called, *calling;  /* "" or NULL: none */
	const char *route;             /* [route NAME] of the attempts; NULL: none */
	const char *profile;           /* cw_profile_name() of the call's profile */
	const char *node;              /* [general] node of the call's configuration; NULL: none */
	enum cwc_call_bearer bearer;   /* the set-up's bearer capability */
	int64_t t_start_wall_ms;       /* ms since the epoch at the start */
};

/* Room for the rule texts the record points to. */
struct cwb_cdr_text {
	char c2s[256], s2c[256], location[256];
};

/*
 * cwb_cdr_from_summary() - the record of a call: s from CALL_FINISHED (or
 * cwc_call_summary_get() for a call dropped at exit), now_ms the monotonic
 * time for a summary that has no end yet. out points into s, legs and text.
 */
void cwb_cdr_from_summary(const struct cwc_call_summary *s, const struct cwb_cdr_legs *legs,
                          uint64_t now_ms, struct cwcdr *out, struct cwb_cdr_text *text);

#endif /* CWB_CDR_RECORD_H */
