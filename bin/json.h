/* SPDX-License-Identifier: MIT */
/*
 * json.h — a tiny streaming JSON writer (the causeway CLI, the bridge CDR).
 *
 * Strings are escaped per RFC 8259 §7: quote, backslash and every control
 * character (U+0000..U+001F, and U+007F for safety) are escaped; bytes that
 * are not valid UTF-8 are replaced by U+FFFD, so the output is always valid
 * UTF-8 JSON. Commas are inserted automatically.
 */
#ifndef CW_CLI_JSON_H
#define CW_CLI_JSON_H

#include <stddef.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 8

typedef struct json_w {
	FILE *f;
	int depth;
	int after_key;                       /* a key was written, its value is next */
	int lines;                           /* top-level array: one element per line */
	unsigned char count[JSON_MAX_DEPTH]; /* values written so far at each depth (saturating) */
} json_w;

void json_init(json_w *w, FILE *f);
/*
 * json_lines() - write the elements of a top-level array one per line:
 * "[\n" ELEMENT ",\n" ELEMENT "\n]" (still one JSON text).
 */
void json_lines(json_w *w);
void json_obj_begin(json_w *w);
void json_obj_end(json_w *w);
void json_arr_begin(json_w *w);
void json_arr_end(json_w *w);
/* json_key() - the next member's name (inside an object). */
void json_key(json_w *w, const char *key);
/* json_str() - a string value; NULL writes null. */
void json_str(json_w *w, const char *s);
/* json_strn() - a string value of n bytes (may contain NUL, escaped). */
void json_strn(json_w *w, const char *s, size_t n);
void json_int(json_w *w, long v);
/* json_double() - a number with up to 6 significant digits; NaN and infinities write null. */
void json_double(json_w *w, double v);
void json_bool(json_w *w, int v);
void json_null(json_w *w);
/* json_newline() - a newline between values (for one-object-per-line arrays). */
void json_newline(json_w *w);

/*
 * utf8_valid_len() - the length (1..4) of the well-formed UTF-8 sequence
 * at s (RFC 3629 §4: no overlongs, no surrogates, at most U+10FFFF), or 0
 * if the bytes there are not one. n is the number of bytes available.
 */
size_t utf8_valid_len(const unsigned char *s, size_t n);

#endif /* CW_CLI_JSON_H */
