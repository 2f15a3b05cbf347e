/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/tls.h — the OpenSSL side of SIP over TLS (RFC 3261 §26.3.1):
 * one client and one server context, a non-blocking SSL per connection, and
 * the server certificate checked against the host we meant to reach
 * (RFC 5922 §7, tls_name.h). Internal to the SIP adapter; transport.c does
 * the I/O.
 */
#ifndef BRIDGE_SIP_TLS_H
#define BRIDGE_SIP_TLS_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "sip.h"  /* struct cws_tls_options */

typedef struct cws_tls cws_tls;

/*
 * cws_tls_new() - load the certificate, key and CAs into a server and a
 * client context. On failure a line saying what went wrong is written to
 * err. Returns 0, -EINVAL or -ENOMEM.
 */
int cws_tls_new(cws_tls **ret, const struct cws_tls_options *o, char *err, size_t errlen);
void cws_tls_free(cws_tls *t);

/* A new SSL on a connected non-blocking fd: accepting or connecting. */
SSL *cws_tls_server(cws_tls *t, int fd);
SSL *cws_tls_client(cws_tls *t, int fd, const char *host);

/*
 * cws_tls_check_server() - after the handshake: the chain verified and
 * the certificate names `host` (RFC 5922 §7.1-§7.3). 0, or -1 with the
 * reason in why.
 */
int cws_tls_check_server(SSL *ssl, const char *host, char *why, size_t whylen);

#endif
