/* SPDX-License-Identifier: MIT */
/* bridge/media/rtp_ports.c — the RTP/RTCP port pairs of a range. */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtp_ports.h"

struct cwm_rtp_ports {
	uint16_t first;     /* the lowest even port */
	unsigned pairs, in_use, next;
	bool *busy;
};

int cwm_rtp_ports_parse(const char *text, uint16_t *low, uint16_t *high)
{
	unsigned lo, hi;
	int end = 0;

	if (!text || sscanf(text, "%5u-%5u%n", &lo, &hi, &end) != 2 || text[end] != '\0')
		return -EINVAL;
	if (lo < 1024 || hi > 65535 || lo >= hi || (hi - (lo + (lo & 1))) < 1)
		return -EINVAL;
	*low = (uint16_t)lo;
	*high = (uint16_t)hi;
	return 0;
}

int cwm_rtp_ports_new(uint16_t low, uint16_t high, struct cwm_rtp_ports **out)
{
	struct cwm_rtp_ports *p;
	unsigned first = low + (low & 1u); /* RFC 3550 §11: RTP on an even port */

	if (first + 1u > high)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->first = (uint16_t)first;
	p->pairs = (high - first + 1u) / 2;
	p->busy = calloc(p->pairs, sizeof(*p->busy));
	if (!p->busy) {
		free(p);
		return -ENOMEM;
	}
	*out = p;
	return 0;
}

void cwm_rtp_ports_free(struct cwm_rtp_ports *ports)
{
	if (ports) {
		free(ports->busy);
		free(ports);
	}
}

static int bound_socket(const struct sockaddr *addr, socklen_t len, uint16_t port, int *fd)
{
	struct sockaddr_storage ss;
	int s;

	if (len > sizeof(ss) || (addr->sa_family != AF_INET && addr->sa_family != AF_INET6))
		return -EAFNOSUPPORT;
	memcpy(&ss, addr, len);
	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
	s = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (bind(s, (struct sockaddr *)&ss, len) < 0) {
		int err = -errno;

		close(s);
		return err;
	}
	*fd = s;
	return 0;
}

int cwm_rtp_ports_open(struct cwm_rtp_ports *ports, const struct sockaddr *addr, socklen_t len,
                      int *rtp_fd, int *rtcp_fd, uint16_t *rtp_port)
{
	for (unsigned tried = 0; tried < ports->pairs; tried++) {
		unsigned i = ports->next;
		uint16_t port = (uint16_t)(ports->first + 2 * i);
		int a, b, err;

		ports->next = (i + 1) % ports->pairs;
		if (ports->busy[i])
			continue;
		err = bound_socket(addr, len, port, &a);
		if (err == 0) {
			err = bound_socket(addr, len, (uint16_t)(port + 1), &b);
			if (err)
				close(a);
		}
		if (err == -EADDRINUSE)
			continue; /* held by another program: the next pair */
		if (err)
			return err;
		ports->busy[i] = true;
		ports->in_use++;
		*rtp_fd = a;
		*rtcp_fd = b;
		*rtp_port = port;
		return 0;
	}
	return -EADDRINUSE;
}

void cwm_rtp_ports_release(struct cwm_rtp_ports *ports, uint16_t rtp_port)
{
	unsigned i = (unsigned)(rtp_port - ports->first) / 2;

	if (rtp_port >= ports->first && i < ports->pairs && ports->busy[i]) {
		ports->busy[i] = false;
		ports->in_use--;
	}
}

unsigned cwm_rtp_ports_in_use(const struct cwm_rtp_ports *ports)
{
	return ports->in_use;
}

unsigned cwm_rtp_ports_capacity(const struct cwm_rtp_ports *ports)
{
	return ports->pairs;
}
