/* SPDX-License-Identifier: MIT */
/*
 * test_reload_diff.c — bridge-daemon-reload-diff: what a reload compares
 * (reload_diff.c) over real configurations: the same spans or not, the
 * running values of what only a restart changes kept (and what a reload
 * takes left as written), the sections added, changed and removed.
 */
#include <stdio.h>
#include <string.h>

#include "../../tests/unit/check.h"
#include "config.h"
#include "reload_diff.h"

#define SPAN1(extra) "[span 1]\nswitchtype = euroisdn\nsignalling = pri_cpe\n" \
                     "dchannel = socket:/tmp/a\nbchannels = 1-15,17-31\ngroup = g\n" extra
#define SPAN2 "[span 2]\nswitchtype = euroisdn\nsignalling = pri_cpe\n" \
              "dchannel = socket:/tmp/b\nbchannels = 1-15,17-31\ngroup = g\n"
#define ROUTES "[route out]\nmatch = 0\ngroup = g\nallow = 127.0.0.1\n" \
               "[route in]\nmatch = *\ntarget = sip:127.0.0.1:5070\n"

static struct cwcfg_config *load(const char *text)
{
	struct cwcfg_config *cfg = NULL;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), 0))
		fprintf(stderr, "  %s:%u: %s\n", d.file, d.line, d.message);
	return cfg;
}

static int kept_has(const struct cwb_reload_kept *k, const char *what)
{
	for (unsigned i = 0; i < k->n && i < CWB_RELOAD_KEPT_MAX; i++)
		if (strcmp(k->what[i], what) == 0)
			return 1;
	return 0;
}

static void test_spans(void)
{
	struct cwcfg_config *one = load(SPAN1("") ROUTES), *two = load(SPAN1("") SPAN2 ROUTES);
	struct cwcfg_config *other = load("[span 3]\nswitchtype = euroisdn\nsignalling = pri_cpe\n"
	                                  "dchannel = socket:/tmp/a\nbchannels = 1-15,17-31\n"
	                                  "group = g\n" ROUTES);
	char why[160] = "";

	if (one && two && other) {
		CHECK_INT(cwb_reload_same_spans(one, one, why, sizeof(why)), 1);
		CHECK_INT(cwb_reload_same_spans(one, two, why, sizeof(why)), 0);
		CHECK(strstr(why, "adding or removing a span") != NULL);
		CHECK_INT(cwb_reload_same_spans(two, one, why, sizeof(why)), 0);
		CHECK_INT(cwb_reload_same_spans(one, other, why, sizeof(why)), 0);
		CHECK(strstr(why, "[span 3] where [span 1] runs") != NULL);
	}
	cwcfg_config_free(one);
	cwcfg_config_free(two);
	cwcfg_config_free(other);
}

static void test_keep_running(void)
{
	struct cwcfg_config *run = load("[general]\npidfile = /run/a.pid\n"
	                                "capture = /tmp/a.pcap\nmetrics = 127.0.0.1:9464\n"
	                                "[sip]\nbind = 127.0.0.1\nport = 5060\nretry_after = 30\n"
	                                SPAN1("t200 = 1000\nt310 = 10000\n") ROUTES);
	struct cwcfg_config *next = load("[general]\npidfile = /run/b.pid\n"
	                                 "capture = /tmp/b.pcap\ncapture_max_bytes = 8192\n"
	                                 "metrics = 127.0.0.1:9465\n"
	                                 "[sip]\nbind = 127.0.0.2\nport = 5070\ntransport = tcp\n"
	                                 "retry_after = 60\n"
	                                 "[span 1]\nswitchtype = qsig\nsignalling = pri_net\n"
	                                 "dchannel = socket:/tmp/c\nbchannels = 1-10\ngroup = h\n"
	                                 "t200 = 2000\nt310 = 20000\nlocation = ln\n"
	                                 "[route out]\nmatch = 0\ngroup = h\nallow = 127.0.0.1\n");
	struct cwb_reload_kept k;
	static const char *const want[] = {
		"[general] pidfile", "[general] capture", "[general] capture_max_bytes",
		"[general] metrics", "[sip] bind", "[sip] port", "[sip] transport",
		"[span 1] switchtype", "[span 1] signalling", "[span 1] dchannel",
		"[span 1] bchannels", "[span 1] t200",
	};
	size_t i;

	if (!run || !next)
		goto out;
	if (!CHECK_INT(cwb_reload_keep_running(run, next, &k), 0))
		goto out;
	CHECK_INT((int)k.n, (int)(sizeof(want) / sizeof(want[0])));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!CHECK(kept_has(&k, want[i])))
			fprintf(stderr, "  not kept: %s\n", want[i]);
	/* the running values */
	CHECK_STR(next->general.pidfile, "/run/a.pid");
	CHECK_STR(next->general.capture, "/tmp/a.pcap");
	CHECK_INT((int)next->general.capture_max_bytes, 0);
	CHECK_INT((int)next->general.metrics_port, 9464);
	CHECK_STR(next->sip.bind, "127.0.0.1");
	CHECK_INT((int)next->sip.port, 5060);
	CHECK_INT((int)next->sip.transports, (int)run->sip.transports);
	CHECK_INT((int)next->spans[0].switchtype, (int)CWCFG_SWITCH_EUROISDN);
	CHECK_INT((int)next->spans[0].signalling, (int)CWCFG_PRI_CPE);
	CHECK_STR(next->spans[0].dchannel_path, "/tmp/a");
	CHECK(next->spans[0].bchannels == run->spans[0].bchannels);
	CHECK_INT((int)next->spans[0].timers[CWCFG_T200], 1000);
	/* what a reload takes stays as the new file says */
	CHECK_INT((int)next->sip.retry_after, 60);
	CHECK_INT((int)next->spans[0].timers[CWCFG_T310], 20000);
	CHECK_STR(next->spans[0].group, "h");
	CHECK_INT((int)next->n_routes, 1);
	/* once kept, nothing is left to keep */
	CHECK_INT(cwb_reload_keep_running(run, next, &k), 0);
	CHECK_INT((int)k.n, 0);
out:
	cwcfg_config_free(run);
	cwcfg_config_free(next);
}

static void test_changes(void)
{
	struct cwcfg_config *run = load(SPAN1("") SPAN2 ROUTES "[route gone]\nmatch = 9\n"
	                                "group = g\nallow = 127.0.0.1\n");
	struct cwcfg_config *same = load(SPAN1("") SPAN2 ROUTES "[route gone]\nmatch = 9\n"
	                                 "group = g\nallow = 127.0.0.1\n");
	struct cwcfg_config *next = load("[general]\nlog_level = info\n"
	                                 SPAN1("t310 = 9000\n") SPAN2
	                                 "[route out]\nmatch = 0\ngroup = g\nallow = 127.0.0.2\n"
	                                 "[route in]\nmatch = *\ntarget = sip:127.0.0.1:5070\n"
	                                 "[route new]\nmatch = 8\ngroup = g\nallow = 127.0.0.1\n"
	                                 "[route new2]\nmatch = 7\ngroup = g\nallow = 127.0.0.1\n");
	struct cwb_reload_changes ch;

	if (run && same && CHECK_INT(cwb_reload_count_changes(run, same, &ch), 0)) {
		CHECK_INT((int)(ch.added[0] + ch.changed[0] + ch.removed[0]), 0);
		CHECK_INT((int)(ch.added[1] + ch.changed[1] + ch.removed[1]), 0);
		CHECK_INT(ch.general, 0);
		CHECK_INT(ch.sip, 0);
	}
	if (run && next && CHECK_INT(cwb_reload_count_changes(run, next, &ch), 0)) {
		CHECK_INT((int)ch.added[0], 2);   /* new, new2 */
		CHECK_INT((int)ch.changed[0], 1); /* out: allow */
		CHECK_INT((int)ch.removed[0], 1); /* gone */
		CHECK_INT((int)ch.changed[1], 1); /* span 1: t310 */
		CHECK_INT(ch.general, 1);         /* log_level */
		CHECK_INT(ch.sip, 0);
	}
	cwcfg_config_free(run);
	cwcfg_config_free(same);
	cwcfg_config_free(next);
}

int main(void)
{
	test_spans();
	test_keep_running();
	test_changes();
	return check_done();
}
