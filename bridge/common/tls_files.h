/* SPDX-License-Identifier: MIT */
/*
 * bridge/common/tls_files.h — our TLS certificate, its key and the CAs for
 * peers' certificates, loaded into an OpenSSL context: by bridge/sip/tls.c
 * to serve TLS, and by bridge/config at --check-config time so that a bad
 * file fails before the daemon starts.
 */
#ifndef BRIDGE_TLS_FILES_H
#define BRIDGE_TLS_FILES_H

#include <stddef.h>

#include <openssl/ssl.h>

/* Which file did not load. */
enum cwcom_tls_file {
	CWCOM_TLS_CERTIFICATE = 1,
	CWCOM_TLS_PRIVATE_KEY = 2,
	CWCOM_TLS_CA = 3
};

/*
 * cwcom_tls_files_load() - the PEM certificate (chain) and private key
 * into ctx (the key must be the certificate's), then the CAs (ca_file and/or
 * ca_dir; both NULL: the system's default paths). 0, or -1 with *which set
 * and err holding OpenSSL's reason.
 */
/* OpenSSL's reason for the last failure in this thread into buf (fallback
   when it has none), its error queue then cleared. */
void cwcom_tls_last_error(char *buf, size_t len, const char *fallback);

int cwcom_tls_files_load(SSL_CTX *ctx, const char *certificate, const char *private_key,
                             const char *ca_file, const char *ca_dir,
                             enum cwcom_tls_file *which, char *err, size_t errlen);

#endif
