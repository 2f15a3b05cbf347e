/* SPDX-License-Identifier: MIT */
/*
 * metrics.h — what causeway-bridge counts for [general] metrics
 * (docs/metrics.md): every call from its summary at its end, every SIP
 * message in and out, every refusal of the admission policy, every
 * D-channel change; and, at each scrape, the spans, B-channels and calls
 * of that moment. Over bridge/metrics's registry; pure (no I/O, no clock).
 * Every function takes a NULL handle (metrics off) and then does nothing.
 */
#ifndef CWB_METRICS_H
#define CWB_METRICS_H

#include <stddef.h>

#include "call.h"

struct cwb_metrics;

/* One span at a scrape. */
struct cwb_metrics_span {
	unsigned number;           /* [span N] */
	int up;                    /* D-channel up, the span takes calls */
	unsigned busy, total;      /* B-channels in use, configured */
	unsigned out_of_service;   /* B-channels the network put out of service (SERVICE) */
};

/* cwb_metrics_new() - every family, at zero. 0, -ENOMEM. */
int cwb_metrics_new(struct cwb_metrics **ret);
void cwb_metrics_free(struct cwb_metrics *m);

/* cwb_metrics_call_end() - a finished call: its direction, route name (NULL: none) and the
 * core's summary (attempts, causes, times). */
void cwb_metrics_call_end(struct cwb_metrics *m, enum cwc_call_dir dir, const char *route,
                          const struct cwc_call_summary *s);
/* cwb_metrics_sip_message() - a SIP message received (out 0) or sent (out 1): a request
 * (status 0) or a response with its CSeq method. method NULL: not known. */
void cwb_metrics_sip_message(struct cwb_metrics *m, int out, const char *method, int status);
/* cwb_metrics_refusal() - the admission policy refused a request; reason: the refusal
 * line's reason= word (bridge/policy verdict.h). */
void cwb_metrics_refusal(struct cwb_metrics *m, const char *reason);
/* cwb_metrics_dchannel() - span number's D-channel went up (1) or down (0). */
void cwb_metrics_dchannel(struct cwb_metrics *m, unsigned span, int up);

/* cwb_metrics_node() - the node_info series: node's (a [general] node name), none for NULL. */
void cwb_metrics_node(struct cwb_metrics *m, const char *node);

/* cwb_metrics_format() - the exposition with the gauges of spans[0..n) and calls_active.
 * *out malloc'd. 0, -EINVAL, -ENOMEM. */
int cwb_metrics_format(struct cwb_metrics *m, const struct cwb_metrics_span *spans, size_t n,
                       size_t calls_active, char **out, size_t *len);

#endif /* CWB_METRICS_H */
