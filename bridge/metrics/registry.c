/* SPDX-License-Identifier: MIT */
/*
 * bridge/metrics/registry.c — families and their series (registry.h). The
 * names are checked against the exposition format's grammar (prometheus.io
 * "Data model": metric names [a-zA-Z_:][a-zA-Z0-9_:]*, label names
 * [a-zA-Z_][a-zA-Z0-9_]*, "__" reserved); a series is keyed by its label
 * text, written once when the series is created (format.c writes it as is).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "registry_internal.h"
#include "text.h"

static int name_ok(const char *s, int colon)
{
	if (s == NULL || *s == '\0' || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || (colon && c == ':')))
			return 0;
	}
	return 1;
}

static int label_name_ok(const char *s, enum cwmet_type type)
{
	if (!name_ok(s, 0) || strncmp(s, "__", 2) == 0)
		return 0;
	/* "le" is the bucket label of a histogram's _bucket lines */
	return !(type == CWMET_HISTOGRAM && strcmp(s, "le") == 0);
}

static int spec_ok(const struct cwmet_family_spec *s)
{
	if (s->type != CWMET_COUNTER && s->type != CWMET_GAUGE && s->type != CWMET_HISTOGRAM)
		return 0;
	if (!name_ok(s->name, 1) || s->nlabels > CWMET_LABELS_MAX)
		return 0;
	for (size_t i = 0; i < s->nlabels; i++) {
		if (!label_name_ok(s->labels[i], s->type))
			return 0;
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->labels[i], s->labels[j]) == 0)
				return 0;
	}
	if (s->type != CWMET_HISTOGRAM)
		return s->nbuckets == 0;
	if (s->nbuckets == 0 || s->nbuckets > CWMET_BUCKETS_MAX)
		return 0;
	for (size_t i = 0; i < s->nbuckets; i++)
		if (!isfinite(s->buckets[i]) || (i > 0 && s->buckets[i] <= s->buckets[i - 1]))
			return 0;
	return 1;
}

int cwmet_registry_new(struct cwmet_registry **ret)
{
	struct cwmet_registry *r;

	if (ret == NULL)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	*ret = r;
	return 0;
}

static void series_free(struct cwmet_series *s)
{
	free(s->labels);
	free(s->buckets);
}

void cwmet_family_reset(struct cwmet_family *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->nseries; i++)
		series_free(&f->series[i]);
	f->nseries = 0;
}

static void family_free(struct cwmet_family *f)
{
	if (f == NULL)
		return;
	cwmet_family_reset(f);
	free(f->series);
	for (size_t i = 0; i < 2 + CWMET_LABELS_MAX; i++)
		free(f->own[i]);
	free(f);
}

void cwmet_registry_free(struct cwmet_registry *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nfamilies; i++)
		family_free(r->families[i]);
	free(r->families);
	free(r);
}

/* The series of f with values, created if new; NULL when out of memory. */
static struct cwmet_series *series_get(struct cwmet_family *f, const char *const *values)
{
	struct cwmet_text t = CWMET_TEXT_INIT;
	struct cwmet_series *s;

	if (cwmet_text_labels(&t, f->spec.labels, values, f->spec.nlabels) < 0) {
		cwmet_text_free(&t);
		return NULL;
	}
	for (size_t i = 0; i < f->nseries; i++)
		if (strcmp(f->series[i].labels, t.buf) == 0) {
			cwmet_text_free(&t);
			return &f->series[i];
		}
	if (f->nseries == f->capseries) {
		size_t cap = f->capseries ? f->capseries * 2 : 8;
		struct cwmet_series *n = realloc(f->series, cap * sizeof(*n));

		if (n == NULL) {
			cwmet_text_free(&t);
			return NULL;
		}
		f->series = n;
		f->capseries = cap;
	}
	s = &f->series[f->nseries];
	memset(s, 0, sizeof(*s));
	if (f->spec.type == CWMET_HISTOGRAM) {
		s->buckets = calloc(f->spec.nbuckets, sizeof(*s->buckets));
		if (s->buckets == NULL) {
			cwmet_text_free(&t);
			return NULL;
		}
	}
	s->labels = t.buf; /* the series keeps the text */
	f->nseries++;
	return s;
}

int cwmet_family_add(struct cwmet_registry *r, const struct cwmet_family_spec *spec,
                     struct cwmet_family **ret)
{
	struct cwmet_family *f;
	int bad = 0;

	if (r == NULL || spec == NULL || ret == NULL || !spec_ok(spec))
		return -EINVAL;
	for (size_t i = 0; i < r->nfamilies; i++)
		if (strcmp(r->families[i]->spec.name, spec->name) == 0)
			return -EEXIST;
	if (r->nfamilies == r->capfamilies) {
		size_t cap = r->capfamilies ? r->capfamilies * 2 : 16;
		struct cwmet_family **n = realloc(r->families, cap * sizeof(*n));

		if (n == NULL)
			return -ENOMEM;
		r->families = n;
		r->capfamilies = cap;
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return -ENOMEM;
	f->spec = *spec;
	f->spec.name = f->own[0] = strdup(spec->name);
	f->spec.help = f->own[1] = strdup(spec->help ? spec->help : "");
	bad = f->own[0] == NULL || f->own[1] == NULL;
	for (size_t i = 0; i < CWMET_LABELS_MAX; i++) {
		f->spec.labels[i] = NULL;
		if (i >= spec->nlabels)
			continue;
		f->spec.labels[i] = f->own[2 + i] = strdup(spec->labels[i]);
		bad |= f->own[2 + i] == NULL;
	}
	/* a family without labels is one series, there from the start */
	if (bad || (spec->nlabels == 0 && series_get(f, NULL) == NULL)) {
		family_free(f);
		return -ENOMEM;
	}
	r->families[r->nfamilies++] = f;
	*ret = f;
	return 0;
}

int cwmet_counter_add(struct cwmet_family *f, const char *const *values, double v)
{
	struct cwmet_series *s;

	if (f == NULL || f->spec.type != CWMET_COUNTER || !isfinite(v) || v < 0)
		return -EINVAL;
	s = series_get(f, values);
	if (s == NULL)
		return -ENOMEM;
	s->value += v;
	return 0;
}

int cwmet_gauge_set(struct cwmet_family *f, const char *const *values, double v)
{
	struct cwmet_series *s;

	if (f == NULL || f->spec.type != CWMET_GAUGE || isnan(v))
		return -EINVAL;
	s = series_get(f, values);
	if (s == NULL)
		return -ENOMEM;
	s->value = v;
	return 0;
}

int cwmet_histogram_observe(struct cwmet_family *f, const char *const *values, double v)
{
	struct cwmet_series *s;
	size_t i;

	if (f == NULL || f->spec.type != CWMET_HISTOGRAM || !isfinite(v))
		return -EINVAL;
	s = series_get(f, values);
	if (s == NULL)
		return -ENOMEM;
	/* the first bucket whose upper bound is >= v; past the last: +Inf only (count) */
	for (i = 0; i < f->spec.nbuckets && v > f->spec.buckets[i]; i++)
		;
	if (i < f->spec.nbuckets)
		s->buckets[i]++;
	s->count++;
	s->value += v;
	return 0;
}
