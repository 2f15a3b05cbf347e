/* SPDX-License-Identifier: MIT */
/*
 * dchan.h — D-channel sources for the span adapter: a Unix SOCK_SEQPACKET
 * socket (simulator, tests, demo) or a DAHDI HDLC channel. Either way one
 * read() or write() is one Q.921 frame plus 2 FCS bytes, which is libpri's
 * framing (docs/libpri.md §1, docs/dahdi.md §1.2).
 */
#ifndef CW_PRI_DCHAN_H
#define CW_PRI_DCHAN_H

#include <stddef.h>
#include <sys/types.h>

struct cw_dchan;

/* Results of cw_dchan_read(). */
#define CW_DCHAN_AGAIN 0   /* no frame now (EAGAIN, or a DAHDI event was handled) */
#define CW_DCHAN_LOST (-1) /* EOF, reset, ENODEV: the source is gone */

/*
 * cw_dchan_socket_connect() - connect to the SOCK_SEQPACKET socket at path
 * (the bridge's side; the fd is non-blocking). Returns 0 or -errno.
 */
int cw_dchan_socket_connect(const char *path, struct cw_dchan **ret);

/*
 * cw_dchan_socket_listen() - bind and listen on path (the simulator's side).
 * A stale socket file at path is removed first; any other file is an error.
 * Returns the listening fd (non-blocking, close-on-exec) or -errno.
 */
int cw_dchan_socket_listen(const char *path);

/* cw_dchan_socket_accept() - accept one peer on a listening fd. 0 or -errno (-EAGAIN). */
int cw_dchan_socket_accept(int listen_fd, struct cw_dchan **ret);

/* cw_dchan_socket_adopt() - wrap an already connected SEQPACKET fd (socketpair). 0 or -errno. */
int cw_dchan_socket_adopt(int fd, struct cw_dchan **ret);

/*
 * cw_dchan_dahdi_open() - open DAHDI channel channo as a D-channel
 * (docs/dahdi.md §1.1). Returns 0, -ENOENT when DAHDI is not present, -ENOTSUP
 * when built without dahdi/user.h, or another -errno.
 */
int cw_dchan_dahdi_open(int channo, struct cw_dchan **ret);

/* cw_dchan_fd() - the fd to poll for input (POLLIN; DAHDI also POLLPRI). */
int cw_dchan_fd(const struct cw_dchan *d);

/* cw_dchan_name() - "socket PATH", "dahdi N": for logs. */
const char *cw_dchan_name(const struct cw_dchan *d);

/* cw_dchan_alarm() - 1 while the DAHDI span reports an alarm; always 0 for sockets. */
int cw_dchan_alarm(const struct cw_dchan *d);

/* cw_dchan_read() - one frame (with FCS) into buf: > 0 bytes, CW_DCHAN_AGAIN or CW_DCHAN_LOST. */
ssize_t cw_dchan_read(struct cw_dchan *d, void *buf, size_t len);

/* cw_dchan_write() - one frame (with FCS): 0 when all len bytes were written, -1 otherwise. */
int cw_dchan_write(struct cw_dchan *d, const void *buf, size_t len);

/* cw_dchan_free() - close and free; NULL is a no-op. */
void cw_dchan_free(struct cw_dchan *d);

#endif
