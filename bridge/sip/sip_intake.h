/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_intake.h — what the SIP adapter makes of one received
 * message, before any transaction sees it: parse (libosip2's parser only,
 * no osip_t), the checks osip_parse() leaves to the transaction user
 * (RFC 3261 §8.2, RFC 4475), and the stateless 400 salvaged from a request
 * that does not parse. Pure: bytes in, verdict out; no socket, no clock,
 * no adapter state. Internal to the SIP adapter; fuzzed by fuzz-sip-intake.
 */
#ifndef BRIDGE_SIP_INTAKE_H
#define BRIDGE_SIP_INTAKE_H

#include <sys/time.h> /* before libosip2: its headers use struct timeval, time_t */
#include <time.h>
#include <osip2/osip.h> /* osip_event_t, osip_parse(): no osip_t involved */
#include <osipparser2/osip_parser.h>

#include <stddef.h>

#include "transport.h"

enum cws_intake_kind {
	CWS_INTAKE_ACCEPT = 0, /* valid: event is the caller's, for a transaction */
	CWS_INTAKE_ANSWER,     /* a bad request: answer status statelessly (RFC 3261 §8.2) */
	CWS_INTAKE_SALVAGE,    /* did not parse: send reply, a 400 built from its lines */
	CWS_INTAKE_DROP        /* nothing to answer: an ACK, a response, no Via */
};

struct cws_intake {
	enum cws_intake_kind kind;
	osip_event_t *event;      /* ACCEPT, ANSWER: the parsed message (evt->sip) */
	int status;               /* ANSWER: 400, 415, 416, 420 or 505 */
	const char *hname, *hval; /* ANSWER: one extra header (Unsupported, Accept) or NULL;
	                             hval may point into event */
	char *reply;              /* SALVAGE: the whole 400, reply_len bytes */
	size_t reply_len;
};

/* parser_init() once per process (the parser's header-name table). */
void cws_intake_init(void);

/*
 * cws_intake_check() - the verdict on one message of len bytes
 * (buf[len] must be readable and 0, as the transport delivers it) that
 * arrived over proto. Anything but ACCEPT counts as malformed. *ret is
 * always written; release it with cws_intake_clear().
 * Errors: -EINVAL (NULL buf or ret).
 */
int cws_intake_check(const char *buf, size_t len, enum cws_proto proto,
                        struct cws_intake *ret);

/* The To tag of every 503 cws_intake_shed() builds. */
#define CWS_INTAKE_SHED_TAG "overload"

/*
 * cws_intake_shed() - the 503 for a new INVITE while the adapter is overloaded, built
 * from the datagram's lines without a parse (RFC 3261 §21.5.4: 503 Service
 * Unavailable, with Retry-After retry_after_s when > 0; §8.2.6.2: the Via, From, To
 * (tag CWS_INTAKE_SHED_TAG), Call-ID and CSeq lines copied). A new INVITE is a request
 * line "INVITE ..." whose To has no tag. Returns 1 and *reply (malloc'd, *reply_len
 * bytes; free() it); 0 and no reply for anything else (another method, an INVITE inside
 * a dialog, no Via, a folded To line): that goes on to cws_intake_check().
 * Errors: -EINVAL (NULL buf, reply or reply_len).
 */
int cws_intake_shed(const char *buf, size_t len, unsigned retry_after_s, char **reply,
                    size_t *reply_len);

/* Frees what a verdict still owns (event, reply); the struct may be reused. */
void cws_intake_clear(struct cws_intake *verdict);

#endif
