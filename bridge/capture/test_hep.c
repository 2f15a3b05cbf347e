/* SPDX-License-Identifier: MIT */
/*
 * test_hep.c — capture-hep: a HEP3 packet byte for byte (IPv4, UDP), the
 * IPv6 address chunks, the size limit and the errors; then the writer
 * sending one to a UDP socket of the test's own.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "check.h"
#include "test_addr.h"
#include "hep.h"

static void encode4(void)
{
	static const uint8_t want[] = {
		/* "HEP3", 96 bytes */
		0x48, 0x45, 0x50, 0x33, 0x00, 0x60,
		/* family 2 (IPv4), protocol 17 (UDP) */
		0x00, 0x00, 0x00, 0x01, 0x00, 0x07, 0x02,
		0x00, 0x00, 0x00, 0x02, 0x00, 0x07, 0x11,
		/* source and destination address */
		0x00, 0x00, 0x00, 0x03, 0x00, 0x0a, 0xc0, 0x00, 0x02, 0x01,
		0x00, 0x00, 0x00, 0x04, 0x00, 0x0a, 0xc6, 0x33, 0x64, 0x02,
		/* ports 5060 -> 5070 */
		0x00, 0x00, 0x00, 0x07, 0x00, 0x08, 0x13, 0xc4,
		0x00, 0x00, 0x00, 0x08, 0x00, 0x08, 0x13, 0xce,
		/* 1700000000 s, 123456 us */
		0x00, 0x00, 0x00, 0x09, 0x00, 0x0a, 0x65, 0x53, 0xf1, 0x00,
		0x00, 0x00, 0x00, 0x0a, 0x00, 0x0a, 0x00, 0x01, 0xe2, 0x40,
		/* protocol type 1 (SIP), the payload */
		0x00, 0x00, 0x00, 0x0b, 0x00, 0x07, 0x01,
		0x00, 0x00, 0x00, 0x0f, 0x00, 0x0d, 'O', 'P', 'T', 'I', 'O', 'N', 'S',
	};
	struct sockaddr_in s, d;
	struct sockaddr_in6 x;
	struct cwcap_hep_msg m;
	uint8_t out[200];

	v4(&s, "192.0.2.1", 5060);
	v4(&d, "198.51.100.2", 5070);
	memset(&m, 0, sizeof(m));
	m.src = (struct sockaddr *)&s;
	m.dst = (struct sockaddr *)&d;
	m.sec = 1700000000u;
	m.usec = 123456;
	m.payload = (const uint8_t *)"OPTIONS";
	m.len = 7;
	CHECK_INT(cwcap_hep_encode(out, sizeof(out), &m), sizeof(want));
	CHECK(memcmp(out, want, sizeof(want)) == 0);
	CHECK_INT(cwcap_hep_encode(out, sizeof(want) - 1, &m), -ENOSPC);
	CHECK_INT(cwcap_hep_encode(out, 3, &m), -ENOSPC);
	/* 89 bytes of chunks before the payload's: 65535 - 95 of payload fit */
	{
		static uint8_t big[CWCAP_HEP_MAX], pkt[CWCAP_HEP_MAX];
		m.payload = big;
		m.len = CWCAP_HEP_MAX - 89;
		CHECK_INT(cwcap_hep_encode(pkt, sizeof(pkt), &m), CWCAP_HEP_MAX);
		m.len++;
		CHECK_INT(cwcap_hep_encode(pkt, sizeof(pkt), &m), -EMSGSIZE);
	}
	memset(&x, 0, sizeof(x));
	x.sin6_family = AF_INET6;
	m.dst = (struct sockaddr *)&x;
	CHECK_INT(cwcap_hep_encode(out, sizeof(out), &m), -EINVAL);
}

static void encode6(void)
{
	struct sockaddr_in6 s, d;
	struct cwcap_hep_msg m;
	uint8_t out[200];

	v6(&s, "2001:db8::1", 5061);
	v6(&d, "2001:db8::2", 40000);
	memset(&m, 0, sizeof(m));
	m.src = (struct sockaddr *)&s;
	m.dst = (struct sockaddr *)&d;
	m.tcp = 1;
	m.payload = (const uint8_t *)"BYE";
	m.len = 3;
	/* 6 + 7 + 7 + 22 + 22 + 8 + 8 + 10 + 10 + 7 + 9 */
	CHECK_INT(cwcap_hep_encode(out, sizeof(out), &m), 116);
	CHECK(out[12] == 10 && out[19] == 6);                       /* IPv6, TCP */
	CHECK(out[23] == 0x05 && out[24] == 0 && out[25] == 22);     /* source IPv6, 22 bytes */
	CHECK(out[26] == 0x20 && out[27] == 0x01 && out[41] == 0x01); /* 2001:db8::1 */
	CHECK(out[45] == 0x06 && out[63] == 0x02);                   /* 2001:db8::2 */
}

/* The writer without a file: one UDP message reaches a socket of ours as HEP3. */
static void send_one(void)
{
	struct sockaddr_in to, l, r;
	socklen_t tl = sizeof(to);
	uint8_t got[512];
	cwcap *cap = NULL;
	ssize_t n;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	v4(&to, "127.0.0.1", 0);
	CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&to, sizeof(to)) == 0 &&
	      getsockname(fd, (struct sockaddr *)&to, &tl) == 0);
	CHECK_INT(cwcap_open(&cap, NULL, 0, NULL, NULL), 0);
	CHECK(!cwcap_active(cap));
	CHECK_INT(cwcap_reopen(cap), 0);
	CHECK_INT(cwcap_hep_start(cap, (struct sockaddr *)&to, sizeof(to)), 0);
	v4(&l, "127.0.0.1", 5060);
	v4(&r, "127.0.0.2", 5062);
	cwcap_udp(cap, 1, (struct sockaddr *)&l, (struct sockaddr *)&r, "\r\n\r\n", 4); /* keep-alive */
	cwcap_udp(cap, 1, (struct sockaddr *)&l, (struct sockaddr *)&r, "OPTIONS sip:x SIP/2.0", 21);
	cwcap_tcp_message(cap, 0, (struct sockaddr *)&l, (struct sockaddr *)&r, "BYE", 3);
	cwcap_lapd(cap, 1, 1, "\x00\x01\x7f", 3); /* no file: nothing, and no HEP */
	n = recv(fd, got, sizeof(got), 0);
	CHECK(n > 21 && memcmp(got, "HEP3", 4) == 0 &&
	      memcmp(got + n - 21, "OPTIONS sip:x SIP/2.0", 21) == 0);
	CHECK(n > 26 && got[19] == 17 && got[26] == 127 && got[29] == 1); /* UDP, from us */
	n = recv(fd, got, sizeof(got), 0);
	CHECK(n > 3 && memcmp(got + n - 3, "BYE", 3) == 0 && got[19] == 6 && got[29] == 2);
	CHECK(recv(fd, got, sizeof(got), MSG_DONTWAIT) < 0);
	CHECK_INT(cwcap_hep_dropped(cap), 0);
	cwcap_close(cap);
	close(fd);
}

int main(void)
{
	encode4();
	encode6();
	send_one();
	return check_done();
}
