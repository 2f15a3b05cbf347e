/* SPDX-License-Identifier: MIT */
/*
 * loop.c — one thread, one epoll loop (docs/libpri.md §6): the fds the
 * legs watch (the SIP adapter's, every span's D-channel) and a signalfd.
 * The loop owns the clock: it reads CLOCK_MONOTONIC once per wake-up and
 * passes that now down. The timeout is the earliest of the SIP timers,
 * libpri's timers, the core's deadlines and the reconnect retries. After
 * every wake-up: libpri timers and reconnects, SIP timers, due core
 * timers, then the SIP adapter sends what the actions queued
 * (bridge/sip/sip.h), then finished calls are freed.
 *
 * The service manager hears from the loop too (sd_notify(3), README.md
 * "Running under systemd"): READY=1 with the "ready" line, STATUS= when the
 * spans up or the calls change, RELOADING=1 ... READY=1 around a SIGHUP,
 * STOPPING=1 at SIGTERM/SIGINT (the drain), WATCHDOG=1 every half of
 * $WATCHDOG_USEC. Built without libsystemd, it says nothing.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#if defined(CWB_HAVE_LIBSYSTEMD)
#include <systemd/sd-daemon.h>
#endif

#include "calls.h"
#include "capture/capture.h"
#include "cdr.h"
#include "heap.h"
#include "isdn.h"
#include "log.h"
#include "loop.h"
#include "reload.h"
#include "resources.h"
#include "scrape.h"
#include "sipside.h"

#define SHUTDOWN_MS 2000        /* calls get this long to clear after the drain */
#define MAX_WAIT_MS 5000
#define CWB_LOOP_MAX_BCHANNELS 31 /* an E1's B-channels (Q.931 channel numbers 1..31) */

/* What the service manager was last told; one loop per process. */
static struct {
	uint64_t watchdog_every_ms;     /* 0: no watchdog */
	uint64_t watchdog_next_ms;
	size_t spans_up, calls;
	int status_sent;
} service;

/* The heap after a load peak (heap.h): trimmed when the loop is idle. */
static struct cwb_heap heap;

struct cwb_watch {
	int fd;                 /* -1: a free slot */
	cwb_readable_fn *fn;
	void *arg;
};

/* The loop's clock: CLOCK_MONOTONIC for the core's now_ms and every deadline,
 * CLOCK_REALTIME for the CDR's start time. */
static void clock_read(struct cwb *d)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	d->now_ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	clock_gettime(CLOCK_REALTIME, &ts);
	d->now_wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int watch(struct cwb *d, int fd, uint32_t events, cwb_readable_fn *fn, void *arg)
{
	struct epoll_event ev;
	struct cwb_watch *w = NULL;

	for (size_t i = 0; i < d->nwatches; i++)
		if (d->watches[i].fd < 0) {
			w = &d->watches[i];
			break;
		}
	if (!w) {
		errno = ENOSPC;
		return -1;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = w;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -1;
	w->fd = fd;
	w->fn = fn;
	w->arg = arg;
	return 0;
}

static void unwatch(struct cwb *d, int fd)
{
	for (size_t i = 0; i < d->nwatches; i++)
		if (d->watches[i].fd == fd) {
			(void)epoll_ctl(d->epfd, EPOLL_CTL_DEL, fd, NULL);
			d->watches[i].fd = -1;
			d->watches[i].fn = NULL;
			return;
		}
}

static const struct cwb_fd_ops fd_ops = { watch, unwatch };

/* sd_notify(3): a no-op without libsystemd or outside a service ($NOTIFY_SOCKET unset). */
static void service_notify(const char *state)
{
#if defined(CWB_HAVE_LIBSYSTEMD)
	(void)sd_notify(0, state);
#else
	(void)state;
#endif
}

/* sd_watchdog_enabled(3): $WATCHDOG_USEC (and $WATCHDOG_PID, if set, is us). */
static void service_watchdog_setup(uint64_t now)
{
#if defined(CWB_HAVE_LIBSYSTEMD)
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000) {
		service.watchdog_every_ms = usec / 2000; /* half WatchdogSec=, in ms */
		service.watchdog_next_ms = now;
	}
#else
	(void)now;
#endif
}

static void service_watchdog(uint64_t now)
{
	if (!service.watchdog_every_ms || now < service.watchdog_next_ms)
		return;
	service_notify("WATCHDOG=1");
	service.watchdog_next_ms = now + service.watchdog_every_ms;
}

/* STATUS= "2 spans up, 3 calls" ("starting: " before READY=1, ", shutting down" after
 * SIGTERM), sent when either number changes. */
static void service_status(struct cwb *d)
{
	size_t up = cwb_resources_spans_up(d->res);
	char line[128];

	if (service.status_sent && up == service.spans_up && d->ncalls_live == service.calls)
		return;
	service.status_sent = 1;
	service.spans_up = up;
	service.calls = d->ncalls_live;
	(void)snprintf(line, sizeof(line), "STATUS=%s%zu span%s up, %zu call%s%s",
	               d->ready_logged ? "" : "starting: ", up, up == 1 ? "" : "s",
	               d->ncalls_live, d->ncalls_live == 1 ? "" : "s",
	               !d->stopping ? "" : d->clearing ? " left, shutting down"
	                                               : " left, shutting down (draining)");
	service_notify(line);
}

static void on_signal(void *arg, uint64_t now);

int cwb_loop_open(struct cwb *d)
{
	sigset_t set;

	d->epfd = d->sigfd = -1;
	d->fd_ops = &fd_ops;
	clock_read(d);
	/* the signalfd, SIP, the metrics server, one per span; per span its audio socket, and
	   per B-channel a DAHDI audio fd and a call's RTP and RTCP (media.c) */
	d->nwatches = 3 + d->cfg->n_spans * (2 + 3 * CWB_LOOP_MAX_BCHANNELS);
	d->watches = calloc(d->nwatches, sizeof(*d->watches));
	if (!d->watches) {
		cwb_error("out of memory");
		return 1;
	}
	for (size_t i = 0; i < d->nwatches; i++)
		d->watches[i].fd = -1;
	/* SIGTERM/SIGINT through a signalfd in the loop; SIGPIPE never kills us. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0 ||
	    (d->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		cwb_error("signalfd/epoll: %s", strerror(errno));
		return 1;
	}
	if (watch(d, d->sigfd, EPOLLIN, on_signal, d) < 0) {
		cwb_error("epoll_ctl: %s", strerror(errno));
		return 1;
	}
	service_watchdog_setup(d->now_ms);
	return 0;
}

void cwb_loop_close(struct cwb *d)
{
	if (d->epfd >= 0)
		close(d->epfd);
	if (d->sigfd >= 0)
		close(d->sigfd);
	d->epfd = d->sigfd = -1;
	free(d->watches);
	d->watches = NULL;
	d->nwatches = 0;
}

void cwb_check_ready(struct cwb *d)
{
	if (d->ready_logged || !d->sip || !cwb_isdn_every_span_up_once(d))
		return;
	d->ready_logged = 1;
	cwb_notice("ready");
	service_notify("READY=1");
	service.status_sent = 0; /* no longer "starting: " */
	service_status(d);
}

static void min_timeout(int *best, long long t)
{
	if (t < 0)
		return;
	if (t > MAX_WAIT_MS)
		t = MAX_WAIT_MS;
	if (*best < 0 || t < *best)
		*best = (int)t;
}

static int next_timeout(struct cwb *d, uint64_t now)
{
	int best = MAX_WAIT_MS;
	uint64_t dl = cwb_calls_next_deadline(d);

	min_timeout(&best, cwb_sip_next_timeout(d));
	min_timeout(&best, cwb_isdn_next_timeout(d, now));
	min_timeout(&best, cwb_scrape_next_timeout(d));
	if (dl)
		min_timeout(&best, dl > now ? (long long)(dl - now) : 0);
	if (d->stopping) {
		uint64_t until = d->clearing ? d->stop_deadline : d->drain_deadline;

		min_timeout(&best, until > now ? (long long)(until - now) : 0);
	}
	if (service.watchdog_every_ms)
		min_timeout(&best, service.watchdog_next_ms > now
		                           ? (long long)(service.watchdog_next_ms - now) : 0);
	return best;
}

/* The drain is over (README.md "Drain"): ADMIN_RELEASE (cause 16) to every call still up;
 * they get SHUTDOWN_MS to clear. */
static void drain_end(struct cwb *d, uint64_t now, const char *why)
{
	if (d->clearing)
		return;
	d->clearing = 1;
	service.status_sent = 0;
	if (d->ncalls_live)
		cwb_notice("drain: %s: clearing %zu call%s", why, d->ncalls_live,
		           d->ncalls_live == 1 ? "" : "s");
	d->stop_deadline = now + SHUTDOWN_MS;
	d->cleared_at_signal = cwb_calls_admin_release(d, now);
}

/* SIGTERM, SIGINT (README.md "Drain"): no new call (OPTIONS 503, INVITE 503 + cause 42,
 * SETUP cause 42), the calls up may end by themselves for [general] drain_timeout; a
 * second signal ends the drain at once. */
static void drain_start(struct cwb *d, unsigned signo, uint64_t now)
{
	unsigned timeout = d->cfg->general.drain_timeout;

	if (d->stopping) {
		drain_end(d, now, "second signal");
		return;
	}
	cwb_notice("signal %u: draining %zu call%s for %u s", signo, d->ncalls_live,
	           d->ncalls_live == 1 ? "" : "s", timeout);
	service_notify("STOPPING=1");
	d->stopping = 1;
	service.status_sent = 0; /* STATUS= says "shutting down" */
	d->drain_deadline = now + (uint64_t)timeout * 1000u;
	/* RFC 3261 §10.2.2: remove our bindings at the registrars, so no trunk sends more */
	(void)cwb_sip_unregister(d);
	if (timeout == 0)
		drain_end(d, now, "drain_timeout 0");
}

/* SIGHUP: the capture file again (after logrotate's rename: a new one). */
static void capture_reopen(struct cwb *d)
{
	int r;

	if (!d->cap || !d->cfg->general.capture)
		return; /* none, or HEP only */
	r = cwcap_reopen(d->cap);
	if (r < 0)
		cwb_error("SIGHUP: cannot reopen the capture file (%s): capture stopped",
		          strerror(-r));
	else
		cwb_notice("SIGHUP: capture file reopened");
}

/* SIGHUP (README.md "Reload"), step by step. */
static void on_sighup(struct cwb *d, uint64_t now)
{
	/* systemd's reload protocol: only once READY=1 was sent, never after STOPPING=1 */
	int tell = d->ready_logged && !d->stopping;
	char line[64];
	int r;

	/* 1. the service manager: reloading (sd_notify(3) RELOADING=1, MONOTONIC_USEC) */
	if (tell) {
		(void)snprintf(line, sizeof(line), "RELOADING=1\nMONOTONIC_USEC=%llu",
		               (unsigned long long)now * 1000u);
		service_notify(line);
	}
	/* 2. the CDR file (docs/cdr.md: log rotation, rename the file, then SIGHUP) */
	r = d->cdr ? cwcdr_file_reopen(d->cdr) : 0;
	if (r < 0)
		cwb_error("SIGHUP: cannot reopen the CDR file (%s): still writing the old one",
		          strerror(-r));
	else if (d->cdr)
		cwb_notice("SIGHUP: CDR file reopened");
	/* 3. the capture file (bridge/capture/README.md: rename it, then SIGHUP) */
	capture_reopen(d);
	/* 4. the configuration: new calls take it, calls up keep theirs */
	if (cwb_reload_config(d) == 0 && d->health)
		cwb_sip_set_health(d, d->health); /* OPTIONS 503: the new retry_after */
	/* 5. the service manager: ready again */
	if (tell) {
		service_notify("READY=1");
		service.status_sent = 0;
		service_status(d);
	}
}

static void on_signal(void *arg, uint64_t now)
{
	struct cwb *d = arg;
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			on_sighup(d, now);
		else if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			drain_start(d, si.ssi_signo, now);
	}
}

static void wake_up(struct cwb *d)
{
	clock_read(d);
	cwb_isdn_tick(d, d->now_ms);
	cwb_sip_run_timers(d);
	clock_read(d);
	cwb_calls_run_timers(d, d->now_ms);
	cwb_sip_flush(d);
	cwb_sip_overload_report(d, d->now_ms);
	cwb_calls_reap(d);
	cwb_scrape_run(d);
	cwb_check_ready(d);
	service_status(d);
	service_watchdog(d->now_ms);
}

/*
 * OPTIONS health: 200 while at least one span is up with a free B-channel, 503 otherwise
 * (and while shutting down), so a dispatcher probing with OPTIONS routes around a gateway
 * that cannot take a call.
 */
static void update_health(struct cwb *d)
{
	int status = !d->stopping && cwb_resources_usable(d->res) ? 200 : 503;

	if (status == d->health)
		return;
	d->health = status;
	cwb_sip_set_health(d, status);
	cwb_notice("health: OPTIONS now answered %d (%s)", status,
	           status == 200 ? "a span is up with a free B-channel"
	                         : d->stopping ? "shutting down" : "no span up with a free B-channel");
}

int cwb_run(struct cwb *d)
{
	struct epoll_event evs[32];
	int i, n;

	for (;;) {
		clock_read(d);
		if (d->stopping && !d->clearing &&
		    (d->ncalls_live == 0 || d->now_ms >= d->drain_deadline))
			drain_end(d, d->now_ms, "drain_timeout passed");
		if (d->clearing) {
			cwb_sip_flush(d);
			cwb_calls_reap(d);
			service_status(d);
		}
		if (d->clearing && ((d->ncalls_live == 0 && !cwb_sip_unregistering(d)) ||
		                    d->now_ms >= d->stop_deadline))
			break;
		update_health(d);
		n = epoll_wait(d->epfd, evs, (int)(sizeof(evs) / sizeof(evs[0])),
		               next_timeout(d, d->now_ms));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			cwb_error("epoll_wait: %s", strerror(errno));
			return 1;
		}
		clock_read(d);
		for (i = 0; i < n; i++) {
			struct cwb_watch *w = evs[i].data.ptr;

			/* a leg may have stopped watching an fd earlier in this batch */
			if (w && w->fd >= 0 && w->fn)
				w->fn(w->arg, d->now_ms);
		}
		wake_up(d);
		if (n == 0) /* the timeout: nothing was readable */
			(void)cwb_heap_idle(&heap, d->now_ms);
	}
	if (d->ncalls_live) {
		/* SHUTDOWN_MS passed: a second ADMIN_RELEASE forgets calls still clearing
		 * (the core's GUARD rows: "operator: forget the call"). */
		cwb_warning("shutdown: %zu calls did not clear in %d ms", d->ncalls_live, SHUTDOWN_MS);
		(void)cwb_calls_admin_release(d, d->now_ms);
		cwb_sip_flush(d);
		cwb_calls_reap(d);
	}
	cwb_notice("shutdown: %zu calls cleared", d->cleared_at_signal);
	return 0;
}
