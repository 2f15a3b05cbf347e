/* SPDX-License-Identifier: MIT */
/* test_addr.h — the socket addresses of bridge/capture's tests. */
#ifndef BRIDGE_CAPTURE_TEST_ADDR_H
#define BRIDGE_CAPTURE_TEST_ADDR_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static inline void v4(struct sockaddr_in *s, const char *ip, unsigned port)
{
	memset(s, 0, sizeof(*s));
	s->sin_family = AF_INET;
	s->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &s->sin_addr);
}

static inline void v6(struct sockaddr_in6 *s, const char *ip, unsigned port)
{
	memset(s, 0, sizeof(*s));
	s->sin6_family = AF_INET6;
	s->sin6_port = htons((uint16_t)port);
	inet_pton(AF_INET6, ip, &s->sin6_addr);
}

#endif
