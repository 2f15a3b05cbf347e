/* SPDX-License-Identifier: MIT */
/*
 * daemon.h — the shared state of causeway-bridge: one thread, one epoll
 * loop, N spans (bridge/pri), the SIP adapter (bridge/sip) and one
 * cw_call (bridge/core) per call deciding everything. Internal to the
 * executable; every name starts with cwb_.
 *
 *   main.c     options, config, pidfile, exit codes
 *   loop.c     epoll, signalfd, timeouts, shutdown
 *   calls.c    the bridge call: core events in, actions dispatched, timers, the end line
 *   isdn.c     spans: D-channel sources, reconnect, libpri events <-> core
 *   sipside.c  cw_sip events <-> core, SDP
 *   route.c    number rewriting and hunting (pure)
 *   identity.c caller identity: From, P-Asserted-Identity, Privacy <-> Q.931 (pure)
 *   sdp.c      the B-channel SDP (pure)
 *   log.c      the log lines of CONTRACT.md
 */
#ifndef CW_BRIDGE_DAEMON_H
#define CW_BRIDGE_DAEMON_H

#include <stddef.h>
#include <stdint.h>

#include "call.h"
#include "cdr.h"
#include "config.h"
#include "sip.h"
#include "span.h"

/* ---- log.c ---- */

extern enum cw_bridge_log_level cwb_log_level;

#if defined(__GNUC__)
#define CWB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CWB_PRINTF(a, b)
#endif

/* cwb_log() - "causeway-bridge: LEVEL: TEXT" on stderr, one write per line. */
void cwb_log(enum cw_bridge_log_level level, const char *fmt, ...) CWB_PRINTF(2, 3);

#define cwb_error(...) cwb_log(CW_BRIDGE_LOG_ERROR, __VA_ARGS__)
#define cwb_warning(...) cwb_log(CW_BRIDGE_LOG_WARNING, __VA_ARGS__)
#define cwb_notice(...) cwb_log(CW_BRIDGE_LOG_NOTICE, __VA_ARGS__)
#define cwb_info(...) cwb_log(CW_BRIDGE_LOG_INFO, __VA_ARGS__)
#define cwb_debug(...) cwb_log(CW_BRIDGE_LOG_DEBUG, __VA_ARGS__)

/* ---- the daemon ---- */

struct cwb;

struct cwb_span {
	struct cwb *d;
	size_t index;                   /* in cfg->spans and d->spans */
	const struct cw_bridge_span *cfg;
	struct cw_span *span;           /* created once, never freed before exit */
	struct cw_dchan *src;           /* the attached source (owned by span), NULL if none */
	int node;                       /* PRI_CPE or PRI_NETWORK */
	int alaw;                       /* G.711 A-law (euroisdn, qsig) */
	int l2_up;                      /* libpri reported DCHAN_UP and no DCHAN_DOWN since */
	int up;                         /* l2_up and a source without alarm: calls allowed */
	int up_once;
	int fd;                         /* fd in the epoll set, -1 if none */
	uint64_t retry_at;              /* next source (re)open, monotonic ms; 0 = none */
	int open_error;                 /* last open errno logged (log each change once) */
	unsigned long busy;             /* B-channels in use (bit n = channel n) */
};

#define CWB_MAX_TRIED 8 /* channels tried per call (cause 44 re-hunts) */

#define CWB_EVENT_QUEUE 4
#define CWB_URI_MAX 320
#define CWB_TARGET_MAX CW_CALL_TARGET_MAX
#define CWB_MAX_URIS (CW_BRIDGE_MAX_TARGETS + 4) /* the targets and 3 redirects (core) */

struct cwb_call {
	struct cwb_call *next, *prev;
	struct cwb *d;
	unsigned long id;
	struct cw_call *core;
	enum cw_call_dir dir;
	int finished;                   /* CALL_FINISHED done: waits for cwb_calls_reap() */
	/* ISDN leg */
	struct cwb_span *span;          /* NULL: no span (refused before hunting) */
	int channel;                    /* 0: none */
	q931_call *q;                   /* libpri's call, NULL when libpri has freed it */
	int cref;                       /* libpri form (CRV | 0x8000 if we originated), -1 unknown */
	int q_hung;                     /* pri_hangup() called at least once */
	int q_release_rcvd;             /* HANGUP (RELEASE) received: pri_hangup frees it */
	struct { size_t span; int channel; } tried[CWB_MAX_TRIED];
	size_t ntried;
	/* SIP leg */
	cw_sip_call *sc;
	const struct cw_bridge_route *route;
	/* ISDN->SIP failover (sipside.c): targets tried (bit i = route->targets[i]), the one of
	   the INVITE out (-1: a 3xx Contact), the Contact to follow next, every URI tried */
	unsigned targets_tried;
	int target;
	char redirect_uri[CWB_URI_MAX];
	char uris[CWB_MAX_URIS][CWB_URI_MAX];
	size_t nuris;
	/* core timers: absolute monotonic ms, 0 = not running */
	uint64_t deadline[CW_TIMER_COUNT];
	/* events produced while performing actions, fed after them */
	struct cw_call_event queue[CWB_EVENT_QUEUE];
	size_t nqueue;
	int feeding;
	/* for the end line and the CDR */
	char called[CW_CALL_NUMBER_MAX], calling[CW_CALL_NUMBER_MAX];
	const cw_profile *profile;
	int64_t t_start_wall;           /* ms since the epoch */
};

struct cwb {
	const struct cw_bridge_config *cfg;
	cw_sip *sip;
	struct cwb_span *spans;
	size_t nspans;
	struct cwb_call *calls;         /* live and finished-but-not-reaped calls */
	size_t ncalls_live;
	unsigned long next_call_id;
	int epfd, sigfd;
	int ready_logged;
	int stopping;
	uint64_t stop_deadline;
	char media_addr[64];            /* c= of every SDP */
	struct cw_cdr_file *cdr;        /* [general] cdr_file, NULL if none */
	/* per route (index in cfg->routes), per target: a 503 Retry-After puts the target
	   aside until this cwb_now_ms() (RFC 3261 §21.5.4); 0 = usable */
	uint64_t (*target_skip)[CW_BRIDGE_MAX_TARGETS];
	int health;                     /* the OPTIONS answer now: 200, 503; 0 before the loop */
	uint64_t sdp_session;
};

/* ---- loop.c ---- */

/* epoll data tags */
#define CWB_TAG_SIP 1u
#define CWB_TAG_SIGNAL 2u
#define CWB_TAG_SPAN 16u /* + span index */

/* cwb_now_ms() - CLOCK_MONOTONIC in ms: the core's now_ms and every daemon deadline. */
uint64_t cwb_now_ms(void);
/* cwb_epoll_set() - add (fd >= 0) or remove a span's fd. 0 or -1. */
int cwb_epoll_span(struct cwb *d, struct cwb_span *sp, int fd);
/* cwb_run() - the loop, until a signal's shutdown is over. 0, or 1 on a fatal error. */
int cwb_run(struct cwb *d);
/* cwb_check_ready() - log "ready" once SIP is bound and every span was up once. */
void cwb_check_ready(struct cwb *d);

/* ---- calls.c ---- */

/* cwb_call_new() - a call with its cw_call, linked into d. NULL on failure (logged). */
struct cwb_call *cwb_call_new(struct cwb *d, enum cw_call_dir dir, struct cwb_span *profile_span);
/* cwb_call_feed() - one event into the core; actions performed; queued follow-ups fed. */
void cwb_call_feed(struct cwb_call *c, const struct cw_call_event *ev);
/* cwb_call_queue() - an event to feed after the actions being performed. */
void cwb_call_queue(struct cwb_call *c, const struct cw_call_event *ev);
/* cwb_calls_next_deadline() - the earliest core timer, or 0. */
uint64_t cwb_calls_next_deadline(const struct cwb *d);
/* cwb_calls_run_timers() - feed TIMER_EXPIRED for every due timer. */
void cwb_calls_run_timers(struct cwb *d, uint64_t now);
/* cwb_calls_reap() - free finished calls (releases their SIP handles). */
void cwb_calls_reap(struct cwb *d);
/* cwb_calls_admin_release() - CW_EV_ADMIN_RELEASE to every live call; returns how many. */
size_t cwb_calls_admin_release(struct cwb *d);
/* cwb_calls_free_all() - free every call, finished or not (exit). */
void cwb_calls_free_all(struct cwb *d);

/* ---- isdn.c ---- */

/* cwb_spans_start() - create every span; 0, or 1 (fatal: logged, exit 1). */
int cwb_spans_start(struct cwb *d);
/* cwb_span_readable() - the span's fd is readable. */
void cwb_span_readable(struct cwb_span *sp);
/* cwb_spans_tick() - libpri timers, reconnects, alarms; after every wake-up. */
void cwb_spans_tick(struct cwb *d, uint64_t now);
/* cwb_spans_next_timeout() - ms until libpri or a reconnect needs us; -1 none. */
int cwb_spans_next_timeout(struct cwb *d, uint64_t now);
/* cwb_spans_free() - close the sources (struct pri stays: libpri cannot free it). */
void cwb_spans_free(struct cwb *d);
/* Route and hunt a call from SIP: fills ev->reject_cause or c->span/channel. other_span:
 * spans this call tried already are left out (hunting the next span of the group). */
void cwb_isdn_hunt(struct cwb_call *c, const char *group, int other_span,
                   struct cw_call_event *ev);
/* ISDN actions of the core. */
void cwb_isdn_action(struct cwb_call *c, const struct cw_call_action *a);
/* The call is finished: free the channel, forget the cref, let libpri clear. */
void cwb_isdn_call_finished(struct cwb_call *c, const struct cw_call_summary *s);

/* ---- sipside.c ---- */

/* cwb_sip_start() - bind SIP; 0, or 1 (fatal: logged). */
int cwb_sip_start(struct cwb *d);
/* SIP actions of the core. */
void cwb_sip_action(struct cwb_call *c, const struct cw_call_action *a);
/* cwb_identity_log() - CONTRACT.md "call ID: identity source=... calling=...
   presentation=... screening=... name=..." for a call's calling party. */
void cwb_identity_log(const struct cwb_call *c, const struct cw_call_party *p, const char *source);

/* cwb_sip_target_skip() - the skip-until times of a route's targets (NULL if none). */
uint64_t *cwb_sip_target_skip(struct cwb *d, const struct cw_bridge_route *route);
/* cwb_sip_target_next() - the target a new INVITE of c would go to now, or -1. */
int cwb_sip_target_next(struct cwb_call *c);
/* cwb_sip_sdp() - the SDP of the call's B-channel into buf; 0 or -1. */
int cwb_sip_sdp(struct cwb_call *c, char *buf, size_t len);

#endif
