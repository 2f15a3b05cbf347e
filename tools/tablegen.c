/* SPDX-License-Identifier: MIT */
/*
 * cw-tablegen — turn tables/ into const C arrays (cw_tables.c).
 *
 *   cw-tablegen --output cw_tables.c --q850-classes F --q850 F --sip F \
 *               --profile F [--profile F...]
 *
 * The profiles are parsed and compiled by the library's own map-file
 * parser and profile compiler, so a built-in table is held to exactly the
 * rules an operator's override file is. Any defect fails the build with
 * FILE:LINE.
 *
 *   cw-tablegen --output cw_redirect_reasons.c --redirect-reasons F
 *
 * writes the redirecting reason map (tables/redirect-reasons.txt) for the
 * bridge (bridge/daemon/redirect.h declares its arrays).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/map.h>
#include <causeway/q850.h>
#include <causeway/sip.h>

#include "../lib/mapfile.h"
#include "../lib/profile.h"
#include "records.h"

#define MAX_PROFILES 16
#define IANA_REGISTERED_CODES 75 /* tables/sip-status.txt: 50 from RFC 3261 + 25 later */

static FILE *out;

/* A C string literal; '?' escaped against trigraphs, controls in octal. */
static void emit_str(const char *s)
{
	if (!s) {
		fputs("NULL", out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c == '?')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static int parse_int(const struct recfile *rf, const struct record *rec, const char *s, int min,
                     int max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s < '0' || *s > '9' || *end || v < min || v > max)
		die_at(rf->path, rec->line, "\"%s\" is not a number in %d-%d", s, min, max);
	return (int)v;
}

/* ---- Q.850 classes and causes ---- */

struct q850_class {
	int low, high, unspecified;
	const char *name;
};

static void gen_q850(const char *classes_path, const char *causes_path)
{
	static const char *const class_fields[] = { "range", "name", "unspecified", NULL };
	static const char *const cause_fields[] = { "name", "source", "meaning", "check", NULL };
	struct recfile rc, rf;
	struct q850_class classes[7];
	const struct record *by_cause[128] = { NULL };
	int seen[7] = { 0 };
	size_t i;

	recfile_read(&rc, classes_path);
	for (i = 0; i < rc.nrecs; i++) {
		const struct record *r = &rc.recs[i];
		int n, lo, hi;
		char dash;

		if (strcmp(r->kind, "class"))
			die_at(rc.path, r->line, "expected \"class N\" records only");
		n = parse_int(&rc, r, r->key, 0, 6);
		if (seen[n])
			die_at(rc.path, r->line, "duplicate record class %d", n);
		seen[n] = 1;
		rec_require_exactly(&rc, r, class_fields);
		if (sscanf(rec_get(&rc, r, "range"), "%d%c%d", &lo, &dash, &hi) != 3 || dash != '-')
			die_at(rc.path, r->line, "range must be LOW-HIGH");
		/* Q.850 §2.2.5: the class is the upper three bits; 000 and 001 are both "normal". */
		if (lo != (n == 0 ? 0 : 16 * (n + 1)) || hi != 16 * (n + 2) - 1)
			die_at(rc.path, r->line, "class %d must span %d-%d", n, n == 0 ? 0 : 16 * (n + 1),
			       16 * (n + 2) - 1);
		classes[n].low = lo;
		classes[n].high = hi;
		classes[n].name = rec_get(&rc, r, "name");
		classes[n].unspecified = parse_int(&rc, r, rec_get(&rc, r, "unspecified"), lo, hi);
	}
	for (i = 0; i < 7; i++)
		if (!seen[i])
			die_at(rc.path, 0, "missing record class %zu", i);

	recfile_read(&rf, causes_path);
	for (i = 0; i < rf.nrecs; i++) {
		const struct record *r = &rf.recs[i];
		int c;

		if (strcmp(r->kind, "cause"))
			die_at(rf.path, r->line, "expected \"cause N\" records only");
		c = parse_int(&rf, r, r->key, 0, 127);
		if (by_cause[c])
			die_at(rf.path, r->line, "duplicate record cause %d (first at line %u)", c,
			       by_cause[c]->line);
		rec_require_exactly(&rf, r, cause_fields);
		by_cause[c] = r;
	}
	for (i = 0; i < 128; i++)
		if (!by_cause[i])
			die_at(rf.path, 0, "missing record cause %zu (every value 0-127 needs one)", i);

	fputs("const char *const cw_q850_class_names[7] = {\n", out);
	for (i = 0; i < 7; i++) {
		fputs("\t", out);
		emit_str(classes[i].name);
		fputs(",\n", out);
	}
	fputs("};\n\nconst cw_q850_info cw_q850_infos[128] = {\n", out);
	for (i = 0; i < 128; i++) {
		const struct record *r = by_cause[i];
		const char *name = rec_get(&rf, r, "name");
		int assigned = strcmp(name, "unassigned") != 0;
		int cls = i < 32 ? 0 : (int)(i / 16) - 1;
		char unassigned[40];

		if (classes[cls].unspecified == (int)i && !assigned)
			die_at(rf.path, r->line, "cause %zu is its class's unspecified cause", i);
		snprintf(unassigned, sizeof(unassigned), "Unassigned cause %zu", i);
		fprintf(out, "\t{ .cause = %zu, .assigned = %d, .name = ", i, assigned);
		emit_str(assigned ? name : unassigned);
		fprintf(out, ", .cls = %d, .class_unspecified = %d,\n\t  .meaning = ", cls,
		        classes[cls].unspecified);
		emit_str(strcmp(rec_get(&rf, r, "meaning"), "-") ? rec_get(&rf, r, "meaning") : "");
		fputs(",\n\t  .check = ", out);
		emit_str(strcmp(rec_get(&rf, r, "check"), "-") ? rec_get(&rf, r, "check") : "");
		fputs(",\n\t  .source = ", out);
		emit_str(rec_get(&rf, r, "source"));
		fputs(" },\n", out);
	}
	fputs("};\n\n", out);
	recfile_free(&rc);
	recfile_free(&rf);
}

/* ---- SIP status codes ---- */

static int registered_final[700];

static int is_registered_final(int status)
{
	return status >= 300 && status <= 699 && registered_final[status];
}

static int disposition_of(const struct recfile *rf, const struct record *r)
{
	const char *d = rec_get(rf, r, "disposition");
	int i;

	for (i = CW_DISP_PROGRESS; i <= CW_DISP_FINAL; i++)
		if (!strcmp(d, cw_disposition_name((enum cw_disposition)i)))
			return i;
	die_at(rf->path, r->line, "unknown disposition \"%s\"", d);
}

static void emit_status(const struct recfile *rf, const struct record *r, int status, int registered)
{
	fprintf(out, "\t{ .status = %d, .registered = %d, .phrase = ", status, registered);
	emit_str(rec_get(rf, r, "phrase"));
	fputs(", .defined_in = ", out);
	emit_str(registered ? rec_get(rf, r, "defined") : NULL);
	fprintf(out, ",\n\t  .disposition = %d, .meaning = ", disposition_of(rf, r));
	emit_str(rec_get(rf, r, "meaning"));
	fputs(",\n\t  .check = ", out);
	emit_str(rec_get(rf, r, "check"));
	fputs(" },\n", out);
}

static void gen_sip(const char *path)
{
	static const char *const fields[] = { "phrase", "defined", "disposition", "meaning", "check",
		                              NULL };
	struct recfile rf;
	const struct record *by_status[700] = { NULL }, *by_class[7] = { NULL };
	int index[600], n = 0, s;
	size_t i;

	recfile_read(&rf, path);
	for (i = 0; i < rf.nrecs; i++) {
		const struct record *r = &rf.recs[i];

		if (strcmp(r->kind, "status"))
			die_at(rf.path, r->line, "expected \"status N\" records only");
		rec_require_exactly(&rf, r, fields);
		(void)disposition_of(&rf, r);
		if (strlen(r->key) == 3 && r->key[0] >= '1' && r->key[0] <= '6' && !strcmp(r->key + 1, "xx")) {
			int c = r->key[0] - '0';

			if (by_class[c])
				die_at(rf.path, r->line, "duplicate record status %s", r->key);
			by_class[c] = r;
			continue;
		}
		s = parse_int(&rf, r, r->key, 100, 699);
		if (by_status[s])
			die_at(rf.path, r->line, "duplicate record status %d (first at line %u)", s,
			       by_status[s]->line);
		by_status[s] = r;
	}
	for (i = 1; i <= 6; i++)
		if (!by_class[i])
			die_at(rf.path, 0, "missing record status %zuxx", i);

	fputs("const cw_sip_status_info cw_sip_registered[] = {\n", out);
	for (s = 100; s <= 699; s++) {
		index[s - 100] = -1;
		if (!by_status[s])
			continue;
		index[s - 100] = n++;
		registered_final[s] = s >= 300;
		emit_status(&rf, by_status[s], s, 1);
	}
	if (n != IANA_REGISTERED_CODES)
		die_at(rf.path, 0, "%d status records; the IANA registry has %d codes", n,
		       IANA_REGISTERED_CODES);
	fprintf(out, "};\n\nconst size_t cw_sip_registered_count = %d;\n\n", n);
	fputs("const cw_sip_status_info cw_sip_class_infos[7] = {\n\t{ .status = 0 },\n", out);
	for (i = 1; i <= 6; i++)
		emit_status(&rf, by_class[i], 0, 0);
	fputs("};\n\nconst int16_t cw_sip_index[600] = {", out);
	for (s = 0; s < 600; s++)
		fprintf(out, "%s%d,", s % 16 ? " " : "\n\t", index[s]);
	fputs("\n};\n\n", out);
	recfile_free(&rf);
}

/* ---- Redirecting reasons (tables/redirect-reasons.txt) ---- */

#define ISDN_REASONS 16 /* Q.952 §4.1.2: a 4-bit field */

/* A Diversion reason= token (RFC 5806 §4): lower-case letters and '-'. */
static void check_token(const struct recfile *rf, const struct record *r, const char *t)
{
	const char *c;

	for (c = t; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || *c == '-'))
			die_at(rf->path, r->line, "\"%s\" is not a Diversion reason token", t);
	if (!*t || strlen(t) > 31)
		die_at(rf->path, r->line, "a Diversion reason token has 1-31 characters");
}

static const struct record *find_rec(const struct recfile *rf, const char *kind, const char *key)
{
	size_t i;

	for (i = 0; i < rf->nrecs; i++)
		if (!strcmp(rf->recs[i].kind, kind) && !strcmp(rf->recs[i].key, key))
			return &rf->recs[i];
	return NULL;
}

static int isdn_of(const struct recfile *rf, const struct record *r,
                   const struct record *const *by_isdn)
{
	int code = parse_int(rf, r, rec_get(rf, r, "reason"), 0, ISDN_REASONS - 1);

	if (!by_isdn[code])
		die_at(rf->path, r->line, "reason %d has no isdn record", code);
	return code;
}

static void gen_redirect(const char *path)
{
	static const char *const isdn_fields[] = { "name", "token", "cause-param", "source", NULL };
	static const char *const back_fields[] = { "reason", "source", NULL };
	const struct record *by_isdn[ISDN_REASONS] = { NULL };
	struct recfile rf;
	size_t i, j, n;

	recfile_read(&rf, path);
	for (i = 0; i < rf.nrecs; i++) {
		const struct record *r = &rf.recs[i];

		for (j = 0; j < i; j++)
			if (!strcmp(rf.recs[j].kind, r->kind) && !strcmp(rf.recs[j].key, r->key))
				die_at(rf.path, r->line, "duplicate record %s %s (first at line %u)", r->kind,
				       r->key, rf.recs[j].line);
		if (!strcmp(r->kind, "isdn")) {
			rec_require_exactly(&rf, r, isdn_fields);
			by_isdn[parse_int(&rf, r, r->key, 0, ISDN_REASONS - 1)] = r;
			check_token(&rf, r, rec_get(&rf, r, "token"));
			(void)parse_int(&rf, r, rec_get(&rf, r, "cause-param"), 300, 699);
		} else if (!strcmp(r->kind, "diversion")) {
			rec_require_exactly(&rf, r, back_fields);
			check_token(&rf, r, r->key);
		} else if (!strcmp(r->kind, "cause")) {
			rec_require_exactly(&rf, r, back_fields);
			(void)parse_int(&rf, r, r->key, 300, 699);
		} else {
			die_at(rf.path, r->line, "expected \"isdn N\", \"diversion TOKEN\" or \"cause N\"");
		}
	}
	if (!by_isdn[0] || !find_rec(&rf, "diversion", "unknown") || !find_rec(&rf, "cause", "404"))
		die_at(rf.path, 0, "isdn 0, diversion unknown and cause 404 (the defaults) are required");

	fputs("const struct cwb_redirect_isdn cwb_redirect_isdn_reasons[] = {\n", out);
	for (i = 0, n = 0; i < ISDN_REASONS; i++) {
		const struct record *r = by_isdn[i];

		if (!r)
			continue;
		/* both codings sent for it must map back */
		if (!find_rec(&rf, "diversion", rec_get(&rf, r, "token")))
			die_at(rf.path, r->line, "diversion %s has no record of its own",
			       rec_get(&rf, r, "token"));
		if (!find_rec(&rf, "cause", rec_get(&rf, r, "cause-param")))
			die_at(rf.path, r->line, "cause %s has no record of its own",
			       rec_get(&rf, r, "cause-param"));
		fprintf(out, "\t{ %zu, ", i);
		emit_str(rec_get(&rf, r, "name"));
		fputs(", ", out);
		emit_str(rec_get(&rf, r, "token"));
		fprintf(out, ", %s },\n", rec_get(&rf, r, "cause-param"));
		n++;
	}
	fprintf(out, "};\nconst size_t cwb_redirect_isdn_count = %zu;\n\n", n);
	fputs("const struct cwb_redirect_token cwb_redirect_tokens[] = {\n", out);
	for (i = 0, n = 0; i < rf.nrecs; i++) {
		const struct record *r = &rf.recs[i];

		if (strcmp(r->kind, "diversion"))
			continue;
		fputs("\t{ ", out);
		emit_str(r->key);
		fprintf(out, ", %d },\n", isdn_of(&rf, r, by_isdn));
		n++;
	}
	fprintf(out, "};\nconst size_t cwb_redirect_token_count = %zu;\n\n", n);
	fputs("const struct cwb_redirect_cause cwb_redirect_causes[] = {\n", out);
	for (i = 0, n = 0; i < rf.nrecs; i++) {
		const struct record *r = &rf.recs[i];

		if (strcmp(r->kind, "cause"))
			continue;
		fprintf(out, "\t{ %s, %d },\n", r->key, isdn_of(&rf, r, by_isdn));
		n++;
	}
	fprintf(out, "};\nconst size_t cwb_redirect_cause_count = %zu;\n", n);
	recfile_free(&rf);
}

/* ---- Profiles ---- */

static const char *display_path(const char *path)
{
	const char *t = strstr(path, "tables/");

	return t ? t : path;
}

static void emit_c2s(const struct cw_c2s_cell *c)
{
	fprintf(out, "{ %u, %u, %u }", c->status, c->action, c->rule);
}

static void emit_s2c(const struct cw_s2c_cell *c)
{
	fprintf(out, "{ %u, %u, %u, %u }", c->cause, c->action, c->present, c->rule);
}

static void emit_loc(const struct cw_loc_cell *c)
{
	fprintf(out, "{ %u, %u }", c->location, c->rule);
}

static void emit_profile(const struct cw_profile *p, int id)
{
	size_t i;

	fprintf(out, "/* profile %s */\nstatic const cw_rule rules_%d[] = {\n", p->name, id);
	for (i = 0; i < p->nrules; i++) {
		const cw_rule *r = &p->rules[i];

		fputs("\t{ ", out);
		emit_str(r->profile);
		fputs(", ", out);
		emit_str(r->file);
		fprintf(out, ", %u, ", r->line);
		emit_str(r->clause);
		fputs(", ", out);
		emit_str(r->key);
		fputs(", 0 },\n", out);
	}
	fprintf(out, "};\n\nstatic const cw_row rows_%d[] = {\n", id);
	for (i = 0; i < p->nrows; i++) {
		const cw_row *r = &p->rows[i];

		fprintf(out, "\t{ %d, %d, %d, %d, %d, %d, &rules_%d[%zu] },\n", r->kind, r->key,
		        r->qualifier, r->qualifier_value, r->result, r->action, id, i);
	}
	fprintf(out, "};\n\nstatic const struct cw_qual_c2s cause_loc_%d[] = {\n", id);
	for (i = 0; i < p->ncause_loc; i++) {
		fprintf(out, "\t{ %u, %u, ", p->cause_loc[i].cause, p->cause_loc[i].location);
		emit_c2s(&p->cause_loc[i].cell);
		fputs(" },\n", out);
	}
	fprintf(out, "\t{ 0, 0, { 0, 0, 0 } }\n};\n\nstatic const struct cw_qual_s2c warning_%d[] = {\n",
	        id);
	for (i = 0; i < p->nwarning; i++) {
		fprintf(out, "\t{ %u, %u, ", p->warning[i].key, p->warning[i].value);
		emit_s2c(&p->warning[i].cell);
		fputs(" },\n", out);
	}
	fprintf(out, "\t{ 0, 0, { 0, 0, 0, 0 } }\n};\n\nstatic const struct cw_qual_s2c req_reason_%d[] = {\n",
	        id);
	for (i = 0; i < p->nreq_reason; i++) {
		fprintf(out, "\t{ %u, %u, ", p->req_reason[i].key, p->req_reason[i].value);
		emit_s2c(&p->req_reason[i].cell);
		fputs(" },\n", out);
	}
	fputs("\t{ 0, 0, { 0, 0, 0, 0 } }\n};\n\n", out);

	fprintf(out, "static const struct cw_profile profile_%d = {\n\t.name = ", id);
	emit_str(p->name);
	fputs(",\n\t.description = ", out);
	emit_str(p->description);
	fprintf(out, ",\n\t.builtin = 1,\n\t.reason_q850 = %u,\n\t.reason_sip = %u,\n", p->reason_q850,
	        p->reason_sip);
	fprintf(out, "\t.reason_q850_rule = %d,\n\t.reason_sip_rule = %d,\n", p->reason_q850_rule,
	        p->reason_sip_rule);
	fprintf(out, "\t.rules = rules_%d,\n\t.nrules = %zu,\n\t.rows = rows_%d,\n\t.nrows = %zu,\n", id,
	        p->nrules, id, p->nrows);
	fputs("\t.cause = {", out);
	for (i = 0; i < 128; i++) {
		fputs(i % 4 ? " " : "\n\t\t", out);
		emit_c2s(&p->cause[i]);
		fputc(',', out);
	}
	fputs("\n\t},\n\t.cause_diag = {", out);
	for (i = 0; i < 128; i++) {
		fputs(i % 4 ? " " : "\n\t\t", out);
		emit_c2s(&p->cause_diag[i]);
		fputc(',', out);
	}
	fprintf(out, "\n\t},\n\t.cause_loc = cause_loc_%d,\n\t.ncause_loc = %zu,\n", id, p->ncause_loc);
	fputs("\t.status = {", out);
	for (i = 0; i < CW_STATUS_CELLS; i++) {
		fputs(i % 4 ? " " : "\n\t\t", out);
		emit_s2c(&p->status[i]);
		fputc(',', out);
	}
	fputs("\n\t},\n\t.status_loc = {", out);
	for (i = 0; i < CW_STATUS_CELLS; i++) {
		fputs(i % 6 ? " " : "\n\t\t", out);
		emit_loc(&p->status_loc[i]);
		fputc(',', out);
	}
	fprintf(out, "\n\t},\n\t.warning = warning_%d,\n\t.nwarning = %zu,\n", id, p->nwarning);
	fputs("\t.request = { ", out);
	for (i = 0; i < 3; i++) {
		emit_s2c(&p->request[i]);
		fputs(", ", out);
	}
	fputs("},\n\t.request_loc = { ", out);
	for (i = 0; i < 3; i++) {
		emit_loc(&p->request_loc[i]);
		fputs(", ", out);
	}
	fprintf(out, "},\n\t.req_reason = req_reason_%d,\n\t.nreq_reason = %zu,\n};\n\n", id,
	        p->nreq_reason);
}

static struct cw_profile *build_profile(const char *path)
{
	struct cw_mapfile mf;
	struct cw_compile_input in;
	struct cw_compile_row *rows, q850_opt, sip_opt;
	struct cw_profile *p;
	const char *shown = display_path(path);
	char *text, *name, *describe, msg[600];
	size_t len, i;
	cw_diag diag;

	text = read_file(path, &len);
	memset(&mf, 0, sizeof(mf));
	if (cw_mapfile_parse(&mf, shown, text, len, 1, is_registered_final, &diag)) {
		cw_diag_format(&diag, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		exit(1);
	}
	name = strndup(mf.profile.ptr, mf.profile.len);
	describe = strndup(mf.describe.ptr ? mf.describe.ptr : "", mf.describe.len);
	rows = calloc(mf.nrows + 1, sizeof(*rows));
	if (!name || !describe || !rows)
		die_at(path, 0, "out of memory");
	for (i = 0; i < mf.nrows; i++)
		rows[i] = cw_compile_row_from_maprow(&mf.rows[i], name, shown, 0);

	memset(&in, 0, sizeof(in));
	in.name = name;
	in.description = describe;
	in.file = shown;
	in.rows = rows;
	in.nrows = mf.nrows;
	in.reason_q850 = mf.reason_q850.events;
	in.reason_sip = mf.reason_sip.events;
	if (!mf.reason_q850.present || !mf.reason_sip.present)
		die_at(shown, 0, "a built-in profile must set both options reason-q850 and reason-sip");
	q850_opt = cw_compile_row_from_option(&mf.reason_q850, name, shown, 0);
	sip_opt = cw_compile_row_from_option(&mf.reason_sip, name, shown, 0);
	in.reason_q850_rule = &q850_opt;
	in.reason_sip_rule = &sip_opt;
	if (cw_profile_compile(&p, &in, &diag)) {
		cw_diag_format(&diag, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		exit(1);
	}
	free(rows);
	free(name);
	free(describe);
	cw_mapfile_release(&mf);
	free(text);
	return p;
}

int main(int argc, char **argv)
{
	const char *output = NULL, *classes = NULL, *causes = NULL, *sip = NULL, *redirect = NULL;
	const char *profiles[MAX_PROFILES];
	struct cw_profile *built[MAX_PROFILES];
	int nprofiles = 0, i, j;

	for (i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val)
			die_at("cw-tablegen", 0, "option %s needs a value", opt);
		i++;
		if (!strcmp(opt, "--output"))
			output = val;
		else if (!strcmp(opt, "--q850-classes"))
			classes = val;
		else if (!strcmp(opt, "--q850"))
			causes = val;
		else if (!strcmp(opt, "--sip"))
			sip = val;
		else if (!strcmp(opt, "--redirect-reasons"))
			redirect = val;
		else if (!strcmp(opt, "--profile") && nprofiles < MAX_PROFILES)
			profiles[nprofiles++] = val;
		else
			die_at("cw-tablegen", 0, "unknown option %s", opt);
	}
	if (output && redirect && !classes && !causes && !sip && nprofiles == 0) {
		out = fopen(output, "w");
		if (!out)
			die_at(output, 0, "cannot create");
		fputs("/* Generated by cw-tablegen from tables/redirect-reasons.txt. Do not edit. */\n"
		      "#include <stddef.h>\n\n#include \"redirect.h\"\n\n", out);
		gen_redirect(redirect);
		if (fclose(out) != 0)
			die_at(output, 0, "write error");
		return 0;
	}
	if (!output || !classes || !causes || !sip || nprofiles == 0)
		die_at("cw-tablegen", 0,
		       "usage: cw-tablegen --output F --q850-classes F --q850 F --sip F --profile F...");

	out = fopen(output, "w");
	if (!out)
		die_at(output, 0, "cannot create");
	fputs("/* Generated by cw-tablegen from tables/. Do not edit. */\n"
	      "#include <stddef.h>\n#include <stdint.h>\n\n"
	      "#include \"tables.h\"\n\n", out);
	gen_q850(classes, causes);
	gen_sip(sip);
	for (i = 0; i < nprofiles; i++) {
		built[i] = build_profile(profiles[i]);
		for (j = 0; j < i; j++)
			if (!strcmp(built[j]->name, built[i]->name))
				die_at(profiles[i], 1, "profile name \"%s\" used twice", built[i]->name);
		emit_profile(built[i], i);
	}
	fputs("const struct cw_profile *const cw_builtin_profiles[] = {\n", out);
	for (i = 0; i < nprofiles; i++)
		fprintf(out, "\t&profile_%d,\n", i);
	fprintf(out, "};\n\nconst size_t cw_builtin_profile_count = %d;\n", nprofiles);
	for (i = 0; i < nprofiles; i++)
		cw_profile_destroy(built[i]);
	if (fclose(out) != 0)
		die_at(output, 0, "write error");
	return 0;
}
