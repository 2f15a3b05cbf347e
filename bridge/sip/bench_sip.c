/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/bench_sip.c — cw-sip-bench: does the cost of a SIP message grow
 * with the transactions still lingering? A benchmark, not a test (docs/libosip2.md
 * §1.2: libosip2 finds a transaction by scanning a list; the adapter shards
 * the transactions over several osip_t by branch hash).
 *
 * It sends OPTIONS requests, each with a new branch, over UDP loopback to a
 * cws and lets it handle each one (cws_on_readable) before sending the
 * next. Every OPTIONS leaves a server transaction in Completed for Timer J
 * (64*T1 = 32 s over UDP, RFC 3261 §17.2.2), so after n messages n
 * transactions linger, as at n/32 calls/s (kept as records of linger.h, not
 * as libosip2 transactions, README "Lingering transactions"). The time per message is taken
 * over the first and the last batch of a run; each configuration is run
 * several times and the medians printed, with their ratio (last / first):
 * 1.0 means the cost does not grow with the lingering transactions.
 *
 *   cw-sip-bench [MESSAGES [RUNS]]       (default 32000 messages, 5 runs)
 *   CW_BENCH_SHARDS=N cw-sip-bench ...   (only the row of N shards, e.g. under perf)
 *
 * Run it from an optimized build on an otherwise idle machine; the figures
 * are for comparing configurations on one machine, not absolute.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "bench_stats.h"
#include "sip.h"

#define BATCH 1000u
#define MAX_RUNS 15u

static void on_event(void *user, const struct cws_call_event *ev)
{
	(void)user;
	(void)ev; /* OPTIONS only: no call events */
}

static int send_options(int fd, unsigned port, unsigned from_port, unsigned long seq)
{
	char msg[512];
	int len = snprintf(msg, sizeof(msg),
		"OPTIONS sip:bench@127.0.0.1:%u SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKbench%lu\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:bench@127.0.0.1>;tag=b%lu\r\n"
		"To: <sip:bench@127.0.0.1>\r\n"
		"Call-ID: bench-%lu@127.0.0.1\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"Content-Length: 0\r\n\r\n",
		port, from_port, seq, seq, seq);

	return send(fd, msg, (size_t)len, 0) == len ? 0 : -1;
}

static void drain(int fd)
{
	char buf[2048];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

/* One run: ns per message over the first and the last batch, and the
 * transactions still live or lingering at the end. */
static int run_once(unsigned shards, unsigned long messages, double *first, double *last,
		    unsigned long *live)
{
	struct cws_config cfg = { .address = "127.0.0.1", .shards = shards,
				     .on_event = on_event };
	struct sockaddr_in to = { .sin_family = AF_INET }, me;
	socklen_t melen = sizeof(me);
	struct cws_stats st;
	cws *sip = NULL;
	int fd, rc = -1;
	double t0 = 0;

	if (cws_new(&sip, &cfg) != 0) {
		fprintf(stderr, "cw-sip-bench: cws_new failed: %s\n", strerror(errno));
		return -1;
	}
	to.sin_port = htons((uint16_t)cws_port(sip));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&me, &melen) != 0)
		goto out;
	for (unsigned long i = 0; i < messages; i++) {
		if (i % BATCH == 0)
			t0 = bench_now_ns();
		if (send_options(fd, cws_port(sip), ntohs(me.sin_port), i) != 0 ||
		    cws_on_readable(sip) < 0)
			goto out;
		if (i % BATCH == BATCH - 1) {
			double per = (bench_now_ns() - t0) / BATCH;
			if (i < BATCH)
				*first = per;
			*last = per;
		}
		drain(fd);
	}
	cws_get_stats(sip, &st);
	*live = st.transactions_live + st.lingering;
	rc = st.rx_messages >= messages && st.tx_messages >= messages ? 0 : -1;
	if (rc != 0)
		fprintf(stderr, "cw-sip-bench: %lu received, %lu sent of %lu\n",
			st.rx_messages, st.tx_messages, messages);
out:
	if (fd >= 0)
		close(fd);
	cws_free(sip);
	return rc;
}

int main(int argc, char **argv)
{
	static const unsigned shard_counts[] = { 16, 256, 1024, CWS_DEFAULT_SHARDS, 16384 };
	const char *env = getenv("CW_BENCH_SHARDS");
	unsigned only = env ? (unsigned)strtoul(env, NULL, 10) : 0;
	unsigned long messages = argc > 1 ? strtoul(argv[1], NULL, 10) : 32000;
	unsigned runs = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 5;

	if (messages < 2 * BATCH || messages > 10000000 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: cw-sip-bench [MESSAGES >= %u [RUNS 1..%u]]\n",
			2 * BATCH, MAX_RUNS);
		return 2;
	}
	messages -= messages % BATCH;
	printf("cw-sip-bench: %lu OPTIONS per run (each leaves a transaction for Timer J), "
	       "%u runs, medians of ns per message over the first and the last %u\n",
	       messages, runs, BATCH);
	printf("%7s %14s %14s %8s %12s\n", "shards", "first ns/msg", "last ns/msg", "ratio",
	       "lingering");
	for (size_t s = 0; s < sizeof(shard_counts) / sizeof(shard_counts[0]); s++) {
		double first[MAX_RUNS], last[MAX_RUNS], f, l;
		unsigned long live = 0;

		if (only && shard_counts[s] != only)
			continue;
		for (unsigned r = 0; r < runs; r++)
			if (run_once(shard_counts[s], messages, &first[r], &last[r], &live) != 0)
				return 1;
		f = bench_median(first, runs);
		l = bench_median(last, runs);
		printf("%7u %14.0f %14.0f %8.2f %12lu\n", shard_counts[s], f, l, l / f, live);
		fflush(stdout);
	}
	return 0;
}
