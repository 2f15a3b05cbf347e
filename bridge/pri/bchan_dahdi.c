/* SPDX-License-Identifier: MIT */
/*
 * bchan_dahdi.c — a span's B-channels on DAHDI (docs/dahdi.md §4), one
 * /dev/dahdi/channel fd per open channel. Built only when dahdi/user.h is
 * available (Debian: dahdi-source), as source_dahdi.c.
 *
 * Open sequence per channel, as chan_dahdi does for a bearer channel but
 * non-blocking for the epoll loop: open /dev/dahdi/channel, DAHDI_SPECIFY
 * (the first ioctl), DAHDI_SET_BLOCKSIZE 160 (one read() = one 20 ms
 * frame), DAHDI_SETLAW (the span's law), DAHDI_AUDIOMODE 1 (audio, not
 * clear-channel data).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* user.h has zero-length arrays (a GNU extension): keep -Wpedantic quiet. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include <dahdi/user.h>
#pragma GCC diagnostic pop

#include "bchan_impl.h"

/* docs/dahdi.md §1.3: while an event is queued read() and write() fail with
 * ELAST; pop them (bounded). -1 when the device is gone. */
static int drain_events(int fd)
{
	int i;

	for (i = 0; i < 128; i++) {
		int ev = DAHDI_EVENT_NONE;

		if (ioctl(fd, DAHDI_GETEVENT, &ev) < 0)
			return errno == ENODEV ? -1 : 0;
		if (ev == DAHDI_EVENT_NONE)
			return 0;
		if (ev == DAHDI_EVENT_REMOVED)
			return -1;
	}
	return 0;
}

static int dahdi_open_channel(struct cwi_bchan *b, int channel)
{
	int channo = b->first_channo + channel - 1;
	int blocksize = CWI_BCHAN_FRAME;
	int law = b->law == CWI_BCHAN_ULAW ? DAHDI_LAW_MULAW : DAHDI_LAW_ALAW;
	int audio = 1;
	int fd, r;

	fd = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno; /* ENOENT: DAHDI not present (docs/dahdi.md §2) */
	if (ioctl(fd, DAHDI_SPECIFY, &channo) < 0 ||
	    ioctl(fd, DAHDI_SET_BLOCKSIZE, &blocksize) < 0 ||
	    ioctl(fd, DAHDI_SETLAW, &law) < 0 ||
	    ioctl(fd, DAHDI_AUDIOMODE, &audio) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	b->ch[channel].fd = fd;
	return 0;
}

static void dahdi_close_channel(struct cwi_bchan *b, int channel)
{
	if (b->ch[channel].fd >= 0)
		close(b->ch[channel].fd);
	b->ch[channel].fd = -1;
}

/* One channel's next block: CWI_BCHAN_FRAME, CWI_BCHAN_AGAIN or CWI_BCHAN_LOST. */
static ssize_t read_channel(struct cwi_bchan_chan *c, uint8_t *frame)
{
	ssize_t n;

	do
		n = read(c->fd, frame, CWI_BCHAN_FRAME);
	while (n < 0 && errno == EINTR);
	if (n == CWI_BCHAN_FRAME) {
		c->st.rx_frames++;
		return n;
	}
	if (n >= 0 || errno == EAGAIN)
		return CWI_BCHAN_AGAIN; /* a short block only while the block size settles */
	if (errno == ELAST)
		return drain_events(c->fd) < 0 ? CWI_BCHAN_LOST : CWI_BCHAN_AGAIN;
	return CWI_BCHAN_LOST;
}

static ssize_t dahdi_read(struct cwi_bchan *b, int *ret_channel, uint8_t *frame)
{
	int i;

	/* Round robin from where the last read stopped: no channel starves. */
	for (i = 0; i < CWI_BCHAN_MAX_CHANNEL; i++) {
		int channel = 1 + (b->next_read + i) % CWI_BCHAN_MAX_CHANNEL;
		struct cwi_bchan_chan *c = &b->ch[channel];
		ssize_t n;

		if (!c->open || c->fd < 0)
			continue;
		n = read_channel(c, frame);
		if (n == CWI_BCHAN_AGAIN)
			continue;
		b->next_read = channel % CWI_BCHAN_MAX_CHANNEL;
		if (n == CWI_BCHAN_FRAME)
			*ret_channel = channel;
		return n;
	}
	return CWI_BCHAN_AGAIN;
}

static int dahdi_write(struct cwi_bchan *b, int channel, const uint8_t *frame)
{
	int fd = b->ch[channel].fd, attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		ssize_t n;

		do
			n = write(fd, frame, CWI_BCHAN_FRAME);
		while (n < 0 && errno == EINTR);
		if (n == CWI_BCHAN_FRAME)
			return 0;
		if (n < 0 && errno == ELAST && drain_events(fd) == 0)
			continue; /* retry once after the events (docs/dahdi.md §3) */
		if (n < 0 && errno == EAGAIN)
			return -EAGAIN; /* every transmit buffer is full */
		return n < 0 ? -errno : -EIO;
	}
	return -EIO;
}

static const struct cwi_bchan_ops dahdi_ops = {
	.open = dahdi_open_channel,
	.close = dahdi_close_channel,
	.read = dahdi_read,
	.write = dahdi_write,
};

int cwi_bchan_dahdi_open(int first_channo, enum cwi_bchan_law law, struct cwi_bchan **ret)
{
	struct cwi_bchan *b;

	if (!ret || first_channo <= 0)
		return -EINVAL;
	if (access("/dev/dahdi/channel", F_OK) < 0)
		return -errno; /* ENOENT: DAHDI not present (docs/dahdi.md §2) */
	b = cwi_bchan_alloc(&dahdi_ops, law);
	if (!b)
		return -ENOMEM;
	b->first_channo = first_channo;
	snprintf(b->name, sizeof(b->name), "dahdi %d", first_channo);
	*ret = b;
	return 0;
}
