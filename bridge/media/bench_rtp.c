/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/bench_rtp.c — cw-rtp-bench: what RTP costs the daemon's one
 * core. N calls on 127.0.0.1 in pairs, each call sending one packet and
 * receiving one per 20 ms TDM tick through one epoll loop, with the
 * playout buffer and G.711 on both sides, as fast as the CPU goes. Prints,
 * per number of calls and per way of using the sockets (one recvmsg() a
 * packet, or recvmmsg(); ptime 10 with one sendmsg() a packet or
 * sendmmsg()), the median over the runs of the CPU time per 1000 packets,
 * the packets/s one core sustains, and the share of a core 96 000 packets/s
 * would take (960 calls at 50 packets/s each way).
 *
 *   cw-rtp-bench [--quick] [--runs R] [--ticks T] [--ports LOW-HIGH] [N...]
 *
 * A benchmark, not a test: --quick (the smoke run) only checks that every
 * packet sent was received, and exits 1 if not.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench_stats.h"
#include "rtp_session.h"

#define GOAL_PPS 96000.0
#define MAX_RUNS 15

struct mode {
	const char *name;
	unsigned ptime;
	bool mmsg;
};

static const struct mode modes[] = {
	{ "ptime 20, recvmsg", 20, false },
	{ "ptime 20, recvmmsg", 20, true },
	{ "ptime 10, sendmsg+recvmsg", 10, false },
	{ "ptime 10, sendmmsg+recvmmsg", 10, true },
};

static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One run: the packets handled (sent + received) and the CPU they took. 0 or -1. */
static int run_once(struct cwm_rtp_ports *ports, unsigned calls, const struct mode *m,
                    unsigned ticks, double *packets, double *ns, uint64_t *lost)
{
	struct cwm_rtp_session **s = calloc(calls, sizeof(*s));
	struct sockaddr_in any = { .sin_family = AF_INET };
	struct epoll_event ev, ready[256];
	int16_t pcm[CWM_JB_FRAME], out[CWM_JB_FRAME];
	uint64_t now = 0, sent = 0, received = 0;
	int ep = epoll_create1(EPOLL_CLOEXEC), err = 0;
	unsigned opened = 0;

	any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (unsigned i = 0; i < CWM_JB_FRAME; i++)
		pcm[i] = (int16_t)((i * 397) % 16000 - 8000);
	for (; opened < calls; opened++) {
		struct cwm_rtp_session_config cfg = {
			.ports = ports, .local = (struct sockaddr *)&any, .local_len = sizeof(any),
			.law = CWM_G711_ALAW, .event_pt = 101, .ptime_ms = m->ptime,
			.ssrc = 0x1000 + opened, .cname = "bench@127.0.0.1", .seed = opened + 1,
			.use_mmsg = m->mmsg,
		};
		int fd, rtcp_fd;

		err = cwm_rtp_session_new(&cfg, 0, &s[opened]);
		if (err) {
			fprintf(stderr, "cw-rtp-bench: call %u: %s\n", opened, strerror(-err));
			goto out;
		}
		cwm_rtp_session_fds(s[opened], &fd, &rtcp_fd);
		ev = (struct epoll_event){ .events = EPOLLIN, .data.ptr = s[opened] };
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	}
	for (unsigned i = 0; i + 1 < calls; i += 2) { /* pairs talk to each other */
		struct sockaddr_in to = any;

		to.sin_port = htons(cwm_rtp_session_port(s[i + 1]));
		cwm_rtp_session_set_remote(s[i], (struct sockaddr *)&to, sizeof(to));
		to.sin_port = htons(cwm_rtp_session_port(s[i]));
		cwm_rtp_session_set_remote(s[i + 1], (struct sockaddr *)&to, sizeof(to));
	}
	double t0 = cpu_ns();

	for (unsigned t = 0; t < ticks; t++, now += 20000) {
		struct cwm_rtp_session_stats st;
		int n;

		for (unsigned i = 0; i < calls; i++)
			cwm_rtp_session_put_frame(s[i], pcm, now);
		while ((n = epoll_wait(ep, ready, 256, 0)) > 0)
			for (int k = 0; k < n; k++)
				cwm_rtp_session_read_rtp(ready[k].data.ptr, now);
		for (unsigned i = 0; i < calls; i++) {
			cwm_rtp_session_get_frame(s[i], out);
			if (now >= cwm_rtp_session_deadline_us(s[i]))
				cwm_rtp_session_on_timer(s[i], now);
		}
		if (t + 1 == ticks)
			for (unsigned i = 0; i < calls; i++) {
				cwm_rtp_session_stats(s[i], now, &st);
				sent += st.packets_sent;
				received += st.packets_received;
			}
	}
	*ns = cpu_ns() - t0;
	*packets = (double)(sent + received);
	*lost = sent - received;
out:
	for (unsigned i = 0; i < opened; i++)
		cwm_rtp_session_free(s[i]);
	free(s);
	close(ep);
	return err ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned runs = 5, ticks = 500, counts[16], ncounts = 0;
	uint16_t low = 40000, high = 43999;
	bool quick = false;
	struct rlimit rl;
	struct cwm_rtp_ports *ports;
	int failed = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			quick = true;
		} else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			runs = (unsigned)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--ticks") == 0 && i + 1 < argc) {
			ticks = (unsigned)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--ports") == 0 && i + 1 < argc) {
			if (cwm_rtp_ports_parse(argv[++i], &low, &high) < 0) {
				fprintf(stderr, "cw-rtp-bench: bad range %s\n", argv[i]);
				return 2;
			}
		} else if (ncounts < 16 && atoi(argv[i]) >= 2) {
			counts[ncounts++] = (unsigned)atoi(argv[i]) & ~1u;
		} else {
			fprintf(stderr, "usage: cw-rtp-bench [--quick] [--runs R] [--ticks T] "
			                "[--ports LOW-HIGH] [CALLS...]\n");
			return 2;
		}
	}
	if (quick) {
		runs = 1;
		ticks = 50;
		if (ncounts == 0)
			counts[ncounts++] = 20;
	}
	if (ncounts == 0) {
		counts[ncounts++] = 96;
		counts[ncounts++] = 960;
	}
	if (runs < 1 || runs > MAX_RUNS || ticks < 10) {
		fprintf(stderr, "cw-rtp-bench: --runs 1..%d, --ticks >= 10\n", MAX_RUNS);
		return 2;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max; /* two sockets a call */
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (cwm_rtp_ports_new(low, high, &ports) < 0)
		return 2;
	printf("%-6s %-30s %14s %14s %12s\n", "calls", "sockets", "us/1000 pkt", "pkt/s a core",
	       "core @96k");
	for (unsigned c = 0; c < ncounts; c++) {
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			double per_k[MAX_RUNS], pps[MAX_RUNS];

			for (unsigned r = 0; r < runs; r++) {
				double packets, ns;
				uint64_t lost;

				if (run_once(ports, counts[c], &modes[m], ticks, &packets, &ns, &lost))
					return 1;
				if (lost) {
					fprintf(stderr, "cw-rtp-bench: %u calls, %s: %llu packets lost\n",
					        counts[c], modes[m].name, (unsigned long long)lost);
					failed = 1;
				}
				per_k[r] = ns / packets; /* ns a packet is us per 1000 */
				pps[r] = packets / (ns / 1e9);
			}
			double med_pps = bench_median(pps, runs);

			printf("%-6u %-30s %14.1f %14.0f %11.1f%%\n", counts[c], modes[m].name,
			       bench_median(per_k, runs), med_pps, 100.0 * GOAL_PPS / med_pps);
		}
	}
	cwm_rtp_ports_free(ports);
	return failed;
}
