/* SPDX-License-Identifier: MIT */
/*
 * source_socket.c — a D-channel over a Unix SOCK_SEQPACKET socket, plus the
 * kind-independent cwi_dchan functions.
 *
 * SEQPACKET keeps frame boundaries (one send = one Q.921 frame + 2 junk FCS
 * bytes, docs/libpri.md §1) and, unlike libpri's own SOCK_DGRAM test
 * setup, reports EOF when the peer goes away: a 0-byte recv() is "lost".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "dchan_impl.h"

static ssize_t socket_read(struct cwi_dchan *d, void *buf, size_t len)
{
	ssize_t n;

	do
		n = recv(d->fd, buf, len, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		return n;
	if (n == 0)
		return CWI_DCHAN_LOST; /* SEQPACKET: orderly shutdown by the peer */
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return CWI_DCHAN_AGAIN;
	return CWI_DCHAN_LOST;         /* ECONNRESET, ENOTCONN, ... */
}

static int socket_write(struct cwi_dchan *d, const void *buf, size_t len)
{
	ssize_t n;

	/* MSG_NOSIGNAL: a closed peer gives EPIPE, not SIGPIPE (docs/libpri.md §1). */
	do
		n = send(d->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len ? 0 : -1;
}

static const struct cwi_dchan_ops socket_ops = {
	.read = socket_read,
	.write = socket_write,
};

static int fill_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (!path || !*path || strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

static int wrap(int fd, const char *what, const char *path, struct cwi_dchan **ret)
{
	struct cwi_dchan *d = calloc(1, sizeof(*d));
	int flags;

	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		(void)fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	d->ops = &socket_ops;
	d->fd = fd;
	snprintf(d->name, sizeof(d->name), "%s %s", what, path ? path : "(fd)");
	*ret = d;
	return 0;
}

int cwi_dchan_socket_connect(const char *path, struct cwi_dchan **ret)
{
	struct sockaddr_un sun;
	int fd, r;

	if (!ret)
		return -EINVAL;
	r = fill_addr(path, &sun);
	if (r < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* Connect blocking: a local connect either succeeds or fails at once. */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return wrap(fd, "socket", path, ret);
}

int cwi_dchan_socket_listen(const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, r;

	r = fill_addr(path, &sun);
	if (r < 0)
		return r;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		(void)unlink(path); /* stale socket from an earlier run */
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 4) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

int cwi_dchan_socket_accept(int listen_fd, struct cwi_dchan **ret)
{
	int fd;

	if (!ret)
		return -EINVAL;
	fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return -errno;
	return wrap(fd, "socket", "(accepted)", ret);
}

int cwi_dchan_socket_adopt(int fd, struct cwi_dchan **ret)
{
	if (fd < 0 || !ret)
		return -EINVAL;
	return wrap(fd, "socket", NULL, ret);
}

#ifndef CW_HAVE_DAHDI
int cwi_dchan_dahdi_open(int channo, struct cwi_dchan **ret)
{
	(void)channo;
	(void)ret;
	return -ENOTSUP; /* built without dahdi/user.h */
}
#endif

int cwi_dchan_fd(const struct cwi_dchan *d)
{
	return d ? d->fd : -1;
}

const char *cwi_dchan_name(const struct cwi_dchan *d)
{
	return d ? d->name : "(none)";
}

int cwi_dchan_alarm(const struct cwi_dchan *d)
{
	return d ? d->alarm : 0;
}

ssize_t cwi_dchan_read(struct cwi_dchan *d, void *buf, size_t len)
{
	if (!d || d->fd < 0)
		return CWI_DCHAN_LOST;
	return d->ops->read(d, buf, len);
}

int cwi_dchan_write(struct cwi_dchan *d, const void *buf, size_t len)
{
	if (!d || d->fd < 0)
		return -1;
	return d->ops->write(d, buf, len);
}

void cwi_dchan_free(struct cwi_dchan *d)
{
	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	free(d);
}
