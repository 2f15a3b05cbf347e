/* SPDX-License-Identifier: MIT */
/*
 * daemon.h — the context of causeway-bridge that every module is handed:
 * one thread, one epoll loop, N spans (bridge/pri), the SIP adapter
 * (bridge/sip) and one cwc_call (bridge/core) per call deciding everything.
 * Internal to the executable; every name starts with cwb_.
 *
 * The modules depend one way (README "Module map"):
 *
 *   main.c      options, config, pidfile, exit codes
 *   loop.c      epoll, signalfd, the clock, reload and drain; passes now down
 *   reload.c    SIGHUP: a new configuration for new calls
 *   isdn.c      the ISDN leg: spans, libpri events <-> core events
 *   sipside.c   the SIP leg: cws events <-> core events, SDP
 *   calls.c     the bridge call: core events in, actions to the legs' ops, timers, reaping
 *   resources.c B-channels and SIP targets put aside (pure)
 *   cdr_record.c the core's summary as a CDR (pure)
 *   media.c     RTP sessions, offer/answer, B-channel audio (below calls)
 *   route.c, identity.c  pure parts the legs use
 *   log.c       the log lines
 */
#ifndef CWB_DAEMON_H
#define CWB_DAEMON_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "common/ptrmap.h"
#include "common/minheap.h"

struct cwb;
struct cwb_admission;
struct cwb_call;
struct cwb_config_ref;
struct cwb_isdn;
struct cwb_leg_ops;
struct cwb_media;
struct cwb_resources;
struct cwb_watch;
struct cwcap;
struct cwcdr_file;
struct cwb_metrics;
struct cwmet_http;
struct cws;

/* An fd of a leg became readable (or an error is pending) at now. */
typedef void cwb_readable_fn(void *arg, uint64_t now);

/* What the loop gives the legs: watch an fd, stop watching it (loop.c). */
struct cwb_fd_ops {
	/* watch() - call fn(arg, now) whenever fd is readable; events: EPOLLIN, EPOLLPRI
	 * bits. 0 or -1 (errno set). */
	int (*watch)(struct cwb *d, int fd, uint32_t events, cwb_readable_fn *fn, void *arg);
	void (*unwatch)(struct cwb *d, int fd);
};

/* The sides of a call, as indices of cwb.legs. */
enum cwb_side {
	CWB_SIDE_SIP = 0,
	CWB_SIDE_ISDN = 1,
	CWB_SIDE_COUNT
};

struct cwb {
	const struct cwcfg_config *cfg;        /* the current configuration: new calls take it */
	struct cwb_config_ref *cfg_ref;        /* and its holder (config_ref.h); reload.c swaps both */
	int log_level_fixed;                   /* --log-level given: a reload keeps the level */
	const struct cwb_fd_ops *fd_ops;       /* the loop's */
	uint64_t now_ms;                       /* the loop's CLOCK_MONOTONIC ms of this wake-up */
	int64_t now_wall_ms;                   /* and its CLOCK_REALTIME ms since the epoch */
	/* the loop's */
	int epfd, sigfd;
	struct cwb_watch *watches;
	size_t nwatches;
	int ready_logged;
	int stopping;                          /* SIGTERM/SIGINT: draining, no new call */
	int clearing;                          /* the drain is over: calls ADMIN_RELEASEd */
	uint64_t drain_deadline;               /* [general] drain_timeout after the signal */
	uint64_t stop_deadline;                /* clearing: calls still up are dropped then */
	size_t cleared_at_signal;              /* calls ADMIN_RELEASEd when the drain ended */
	int health;                            /* the OPTIONS answer now: 200, 503; 0 before */
	/* the legs */
	struct cwb_isdn *isdn;                 /* isdn.c */
	struct cws *sip;                    /* sipside.c */
	struct cwb_admission *adm;             /* sipside.c: who may call (admission.c) */
	char media_addr[64];                   /* c= of every SDP (media.c) */
	struct cwb_media *media;               /* media.c: RTP ports, the spans' B-channel audio */
	uint64_t sdp_session;
	/* calls.c */
	const struct cwb_leg_ops *legs[CWB_SIDE_COUNT];
	struct cwb_call *calls;                /* live and finished-but-not-reaped calls */
	size_t ncalls_linked;                  /* the calls on that list */
	struct cwb_call *overlap_calls;        /* those whose SETUP went out with overlap sending
	                                          (calls.h cwb_call_overlap_list()) */
	struct cwcom_heap timers;              /* their core deadlines (calls.c): room for an
	                                          entry per call on the list */
	struct cwcom_ptrmap calls_by_q;        /* isdn.c: the calls by their span call, with
	                                          room for one per call on the list */
	size_t ncalls_live;
	unsigned long next_call_id;
	struct cwb_resources *res;
	struct cwcdr_file *cdr;               /* [general] cdr_file, NULL if none */
	/* scrape.c: [general] metrics, NULL if none (metrics.c counts nothing then) */
	struct cwb_metrics *metrics;
	struct cwmet_http *scrape;
	struct cwcap *cap;                    /* [general] capture, NULL if none (main.c) */
};

#endif /* CWB_DAEMON_H */
