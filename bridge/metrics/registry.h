/* SPDX-License-Identifier: MIT */
/*
 * bridge/metrics/registry.h — counters, gauges and histograms with labels,
 * and their exposition in the Prometheus text format, version 0.0.4
 * (docs/metrics.md; prometheus.io "Exposition formats"). Pure: no I/O, no
 * clock, no thread. The output is deterministic: families sorted by name,
 * the series of a family by their label text.
 *
 * Every int-returning function returns 0 or a negative errno value:
 * -EINVAL (a bad name, a label count that does not match the family, a
 * counter decreased, buckets not strictly increasing), -ENOMEM.
 */
#ifndef BRIDGE_METRICS_REGISTRY_H
#define BRIDGE_METRICS_REGISTRY_H

#include <stddef.h>

#define CWMET_LABELS_MAX 4     /* label names per family */
#define CWMET_BUCKETS_MAX 16   /* finite upper bounds per histogram; +Inf is added */

enum cwmet_type {
	CWMET_COUNTER = 0,
	CWMET_GAUGE = 1,
	CWMET_HISTOGRAM = 2
};

struct cwmet_registry;
struct cwmet_family;

/* What a family is: its name ([a-zA-Z_:][a-zA-Z0-9_:]*), HELP text (any bytes; backslash
 * and newline are escaped), label names ([a-zA-Z_][a-zA-Z0-9_]*, not "__..."; "le" not on a
 * histogram) and, for a histogram, the finite bucket bounds in increasing order. */
struct cwmet_family_spec {
	enum cwmet_type type;
	const char *name;
	const char *help;
	const char *labels[CWMET_LABELS_MAX];
	size_t nlabels;
	double buckets[CWMET_BUCKETS_MAX];
	size_t nbuckets;
};

int cwmet_registry_new(struct cwmet_registry **ret);
/* cwmet_registry_free() - every family with it; NULL is ignored. */
void cwmet_registry_free(struct cwmet_registry *r);

/*
 * cwmet_family_add() - a family of spec (the strings are copied) into r; *ret points to it
 * until cwmet_registry_free(). A family without labels has its one series from the start
 * (0). -EEXIST when r has a family of that name.
 */
int cwmet_family_add(struct cwmet_registry *r, const struct cwmet_family_spec *spec,
                     struct cwmet_family **ret);

/* The series of f with the label values values[0..nlabels) (any bytes; NULL is "") is
 * created at its first use. */

/* cwmet_counter_add() - a counter's series grows by v (v >= 0, finite). */
int cwmet_counter_add(struct cwmet_family *f, const char *const *values, double v);
/* cwmet_gauge_set() - a gauge's series is v. */
int cwmet_gauge_set(struct cwmet_family *f, const char *const *values, double v);
/* cwmet_histogram_observe() - one observation v (finite) into a histogram's series. */
int cwmet_histogram_observe(struct cwmet_family *f, const char *const *values, double v);
/* cwmet_family_reset() - a gauge family forgets every series (before it is set anew). */
void cwmet_family_reset(struct cwmet_family *f);

/* cwmet_format() - the exposition of every family of r, into *out (malloc'd, NUL-terminated,
 * *len without the NUL; the caller frees it). */
int cwmet_format(const struct cwmet_registry *r, char **out, size_t *len);

#endif /* BRIDGE_METRICS_REGISTRY_H */
