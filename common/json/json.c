/* SPDX-License-Identifier: MIT */
/*
 * json.c — the streaming JSON writer (RFC 8259) of json.h.
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>

size_t utf8_valid_len(const unsigned char *s, size_t n)
{
	unsigned char c;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80)
		return 1;
	/* RFC 3629 §4, UTF8-2 / UTF8-3 / UTF8-4 */
	if (c >= 0xc2 && c <= 0xdf)
		return (n >= 2 && (s[1] & 0xc0) == 0x80) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = 0x80, hi = 0xbf;

		if (c == 0xe0)
			lo = 0xa0; /* no overlongs */
		else if (c == 0xed)
			hi = 0x9f; /* no surrogates */
		if (n < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = 0x80, hi = 0xbf;

		if (c == 0xf0)
			lo = 0x90; /* no overlongs */
		else if (c == 0xf4)
			hi = 0x8f; /* at most U+10FFFF */
		if (n < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

/* ---- sinks ---- */

static void init_common(json_w *w)
{
	memset(w, 0, sizeof(*w));
	w->strings = JSON_STRINGS_UTF8;
}

void json_init(json_w *w, FILE *f)
{
	init_common(w);
	w->f = f;
}

void json_init_buf(json_w *w, char *buf, size_t size)
{
	init_common(w);
	w->buf = buf;
	w->cap = size;
	w->max = size > 0 ? size - 1 : 0;
	if (size > 0)
		buf[0] = '\0';
}

void json_init_grow(json_w *w, size_t max)
{
	init_common(w);
	w->grow = 1;
	w->max = max;
}

static void fail(json_w *w, int err)
{
	if (w->err == 0)
		w->err = err;
}

/* Room for n more bytes and the NUL in the growable buffer: 0, or -1 after fail(). */
static int reserve(json_w *w, size_t n)
{
	size_t want = w->len + n + 1, cap = w->cap > 0 ? w->cap : 256;
	char *p;

	if (want <= w->cap)
		return 0;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (w->max < SIZE_MAX && cap > w->max + 1)
		cap = w->max + 1;
	p = realloc(w->buf, cap);
	if (p == NULL) {
		fail(w, JSON_ENOMEM);
		return -1;
	}
	w->buf = p;
	w->cap = cap;
	return 0;
}

/* Every byte goes through here. */
static void put(json_w *w, const char *s, size_t n)
{
	if (w->err != 0 || n == 0)
		return;
	if (w->f != NULL) {
		if (fwrite(s, 1, n, w->f) != n)
			fail(w, JSON_EIO);
		return;
	}
	if (n > w->max - w->len) {
		fail(w, JSON_EOVERFLOW);
		return;
	}
	if (w->grow && reserve(w, n) < 0)
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void put_c(json_w *w, char c)
{
	put(w, &c, 1);
}

int json_take(json_w *w, char **ret, size_t *ret_len)
{
	int err = w->err;

	if (err == 0 && (!w->grow || w->depth != 0 || w->after_key))
		err = JSON_ESTRUCT;
	if (err == 0 && w->buf == NULL) {
		if (reserve(w, 0) < 0)
			err = w->err;
		else
			w->buf[0] = '\0';
	}
	if (err != 0) {
		json_discard(w);
		fail(w, err);
		return err;
	}
	*ret = w->buf;
	if (ret_len != NULL)
		*ret_len = w->len;
	w->buf = NULL;
	w->len = w->cap = 0;
	return 0;
}

void json_discard(json_w *w)
{
	if (!w->grow)
		return;
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

int json_error(const json_w *w)
{
	return w->err;
}

const char *json_strerror(int err)
{
	switch (err) {
	case JSON_OK: return "no error";
	case JSON_EOVERFLOW: return "output buffer full";
	case JSON_ENOMEM: return "out of memory";
	case JSON_EIO: return "write error";
	case JSON_EDEPTH: return "objects and arrays nested too deep";
	case JSON_ESTRUCT: return "key, value or close out of place";
	default: return "unknown JSON writer error";
	}
}

size_t json_length(const json_w *w)
{
	return w->f != NULL ? 0 : w->len;
}

/* ---- structure ---- */

void json_set_strings(json_w *w, enum json_strings how)
{
	w->strings = how;
}

void json_lines(json_w *w)
{
	w->lines = 1;
}

/*
 * Before any value: a comma unless it is the first one here or follows a
 * key. In an object a value needs its key first. 0, or -1 after fail().
 */
static int pre_value(json_w *w)
{
	int d = w->depth;

	if (w->err != 0)
		return -1;
	if (w->after_key) {
		w->after_key = 0;
		return 0;
	}
	if (d == 0)
		return 0; /* a top-level value: one JSON text (or one line of many) */
	if (w->is_obj[d - 1]) {
		fail(w, JSON_ESTRUCT);
		return -1;
	}
	if (w->has_value[d - 1])
		put_c(w, ',');
	if (w->lines && d == 1)
		put_c(w, '\n');
	w->has_value[d - 1] = 1;
	return 0;
}

static void open_container(json_w *w, char c, int is_obj)
{
	if (w->err == 0 && w->depth == JSON_MAX_DEPTH) {
		fail(w, JSON_EDEPTH);
		return;
	}
	if (pre_value(w) < 0)
		return;
	put_c(w, c);
	w->is_obj[w->depth] = (unsigned char)is_obj;
	w->has_value[w->depth] = 0;
	w->depth++;
}

static void close_container(json_w *w, char c, int is_obj)
{
	if (w->err != 0)
		return;
	if (w->depth == 0 || w->is_obj[w->depth - 1] != is_obj || w->after_key) {
		fail(w, JSON_ESTRUCT);
		return;
	}
	if (w->lines && w->depth == 1)
		put_c(w, '\n');
	put_c(w, c);
	w->depth--;
}

void json_obj_begin(json_w *w)
{
	open_container(w, '{', 1);
}

void json_obj_end(json_w *w)
{
	close_container(w, '}', 1);
}

void json_arr_begin(json_w *w)
{
	open_container(w, '[', 0);
}

void json_arr_end(json_w *w)
{
	close_container(w, ']', 0);
}

/* ---- strings ---- */

static void put_u_escape(json_w *w, unsigned cp)
{
	char e[8];

	snprintf(e, sizeof(e), "\\u%04x", cp);
	put(w, e, 6);
}

/* RFC 8259 §7, the bytes read as UTF-8 (json.h JSON_STRINGS_UTF8). */
static void put_utf8_body(json_w *w, const unsigned char *p, size_t n)
{
	size_t i = 0, run = 0;

	while (i < n) {
		unsigned char c = p[i];
		const char *esc = NULL;
		size_t k;

		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default: break;
		}
		k = esc == NULL && c >= 0x20 && c != 0x7f ? utf8_valid_len(p + i, n - i) : 0;
		if (k > 0) {
			i += k;
			run += k;
			continue;
		}
		put(w, (const char *)p + i - run, run);
		run = 0;
		if (esc != NULL)
			put(w, esc, 2);
		else if (c < 0x20 || c == 0x7f)
			put_u_escape(w, c);
		else
			put_u_escape(w, 0xfffd); /* not UTF-8: U+FFFD REPLACEMENT CHARACTER */
		i++;
	}
	put(w, (const char *)p + i - run, run);
}

/* RFC 8259 §7, one code point per byte (json.h JSON_STRINGS_OCTETS). */
static void put_octets_body(json_w *w, const unsigned char *p, size_t n)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			run++;
			continue;
		}
		put(w, (const char *)p + i - run, run);
		run = 0;
		if (c == '"' || c == '\\') {
			put_c(w, '\\');
			put_c(w, (char)c);
		} else {
			put_u_escape(w, c);
		}
	}
	put(w, (const char *)p + i - run, run);
}

static void put_string(json_w *w, const char *s, size_t n)
{
	put_c(w, '"');
	if (w->strings == JSON_STRINGS_OCTETS)
		put_octets_body(w, (const unsigned char *)s, n);
	else
		put_utf8_body(w, (const unsigned char *)s, n);
	put_c(w, '"');
}

void json_key(json_w *w, const char *key)
{
	int d = w->depth;

	if (w->err != 0)
		return;
	if (d == 0 || !w->is_obj[d - 1] || w->after_key) {
		fail(w, JSON_ESTRUCT);
		return;
	}
	if (w->has_value[d - 1])
		put_c(w, ',');
	if (w->lines && d == 1)
		put_c(w, '\n');
	w->has_value[d - 1] = 1;
	put_string(w, key, strlen(key));
	put_c(w, ':');
	w->after_key = 1;
}

void json_strn(json_w *w, const char *s, size_t n)
{
	if (s == NULL && n == 0) {
		json_null(w);
		return;
	}
	if (pre_value(w) == 0)
		put_string(w, s, n);
}

void json_str(json_w *w, const char *s)
{
	if (s == NULL) {
		json_null(w);
		return;
	}
	if (pre_value(w) == 0)
		put_string(w, s, strlen(s));
}

/* ---- other values ---- */

static void put_literal(json_w *w, const char *text)
{
	if (pre_value(w) == 0)
		put(w, text, strlen(text));
}

void json_int(json_w *w, int64_t v)
{
	char t[24];

	snprintf(t, sizeof(t), "%lld", (long long)v);
	put_literal(w, t);
}

void json_double(json_w *w, double v)
{
	char t[32];

	if (v != v || v > 1e308 || v < -1e308) {
		json_null(w);
		return;
	}
	snprintf(t, sizeof(t), "%.6g", v);
	put_literal(w, t);
}

void json_bool(json_w *w, int v)
{
	put_literal(w, v ? "true" : "false");
}

void json_null(json_w *w)
{
	put_literal(w, "null");
}

void json_newline(json_w *w)
{
	put_c(w, '\n');
}
