/* SPDX-License-Identifier: MIT */
/*
 * bridge/metrics/registry_internal.h — what registry.c stores and format.c
 * writes. Internal to bridge/metrics.
 */
#ifndef BRIDGE_METRICS_REGISTRY_INTERNAL_H
#define BRIDGE_METRICS_REGISTRY_INTERNAL_H

#include <stdint.h>

#include "registry.h"

struct cwmet_series {
	char *labels;          /* the label text as written: "" or {a="x",b="y"} */
	double value;          /* counter, gauge; histogram: the sum */
	uint64_t count;        /* histogram: observations */
	uint64_t *buckets;     /* histogram: observations per bucket (not cumulative), nbuckets */
};

struct cwmet_family {
	struct cwmet_family_spec spec; /* its strings point into own[] */
	char *own[2 + CWMET_LABELS_MAX];  /* name, help, the label names: copies */
	struct cwmet_series *series;
	size_t nseries, capseries;
};

struct cwmet_registry {
	struct cwmet_family **families;
	size_t nfamilies, capfamilies;
};

#endif /* BRIDGE_METRICS_REGISTRY_INTERNAL_H */
