/* SPDX-License-Identifier: MIT */
/* bridge/media/test_rtcp.c — RTCP fields against values worked out by hand
 * from RFC 3550 §6.4.1, §A.1, §A.3, §A.7 and §A.8. */
#include <string.h>

#include "check.h"
#include "rtcp.h"

static void test_loss(void)
{
	struct cwm_rtcp_source s = { 0 };
	struct cwm_rtcp_block b;

	for (uint16_t seq = 100; seq < 110; seq++)
		if (seq != 103 && seq != 105)
			cwm_rtcp_source_packet(&s, 0x1234, seq, seq * 160u, seq * 160u);
	cwm_rtcp_source_block(&s, 0, &b);
	/* expected 109 - 100 + 1 = 10, received 8: lost 2, fraction 2 * 256 / 10 = 51 */
	CHECK_INT(b.ssrc, 0x1234);
	CHECK_INT(b.cumulative_lost, 2);
	CHECK_INT(b.fraction_lost, 51);
	CHECK_INT(b.ext_highest_seq, 109);
	for (uint16_t seq = 110; seq < 120; seq++)
		cwm_rtcp_source_packet(&s, 0x1234, seq, seq * 160u, seq * 160u);
	cwm_rtcp_source_block(&s, 0, &b);
	CHECK_INT(b.fraction_lost, 0); /* none lost since the last report */
	CHECK_INT(b.cumulative_lost, 2);
	/* A duplicate counts as received: cumulative loss goes down (§6.4.1 allows negative) */
	cwm_rtcp_source_packet(&s, 0x1234, 119, 0, 0);
	cwm_rtcp_source_block(&s, 0, &b);
	CHECK_INT(b.cumulative_lost, 1);
}

static void test_wrap_and_jump(void)
{
	struct cwm_rtcp_source s = { 0 };
	struct cwm_rtcp_block b;

	cwm_rtcp_source_packet(&s, 7, 65534, 0, 0);
	cwm_rtcp_source_packet(&s, 7, 65535, 0, 0);
	cwm_rtcp_source_packet(&s, 7, 0, 0, 0);
	cwm_rtcp_source_packet(&s, 7, 1, 0, 0);
	cwm_rtcp_source_block(&s, 0, &b);
	CHECK_INT(b.ext_highest_seq, 65536 + 1);
	CHECK_INT(b.cumulative_lost, 0);
	/* §A.1: a jump of 20000 is refused once, taken as a restart when it repeats */
	CHECK(cwm_rtcp_source_packet(&s, 7, 20000, 0, 0) < 0);
	CHECK_INT(cwm_rtcp_source_packet(&s, 7, 20001, 0, 0), 0);
	cwm_rtcp_source_block(&s, 0, &b);
	CHECK_INT(b.ext_highest_seq, 20001);
	CHECK_INT(b.cumulative_lost, 0);
}

static void test_jitter(void)
{
	struct cwm_rtcp_source s = { 0 };
	struct cwm_rtcp_block b;

	/* transits 0, 10, 0: J = 10/16 = 0.625, then 0.625 + (10 - 0.625)/16 = 1.21 -> 1 */
	cwm_rtcp_source_packet(&s, 1, 1, 0, 0);
	cwm_rtcp_source_packet(&s, 1, 2, 160, 170);
	cwm_rtcp_source_packet(&s, 1, 3, 320, 320);
	CHECK_INT(s.jitter.jitter_q4, 19); /* §A.8 fixed point: 10, then 10 + 10 - 1 */
	cwm_rtcp_source_block(&s, 0, &b);
	CHECK_INT(b.jitter, 1);
}

static void test_lsr_dlsr_rtt(void)
{
	struct cwm_rtcp_source s = { 0 };
	struct cwm_rtcp_sender_info si = { .ntp = cwm_rtcp_ntp_from_unix_us(500000) };
	struct cwm_rtcp_block b;

	/* 1970 + 0.5 s: 2208988800 = 0x83AA7E80 seconds, 0x80000000 fraction */
	CHECK(si.ntp == (0x83aa7e80ull << 32 | 0x80000000u));
	CHECK_INT(cwm_rtcp_ntp_middle(si.ntp), 0x7e808000);
	cwm_rtcp_source_packet(&s, 9, 1, 0, 0);
	cwm_rtcp_source_sr(&s, &si, 1000000);
	cwm_rtcp_source_block(&s, 1500000, &b);
	CHECK_INT(b.lsr, 0x7e808000);
	CHECK_INT(b.dlsr, 32768); /* 0.5 s in 1/65536 s */
	/* RFC 3550 §6.4.1 Figure 2: A 0xb7108000, LSR 0xb7052000, DLSR 0x00054000 -> 6.125 s */
	struct cwm_rtcp_block fig2 = { .lsr = 0xb7052000, .dlsr = 0x00054000 };

	CHECK_INT(cwm_rtcp_rtt_q16(&fig2, (uint64_t)0xb7108000 << 16), 0x00062000);
	fig2.lsr = 0;
	CHECK_INT(cwm_rtcp_rtt_q16(&fig2, (uint64_t)0xb7108000 << 16), -1);
}

static void test_packets(void)
{
	uint8_t buf[256];
	size_t len;
	struct cwm_rtcp_compound c;
	static const uint8_t rr_only[] = {
		0x80, 0xc9, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44,         /* RR, no block */
		0x81, 0xca, 0x00, 0x03, 0x11, 0x22, 0x33, 0x44,         /* SDES, one chunk */
		0x01, 0x02, 'a', 'b', 0x00, 0x00, 0x00, 0x00,           /* CNAME "ab", end, pad */
	};

	CHECK_INT(cwm_rtcp_write_report(0x11223344, NULL, NULL, 0, "ab", false, buf, sizeof(buf),
	                               &len), 0);
	CHECK_INT(len, sizeof(rr_only));
	CHECK(memcmp(buf, rr_only, sizeof(rr_only)) == 0);
	CHECK_INT(cwm_rtcp_read(buf, len, &c), 0);
	CHECK_INT(c.has_sr, 0);
	CHECK_INT(c.sender_ssrc, 0x11223344);

	struct cwm_rtcp_sender_info si = { .ntp = 0x0102030405060708ull, .rtp_ts = 0xa0a0a0a0,
		                          .packets = 50, .octets = 8000 };
	struct cwm_rtcp_block blk = { .ssrc = 0x55667788, .fraction_lost = 51, .cumulative_lost = -3,
		                     .ext_highest_seq = 65537, .jitter = 12, .lsr = 0x7e808000,
		                     .dlsr = 32768 };

	CHECK_INT(cwm_rtcp_write_report(0x11223344, &si, &blk, 1, "causeway@x", true, buf,
	                               sizeof(buf), &len), 0);
	/* SR 8 + 20 + 24 = 52 octets: length field 12; SDES 8 + 2 + 10 + 1 -> 24; BYE 8 */
	CHECK_INT(len, 52 + 24 + 8);
	CHECK_INT(buf[0], 0x81);
	CHECK_INT(buf[1], 200);
	CHECK_INT(buf[3], 12);
	CHECK_INT(buf[28 + 4], 51);                      /* fraction lost */
	CHECK(buf[28 + 5] == 0xff && buf[28 + 6] == 0xff && buf[28 + 7] == 0xfd); /* -3 in 24 bits */
	CHECK_INT(cwm_rtcp_read(buf, len, &c), 0);
	CHECK_INT(c.has_sr, 1);
	CHECK(c.si.ntp == si.ntp);
	CHECK_INT(c.si.rtp_ts, 0xa0a0a0a0);
	CHECK_INT(c.si.packets, 50);
	CHECK_INT(c.si.octets, 8000);
	CHECK_INT(c.nblocks, 1);
	CHECK_INT(c.blocks[0].cumulative_lost, -3);
	CHECK_INT(c.blocks[0].ext_highest_seq, 65537);
	CHECK_INT(c.blocks[0].dlsr, 32768);
	CHECK_INT(c.bye, 1);
	/* §A.2: not SR/RR first, a wrong version, a length past the end */
	buf[1] = 202;
	CHECK(cwm_rtcp_read(buf, len, &c) < 0);
	buf[1] = 200;
	CHECK(cwm_rtcp_read(buf, len - 1, &c) < 0);
	buf[0] = 0x41;
	CHECK(cwm_rtcp_read(buf, len, &c) < 0);
	CHECK(cwm_rtcp_write_report(1, &si, &blk, 1, "x", false, buf, 40, &len) < 0);
}

static void test_interval(void)
{
	/* a call: 2 members, 2 senders, 500 octets/s, 100-octet compounds: 0.4 s < Tmin 5 s */
	uint64_t t = cwm_rtcp_interval_us(2, 2, 500, true, 100, false, 0.5);

	CHECK(t >= 4104146 && t <= 4104147); /* 5 * 1.0 / 1.21828 */
	t = cwm_rtcp_interval_us(2, 2, 500, true, 100, true, 0.0);
	CHECK(t >= 1026036 && t <= 1026037); /* 2.5 * 0.5 / 1.21828 */
	t = cwm_rtcp_interval_us(2, 2, 500, true, 100, false, 0.999999);
	CHECK(t >= 6156214 && t <= 6156221); /* 5 * 1.5 / 1.21828 */
	/* many receivers, one sender, we receive: 100 * 99 / (500 * 0.75) = 26.4 s */
	t = cwm_rtcp_interval_us(100, 1, 500, false, 100, false, 0.5);
	CHECK(t >= 21669895 && t <= 21669896); /* 26.4 / 1.21828 */
}

int main(void)
{
	test_loss();
	test_wrap_and_jump();
	test_jitter();
	test_lsr_dlsr_rtt();
	test_packets();
	test_interval();
	return check_done();
}
