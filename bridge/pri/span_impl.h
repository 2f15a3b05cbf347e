/* SPDX-License-Identifier: MIT */
/*
 * span_impl.h — the span adapter's libpri side: for bridge/pri's own files
 * and for programs that drive libpri themselves (the simulator, the span's
 * test). causeway-bridge never includes it: it has span.h and pri_call.h.
 */
#ifndef CW_PRI_SPAN_IMPL_H
#define CW_PRI_SPAN_IMPL_H

#include <sys/time.h> /* before libpri.h, which uses struct timeval */
#include <libpri.h>

#include "span.h"

/* libpri's event as it is: it lives inside the struct pri and is overwritten
 * by the next libpri call on this span. */
typedef void (*cw_span_libpri_cb)(struct cw_span *span, pri_event *ev, void *arg);

/*
 * cw_span_new_libpri() - cw_span_new() for a libpri program: node is
 * PRI_NETWORK or PRI_CPE, and the callback gets libpri's own events.
 */
int cw_span_new_libpri(struct cw_span **ret, const char *name, int node, int switchtype,
                       struct cw_dchan *source, FILE *tap, cw_span_libpri_cb cb, void *arg);

struct pri *cw_span_pri(const struct cw_span *span);
/* cw_span_node() - PRI_NETWORK or PRI_CPE. */
int cw_span_node(const struct cw_span *span);

/* cw_span_event_name() - libpri's event code as "RING", "HANGUP_REQ", ...: for logs. */
const char *cw_span_event_name(int e);

/* cw_pri_event_from_libpri() - libpri's event as bridge/pri's (pri_event.c). Pure. */
void cw_pri_event_from_libpri(const pri_event *e, struct cw_pri_event *out);

/* The call handle of pri_call.h is libpri's q931_call, never looked into outside bridge/pri. */
#define CW_PRI_CALL_OF(q) ((struct cw_pri_call *)(q))
#define CW_PRI_Q931_OF(c) ((q931_call *)(c))

#endif
