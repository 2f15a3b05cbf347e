/* SPDX-License-Identifier: MIT */
/*
 * loop.c — one thread, one epoll loop (libpri-libosip2.md §2): the SIP
 * adapter's fd, every span's D-channel fd and a signalfd. The timeout is
 * the earliest of the SIP timers, libpri's timers, the core's deadlines and
 * the reconnect retries. After every wake-up: libpri timers and reconnects,
 * SIP timers, due core timers, then cw_sip_process() to send what the
 * actions queued (bridge/sip/sip.h), then finished calls are freed.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"

#define SHUTDOWN_MS 2000        /* calls get this long to clear at SIGTERM */
#define MAX_WAIT_MS 5000

uint64_t cwb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int cwb_epoll_span(struct cwb *d, struct cwb_span *sp, int fd)
{
	struct epoll_event ev;

	if (sp->fd >= 0) {
		(void)epoll_ctl(d->epfd, EPOLL_CTL_DEL, sp->fd, NULL);
		sp->fd = -1;
	}
	if (fd < 0)
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLPRI; /* DAHDI signals events with POLLPRI (dahdi.md §1.3) */
	ev.data.u64 = CWB_TAG_SPAN + sp->index;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -1;
	sp->fd = fd;
	return 0;
}

void cwb_check_ready(struct cwb *d)
{
	size_t i;

	if (d->ready_logged || !d->sip)
		return;
	for (i = 0; i < d->nspans; i++)
		if (!d->spans[i].up_once)
			return;
	d->ready_logged = 1;
	cwb_notice("ready");
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

	min_timeout(&best, cw_sip_next_timeout_ms(d->sip));
	min_timeout(&best, cwb_spans_next_timeout(d, now));
	if (dl)
		min_timeout(&best, dl > now ? (long long)(dl - now) : 0);
	if (d->stopping)
		min_timeout(&best, d->stop_deadline > now ? (long long)(d->stop_deadline - now) : 0);
	return best;
}

static void on_signal(struct cwb *d, size_t *cleared)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			/* docs/cdr.md: log rotation — rename the file, then SIGHUP */
			int r = d->cdr ? cw_cdr_file_reopen(d->cdr) : 0;

			if (r < 0)
				cwb_error("SIGHUP: cannot reopen the CDR file (%s): still writing the old one",
				          strerror(-r));
			else if (d->cdr)
				cwb_notice("SIGHUP: CDR file reopened");
			continue;
		}
		if (si.ssi_signo != SIGTERM && si.ssi_signo != SIGINT)
			continue;
		if (d->stopping)
			continue;
		cwb_notice("signal %u: clearing %zu calls", si.ssi_signo, d->ncalls_live);
		d->stopping = 1;
		d->stop_deadline = cwb_now_ms() + SHUTDOWN_MS;
		/* CONTRACT.md: ADMIN_RELEASE to every call, then wait for them. */
		*cleared = cwb_calls_admin_release(d);
	}
}

static void wake_up(struct cwb *d)
{
	uint64_t now = cwb_now_ms();

	cwb_spans_tick(d, now);
	(void)cw_sip_on_timeout(d->sip);
	cwb_calls_run_timers(d, cwb_now_ms());
	(void)cw_sip_process(d->sip);
	cwb_calls_reap(d);
}

/*
 * OPTIONS health (issue 4 §5): 200 while at least one span is up with a free
 * B-channel, 503 otherwise (and while shutting down), so a dispatcher
 * probing with OPTIONS routes around a gateway that cannot take a call.
 */
static void update_health(struct cwb *d)
{
	int status = 503;

	for (size_t i = 0; i < d->nspans && !d->stopping; i++) {
		const struct cwb_span *sp = &d->spans[i];

		if (sp->up && (sp->cfg->bchannels & ~sp->busy) != 0) {
			status = 200;
			break;
		}
	}
	if (status == d->health)
		return;
	d->health = status;
	(void)cw_sip_set_options_status(d->sip, status, d->cfg->sip.retry_after);
	cwb_notice("health: OPTIONS now answered %d (%s)", status,
	           status == 200 ? "a span is up with a free B-channel"
	                         : d->stopping ? "shutting down" : "no span up with a free B-channel");
}

int cwb_run(struct cwb *d)
{
	struct epoll_event evs[32];
	size_t cleared = 0;
	int i, n;

	for (;;) {
		uint64_t now = cwb_now_ms();

		if (d->stopping && (d->ncalls_live == 0 || now >= d->stop_deadline))
			break;
		update_health(d);
		n = epoll_wait(d->epfd, evs, (int)(sizeof(evs) / sizeof(evs[0])), next_timeout(d, now));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			cwb_error("epoll_wait: %s", strerror(errno));
			return 1;
		}
		for (i = 0; i < n; i++) {
			uint64_t tag = evs[i].data.u64;

			if (tag == CWB_TAG_SIP)
				(void)cw_sip_on_readable(d->sip);
			else if (tag == CWB_TAG_SIGNAL)
				on_signal(d, &cleared);
			else if (tag >= CWB_TAG_SPAN && tag - CWB_TAG_SPAN < d->nspans)
				cwb_span_readable(&d->spans[tag - CWB_TAG_SPAN]);
		}
		wake_up(d);
	}
	if (d->ncalls_live) {
		/* 2 s passed: a second ADMIN_RELEASE forgets calls still clearing
		 * (the core's GUARD rows: "operator: forget the call"). */
		cwb_warning("shutdown: %zu calls did not clear in %d ms", d->ncalls_live, SHUTDOWN_MS);
		(void)cwb_calls_admin_release(d);
		(void)cw_sip_process(d->sip);
		cwb_calls_reap(d);
	}
	cwb_notice("shutdown: %zu calls cleared", cleared);
	return 0;
}
