/* SPDX-License-Identifier: MIT */
/*
 * json.h — the one streaming JSON writer (RFC 8259) of the causeway CLI,
 * the bridge's CDR lines and the PSTN simulator's report.
 *
 * A writer sends its bytes to one sink, chosen at init:
 *   json_init()       a FILE, written as it goes;
 *   json_init_buf()   the caller's buffer of a fixed size, always
 *                     NUL-terminated; a value that does not fit is
 *                     JSON_EOVERFLOW;
 *   json_init_grow()  a buffer of its own that grows up to a limit
 *                     (JSON_EOVERFLOW beyond it, JSON_ENOMEM when malloc
 *                     fails), handed over by json_take().
 * The first error sticks: later calls write nothing, and json_error()
 * says what went wrong. Commas and colons are inserted automatically.
 *
 * Strings are escaped per RFC 8259 §7, in one of two readings of the bytes
 * (json_set_strings()):
 *   JSON_STRINGS_UTF8 (default): quote and backslash are escaped, LF, CR
 *     and TAB as \n \r \t, every other control character (U+0000..U+001F)
 *     and U+007F as \u00XX; well-formed UTF-8 (RFC 3629 §4) is copied and
 *     every byte that is not part of it becomes \ufffd, so the output is
 *     always valid UTF-8.
 *   JSON_STRINGS_OCTETS: every byte is one code point U+0000..U+00FF (ISO
 *     8859-1); quote and backslash are escaped, every byte outside
 *     0x20..0x7e is \u00XX, so the output is plain ASCII. For IA5 fields off
 *     the wire (Q.931 §4.5: numbers, Display), where no byte is lost or
 *     merged.
 *
 * The members of json_w are private: use the functions.
 */
#ifndef CW_JSON_H
#define CW_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 8

enum json_error {
	JSON_OK = 0,
	JSON_EOVERFLOW = -1, /* the buffer (or the growable buffer's limit) is full */
	JSON_ENOMEM = -2,    /* the growable buffer could not grow */
	JSON_EIO = -3,       /* the FILE refused a write */
	JSON_EDEPTH = -4,    /* more than JSON_MAX_DEPTH open objects and arrays */
	JSON_ESTRUCT = -5    /* a key outside an object, a value without its key, a close
	                        that matches no open, or a take before the text ended */
};

enum json_strings {
	JSON_STRINGS_UTF8 = 0,
	JSON_STRINGS_OCTETS
};

typedef struct json_w {
	FILE *f;                  /* json_init() */
	char *buf;                /* json_init_buf(), json_init_grow() */
	size_t len, cap, max;     /* bytes written, allocated, allowed (without the NUL) */
	int grow;                 /* buf is ours and grows up to max */
	int err;                  /* enum json_error, sticky */
	enum json_strings strings;
	int depth;
	int after_key;            /* a key was written, its value is next */
	int lines;                /* top-level array: one element per line */
	unsigned char is_obj[JSON_MAX_DEPTH];    /* the open container at each depth */
	unsigned char has_value[JSON_MAX_DEPTH]; /* a value was written at that depth */
} json_w;

/* json_init() - write to f as the calls come. */
void json_init(json_w *w, FILE *f);
/*
 * json_init_buf() - write into buf[size], NUL-terminated after every call
 * (size 0: every write is JSON_EOVERFLOW and buf is not touched). A write
 * that does not fit leaves what was before it.
 */
void json_init_buf(json_w *w, char *buf, size_t size);
/* json_init_grow() - write into a buffer of the writer's own, at most max bytes. */
void json_init_grow(json_w *w, size_t max);
/*
 * json_take() - the growable buffer's text, NUL-terminated, in *ret (free())
 * and its length without the NUL in *ret_len; the writer holds no buffer
 * afterwards. Returns 0, or the writer's error, or JSON_ESTRUCT while an
 * object or array is still open or for a writer of another sink; on an
 * error the buffer is freed and *ret is untouched.
 */
int json_take(json_w *w, char **ret, size_t *ret_len);
/* json_discard() - free the growable buffer without taking it (nothing for other sinks). */
void json_discard(json_w *w);
/* json_error() - 0, or the first enum json_error met. */
int json_error(const json_w *w);
/* json_strerror() - a few words for an enum json_error. */
const char *json_strerror(int err);
/* json_length() - bytes written so far (buffers only: 0 for a FILE). */
size_t json_length(const json_w *w);

/* json_set_strings() - how the bytes of later strings and keys are read (see above). */
void json_set_strings(json_w *w, enum json_strings how);
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
/* json_strn() - a string value of n bytes (may contain NUL, escaped); NULL with n 0 writes null. */
void json_strn(json_w *w, const char *s, size_t n);
void json_int(json_w *w, int64_t v);
/* json_double() - a number with up to 6 significant digits; NaN and infinities write null. */
void json_double(json_w *w, double v);
void json_bool(json_w *w, int v);
void json_null(json_w *w);
/* json_newline() - a newline between values (one JSON text per line, or pretty arrays). */
void json_newline(json_w *w);

/*
 * utf8_valid_len() - the length (1..4) of the well-formed UTF-8 sequence
 * at s (RFC 3629 §4: no overlongs, no surrogates, at most U+10FFFF), or 0
 * if the bytes there are not one. n is the number of bytes available.
 */
size_t utf8_valid_len(const unsigned char *s, size_t n);

#endif /* CW_JSON_H */
