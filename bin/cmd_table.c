/* SPDX-License-Identifier: MIT */
/*
 * cmd_table.c — the audit commands over a whole profile:
 *   table      the effective table, both directions, with each row's rule;
 *   diff       the rows where two profiles (or override files) differ;
 *   roundtrip  causes and statuses that do not come back when mapped there
 *              and back again.
 *
 * A table is a list of query points: every cause 1..127 (no location, no
 * diagnostic) and one point per location=/diagnostic row; every registered
 * status (and every status a row names) and one point per warning= row;
 * BYE and CANCEL and one point per reason= row. Each point is asked of the
 * library exactly as cause2sip / sip2cause would ask it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "json.h"

enum dir { DIR_C2S = 0, DIR_S2C = 1 };

static const char *const dir_names[] = { "cause2sip", "sip2cause" };

typedef struct point {
	enum dir dir;
	int cause;              /* c2s */
	int location;           /* c2s: qualifier location or CW_LOCATION_UNKNOWN */
	int diagnostic;         /* c2s */
	enum cw_sip_event event; /* s2c */
	int status;             /* s2c responses */
	int warning;            /* s2c responses: 0 = none */
	int reason_sip;         /* s2c requests: Reason: SIP;cause=N, 0 = none */
} point;

typedef struct point_list {
	point *v;
	size_t n, cap;
} point_list;

typedef struct result {
	char output[192];   /* "403 Forbidden", "none", "17 User busy" */
	const char *action; /* cw_c2s_action_name / cw_s2c_action_name */
	int plain_action;   /* respond/clear (c2s), release/none (s2c) */
	char location[16];  /* s2c: the location name; "" otherwise */
	char rule[CLI_RULE_MAX];
	int value;          /* c2s: status (0 when cleared); s2c: cause (0 = none) */
	int loc;            /* s2c: location number, else CW_LOCATION_UNKNOWN */
} result;

static int points_add(point_list *l, const point *p)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		point *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *p;
	return 0;
}

/* A pair (key, qualifier value) from a row; sorted and made unique. */
typedef struct pair {
	int key, value;
} pair;

typedef struct pair_list {
	pair *v;
	size_t n, cap;
} pair_list;

static int pairs_add(pair_list *l, int key, int value)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		pair *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].key = key;
	l->v[l->n].value = value;
	l->n++;
	return 0;
}

static int pair_cmp(const void *a, const void *b)
{
	const pair *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return 0;
}

static void pairs_sort_unique(pair_list *l)
{
	size_t w = 0;

	if (l->n == 0)
		return;
	qsort(l->v, l->n, sizeof(*l->v), pair_cmp);
	for (size_t i = 1; i < l->n; i++) {
		if (pair_cmp(&l->v[i], &l->v[w]) != 0)
			l->v[++w] = l->v[i];
	}
	l->n = w + 1;
}

/*
 * The query points of the union of the tables of profiles[0..n-1], in a
 * stable order: causes ascending (plain, location= ascending, diagnostic),
 * statuses ascending (plain, warning= ascending), BYE, CANCEL (plain,
 * reason= ascending).
 */
static int build_points(const cw_profile *const *profiles, size_t nprofiles, point_list *out)
{
	unsigned locmask[CW_Q850_CAUSE_MAX + 1] = { 0 };
	unsigned char diag[CW_Q850_CAUSE_MAX + 1] = { 0 };
	unsigned char statuses[CW_SIP_STATUS_MAX + 1] = { 0 };
	pair_list warnings = { 0 }, reasons = { 0 };
	size_t wi = 0, ri = 0;
	int rc = -1;

	for (size_t i = 0; i < cw_sip_status_count(); i++) {
		const cw_sip_status_info *info;

		if (cw_sip_status_at(i, &info) == 0 && info->status >= CW_SIP_STATUS_MIN &&
		    info->status <= CW_SIP_STATUS_MAX)
			statuses[info->status] = 1;
	}
	for (size_t k = 0; k < nprofiles; k++) {
		for (size_t i = 0; i < cw_profile_row_count(profiles[k]); i++) {
			cw_row row;

			if (cw_profile_row_at(profiles[k], i, &row) != 0)
				continue;
			if (row.kind == CW_ROW_CAUSE && row.key >= CW_Q850_CAUSE_MIN &&
			    row.key <= CW_Q850_CAUSE_MAX) {
				if (row.qualifier == CW_QUAL_LOCATION && row.qualifier_value >= 0 &&
				    row.qualifier_value <= 15)
					locmask[row.key] |= 1u << row.qualifier_value;
				else if (row.qualifier == CW_QUAL_DIAGNOSTIC)
					diag[row.key] = 1;
			} else if (row.kind == CW_ROW_STATUS && row.key >= CW_SIP_STATUS_MIN &&
			           row.key <= CW_SIP_STATUS_MAX) {
				statuses[row.key] = 1;
				if (row.qualifier == CW_QUAL_WARNING &&
				    pairs_add(&warnings, row.key, row.qualifier_value) != 0)
					goto out;
			} else if (row.kind == CW_ROW_REQUEST && row.qualifier == CW_QUAL_REASON &&
			           (row.key == CW_SIP_BYE || row.key == CW_SIP_CANCEL)) {
				if (pairs_add(&reasons, row.key, row.qualifier_value) != 0)
					goto out;
			}
		}
	}
	pairs_sort_unique(&warnings);
	pairs_sort_unique(&reasons);

	for (int c = CW_Q850_CAUSE_MIN; c <= CW_Q850_CAUSE_MAX; c++) {
		point p = { .dir = DIR_C2S, .cause = c, .location = CW_LOCATION_UNKNOWN };

		if (points_add(out, &p) != 0)
			goto out;
		for (int loc = 0; loc <= 15; loc++) {
			if (!(locmask[c] & (1u << loc)))
				continue;
			p.location = loc;
			if (points_add(out, &p) != 0)
				goto out;
		}
		if (diag[c]) {
			p.location = CW_LOCATION_UNKNOWN;
			p.diagnostic = 1;
			if (points_add(out, &p) != 0)
				goto out;
		}
	}
	for (int s = CW_SIP_STATUS_MIN; s <= CW_SIP_STATUS_MAX; s++) {
		point p = { .dir = DIR_S2C, .event = CW_SIP_RESPONSE, .status = s };

		if (!statuses[s])
			continue;
		if (points_add(out, &p) != 0)
			goto out;
		for (; wi < warnings.n && warnings.v[wi].key <= s; wi++) {
			if (warnings.v[wi].key != s)
				continue;
			p.warning = warnings.v[wi].value;
			if (points_add(out, &p) != 0)
				goto out;
		}
	}
	for (int e = CW_SIP_BYE; e <= CW_SIP_CANCEL; e++) {
		point p = { .dir = DIR_S2C, .event = (enum cw_sip_event)e };

		if (points_add(out, &p) != 0)
			goto out;
		for (; ri < reasons.n && reasons.v[ri].key <= e; ri++) {
			if (reasons.v[ri].key != e)
				continue;
			p.reason_sip = reasons.v[ri].value;
			if (points_add(out, &p) != 0)
				goto out;
		}
	}
	rc = 0;
out:
	free(warnings.v);
	free(reasons.v);
	if (rc != 0)
		cli_error("out of memory");
	return rc;
}

static void point_input(const point *p, char *buf, size_t len)
{
	if (p->dir == DIR_C2S) {
		if (p->location != CW_LOCATION_UNKNOWN)
			snprintf(buf, len, "%d location=%s", p->cause, cw_location_name(p->location));
		else if (p->diagnostic)
			snprintf(buf, len, "%d diagnostic", p->cause);
		else
			snprintf(buf, len, "%d", p->cause);
		return;
	}
	if (p->event == CW_SIP_RESPONSE) {
		if (p->warning)
			snprintf(buf, len, "%d warning=%d", p->status, p->warning);
		else
			snprintf(buf, len, "%d", p->status);
		return;
	}
	if (p->reason_sip)
		snprintf(buf, len, "%s reason=%d", p->event == CW_SIP_BYE ? "BYE" : "CANCEL",
		         p->reason_sip);
	else
		snprintf(buf, len, "%s", p->event == CW_SIP_BYE ? "BYE" : "CANCEL");
}

/* Ask the library about one point. Returns 0, or a CW_E* code. */
static int evaluate(const cw_profile *profile, const point *p, result *r)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->loc = CW_LOCATION_UNKNOWN;
	if (p->dir == DIR_C2S) {
		cw_sip_result sr;

		rc = cw_map_cause_to_sip(profile, p->cause, p->location, p->diagnostic, &sr);
		if (rc != 0)
			return rc;
		if (sr.action == CW_C2S_CLEAR)
			snprintf(r->output, sizeof(r->output), "none");
		else
			snprintf(r->output, sizeof(r->output), "%d %s", sr.status,
			         cli_status_phrase(sr.status));
		r->action = cw_c2s_action_name(sr.action);
		r->plain_action = sr.action == CW_C2S_RESPOND || sr.action == CW_C2S_CLEAR;
		r->value = sr.action == CW_C2S_CLEAR ? 0 : sr.status;
		cli_rule_text(sr.rule, r->rule, sizeof(r->rule));
	} else {
		cw_reason values[2];
		char text[64], hdr[64];
		cw_reason_list list;
		cw_sip_query q = { .event = p->event, .status = p->status, .warning = p->warning };
		cw_cause_result cr;

		if (p->reason_sip) {
			int n = snprintf(hdr, sizeof(hdr), "SIP;cause=%d", p->reason_sip);

			cw_reason_list_init(&list, values, 2, text, sizeof(text));
			rc = cw_reason_list_parse(&list, hdr, (size_t)n);
			if (rc != 0)
				return rc;
			q.reasons = &list;
		}
		rc = cw_map_sip_to_cause(profile, &q, &cr);
		if (rc != 0)
			return rc;
		if (cr.action == CW_S2C_NONE || cr.cause == 0) {
			snprintf(r->output, sizeof(r->output), "none");
		} else {
			snprintf(r->output, sizeof(r->output), "%d %s", cr.cause,
			         cli_cause_name(cr.cause));
			snprintf(r->location, sizeof(r->location), "%s",
			         cw_location_name(cr.location) ? cw_location_name(cr.location) : "");
			r->value = cr.cause;
			r->loc = cr.location;
		}
		r->action = cw_s2c_action_name(cr.action);
		r->plain_action = cr.action == CW_S2C_RELEASE || cr.action == CW_S2C_NONE;
		cli_rule_text(cr.rule, r->rule, sizeof(r->rule));
	}
	if (r->action == NULL)
		r->action = "";
	return 0;
}

static int evaluate_or_fail(const cw_profile *profile, const point *p, result *r)
{
	int rc = evaluate(profile, p, r);

	if (rc != 0) {
		char in[64];

		point_input(p, in, sizeof(in));
		cli_error("cannot map %s %s: %s", dir_names[p->dir], in, cw_strerror(rc));
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* ---- output formats: csv (RFC 4180 quoting, LF line ends), json, md, text ---- */

enum format { FMT_TEXT, FMT_CSV, FMT_JSON, FMT_MD };

static int parse_format(const char *s, int allow_text, enum format *ret)
{
	char p[128];

	if (s == NULL)
		return 0;
	if (allow_text && strcmp(s, "text") == 0)
		*ret = FMT_TEXT;
	else if (strcmp(s, "csv") == 0)
		*ret = FMT_CSV;
	else if (strcmp(s, "json") == 0)
		*ret = FMT_JSON;
	else if (strcmp(s, "md") == 0)
		*ret = FMT_MD;
	else {
		cli_error("unknown format \"%s\" (%s)", cli_printable(s, p, sizeof(p)),
		          allow_text ? "text, csv, json, md" : "csv, json, md");
		return CLI_EXIT_USAGE;
	}
	return 0;
}

typedef struct sink {
	enum format fmt;
	const char *const *cols;
	size_t ncols;
	json_w w;
} sink;

static void csv_field(const char *s)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void md_field(const char *s)
{
	putchar(' ');
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", stdout);
		else if (*s == '\n' || *s == '\r')
			putchar(' ');
		else
			putchar(*s);
	}
	fputs(" |", stdout);
}

static void sink_begin(sink *k, enum format fmt, const char *const *cols, size_t ncols)
{
	k->fmt = fmt;
	k->cols = cols;
	k->ncols = ncols;
	switch (fmt) {
	case FMT_CSV:
		for (size_t i = 0; i < ncols; i++) {
			if (i > 0)
				putchar(',');
			csv_field(cols[i]);
		}
		putchar('\n');
		break;
	case FMT_MD:
		putchar('|');
		for (size_t i = 0; i < ncols; i++)
			md_field(cols[i]);
		putchar('\n');
		putchar('|');
		for (size_t i = 0; i < ncols; i++)
			fputs("---|", stdout);
		putchar('\n');
		break;
	case FMT_JSON:
		json_init(&k->w, stdout);
		json_lines(&k->w);
		json_arr_begin(&k->w);
		break;
	case FMT_TEXT:
		break;
	}
}

/* One row; a NULL cell is empty (csv, md) or null (json). */
static void sink_row(sink *k, const char *const *cells)
{
	switch (k->fmt) {
	case FMT_CSV:
		for (size_t i = 0; i < k->ncols; i++) {
			if (i > 0)
				putchar(',');
			csv_field(cells[i]);
		}
		putchar('\n');
		break;
	case FMT_MD:
		putchar('|');
		for (size_t i = 0; i < k->ncols; i++)
			md_field(cells[i]);
		putchar('\n');
		break;
	case FMT_JSON:
		json_obj_begin(&k->w);
		for (size_t i = 0; i < k->ncols; i++) {
			json_key(&k->w, k->cols[i]);
			json_str(&k->w, cells[i]);
		}
		json_obj_end(&k->w);
		break;
	case FMT_TEXT:
		break;
	}
}

static void sink_end(sink *k)
{
	if (k->fmt == FMT_JSON) {
		json_arr_end(&k->w);
		json_newline(&k->w);
	}
}

static const char *nonempty(const char *s)
{
	return (s != NULL && s[0] != '\0') ? s : NULL;
}

/* ---- table ---- */

int cmd_table(int argc, char **argv)
{
	static const char *const cols[] = { "direction", "input",    "output",
		                            "action",    "location", "rule" };
	cli_opts o;
	const cw_profile *profile;
	cw_profile *owned = NULL;
	point_list pts = { 0 };
	enum format fmt = FMT_CSV;
	sink k;
	int rc;

	rc = cli_opts_parse(argc, argv, CLI_O_PROFILE | CLI_O_OVERRIDES | CLI_O_FORMAT, &o);
	if (rc != 0)
		return rc;
	if (o.help) {
		cli_command_usage(stdout, argv[0]);
		return CLI_EXIT_OK;
	}
	if (cli_expect_args(&o, 0, 0, "") != 0 || parse_format(o.format, 0, &fmt) != 0 ||
	    cli_profile_load(o.profile, o.overrides, &profile, &owned) != 0)
		return CLI_EXIT_USAGE;
	if (build_points(&profile, 1, &pts) != 0) {
		cw_profile_free(owned);
		return CLI_EXIT_USAGE;
	}
	sink_begin(&k, fmt, cols, 6);
	for (size_t i = 0; i < pts.n; i++) {
		char in[64];
		result r;
		const char *cells[6];

		if (evaluate_or_fail(profile, &pts.v[i], &r) != 0) {
			free(pts.v);
			cw_profile_free(owned);
			return CLI_EXIT_USAGE;
		}
		point_input(&pts.v[i], in, sizeof(in));
		cells[0] = dir_names[pts.v[i].dir];
		cells[1] = in;
		cells[2] = r.output;
		cells[3] = r.action;
		cells[4] = nonempty(r.location);
		cells[5] = r.rule;
		sink_row(&k, cells);
	}
	sink_end(&k);
	free(pts.v);
	cw_profile_free(owned);
	return cli_out_check();
}

/* ---- diff ---- */

/*
 * A or B: an override file if it contains '/' or ends in ".map"; else a
 * built-in profile if one has that name; else an override file if a file
 * of that name exists; else an unknown profile.
 */
static int load_spec(const char *spec, const char *base, const cw_profile **ret,
                     cw_profile **ret_owned)
{
	const cw_profile *builtin;
	size_t n = strlen(spec);
	struct stat st;

	*ret_owned = NULL;
	if (strchr(spec, '/') != NULL || (n >= 4 && strcmp(spec + n - 4, ".map") == 0))
		return cli_profile_load(base, spec, ret, ret_owned);
	if (cw_profile_get(spec, &builtin) == 0) {
		*ret = builtin;
		return 0;
	}
	if (stat(spec, &st) == 0 && !S_ISDIR(st.st_mode))
		return cli_profile_load(base, spec, ret, ret_owned);
	return cli_profile_builtin(spec, ret);
}

/* "17 User busy location=LN", "503 Service Unavailable [retry-channel]" */
static void diff_result(const result *r, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s", r->output);

	if (!r->plain_action && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " [%s]", r->action);
	if (r->location[0] != '\0' && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " location=%s", r->location);
}

int cmd_diff(int argc, char **argv)
{
	static const char *const cols[] = { "direction", "input",      "a_output", "a_action",
		                            "a_location", "a_rule",    "b_output", "b_action",
		                            "b_location", "b_rule" };
	cli_opts o;
	const cw_profile *pr[2] = { NULL, NULL };
	cw_profile *owned[2] = { NULL, NULL };
	point_list pts = { 0 };
	enum format fmt = FMT_TEXT;
	size_t differ = 0;
	int rc = CLI_EXIT_USAGE;
	sink k;

	if (cli_opts_parse(argc, argv, CLI_O_BASE | CLI_O_FORMAT, &o) != 0)
		return CLI_EXIT_USAGE;
	if (o.help) {
		cli_command_usage(stdout, argv[0]);
		return CLI_EXIT_OK;
	}
	if (cli_expect_args(&o, 2, 2, o.npos == 0 ? "A" : "B") != 0 ||
	    parse_format(o.format, 1, &fmt) != 0)
		return CLI_EXIT_USAGE;
	if (o.base != NULL && cli_profile_builtin(o.base, &pr[0]) != 0)
		return CLI_EXIT_USAGE;
	if (load_spec(o.pos[0], o.base, &pr[0], &owned[0]) != 0 ||
	    load_spec(o.pos[1], o.base, &pr[1], &owned[1]) != 0 ||
	    build_points(pr, 2, &pts) != 0)
		goto out;

	sink_begin(&k, fmt, cols, 10);
	for (size_t i = 0; i < pts.n; i++) {
		result a, b;
		char in[64];

		if (evaluate_or_fail(pr[0], &pts.v[i], &a) != 0 ||
		    evaluate_or_fail(pr[1], &pts.v[i], &b) != 0)
			goto out;
		if (strcmp(a.output, b.output) == 0 && strcmp(a.action, b.action) == 0 &&
		    strcmp(a.location, b.location) == 0)
			continue;
		differ++;
		point_input(&pts.v[i], in, sizeof(in));
		if (fmt == FMT_TEXT) {
			char ra[256], rb[256];

			diff_result(&a, ra, sizeof(ra));
			diff_result(&b, rb, sizeof(rb));
			printf("%s %s: %s (%s) -> %s (%s)\n", dir_names[pts.v[i].dir], in, ra, a.rule,
			       rb, b.rule);
		} else {
			const char *cells[10] = { dir_names[pts.v[i].dir],
				                  in,
				                  a.output,
				                  a.action,
				                  nonempty(a.location),
				                  a.rule,
				                  b.output,
				                  b.action,
				                  nonempty(b.location),
				                  b.rule };

			sink_row(&k, cells);
		}
	}
	sink_end(&k);
	rc = cli_out_check();
	if (rc == 0)
		rc = differ ? CLI_EXIT_FOUND : CLI_EXIT_OK;
out:
	free(pts.v);
	cw_profile_free(owned[0]);
	cw_profile_free(owned[1]);
	return rc;
}

/* ---- roundtrip ---- */

int cmd_roundtrip(int argc, char **argv)
{
	cli_opts o;
	const cw_profile *profile;
	cw_profile *owned = NULL;
	size_t causes = 0, causes_bad = 0, statuses = 0, statuses_bad = 0;
	int rc = CLI_EXIT_USAGE;

	if (cli_opts_parse(argc, argv, CLI_O_PROFILE | CLI_O_OVERRIDES, &o) != 0)
		return CLI_EXIT_USAGE;
	if (o.help) {
		cli_command_usage(stdout, argv[0]);
		return CLI_EXIT_OK;
	}
	if (cli_expect_args(&o, 0, 0, "") != 0 ||
	    cli_profile_load(o.profile, o.overrides, &profile, &owned) != 0)
		return CLI_EXIT_USAGE;

	/* cause -> status -> cause', for the assigned causes answered by a response
	 * (an unassigned value has nothing to come back to) */
	for (int c = CW_Q850_CAUSE_MIN; c <= CW_Q850_CAUSE_MAX; c++) {
		point p1 = { .dir = DIR_C2S, .cause = c, .location = CW_LOCATION_UNKNOWN };
		point p2 = { .dir = DIR_S2C, .event = CW_SIP_RESPONSE };
		const cw_q850_info *qi;
		cw_sip_result sr;
		result r2;

		if (cw_q850_info_get(c, &qi) == 0 && !qi->assigned)
			continue;

		if (cw_map_cause_to_sip(profile, c, CW_LOCATION_UNKNOWN, 0, &sr) != 0) {
			evaluate_or_fail(profile, &p1, &r2);
			goto out;
		}
		if (sr.action != CW_C2S_RESPOND)
			continue;
		causes++;
		p2.status = sr.status;
		if (evaluate_or_fail(profile, &p2, &r2) != 0)
			goto out;
		if (r2.value == c)
			continue;
		causes_bad++;
		printf("cause %d -> %d %s -> %s\n", c, sr.status, cli_status_phrase(sr.status),
		       r2.output);
	}

	/* status -> cause (with its location) -> status', for the final statuses */
	for (size_t i = 0; i < cw_sip_status_count(); i++) {
		const cw_sip_status_info *info;
		point p1 = { .dir = DIR_S2C, .event = CW_SIP_RESPONSE };
		point p2 = { .dir = DIR_C2S };
		result r1, r2;
		char back[256];

		if (cw_sip_status_at(i, &info) != 0 || info->status < 300)
			continue;
		p1.status = info->status;
		if (evaluate_or_fail(profile, &p1, &r1) != 0)
			goto out;
		if (r1.value == 0)
			continue;
		statuses++;
		p2.cause = r1.value;
		p2.location = r1.loc;
		if (evaluate_or_fail(profile, &p2, &r2) != 0)
			goto out;
		if (r2.value == info->status && r2.plain_action)
			continue;
		statuses_bad++;
		diff_result(&r2, back, sizeof(back));
		if (r1.location[0] != '\0')
			printf("status %d -> %s location=%s -> %s\n", info->status, r1.output,
			       r1.location, back);
		else
			printf("status %d -> %s -> %s\n", info->status, r1.output, back);
	}
	printf("assigned causes: %zu of %zu do not come back; statuses: %zu of %zu do not come back\n",
	       causes_bad, causes, statuses_bad, statuses);
	rc = cli_out_check();
out:
	cw_profile_free(owned);
	return rc;
}
