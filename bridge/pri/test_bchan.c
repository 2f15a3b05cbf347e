/* SPDX-License-Identifier: MIT */
/*
 * test_bchan.c — the B-channel socket framing over a SOCK_SEQPACKET
 * socketpair: frames keep their channel and octets, a skipped period shows
 * as a gap on the far side, a frame for a channel not open is an overrun,
 * a full socket is an overrun on the writer, the peer's close is LOST; the
 * law per switch type.
 */
#include <errno.h>
#include <libpri.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bchan.h"
#include "check.h"

static void fill(uint8_t *f, uint8_t v)
{
	memset(f, v, CWI_BCHAN_FRAME);
}

static void test_frames(void)
{
	struct cwi_bchan *net, *cpe;
	struct cwi_bchan_stats st;
	uint8_t out[CWI_BCHAN_FRAME], in[CWI_BCHAN_FRAME];
	int sv[2], ch = 0, i, n;

	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
	CHECK(cwi_bchan_socket_adopt(sv[0], CWI_BCHAN_ALAW, &net) == 0);
	CHECK(cwi_bchan_socket_adopt(sv[1], CWI_BCHAN_ALAW, &cpe) == 0);
	CHECK(cwi_bchan_law(net) == CWI_BCHAN_ALAW);
	CHECK(cwi_bchan_fd(net, 1) == cwi_bchan_fd(net, 30));
	CHECK(cwi_bchan_open(net, 0) == -EINVAL && cwi_bchan_open(net, 32) == -EINVAL);
	CHECK(cwi_bchan_open(net, 1) == 0 && cwi_bchan_open(net, 1) == -EALREADY);
	CHECK(cwi_bchan_open(net, 17) == 0);
	CHECK(cwi_bchan_open(cpe, 17) == 0);
	CHECK(cwi_bchan_write(net, 2, out) == -EINVAL); /* not open */

	/* Channel 1 is not open on the CPE side: its frame is an overrun there. */
	fill(out, 0x11);
	CHECK(cwi_bchan_write(net, 1, out) == 0);
	fill(out, 0x17);
	CHECK(cwi_bchan_write(net, 17, out) == 0);
	CHECK(cwi_bchan_read(cpe, &ch, in) == CWI_BCHAN_FRAME);
	CHECK(ch == 17 && memcmp(in, out, sizeof(in)) == 0);
	CHECK(cwi_bchan_read(cpe, &ch, in) == CWI_BCHAN_AGAIN);
	cwi_bchan_get_stats(cpe, 1, &st);
	CHECK(st.overruns == 1 && st.rx_frames == 0);

	/* Two periods skipped: the reader counts two missing frames. */
	CHECK(cwi_bchan_skip(net, 17) == 0 && cwi_bchan_skip(net, 17) == 0);
	CHECK(cwi_bchan_write(net, 17, out) == 0);
	CHECK(cwi_bchan_read(cpe, &ch, in) == CWI_BCHAN_FRAME);
	cwi_bchan_get_stats(cpe, 17, &st);
	CHECK(st.rx_frames == 2 && st.rx_gaps == 2);
	cwi_bchan_get_stats(net, 17, &st);
	CHECK(st.tx_frames == 2 && st.underruns == 2);

	/* The back direction, then a full socket: the writer counts overruns. */
	CHECK(cwi_bchan_write(cpe, 17, out) == 0);
	CHECK(cwi_bchan_read(net, &ch, in) == CWI_BCHAN_FRAME && ch == 17);
	for (i = 0, n = 0; i < 10000; i++)
		if (cwi_bchan_write(cpe, 17, out) == -EAGAIN && ++n == 3)
			break;
	CHECK(n == 3);
	cwi_bchan_get_stats(cpe, 17, &st);
	CHECK(st.overruns == 3);

	/* The peer goes: LOST once the queue is read. */
	cwi_bchan_free(cpe);
	while ((n = (int)cwi_bchan_read(net, &ch, in)) == CWI_BCHAN_FRAME)
		;
	CHECK(n == CWI_BCHAN_LOST);
	cwi_bchan_close(net, 17);
	CHECK(!cwi_bchan_is_open(net, 17) && cwi_bchan_is_open(net, 1));
	cwi_bchan_free(net);
}

static void test_law(void)
{
	enum cwi_bchan_law law;

	CHECK(cwi_bchan_law_for_switchtype(PRI_SWITCH_EUROISDN_E1) == CWI_BCHAN_ALAW);
	CHECK(cwi_bchan_law_for_switchtype(PRI_SWITCH_QSIG) == CWI_BCHAN_ALAW);
	CHECK(cwi_bchan_law_for_switchtype(PRI_SWITCH_NI2) == CWI_BCHAN_ULAW);
	CHECK(cwi_bchan_law_for_switchtype(PRI_SWITCH_DMS100) == CWI_BCHAN_ULAW);
	CHECK(cwi_bchan_law_from_name("ulaw", &law) == 0 && law == CWI_BCHAN_ULAW);
	CHECK(cwi_bchan_law_from_name("mulaw", &law) == -EINVAL);
	CHECK(strcmp(cwi_bchan_law_name(CWI_BCHAN_ALAW), "alaw") == 0);
}

int main(void)
{
	test_frames();
	test_law();
	return check_done();
}
