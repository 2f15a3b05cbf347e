/* SPDX-License-Identifier: MIT */
/*
 * bridge/metrics/format.c — the exposition (registry.h cwmet_format()),
 * text format 0.0.4 (prometheus.io "Exposition formats"): per family a
 * "# HELP" and a "# TYPE" line, then one line per series; a histogram's
 * series as NAME_bucket lines with cumulative counts and an le label (the
 * last one le="+Inf", equal to the count), then NAME_sum and NAME_count.
 * Families in name order, series in the byte order of their label text.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry_internal.h"
#include "text.h"

static int family_cmp(const void *a, const void *b)
{
	const struct cwmet_family *fa = *(const struct cwmet_family *const *)a;
	const struct cwmet_family *fb = *(const struct cwmet_family *const *)b;

	return strcmp(fa->spec.name, fb->spec.name);
}

static int series_cmp(const void *a, const void *b)
{
	const struct cwmet_series *sa = *(const struct cwmet_series *const *)a;
	const struct cwmet_series *sb = *(const struct cwmet_series *const *)b;

	return strcmp(sa->labels, sb->labels);
}

static const char *type_name(enum cwmet_type type)
{
	return type == CWMET_COUNTER ? "counter" : type == CWMET_GAUGE ? "gauge" : "histogram";
}

/* NAME SUFFIX LABELS VALUE\n */
static void line(struct cwmet_text *t, const char *name, const char *suffix, const char *labels,
                 double v)
{
	cwmet_text_str(t, name);
	cwmet_text_str(t, suffix);
	cwmet_text_str(t, labels);
	cwmet_text_str(t, " ");
	cwmet_text_number(t, v);
	cwmet_text_str(t, "\n");
}

/* NAME_bucket{LABELS,le="BOUND"} CUMULATIVE\n */
static void bucket_line(struct cwmet_text *t, const char *name, const char *labels, double bound,
                        uint64_t cumulative)
{
	size_t n = strlen(labels);

	cwmet_text_str(t, name);
	cwmet_text_str(t, "_bucket");
	if (n > 0) {
		cwmet_text_put(t, labels, n - 1); /* without its '}' */
		cwmet_text_str(t, ",le=\"");
	} else {
		cwmet_text_str(t, "{le=\"");
	}
	cwmet_text_number(t, bound);
	cwmet_text_str(t, "\"} ");
	cwmet_text_number(t, (double)cumulative);
	cwmet_text_str(t, "\n");
}

static void series_lines(struct cwmet_text *t, const struct cwmet_family *f,
                         const struct cwmet_series *s)
{
	uint64_t cumulative = 0;

	if (f->spec.type != CWMET_HISTOGRAM) {
		line(t, f->spec.name, "", s->labels, s->value);
		return;
	}
	for (size_t i = 0; i < f->spec.nbuckets; i++) {
		cumulative += s->buckets[i];
		bucket_line(t, f->spec.name, s->labels, f->spec.buckets[i], cumulative);
	}
	bucket_line(t, f->spec.name, s->labels, INFINITY, s->count);
	line(t, f->spec.name, "_sum", s->labels, s->value);
	line(t, f->spec.name, "_count", s->labels, (double)s->count);
}

static int family_lines(struct cwmet_text *t, const struct cwmet_family *f)
{
	const struct cwmet_series **order = NULL;

	cwmet_text_str(t, "# HELP ");
	cwmet_text_str(t, f->spec.name);
	cwmet_text_str(t, " ");
	cwmet_text_escaped(t, f->spec.help, 0);
	cwmet_text_str(t, "\n# TYPE ");
	cwmet_text_str(t, f->spec.name);
	cwmet_text_str(t, " ");
	cwmet_text_str(t, type_name(f->spec.type));
	cwmet_text_str(t, "\n");
	if (f->nseries == 0)
		return 0;
	order = malloc(f->nseries * sizeof(*order));
	if (order == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < f->nseries; i++)
		order[i] = &f->series[i];
	qsort(order, f->nseries, sizeof(*order), series_cmp);
	for (size_t i = 0; i < f->nseries; i++)
		series_lines(t, f, order[i]);
	free(order);
	return 0;
}

int cwmet_format(const struct cwmet_registry *r, char **out, size_t *len)
{
	struct cwmet_text t = CWMET_TEXT_INIT;
	const struct cwmet_family **order = NULL;
	int rc = 0;

	if (r == NULL || out == NULL || len == NULL)
		return -EINVAL;
	cwmet_text_put(&t, "", 0);
	if (r->nfamilies > 0) {
		order = malloc(r->nfamilies * sizeof(*order));
		if (order == NULL) {
			cwmet_text_free(&t);
			return -ENOMEM;
		}
		for (size_t i = 0; i < r->nfamilies; i++)
			order[i] = r->families[i];
		qsort(order, r->nfamilies, sizeof(*order), family_cmp);
	}
	for (size_t i = 0; i < r->nfamilies && rc == 0; i++)
		rc = family_lines(&t, order[i]);
	free(order);
	if (rc == 0 && (t.failed || t.buf == NULL))
		rc = -ENOMEM;
	if (rc < 0) {
		cwmet_text_free(&t);
		return rc;
	}
	*out = t.buf;
	*len = t.len;
	return 0;
}
