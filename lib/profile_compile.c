/* SPDX-License-Identifier: MIT */
/*
 * profile_compile.c — resolve map rows into the dense cells of a profile.
 *
 * Resolution order (tables/README.md, "Lookup order"):
 *   cause:    location= row, diagnostic row (both kept as qualified cells),
 *             plain row, default row;
 *   status:   warning= row (kept as a list), status row, class row, default;
 *   location: status row, class row, default; BYE/CANCEL row, default.
 * Everything that can be decided before a query is decided here, once.
 */
#include <stdlib.h>
#include <string.h>

#include <causeway/sip.h>

#include "internal.h"
#include "mapfile.h"
#include "profile.h"

struct pool {
	char *base;
	size_t used;
	size_t cap;
};

static const char *pool_put(struct pool *p, const char *s, size_t n)
{
	char *d = p->base + p->used;

	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	p->used += n + 1;
	return d;
}

static size_t safe_strlen(const char *s)
{
	return s ? strlen(s) : 0;
}

static size_t row_key_len(const cw_row *row)
{
	struct cw_maprow mr = {
		.kind = row->kind, .key = row->key, .qualifier = row->qualifier,
		.qualifier_value = row->qualifier_value,
	};
	char buf[64];

	return cw_maprow_key_format(&mr, buf, sizeof(buf));
}

static size_t rule_strings_len(const struct cw_compile_row *cr, size_t keylen)
{
	return safe_strlen(cr->profile) + 1 + safe_strlen(cr->file) + 1 + cr->clause.len + 1 +
	       keylen + 1;
}

static void fill_rule(cw_rule *rule, struct pool *pool, const struct cw_compile_row *cr,
                      const char *key)
{
	rule->profile = pool_put(pool, cr->profile ? cr->profile : "", safe_strlen(cr->profile));
	rule->file = pool_put(pool, cr->file ? cr->file : "", safe_strlen(cr->file));
	rule->line = cr->line;
	rule->clause = pool_put(pool, cr->clause.ptr, cr->clause.len);
	rule->key = pool_put(pool, key, strlen(key));
	rule->override = cr->override;
}

static int status_index(int status)
{
	return status - 100;
}

struct cw_compile_row cw_compile_row_from_maprow(const struct cw_maprow *mr, const char *profile,
                                                 const char *file, int override)
{
	struct cw_compile_row cr;

	memset(&cr, 0, sizeof(cr));
	cr.row.kind = mr->kind;
	cr.row.key = mr->key;
	cr.row.qualifier = mr->qualifier;
	cr.row.qualifier_value = mr->qualifier_value;
	cr.row.result = mr->result;
	cr.row.action = mr->action;
	cr.profile = profile;
	cr.file = file;
	cr.line = mr->line;
	cr.override = override;
	cr.clause = mr->clause;
	return cr;
}

struct cw_compile_row cw_compile_row_from_option(const struct cw_mapoption *opt,
                                                 const char *profile, const char *file,
                                                 int override)
{
	struct cw_compile_row cr;

	memset(&cr, 0, sizeof(cr));
	cr.profile = profile;
	cr.file = file;
	cr.line = opt->line;
	cr.override = override;
	cr.clause = opt->clause;
	return cr;
}

void cw_profile_destroy(struct cw_profile *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < CW_ARRAY_SIZE(p->owned); i++)
		free(p->owned[i]);
	free(p);
}

/* Which row indexes decide what; -1 = none. */
struct resolve {
	int cause_default, status_default, location_default;
	int cause_plain[128], cause_diag[128];
	int status_exact[CW_STATUS_CELLS], status_class[7];
	int loc_exact[CW_STATUS_CELLS], loc_class[7], loc_request[3];
	int request[3];
	size_t ncause_loc, nwarning, nreq_reason;
};

static void resolve_init(struct resolve *rs)
{
	memset(rs, 0xff, sizeof(*rs)); /* every index -1 */
	rs->ncause_loc = rs->nwarning = rs->nreq_reason = 0;
}

static int class_of_key(int key)
{
	return (key <= CW_KEY_CLASS(1) && key >= CW_KEY_CLASS(6)) ? CW_KEY_CLASS(0) - key : 0;
}

static void resolve_row(struct resolve *rs, const cw_row *r, int i)
{
	int cls = class_of_key(r->key);

	switch (r->kind) {
	case CW_ROW_CAUSE:
		if (r->key == CW_KEY_DEFAULT)
			rs->cause_default = i;
		else if (r->qualifier == CW_QUAL_NONE)
			rs->cause_plain[r->key] = i;
		else if (r->qualifier == CW_QUAL_DIAGNOSTIC)
			rs->cause_diag[r->key] = i;
		else
			rs->ncause_loc++;
		break;
	case CW_ROW_STATUS:
		if (r->qualifier == CW_QUAL_WARNING)
			rs->nwarning++;
		else if (r->key == CW_KEY_DEFAULT)
			rs->status_default = i;
		else if (cls)
			rs->status_class[cls] = i;
		else
			rs->status_exact[status_index(r->key)] = i;
		break;
	case CW_ROW_REQUEST:
		if (r->qualifier == CW_QUAL_REASON)
			rs->nreq_reason++;
		else
			rs->request[r->key] = i;
		break;
	case CW_ROW_LOCATION:
		if (r->key == CW_KEY_DEFAULT)
			rs->location_default = i;
		else if (cls)
			rs->loc_class[cls] = i;
		else if (r->key == CW_SIP_BYE || r->key == CW_SIP_CANCEL)
			rs->loc_request[r->key] = i;
		else
			rs->loc_exact[status_index(r->key)] = i;
		break;
	}
}

static int check_required(const struct resolve *rs, const struct cw_compile_input *in,
                          cw_diag *diag)
{
	static const struct {
		size_t offset;
		const char *row;
	} required[] = {
		{ offsetof(struct resolve, cause_default), "cause default - STATUS ACTION" },
		{ offsetof(struct resolve, status_default), "status default - CAUSE ACTION" },
		{ offsetof(struct resolve, request[CW_SIP_BYE]), "status BYE - CAUSE release" },
		{ offsetof(struct resolve, request[CW_SIP_CANCEL]), "status CANCEL - CAUSE release" },
		{ offsetof(struct resolve, location_default), "location default LOCATION" },
	};
	size_t i;

	for (i = 0; i < CW_ARRAY_SIZE(required); i++) {
		int idx;

		memcpy(&idx, (const char *)rs + required[i].offset, sizeof(idx));
		if (idx < 0)
			return cw_diag_set(diag, CW_EMISSING, in->file, 0, 0,
			                   "profile %s lacks the row \"%s\"", in->name, required[i].row);
	}
	return 0;
}

static struct cw_c2s_cell c2s_cell(const cw_row *rows, int i)
{
	struct cw_c2s_cell c = { 0, 0, 0 };

	if (i >= 0) {
		c.status = (uint16_t)rows[i].result;
		c.action = (uint8_t)rows[i].action;
		c.rule = (uint16_t)i;
	}
	return c;
}

static struct cw_s2c_cell s2c_cell(const cw_row *rows, int i)
{
	struct cw_s2c_cell c = { 0, 0, 0, 0 };

	if (i >= 0) {
		c.cause = (uint8_t)rows[i].result;
		c.action = (uint8_t)rows[i].action;
		c.present = 1;
		c.rule = (uint16_t)i;
	}
	return c;
}

static struct cw_loc_cell loc_cell(const cw_row *rows, int i)
{
	struct cw_loc_cell c = { 0, 0 };

	if (i >= 0) {
		c.location = (uint8_t)rows[i].result;
		c.rule = (uint16_t)i;
	}
	return c;
}

static int first_of(int a, int b, int c)
{
	return a >= 0 ? a : b >= 0 ? b : c;
}

static void fill_cells(struct cw_profile *p, const struct resolve *rs, const cw_row *rows,
                       struct cw_qual_c2s *cause_loc, struct cw_qual_s2c *warning,
                       struct cw_qual_s2c *req_reason)
{
	size_t i, nl = 0, nw = 0, nr = 0;
	int s;

	for (i = 1; i < 128; i++) {
		p->cause[i] = c2s_cell(rows, first_of(rs->cause_plain[i], rs->cause_default, -1));
		p->cause_diag[i] = c2s_cell(rows, rs->cause_diag[i]);
	}
	for (s = 100; s <= 699; s++) {
		int cls = s / 100;

		p->status[status_index(s)] = s2c_cell(
			rows, first_of(rs->status_exact[status_index(s)], rs->status_class[cls],
			               rs->status_default));
		p->status_loc[status_index(s)] = loc_cell(
			rows, first_of(rs->loc_exact[status_index(s)], rs->loc_class[cls],
			               rs->location_default));
	}
	for (s = CW_SIP_BYE; s <= CW_SIP_CANCEL; s++) {
		p->request[s] = s2c_cell(rows, rs->request[s]);
		p->request_loc[s] = loc_cell(rows, first_of(rs->loc_request[s], rs->location_default, -1));
	}
	for (i = 0; i < p->nrows; i++) {
		const cw_row *r = &rows[i];

		if (r->kind == CW_ROW_CAUSE && r->qualifier == CW_QUAL_LOCATION) {
			cause_loc[nl].cause = (uint8_t)r->key;
			cause_loc[nl].location = (uint8_t)r->qualifier_value;
			cause_loc[nl++].cell = c2s_cell(rows, (int)i);
		} else if (r->kind == CW_ROW_STATUS && r->qualifier == CW_QUAL_WARNING) {
			warning[nw].key = (uint16_t)r->key;
			warning[nw].value = (uint16_t)r->qualifier_value;
			warning[nw++].cell = s2c_cell(rows, (int)i);
		} else if (r->kind == CW_ROW_REQUEST && r->qualifier == CW_QUAL_REASON) {
			req_reason[nr].key = (uint16_t)r->key;
			req_reason[nr].value = (uint16_t)r->qualifier_value;
			req_reason[nr++].cell = s2c_cell(rows, (int)i);
		}
	}
}

int cw_profile_compile(struct cw_profile **ret, const struct cw_compile_input *in, cw_diag *diag)
{
	struct cw_profile *p;
	struct resolve rs;
	struct pool pool = { NULL, 0, 0 };
	cw_rule *rules;
	cw_row *rows;
	struct cw_qual_c2s *cause_loc;
	struct cw_qual_s2c *warning, *req_reason;
	const struct cw_compile_row *opts[2] = { in->reason_q850_rule, in->reason_sip_rule };
	size_t i, nrules;
	char key[64];
	int r;

	if (in->nrows > CW_MAP_MAX_ROWS * 2)
		return cw_diag_set(diag, CW_ELIMIT, in->file, 0, 0, "too many rows");

	resolve_init(&rs);
	for (i = 0; i < in->nrows; i++)
		resolve_row(&rs, &in->rows[i].row, (int)i);
	if ((r = check_required(&rs, in, diag)))
		return r;

	nrules = in->nrows + 2;
	pool.cap = safe_strlen(in->name) + safe_strlen(in->description) + 2;
	for (i = 0; i < in->nrows; i++)
		pool.cap += rule_strings_len(&in->rows[i], row_key_len(&in->rows[i].row));
	for (i = 0; i < 2; i++)
		if (opts[i])
			pool.cap += rule_strings_len(opts[i], 32);

	p = calloc(1, sizeof(*p));
	pool.base = malloc(pool.cap);
	rules = calloc(nrules, sizeof(*rules));
	rows = calloc(in->nrows ? in->nrows : 1, sizeof(*rows));
	cause_loc = calloc(rs.ncause_loc + 1, sizeof(*cause_loc));
	warning = calloc(rs.nwarning + 1, sizeof(*warning));
	req_reason = calloc(rs.nreq_reason + 1, sizeof(*req_reason));
	if (p) {
		p->owned[0] = pool.base;
		p->owned[1] = rules;
		p->owned[2] = rows;
		p->owned[3] = cause_loc;
		p->owned[4] = warning;
		p->owned[5] = req_reason;
	}
	if (!p || !pool.base || !rules || !rows || !cause_loc || !warning || !req_reason) {
		if (p)
			cw_profile_destroy(p);
		else {
			free(pool.base);
			free(rules);
			free(rows);
			free(cause_loc);
			free(warning);
			free(req_reason);
		}
		return cw_diag_set(diag, CW_ENOMEM, in->file, 0, 0, "out of memory");
	}

	p->name = pool_put(&pool, in->name ? in->name : "", safe_strlen(in->name));
	p->description = pool_put(&pool, in->description ? in->description : "",
	                          safe_strlen(in->description));
	for (i = 0; i < in->nrows; i++) {
		struct cw_maprow mr = {
			.kind = in->rows[i].row.kind, .key = in->rows[i].row.key,
			.qualifier = in->rows[i].row.qualifier,
			.qualifier_value = in->rows[i].row.qualifier_value,
		};

		cw_maprow_key_format(&mr, key, sizeof(key));
		fill_rule(&rules[i], &pool, &in->rows[i], key);
		rows[i] = in->rows[i].row;
		rows[i].rule = &rules[i];
	}
	p->reason_q850_rule = p->reason_sip_rule = -1;
	nrules = in->nrows;
	if (opts[0]) {
		fill_rule(&rules[nrules], &pool, opts[0], "option reason-q850");
		p->reason_q850_rule = (int16_t)nrules++;
	}
	if (opts[1]) {
		fill_rule(&rules[nrules], &pool, opts[1], "option reason-sip");
		p->reason_sip_rule = (int16_t)nrules++;
	}

	p->builtin = 0;
	p->reason_q850 = in->reason_q850;
	p->reason_sip = in->reason_sip;
	p->rules = rules;
	p->nrules = nrules;
	p->rows = rows;
	p->nrows = in->nrows;
	p->cause_loc = cause_loc;
	p->ncause_loc = rs.ncause_loc;
	p->warning = warning;
	p->nwarning = rs.nwarning;
	p->req_reason = req_reason;
	p->nreq_reason = rs.nreq_reason;
	fill_cells(p, &rs, rows, cause_loc, warning, req_reason);
	*ret = p;
	return 0;
}
