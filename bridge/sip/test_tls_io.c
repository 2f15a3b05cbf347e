/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/test_tls_io.c — sip-tls-io: the TLS transport driven step by
 * step from one thread, against an OpenSSL client on a non-blocking socket:
 * the server handshake waits (SSL_ERROR_WANT_READ) between the client's
 * flights; a 60 KiB message spread over several TLS records is framed whole
 * from partial SSL_read()s; a response queued on the connection arrives;
 * 200 KiB of responses to a client that does not read, on sockets with small
 * buffers, stay queued (SSL_ERROR_WANT_WRITE) and arrive whole once it
 * reads, which only EPOLLOUT in the fd's interest can bring about; a client
 * without a certificate is refused when one is required.
 *
 * usage: test-tls-io CERT KEY (a certificate for 127.0.0.1 and its key; the
 * certificate is its own CA here)
 */
#include "transport.h"
#include "tls.h"

#include <causeway/common.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

static int failures;
static size_t got_len, got_count;
static int got_sock = -1;
static enum cws_proto got_proto;

#define CHECK(c)                                                                  \
	do {                                                                      \
		if (!(c)) {                                                       \
			fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #c); \
			failures++;                                               \
		}                                                                 \
	} while (0)

static void on_msg(void *user, const char *buf, size_t len, const struct cws_peer *peer)
{
	(void)user;
	(void)buf;
	got_len = len;
	got_count++;
	got_sock = peer->sock;
	got_proto = peer->proto;
}

static int connect_to(unsigned port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), small = 4096;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One step of each side until pred() holds or 2000 steps passed; the number
   of steps in which the client had to wait for the server. */
static int pump(cws_transport *tp, SSL *cl, int (*client_step)(SSL *), int *done)
{
	int waits = 0;
	for (int i = 0; i < 2000 && !*done; i++) {
		struct pollfd p = {.fd = cws_transport_fd(tp), .events = POLLIN};
		int r = client_step(cl);
		if (r > 0) {
			*done = 1;
			break;
		}
		if (r < 0) {
			*done = -1;
			break;
		}
		waits++;
		poll(&p, 1, 5);
		cws_transport_on_readable(tp);
	}
	return waits;
}

static int handshake_step(SSL *s)
{
	int r = SSL_do_handshake(s);
	if (r == 1)
		return 1;
	r = SSL_get_error(s, r);
	return r == SSL_ERROR_WANT_READ || r == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

static const char *big_msg;
static size_t big_len, big_off;

static int write_step(SSL *s)
{
	while (big_off < big_len) {
		int r = SSL_write(s, big_msg + big_off, (int)(big_len - big_off));
		if (r <= 0) {
			r = SSL_get_error(s, r);
			return r == SSL_ERROR_WANT_READ || r == SSL_ERROR_WANT_WRITE ? 0 : -1;
		}
		big_off += (size_t)r;
	}
	return got_count > 0 ? 1 : 0;
}

static char rbuf[8192];
static size_t rlen;

static int read_step(SSL *s)
{
	int r = SSL_read(s, rbuf + rlen, (int)(sizeof(rbuf) - 1 - rlen));
	if (r > 0) {
		rlen += (size_t)r;
		rbuf[rlen] = 0;
		return strstr(rbuf, "\r\n\r\n") ? 1 : 0;
	}
	r = SSL_get_error(s, r);
	return r == SSL_ERROR_WANT_READ || r == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

/* The 200 KiB of responses, read as they come. */
#define FLOOD_MSGS 4
#define FLOOD_BODY 50000
static size_t flood_got, flood_want;

static int drain_step(SSL *s)
{
	char b[16384];
	for (;;) {
		int r = SSL_read(s, b, sizeof(b));
		if (r <= 0) {
			r = SSL_get_error(s, r);
			if (r != SSL_ERROR_WANT_READ && r != SSL_ERROR_WANT_WRITE)
				return -1;
			return flood_got >= flood_want ? 1 : 0;
		}
		flood_got += (size_t)r;
	}
}

static SSL_CTX *client_ctx(const char *cert, const char *key, int with_cert)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_load_verify_locations(ctx, cert, NULL);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (with_cert) {
		SSL_CTX_use_certificate_file(ctx, cert, SSL_FILETYPE_PEM);
		SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM);
	}
	return ctx;
}

int main(int argc, char **argv)
{
	struct cws_tls_options o;
	cws_transport *tp = NULL;
	SSL_CTX *ctx;
	SSL *cl;
	char *msg;
	const char head[] = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:9;branch=z9hG4bKx\r\n"
	                    "Content-Type: text/plain\r\nContent-Length: 61000\r\n\r\n";
	const char resp[] = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
	int fd, done = 0, waits;

	if (argc != 3) {
		fprintf(stderr, "usage: test-tls-io CERT KEY\n");
		return 2;
	}
	memset(&o, 0, sizeof(o));
	o.certificate = argv[1];
	o.private_key = argv[2];
	o.ca_file = argv[1];
	o.verify_client = 1;
	if (cws_transport_new_tls(&tp, "127.0.0.1", 0, CWS_TP_TLS, 0, on_msg, NULL, &o, NULL) != 0) {
		fprintf(stderr, "transport: cannot start TLS\n");
		return 1;
	}
	CHECK(cws_transport_tls_port(tp) > 0);
	{
		/* accepted connections take the listener's small send buffer */
		int small = 4096;
		setsockopt(cws_transport_tls_listen_fd(tp), SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	}

	/* the handshake, one flight at a time: the server waits in between */
	ctx = client_ctx(argv[1], argv[2], 1);
	fd = connect_to(cws_transport_tls_port(tp));
	cl = SSL_new(ctx);
	SSL_set_fd(cl, fd);
	SSL_set_connect_state(cl);
	waits = pump(tp, cl, handshake_step, &done);
	CHECK(done == 1);
	CHECK(waits >= 1);
	CHECK(SSL_get_verify_result(cl) == X509_V_OK);

	/* a message of several TLS records (16 KiB each), framed whole */
	big_len = sizeof(head) - 1 + 61000;
	msg = malloc(big_len);
	memcpy(msg, head, sizeof(head) - 1);
	memset(msg + sizeof(head) - 1, 'x', 61000);
	big_msg = msg;
	done = 0;
	pump(tp, cl, write_step, &done);
	CHECK(done == 1);
	CHECK(got_count == 1);
	CHECK(got_len == big_len);
	CHECK(got_proto == CWS_TLS);

	/* a response over the connection the request came on */
	CHECK(cws_transport_send(tp, CWS_TLS, got_sock, "127.0.0.1", 9, resp, sizeof(resp) - 1) == 0);
	done = 0;
	pump(tp, cl, read_step, &done);
	CHECK(done == 1);
	CHECK(strcmp(rbuf, resp) == 0);

	/* more than the sockets hold while the client does not read: queued, then
	   written as EPOLLOUT comes (SSL_ERROR_WANT_WRITE) */
	{
		size_t one = 40 + FLOOD_BODY;
		char *r = malloc(one);
		int queued = 0;
		snprintf(r, one, "SIP/2.0 200 OK\r\nContent-Length: %05d\r\n\r\n", FLOOD_BODY);
		memset(r + strlen(r), 'y', one - strlen(r));
		for (int i = 0; i < FLOOD_MSGS; i++)
			CHECK(cws_transport_send(tp, CWS_TLS, got_sock, "127.0.0.1", 9, r, one) == 0);
		flood_want = FLOOD_MSGS * one;
		CHECK(ioctl(fd, FIONREAD, &queued) == 0);
		CHECK((size_t)queued < flood_want / 2); /* most of it waits in the transport */
		done = 0;
		pump(tp, cl, drain_step, &done);
		CHECK(done == 1);
		CHECK(flood_got == flood_want);
		free(r);
	}
	SSL_free(cl);
	close(fd);
	SSL_CTX_free(ctx);

	/* no client certificate: the handshake fails (RFC 3261 §26.3.1 mutual TLS) */
	ctx = client_ctx(argv[1], argv[2], 0);
	fd = connect_to(cws_transport_tls_port(tp));
	cl = SSL_new(ctx);
	SSL_set_fd(cl, fd);
	SSL_set_connect_state(cl);
	done = 0;
	pump(tp, cl, handshake_step, &done);
	if (done == 1) { /* TLS 1.3: the refusal comes with the first read */
		rlen = 0;
		done = 0;
		pump(tp, cl, read_step, &done);
	}
	CHECK(done == -1);
	SSL_free(cl);
	close(fd);
	SSL_CTX_free(ctx);

	free(msg);
	cws_transport_free(tp);
	if (failures == 0)
		printf("sip-tls-io: handshake stepped (%d waits), 61 KiB framed, response, 200 KiB past full buffers, no-certificate refused\n",
		       waits);
	return failures ? 1 : 0;
}
