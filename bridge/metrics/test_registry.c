/* SPDX-License-Identifier: MIT */
/*
 * test_registry.c — the exposition of bridge/metrics (registry.h), byte for
 * byte: HELP and TYPE lines, label values escaped, histogram buckets
 * cumulative with +Inf, _sum and _count, families and series sorted, and
 * what the registry refuses.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tests/unit/check.h"
#include "registry.h"

static void check_text(const struct cwmet_registry *r, const char *want, int line)
{
	char *got = NULL;
	size_t len = 0;

	if (!check_one(cwmet_format(r, &got, &len) == 0, "cwmet_format()", __FILE__, line))
		return;
	if (!check_one(len == strlen(got) && strcmp(got, want) == 0, "the exposition", __FILE__,
	               line))
		fprintf(stderr, "--- want\n%s--- got\n%s---\n", want, got);
	free(got);
}

static struct cwmet_family *family(struct cwmet_registry *r, enum cwmet_type type,
                                   const char *name, const char *help, const char *l1,
                                   const char *l2)
{
	struct cwmet_family_spec s;
	struct cwmet_family *f = NULL;

	memset(&s, 0, sizeof(s));
	s.type = type;
	s.name = name;
	s.help = help;
	if (l1)
		s.labels[s.nlabels++] = l1;
	if (l2)
		s.labels[s.nlabels++] = l2;
	if (type == CWMET_HISTOGRAM) {
		s.buckets[0] = 0.1;
		s.buckets[1] = 1;
		s.buckets[2] = 2.5;
		s.nbuckets = 3;
	}
	CHECK(cwmet_family_add(r, &s, &f) == 0);
	return f;
}

/* Counters with labels: sorted series, escaped values, HELP escaped, families by name. */
static void test_counters(void)
{
	struct cwmet_registry *r = NULL;
	struct cwmet_family *calls, *plain;
	const char *busy[] = { "sip_to_isdn", "486" };
	const char *ok[] = { "isdn_to_sip", "200" };
	const char *odd[] = { "a\\b\"c\nd", "" };

	CHECK(cwmet_registry_new(&r) == 0);
	calls = family(r, CWMET_COUNTER, "test_calls_total", "Calls by\\direction\nand status.",
	               "direction", "status");
	plain = family(r, CWMET_COUNTER, "a_first_total", "No labels.", NULL, NULL);
	CHECK(cwmet_counter_add(calls, busy, 1) == 0);
	CHECK(cwmet_counter_add(calls, ok, 2) == 0);
	CHECK(cwmet_counter_add(calls, busy, 1) == 0);
	CHECK(cwmet_counter_add(calls, odd, 0.5) == 0);
	CHECK(cwmet_counter_add(plain, NULL, 0) == 0);
	CHECK(cwmet_counter_add(calls, busy, -1) == -EINVAL);
	CHECK(cwmet_counter_add(calls, busy, NAN) == -EINVAL);
	CHECK(cwmet_gauge_set(calls, busy, 1) == -EINVAL);
	check_text(r,
	           "# HELP a_first_total No labels.\n"
	           "# TYPE a_first_total counter\n"
	           "a_first_total 0\n"
	           "# HELP test_calls_total Calls by\\\\direction\\nand status.\n"
	           "# TYPE test_calls_total counter\n"
	           "test_calls_total{direction=\"a\\\\b\\\"c\\nd\",status=\"\"} 0.5\n"
	           "test_calls_total{direction=\"isdn_to_sip\",status=\"200\"} 2\n"
	           "test_calls_total{direction=\"sip_to_isdn\",status=\"486\"} 2\n",
	           __LINE__);
	cwmet_registry_free(r);
}

/* The histogram of test_histogram_gauge() after its three observations. */
#define HISTOGRAM_TEXT                                                       \
	"# HELP t_seconds Time.\n"                                            \
	"# TYPE t_seconds histogram\n"                                        \
	"t_seconds_bucket{direction=\"sip_to_isdn\",le=\"0.1\"} 1\n"          \
	"t_seconds_bucket{direction=\"sip_to_isdn\",le=\"1\"} 2\n"            \
	"t_seconds_bucket{direction=\"sip_to_isdn\",le=\"2.5\"} 2\n"          \
	"t_seconds_bucket{direction=\"sip_to_isdn\",le=\"+Inf\"} 3\n"         \
	"t_seconds_sum{direction=\"sip_to_isdn\"} 7.85\n"                     \
	"t_seconds_count{direction=\"sip_to_isdn\"} 3\n"

/* A histogram: each observation in the first bucket that holds it, cumulative lines, +Inf
 * equal to _count, one past the last bound in +Inf only; a gauge set and reset. */
static void test_histogram_gauge(void)
{
	struct cwmet_registry *r = NULL;
	struct cwmet_family *h, *g;
	const char *sip[] = { "sip_to_isdn" };
	const char *span1[] = { "1" }, *span2[] = { "2" };

	CHECK(cwmet_registry_new(&r) == 0);
	h = family(r, CWMET_HISTOGRAM, "t_seconds", "Time.", "direction", NULL);
	g = family(r, CWMET_GAUGE, "t_up", "Up.", "span", NULL);
	CHECK(cwmet_histogram_observe(h, sip, 0.1) == 0);  /* le 0.1: the bound is inclusive */
	CHECK(cwmet_histogram_observe(h, sip, 0.75) == 0); /* le 1 */
	CHECK(cwmet_histogram_observe(h, sip, 7) == 0);    /* +Inf only */
	CHECK(cwmet_histogram_observe(h, sip, INFINITY) == -EINVAL);
	CHECK(cwmet_gauge_set(g, span2, 0) == 0);
	CHECK(cwmet_gauge_set(g, span1, 5) == 0);
	CHECK(cwmet_gauge_set(g, span1, 1) == 0);
	check_text(r,
	           HISTOGRAM_TEXT
	           "# HELP t_up Up.\n"
	           "# TYPE t_up gauge\n"
	           "t_up{span=\"1\"} 1\n"
	           "t_up{span=\"2\"} 0\n",
	           __LINE__);
	cwmet_family_reset(g);
	check_text(r,
	           HISTOGRAM_TEXT
	           "# HELP t_up Up.\n"
	           "# TYPE t_up gauge\n",
	           __LINE__);
	cwmet_registry_free(r);
}

/* A histogram without labels: {le="..."} alone. */
static void test_histogram_plain(void)
{
	struct cwmet_registry *r = NULL;
	struct cwmet_family *h;

	CHECK(cwmet_registry_new(&r) == 0);
	h = family(r, CWMET_HISTOGRAM, "p_seconds", "P.", NULL, NULL);
	CHECK(cwmet_histogram_observe(h, NULL, 2) == 0);
	check_text(r,
	           "# HELP p_seconds P.\n"
	           "# TYPE p_seconds histogram\n"
	           "p_seconds_bucket{le=\"0.1\"} 0\n"
	           "p_seconds_bucket{le=\"1\"} 0\n"
	           "p_seconds_bucket{le=\"2.5\"} 1\n"
	           "p_seconds_bucket{le=\"+Inf\"} 1\n"
	           "p_seconds_sum 2\n"
	           "p_seconds_count 1\n",
	           __LINE__);
	cwmet_registry_free(r);
}

/* Names outside the grammar, reserved labels, bad buckets, a name twice. */
static void test_refused(void)
{
	struct cwmet_registry *r = NULL;
	struct cwmet_family_spec s;
	struct cwmet_family *f = NULL;

	CHECK(cwmet_registry_new(&r) == 0);
	memset(&s, 0, sizeof(s));
	s.type = CWMET_COUNTER;
	s.help = "x";
	s.name = "9lives_total";
	CHECK(cwmet_family_add(r, &s, &f) == -EINVAL);
	s.name = "bad-name_total";
	CHECK(cwmet_family_add(r, &s, &f) == -EINVAL);
	s.name = "ns:ok_total";
	CHECK(cwmet_family_add(r, &s, &f) == 0);
	CHECK(cwmet_family_add(r, &s, &f) == -EEXIST);
	s.name = "l_total";
	s.labels[0] = "__reserved";
	s.nlabels = 1;
	CHECK(cwmet_family_add(r, &s, &f) == -EINVAL);
	s.labels[0] = "a:b";
	CHECK(cwmet_family_add(r, &s, &f) == -EINVAL);
	s.labels[0] = "le";
	CHECK(cwmet_family_add(r, &s, &f) == 0); /* "le" is only reserved on a histogram */
	s.name = "h_seconds";
	s.type = CWMET_HISTOGRAM;
	s.buckets[0] = 1;
	s.nbuckets = 1;
	CHECK(cwmet_family_add(r, &s, &f) == -EINVAL);
	s.labels[0] = "x";
	s.buckets[1] = 1;
	s.nbuckets = 2;
	CHECK(cwmet_family_add(r, &s, &f) == -EINVAL); /* not strictly increasing */
	s.nbuckets = 0;
	CHECK(cwmet_family_add(r, &s, &f) == -EINVAL);
	s.buckets[1] = 2;
	s.nbuckets = 2;
	CHECK(cwmet_family_add(r, &s, &f) == 0);
	cwmet_registry_free(r);
}

int main(void)
{
	test_counters();
	test_histogram_gauge();
	test_histogram_plain();
	test_refused();
	return check_done();
}
