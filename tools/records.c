/* SPDX-License-Identifier: MIT */
/*
 * records.c — reader of the record files in tables/. Any defect is a build
 * failure naming file:line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"

void die_at(const char *path, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (line)
		fprintf(stderr, "%s:%u: ", path, line);
	else
		fprintf(stderr, "%s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

char *read_file(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		die_at(path, 0, "cannot open: %s", strerror(errno));
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			if (!buf)
				die_at(path, 0, "out of memory");
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f))
		die_at(path, 0, "read error: %s", strerror(errno));
	fclose(f);
	buf[len] = '\0';
	if (memchr(buf, '\0', len))
		die_at(path, 0, "NUL byte in the file");
	*ret_len = len;
	return buf;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Join continuation lines (" \" at the end) in place; returns the logical line. */
static char *next_logical_line(char **cursor, unsigned *lineno, unsigned *first_line)
{
	char *start = *cursor, *out = *cursor, *p = *cursor;

	if (!*p)
		return NULL;
	*first_line = *lineno + 1;
	for (;;) {
		char *nl = strchr(p, '\n');
		char *end = nl ? nl : p + strlen(p);
		size_t n;

		(*lineno)++;
		while (end > p && end[-1] == '\r')
			end--;
		n = (size_t)(end - p);
		memmove(out, p, n);
		out += n;
		p = nl ? nl + 1 : p + strlen(p);
		if (out - start >= 2 && out[-1] == '\\' && out[-2] == ' ' && *p) {
			out--; /* keep the space, drop the backslash */
			while (*p == ' ' || *p == '\t')
				p++;
			continue;
		}
		break;
	}
	*out = '\0';
	*cursor = p;
	return start;
}

void recfile_read(struct recfile *rf, const char *path)
{
	size_t len, cap = 0;
	char *text = read_file(path, &len), *cursor = text, *line;
	unsigned lineno = 0, first;
	struct record *cur = NULL;

	rf->path = path;
	rf->text = text;
	rf->recs = NULL;
	rf->nrecs = 0;
	while ((line = next_logical_line(&cursor, &lineno, &first))) {
		char *s = trim(line), *sp;

		if (*s == '\0' || *s == '#')
			continue;
		sp = s + strcspn(s, " \t");
		if (*sp)
			*sp++ = '\0';
		sp = trim(sp);
		if (!strcmp(s, "cause") || !strcmp(s, "class") || !strcmp(s, "status") ||
		    !strcmp(s, "isdn") || !strcmp(s, "diversion")) {
			if (*sp == '\0' || strpbrk(sp, " \t"))
				die_at(path, first, "\"%s\" takes exactly one key", s);
			if (rf->nrecs == cap) {
				cap = cap ? cap * 2 : 128;
				rf->recs = realloc(rf->recs, cap * sizeof(*rf->recs));
				if (!rf->recs)
					die_at(path, first, "out of memory");
			}
			cur = &rf->recs[rf->nrecs++];
			memset(cur, 0, sizeof(*cur));
			cur->kind = s;
			cur->key = sp;
			cur->line = first;
			continue;
		}
		if (!cur)
			die_at(path, first, "field \"%s\" before the first record", s);
		if (cur->nfields == REC_MAX_FIELDS)
			die_at(path, first, "too many fields in record %s %s", cur->kind, cur->key);
		for (size_t i = 0; i < cur->nfields; i++)
			if (!strcmp(cur->fields[i].name, s))
				die_at(path, first, "field \"%s\" twice in record %s %s (first at line %u)", s,
				       cur->kind, cur->key, cur->fields[i].line);
		if (*sp == '\0')
			die_at(path, first, "field \"%s\" is empty", s);
		cur->fields[cur->nfields].name = s;
		cur->fields[cur->nfields].value = sp;
		cur->fields[cur->nfields].line = first;
		cur->nfields++;
	}
}

void recfile_free(struct recfile *rf)
{
	free(rf->text);
	free(rf->recs);
	rf->text = NULL;
	rf->recs = NULL;
	rf->nrecs = 0;
}

const char *rec_get(const struct recfile *rf, const struct record *rec, const char *name)
{
	for (size_t i = 0; i < rec->nfields; i++)
		if (!strcmp(rec->fields[i].name, name))
			return rec->fields[i].value;
	die_at(rf->path, rec->line, "record %s %s lacks the field \"%s\"", rec->kind, rec->key, name);
}

void rec_require_exactly(const struct recfile *rf, const struct record *rec, const char *const *names)
{
	size_t i, j;

	for (i = 0; names[i]; i++)
		(void)rec_get(rf, rec, names[i]);
	for (j = 0; j < rec->nfields; j++) {
		for (i = 0; names[i] && strcmp(names[i], rec->fields[j].name); i++)
			;
		if (!names[i])
			die_at(rf->path, rec->fields[j].line, "unknown field \"%s\" in record %s %s",
			       rec->fields[j].name, rec->kind, rec->key);
	}
}
