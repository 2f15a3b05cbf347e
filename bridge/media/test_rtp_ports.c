/* SPDX-License-Identifier: MIT */
/* bridge/media/test_rtp_ports.c — the port range: even/odd pairs, busy
 * ports skipped, a pair in use never handed out twice. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "rtp_ports.h"

static struct sockaddr_in loopback(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A base for 8 ports where nothing is bound now (bind test), even. */
static uint16_t free_base(void)
{
	for (int tries = 0; tries < 200; tries++) {
		uint16_t base = (uint16_t)(12000 + 2 * (rand() % 3000));
		int fds[8], n = 0;

		for (; n < 8; n++) {
			struct sockaddr_in a = loopback((uint16_t)(base + n));

			fds[n] = socket(AF_INET, SOCK_DGRAM, 0);
			if (bind(fds[n], (struct sockaddr *)&a, sizeof(a)) < 0) {
				close(fds[n]);
				break;
			}
		}
		for (int i = 0; i < n; i++)
			close(fds[i]);
		if (n == 8)
			return base;
	}
	return 0;
}

static void test_parse(void)
{
	uint16_t lo, hi;

	CHECK_INT(cwm_rtp_ports_parse("10000-20000", &lo, &hi), 0);
	CHECK(lo == 10000 && hi == 20000);
	CHECK(cwm_rtp_ports_parse("20000-10000", &lo, &hi) < 0);
	CHECK(cwm_rtp_ports_parse("80-90", &lo, &hi) < 0);
	CHECK(cwm_rtp_ports_parse("10001-10002", &lo, &hi) < 0); /* 10002 even, no 10003 */
	CHECK(cwm_rtp_ports_parse("10000-70000", &lo, &hi) < 0);
	CHECK(cwm_rtp_ports_parse("10000-20000x", &lo, &hi) < 0);
	CHECK(cwm_rtp_ports_parse("", &lo, &hi) < 0);
}

static void test_allocate(void)
{
	struct cwm_rtp_ports *p;
	struct sockaddr_in any = loopback(0);
	int rtp[4], rtcp[4], err;
	uint16_t port[4], base = free_base();

	CHECK(base != 0);
	/* base+1 .. base+7: the pairs (base+2, +3), (base+4, +5), (base+6, +7) */
	CHECK_INT(cwm_rtp_ports_new((uint16_t)(base + 1), (uint16_t)(base + 7), &p), 0);
	CHECK_INT(cwm_rtp_ports_capacity(p), 3);
	/* another program holds base+5 (an RTCP port): the pair at base+4 is skipped */
	struct sockaddr_in held = loopback((uint16_t)(base + 5));
	int other = socket(AF_INET, SOCK_DGRAM, 0);

	CHECK_INT(bind(other, (struct sockaddr *)&held, sizeof(held)), 0);
	CHECK_INT(cwm_rtp_ports_open(p, (struct sockaddr *)&any, sizeof(any), &rtp[0], &rtcp[0],
	                            &port[0]), 0);
	CHECK_INT(port[0], base + 2);
	CHECK_INT(cwm_rtp_ports_open(p, (struct sockaddr *)&any, sizeof(any), &rtp[1], &rtcp[1],
	                            &port[1]), 0);
	CHECK_INT(port[1], base + 6);
	err = cwm_rtp_ports_open(p, (struct sockaddr *)&any, sizeof(any), &rtp[2], &rtcp[2],
	                        &port[2]);
	CHECK_INT(err, -EADDRINUSE); /* both pairs in use, the third held */
	CHECK_INT(cwm_rtp_ports_in_use(p), 2);
	/* the other program lets go: its pair is taken next, not one in use */
	close(other);
	CHECK_INT(cwm_rtp_ports_open(p, (struct sockaddr *)&any, sizeof(any), &rtp[2], &rtcp[2],
	                            &port[2]), 0);
	CHECK_INT(port[2], base + 4);
	/* one given back is the one handed out again, the others still in use */
	close(rtp[0]);
	close(rtcp[0]);
	cwm_rtp_ports_release(p, port[0]);
	CHECK_INT(cwm_rtp_ports_open(p, (struct sockaddr *)&any, sizeof(any), &rtp[3], &rtcp[3],
	                            &port[3]), 0);
	CHECK_INT(port[3], base + 2);
	cwm_rtp_ports_release(p, 1); /* not of the range: ignored */
	CHECK_INT(cwm_rtp_ports_in_use(p), 3);
	for (int i = 1; i < 4; i++) {
		close(rtp[i]);
		close(rtcp[i]);
		cwm_rtp_ports_release(p, port[i]);
	}
	CHECK_INT(cwm_rtp_ports_in_use(p), 0);
	cwm_rtp_ports_free(p);
}

int main(void)
{
	srand((unsigned)getpid());
	test_parse();
	test_allocate();
	return check_done();
}
