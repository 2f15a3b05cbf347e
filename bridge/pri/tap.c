/* SPDX-License-Identifier: MIT */
/* tap.c — pcap (linktype 177, LINUX_LAPD) writer for D-channel frames. */
#include <string.h>

#include "tap.h"

#define PCAP_MAGIC 0xa1b2c3d4u
#define LINKTYPE_LINUX_LAPD 177
#define ARPHRD_LAPD_ 8445     /* include/uapi/linux/if_arp.h */
#define ETH_P_LAPD_ 0x0030    /* include/uapi/linux/if_ether.h */
#define TAP_SNAPLEN 65535u

/* pcap headers are in the writer's byte order (the magic tells the reader). */
static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

/* The LINUX_LAPD pseudo-header fields are big-endian (like Linux SLL). */
static void put16be(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

int cwi_tap_write_header(FILE *f)
{
	uint8_t h[24];

	if (!f)
		return -1;
	put32(h, PCAP_MAGIC);
	put16(h + 4, 2);  /* version 2.4 */
	put16(h + 6, 4);
	put32(h + 8, 0);  /* thiszone */
	put32(h + 12, 0); /* sigfigs */
	put32(h + 16, TAP_SNAPLEN);
	put32(h + 20, LINKTYPE_LINUX_LAPD);
	return fwrite(h, sizeof(h), 1, f) == 1 ? 0 : -1;
}

int cwi_tap_write_frame(FILE *f, const struct timeval *tv, int sent, int we_network,
                       const uint8_t *frame, size_t len)
{
	uint8_t h[16 + 16];
	struct timeval now;

	if (!f || (!frame && len) || len > TAP_SNAPLEN - 16)
		return -1;
	if (!tv) {
		gettimeofday(&now, NULL);
		tv = &now;
	}
	put32(h, (uint32_t)tv->tv_sec);
	put32(h + 4, (uint32_t)tv->tv_usec);
	put32(h + 8, (uint32_t)(len + 16));
	put32(h + 12, (uint32_t)(len + 16));
	memset(h + 16, 0, 16);
	put16be(h + 16, sent ? 4 : 0);  /* pkttype: 4 = outgoing, 0 = to us */
	put16be(h + 18, ARPHRD_LAPD_);
	put16be(h + 20, 1);             /* halen */
	h[22] = we_network ? 1 : 0;     /* addr[0]: tells Wireshark the side, hence C/R */
	put16be(h + 30, ETH_P_LAPD_);
	if (fwrite(h, sizeof(h), 1, f) != 1)
		return -1;
	if (len && fwrite(frame, len, 1, f) != 1)
		return -1;
	return 0;
}
