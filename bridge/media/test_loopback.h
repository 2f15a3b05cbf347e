/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/test_loopback.h — the RTP calls the loopback tests open on
 * 127.0.0.1 (test_rtp_loopback.c, test_dtmf_session.c): an address and a
 * session of a given SSRC, ptime and law. Header-only; include check.h
 * first.
 */
#ifndef BRIDGE_MEDIA_TEST_LOOPBACK_H
#define BRIDGE_MEDIA_TEST_LOOPBACK_H

#include <netinet/in.h>

#include "rtp_session.h"

static inline struct sockaddr_in test_loopback(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static inline struct cwm_rtp_session *test_open_session(struct cwm_rtp_ports *ports,
                                                        uint32_t ssrc, unsigned ptime,
                                                        enum cwm_g711_law law)
{
	struct sockaddr_in any = test_loopback(0);
	struct cwm_rtp_session_config cfg = {
		.ports = ports, .local = (struct sockaddr *)&any, .local_len = sizeof(any),
		.law = law, .event_pt = 101, .ptime_ms = ptime,
		.jb = { .mode = CWM_JB_FIXED, .depth_ms = 60 }, .ssrc = ssrc,
		.initial_seq = ssrc & 0xffff, .initial_ts = ssrc * 7, .cname = "test@127.0.0.1",
		.unix_offset_us = 1700000000000000ll, .seed = ssrc,
	};
	struct cwm_rtp_session *s = NULL;

	CHECK_INT(cwm_rtp_session_new(&cfg, 0, &s), 0);
	return s;
}

#endif /* BRIDGE_MEDIA_TEST_LOOPBACK_H */
