/* SPDX-License-Identifier: MIT */
/*
 * mapfile.c — parser and validator of map files (tables/README.md).
 *
 * A line is a directive and whitespace-separated words; the rest of a row
 * line after its fixed words is the clause that justifies the row. Every
 * error names file:line:column and stops the parse: an operator fixes the
 * file, nothing is half-loaded.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/q850.h>

#include "internal.h"
#include "mapfile.h"

struct line_ctx {
	struct cw_mapfile *mf;
	cw_diag *diag;
	unsigned lineno;
	const char *start; /* first byte of the line */
	const char *end;   /* one past its last byte (comment and CR removed) */
	const char *pos;   /* next unread byte */
	int builtin;
	cw_status_check_fn is_registered;
};

int cw_diag_set(cw_diag *diag, int code, const char *file, unsigned line, unsigned column,
                const char *fmt, ...)
{
	va_list ap;

	if (!diag)
		return code;
	diag->code = code;
	diag->line = line;
	diag->column = column;
	snprintf(diag->file, sizeof(diag->file), "%s", file ? file : "");
	va_start(ap, fmt);
	vsnprintf(diag->message, sizeof(diag->message), fmt, ap);
	va_end(ap);
	return code;
}

static unsigned column_of(const struct line_ctx *lc, const char *p)
{
	return (unsigned)(p - lc->start) + 1;
}

/* Printable excerpt of a word for messages: at most 40 bytes, controls as '?'. */
static const char *excerpt(cw_str w, char *buf, size_t len)
{
	size_t i, n = w.len < len - 1 ? w.len : len - 1;

	if (n > 40)
		n = 40;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w.ptr[i];
		buf[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	buf[i] = '\0';
	return buf;
}

static int fail(struct line_ctx *lc, int code, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct line_ctx *lc, int code, const char *at, const char *fmt, ...)
{
	char msg[CW_DIAG_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cw_diag_set(lc->diag, code, lc->mf->filename, lc->lineno, at ? column_of(lc, at) : 0,
	                   "%s", msg);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next word, or an empty span at the end of the line. */
static cw_str next_word(struct line_ctx *lc)
{
	cw_str w;

	while (lc->pos < lc->end && is_blank(*lc->pos))
		lc->pos++;
	w.ptr = lc->pos;
	while (lc->pos < lc->end && !is_blank(*lc->pos))
		lc->pos++;
	w.len = (size_t)(lc->pos - w.ptr);
	return w;
}

/* The rest of the line, trimmed. */
static cw_str rest_of_line(struct line_ctx *lc)
{
	cw_str r;
	const char *e = lc->end;

	while (lc->pos < e && is_blank(*lc->pos))
		lc->pos++;
	while (e > lc->pos && is_blank(e[-1]))
		e--;
	r.ptr = lc->pos;
	r.len = (size_t)(e - lc->pos);
	lc->pos = lc->end;
	return r;
}

static int word_is(cw_str w, const char *s)
{
	return w.len == strlen(s) && memcmp(w.ptr, s, w.len) == 0;
}

/* Strict decimal: digits only, at most 9 of them, within [min, max]. */
static int parse_number(cw_str w, int min, int max, int *ret)
{
	long v = 0;
	size_t i;

	if (w.len == 0 || w.len > 9)
		return w.len == 0 ? CW_ESYNTAX : CW_ERANGE;
	for (i = 0; i < w.len; i++) {
		if (w.ptr[i] < '0' || w.ptr[i] > '9')
			return CW_ESYNTAX;
		v = v * 10 + (w.ptr[i] - '0');
	}
	if (v < min || v > max)
		return CW_ERANGE;
	*ret = (int)v;
	return 0;
}

static int expect_number(struct line_ctx *lc, cw_str w, int min, int max, const char *what,
                         int *ret)
{
	char ex[48];
	int r;

	if (w.len == 0)
		return fail(lc, CW_ESYNTAX, w.ptr, "missing %s", what);
	r = parse_number(w, min, max, ret);
	if (r == CW_ESYNTAX)
		return fail(lc, r, w.ptr, "%s \"%s\" is not a number", what, excerpt(w, ex, sizeof(ex)));
	if (r == CW_ERANGE)
		return fail(lc, r, w.ptr, "%s %s out of range (%d-%d)", what,
		            excerpt(w, ex, sizeof(ex)), min, max);
	return 0;
}

static int expect_location(struct line_ctx *lc, cw_str w, int *ret)
{
	char ex[48];

	if (w.len == 0)
		return fail(lc, CW_ESYNTAX, w.ptr, "missing location");
	if (cw_location_from_name(w.ptr, w.len, ret) != 0)
		return fail(lc, CW_ENOENT, w.ptr,
		            "unknown location \"%s\" (an RFC 8606 name such as U, LN, BI, or 0-15)",
		            excerpt(w, ex, sizeof(ex)));
	return 0;
}

static int all_digits(cw_str w)
{
	size_t i;

	for (i = 0; i < w.len; i++)
		if (w.ptr[i] < '0' || w.ptr[i] > '9')
			return 0;
	return w.len > 0;
}

/* "1xx".."6xx" -> class 1..6, else 0. */
static int status_class_of(cw_str w)
{
	if (w.len == 3 && w.ptr[0] >= '1' && w.ptr[0] <= '6' && w.ptr[1] == 'x' && w.ptr[2] == 'x')
		return w.ptr[0] - '0';
	return 0;
}

static int request_of(cw_str w)
{
	if (w.len == 3 && cw_ascii_ieq(w.ptr, w.len, "bye"))
		return CW_SIP_BYE;
	if (w.len == 6 && cw_ascii_ieq(w.ptr, w.len, "cancel"))
		return CW_SIP_CANCEL;
	return 0;
}

static int add_row(struct line_ctx *lc, const struct cw_maprow *row, const char *at)
{
	struct cw_mapfile *mf = lc->mf;
	size_t i;

	for (i = 0; i < mf->nrows; i++) {
		if (cw_maprow_same_key(&mf->rows[i], row)) {
			char key[64];

			cw_maprow_key_format(row, key, sizeof(key));
			return fail(lc, CW_EDUPLICATE, at, "duplicate row \"%s\" (first at line %u)", key,
			            mf->rows[i].line);
		}
	}
	if (mf->nrows == CW_MAP_MAX_ROWS)
		return fail(lc, CW_ELIMIT, at, "more than %d rows", CW_MAP_MAX_ROWS);
	if (mf->nrows == mf->capacity) {
		size_t cap = mf->capacity ? mf->capacity * 2 : 64;
		struct cw_maprow *rows = realloc(mf->rows, cap * sizeof(*rows));

		if (!rows)
			return fail(lc, CW_ENOMEM, NULL, "out of memory");
		mf->rows = rows;
		mf->capacity = cap;
	}
	mf->rows[mf->nrows++] = *row;
	return 0;
}

static int take_clause(struct line_ctx *lc, struct cw_maprow *row)
{
	row->clause = rest_of_line(lc);
	if (lc->builtin && row->clause.len == 0)
		return fail(lc, CW_EMISSING, lc->end,
		            "missing clause: a built-in row must say where it comes from");
	return 0;
}

/* cause KEY QUALIFIER STATUS ACTION CLAUSE... — RFC 3398 §7.2.4.1 rows. */
static int parse_cause_row(struct line_ctx *lc, const char *at)
{
	struct cw_maprow row = { .kind = CW_ROW_CAUSE, .line = lc->lineno };
	cw_str key = next_word(lc), qual = next_word(lc), status = next_word(lc), action = next_word(lc);
	char ex[48];
	int r;

	if (word_is(key, "default"))
		row.key = CW_KEY_DEFAULT;
	else if ((r = expect_number(lc, key, CW_Q850_CAUSE_MIN, CW_Q850_CAUSE_MAX, "cause", &row.key)))
		return r;

	if (word_is(qual, "-")) {
		row.qualifier = CW_QUAL_NONE;
	} else if (word_is(qual, "diagnostic")) {
		row.qualifier = CW_QUAL_DIAGNOSTIC;
	} else if (qual.len > 9 && memcmp(qual.ptr, "location=", 9) == 0) {
		cw_str loc = { qual.ptr + 9, qual.len - 9 };

		row.qualifier = CW_QUAL_LOCATION;
		if ((r = expect_location(lc, loc, &row.qualifier_value)))
			return r;
	} else {
		return fail(lc, qual.len ? CW_ESYNTAX : CW_EMISSING, qual.ptr,
		            "%s qualifier \"%s\" (want -, location=LOC or diagnostic)",
		            qual.len ? "unknown" : "missing", excerpt(qual, ex, sizeof(ex)));
	}
	if (row.key == CW_KEY_DEFAULT && row.qualifier != CW_QUAL_NONE)
		return fail(lc, CW_ESYNTAX, qual.ptr, "the default row takes no qualifier");

	if ((r = expect_number(lc, status, 300, 699, "status", &row.result)))
		return r;
	if (lc->is_registered && !lc->is_registered(row.result))
		return fail(lc, CW_ERANGE, status.ptr,
		            "status %d is not an IANA-registered final response", row.result);

	if (word_is(action, "respond"))
		row.action = CW_C2S_RESPOND;
	else if (word_is(action, "clear"))
		row.action = CW_C2S_CLEAR;
	else if (word_is(action, "retry-channel"))
		row.action = CW_C2S_RETRY_CHANNEL;
	else
		return fail(lc, action.len ? CW_ESYNTAX : CW_EMISSING, action.ptr,
		            "%s action \"%s\" (want respond, clear or retry-channel)",
		            action.len ? "unknown" : "missing", excerpt(action, ex, sizeof(ex)));

	if ((r = take_clause(lc, &row)))
		return r;
	return add_row(lc, &row, at);
}

/* The KEY of status and location rows: status, class, default, BYE, CANCEL. */
static int parse_status_key(struct line_ctx *lc, cw_str key, struct cw_maprow *row)
{
	int cls = status_class_of(key), req = request_of(key);

	if (word_is(key, "default")) {
		row->key = CW_KEY_DEFAULT;
	} else if (cls) {
		row->key = CW_KEY_CLASS(cls);
	} else if (req) {
		row->key = req;
		if (row->kind == CW_ROW_STATUS)
			row->kind = CW_ROW_REQUEST;
	} else if (all_digits(key)) {
		return expect_number(lc, key, 100, 699, "status", &row->key);
	} else {
		char ex[48];

		return fail(lc, key.len ? CW_ESYNTAX : CW_EMISSING, key.ptr,
		            "%s key \"%s\" (want a status 100-699, 1xx-6xx, BYE, CANCEL or default)",
		            key.len ? "unknown" : "missing", excerpt(key, ex, sizeof(ex)));
	}
	return 0;
}

/* status KEY QUALIFIER CAUSE ACTION CLAUSE... — RFC 3398 §8.2.6.1 rows. */
static int parse_status_row(struct line_ctx *lc, const char *at)
{
	struct cw_maprow row = { .kind = CW_ROW_STATUS, .line = lc->lineno };
	cw_str key = next_word(lc), qual = next_word(lc), cause = next_word(lc), action = next_word(lc);
	char ex[48];
	int r;

	if ((r = parse_status_key(lc, key, &row)))
		return r;

	if (word_is(qual, "-")) {
		row.qualifier = CW_QUAL_NONE;
	} else if (qual.len > 8 && memcmp(qual.ptr, "warning=", 8) == 0) {
		cw_str v = { qual.ptr + 8, qual.len - 8 };

		if (row.key < 100)
			return fail(lc, CW_ESYNTAX, qual.ptr, "warning= applies to a single status only");
		row.qualifier = CW_QUAL_WARNING;
		if ((r = expect_number(lc, v, 100, 999, "warning code", &row.qualifier_value)))
			return r;
	} else if (qual.len > 7 && memcmp(qual.ptr, "reason=", 7) == 0) {
		cw_str v = { qual.ptr + 7, qual.len - 7 };

		if (row.kind != CW_ROW_REQUEST)
			return fail(lc, CW_ESYNTAX, qual.ptr, "reason= applies to BYE and CANCEL only");
		row.qualifier = CW_QUAL_REASON;
		if ((r = expect_number(lc, v, 100, 699, "Reason SIP cause", &row.qualifier_value)))
			return r;
	} else {
		return fail(lc, qual.len ? CW_ESYNTAX : CW_EMISSING, qual.ptr,
		            "%s qualifier \"%s\" (want -, warning=NNN or reason=NNN)",
		            qual.len ? "unknown" : "missing", excerpt(qual, ex, sizeof(ex)));
	}

	if (word_is(cause, "-"))
		row.result = 0;
	else if ((r = expect_number(lc, cause, CW_Q850_CAUSE_MIN, CW_Q850_CAUSE_MAX, "cause",
	                            &row.result)))
		return r;

	if (word_is(action, "release"))
		row.action = CW_S2C_RELEASE;
	else if (word_is(action, "none"))
		row.action = CW_S2C_NONE;
	else if (word_is(action, "redirect"))
		row.action = CW_S2C_REDIRECT;
	else if (word_is(action, "authenticate"))
		row.action = CW_S2C_AUTHENTICATE;
	else if (word_is(action, "reoriginate"))
		row.action = CW_S2C_REORIGINATE;
	else
		return fail(lc, action.len ? CW_ESYNTAX : CW_EMISSING, action.ptr,
		            "%s action \"%s\" (want release, none, redirect, authenticate or reoriginate)",
		            action.len ? "unknown" : "missing", excerpt(action, ex, sizeof(ex)));

	if ((row.action == CW_S2C_NONE) != (row.result == 0))
		return fail(lc, CW_ESYNTAX, cause.ptr,
		            "cause \"-\" goes with action none, and action none with cause \"-\"");
	if (row.kind == CW_ROW_REQUEST && row.action != CW_S2C_RELEASE)
		return fail(lc, CW_ESYNTAX, action.ptr, "BYE and CANCEL rows take action release");

	if ((r = take_clause(lc, &row)))
		return r;
	return add_row(lc, &row, at);
}

/* location KEY LOCATION CLAUSE... — RFC 3398 §8.2.6.1 location rule. */
static int parse_location_row(struct line_ctx *lc, const char *at)
{
	struct cw_maprow row = { .kind = CW_ROW_LOCATION, .line = lc->lineno };
	cw_str key = next_word(lc), loc = next_word(lc);
	int r;

	if ((r = parse_status_key(lc, key, &row)))
		return r;
	if ((r = expect_location(lc, loc, &row.result)))
		return r;
	if ((r = take_clause(lc, &row)))
		return r;
	return add_row(lc, &row, at);
}

/* option reason-q850|reason-sip EVENTS CLAUSE... */
static int parse_option(struct line_ctx *lc, const char *at)
{
	cw_str name = next_word(lc), events = next_word(lc);
	struct cw_mapoption *opt;
	char ex[48];

	if (word_is(name, "reason-q850"))
		opt = &lc->mf->reason_q850;
	else if (word_is(name, "reason-sip"))
		opt = &lc->mf->reason_sip;
	else
		return fail(lc, name.len ? CW_ENOENT : CW_EMISSING, name.ptr,
		            "%s option \"%s\" (want reason-q850 or reason-sip)",
		            name.len ? "unknown" : "missing", excerpt(name, ex, sizeof(ex)));
	if (opt->present)
		return fail(lc, CW_EDUPLICATE, at, "duplicate option \"%s\" (first at line %u)",
		            excerpt(name, ex, sizeof(ex)), opt->line);

	opt->events = 0;
	if (!word_is(events, "-")) {
		const char *p = events.ptr, *e = events.ptr + events.len;

		if (events.len == 0)
			return fail(lc, CW_EMISSING, events.ptr,
			            "missing events (a comma list of response, bye, cancel; or -)");
		while (p < e) {
			const char *q = memchr(p, ',', (size_t)(e - p));
			cw_str ev;

			if (!q)
				q = e;
			ev.ptr = p;
			ev.len = (size_t)(q - p);
			if (word_is(ev, "response"))
				opt->events |= CW_HONOUR_RESPONSE;
			else if (word_is(ev, "bye"))
				opt->events |= CW_HONOUR_BYE;
			else if (word_is(ev, "cancel"))
				opt->events |= CW_HONOUR_CANCEL;
			else
				return fail(lc, CW_ENOENT, p, "unknown event \"%s\" (want response, bye, cancel)",
				            excerpt(ev, ex, sizeof(ex)));
			p = q + 1;
		}
	}
	opt->present = 1;
	opt->line = lc->lineno;
	opt->clause = rest_of_line(lc);
	if (lc->builtin && opt->clause.len == 0)
		return fail(lc, CW_EMISSING, lc->end, "missing clause after the option");
	return 0;
}

static int parse_profile_name(struct line_ctx *lc, const char *at)
{
	cw_str name = next_word(lc), extra;
	size_t i;

	if (!lc->builtin)
		return fail(lc, CW_ESYNTAX, at, "\"profile\" belongs in built-in tables only");
	if (lc->mf->profile.len)
		return fail(lc, CW_EDUPLICATE, at, "a second \"profile\" line");
	if (lc->mf->nrows || lc->mf->reason_q850.present || lc->mf->reason_sip.present)
		return fail(lc, CW_ESYNTAX, at, "\"profile\" must come first");
	if (name.len == 0 || name.len > 32)
		return fail(lc, CW_ESYNTAX, name.ptr, "profile name of 1 to 32 characters expected");
	for (i = 0; i < name.len; i++) {
		char c = name.ptr[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return fail(lc, CW_ESYNTAX, name.ptr + i, "profile names use a-z, 0-9 and -");
	}
	extra = next_word(lc);
	if (extra.len)
		return fail(lc, CW_ESYNTAX, extra.ptr, "unexpected words after the profile name");
	lc->mf->profile = name;
	return 0;
}

static int parse_line(struct line_ctx *lc)
{
	cw_str directive = next_word(lc);
	char ex[48];

	if (directive.len == 0)
		return 0;
	if (word_is(directive, "cause"))
		return parse_cause_row(lc, directive.ptr);
	if (word_is(directive, "status"))
		return parse_status_row(lc, directive.ptr);
	if (word_is(directive, "location"))
		return parse_location_row(lc, directive.ptr);
	if (word_is(directive, "option"))
		return parse_option(lc, directive.ptr);
	if (word_is(directive, "profile"))
		return parse_profile_name(lc, directive.ptr);
	if (word_is(directive, "describe")) {
		if (!lc->builtin)
			return fail(lc, CW_ESYNTAX, directive.ptr,
			            "\"describe\" belongs in built-in tables only");
		lc->mf->describe = rest_of_line(lc);
		return 0;
	}
	return fail(lc, CW_ESYNTAX, directive.ptr,
	            "unknown directive \"%s\" (want cause, status, location or option)",
	            excerpt(directive, ex, sizeof(ex)));
}

int cw_mapfile_parse(struct cw_mapfile *mf, const char *filename, const char *text, size_t len,
                     int builtin, cw_status_check_fn is_registered, cw_diag *diag)
{
	struct line_ctx lc = {
		.mf = mf, .diag = diag, .builtin = builtin, .is_registered = is_registered,
	};
	const char *p = text, *end = text + len;
	int r;

	if (!mf || (!text && len))
		return cw_diag_set(diag, CW_EINVAL, filename, 0, 0, "invalid arguments");
	mf->filename = filename ? filename : "(memory)";
	if (len > CW_MAP_MAX_SIZE)
		return cw_diag_set(diag, CW_ELIMIT, mf->filename, 0, 0, "larger than %u bytes",
		                   CW_MAP_MAX_SIZE);

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end, *hash, *nul;

		lc.lineno++;
		lc.start = p;
		if ((size_t)(eol - p) > CW_MAP_MAX_LINE)
			return fail(&lc, CW_ELIMIT, NULL, "line longer than %d bytes", CW_MAP_MAX_LINE);
		nul = memchr(p, '\0', (size_t)(eol - p));
		if (nul)
			return fail(&lc, CW_ESYNTAX, nul, "NUL byte in the text");
		hash = memchr(p, '#', (size_t)(eol - p));
		lc.end = hash ? hash : eol;
		if (lc.end > p && !hash && lc.end[-1] == '\r')
			lc.end--;
		lc.pos = p;
		for (const char *c = p; c < lc.end; c++) {
			unsigned char u = (unsigned char)*c;

			if ((u < 0x20 && u != '\t') || u == 0x7f)
				return fail(&lc, CW_ESYNTAX, c, "control character 0x%02x in the text", u);
		}
		if ((r = parse_line(&lc)))
			return r;
		p = nl ? nl + 1 : end;
	}

	if (builtin && mf->profile.len == 0)
		return cw_diag_set(diag, CW_EMISSING, mf->filename, 1, 0,
		                   "a built-in table must start with \"profile NAME\"");
	return 0;
}

void cw_mapfile_release(struct cw_mapfile *mf)
{
	if (!mf)
		return;
	free(mf->rows);
	mf->rows = NULL;
	mf->nrows = mf->capacity = 0;
}

int cw_maprow_same_key(const struct cw_maprow *a, const struct cw_maprow *b)
{
	return a->kind == b->kind && a->key == b->key && a->qualifier == b->qualifier &&
	       a->qualifier_value == b->qualifier_value;
}

static size_t key_word(int kind, int key, char *buf, size_t len)
{
	if (key == CW_KEY_DEFAULT)
		return (size_t)snprintf(buf, len, "default");
	if (key <= CW_KEY_CLASS(1) && key >= CW_KEY_CLASS(6))
		return (size_t)snprintf(buf, len, "%dxx", CW_KEY_CLASS(0) - key);
	if ((kind == CW_ROW_REQUEST || kind == CW_ROW_LOCATION) &&
	    (key == CW_SIP_BYE || key == CW_SIP_CANCEL))
		return (size_t)snprintf(buf, len, "%s", key == CW_SIP_BYE ? "BYE" : "CANCEL");
	return (size_t)snprintf(buf, len, "%d", key);
}

size_t cw_maprow_key_format(const struct cw_maprow *row, char *buf, size_t len)
{
	static const char *const kinds[] = { "cause", "status", "status", "location" };
	char key[16];
	const char *loc;

	key_word(row->kind, row->key, key, sizeof(key));
	switch (row->qualifier) {
	case CW_QUAL_LOCATION:
		loc = cw_location_name(row->qualifier_value);
		return (size_t)snprintf(buf, len, "%s %s location=%s", kinds[row->kind], key,
		                        loc ? loc : "?");
	case CW_QUAL_DIAGNOSTIC:
		return (size_t)snprintf(buf, len, "%s %s diagnostic", kinds[row->kind], key);
	case CW_QUAL_WARNING:
		return (size_t)snprintf(buf, len, "%s %s warning=%d", kinds[row->kind], key,
		                        row->qualifier_value);
	case CW_QUAL_REASON:
		return (size_t)snprintf(buf, len, "%s %s reason=%d", kinds[row->kind], key,
		                        row->qualifier_value);
	case CW_QUAL_NONE:
	default:
		return (size_t)snprintf(buf, len, "%s %s", kinds[row->kind], key);
	}
}
