/* SPDX-License-Identifier: MIT */
/*
 * mapfile.h — the map-file parser (tables/README.md, "Map files"). Used at
 * build time by cw-tablegen for the built-in profiles and at run time for
 * site override files: one grammar, one validator.
 */
#ifndef CW_LIB_MAPFILE_H
#define CW_LIB_MAPFILE_H

#include <causeway/map.h>

#define CW_MAP_MAX_ROWS 4096
#define CW_MAP_MAX_LINE 1024
#define CW_MAP_MAX_SIZE (1024u * 1024u)

struct cw_maprow {
	enum cw_row_kind kind;
	int key;
	enum cw_qualifier qualifier;
	int qualifier_value;
	int result;
	int action;
	unsigned line;
	cw_str clause; /* into the parsed text; may be empty */
};

/* An option line: which received Reason values take precedence. */
struct cw_mapoption {
	int present;
	unsigned events; /* CW_HONOUR_* */
	unsigned line;
	cw_str clause;
};

struct cw_mapfile {
	const char *filename;
	cw_str profile;   /* "profile NAME" (built-in profiles only) */
	cw_str describe;  /* "describe TEXT" */
	struct cw_mapoption reason_q850;
	struct cw_mapoption reason_sip;
	struct cw_maprow *rows;
	size_t nrows;
	size_t capacity;
};

/* Tells whether status is a registered final response (the SIP table). */
typedef int (*cw_status_check_fn)(int status);

/*
 * cw_mapfile_parse() - parse text into mf (which the caller zeroes first).
 * builtin != 0 allows and requires "profile" and a clause on every row.
 * is_registered validates the STATUS of cause rows.
 * Returns 0 or a CW_E* code with diag filled (file:line:column).
 * Rows point into text, which must outlive mf.
 */
int cw_mapfile_parse(struct cw_mapfile *mf, const char *filename, const char *text, size_t len,
                     int builtin, cw_status_check_fn is_registered, cw_diag *diag);
void cw_mapfile_release(struct cw_mapfile *mf);

/* Same kind, key and qualifier: the second replaces (override) or duplicates (same file). */
int cw_maprow_same_key(const struct cw_maprow *a, const struct cw_maprow *b);

/* Canonical key text of a row, e.g. "cause 21 location=U", "status BYE reason=200". */
size_t cw_maprow_key_format(const struct cw_maprow *row, char *buf, size_t len);

/* Fill diag (may be NULL) and return code. */
int cw_diag_set(cw_diag *diag, int code, const char *file, unsigned line, unsigned column,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif /* CW_LIB_MAPFILE_H */
