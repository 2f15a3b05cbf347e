/* SPDX-License-Identifier: MIT */
/*
 * bchan_socket.c — a span's B-channels over one Unix SOCK_SEQPACKET socket
 * (README.md "B-channel audio socket"). One datagram is one frame of one
 * channel: version (1), channel (1..31), sequence number (16 bits,
 * big-endian, +1 per 20 ms period of the sender, wrapping), then 160 G.711
 * octets. SEQPACKET keeps the boundaries and reports the peer's close as
 * EOF, as for the D-channel (source_socket.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bchan_impl.h"
#include "dchan_impl.h"

#define DGRAM (CWI_BCHAN_HDR + CWI_BCHAN_FRAME)

/* The sequence numbers between the expected one and seq are missing (RFC 3550 §A.1 style). */
static void count_rx(struct cwi_bchan_chan *c, uint16_t seq)
{
	if (c->rx_started) {
		uint16_t missing = (uint16_t)(seq - c->rx_next);

		if (missing < 0x8000) /* a late or repeated frame is not a gap */
			c->st.rx_gaps += missing;
	}
	c->rx_started = 1;
	c->rx_next = (uint16_t)(seq + 1);
	c->st.rx_frames++;
}

static ssize_t socket_read(struct cwi_bchan *b, int *ret_channel, uint8_t *frame)
{
	for (;;) {
		uint8_t buf[DGRAM + 1];
		struct cwi_bchan_chan *c;
		ssize_t n;

		do
			n = recv(b->fd, buf, sizeof(buf), MSG_DONTWAIT);
		while (n < 0 && errno == EINTR);
		if (n == 0)
			return CWI_BCHAN_LOST; /* SEQPACKET: orderly shutdown by the peer */
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? CWI_BCHAN_AGAIN : CWI_BCHAN_LOST;
		if (n != DGRAM || buf[0] != CWI_BCHAN_VERSION || buf[1] < 1 ||
		    buf[1] > CWI_BCHAN_MAX_CHANNEL)
			continue; /* not a frame of ours: dropped */
		c = &b->ch[buf[1]];
		if (!c->open) {
			c->st.overruns++; /* no call on the channel */
			continue;
		}
		count_rx(c, (uint16_t)((buf[2] << 8) | buf[3]));
		memcpy(frame, buf + CWI_BCHAN_HDR, CWI_BCHAN_FRAME);
		*ret_channel = buf[1];
		return CWI_BCHAN_FRAME;
	}
}

static int socket_write(struct cwi_bchan *b, int channel, const uint8_t *frame)
{
	struct cwi_bchan_chan *c = &b->ch[channel];
	uint8_t buf[DGRAM];
	ssize_t n;

	buf[0] = CWI_BCHAN_VERSION;
	buf[1] = (uint8_t)channel;
	buf[2] = (uint8_t)(c->tx_seq >> 8);
	buf[3] = (uint8_t)c->tx_seq;
	memcpy(buf + CWI_BCHAN_HDR, frame, CWI_BCHAN_FRAME);
	c->tx_seq++; /* the period passes whether or not the frame fits */
	do
		n = send(b->fd, buf, sizeof(buf), MSG_NOSIGNAL | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(buf))
		return 0;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return -EAGAIN;
	return n < 0 ? -errno : -EIO;
}

static void socket_free(struct cwi_bchan *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}

static const struct cwi_bchan_ops socket_ops = {
	.read = socket_read,
	.write = socket_write,
	.free = socket_free,
};

/* Takes fd (closed on failure). */
static int wrap(int fd, const char *path, enum cwi_bchan_law law, struct cwi_bchan **ret)
{
	struct cwi_bchan *b = cwi_bchan_alloc(&socket_ops, law);

	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	b->fd = fd;
	snprintf(b->name, sizeof(b->name), "socket %s", path ? path : "(fd)");
	*ret = b;
	return 0;
}

/* The fd out of a D-channel socket handle: the same SEQPACKET setup serves the audio. */
static int take_fd(struct cwi_dchan *d)
{
	int fd = d->fd;

	d->fd = -1;
	cwi_dchan_free(d);
	return fd;
}

/* The handle over the fd of a D-channel socket just made (r its result). */
static int from_dchan(int r, struct cwi_dchan **d, const char *path, enum cwi_bchan_law law,
                      struct cwi_bchan **ret)
{
	if (r < 0)
		return r;
	return wrap(take_fd(*d), path, law, ret);
}

int cwi_bchan_socket_connect(const char *path, enum cwi_bchan_law law, struct cwi_bchan **ret)
{
	struct cwi_dchan *d = NULL;

	if (!ret)
		return -EINVAL;
	return from_dchan(cwi_dchan_socket_connect(path, &d), &d, path, law, ret);
}

int cwi_bchan_socket_listen(const char *path)
{
	return cwi_dchan_socket_listen(path);
}

int cwi_bchan_socket_accept(int listen_fd, enum cwi_bchan_law law, struct cwi_bchan **ret)
{
	struct cwi_dchan *d = NULL;

	if (!ret)
		return -EINVAL;
	return from_dchan(cwi_dchan_socket_accept(listen_fd, &d), &d, "(accepted)", law, ret);
}

int cwi_bchan_socket_adopt(int fd, enum cwi_bchan_law law, struct cwi_bchan **ret)
{
	struct cwi_dchan *d = NULL;

	if (!ret)
		return -EINVAL;
	/* cwi_dchan_socket_adopt() sets O_NONBLOCK */
	return from_dchan(cwi_dchan_socket_adopt(fd, &d), &d, NULL, law, ret);
}

#ifndef CW_HAVE_DAHDI
int cwi_bchan_dahdi_open(int first_channo, enum cwi_bchan_law law, struct cwi_bchan **ret)
{
	(void)first_channo;
	(void)law;
	(void)ret;
	return -ENOTSUP; /* built without dahdi/user.h */
}
#endif
