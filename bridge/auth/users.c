/* SPDX-License-Identifier: MIT */
/*
 * users.c — the users file: who may authenticate and with what secret.
 *
 *   user:realm:HEX        HA1 = H(user:realm:password) (RFC 7616 §3.4.2);
 *                         32 hex digits MD5, 64 SHA-256
 *   user:realm:TAG:HEX    the same with the algorithm named (md5, sha256,
 *                         sha512-256; SHA-512-256 HA1s need it)
 *   user:secret           a password, whatever realm the route asks for
 *
 * '#' first (after blanks) makes a comment line; blank lines are skipped;
 * a CR before the LF is dropped. Fields are split at ':', so a password
 * with ':' must be stored as an HA1. Errors stop at the first line and
 * say FILE:LINE: error: MESSAGE, as bridge/config does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "auth_internal.h"

#define LINE_MAX_BYTES 1024
#define FILE_MAX_BYTES (16u << 20)
#define FIELDS_MAX 4

enum entry_kind { ENTRY_PASSWORD, ENTRY_HA1 };

struct entry {
	char *user;
	char *realm;              /* NULL for a password entry */
	enum entry_kind kind;
	enum cwa_algorithm alg;   /* ENTRY_HA1 */
	char *secret;             /* the password, or the HA1 in lower case */
	unsigned line;
};

struct cwa_users {
	struct entry *entries;
	size_t n, cap;
};

struct users_parser {
	struct cwa_users *users;
	const char *name;
	unsigned line;
	cw_diag *diag;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct users_parser *p, int code, const char *fmt, ...)
{
	va_list ap;

	if (!p->diag)
		return code;
	memset(p->diag, 0, sizeof(*p->diag));
	p->diag->code = code;
	p->diag->line = p->line;
	snprintf(p->diag->file, sizeof(p->diag->file), "%s", p->name ? p->name : "<users>");
	va_start(ap, fmt);
	vsnprintf(p->diag->message, sizeof(p->diag->message), fmt, ap);
	va_end(ap);
	return code;
}

static const struct {
	const char *tag;
	enum cwa_algorithm alg;
} tags[] = {
	{"md5", CWA_ALG_MD5},
	{"sha256", CWA_ALG_SHA256},
	{"sha-256", CWA_ALG_SHA256},
	{"sha512-256", CWA_ALG_SHA512_256},
	{"sha-512-256", CWA_ALG_SHA512_256},
};

static int tag_algorithm(cw_str t, enum cwa_algorithm *alg)
{
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		size_t k, n = strlen(tags[i].tag);

		if (n != t.len)
			continue;
		for (k = 0; k < n; k++) {
			char c = t.ptr[k];

			if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != tags[i].tag[k])
				break;
		}
		if (k == n) {
			*alg = tags[i].alg;
			return 0;
		}
	}
	return -ENOENT;
}

static int is_hex(cw_str s)
{
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}

/* Names and realms: printable, no blanks (they are compared byte for byte). */
static int check_name(struct users_parser *p, cw_str s, const char *what)
{
	if (s.len == 0)
		return fail(p, CWCOM_ESYNTAX, "empty %s", what);
	if (s.len > CWA_VALUE_MAX)
		return fail(p, CWCOM_ELIMIT, "%s longer than %d bytes", what, CWA_VALUE_MAX);
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];

		if (c <= ' ' || c == 0x7f)
			return fail(p, CWCOM_ESYNTAX, "%s contains a blank or control character", what);
	}
	return 0;
}

static char *dup_span(cw_str s)
{
	char *d = malloc(s.len + 1);

	if (d) {
		memcpy(d, s.ptr, s.len);
		d[s.len] = '\0';
	}
	return d;
}

static int same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void free_entry(struct entry *e)
{
	free(e->user);
	free(e->realm);
	free(e->secret);
}

static int add_entry(struct users_parser *p, struct entry *e)
{
	struct cwa_users *u = p->users;

	for (size_t i = 0; i < u->n; i++) {
		const struct entry *o = &u->entries[i];

		if (strcmp(o->user, e->user) == 0 && same(o->realm, e->realm) && o->kind == e->kind &&
		    (e->kind == ENTRY_PASSWORD || o->alg == e->alg)) {
			if (e->kind == ENTRY_PASSWORD)
				fail(p, CWCOM_EDUPLICATE, "duplicate password for user '%s' (first at line %u)",
				     e->user, o->line);
			else
				fail(p, CWCOM_EDUPLICATE,
				     "duplicate %s HA1 for user '%s' in realm '%s' (first at line %u)",
				     cwa_algorithm_name(e->alg), e->user, e->realm, o->line);
			free_entry(e);
			return CWCOM_EDUPLICATE;
		}
	}
	if (u->n == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 16;
		struct entry *bigger = realloc(u->entries, cap * sizeof(*bigger));

		if (!bigger) {
			free_entry(e);
			return fail(p, -ENOMEM, "out of memory");
		}
		u->entries = bigger;
		u->cap = cap;
	}
	u->entries[u->n++] = *e;
	return 0;
}

static int parse_ha1(struct users_parser *p, cw_str hex, int tagged, enum cwa_algorithm *alg)
{
	if (!is_hex(hex))
		return fail(p, CWCOM_ESYNTAX, "HA1 is not hexadecimal");
	if (!tagged) {
		if (hex.len == 32)
			*alg = CWA_ALG_MD5;
		else if (hex.len == 64)
			*alg = CWA_ALG_SHA256;
		else
			return fail(p, CWCOM_ESYNTAX,
			            "HA1 has %zu hex digits; 32 (MD5) or 64 (SHA-256) expected", hex.len);
	} else if (hex.len != cwa_algorithm_hex_len(*alg)) {
		return fail(p, CWCOM_ESYNTAX, "%s HA1 has %zu hex digits; %zu expected",
		            cwa_algorithm_name(*alg), hex.len, cwa_algorithm_hex_len(*alg));
	}
	return 0;
}

static int parse_line(struct users_parser *p, const char *s, size_t len)
{
	cw_str f[FIELDS_MAX];
	size_t n = 0, start = 0;
	struct entry e;
	int r;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != ':')
			continue;
		if (n == FIELDS_MAX)
			return fail(p, CWCOM_ESYNTAX, "more than %d ':'-separated fields", FIELDS_MAX);
		f[n].ptr = s + start;
		f[n].len = i - start;
		n++;
		start = i + 1;
	}
	if (n < 2)
		return fail(p, CWCOM_ESYNTAX, "expected user:realm:HA1, user:realm:TAG:HA1 or user:secret");
	r = check_name(p, f[0], "user name");
	if (r)
		return r;
	memset(&e, 0, sizeof(e));
	e.line = p->line;
	if (n == 2) {
		if (f[1].len == 0)
			return fail(p, CWCOM_ESYNTAX, "empty password");
		e.kind = ENTRY_PASSWORD;
	} else {
		r = check_name(p, f[1], "realm");
		if (r)
			return r;
		if (n == 4 && tag_algorithm(f[2], &e.alg) != 0)
			return fail(p, CWCOM_ESYNTAX,
			            "unknown HA1 tag '%.*s' (md5, sha256, sha512-256 expected)",
			            (int)(f[2].len > 32 ? 32 : f[2].len), f[2].ptr);
		r = parse_ha1(p, f[n - 1], n == 4, &e.alg);
		if (r)
			return r;
		e.kind = ENTRY_HA1;
	}
	e.user = dup_span(f[0]);
	e.realm = e.kind == ENTRY_HA1 ? dup_span(f[1]) : NULL;
	e.secret = dup_span(f[n - 1]);
	if (!e.user || !e.secret || (e.kind == ENTRY_HA1 && !e.realm)) {
		free_entry(&e);
		return fail(p, -ENOMEM, "out of memory");
	}
	if (e.kind == ENTRY_HA1)
		for (char *c = e.secret; *c; c++)
			if (*c >= 'A' && *c <= 'F')
				*c = (char)(*c + 32);
	return add_entry(p, &e);
}

static int parse_text(struct users_parser *p, const char *text, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos, blanks = 0;
		int r;

		pos += n + (nl ? 1 : 0);
		p->line++;
		if (n && s[n - 1] == '\r')
			n--;
		if (n > LINE_MAX_BYTES)
			return fail(p, CWCOM_ELIMIT, "line longer than %d bytes", LINE_MAX_BYTES);
		if (memchr(s, '\0', n))
			return fail(p, CWCOM_ESYNTAX, "NUL byte in line");
		while (blanks < n && (s[blanks] == ' ' || s[blanks] == '\t'))
			blanks++;
		if (blanks == n || s[blanks] == '#')
			continue;
		r = parse_line(p, s, n);
		if (r)
			return r;
	}
	return 0;
}

int cwa_users_parse(const char *text, size_t len, const char *name, struct cwa_users **out,
                    cw_diag *diag)
{
	struct users_parser p = {NULL, name, 0, diag};
	int r;

	if ((!text && len) || !out)
		return -EINVAL;
	*out = NULL;
	p.users = calloc(1, sizeof(*p.users));
	if (!p.users)
		return fail(&p, -ENOMEM, "out of memory");
	r = parse_text(&p, text, len);
	if (r) {
		cwa_users_free(p.users);
		return r;
	}
	*out = p.users;
	return 0;
}

/* All of f into a malloc'd buffer, at most FILE_MAX_BYTES (CWCOM_ELIMIT beyond). */
static int read_all(FILE *f, char **ret, size_t *ret_len)
{
	char *text = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		size_t n;

		if (len == cap) {
			char *bigger;

			if (cap > FILE_MAX_BYTES) {
				free(text);
				return CWCOM_ELIMIT;
			}
			cap = cap ? 2 * cap : 4096;
			bigger = realloc(text, cap);
			if (!bigger) {
				free(text);
				return -ENOMEM;
			}
			text = bigger;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(text);
		return -ENOENT;
	}
	if (len > FILE_MAX_BYTES) {
		free(text);
		return CWCOM_ELIMIT;
	}
	*ret = text;
	*ret_len = len;
	return 0;
}

int cwa_users_load(const char *path, struct cwa_users **out, cw_diag *diag)
{
	struct users_parser p = {NULL, path, 0, diag};
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	if (!path || !out)
		return -EINVAL;
	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return fail(&p, -ENOENT, "cannot open: %s", strerror(errno));
	r = read_all(f, &text, &len);
	fclose(f);
	if (r == CWCOM_ELIMIT)
		return fail(&p, r, "larger than %u bytes", FILE_MAX_BYTES);
	if (r == -ENOMEM)
		return fail(&p, r, "out of memory");
	if (r)
		return fail(&p, r, "cannot read");
	r = cwa_users_parse(text, len, path, out, diag);
	free(text);
	return r;
}

void cwa_users_free(struct cwa_users *users)
{
	if (!users)
		return;
	for (size_t i = 0; i < users->n; i++)
		free_entry(&users->entries[i]);
	free(users->entries);
	free(users);
}

size_t cwa_users_count(const struct cwa_users *users)
{
	return users ? users->n : 0;
}

int cwa_users_lookup(void *arg, const char *username, const char *realm,
                     enum cwa_algorithm alg, struct cwa_secret *out)
{
	const struct cwa_users *u = arg;
	const struct entry *password = NULL;

	if (!u || !username || !realm || !out)
		return -EINVAL;
	for (size_t i = 0; i < u->n; i++) {
		const struct entry *e = &u->entries[i];

		if (strcmp(e->user, username) != 0)
			continue;
		if (e->kind == ENTRY_PASSWORD) {
			password = e;
		} else if (e->alg == alg && strcmp(e->realm, realm) == 0) {
			memset(out, 0, sizeof(*out));
			out->kind = CWA_SECRET_HA1;
			memcpy(out->ha1, e->secret, strlen(e->secret) + 1);
			return 0;
		}
	}
	if (!password)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->kind = CWA_SECRET_PASSWORD;
	out->password = password->secret;
	return 0;
}

size_t cwa_diag_print(const cw_diag *d, char *buf, size_t size)
{
	int n;

	if (d->line)
		n = snprintf(buf, size, "%s:%u: error: %s", d->file, d->line, d->message);
	else
		n = snprintf(buf, size, "%s: error: %s", d->file, d->message);
	return n < 0 ? 0 : (size_t)n;
}
