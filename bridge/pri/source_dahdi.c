/* SPDX-License-Identifier: MIT */
/*
 * source_dahdi.c — a D-channel on a DAHDI HDLC channel (docs/dahdi.md §1, §3).
 * Built only when dahdi/user.h is available (Debian: dahdi-source).
 *
 * Open sequence as Asterisk's prepare_pri(), but non-blocking for the epoll
 * loop: open /dev/dahdi/channel, DAHDI_SPECIFY (must be the first ioctl),
 * DAHDI_GET_PARAMS (sigtype HDLCFCS or HARDHDLC), DAHDI_SPANSTAT for the
 * starting alarm state (the event queue is cleared at open), DAHDI_SET_BUFINFO
 * (immediate policies, 32 x 1024).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* user.h has zero-length arrays (a GNU extension): keep -Wpedantic quiet. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include <dahdi/user.h>
#pragma GCC diagnostic pop

#include "dchan_impl.h"

/*
 * docs/dahdi.md §1.3: while any event is queued, read() and write() fail with
 * ELAST (500, defined by user.h). Pop events one by one with DAHDI_GETEVENT
 * until DAHDI_EVENT_NONE. Returns -1 when the device was removed.
 */
static int dahdi_drain_events(struct cwi_dchan *d)
{
	int i;

	/* The queue holds DAHDI_MAX_EVENTSIZE (64) events: bound the loop. */
	for (i = 0; i < 128; i++) {
		int ev = DAHDI_EVENT_NONE;

		if (ioctl(d->fd, DAHDI_GETEVENT, &ev) < 0)
			return errno == ENODEV ? -1 : 0;
		switch (ev) {
		case DAHDI_EVENT_NONE:
			return 0;
		case DAHDI_EVENT_ALARM:
			d->alarm = 1;
			break;
		case DAHDI_EVENT_NOALARM:
			d->alarm = 0;
			break;
		case DAHDI_EVENT_REMOVED:
			return -1;
		default: /* ABORT, OVERRUN, BADFCS: the frame is lost; Q.921 recovers (T200) */
			break;
		}
	}
	return 0;
}

static ssize_t dahdi_read(struct cwi_dchan *d, void *buf, size_t len)
{
	ssize_t n;

	/* One read() is one frame plus its 2 FCS bytes (docs/dahdi.md §1.2); libpri's
	 * buffer is 1024 = our bufsize, so no frame is cut. */
	do
		n = read(d->fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		return n;
	if (n == 0)
		return CWI_DCHAN_AGAIN;
	if (errno == EAGAIN)
		return CWI_DCHAN_AGAIN;
	if (errno == ELAST)
		return dahdi_drain_events(d) < 0 ? CWI_DCHAN_LOST : CWI_DCHAN_AGAIN;
	return CWI_DCHAN_LOST; /* ENODEV: unplugged (docs/dahdi.md §1.3) */
}

static int dahdi_write(struct cwi_dchan *d, const void *buf, size_t len)
{
	int attempt;

	/* The core overwrites the last 2 bytes with the real FCS (docs/dahdi.md §1.2). */
	for (attempt = 0; attempt < 2; attempt++) {
		ssize_t n;

		do
			n = write(d->fd, buf, len);
		while (n < 0 && errno == EINTR);
		if (n == (ssize_t)len)
			return 0;
		if (n < 0 && errno == ELAST && dahdi_drain_events(d) == 0)
			continue; /* drain events, retry once (docs/dahdi.md §3) */
		break;
	}
	return -1;
}

static const struct cwi_dchan_ops dahdi_ops = {
	.read = dahdi_read,
	.write = dahdi_write,
};

int cwi_dchan_dahdi_open(int channo, struct cwi_dchan **ret)
{
	struct dahdi_params p;
	struct dahdi_spaninfo si;
	struct dahdi_bufferinfo bi;
	struct cwi_dchan *d;
	int fd, r;

	if (!ret || channo <= 0)
		return -EINVAL;
	fd = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno; /* ENOENT: DAHDI not present (docs/dahdi.md §2) */
	if (ioctl(fd, DAHDI_SPECIFY, &channo) < 0)
		goto fail; /* EINVAL no such channel, ENXIO unconfigured, EBUSY in use */
	memset(&p, 0, sizeof(p));
	if (ioctl(fd, DAHDI_GET_PARAMS, &p) < 0)
		goto fail;
	/* dchan= gives HDLCFCS, hardhdlc= HARDHDLC; same userspace framing
	 * (docs/dahdi.md §3). HDLCRAW has no FCS handling: wrong for libpri. */
	if (p.sigtype != DAHDI_SIG_HDLCFCS && p.sigtype != DAHDI_SIG_HARDHDLC) {
		close(fd);
		return -EPROTOTYPE;
	}
	memset(&bi, 0, sizeof(bi));
	bi.txbufpolicy = DAHDI_POLICY_IMMEDIATE;
	bi.rxbufpolicy = DAHDI_POLICY_IMMEDIATE;
	bi.numbufs = 32;
	bi.bufsize = 1024;
	if (ioctl(fd, DAHDI_SET_BUFINFO, &bi) < 0)
		goto fail;
	d = calloc(1, sizeof(*d));
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	memset(&si, 0, sizeof(si));
	si.spanno = 0; /* 0 = this fd's span */
	if (ioctl(fd, DAHDI_SPANSTAT, &si) == 0)
		d->alarm = si.alarms != 0;
	d->ops = &dahdi_ops;
	d->fd = fd;
	snprintf(d->name, sizeof(d->name), "dahdi %d (span %d)", channo, p.spanno);
	*ret = d;
	return 0;
fail:
	r = -errno;
	close(fd);
	return r;
}
