/* SPDX-License-Identifier: MIT */
/*
 * bridge/capture/capture.h — one pcap file (LINKTYPE_LINUX_SLL) of every
 * SIP message and every Q.921/Q.931 frame of every span, written with
 * libpcap and flushed after each record so that tshark and sngrep can read
 * it while the bridge runs. Layout, rotation and decoding: README.md.
 *
 * One thread. Every cwcap_* taking a cwcap also takes NULL (no capture)
 * and returns at once. A write that fails is told once through the error
 * callback and the capture stops until cwcap_reopen() succeeds; no call of
 * the bridge ever depends on it.
 */
#ifndef BRIDGE_CAPTURE_CAPTURE_H
#define BRIDGE_CAPTURE_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

typedef struct cwcap cwcap;

/* Older files kept by rotation: FILE.1 (the newest) … FILE.CWCAP_KEEP. */
#define CWCAP_KEEP 4

/* Told once when the capture stops: what failed and the errno value. */
typedef void cwcap_error_cb(void *user, const char *path, const char *what, int err);

/*
 * cwcap_open() - open path for appending (a new file gets the pcap header;
 * an existing one must be a LINKTYPE_LINUX_SLL pcap file); path NULL: no
 * file (HEP only, cwcap_hep_start()). max_bytes: 0 =
 * no limit, else the file is rotated before a record would take it past
 * max_bytes. on_error may be NULL. 0, -ENOMEM, or -errno of the open
 * (-EINVAL: an existing file that is not such a pcap file).
 */
int cwcap_open(cwcap **ret, const char *path, uint64_t max_bytes, cwcap_error_cb *on_error,
               void *user);

/* cwcap_reopen() - close the file and open path again (after a rename by
   logrotate: a new file), also after a write error. 0 or -errno. */
int cwcap_reopen(cwcap *cap);

void cwcap_close(cwcap *cap);

/* 1 while records are written, 0 after a write error or a failed reopen. */
int cwcap_active(const cwcap *cap);

/* cwcap_udp() - one SIP datagram, sent (1) or received (0) by the bridge on
   local, to or from remote (AF_INET or AF_INET6, the same family). */
void cwcap_udp(cwcap *cap, int sent, const struct sockaddr *local,
               const struct sockaddr *remote, const void *buf, size_t len);

/*
 * cwcap_tcp() - bytes of a TCP connection (for TLS: the plaintext) as the
 * stream carried them, sent or received. The connection's sequence numbers
 * go on from its last record; cwcap_tcp_closed() forgets them (the next
 * record of the same addresses starts a new connection).
 */
void cwcap_tcp(cwcap *cap, int sent, const struct sockaddr *local,
               const struct sockaddr *remote, const void *buf, size_t len);
void cwcap_tcp_closed(cwcap *cap, const struct sockaddr *local, const struct sockaddr *remote);

/*
 * cwcap_hep_start() - also send every SIP message as a HEP3 packet
 * (hep.h) over UDP to `to`, without waiting: a packet the socket does not
 * take at once is dropped and counted (cwcap_hep_dropped()). UDP messages
 * come from cwcap_udp(); TCP and TLS ones, whole, from cwcap_tcp_message().
 * 0, -EINVAL, -ENOMEM or -errno of socket().
 */
int cwcap_hep_start(cwcap *cap, const struct sockaddr *to, socklen_t len);
unsigned long cwcap_hep_dropped(const cwcap *cap);

/* cwcap_tcp_message() - one whole SIP message of a TCP or TLS connection,
   sent or received: for HEP (the file has the stream from cwcap_tcp()). */
void cwcap_tcp_message(cwcap *cap, int sent, const struct sockaddr *local,
                       const struct sockaddr *remote, const void *buf, size_t len);

/* cwcap_lapd() - one Q.921 frame (no FCS) of span number span (1..65535),
   sent or received by the bridge. */
void cwcap_lapd(cwcap *cap, unsigned span, int sent, const void *frame, size_t len);

#endif
