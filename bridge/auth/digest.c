/* SPDX-License-Identifier: MIT */
/*
 * digest.c — the digest computation of RFC 7616 §3.4.1 (RFC 3261 §22.4
 * names RFC 2617's, the same for MD5): the algorithm table, HA1, the
 * response in its qop=auth and RFC 2069 forms, and the constant-time
 * comparison of two digests. Hashes come from nettle.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <nettle/md5.h>
#include <nettle/memops.h>
#include <nettle/nettle-meta.h>
#include <nettle/sha2.h>

#include "auth_internal.h"

struct algorithm_def {
	const char *name;
	const struct nettle_hash *hash;
};

/* RFC 7616 §3.3 "algorithm"; RFC 8760 §2.2 for SIP. */
static const struct algorithm_def algorithms[] = {
	[CWA_ALG_MD5] = {"MD5", &nettle_md5},
	[CWA_ALG_SHA256] = {"SHA-256", &nettle_sha256},
	[CWA_ALG_SHA512_256] = {"SHA-512-256", &nettle_sha512_256},
};
#define N_ALGORITHMS (sizeof(algorithms) / sizeof(algorithms[0]))

static const struct algorithm_def *algorithm_def(enum cwa_algorithm alg)
{
	if ((unsigned)alg >= N_ALGORITHMS || !algorithms[alg].name)
		return NULL;
	return &algorithms[alg];
}

const char *cwa_algorithm_name(enum cwa_algorithm alg)
{
	const struct algorithm_def *d = algorithm_def(alg);

	return d ? d->name : NULL;
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

enum cwa_algorithm cwa_algorithm_from_name(const char *name, size_t len)
{
	for (unsigned a = 0; a < N_ALGORITHMS; a++) {
		const char *n = algorithms[a].name;
		size_t i;

		if (!n || strlen(n) != len)
			continue;
		for (i = 0; i < len; i++)
			if (ascii_lower((unsigned char)name[i]) != ascii_lower((unsigned char)n[i]))
				break;
		if (i == len)
			return (enum cwa_algorithm)a;
	}
	return CWA_ALG_UNKNOWN;
}

size_t cwa_algorithm_hex_len(enum cwa_algorithm alg)
{
	const struct algorithm_def *d = algorithm_def(alg);

	return d ? 2 * d->hash->digest_size : 0;
}

void cwa_hex(const uint8_t *bytes, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 0xf];
	}
	out[2 * n] = '\0';
}

int cwa_hash_fields(enum cwa_algorithm alg, const char *const *fields, size_t n,
                    char out[CWA_HEX_MAX + 1])
{
	const struct algorithm_def *d = algorithm_def(alg);
	union {
		struct md5_ctx md5;
		struct sha256_ctx sha256;
		struct sha512_ctx sha512;
	} ctx;
	uint8_t digest[CWA_HASH_MAX];

	if (!d)
		return CWA_EALGORITHM;
	d->hash->init(&ctx);
	for (size_t i = 0; i < n; i++) {
		if (i)
			d->hash->update(&ctx, 1, (const uint8_t *)":");
		d->hash->update(&ctx, strlen(fields[i]), (const uint8_t *)fields[i]);
	}
	d->hash->digest(&ctx, d->hash->digest_size, digest);
	cwa_hex(digest, d->hash->digest_size, out);
	return 0;
}

int cwa_ha1(enum cwa_algorithm alg, const char *username, const char *realm,
            const char *password, char out[CWA_HEX_MAX + 1])
{
	const char *fields[] = {username, realm, password};

	if (!username || !realm || !password || !out)
		return -EINVAL;
	return cwa_hash_fields(alg, fields, 3, out); /* RFC 7616 §3.4.2 */
}

int cwa_response(const struct cwa_response_input *in, char out[CWA_HEX_MAX + 1])
{
	char ha1[CWA_HEX_MAX + 1], ha2[CWA_HEX_MAX + 1], nc[9];
	size_t hex_len;
	int r;

	if (!in || !in->ha1 || !in->method || !in->uri || !in->nonce || !out)
		return -EINVAL;
	if (in->qop && !in->cnonce)
		return -EINVAL;
	hex_len = cwa_algorithm_hex_len(in->algorithm);
	if (!hex_len)
		return CWA_EALGORITHM;
	if (strlen(in->ha1) != hex_len)
		return -EINVAL;
	/* HA1 is hashed as text: lower-case it so a stored upper-case HA1 works. */
	for (size_t i = 0; i <= hex_len; i++)
		ha1[i] = (char)ascii_lower((unsigned char)in->ha1[i]);

	{
		const char *a2[] = {in->method, in->uri}; /* RFC 7616 §3.4.3, qop=auth */

		r = cwa_hash_fields(in->algorithm, a2, 2, ha2);
		if (r)
			return r;
	}
	if (!in->qop) {
		const char *f[] = {ha1, in->nonce, ha2}; /* RFC 2069 §2.1.1 */

		return cwa_hash_fields(in->algorithm, f, 3, out);
	}
	snprintf(nc, sizeof(nc), "%08x", (unsigned)in->nc);
	{
		const char *f[] = {ha1, in->nonce, nc, in->cnonce, in->qop, ha2}; /* RFC 7616 §3.4.1 */

		return cwa_hash_fields(in->algorithm, f, 6, out);
	}
}

int cwa_digest_equal(const char *a, const char *b)
{
	char la[CWA_HEX_MAX], lb[CWA_HEX_MAX];
	size_t n = strlen(a);

	if (n != strlen(b) || n == 0 || n > CWA_HEX_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		/* branch-free lower-casing: only letters get 0x20 */
		unsigned ca = (unsigned char)a[i], cb = (unsigned char)b[i];

		la[i] = (char)(ca | (((ca - 'A') < 26u) << 5));
		lb[i] = (char)(cb | (((cb - 'A') < 26u) << 5));
	}
	return memeql_sec(la, lb, n) ? 1 : 0;
}

const char *cwa_strerror(int err)
{
	return cwcom_strerror(err);
}
