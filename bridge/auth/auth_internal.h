/* SPDX-License-Identifier: MIT */
/*
 * auth_internal.h — what the files of bridge/auth share and do not export
 * to the rest of the bridge: the hash of ':'-joined fields, and a bounded
 * writer for header values.
 */
#ifndef CAUSEWAY_BRIDGE_AUTH_INTERNAL_H
#define CAUSEWAY_BRIDGE_AUTH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"

/*
 * cwa_hash_fields() - H(f[0] ":" f[1] ":" ... f[n-1]) as lower-case hex
 * into out (RFC 7616 §3.4.1: every digest input is such a join).
 * Returns 0 or CWA_EALGORITHM.
 */
int cwa_hash_fields(enum cwa_algorithm alg, const char *const *fields, size_t n,
                    char out[CWA_HEX_MAX + 1]);

/* Lower-case hex of bytes (2 * n digits + NUL into out). */
void cwa_hex(const uint8_t *bytes, size_t n, char *out);

/* A header value being written: text stays NUL-terminated; err sticks. */
struct cwa_writer {
	char *buf;
	size_t size, len;
	int err; /* -ENOSPC once something did not fit */
};

void cwa_writer_init(struct cwa_writer *w, char *buf, size_t size);
void cwa_put(struct cwa_writer *w, const char *s);
/* name="value", escaping '"' and '\' (RFC 3261 §25.1 quoted-pair), after ", " unless first. */
void cwa_put_quoted_param(struct cwa_writer *w, const char *name, const char *value);
/* name=value (a token), after ", " unless first. */
void cwa_put_token_param(struct cwa_writer *w, const char *name, const char *value);
/* 0 and *len, or the sticky error. */
int cwa_writer_finish(const struct cwa_writer *w, size_t *len);

#endif
