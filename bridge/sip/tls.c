/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/tls.c — OpenSSL contexts, per-connection SSL, and the server
 * certificate's names handed to the RFC 5922 check (tls_name.c).
 */
#include "tls.h"
#include "tls_name.h"
#include "common/tls_files.h"

#include <errno.h>
#include <causeway/common.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

struct cws_tls {
	SSL_CTX *server;
	SSL_CTX *client;
};

#define NAMES_MAX 32

/* A context with our certificate, key, CAs and minimum version. */
static SSL_CTX *make_ctx(const struct cws_tls_options *o, int server, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
	int minv = o->min_version == 13 ? TLS1_3_VERSION : TLS1_2_VERSION;

	if (ctx == NULL) {
		snprintf(err, errlen, "no memory for a TLS context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, minv);
	/* SSL_write() may take part of a buffer that then moves (transport.c
	   keeps its queue at the front of one buffer) */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (cwcom_tls_files_load(ctx, o->certificate, o->private_key, o->ca_file, o->ca_dir,
	                             NULL, err, errlen) != 0)
		goto fail;
	if (server)
		SSL_CTX_set_verify(ctx, o->verify_client ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
		                                         : SSL_VERIFY_NONE, NULL);
	else
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

int cws_tls_new(cws_tls **ret, const struct cws_tls_options *o, char *err, size_t errlen)
{
	cws_tls *t;
	if (ret == NULL || o == NULL)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	t->server = make_ctx(o, 1, err, errlen);
	t->client = t->server ? make_ctx(o, 0, err, errlen) : NULL;
	if (t->client == NULL) {
		cws_tls_free(t);
		return -EINVAL;
	}
	*ret = t;
	return 0;
}

void cws_tls_free(cws_tls *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->server);
	SSL_CTX_free(t->client);
	free(t);
}

/* An SSL of ctx on fd, NULL if out of memory. */
static SSL *ssl_on(SSL_CTX *ctx, int fd)
{
	SSL *s = SSL_new(ctx);
	if (s != NULL && SSL_set_fd(s, fd) != 1) {
		SSL_free(s);
		s = NULL;
	}
	return s;
}

SSL *cws_tls_server(cws_tls *t, int fd)
{
	SSL *s = ssl_on(t->server, fd);
	if (s != NULL)
		SSL_set_accept_state(s);
	return s;
}

static int is_ip_literal(const char *host)
{
	unsigned char a[16];
	char b[64];
	size_t n = strlen(host);
	if (n >= 2 && host[0] == '[')
		return 1;
	snprintf(b, sizeof(b), "%s", host);
	return inet_pton(AF_INET, b, a) == 1 || inet_pton(AF_INET6, b, a) == 1;
}

SSL *cws_tls_client(cws_tls *t, int fd, const char *host)
{
	SSL *s = ssl_on(t->client, fd);
	if (s == NULL)
		return NULL;
	/* RFC 6066 §3: server_name carries DNS names only (at most 255 octets). OpenSSL
	   copies the name; its macro takes a char *, so hand it a copy of our own. */
	if (!is_ip_literal(host) && strlen(host) < 256) {
		char name[256];

		snprintf(name, sizeof(name), "%s", host);
		SSL_set_tlsext_host_name(s, name);
	}
	SSL_set_connect_state(s);
	return s;
}

/* The certificate's names as text, into the arrays of n (strings in pool). */
static void collect_names(X509 *x, struct cws_tls_names *n, const char **dns, const char **uri,
                          const char **ip, char pool[][80], char *cn, size_t cnlen)
{
	GENERAL_NAMES *sans = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int used = 0, count = sans ? sk_GENERAL_NAME_num(sans) : 0;
	X509_NAME *subj = X509_get_subject_name(x);
	int last = -1, pos = -1;

	memset(n, 0, sizeof(*n));
	n->dns = dns;
	n->uri = uri;
	n->ip = ip;
	for (int i = 0; i < count && used < NAMES_MAX; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);
		const ASN1_STRING *s;
		char *out = pool[used];
		int len;
		if (g->type == GEN_IPADD) {
			s = g->d.iPAddress;
			len = ASN1_STRING_length(s);
			if (len != 4 && len != 16)
				continue;
			inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(s), out, 80);
			ip[n->nip++] = out;
			used++;
			continue;
		}
		if (g->type != GEN_DNS && g->type != GEN_URI)
			continue;
		s = g->type == GEN_DNS ? g->d.dNSName : g->d.uniformResourceIdentifier;
		len = ASN1_STRING_length(s);
		/* an embedded NUL would let a name pass for a shorter one */
		if (len <= 0 || len >= 80 || memchr(ASN1_STRING_get0_data(s), 0, (size_t)len))
			continue;
		memcpy(out, ASN1_STRING_get0_data(s), (size_t)len);
		out[len] = 0;
		if (g->type == GEN_DNS)
			dns[n->ndns++] = out;
		else
			uri[n->nuri++] = out;
		used++;
	}
	GENERAL_NAMES_free(sans);
	/* the most specific CN: the last one in the subject */
	while ((pos = X509_NAME_get_index_by_NID(subj, NID_commonName, pos)) >= 0)
		last = pos;
	cn[0] = 0;
	if (last >= 0) {
		const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, last));
		int len = ASN1_STRING_length(s);
		if (len > 0 && (size_t)len < cnlen && !memchr(ASN1_STRING_get0_data(s), 0, (size_t)len)) {
			memcpy(cn, ASN1_STRING_get0_data(s), (size_t)len);
			cn[len] = 0;
			n->cn = cn;
		}
	}
	/* any subjectAltName at all hides the CN (RFC 5922 §7.1) */
	if (count > 0 && n->ndns == 0 && n->nuri == 0 && n->nip == 0)
		n->cn = NULL;
}

int cws_tls_check_server(SSL *ssl, const char *host, char *why, size_t whylen)
{
	X509 *x = SSL_get1_peer_certificate(ssl);
	const char *dns[NAMES_MAX], *uri[NAMES_MAX], *ip[NAMES_MAX];
	char pool[NAMES_MAX][80], cn[256];
	struct cws_tls_names n;
	long v;
	int ok;

	if (x == NULL) {
		snprintf(why, whylen, "no server certificate");
		return -1;
	}
	v = SSL_get_verify_result(ssl);
	if (v != X509_V_OK) {
		snprintf(why, whylen, "certificate not verified: %s", X509_verify_cert_error_string(v));
		X509_free(x);
		return -1;
	}
	collect_names(x, &n, dns, uri, ip, pool, cn, sizeof(cn));
	ok = cws_tls_name_match(host, &n);
	X509_free(x);
	if (!ok) {
		snprintf(why, whylen, "certificate does not name %s (RFC 5922 §7)", host);
		return -1;
	}
	return 0;
}
