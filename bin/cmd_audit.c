/* SPDX-License-Identifier: MIT */
/*
 * cmd_audit.c — "causeway audit CDRFILE": read a CDR file (docs/cdr.md)
 * line by line, count every call (audit_stats.c), check each call's
 * cause/status pair against the profile (audit_check.c) and print the
 * report (audit_report.c).
 *
 * A malformed line is recorded with its line number and skipped; the
 * report still covers every other line, and the exit status is 2.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"

enum read_result { READ_EOF = 0, READ_LINE = 1, READ_ERROR = -1 };

/*
 * One line without its newline into buf (at most CDR_LINE_MAX bytes kept;
 * *ret_too_long when it had more, the rest is read and dropped).
 */
static enum read_result read_line(FILE *f, char *buf, size_t *ret_len, int *ret_too_long)
{
	size_t len = 0;
	int too_long = 0, ch, any = 0;

	while ((ch = getc(f)) != EOF) {
		any = 1;
		if (ch == '\n')
			break;
		if (len < CDR_LINE_MAX)
			buf[len++] = (char)ch;
		else
			too_long = 1;
	}
	if (ferror(f))
		return READ_ERROR;
	if (!any)
		return READ_EOF;
	*ret_len = len;
	*ret_too_long = too_long;
	return READ_LINE;
}

static int blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	}
	return 1;
}

static int add_malformed(audit_report *r, unsigned long line, const char *message)
{
	void *arr;

	if (audit_grow(r->bad, &r->cbad, r->nbad, sizeof(*r->bad), &arr) != 0)
		return CW_ENOMEM;
	r->bad = arr;
	r->bad[r->nbad].line = line;
	snprintf(r->bad[r->nbad].message, sizeof(r->bad[r->nbad].message), "%s", message);
	r->nbad++;
	return 0;
}

/* Copy s (may be NULL) to *at; returns the copy or NULL. */
static char *put(char **at, const char *s)
{
	char *p = *at;
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	memcpy(p, s, n);
	*at += n;
	return p;
}

static int add_disagreement(audit_report *r, unsigned long line, const cdr_record *rec,
                            const audit_finding *f)
{
	const char *texts[] = { rec->call_id_sip, f->input, f->seen, f->expected, f->rule,
		                f->recorded_rule };
	size_t size = 0;
	audit_disagreement *d;
	char *blob, *at;
	void *arr;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		size += texts[i] ? strlen(texts[i]) + 1 : 0;
	if (audit_grow(r->dis, &r->cdis, r->ndis, sizeof(*r->dis), &arr) != 0)
		return CW_ENOMEM;
	r->dis = arr;
	if ((blob = malloc(size)) == NULL)
		return CW_ENOMEM;
	at = blob;
	d = &r->dis[r->ndis++];
	d->line = line;
	d->direction = rec->direction;
	d->kind = f->kind;
	d->cref_isdn = rec->cref_isdn;
	d->span = rec->span;
	d->blob = blob;
	d->call_id_sip = put(&at, texts[0]);
	d->input = put(&at, texts[1]);
	d->seen = put(&at, texts[2]);
	d->expected = put(&at, texts[3]);
	d->rule = put(&at, texts[4]);
	d->recorded_rule = put(&at, texts[5]);
	return 0;
}

/* One line: counted and checked, or recorded as malformed. Returns 0 or CW_ENOMEM. */
static int audit_line(audit_report *r, unsigned long lineno, const char *buf, size_t len,
                      int too_long)
{
	char err[CDR_ERROR_MAX];
	cdr_record rec;
	audit_finding f;
	int rc;

	if (too_long)
		return add_malformed(r, lineno, "line longer than 64 KiB");
	rc = cdr_parse(buf, len, &rec, err, sizeof(err));
	if (rc == CW_ENOMEM)
		return rc;
	if (rc != 0)
		return add_malformed(r, lineno, err);
	rc = audit_check(r->profile, &rec, &f);
	if (rc != 0) {
		/* a record that parsed has only in-range values: this is a bug or OOM */
		snprintf(err, sizeof(err), "cannot check the call: %s", cw_strerror(rc));
		rc = add_malformed(r, lineno, err);
	} else {
		r->checked += f.kind != AUDIT_NOT_CHECKED;
		if (!f.agree)
			rc = add_disagreement(r, lineno, &rec, &f);
		if (rc == 0)
			rc = audit_stats_add(&r->stats, r->profile, &rec);
	}
	cdr_record_free(&rec);
	return rc;
}

/* Read the whole file. Returns 0 or CLI_EXIT_USAGE (message printed). */
static int audit_file(audit_report *r, FILE *f)
{
	char p[256];
	char *buf = malloc(CDR_LINE_MAX);
	unsigned long lineno = 0;
	enum read_result res;
	size_t len;
	int too_long;

	if (buf == NULL) {
		cli_error("out of memory");
		return CLI_EXIT_USAGE;
	}
	while ((res = read_line(f, buf, &len, &too_long)) == READ_LINE) {
		lineno++;
		if (!too_long && blank(buf, len))
			continue;
		if (audit_line(r, lineno, buf, len, too_long) != 0) {
			free(buf);
			cli_error("out of memory");
			return CLI_EXIT_USAGE;
		}
	}
	free(buf);
	if (res == READ_ERROR) {
		int err = errno;

		cli_error("cannot read CDR file \"%s\": %s", cli_printable(r->file, p, sizeof(p)),
		          strerror(err));
		return CLI_EXIT_USAGE;
	}
	audit_stats_finish(&r->stats);
	return 0;
}

static void report_free(audit_report *r)
{
	for (size_t i = 0; i < r->ndis; i++)
		free(r->dis[i].blob);
	free(r->dis);
	free(r->bad);
	audit_stats_free(&r->stats);
}

/* The exit status, with the one stderr line when lines were malformed. */
static int audit_status(const audit_report *r)
{
	char p[256];

	if (r->nbad > 0) {
		if (r->nbad == 1)
			cli_error("%s:%lu: %s", cli_printable(r->file, p, sizeof(p)), r->bad[0].line,
			          r->bad[0].message);
		else
			cli_error("%s:%lu: %s (%zu malformed lines)", cli_printable(r->file, p, sizeof(p)),
			          r->bad[0].line, r->bad[0].message, r->nbad);
		return CLI_EXIT_USAGE;
	}
	return r->ndis > 0 ? CLI_EXIT_FOUND : CLI_EXIT_OK;
}

int cmd_audit(int argc, char **argv)
{
	char p[256];
	audit_report r;
	cw_profile *owned = NULL;
	cli_opts o;
	FILE *f;
	int rc, status;

	rc = cli_opts_parse(argc, argv, CLI_O_PROFILE | CLI_O_OVERRIDES | CLI_O_JSON, &o);
	if (rc != 0)
		return rc;
	if (o.help) {
		cli_command_usage(stdout, argv[0]);
		return cli_out_check();
	}
	memset(&r, 0, sizeof(r));
	audit_stats_init(&r.stats);
	if (cli_expect_args(&o, 1, 1, "CDRFILE") != 0 ||
	    cli_profile_load(o.profile, o.overrides, &r.profile, &owned) != 0)
		return CLI_EXIT_USAGE;
	if (strcmp(o.pos[0], "-") == 0) {
		r.file = "<stdin>";
		f = stdin;
	} else {
		r.file = o.pos[0];
		f = fopen(r.file, "rb");
		if (f == NULL) {
			int err = errno;

			cli_error("cannot read CDR file \"%s\": %s", cli_printable(r.file, p, sizeof(p)),
			          strerror(err));
			cw_profile_free(owned);
			return CLI_EXIT_USAGE;
		}
	}
	rc = audit_file(&r, f);
	if (f != stdin)
		fclose(f);
	if (rc == 0) {
		if (o.json)
			audit_print_json(&r);
		else
			audit_print_text(&r);
		rc = cli_out_check();
	}
	status = rc != 0 ? rc : audit_status(&r);
	report_free(&r);
	cw_profile_free(owned);
	return status;
}
