/* SPDX-License-Identifier: MIT */
/*
 * test_frame.c — capture-frame: the SLL, IP and UDP/TCP headers byte for
 * byte (expected bytes worked out by hand from RFC 768, 791, 8200 and
 * 9293), the checksums verified by summing, the D-channel ends, the errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "check.h"
#include "test_addr.h"
#include "frame.h"

static void udp4(void)
{
	static const uint8_t want[] = {
		/* SLL: outgoing, hatype none, halen 0, addr 0, IPv4 */
		0x00, 0x04, 0xff, 0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x08, 0x00,
		/* IPv4: 35 bytes, id 0x1234, DF, TTL 64, UDP, checksum 0x3c5f */
		0x45, 0x00, 0x00, 0x23, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x3c, 0x5f,
		0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
		/* UDP: 5060 -> 5070, length 15, checksum 0xa61e */
		0x13, 0xc4, 0x13, 0xce, 0x00, 0x0f, 0xa6, 0x1e,
	};
	struct sockaddr_in s, d;
	struct cwcap_frame f;
	uint8_t h[CWCAP_HDR_MAX];
	const char *pl = "OPTIONS"; /* odd: the last byte is padded */

	v4(&s, "192.0.2.1", 5060);
	v4(&d, "198.51.100.2", 5070);
	memset(&f, 0, sizeof(f));
	f.pkttype = CWCAP_PKT_OUTGOING;
	f.hatype = CWCAP_HATYPE_NONE;
	f.src = (struct sockaddr *)&s;
	f.dst = (struct sockaddr *)&d;
	f.ip_id = 0x1234;
	CHECK_INT(cwcap_frame_header(h, sizeof(h), &f, (const uint8_t *)pl, 7), sizeof(want));
	CHECK(memcmp(h, want, sizeof(want)) == 0);
	/* RFC 1071: a header with its checksum in sums to all ones */
	CHECK_INT(cwcap_frame_fold(cwcap_frame_checksum(0, h + 16, 20)), 0);
	/* room */
	CHECK_INT(cwcap_frame_header(h, sizeof(want) - 1, &f, (const uint8_t *)pl, 7), -ENOSPC);
	/* the largest IPv4 UDP payload is 65507 bytes */
	{
		static uint8_t big[65508];
		CHECK_INT(cwcap_frame_header(h, sizeof(h), &f, big, 65507), 44);
		CHECK_INT(cwcap_frame_header(h, sizeof(h), &f, big, 65508), -EMSGSIZE);
	}
}

static void tcp6(void)
{
	static const uint8_t want[] = {
		/* SLL: to us, hatype none, IPv6 */
		0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x86, 0xdd,
		/* IPv6: payload 36, TCP, hop limit 64, 2001:db8::1 -> 2001:db8::2 */
		0x60, 0x00, 0x00, 0x00, 0x00, 0x24, 0x06, 0x40,
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
		/* TCP: 5060 -> 40000, seq 1000, ack 2000, 5 words, PSH|ACK, window, checksum 0xd41e */
		0x13, 0xc4, 0x9c, 0x40, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x07, 0xd0,
		0x50, 0x18, 0xff, 0xff, 0xd4, 0x1e, 0x00, 0x00,
	};
	struct sockaddr_in6 s, d;
	struct sockaddr_in x;
	struct cwcap_frame f;
	uint8_t h[CWCAP_HDR_MAX];
	const char *pl = "SIP/2.0 200 OK\r\n";

	v6(&s, "2001:db8::1", 5060);
	v6(&d, "2001:db8::2", 40000);
	memset(&f, 0, sizeof(f));
	f.pkttype = CWCAP_PKT_HOST;
	f.hatype = CWCAP_HATYPE_NONE;
	f.src = (struct sockaddr *)&s;
	f.dst = (struct sockaddr *)&d;
	f.tcp = 1;
	f.seq = 1000;
	f.ack = 2000;
	f.flags = CWCAP_TCP_PSH | CWCAP_TCP_ACK;
	CHECK_INT(cwcap_frame_header(h, sizeof(h), &f, (const uint8_t *)pl, strlen(pl)),
	          sizeof(want));
	CHECK(memcmp(h, want, sizeof(want)) == 0);
	/* mixed families */
	v4(&x, "192.0.2.1", 5060);
	f.dst = (struct sockaddr *)&x;
	CHECK_INT(cwcap_frame_header(h, sizeof(h), &f, (const uint8_t *)pl, strlen(pl)), -EINVAL);
}

static void lapd(void)
{
	static const uint8_t want_sll[] = {
		0x00, 0x00, 0x20, 0xfd, 0x00, 0x02, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x08, 0x00,
	};
	struct sockaddr_storage b, p;
	const struct sockaddr_in *bi = (const void *)&b, *pi = (const void *)&p;
	struct cwcap_frame f;
	uint8_t h[CWCAP_HDR_MAX], ll[2] = { 1, 2 };
	const uint8_t frame[] = { 0x02, 0x01, 0x00, 0x00, 0x08, 0x02, 0x00, 0x01, 0x05 };

	CHECK_INT(cwcap_frame_lapd_ends(258, &b, &p), 0);
	CHECK_INT(ntohl(bi->sin_addr.s_addr), 0x7f5c0102); /* 127.92.1.2 */
	CHECK_INT(ntohl(pi->sin_addr.s_addr), 0x7f5d0102); /* 127.93.1.2 */
	CHECK_INT(ntohs(bi->sin_port), CWCAP_LAPD_PORT);
	CHECK_INT(ntohs(pi->sin_port), CWCAP_LAPD_PORT);
	CHECK_INT(cwcap_frame_lapd_ends(0, &b, &p), -EINVAL);
	CHECK_INT(cwcap_frame_lapd_ends(65536, &b, &p), -EINVAL);

	CHECK_INT(cwcap_frame_lapd_ends(258, &b, &p), 0);
	memset(&f, 0, sizeof(f));
	f.pkttype = CWCAP_PKT_HOST;
	f.hatype = CWCAP_HATYPE_LAPD;
	f.lladdr = ll;
	f.lladdr_len = 2;
	f.src = (struct sockaddr *)&p;
	f.dst = (struct sockaddr *)&b;
	CHECK_INT(cwcap_frame_header(h, sizeof(h), &f, frame, sizeof(frame)), 16 + 20 + 8);
	CHECK(memcmp(h, want_sll, sizeof(want_sll)) == 0);
	/* the UDP checksum over pseudo-header, header and frame sums to all ones */
	{
		uint8_t ph[12];
		uint32_t sum;
		memcpy(ph, h + 16 + 12, 8);
		ph[8] = 0;
		ph[9] = IPPROTO_UDP;
		ph[10] = 0;
		ph[11] = 8 + sizeof(frame);
		sum = cwcap_frame_checksum(0, ph, sizeof(ph));
		sum = cwcap_frame_checksum(sum, h + 36, 8);
		sum = cwcap_frame_checksum(sum, frame, sizeof(frame));
		CHECK_INT(cwcap_frame_fold(sum), 0);
	}
	f.lladdr_len = 9;
	CHECK_INT(cwcap_frame_header(h, sizeof(h), &f, frame, sizeof(frame)), -EINVAL);
}

int main(void)
{
	udp4();
	tcp6();
	lapd();
	return check_done();
}
