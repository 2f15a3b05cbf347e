/* SPDX-License-Identifier: MIT */
/*
 * profile.c — built-in profiles, override overlays, introspection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/map.h>
#include <causeway/sip.h>

#include "internal.h"
#include "mapfile.h"
#include "profile.h"
#include "tables.h"

int cw_profile_get(const char *name, const cw_profile **ret_profile)
{
	size_t i;

	if (!name || !ret_profile)
		return CW_EINVAL;
	for (i = 0; i < cw_builtin_profile_count; i++) {
		if (strcmp(cw_builtin_profiles[i]->name, name) == 0) {
			*ret_profile = cw_builtin_profiles[i];
			return 0;
		}
	}
	return CW_ENOENT;
}

size_t cw_profile_builtin_count(void)
{
	return cw_builtin_profile_count;
}

const cw_profile *cw_profile_builtin_at(size_t index)
{
	return index < cw_builtin_profile_count ? cw_builtin_profiles[index] : NULL;
}

const char *cw_profile_name(const cw_profile *profile)
{
	return profile ? profile->name : NULL;
}

const char *cw_profile_description(const cw_profile *profile)
{
	return profile ? profile->description : NULL;
}

unsigned cw_profile_reason_q850(const cw_profile *profile)
{
	return profile ? profile->reason_q850 : 0;
}

unsigned cw_profile_reason_sip(const cw_profile *profile)
{
	return profile ? profile->reason_sip : 0;
}

size_t cw_profile_row_count(const cw_profile *profile)
{
	return profile ? profile->nrows : 0;
}

int cw_profile_row_at(const cw_profile *profile, size_t index, cw_row *ret_row)
{
	if (!profile || !ret_row)
		return CW_EINVAL;
	if (index >= profile->nrows)
		return CW_ERANGE;
	*ret_row = profile->rows[index];
	return 0;
}

void cw_profile_free(const cw_profile *profile)
{
	if (!profile || profile->builtin)
		return;
	/* The handle was allocated non-const by cw_profile_overlay(). */
	cw_profile_destroy((struct cw_profile *)(uintptr_t)profile);
}

size_t cw_rule_describe(const cw_rule *rule, char *buf, size_t len)
{
	int n;

	if (!rule)
		n = snprintf(buf, len, "(no rule)");
	else if (rule->override)
		n = snprintf(buf, len, "override %s:%u", rule->file, rule->line);
	else if (rule->clause && rule->clause[0])
		n = snprintf(buf, len, "%s %s", rule->profile, rule->clause);
	else
		n = snprintf(buf, len, "%s %s:%u", rule->profile, rule->file, rule->line);
	return n < 0 ? 0 : (size_t)n;
}

/* A row of an existing profile as compiler input, keeping its provenance. */
static struct cw_compile_row from_rule(const cw_row *row, const cw_rule *rule)
{
	struct cw_compile_row cr;

	memset(&cr, 0, sizeof(cr));
	if (row)
		cr.row = *row;
	cr.profile = rule->profile;
	cr.file = rule->file;
	cr.line = rule->line;
	cr.override = rule->override;
	cr.clause.ptr = rule->clause;
	cr.clause.len = strlen(rule->clause);
	return cr;
}

static int same_key(const cw_row *a, const struct cw_maprow *b)
{
	return a->kind == b->kind && a->key == b->key && a->qualifier == b->qualifier &&
	       a->qualifier_value == b->qualifier_value;
}

int cw_profile_overlay(cw_profile **ret_profile, const cw_profile *base, const char *filename,
                       const char *text, size_t len, cw_diag *diag)
{
	struct cw_mapfile mf;
	struct cw_compile_input in;
	struct cw_compile_row *rows, q850_opt, sip_opt;
	struct cw_profile *p = NULL;
	char name[96];
	size_t i, j, n = 0;
	int r;

	if (!ret_profile || !base || (!text && len))
		return cw_diag_set(diag, CW_EINVAL, filename, 0, 0, "invalid arguments");
	if (!filename)
		filename = "(overrides)";
	memset(&mf, 0, sizeof(mf));
	r = cw_mapfile_parse(&mf, filename, text, len, 0, cw_sip_status_is_registered_final, diag);
	if (r) {
		cw_mapfile_release(&mf);
		return r;
	}

	rows = calloc(base->nrows + mf.nrows + 1, sizeof(*rows));
	if (!rows) {
		cw_mapfile_release(&mf);
		return cw_diag_set(diag, CW_ENOMEM, filename, 0, 0, "out of memory");
	}
	/* Base rows in order, each replaced in place by an override row with its key. */
	for (i = 0; i < base->nrows; i++) {
		const cw_row *br = &base->rows[i];

		for (j = 0; j < mf.nrows && !same_key(br, &mf.rows[j]); j++)
			;
		rows[n++] = j < mf.nrows ? cw_compile_row_from_maprow(&mf.rows[j], filename, filename, 1)
		                         : from_rule(br, br->rule);
	}
	/* Then the override rows that add a key. */
	for (j = 0; j < mf.nrows; j++) {
		for (i = 0; i < base->nrows && !same_key(&base->rows[i], &mf.rows[j]); i++)
			;
		if (i == base->nrows)
			rows[n++] = cw_compile_row_from_maprow(&mf.rows[j], filename, filename, 1);
	}

	memset(&in, 0, sizeof(in));
	snprintf(name, sizeof(name), "%s+%s", base->name, filename);
	in.name = name;
	in.description = base->description;
	in.file = filename;
	in.rows = rows;
	in.nrows = n;
	in.reason_q850 = mf.reason_q850.present ? mf.reason_q850.events : base->reason_q850;
	in.reason_sip = mf.reason_sip.present ? mf.reason_sip.events : base->reason_sip;
	if (mf.reason_q850.present) {
		q850_opt = cw_compile_row_from_option(&mf.reason_q850, filename, filename, 1);
		in.reason_q850_rule = &q850_opt;
	} else if (base->reason_q850_rule >= 0) {
		q850_opt = from_rule(NULL, &base->rules[base->reason_q850_rule]);
		in.reason_q850_rule = &q850_opt;
	}
	if (mf.reason_sip.present) {
		sip_opt = cw_compile_row_from_option(&mf.reason_sip, filename, filename, 1);
		in.reason_sip_rule = &sip_opt;
	} else if (base->reason_sip_rule >= 0) {
		sip_opt = from_rule(NULL, &base->rules[base->reason_sip_rule]);
		in.reason_sip_rule = &sip_opt;
	}

	r = cw_profile_compile(&p, &in, diag);
	free(rows);
	cw_mapfile_release(&mf);
	if (r)
		return r;
	*ret_profile = p;
	return 0;
}
