/* SPDX-License-Identifier: MIT */
/*
 * test_dahdi_double.c — bridge/pri/source_dahdi.c on the DAHDI device double
 * (LD_PRELOAD, dahdi_double.c), this program playing the simulator's end of
 * the line: the open sequence and its errors (docs/dahdi.md §1.1), one frame
 * each way with the FCS the "driver" writes (§1.2), alarms and events through
 * ELAST / DAHDI_GETEVENT / POLLPRI (§1.3), a lost line as a red alarm and its
 * recovery, DAHDI_EVENT_REMOVED as a lost source.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include <dahdi/user.h>
#pragma GCC diagnostic pop

#include "../unit/check.h"
#include "dchan.h"

static char dir[64], span_path[100], ctl_path[100];

/* One line to the double's control socket; its answer into out. */
static int control(const char *line, char *out, size_t len)
{
	struct sockaddr_un a;
	ssize_t n;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", ctl_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (send(fd, line, strlen(line), 0) < 0 || send(fd, "\n", 1, 0) < 0) {
		close(fd);
		return -1;
	}
	n = recv(fd, out, len - 1, MSG_WAITALL);
	close(fd);
	out[n > 0 ? n : 0] = '\0';
	return strncmp(out, "ok", 2) == 0 ? 0 : -1;
}

static short wait_fd(int fd, short events, int ms)
{
	struct pollfd p = {.fd = fd, .events = events};

	return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

/* HDLC FCS residue check (ISO/IEC 13239 §4.2.5.2): CRC-16/X.25 over frame + FCS is 0xF0B8. */
static int fcs_good(const unsigned char *p, size_t n)
{
	unsigned crc = 0xffff;
	size_t i;
	int b;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (b = 0; b < 8; b++)
			crc = (crc & 1) ? (crc >> 1) ^ 0x8408 : crc >> 1;
	}
	return crc == 0xf0b8;
}

/* Read from d until a frame, a loss, or ms pass; the last result. */
static ssize_t read_until(struct cwi_dchan *d, unsigned char *buf, size_t len, int ms)
{
	ssize_t n = CWI_DCHAN_AGAIN;
	int waited;

	for (waited = 0; waited < ms; waited += 10) {
		if (wait_fd(cwi_dchan_fd(d), POLLIN | POLLPRI, 10))
			n = cwi_dchan_read(d, buf, len);
		if (n != CWI_DCHAN_AGAIN)
			break;
	}
	return n;
}

/* Serve the fd until cwi_dchan_alarm() is want, or ms pass. */
static int alarm_becomes(struct cwi_dchan *d, int want, int ms)
{
	unsigned char buf[64];
	int waited;

	for (waited = 0; waited < ms && cwi_dchan_alarm(d) != want; waited += 10)
		if (wait_fd(cwi_dchan_fd(d), POLLIN | POLLPRI, 10))
			(void)cwi_dchan_read(d, buf, sizeof(buf));
	return cwi_dchan_alarm(d) == want;
}

static int accept_line(int listen_fd)
{
	if (!(wait_fd(listen_fd, POLLIN, 2000) & POLLIN))
		return -1;
	return accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
}

static void test_open_errors(void)
{
	struct cwi_dchan *d = NULL;
	int fd, ch = 21, ev; /* 21: its line has no simulator */

	CHECK(cwi_dchan_dahdi_open(99, &d) == -EINVAL);  /* no such channel */
	CHECK(cwi_dchan_dahdi_open(17, &d) == -ENXIO);   /* not configured */
	CHECK(cwi_dchan_dahdi_open(18, &d) == -EPROTOTYPE); /* HDLCRAW: no FCS handling */
	/* any ioctl before SPECIFY fails with ENOSYS */
	fd = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK);
	CHECK(fd >= 0);
	CHECK(ioctl(fd, DAHDI_GETEVENT, &ev) < 0 && errno == ENOSYS);
	CHECK(ioctl(fd, DAHDI_SPECIFY, &ch) == 0);
	CHECK(ioctl(fd, DAHDI_SPECIFY, &ch) < 0 && errno == EINVAL);
	close(fd);
	CHECK(open("/dev/dahdi/ctl", O_RDWR) < 0 && errno == ENOENT);
}

static void test_frames_and_alarms(int *listen_fd)
{
	static const unsigned char sabme[] = {0x00, 0x01, 0x7f, 0, 0}; /* + 2 FCS placeholders */
	static const unsigned char ua[] = {0x00, 0x01, 0x73, 0xaa, 0xbb};
	struct cwi_dchan *d = NULL, *second = NULL;
	struct dahdi_spaninfo si;
	unsigned char buf[2048], big[1500];
	char ans[128];
	ssize_t n;
	int line, fd;

	CHECK(cwi_dchan_dahdi_open(16, &d) == 0);
	if (!d)
		return;
	CHECK(cwi_dchan_alarm(d) == 0);
	CHECK(cwi_dchan_dahdi_open(16, &second) == -EBUSY); /* opening is exclusive */
	line = accept_line(*listen_fd);
	CHECK(line >= 0);

	/* §1.2: one write is one frame; the driver writes the FCS over the last 2 bytes */
	CHECK(cwi_dchan_write(d, sabme, sizeof(sabme)) == 0);
	CHECK(wait_fd(line, POLLIN, 2000) & POLLIN);
	n = recv(line, buf, sizeof(buf), 0);
	CHECK(n == (ssize_t)sizeof(sabme) && memcmp(buf, sabme, 3) == 0 && fcs_good(buf, (size_t)n));
	/* one read is one frame, its 2 FCS bytes included */
	CHECK(send(line, ua, sizeof(ua), 0) == (ssize_t)sizeof(ua));
	n = read_until(d, buf, sizeof(buf), 2000);
	CHECK(n == (ssize_t)sizeof(ua) && memcmp(buf, ua, sizeof(ua)) == 0);
	/* a write longer than the block size (1024) is cut, without an error */
	memset(big, 0x55, sizeof(big));
	CHECK(write(cwi_dchan_fd(d), big, sizeof(big)) == 1024);
	CHECK(wait_fd(line, POLLIN, 2000) & POLLIN);
	CHECK(recv(line, buf, sizeof(buf), 0) == 1024);

	/* §1.3: an alarm queues DAHDI_EVENT_ALARM: POLLPRI, then ELAST until GETEVENT */
	CHECK(control("alarm 1 red", ans, sizeof(ans)) == 0);
	CHECK(wait_fd(cwi_dchan_fd(d), POLLPRI, 2000) & POLLPRI);
	fd = cwi_dchan_fd(d);
	CHECK(read(fd, buf, sizeof(buf)) < 0 && errno == ELAST);
	CHECK(write(fd, sabme, sizeof(sabme)) < 0 && errno == ELAST);
	CHECK(cwi_dchan_read(d, buf, sizeof(buf)) == CWI_DCHAN_AGAIN); /* drains the events */
	CHECK(cwi_dchan_alarm(d) == 1);
	memset(&si, 0, sizeof(si));
	CHECK(ioctl(fd, DAHDI_SPANSTAT, &si) == 0 && (si.alarms & DAHDI_ALARM_RED) && si.spanno == 1);
	/* red: nothing passes either way */
	CHECK(send(line, ua, sizeof(ua), 0) == (ssize_t)sizeof(ua));
	CHECK(read_until(d, buf, sizeof(buf), 200) == CWI_DCHAN_AGAIN);
	CHECK(cwi_dchan_write(d, sabme, sizeof(sabme)) == 0); /* an alarm alone does not fail write() */
	CHECK(!(wait_fd(line, POLLIN, 200) & POLLIN));
	/* a change between alarms raises nothing */
	CHECK(control("alarm 1 yellow", ans, sizeof(ans)) == 0);
	CHECK(!(wait_fd(fd, POLLPRI, 200) & POLLPRI));
	CHECK(control("clear 1", ans, sizeof(ans)) == 0 && strstr(ans, "alarms 0x0"));
	CHECK(alarm_becomes(d, 0, 2000));
	CHECK(send(line, ua, sizeof(ua), 0) == (ssize_t)sizeof(ua));
	CHECK(read_until(d, buf, sizeof(buf), 2000) == (ssize_t)sizeof(ua));

	/* a lost frame (BADFCS) is drained and changes nothing */
	CHECK(control("event 16 8", ans, sizeof(ans)) == 0);
	CHECK(wait_fd(fd, POLLPRI, 2000) & POLLPRI);
	CHECK(cwi_dchan_read(d, buf, sizeof(buf)) == CWI_DCHAN_AGAIN);
	CHECK(cwi_dchan_alarm(d) == 0 && !(wait_fd(fd, POLLPRI, 50) & POLLPRI));

	/* the line gone (the simulator stopped): red alarm; back: no alarm */
	close(*listen_fd);
	close(line);
	CHECK(alarm_becomes(d, 1, 2000));
	*listen_fd = cwi_dchan_socket_listen(span_path);
	CHECK(*listen_fd >= 0);
	line = accept_line(*listen_fd);
	CHECK(line >= 0);
	CHECK(alarm_becomes(d, 0, 2000));

	/* the device unplugged: the source is lost */
	CHECK(control("event 16 20", ans, sizeof(ans)) == 0);
	CHECK(read_until(d, buf, sizeof(buf), 2000) == CWI_DCHAN_LOST);
	cwi_dchan_free(d);
	if (line >= 0)
		close(line);
}

/* Opened while the span is in alarm: SPANSTAT gives the state, no event is queued. */
static void test_open_in_alarm(void)
{
	struct cwi_dchan *d = NULL;
	char ans[128];

	CHECK(control("alarm 2 blue", ans, sizeof(ans)) == 0);
	CHECK(cwi_dchan_dahdi_open(20, &d) == 0);
	if (!d)
		return;
	CHECK(cwi_dchan_alarm(d) == 1);
	CHECK(!(wait_fd(cwi_dchan_fd(d), POLLPRI, 100) & POLLPRI));
	CHECK(control("clear 2", ans, sizeof(ans)) == 0);
	CHECK(alarm_becomes(d, 0, 2000));
	cwi_dchan_free(d);
}

int main(void)
{
	char chans[512];
	int listen_fd;

	snprintf(dir, sizeof(dir), "/tmp/cw-dahdi-double-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(span_path, sizeof(span_path), "%s/span.sock", dir);
	snprintf(ctl_path, sizeof(ctl_path), "%s/ctl.sock", dir);
	snprintf(chans, sizeof(chans),
	         "16:1:hdlcfcs:%s,17:1:unconfigured:-,18:1:hdlcraw:%s/nowhere.sock,"
	         "20:2:hardhdlc:%s,21:3:hdlcfcs:%s/nowhere.sock",
	         span_path, dir, span_path, dir);
	setenv("CW_DAHDI_DOUBLE_CHANNELS", chans, 1);
	setenv("CW_DAHDI_DOUBLE_CONTROL", ctl_path, 1);
	listen_fd = cwi_dchan_socket_listen(span_path);
	if (listen_fd < 0) {
		fprintf(stderr, "listen %s: %s\n", span_path, strerror(-listen_fd));
		return 1;
	}
	test_open_errors();
	test_frames_and_alarms(&listen_fd);
	test_open_in_alarm(); /* its line waits in the listen backlog */
	if (listen_fd >= 0)
		close(listen_fd);
	unlink(span_path);
	unlink(ctl_path);
	rmdir(dir);
	return check_done();
}
