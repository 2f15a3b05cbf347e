/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/transport.h — SIP over UDP, TCP and TLS (RFC 3261 §18,
 * §26.3.1), non-blocking, for one thread. Internal to the SIP adapter.
 *
 * All sockets sit in one internal epoll fd (cws_transport_fd()), which
 * the caller's epoll loop watches. TCP streams are framed by Content-Length
 * (RFC 3261 §18.3); a message larger than CWS_TP_MAX_MSG, a header
 * section with more than CWS_TP_MAX_HEADERS lines, or a bad
 * Content-Length closes the connection; idle connections are closed. TLS
 * runs over its own listener port; its streams are framed the same way
 * once decrypted.
 */
#ifndef BRIDGE_SIP_TRANSPORT_H
#define BRIDGE_SIP_TRANSPORT_H

#include <stddef.h>

struct cws_tls_options;
struct cwcap;

#define CWS_TP_MAX_MSG 65536
#define CWS_TP_MAX_HEADERS 256
#define CWS_TP_MAX_CONNS 1024

enum cws_proto { CWS_UDP = 0, CWS_TCP = 1, CWS_TLS = 2 };

/* Which transports to serve (the same bits as sip.h's CWS_TRANSPORT_*). */
#define CWS_TP_UDP 0x1u
#define CWS_TP_TCP 0x2u
#define CWS_TP_TLS 0x4u

/* Where a message came from. */
struct cws_peer {
	enum cws_proto proto;
	int sock;        /* UDP: the UDP fd; TCP, TLS: the connection fd */
	char ip[64];     /* numeric address, no brackets */
	int port;
};

typedef struct cws_transport cws_transport;

/* A whole message (not NUL-terminated; buf[len] is readable and 0). */
typedef void cws_tp_msg_cb(void *user, const char *buf, size_t len, const struct cws_peer *peer);

/*
 * cws_transport_new() - bind address:port (0: a free port, the same for
 * UDP and TCP). protos: CWS_TP_* bits, 0 = both. A transport left out is
 * neither listened on nor sent over (send returns -EINVAL): without TCP no
 * listener accepts connections; without UDP no socket receives datagrams.
 */
int cws_transport_new(cws_transport **ret, const char *address, unsigned port,
                         unsigned protos, unsigned idle_ms, cws_tp_msg_cb *cb, void *user);

/* A TLS connection we opened to host:port (the numeric address it was sent
   to) failed (connect, handshake, or the server certificate: RFC 5922 §7);
   why says which. Called after the
   connection is closed and its queued output dropped. */
typedef void cws_tp_fail_cb(void *user, enum cws_proto proto, const char *host, int port,
                               const char *why);

/*
 * cws_transport_new_tls() - cws_transport_new() that may also serve
 * TLS (CWS_TP_TLS in protos: tls is required; its listener binds
 * tls->port, 0 a free one). -EINVAL if the certificate, key or CAs cannot
 * be loaded.
 */
int cws_transport_new_tls(cws_transport **ret, const char *address, unsigned port,
                             unsigned protos, unsigned idle_ms, cws_tp_msg_cb *cb, void *user,
                             const struct cws_tls_options *tls, cws_tp_fail_cb *fail_cb);
void cws_transport_free(cws_transport *tp);

/* Every message sent and received from now on into cap (bridge/capture;
   NULL: none): UDP datagrams, and TCP/TLS streams as the socket (TLS: the
   plaintext) carried them. */
void cws_transport_set_capture(cws_transport *tp, struct cwcap *cap);

int cws_transport_fd(const cws_transport *tp);
int cws_transport_udp_fd(const cws_transport *tp);
int cws_transport_listen_fd(const cws_transport *tp);
unsigned cws_transport_port(const cws_transport *tp);
/* The TLS listener's port and fd (0 and -1 without TLS). */
unsigned cws_transport_tls_port(const cws_transport *tp);
int cws_transport_tls_listen_fd(const cws_transport *tp);
/* The bound address as written in SIP ("[::1]" for IPv6). */
const char *cws_transport_host(const cws_transport *tp);

/* Handle everything readable/writable now; calls cb per message. */
int cws_transport_on_readable(cws_transport *tp);

/*
 * Overload (README "Overload"): every CWS_BACKLOG_EVERY datagrams read, the UDP socket's
 * receive queue is measured (SO_MEMINFO). It is backlogged from a CWS_BACKLOG_ON_PART-th
 * of its buffer on, until it falls below a CWS_BACKLOG_OFF_PART-th or is read empty.
 * cws_backlog_next() is that rule (pure): the new state from the old one and the bytes
 * queued of rcvbuf. cws_transport_backlogged(): the state of the read in progress.
 */
#define CWS_BACKLOG_EVERY 16u
#define CWS_BACKLOG_ON_PART 4u
#define CWS_BACKLOG_OFF_PART 16u
int cws_backlog_next(int was, unsigned long queued, unsigned long rcvbuf);
int cws_transport_backlogged(const cws_transport *tp);

/* Close idle TCP connections; ms until the next check, or -1. */
int cws_transport_on_timeout(cws_transport *tp);
int cws_transport_next_timeout_ms(const cws_transport *tp);

/*
 * cws_transport_send() - UDP: sendto host:port. TCP, TLS: over
 * connection `sock` if it is open, else over an open connection to
 * host:port (TLS: one whose certificate named host), else a new one (queued
 * until connected and, for TLS, the server certificate checked against
 * host). host must be a numeric address.
 * Returns 0, a negative errno value or a bridge code (common/error.h).
 */
int cws_transport_send(cws_transport *tp, enum cws_proto proto, int sock,
                          const char *host, int port, const char *buf, size_t len);

/*
 * cws_transport_send_named() - cws_transport_send() to the address host
 * located for the name `name` (RFC 3263): a TLS connection opened sends
 * name as SNI and its server certificate must name it (RFC 5922 §4.1, §7:
 * the domain of the URI the request was routed to), and an open one is
 * reused only if it was checked for name. NULL or "": host itself.
 */
int cws_transport_send_named(cws_transport *tp, enum cws_proto proto, int sock,
                             const char *host, int port, const char *name, const char *buf,
                             size_t len);

#endif
