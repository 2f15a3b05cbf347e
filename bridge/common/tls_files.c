/* SPDX-License-Identifier: MIT */
/*
 * bridge/common/tls_files.c — load the TLS files into an OpenSSL context.
 */
#include "common/tls_files.h"

#include <stdio.h>

#include <openssl/err.h>

void cwcom_tls_last_error(char *buf, size_t len, const char *fallback)
{
	unsigned long e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, buf, len);
	else
		snprintf(buf, len, "%s", fallback);
	ERR_clear_error();
}

static int failed(enum cwcom_tls_file what, enum cwcom_tls_file *which, char *err,
                  size_t errlen, const char *prefix)
{
	char b[256];
	cwcom_tls_last_error(b, sizeof(b), "cannot be used");
	snprintf(err, errlen, "%s%s", prefix, b);
	if (which)
		*which = what;
	return -1;
}

int cwcom_tls_files_load(SSL_CTX *ctx, const char *certificate, const char *private_key,
                             const char *ca_file, const char *ca_dir,
                             enum cwcom_tls_file *which, char *err, size_t errlen)
{
	ERR_clear_error();
	if (certificate == NULL || SSL_CTX_use_certificate_chain_file(ctx, certificate) != 1)
		return failed(CWCOM_TLS_CERTIFICATE, which, err, errlen, "");
	if (private_key == NULL || SSL_CTX_use_PrivateKey_file(ctx, private_key, SSL_FILETYPE_PEM) != 1)
		return failed(CWCOM_TLS_PRIVATE_KEY, which, err, errlen, "");
	if (SSL_CTX_check_private_key(ctx) != 1)
		return failed(CWCOM_TLS_PRIVATE_KEY, which, err, errlen,
		              "not the key of the certificate: ");
	if (ca_file || ca_dir) {
		if (SSL_CTX_load_verify_locations(ctx, ca_file, ca_dir) != 1)
			return failed(CWCOM_TLS_CA, which, err, errlen, "");
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		return failed(CWCOM_TLS_CA, which, err, errlen, "");
	}
	return 0;
}
