/* SPDX-License-Identifier: MIT */
/*
 * bchan.h — a span's B-channel audio behind one handle: 20 ms G.711 frames
 * (160 octets at 8 kHz) read and written per channel, non-blocking, for the
 * caller's epoll loop. Two kinds, like the D-channel sources (dchan.h):
 *
 * - a Unix SOCK_SEQPACKET socket per span (the simulator, the tests): one
 *   datagram is one channel-tagged frame, CWI_BCHAN_HDR + CWI_BCHAN_FRAME
 *   octets (README.md "B-channel audio socket"); the simulator is the TDM
 *   clock and sends one frame per active channel every 20 ms, the bridge
 *   answers frame for frame;
 * - DAHDI: one /dev/dahdi/channel fd per B-channel in audio mode with a
 *   160-octet block size (docs/dahdi.md §4).
 *
 * Channels are the span's B-channel numbers as Q.931 names them (the
 * Channel identification IE's channel number, 1..31).
 */
#ifndef BRIDGE_PRI_BCHAN_H
#define BRIDGE_PRI_BCHAN_H

#include <stdint.h>
#include <sys/types.h>

#define CWI_BCHAN_FRAME 160      /* 20 ms of G.711 at 8000 samples/s */
#define CWI_BCHAN_PERIOD_MS 20
#define CWI_BCHAN_HDR 4          /* socket framing: version, channel, sequence (2, big-endian) */
#define CWI_BCHAN_VERSION 1
#define CWI_BCHAN_MAX_CHANNEL 31

/* Results of cwi_bchan_read(). */
#define CWI_BCHAN_AGAIN 0        /* no frame now */
#define CWI_BCHAN_LOST (-1)      /* EOF, reset, ENODEV: the source is gone */

/* The companding law of a span's B-channels (G.711 §1: A-law E1, µ-law T1). */
enum cwi_bchan_law { CWI_BCHAN_ALAW = 1, CWI_BCHAN_ULAW = 2 };

/* Per-channel counters. */
struct cwi_bchan_stats {
	uint64_t rx_frames;     /* frames read */
	uint64_t tx_frames;     /* frames written */
	uint64_t rx_gaps;       /* sequence numbers missing between frames read (socket) */
	uint64_t underruns;     /* periods the caller had no frame for (cwi_bchan_skip) */
	uint64_t overruns;      /* frames dropped: the socket or the device buffer was full,
	                           or a frame came for a channel not open */
};

struct cwi_bchan;

/* cwi_bchan_law_for_switchtype() - A-law for E1 (euroisdn, qsig), µ-law for the T1 switch types. */
enum cwi_bchan_law cwi_bchan_law_for_switchtype(int pri_switchtype);

/* cwi_bchan_law_name() - "alaw" or "ulaw". */
const char *cwi_bchan_law_name(enum cwi_bchan_law law);

/* cwi_bchan_law_from_name() - "alaw" / "ulaw" into *ret: 0, or -EINVAL. */
int cwi_bchan_law_from_name(const char *name, enum cwi_bchan_law *ret);

/* cwi_bchan_idle_octet() - the law's code for silence (+0): 0xd5 A-law, 0xff µ-law. */
uint8_t cwi_bchan_idle_octet(enum cwi_bchan_law law);

/* cwi_bchan_socket_connect() - connect to the span's audio socket at path. 0 or -errno. */
int cwi_bchan_socket_connect(const char *path, enum cwi_bchan_law law, struct cwi_bchan **ret);

/* cwi_bchan_socket_listen() - bind and listen on path (the simulator's side): the fd or -errno. */
int cwi_bchan_socket_listen(const char *path);

/* cwi_bchan_socket_accept() - accept one peer on a listening fd. 0 or -errno (-EAGAIN). */
int cwi_bchan_socket_accept(int listen_fd, enum cwi_bchan_law law, struct cwi_bchan **ret);

/* cwi_bchan_socket_adopt() - wrap a connected SEQPACKET fd (socketpair). 0 or -errno. */
int cwi_bchan_socket_adopt(int fd, enum cwi_bchan_law law, struct cwi_bchan **ret);

/*
 * cwi_bchan_dahdi_open() - the span whose first B-channel is DAHDI channel
 * first_channo: B-channel N is DAHDI channel first_channo + N - 1 (E1: the
 * D-channel's timeslot 16 is skipped by the caller, which opens only
 * B-channels). Nothing is opened before cwi_bchan_open(). 0, -ENOTSUP when
 * built without dahdi/user.h, or -errno.
 */
int cwi_bchan_dahdi_open(int first_channo, enum cwi_bchan_law law, struct cwi_bchan **ret);

/*
 * cwi_bchan_open() - start audio on channel (a call got it): the socket
 * accepts its frames from now on, DAHDI opens the channel's device; its
 * counters start from zero. 0 or -errno (-EINVAL: no such channel,
 * -EALREADY: open).
 */
int cwi_bchan_open(struct cwi_bchan *b, int channel);

/* cwi_bchan_close() - stop audio on channel (the call ended); its counters are kept. */
void cwi_bchan_close(struct cwi_bchan *b, int channel);

/* cwi_bchan_is_open() - 1 while channel is open. */
int cwi_bchan_is_open(const struct cwi_bchan *b, int channel);

/*
 * cwi_bchan_fd() - the fd to poll (POLLIN) for channel's frames: the one
 * span socket for every channel, the channel's own device with DAHDI; -1
 * when the channel is not open (DAHDI).
 */
int cwi_bchan_fd(const struct cwi_bchan *b, int channel);

/* cwi_bchan_law() - the span's law. */
enum cwi_bchan_law cwi_bchan_law(const struct cwi_bchan *b);

/* cwi_bchan_name() - "socket PATH", "dahdi N": for logs. */
const char *cwi_bchan_name(const struct cwi_bchan *b);

/*
 * cwi_bchan_read() - the next frame of any open channel: CWI_BCHAN_FRAME
 * (frame filled, *ret_channel set), CWI_BCHAN_AGAIN or CWI_BCHAN_LOST. Frames
 * for channels that are not open are counted as overruns and skipped.
 */
ssize_t cwi_bchan_read(struct cwi_bchan *b, int *ret_channel, uint8_t frame[CWI_BCHAN_FRAME]);

/*
 * cwi_bchan_write() - one frame on channel: 0 when it went out, -EAGAIN when
 * the buffer was full (counted as an overrun, the frame is dropped), or
 * another -errno.
 */
int cwi_bchan_write(struct cwi_bchan *b, int channel, const uint8_t frame[CWI_BCHAN_FRAME]);

/*
 * cwi_bchan_skip() - the caller has no frame for this period on channel: an
 * underrun. The socket's sequence number moves on, so the peer sees a gap;
 * DAHDI sends the idle pattern of the law.
 */
int cwi_bchan_skip(struct cwi_bchan *b, int channel);

/* cwi_bchan_get_stats() - channel's counters (zero for a channel never opened). */
void cwi_bchan_get_stats(const struct cwi_bchan *b, int channel, struct cwi_bchan_stats *ret);

/* cwi_bchan_free() - close every channel and the source; NULL is a no-op. */
void cwi_bchan_free(struct cwi_bchan *b);

#endif
