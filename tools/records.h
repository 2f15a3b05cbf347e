/* SPDX-License-Identifier: MIT */
/*
 * records.h — reader of the record files in tables/ (tables/README.md,
 * "Record files"). Build-time only.
 */
#ifndef CW_TOOLS_RECORDS_H
#define CW_TOOLS_RECORDS_H

#include <stddef.h>

#define REC_MAX_FIELDS 8

struct rec_field {
	char *name;
	char *value;
	unsigned line;
};

struct record {
	char *kind;  /* "cause", "class", "status"; "isdn", "diversion" (redirect-reasons.txt) */
	char *key;   /* "17", "4xx" */
	unsigned line;
	size_t nfields;
	struct rec_field fields[REC_MAX_FIELDS];
};

struct recfile {
	const char *path;
	char *text; /* the file's bytes; records point into it */
	struct record *recs;
	size_t nrecs;
};

/* Read and split path; exits with "path:line: message" on any error. */
void recfile_read(struct recfile *rf, const char *path);

/* Free what recfile_read() allocated. */
void recfile_free(struct recfile *rf);

/* The value of field name in rec (exactly once, non-empty), or exit with an error. */
const char *rec_get(const struct recfile *rf, const struct record *rec, const char *name);

/* Exit unless rec has exactly the fields named (NULL-terminated list). */
void rec_require_exactly(const struct recfile *rf, const struct record *rec, const char *const *names);

/* Print "path:line: message" to stderr and exit 1. */
void die_at(const char *path, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

/* Read a whole file (NUL-terminated copy); exits on error. */
char *read_file(const char *path, size_t *ret_len);

#endif /* CW_TOOLS_RECORDS_H */
