/* SPDX-License-Identifier: MIT */
/*
 * bridge/metrics/text.h — the growing text the exposition is written into,
 * with the format's escaping (prometheus.io "Exposition formats", text
 * format 0.0.4: label values escape backslash, double quote and line feed;
 * HELP text backslash and line feed) and its numbers. Internal to
 * bridge/metrics.
 */
#ifndef BRIDGE_METRICS_TEXT_H
#define BRIDGE_METRICS_TEXT_H

#include <stddef.h>

struct cwmet_text {
	char *buf;     /* NUL-terminated once anything was written */
	size_t len, cap;
	int failed;    /* out of memory: everything after is dropped */
};
#define CWMET_TEXT_INIT { NULL, 0, 0, 0 }

void cwmet_text_free(struct cwmet_text *t);
/* cwmet_text_put() - n bytes of s. */
void cwmet_text_put(struct cwmet_text *t, const char *s, size_t n);
void cwmet_text_str(struct cwmet_text *t, const char *s);
/* cwmet_text_escaped() - s escaped: \\ and \n, and \" too when quote is set. */
void cwmet_text_escaped(struct cwmet_text *t, const char *s, int quote);
/* cwmet_text_number() - v as the format writes a float: +Inf, -Inf, NaN, else %.15g. */
void cwmet_text_number(struct cwmet_text *t, double v);
/* cwmet_text_labels() - "" for n == 0, else {names[0]="values[0]",...} (NULL values: "").
 * Returns 0, -ENOMEM. */
int cwmet_text_labels(struct cwmet_text *t, const char *const *names, const char *const *values,
                      size_t n);

#endif /* BRIDGE_METRICS_TEXT_H */
