/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/transport.h — SIP over UDP, TCP and TLS (RFC 3261 §18,
 * §26.3.1), non-blocking, for one thread. Internal to the SIP adapter.
 *
 * All sockets sit in one internal epoll fd (cw_sip_transport_fd()), which
 * the caller's epoll loop watches. TCP streams are framed by Content-Length
 * (RFC 3261 §18.3); a message larger than CW_SIP_TP_MAX_MSG, a header
 * section with more than CW_SIP_TP_MAX_HEADERS lines, or a bad
 * Content-Length closes the connection; idle connections are closed. TLS
 * runs over its own listener port; its streams are framed the same way
 * once decrypted.
 */
#ifndef CW_BRIDGE_SIP_TRANSPORT_H
#define CW_BRIDGE_SIP_TRANSPORT_H

#include <stddef.h>

struct cw_sip_tls_options;

#define CW_SIP_TP_MAX_MSG 65536
#define CW_SIP_TP_MAX_HEADERS 256
#define CW_SIP_TP_MAX_CONNS 1024

enum cw_sip_proto { CW_SIP_UDP = 0, CW_SIP_TCP = 1, CW_SIP_TLS = 2 };

/* Which transports to serve (the same bits as sip.h's CW_SIP_TRANSPORT_*). */
#define CW_SIP_TP_UDP 0x1u
#define CW_SIP_TP_TCP 0x2u
#define CW_SIP_TP_TLS 0x4u

/* Where a message came from. */
struct cw_sip_peer {
	enum cw_sip_proto proto;
	int sock;        /* UDP: the UDP fd; TCP, TLS: the connection fd */
	char ip[64];     /* numeric address, no brackets */
	int port;
};

typedef struct cw_sip_transport cw_sip_transport;

/* A whole message (not NUL-terminated; buf[len] is readable and 0). */
typedef void cw_sip_tp_msg_cb(void *user, const char *buf, size_t len, const struct cw_sip_peer *peer);

/*
 * cw_sip_transport_new() - bind address:port (0: a free port, the same for
 * UDP and TCP). protos: CW_SIP_TP_* bits, 0 = both. A transport left out is
 * neither listened on nor sent over (send returns CW_EINVAL): without TCP no
 * listener accepts connections; without UDP no socket receives datagrams.
 */
int cw_sip_transport_new(cw_sip_transport **ret, const char *address, unsigned port,
                         unsigned protos, unsigned idle_ms, cw_sip_tp_msg_cb *cb, void *user);

/* A TLS connection we opened to host:port failed (connect, handshake, or
   the server certificate: RFC 5922 §7); why says which. Called after the
   connection is closed and its queued output dropped. */
typedef void cw_sip_tp_fail_cb(void *user, enum cw_sip_proto proto, const char *host, int port,
                               const char *why);

/*
 * cw_sip_transport_new_tls() - cw_sip_transport_new() that may also serve
 * TLS (CW_SIP_TP_TLS in protos: tls is required; its listener binds
 * tls->port, 0 a free one). CW_EINVAL if the certificate, key or CAs cannot
 * be loaded.
 */
int cw_sip_transport_new_tls(cw_sip_transport **ret, const char *address, unsigned port,
                             unsigned protos, unsigned idle_ms, cw_sip_tp_msg_cb *cb, void *user,
                             const struct cw_sip_tls_options *tls, cw_sip_tp_fail_cb *fail_cb);
void cw_sip_transport_free(cw_sip_transport *tp);

int cw_sip_transport_fd(const cw_sip_transport *tp);
int cw_sip_transport_udp_fd(const cw_sip_transport *tp);
int cw_sip_transport_listen_fd(const cw_sip_transport *tp);
unsigned cw_sip_transport_port(const cw_sip_transport *tp);
/* The TLS listener's port and fd (0 and -1 without TLS). */
unsigned cw_sip_transport_tls_port(const cw_sip_transport *tp);
int cw_sip_transport_tls_listen_fd(const cw_sip_transport *tp);
/* The bound address as written in SIP ("[::1]" for IPv6). */
const char *cw_sip_transport_host(const cw_sip_transport *tp);

/* Handle everything readable/writable now; calls cb per message. */
int cw_sip_transport_on_readable(cw_sip_transport *tp);

/* Close idle TCP connections; ms until the next check, or -1. */
int cw_sip_transport_on_timeout(cw_sip_transport *tp);
int cw_sip_transport_next_timeout_ms(const cw_sip_transport *tp);

/*
 * cw_sip_transport_send() - UDP: sendto host:port. TCP, TLS: over
 * connection `sock` if it is open, else over an open connection to
 * host:port (TLS: one whose certificate named host), else a new one (queued
 * until connected and, for TLS, the server certificate checked against
 * host). host must be a numeric address.
 * Returns 0 or a negative CW_E* code.
 */
int cw_sip_transport_send(cw_sip_transport *tp, enum cw_sip_proto proto, int sock,
                          const char *host, int port, const char *buf, size_t len);

#endif
