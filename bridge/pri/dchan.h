/* SPDX-License-Identifier: MIT */
/*
 * dchan.h — D-channel sources for the span adapter: a Unix SOCK_SEQPACKET
 * socket (simulator, tests, demo) or a DAHDI HDLC channel. Either way one
 * read() or write() is one Q.921 frame plus 2 FCS bytes, which is libpri's
 * framing (docs/libpri.md §1, docs/dahdi.md §1.2).
 */
#ifndef BRIDGE_PRI_DCHAN_H
#define BRIDGE_PRI_DCHAN_H

#include <stddef.h>
#include <sys/types.h>

struct cwi_dchan;

/* Results of cwi_dchan_read(). */
#define CWI_DCHAN_AGAIN 0   /* no frame now (EAGAIN, or a DAHDI event was handled) */
#define CWI_DCHAN_LOST (-1) /* EOF, reset, ENODEV: the source is gone */

/*
 * cwi_dchan_socket_connect() - connect to the SOCK_SEQPACKET socket at path
 * (the bridge's side; the fd is non-blocking). Returns 0 or -errno.
 */
int cwi_dchan_socket_connect(const char *path, struct cwi_dchan **ret);

/*
 * cwi_dchan_socket_listen() - bind and listen on path (the simulator's side).
 * A stale socket file at path is removed first; any other file is an error.
 * Returns the listening fd (non-blocking, close-on-exec) or -errno.
 */
int cwi_dchan_socket_listen(const char *path);

/* cwi_dchan_socket_accept() - accept one peer on a listening fd. 0 or -errno (-EAGAIN). */
int cwi_dchan_socket_accept(int listen_fd, struct cwi_dchan **ret);

/* cwi_dchan_socket_adopt() - wrap an already connected SEQPACKET fd (socketpair). 0 or -errno. */
int cwi_dchan_socket_adopt(int fd, struct cwi_dchan **ret);

/*
 * cwi_dchan_dahdi_open() - open DAHDI channel channo as a D-channel
 * (docs/dahdi.md §1.1). Returns 0, -ENOENT when DAHDI is not present, -ENOTSUP
 * when built without dahdi/user.h, or another -errno.
 */
int cwi_dchan_dahdi_open(int channo, struct cwi_dchan **ret);

/* cwi_dchan_fd() - the fd to poll for input (POLLIN; DAHDI also POLLPRI). */
int cwi_dchan_fd(const struct cwi_dchan *d);

/* cwi_dchan_name() - "socket PATH", "dahdi N": for logs. */
const char *cwi_dchan_name(const struct cwi_dchan *d);

/* cwi_dchan_alarm() - 1 while the DAHDI span reports an alarm; always 0 for sockets. */
int cwi_dchan_alarm(const struct cwi_dchan *d);

/* cwi_dchan_read() - one frame (with FCS) into buf: > 0 bytes, CWI_DCHAN_AGAIN or CWI_DCHAN_LOST. */
ssize_t cwi_dchan_read(struct cwi_dchan *d, void *buf, size_t len);

/* cwi_dchan_write() - one frame (with FCS): 0 when all len bytes were written, -1 otherwise. */
int cwi_dchan_write(struct cwi_dchan *d, const void *buf, size_t len);

/* cwi_dchan_free() - close and free; NULL is a no-op. */
void cwi_dchan_free(struct cwi_dchan *d);

#endif
