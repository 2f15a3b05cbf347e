/* SPDX-License-Identifier: MIT */
/*
 * header.c — the Digest challenge and credentials parsers (RFC 3261
 * §25.1: challenge, digest-cln, credentials, dig-resp; RFC 7235 §4.1 for
 * several challenges in one value). Bounded: never reads past the length
 * given, no allocation; values land unquoted in the fixed buffers of
 * struct cwa_challenge / struct cwa_credentials.
 *
 * Liberal where the wild is: any parameter value may be a token or a
 * quoted-string (the ABNF quotes realm, nonce, uri, ... and leaves
 * algorithm, stale, qop and nc bare, but clients and servers do both);
 * empty list elements are skipped (RFC 7230 §7). Strict where it matters:
 * a parameter named twice is refused, nc is exactly 8 lower-case hex
 * digits, stale is "true" or "false".
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "common/error.h"
#include "auth_internal.h"

struct scanner {
	const char *p, *end;
};

/* NULL with length 0 is an empty text. */
static struct scanner scan(const char *text, size_t len)
{
	struct scanner s = {text ? text : "", NULL};

	s.end = s.p + len;
	return s;
}

static int at_end(const struct scanner *s)
{
	return s->p >= s->end;
}

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* RFC 3261 §25.1: LWS = [*WSP CRLF] 1*WSP; SWS = [LWS]. */
static void skip_lws(struct scanner *s)
{
	for (;;) {
		if (!at_end(s) && is_wsp(*s->p)) {
			s->p++;
		} else if (s->end - s->p >= 3 && s->p[0] == '\r' && s->p[1] == '\n' && is_wsp(s->p[2])) {
			s->p += 3;
		} else {
			return;
		}
	}
}

/* RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
static int is_token_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("-.!%*_+`'~", c) != NULL;
}

static int read_token(struct scanner *s, cw_str *out)
{
	const char *start = s->p;

	while (!at_end(s) && is_token_char((unsigned char)*s->p))
		s->p++;
	if (s->p == start)
		return CWCOM_ESYNTAX;
	out->ptr = start;
	out->len = (size_t)(s->p - start);
	return 0;
}

static int names_equal(cw_str a, cw_str b)
{
	if (a.len != b.len)
		return 0;
	for (size_t i = 0; i < a.len; i++)
		if (ascii_lower((unsigned char)a.ptr[i]) != ascii_lower((unsigned char)b.ptr[i]))
			return 0;
	return 1;
}

static int str_is(cw_str a, const char *word)
{
	cw_str w = {word, strlen(word)};

	return names_equal(a, w);
}

static int value_is(const char *v, size_t len, const char *word)
{
	cw_str s = {v, len};

	return str_is(s, word);
}

/*
 * RFC 3261 §25.1: quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE;
 * qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII;
 * quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F). A folded line keeps its
 * WSP and loses its CRLF. An escaped NUL is refused: values are C strings.
 */
static int read_quoted(struct scanner *s, char *buf, size_t *out_len)
{
	size_t n = 0;

	s->p++; /* DQUOTE */
	while (!at_end(s)) {
		unsigned char c = (unsigned char)*s->p;

		if (c == '"') {
			s->p++;
			buf[n] = '\0';
			*out_len = n;
			return 0;
		}
		if (c == '\\') {
			if (s->end - s->p < 2)
				return CWCOM_ESYNTAX;
			c = (unsigned char)s->p[1];
			if (c == '\0' || c == '\r' || c == '\n' || c > 0x7f)
				return CWCOM_ESYNTAX;
			s->p += 2;
		} else if (c == '\r') {
			if (s->end - s->p >= 3 && s->p[1] == '\n' && is_wsp(s->p[2])) {
				s->p += 2;
				continue;
			}
			return CWCOM_ESYNTAX;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			return CWCOM_ESYNTAX;
		} else {
			s->p++;
		}
		if (n >= CWA_VALUE_MAX)
			return CWCOM_ELIMIT;
		buf[n++] = (char)c;
	}
	return CWCOM_ESYNTAX; /* no closing DQUOTE */
}

/* token / quoted-string, unquoted into buf (CWA_VALUE_MAX + 1 bytes). */
static int read_value(struct scanner *s, char *buf, size_t *len)
{
	cw_str tok;
	int r;

	if (!at_end(s) && *s->p == '"')
		return read_quoted(s, buf, len);
	r = read_token(s, &tok);
	if (r)
		return r;
	if (tok.len > CWA_VALUE_MAX)
		return CWCOM_ELIMIT;
	memcpy(buf, tok.ptr, tok.len);
	buf[tok.len] = '\0';
	*len = tok.len;
	return 0;
}

typedef int (*param_fn)(void *ctx, cw_str name, const char *value, size_t len);

/*
 * auth-param *(COMMA auth-param) up to the end of s. In a challenge list
 * (in_list), a token not followed by "=" after a COMMA starts the next
 * challenge: s is left on it. Each parameter goes to fn once its name is
 * known not to repeat (names are case-insensitive, RFC 7616 §3.3).
 */
static int parse_params(struct scanner *s, param_fn fn, void *ctx, int in_list)
{
	cw_str seen[CWA_PARAMS_MAX];
	size_t n_seen = 0;

	for (;;) {
		struct scanner before_name;
		char value[CWA_VALUE_MAX + 1];
		size_t value_len;
		cw_str name;
		int r;

		skip_lws(s);
		if (at_end(s))
			return 0;
		if (*s->p == ',') {
			if (n_seen == 0 && in_list)
				return 0; /* a challenge without parameters */
			while (!at_end(s) && *s->p == ',') {
				s->p++;
				skip_lws(s);
			}
			if (at_end(s))
				return 0;
		} else if (n_seen > 0) {
			return CWCOM_ESYNTAX; /* two parameters without a COMMA */
		}
		before_name = *s;
		r = read_token(s, &name);
		if (r)
			return r;
		skip_lws(s);
		if (at_end(s) || *s->p != '=') {
			if (in_list && n_seen > 0) {
				*s = before_name;
				return 0;
			}
			return CWCOM_ESYNTAX;
		}
		s->p++;
		skip_lws(s);
		if (at_end(s))
			return CWCOM_ESYNTAX;
		r = read_value(s, value, &value_len);
		if (r)
			return r;
		for (size_t i = 0; i < n_seen; i++)
			if (names_equal(seen[i], name))
				return CWCOM_EDUPLICATE;
		if (n_seen == CWA_PARAMS_MAX)
			return CWCOM_ELIMIT;
		seen[n_seen++] = name;
		r = fn(ctx, name, value, value_len);
		if (r)
			return r;
	}
}

/* ---- challenges ---- */

enum {
	HAVE_REALM = 1u << 0,
	HAVE_NONCE = 1u << 1,
};

struct challenge_ctx {
	struct cwa_challenge *c;
	unsigned have;
};

/* RFC 3261 §25.1 qop-options: LDQUOT qop-value *("," qop-value) RDQUOT */
static int parse_qop_options(const char *v, size_t len, unsigned *mask)
{
	struct scanner s = {v, v + len};

	*mask = 0;
	for (;;) {
		cw_str tok;

		skip_lws(&s);
		if (read_token(&s, &tok))
			return CWCOM_ESYNTAX;
		if (str_is(tok, "auth"))
			*mask |= CWA_QOP_AUTH;
		else if (str_is(tok, "auth-int"))
			*mask |= CWA_QOP_AUTH_INT;
		else
			*mask |= CWA_QOP_OTHER;
		skip_lws(&s);
		if (at_end(&s))
			return 0;
		if (*s.p != ',')
			return CWCOM_ESYNTAX;
		s.p++;
	}
}

static int parse_bool(const char *v, size_t len, int *out)
{
	if (value_is(v, len, "true"))
		*out = 1;
	else if (value_is(v, len, "false"))
		*out = 0;
	else
		return CWCOM_ESYNTAX; /* RFC 3261 §25.1 stale = "stale" EQUAL ( "true" / "false" ) */
	return 0;
}

static int challenge_param(void *ctx_, cw_str name, const char *v, size_t len)
{
	struct challenge_ctx *ctx = ctx_;
	struct cwa_challenge *c = ctx->c;

	if (str_is(name, "realm")) {
		memcpy(c->realm, v, len + 1);
		ctx->have |= HAVE_REALM;
	} else if (str_is(name, "nonce")) {
		memcpy(c->nonce, v, len + 1);
		ctx->have |= HAVE_NONCE;
	} else if (str_is(name, "opaque")) {
		memcpy(c->opaque, v, len + 1);
		c->has_opaque = 1;
	} else if (str_is(name, "algorithm")) {
		c->algorithm = cwa_algorithm_from_name(v, len);
		c->has_algorithm = 1;
	} else if (str_is(name, "qop")) {
		return parse_qop_options(v, len, &c->qop);
	} else if (str_is(name, "stale")) {
		return parse_bool(v, len, &c->stale);
	}
	return 0; /* domain, charset, userhash, extensions: not used here */
}

static int ignore_param(void *ctx, cw_str name, const char *v, size_t len)
{
	(void)ctx, (void)name, (void)v, (void)len;
	return 0;
}

/* RFC 7235 §2.1 token68, the credentials form of other schemes: skipped. */
static int skip_token68(struct scanner *s)
{
	struct scanner t = *s;
	const char *start = t.p;

	while (!at_end(&t) && (is_token_char((unsigned char)*t.p) || *t.p == '/'))
		t.p++;
	if (t.p == start)
		return 0;
	while (!at_end(&t) && *t.p == '=')
		t.p++;
	skip_lws(&t);
	if (!at_end(&t) && *t.p != ',')
		return 0;
	*s = t;
	return 1;
}

/* After the scheme: LWS before parameters, or nothing more of this challenge. */
static int after_scheme(struct scanner *s)
{
	const char *scheme_end = s->p;

	skip_lws(s);
	if (at_end(s) || *s->p == ',' || s->p != scheme_end)
		return 0;
	return CWCOM_ESYNTAX;
}

int cwa_challenges_parse(const char *text, size_t len, struct cwa_challenge *out, size_t max,
                         size_t *count)
{
	struct scanner s;
	size_t n = 0;

	if ((!text && len) || (!out && max) || !count)
		return -EINVAL;
	s = scan(text, len);
	*count = 0;
	for (;;) {
		cw_str scheme;
		int r;

		skip_lws(&s);
		while (!at_end(&s) && *s.p == ',') {
			s.p++;
			skip_lws(&s);
		}
		if (at_end(&s))
			break;
		r = read_token(&s, &scheme);
		if (!r)
			r = after_scheme(&s);
		if (r)
			return r;
		if (str_is(scheme, "Digest")) {
			struct challenge_ctx ctx = {NULL, 0};

			if (n == max)
				return CWCOM_ELIMIT;
			ctx.c = &out[n];
			memset(ctx.c, 0, sizeof(*ctx.c));
			ctx.c->algorithm = CWA_ALG_MD5; /* RFC 7616 §3.3: absent means MD5 */
			r = parse_params(&s, challenge_param, &ctx, 1);
			if (r)
				return r;
			if ((ctx.have & (HAVE_REALM | HAVE_NONCE)) != (HAVE_REALM | HAVE_NONCE))
				return CWCOM_EMISSING;
			n++;
		} else if (!skip_token68(&s)) {
			r = parse_params(&s, ignore_param, NULL, 1);
			if (r)
				return r;
		}
	}
	*count = n;
	return n ? 0 : CWA_ESCHEME;
}

/* ---- credentials ---- */

enum {
	HAVE_USERNAME = 1u << 0,
	HAVE_CREALM = 1u << 1,
	HAVE_CNONCE_NONCE = 1u << 2,
	HAVE_URI = 1u << 3,
	HAVE_RESPONSE = 1u << 4,
	HAVE_CNONCE = 1u << 5,
	HAVE_NC = 1u << 6,
};
#define HAVE_REQUIRED (HAVE_USERNAME | HAVE_CREALM | HAVE_CNONCE_NONCE | HAVE_URI | HAVE_RESPONSE)

struct credentials_ctx {
	struct cwa_credentials *c;
	unsigned have;
};

/*
 * RFC 3261 §25.1: nonce-count = "nc" EQUAL nc-value; nc-value = 8LHEX,
 * LHEX lower case only: the response hashes nc as written, and the
 * verifier writes it "%08x".
 */
static int parse_nc(const char *v, size_t len, uint32_t *nc)
{
	uint32_t n = 0;

	if (len != 8)
		return CWCOM_ESYNTAX;
	for (size_t i = 0; i < 8; i++) {
		int c = (unsigned char)v[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return CWCOM_ESYNTAX;
		n = n << 4 | (uint32_t)d;
	}
	*nc = n;
	return 0;
}

static int credentials_param(void *ctx_, cw_str name, const char *v, size_t len)
{
	static const struct {
		const char *name;
		size_t offset;
		unsigned bit;
	} strings[] = {
		{"username", offsetof(struct cwa_credentials, username), HAVE_USERNAME},
		{"realm", offsetof(struct cwa_credentials, realm), HAVE_CREALM},
		{"nonce", offsetof(struct cwa_credentials, nonce), HAVE_CNONCE_NONCE},
		{"uri", offsetof(struct cwa_credentials, uri), HAVE_URI},
		{"response", offsetof(struct cwa_credentials, response), HAVE_RESPONSE},
		{"cnonce", offsetof(struct cwa_credentials, cnonce), HAVE_CNONCE},
		{"opaque", offsetof(struct cwa_credentials, opaque), 0},
	};
	struct credentials_ctx *ctx = ctx_;
	struct cwa_credentials *c = ctx->c;

	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		if (str_is(name, strings[i].name)) {
			memcpy((char *)c + strings[i].offset, v, len + 1);
			ctx->have |= strings[i].bit;
			if (!strings[i].bit)
				c->has_opaque = 1;
			return 0;
		}
	}
	if (str_is(name, "algorithm")) {
		c->algorithm = cwa_algorithm_from_name(v, len);
		c->has_algorithm = 1;
	} else if (str_is(name, "qop")) {
		/* RFC 3261 §25.1 message-qop: one qop-value */
		if (value_is(v, len, "auth"))
			c->qop = CWA_QOP_AUTH;
		else if (value_is(v, len, "auth-int"))
			c->qop = CWA_QOP_AUTH_INT;
		else if (len && memchr(v, ',', len) == NULL)
			c->qop = CWA_QOP_OTHER;
		else
			return CWCOM_ESYNTAX;
	} else if (str_is(name, "nc")) {
		ctx->have |= HAVE_NC;
		return parse_nc(v, len, &c->nc);
	}
	return 0; /* userhash, username*, extensions */
}

int cwa_credentials_parse(const char *text, size_t len, struct cwa_credentials *out)
{
	struct credentials_ctx ctx = {out, 0};
	struct scanner s;
	cw_str scheme;
	int r;

	if ((!text && len) || !out)
		return -EINVAL;
	s = scan(text, len);
	memset(out, 0, sizeof(*out));
	out->algorithm = CWA_ALG_MD5;
	skip_lws(&s);
	r = read_token(&s, &scheme);
	if (r)
		return r;
	if (!str_is(scheme, "Digest"))
		return CWA_ESCHEME;
	r = after_scheme(&s);
	if (!r)
		r = parse_params(&s, credentials_param, &ctx, 0);
	if (r)
		return r;
	if ((ctx.have & HAVE_REQUIRED) != HAVE_REQUIRED)
		return CWCOM_EMISSING;
	/* RFC 3261 §25.1: cnonce and nc go with message-qop */
	if (out->qop && (ctx.have & (HAVE_CNONCE | HAVE_NC)) != (HAVE_CNONCE | HAVE_NC))
		return CWCOM_EMISSING;
	return 0;
}
