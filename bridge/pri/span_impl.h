/* SPDX-License-Identifier: MIT */
/*
 * span_impl.h — the span adapter's libpri side: for bridge/pri's own files
 * and for programs that drive libpri themselves (the simulator, the span's
 * test). causeway-bridge never includes it: it has span.h and pri_call.h.
 */
#ifndef BRIDGE_PRI_SPAN_IMPL_H
#define BRIDGE_PRI_SPAN_IMPL_H

#include <sys/time.h> /* before libpri.h, which uses struct timeval */
#include <libpri.h>

#include "span.h"

/* libpri's event as it is: it lives inside the struct pri and is overwritten
 * by the next libpri call on this span. */
typedef void (*cwi_span_libpri_cb)(struct cwi_span *span, pri_event *ev, void *arg);

/*
 * cwi_span_new_libpri() - cwi_span_new() for a libpri program: node is
 * PRI_NETWORK or PRI_CPE, and the callback gets libpri's own events.
 */
int cwi_span_new_libpri(struct cwi_span **ret, const char *name, int node, int switchtype,
                       struct cwi_dchan *source, FILE *tap, cwi_span_libpri_cb cb, void *arg);

struct pri *cwi_span_pri(const struct cwi_span *span);
/* cwi_span_node() - PRI_NETWORK or PRI_CPE. */
int cwi_span_node(const struct cwi_span *span);

/* cwi_span_drop_frames() - fault injection for a test peer: frames received (rx) or to be
 * sent (tx) are silently discarded while the socket stays open, as on a line that loses
 * frames with both ends alive. libpri's T200/N200 and T203 then see the loss (Q.921 §5.6). */
void cwi_span_drop_frames(struct cwi_span *span, int rx, int tx);

/* cwi_span_service_messages() - 1 for the switch types libpri takes SERVICE messages on
 * (ANSI T1.607 maintenance; libpri decodes the Change status IE for NI2, DMS100, 5ESS and
 * 4ESS only), else 0. */
int cwi_span_service_messages(int switchtype);

/* cwi_span_bchannel_valid() - 1 when channel is a B-channel timeslot of the switch type's
 * trunk, else 0: T1 (ni2, dms100, 4ess, 5ess, ...) 1..23, the D-channel on 24; E1
 * (euroisdn, qsig) 1..31 but 16, the D-channel (G.704 §2.3 / §5: the PRI frame). */
int cwi_span_bchannel_valid(int switchtype, int channel);

/* cwi_span_bchannel_max() - the highest B-channel timeslot: 23 (T1) or 31 (E1). */
int cwi_span_bchannel_max(int switchtype);

/* cwi_span_bchannel_range() - the range for messages: "1..23" or "1..31, not 16". */
const char *cwi_span_bchannel_range(int switchtype);

/* cwi_span_event_name() - libpri's event code as "RING", "HANGUP_REQ", ...: for logs. */
const char *cwi_span_event_name(int e);

/* cwi_pri_event_from_libpri() - libpri's event as bridge/pri's (pri_event.c). Pure. */
void cwi_pri_event_from_libpri(const pri_event *e, struct cwi_pri_event *out);

/*
 * cwi_pri_answer_connected() - the connected line libpri reports with a CONNECT
 * (the PRI_SUBCMD_CONNECTED_LINE of the answer event) as a party: *out zeroed,
 * then filled when a valid number came. 1 when it did, else 0. Pure.
 */
int cwi_pri_answer_connected(const pri_event_answer *a, struct cwi_pri_party *out);

/* The call handle of pri_call.h is libpri's q931_call, never looked into outside bridge/pri. */
#define CWI_PRI_CALL_OF(q) ((struct cwi_pri_call *)(q))
#define CWI_PRI_Q931_OF(c) ((q931_call *)(c))

#endif
