/* SPDX-License-Identifier: MIT */
/*
 * causeway-pstn-sim — the PSTN for the demo and the tests: libpri (network
 * side by default) at the other end of a span socket, behaving per called
 * number as a rules file says, originating calls on command, and printing
 * one JSON line per finished call and per D-channel event. See README.md.
 *
 * This file holds the command line and the loop: one thread, one ppoll()
 * (libpri is not thread-safe, docs/libpri.md §6). The calls are
 * calls.c's, the commands control.c's, the JSON lines report.c's.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio.h"
#include "calls.h"
#include "control.h"
#include "rules.h"
#include "span_impl.h" /* the simulator drives libpri itself */

#define MAX_TIMERS 8
#define TIMER_ARG_MAX 64 /* bytes of one --timer NAME=VALUE, with the NUL */

struct options {
	const char *span_path, *rules_path, *report_path, *ctl_path, *tap_path, *audio_path;
	const char *law;        /* --law, NULL = the switch type's */
	const char *connected_name; /* --connected-name, NULL = none */
	const char *timers[MAX_TIMERS];
	int n_timers;
	int node, switchtype;
	int debug;
	long overlap_t302_ms;   /* --overlap T302_MS, 0 = off */
};

static volatile sig_atomic_t terminate;

/* LeakSanitizer: libpri 1.6 cannot free a struct pri (docs/libpri.md §5);
 * cwi_span_free() detaches it, this covers libpri's own allocations. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libpri.so\n";
}

static void on_signal(int sig)
{
	(void)sig;
	terminate = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: causeway-pstn-sim --span PATH --rules FILE [--switchtype euroisdn]\n"
	        "         [--node network|cpe] [--report FILE|-] [--control PATH]\n"
	        "         [--tap FILE.pcap] [--timer NAME=VALUE]... [--audio PATH]\n"
	        "         [--law alaw|ulaw] [--overlap T302_MS] [--connected-name NAME] [--debug]\n");
}

/* The command line into o. 0 to run, otherwise the exit status (after usage or an error). */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "span", required_argument, NULL, 's' },
		{ "rules", required_argument, NULL, 'r' },
		{ "switchtype", required_argument, NULL, 'w' },
		{ "node", required_argument, NULL, 'n' },
		{ "report", required_argument, NULL, 'o' },
		{ "control", required_argument, NULL, 'c' },
		{ "tap", required_argument, NULL, 't' },
		{ "timer", required_argument, NULL, 'T' },
		{ "audio", required_argument, NULL, 'a' },
		{ "law", required_argument, NULL, 'l' },
		{ "overlap", required_argument, NULL, 'O' },
		{ "connected-name", required_argument, NULL, 'N' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	memset(o, 0, sizeof(*o));
	o->report_path = "-";
	o->node = PRI_NETWORK;
	o->switchtype = PRI_SWITCH_EUROISDN_E1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (o->span_path) {
				fprintf(stderr, "causeway-pstn-sim: one --span per process for now\n");
				return 2;
			}
			o->span_path = optarg;
			break;
		case 'r':
			o->rules_path = optarg;
			break;
		case 'w':
			if (cwi_switchtype_from_name(optarg, &o->switchtype) < 0) {
				fprintf(stderr, "causeway-pstn-sim: unknown switchtype '%s' "
				        "(euroisdn, ni2, dms100, 4ess, 5ess, qsig, ni1)\n", optarg);
				return 2;
			}
			break;
		case 'n':
			if (strcmp(optarg, "network") == 0)
				o->node = PRI_NETWORK;
			else if (strcmp(optarg, "cpe") == 0)
				o->node = PRI_CPE;
			else {
				fprintf(stderr, "causeway-pstn-sim: --node network or cpe\n");
				return 2;
			}
			break;
		case 'o':
			o->report_path = optarg;
			break;
		case 'c':
			o->ctl_path = optarg;
			break;
		case 't':
			o->tap_path = optarg;
			break;
		case 'T':
			if (o->n_timers == MAX_TIMERS || !strchr(optarg, '=') ||
			    strlen(optarg) >= TIMER_ARG_MAX) {
				fprintf(stderr, "causeway-pstn-sim: --timer NAME=VALUE (at most 8)\n");
				return 2;
			}
			o->timers[o->n_timers++] = optarg;
			break;
		case 'a':
			o->audio_path = optarg;
			break;
		case 'l':
			o->law = optarg;
			break;
		case 'O': {
			char *end;

			o->overlap_t302_ms = strtol(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || o->overlap_t302_ms < 1 ||
			    o->overlap_t302_ms > 3600000) {
				fprintf(stderr, "causeway-pstn-sim: --overlap T302_MS (1-3600000)\n");
				return 2;
			}
			break;
		}
		case 'N':
			o->connected_name = optarg;
			break;
		case 'd':
			o->debug = 1;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!o->span_path || !o->rules_path || optind != argc) {
		usage(stderr);
		return 2;
	}
	return 0;
}

/* SIGTERM/SIGINT only inside ppoll(): no race between the check and the wait. */
static void block_signals(sigset_t *ret_unblocked)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(ret_unblocked);
}

/* Until SIGTERM / SIGINT: the span socket, the span, the control socket, the deadlines. */
/* The sooner of the calls' deadline (ms from now, -1 = none) and the audio clock's (absolute ns). */
static struct timespec *wait_time(int timeout_ms, int64_t audio_ns, struct timespec *ts)
{
	int64_t wait = timeout_ms >= 0 ? (int64_t)timeout_ms * 1000000 : -1;

	if (audio_ns >= 0) {
		int64_t until = audio_ns - sim_audio_now_ns();

		if (until < 0)
			until = 0;
		if (wait < 0 || until < wait)
			wait = until;
	}
	if (wait < 0)
		return NULL;
	ts->tv_sec = (time_t)(wait / 1000000000);
	ts->tv_nsec = (long)(wait % 1000000000);
	return ts;
}

static void run(int listen_fd, struct sim_calls *calls, struct sim_control *ctl,
                const struct sim_span_opts *span_opts, const sigset_t *unblocked)
{
	while (!terminate) {
		struct pollfd pfd[2 + SIM_CTL_POLLFDS + SIM_AUDIO_POLLFDS];
		int nfd = 0, span_idx = -1, ctl_idx, audio_idx;
		struct timespec ts, *tsp;

		pfd[nfd++] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
		if (calls->span && cwi_span_fd(calls->span) >= 0) {
			span_idx = nfd;
			pfd[nfd++] = (struct pollfd){ .fd = cwi_span_fd(calls->span), .events = POLLIN };
		}
		ctl_idx = nfd;
		sim_control_pollfds(ctl, &pfd[ctl_idx]);
		nfd += SIM_CTL_POLLFDS;
		audio_idx = nfd;
		sim_audio_pollfds(calls->audio, &pfd[audio_idx]);
		nfd += SIM_AUDIO_POLLFDS;
		tsp = wait_time(sim_calls_next_timeout_ms(calls, sim_mono_ms()),
		                sim_audio_next_ns(calls->audio), &ts);
		if (ppoll(pfd, (nfds_t)nfd, tsp, unblocked) < 0 && errno != EINTR) {
			perror("causeway-pstn-sim: ppoll");
			break;
		}
		if (terminate)
			break;
		if (pfd[0].revents & POLLIN) {
			struct cwi_dchan *d;

			if (cwi_dchan_socket_accept(listen_fd, &d) == 0 &&
			    sim_calls_attach(calls, d, span_opts) < 0) {
				fprintf(stderr, "causeway-pstn-sim: cannot create the span\n");
				break;
			}
		}
		if (span_idx >= 0 && pfd[span_idx].revents)
			cwi_span_on_readable(calls->span);
		sim_control_on_poll(ctl, &pfd[ctl_idx]);
		sim_audio_on_poll(calls->audio, &pfd[audio_idx]);
		sim_calls_run_due(calls, sim_mono_ms());
		sim_audio_run_due(calls->audio, sim_audio_now_ns());
	}
}

int main(int argc, char **argv)
{
	struct sim_span_opts span_opts;
	struct sim_audio audio;
	enum cwi_bchan_law law;
	struct sim_control ctl;
	struct sim_rules rules;
	struct sim_calls calls;
	struct options o;
	FILE *report = NULL, *tap = NULL;
	char err[512];
	sigset_t unblocked;
	int listen_fd = -1, rc, status = 1;

	rc = parse_options(argc, argv, &o);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	law = cwi_bchan_law_for_switchtype(o.switchtype);
	if (o.law && cwi_bchan_law_from_name(o.law, &law) < 0) {
		fprintf(stderr, "causeway-pstn-sim: --law alaw or ulaw\n");
		return 2;
	}
	memset(&rules, 0, sizeof(rules)); /* sim_rules_load() replaces what is there */
	if (sim_rules_load(&rules, o.rules_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "causeway-pstn-sim: %s\n", err);
		return 1;
	}
	(void)sim_audio_listen(&audio, NULL, law); /* no socket yet: sim_audio_close() is safe */
	sim_calls_init(&calls, &rules, NULL, o.debug);
	calls.law = law;
	calls.switchtype = o.switchtype; /* the channel range of commands before the first peer */
	calls.connected_name = o.connected_name;
	sim_control_init(&ctl, &calls);
	if (strcmp(o.report_path, "-") == 0) {
		report = stdout;
	} else if (!(report = fopen(o.report_path, "w"))) {
		fprintf(stderr, "causeway-pstn-sim: %s: %s\n", o.report_path, strerror(errno));
		goto out;
	}
	calls.report = report;
	if (o.tap_path && !(tap = fopen(o.tap_path, "wb"))) {
		fprintf(stderr, "causeway-pstn-sim: %s: %s\n", o.tap_path, strerror(errno));
		goto out;
	}
	listen_fd = cwi_dchan_socket_listen(o.span_path);
	if (listen_fd < 0) {
		fprintf(stderr, "causeway-pstn-sim: listen on %s: %s\n", o.span_path,
		        strerror(-listen_fd));
		goto out;
	}
	rc = sim_audio_listen(&audio, o.audio_path, law);
	if (rc < 0) {
		fprintf(stderr, "causeway-pstn-sim: listen on %s: %s\n", o.audio_path, strerror(-rc));
		goto out;
	}
	if (o.audio_path)
		calls.audio = &audio;
	if (o.ctl_path) {
		rc = sim_control_listen(&ctl, o.ctl_path);
		if (rc < 0) {
			fprintf(stderr, "causeway-pstn-sim: listen on %s: %s\n", o.ctl_path,
			        strerror(-rc));
			goto out;
		}
	}
	block_signals(&unblocked);
	span_opts = (struct sim_span_opts){ .node = o.node, .switchtype = o.switchtype, .tap = tap,
	                                    .timers = o.timers, .n_timers = o.n_timers };
	calls.t0 = sim_mono_ms();
	calls.overlap_t302_ms = o.overlap_t302_ms;

	run(listen_fd, &calls, &ctl, &span_opts, &unblocked);

	/* Report the calls still up, so no outcome is lost. */
	sim_calls_end_all(&calls, "shutdown");
	status = 0;
out:
	cwi_span_free(calls.span); /* libpri keeps its struct pri (docs/libpri.md §5) */
	if (report) {
		fflush(report);
		if (report != stdout)
			fclose(report);
	}
	if (tap)
		fclose(tap);
	sim_control_close(&ctl);
	sim_audio_close(&audio);
	if (listen_fd >= 0) {
		close(listen_fd);
		unlink(o.span_path);
	}
	sim_rules_free(&rules);
	return status;
}
