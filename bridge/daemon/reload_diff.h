/* SPDX-License-Identifier: MIT */
/*
 * reload_diff.h — what a reload (reload.c) compares: a new configuration
 * against the running one. Pure: unit-tested (test_reload_diff.c).
 */
#ifndef CWB_RELOAD_DIFF_H
#define CWB_RELOAD_DIFF_H

#include <stddef.h>

#include "config.h"

#define CWB_RELOAD_KEPT_MAX 32

/* The keys whose running value a reload kept: "[sip] port", "[span 1] dchannel", ... */
struct cwb_reload_kept {
	unsigned n;                          /* how many; the first CWB_RELOAD_KEPT_MAX named */
	char what[CWB_RELOAD_KEPT_MAX][48];
};

/* Sections of the --check-config dump: [0] routes, [1] spans. */
struct cwb_reload_changes {
	unsigned added[2], changed[2], removed[2];
	int general, sip;                    /* 1: the section changed */
};

/*
 * cwb_reload_same_spans() - 1 when next has the running spans, same numbers, same order;
 * else 0 and why (spans added, removed, renumbered or moved: a restart).
 */
int cwb_reload_same_spans(const struct cwcfg_config *run, const struct cwcfg_config *next,
                          char *why, size_t len);

/*
 * cwb_reload_keep_running() - what only a restart changes takes its running value in next
 * (same spans: cwb_reload_same_spans()): [general] pidfile, cdr_file, dahdi_system_conf;
 * [sip] bind, port, transport, tls_*; each span's switchtype, signalling, dchannel,
 * bchannels and libpri timers (t310, t301 are the core's: taken). *kept names them.
 * Returns 0, -ENOMEM (next is half done then: free it).
 */
int cwb_reload_keep_running(const struct cwcfg_config *run, struct cwcfg_config *next,
                            struct cwb_reload_kept *kept);

/* cwb_reload_count_changes() - the sections of the dumps of run and next added, changed,
 * removed. Returns 0, -ENOMEM. */
int cwb_reload_count_changes(const struct cwcfg_config *run, const struct cwcfg_config *next,
                             struct cwb_reload_changes *ch);

#endif /* CWB_RELOAD_DIFF_H */
