/* SPDX-License-Identifier: MIT */
/*
 * json.c — a tiny streaming JSON writer (RFC 8259) for the causeway CLI.
 */
#include "json.h"

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

void json_init(json_w *w, FILE *f)
{
	w->f = f;
	w->depth = 0;
	w->after_key = 0;
	w->lines = 0;
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		w->count[i] = 0;
}

void json_lines(json_w *w)
{
	w->lines = 1;
}

/* Before any value: a comma unless it is the first one here or follows a key. */
static void json_pre_value(json_w *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0 && w->depth <= JSON_MAX_DEPTH) {
		if (w->count[w->depth - 1] > 0)
			fputc(',', w->f);
		if (w->lines && w->depth == 1)
			fputc('\n', w->f);
		if (w->count[w->depth - 1] < 255)
			w->count[w->depth - 1]++;
	}
}

static void json_open(json_w *w, int c)
{
	json_pre_value(w);
	fputc(c, w->f);
	w->depth++;
	if (w->depth <= JSON_MAX_DEPTH)
		w->count[w->depth - 1] = 0;
}

static void json_close(json_w *w, int c)
{
	if (w->lines && w->depth == 1)
		fputc('\n', w->f);
	fputc(c, w->f);
	if (w->depth > 0)
		w->depth--;
}

void json_obj_begin(json_w *w)
{
	json_open(w, '{');
}

void json_obj_end(json_w *w)
{
	json_close(w, '}');
}

void json_arr_begin(json_w *w)
{
	json_open(w, '[');
}

void json_arr_end(json_w *w)
{
	json_close(w, ']');
}

static void json_escaped(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	fputc('"', f);
	while (i < n) {
		unsigned char c = p[i];
		size_t k;

		switch (c) {
		case '"':
			fputs("\\\"", f);
			i++;
			continue;
		case '\\':
			fputs("\\\\", f);
			i++;
			continue;
		case '\n':
			fputs("\\n", f);
			i++;
			continue;
		case '\r':
			fputs("\\r", f);
			i++;
			continue;
		case '\t':
			fputs("\\t", f);
			i++;
			continue;
		default:
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", (unsigned)c);
			i++;
			continue;
		}
		k = utf8_valid_len(p + i, n - i);
		if (k == 0) {
			fputs("\\ufffd", f);
			i++;
			continue;
		}
		fwrite(p + i, 1, k, f);
		i += k;
	}
	fputc('"', f);
}

void json_key(json_w *w, const char *key)
{
	size_t n = 0;

	json_pre_value(w);
	while (key[n] != '\0')
		n++;
	json_escaped(w->f, key, n);
	fputc(':', w->f);
	w->after_key = 1;
}

void json_strn(json_w *w, const char *s, size_t n)
{
	if (s == NULL && n == 0) {
		json_null(w);
		return;
	}
	json_pre_value(w);
	json_escaped(w->f, s, n);
}

void json_str(json_w *w, const char *s)
{
	size_t n = 0;

	if (s == NULL) {
		json_null(w);
		return;
	}
	while (s[n] != '\0')
		n++;
	json_pre_value(w);
	json_escaped(w->f, s, n);
}

void json_int(json_w *w, long v)
{
	json_pre_value(w);
	fprintf(w->f, "%ld", v);
}

void json_double(json_w *w, double v)
{
	if (v != v || v > 1e308 || v < -1e308) {
		json_null(w);
		return;
	}
	json_pre_value(w);
	fprintf(w->f, "%.6g", v);
}

void json_bool(json_w *w, int v)
{
	json_pre_value(w);
	fputs(v ? "true" : "false", w->f);
}

void json_null(json_w *w)
{
	json_pre_value(w);
	fputs("null", w->f);
}

void json_newline(json_w *w)
{
	fputc('\n', w->f);
}
