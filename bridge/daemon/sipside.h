/* SPDX-License-Identifier: MIT */
/*
 * sipside.h — the SIP leg of causeway-bridge: the SIP adapter (bridge/sip)
 * joined to the core: cws events -> core events, the core's SIP
 * actions -> cws (through the leg ops it gives calls.c), the offer/answer of
 * each call's media (media.c), the OPTIONS answer.
 */
#ifndef CWB_SIPSIDE_H
#define CWB_SIPSIDE_H

#include "daemon.h"

/* cwb_sip_start() - bind SIP, watch its fd, register the leg's ops; 0, or 1 (fatal: logged). */
int cwb_sip_start(struct cwb *d);
/* cwb_sip_run_timers() - the SIP adapter's due timers (transactions, retransmissions). */
void cwb_sip_run_timers(struct cwb *d);
/* cwb_sip_flush() - send what the actions queued (bridge/sip/sip.h). */
void cwb_sip_flush(struct cwb *d);
/* cwb_sip_overload_report() - a warning line when bridge/sip starts answering new INVITEs
 * 503 in overload, a notice (with how many) once a second passed without one. */
void cwb_sip_overload_report(struct cwb *d, uint64_t now);
/* cwb_sip_next_timeout() - ms until the adapter's next timer; -1 none. */
int cwb_sip_next_timeout(const struct cwb *d);
/* cwb_sip_set_health() - the answer to OPTIONS from now on: 200, or 503 with Retry-After. */
void cwb_sip_set_health(struct cwb *d, int status);
/* cwb_sip_unregister() - Expires: 0 for every [register] binding (a clean shutdown);
 * returns how many are out. cwb_sip_unregistering() - how many still are. */
int cwb_sip_unregister(struct cwb *d);
int cwb_sip_unregistering(const struct cwb *d);
/* cwb_sip_free() - stop SIP (NULL-safe). */
void cwb_sip_free(struct cwb *d);

#endif /* CWB_SIPSIDE_H */
