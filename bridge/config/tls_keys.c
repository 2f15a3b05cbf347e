/* SPDX-License-Identifier: MIT */
/*
 * tls_keys.c — the [sip] keys of SIP over TLS (RFC 3261 §26.3.1), and the
 * check that the certificate, key and CAs load with OpenSSL, so that a bad
 * file fails at --check-config time with its FILE:LINE.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <causeway/common.h>

#include "common/error.h"
#include "common/tls_files.h"
#include "config.h"
#include "parser.h"

int cwcfg_tls_port_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.tls_port_line, key);
	return cwcfg_parse_uint(p, key, value, 1, 65535, &p->cfg->sip.tls_port);
}

int cwcfg_tls_path_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_sip *sip = &p->cfg->sip;
	char **slot;
	unsigned *line;

	if (strcmp(key, "tls_certificate") == 0)
		slot = &sip->tls_certificate, line = &sip->tls_certificate_line;
	else if (strcmp(key, "tls_private_key") == 0)
		slot = &sip->tls_private_key, line = &sip->tls_private_key_line;
	else if (strcmp(key, "tls_ca_file") == 0)
		slot = &sip->tls_ca_file, line = &sip->tls_ca_file_line;
	else
		slot = &sip->tls_ca_dir, line = &sip->tls_ca_dir_line;
	ONCE(p, *line, key);
	return cwcfg_parse_path(p, key, value, CWCFG_MAX_PATH, slot);
}

int cwcfg_tls_verify_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.tls_verify_client_line, key);
	return cwcfg_parse_bool(p, key, value, &p->cfg->sip.tls_verify_client);
}

int cwcfg_tls_version_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.tls_min_version_line, key);
	if (strcmp(value, "1.2") == 0)
		p->cfg->sip.tls_min_version = 12;
	else if (strcmp(value, "1.3") == 0)
		p->cfg->sip.tls_min_version = 13;
	else
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "%s: '%s' is not 1.2 or 1.3 (older TLS is not offered)", key, value);
	return 0;
}

/* A file the daemon will open: it exists and can be read now. */
static int readable(struct cwcfg_parser *p, const char *key, const char *path, unsigned line)
{
	if (path && access(path, R_OK) != 0)
		return cwcfg_fail(p, line, -ENOENT, "%s: cannot read '%s': %s", key, path,
		                      strerror(errno));
	return 0;
}

int cwcfg_tls_check(struct cwcfg_parser *p)
{
	const struct cwcfg_sip *sip = &p->cfg->sip;
	enum cwcom_tls_file which = CWCOM_TLS_CERTIFICATE;
	char err[320];
	SSL_CTX *ctx;
	int r;

	if (!(sip->transports & CWCFG_TRANSPORT_TLS)) {
		if (sip->tls_certificate_line || sip->tls_private_key_line)
			cwcfg_warn(p, sip->tls_certificate_line ? sip->tls_certificate_line
			                                            : sip->tls_private_key_line,
			               "[sip]: TLS files given, but transport does not list tls");
		return 0;
	}
	if (!sip->tls_certificate || !sip->tls_private_key)
		return cwcfg_fail(p, sip->transports_line, CWCOM_EMISSING,
		                      "transport: tls needs tls_certificate and tls_private_key in [sip]");
	if (readable(p, "tls_certificate", sip->tls_certificate, sip->tls_certificate_line) < 0 ||
	    readable(p, "tls_private_key", sip->tls_private_key, sip->tls_private_key_line) < 0 ||
	    readable(p, "tls_ca_file", sip->tls_ca_file, sip->tls_ca_file_line) < 0 ||
	    readable(p, "tls_ca_dir", sip->tls_ca_dir, sip->tls_ca_dir_line) < 0)
		return p->err;
	ctx = SSL_CTX_new(TLS_server_method());
	if (ctx == NULL)
		return cwcfg_fail(p, sip->transports_line, -ENOMEM, "no memory for a TLS context");
	r = cwcom_tls_files_load(ctx, sip->tls_certificate, sip->tls_private_key, sip->tls_ca_file,
	                             sip->tls_ca_dir, &which, err, sizeof(err));
	SSL_CTX_free(ctx);
	if (r == 0)
		return 0;
	switch (which) {
	case CWCOM_TLS_CERTIFICATE:
		return cwcfg_fail(p, sip->tls_certificate_line, CWCOM_ESYNTAX,
		                      "tls_certificate: '%s' is not a PEM certificate: %s",
		                      sip->tls_certificate, err);
	case CWCOM_TLS_PRIVATE_KEY:
		return cwcfg_fail(p, sip->tls_private_key_line, CWCOM_ESYNTAX,
		                      "tls_private_key: '%s': %s", sip->tls_private_key, err);
	case CWCOM_TLS_CA:
	default:
		return cwcfg_fail(p, sip->tls_ca_file_line ? sip->tls_ca_file_line
		                                               : sip->tls_ca_dir_line,
		                      CWCOM_ESYNTAX, "%s: no CA certificate loaded: %s",
		                      sip->tls_ca_file_line ? "tls_ca_file" : "tls_ca_dir", err);
	}
}
