/* SPDX-License-Identifier: MIT */
/*
 * writer.c — a bounded writer for the header values this module produces
 * (challenges, credentials): auth-param lists of RFC 3261 §25.1.
 */
#include <errno.h>
#include <string.h>

#include "auth_internal.h"

void cwa_writer_init(struct cwa_writer *w, char *buf, size_t size)
{
	w->buf = buf;
	w->size = size;
	w->len = 0;
	w->err = size ? 0 : -ENOSPC;
	if (size)
		buf[0] = '\0';
}

static void put_char(struct cwa_writer *w, char c)
{
	if (w->err)
		return;
	if (w->len + 1 >= w->size) {
		w->err = -ENOSPC;
		return;
	}
	w->buf[w->len++] = c;
	w->buf[w->len] = '\0';
}

void cwa_put(struct cwa_writer *w, const char *s)
{
	for (; *s; s++)
		put_char(w, *s);
}

/* The list separator: parameters after the first follow a COMMA. */
static void put_name(struct cwa_writer *w, const char *name)
{
	const char *last = w->len ? &w->buf[w->len - 1] : NULL;

	if (last && *last != ' ')
		cwa_put(w, ", ");
	cwa_put(w, name);
	put_char(w, '=');
}

void cwa_put_quoted_param(struct cwa_writer *w, const char *name, const char *value)
{
	put_name(w, name);
	put_char(w, '"');
	for (; *value; value++) {
		unsigned char c = (unsigned char)*value;

		/* quoted-pair for what qdtext does not take; CR and LF never get here */
		if (c == '"' || c == '\\' || (c < 0x20 && c != '\t') || c == 0x7f)
			put_char(w, '\\');
		put_char(w, *value);
	}
	put_char(w, '"');
}

void cwa_put_token_param(struct cwa_writer *w, const char *name, const char *value)
{
	put_name(w, name);
	cwa_put(w, value);
}

int cwa_writer_finish(const struct cwa_writer *w, size_t *len)
{
	if (w->err)
		return w->err;
	if (len)
		*len = w->len;
	return 0;
}
