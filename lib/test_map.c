/* SPDX-License-Identifier: MIT */
/*
 * test_map.c — profiles, lookups over every input, override files and
 * their diagnostics, the Q.850 and SIP status tables.
 */
#include <stdio.h>
#include <string.h>

#include <causeway/causeway.h>

#include "../tests/unit/check.h"

static const cw_profile *get(const char *name)
{
	const cw_profile *p = NULL;

	CHECK_INT(cw_profile_get(name, &p), 0);
	return p;
}

/* Every cause 0..128 and location -2..16, with and without a diagnostic. */
static void sweep_cause2sip(const cw_profile *p)
{
	int cause, loc, diag, bad = 0;
	cw_sip_result r;

	CHECK_INT(cw_map_cause_to_sip(p, 0, -1, 0, &r), CW_ERANGE);
	CHECK_INT(cw_map_cause_to_sip(p, 128, -1, 0, &r), CW_ERANGE);
	CHECK_INT(cw_map_cause_to_sip(p, -1, -1, 0, &r), CW_ERANGE);
	CHECK_INT(cw_map_cause_to_sip(p, 17, -2, 0, &r), CW_ERANGE);
	CHECK_INT(cw_map_cause_to_sip(p, 17, 16, 0, &r), CW_ERANGE);
	CHECK_INT(cw_map_cause_to_sip(NULL, 17, -1, 0, &r), CW_EINVAL);
	CHECK_INT(cw_map_cause_to_sip(p, 17, -1, 0, NULL), CW_EINVAL);
	for (cause = 1; cause <= 127; cause++) {
		for (loc = -1; loc <= 15; loc++) {
			for (diag = 0; diag <= 1; diag++) {
				const cw_sip_status_info *si;

				if (cw_map_cause_to_sip(p, cause, loc, diag, &r) != 0 || r.status < 300 ||
				    r.status > 699 || cw_sip_status_info_get(r.status, &si) != 0 ||
				    !si->registered || !cw_c2s_action_name(r.action) || !r.rule ||
				    !r.rule->clause[0] || strcmp(r.rule->profile, cw_profile_name(p)) ||
				    (!!(r.flags & CW_C2S_F_RETRY_AFTER) != (cause >= 32 && cause <= 47)) ||
				    ((r.flags & CW_C2S_F_CONTACT) && !diag))
					bad++;
			}
		}
	}
	if (!CHECK_INT(bad, 0))
		fprintf(stderr, "  profile %s\n", cw_profile_name(p));
}

/* Every status 99..700 with and without Warning, BYE and CANCEL. */
static void sweep_sip2cause(const cw_profile *p)
{
	static const int warnings[] = { 0, 304, 305, 399 };
	cw_sip_query q = { CW_SIP_RESPONSE, 99, 0, NULL };
	cw_cause_result r;
	int s, bad = 0;
	size_t w;

	CHECK_INT(cw_map_sip_to_cause(p, &q, &r), CW_ERANGE);
	q.status = 700;
	CHECK_INT(cw_map_sip_to_cause(p, &q, &r), CW_ERANGE);
	q.status = 486;
	q.warning = 1000;
	CHECK_INT(cw_map_sip_to_cause(p, &q, &r), CW_ERANGE);
	q.warning = -1;
	CHECK_INT(cw_map_sip_to_cause(p, &q, &r), CW_ERANGE);
	q.warning = 0;
	q.event = (enum cw_sip_event)7;
	CHECK_INT(cw_map_sip_to_cause(p, &q, &r), CW_EINVAL);
	CHECK_INT(cw_map_sip_to_cause(p, NULL, &r), CW_EINVAL);

	q.event = CW_SIP_RESPONSE;
	for (s = 100; s <= 699; s++) {
		for (w = 0; w < sizeof(warnings) / sizeof(warnings[0]); w++) {
			q.status = s;
			q.warning = warnings[w];
			if (cw_map_sip_to_cause(p, &q, &r) != 0 || !r.rule || !r.location_rule ||
			    r.location < 0 || r.location > 15 || !cw_s2c_action_name(r.action) ||
			    ((r.action == CW_S2C_NONE) != (r.cause == 0)) || r.cause > 127 ||
			    (s < 300 && r.action != CW_S2C_NONE))
				bad++;
		}
	}
	for (q.event = CW_SIP_BYE; q.event <= CW_SIP_CANCEL; q.event++) {
		q.status = 0;
		if (cw_map_sip_to_cause(p, &q, &r) != 0 || r.action != CW_S2C_RELEASE || r.cause < 1)
			bad++;
	}
	if (!CHECK_INT(bad, 0))
		fprintf(stderr, "  profile %s\n", cw_profile_name(p));
}

static void test_builtins(void)
{
	const cw_profile *p;
	size_t i;

	CHECK_INT(cw_profile_builtin_count(), 4);
	CHECK_STR(cw_profile_name(cw_profile_builtin_at(0)), CW_PROFILE_DEFAULT);
	CHECK(cw_profile_builtin_at(4) == NULL);
	CHECK_INT(cw_profile_get("nope", &p), CW_ENOENT);
	CHECK_INT(cw_profile_get(NULL, &p), CW_EINVAL);
	for (i = 0; i < cw_profile_builtin_count(); i++) {
		p = cw_profile_builtin_at(i);
		CHECK(cw_profile_description(p) && cw_profile_description(p)[0]);
		CHECK(cw_profile_row_count(p) > 40);
		sweep_cause2sip(p);
		sweep_sip2cause(p);
		cw_profile_free(p); /* a built-in: ignored */
	}
	cw_profile_free(NULL);
	/* RFC 3398 §8.2.6.1 location: 6xx user, else network. */
	{
		cw_sip_query q = { CW_SIP_RESPONSE, 603, 0, NULL };
		cw_cause_result r;

		CHECK_INT(cw_map_sip_to_cause(get("rfc3398"), &q, &r), 0);
		CHECK_INT(r.location, CW_LOC_U);
		q.status = 404;
		CHECK_INT(cw_map_sip_to_cause(get("rfc3398"), &q, &r), 0);
		CHECK_INT(r.location, CW_LOC_BI);
	}
}

static void test_rules(void)
{
	const cw_profile *p = get("rfc3398");
	cw_sip_result r;
	char buf[256];
	cw_row row;
	size_t i, n = cw_profile_row_count(p), with_clause = 0;

	CHECK_INT(cw_map_cause_to_sip(p, 21, CW_LOC_U, 0, &r), 0);
	CHECK_STR(r.rule->key, "cause 21 location=U");
	CHECK_STR(r.rule->file, "tables/profiles/rfc3398.map");
	CHECK(r.rule->line > 0);
	cw_rule_describe(r.rule, buf, sizeof(buf));
	CHECK(strncmp(buf, "rfc3398 RFC 3398 §7.2.4.1 note (+)", strlen("rfc3398 RFC 3398 §7.2.4.1 note (+)")) == 0);
	CHECK_INT(cw_profile_row_at(p, n, &row), CW_ERANGE);
	for (i = 0; i < n; i++) {
		CHECK_INT(cw_profile_row_at(p, i, &row), 0);
		with_clause += row.rule && strstr(row.rule->clause, "RFC") != NULL;
	}
	CHECK_INT(with_clause, n);
	CHECK_INT(cw_profile_reason_q850(p), CW_HONOUR_RESPONSE | CW_HONOUR_BYE | CW_HONOUR_CANCEL);
	CHECK_INT(cw_profile_reason_q850(get("freeswitch")), CW_HONOUR_RESPONSE | CW_HONOUR_BYE);
}

/* Malformed override files: the code, the line and the column. */
static void test_override_errors(void)
{
	static const struct {
		const char *text;
		int code;
		unsigned line, column;
		const char *message;
	} cases[] = {
		{ "cause 128 - 486 respond\n", CW_ERANGE, 1, 7, "cause 128 out of range (1-127)" },
		{ "cause 0 - 486 respond\n", CW_ERANGE, 1, 7, "out of range" },
		{ "# ok\ncause 17 - 499 respond\n", CW_ERANGE, 2, 12, "not an IANA-registered" },
		{ "cause 17 - 200 respond\n", CW_ERANGE, 1, 12, "status 200 out of range (300-699)" },
		{ "cause 17 - 486 reply\n", CW_ESYNTAX, 1, 16, "unknown action \"reply\"" },
		{ "cause 17 - 486\n", CW_EMISSING, 1, 15, "missing action" },
		{ "cause 17 location=XX 486 respond\n", CW_ENOENT, 1, 19, "unknown location \"XX\"" },
		{ "cause default location=U 486 respond\n", CW_ESYNTAX, 1, 15, "no qualifier" },
		{ "status 99 - 16 release\n", CW_ERANGE, 1, 8, "status 99 out of range" },
		{ "status 700 - 16 release\n", CW_ERANGE, 1, 8, "status 700 out of range" },
		{ "status 486 - 128 release\n", CW_ERANGE, 1, 14, "cause 128" },
		{ "status 486 - - release\n", CW_ESYNTAX, 1, 14, "action none" },
		{ "status 486 - 17 none\n", CW_ESYNTAX, 1, 14, "action none" },
		{ "status 4xx warning=304 31 release\n", CW_ESYNTAX, 1, 12, "single status" },
		{ "status 486 reason=200 26 release\n", CW_ESYNTAX, 1, 12, "BYE and CANCEL only" },
		{ "status BYE - 16 redirect\n", CW_ESYNTAX, 1, 17, "take action release" },
		{ "status 7xx - 16 release\n", CW_ESYNTAX, 1, 8, "unknown key" },
		{ "location 4xx MOON\n", CW_ENOENT, 1, 14, "unknown location" },
		{ "location 4xx\n", CW_ESYNTAX, 1, 13, "missing location" },
		{ "frobnicate 1 2 3\n", CW_ESYNTAX, 1, 1, "unknown directive \"frobnicate\"" },
		{ "profile mine\n", CW_ESYNTAX, 1, 1, "built-in tables only" },
		{ "option reason-q850 response,sms\n", CW_ENOENT, 1, 29, "unknown event \"sms\"" },
		{ "option reason-xyz -\n", CW_ENOENT, 1, 8, "unknown option" },
		{ "option reason-sip -\noption reason-sip bye\n", CW_EDUPLICATE, 2, 1, "first at line 1" },
		{ "cause 17 - 486 respond\n\ncause 17 - 600 respond\n", CW_EDUPLICATE, 3, 1,
		  "duplicate row \"cause 17\" (first at line 1)" },
		{ "cause 17 - 486 respond \x01\n", CW_ESYNTAX, 1, 24, "control character" },
		{ "cause 17 -\t486 respond\r\n", 0, 0, 0, NULL },
		{ "cause 99999999999 - 486 respond\n", CW_ERANGE, 1, 7, "out of range" },
		{ "cause 1x - 486 respond\n", CW_ESYNTAX, 1, 7, "is not a number" },
	};
	const cw_profile *base = get("rfc3398");
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cw_profile *p = NULL;
		cw_diag d;
		int r;

		memset(&d, 0, sizeof(d));
		r = cw_profile_overlay(&p, base, "site.map", cases[i].text, strlen(cases[i].text), &d);
		if (!CHECK_INT(r, cases[i].code)) {
			fprintf(stderr, "  case %zu: %s\n", i, d.message);
			cw_profile_free(p);
			continue;
		}
		if (r == 0) {
			CHECK(p != NULL);
			cw_profile_free(p);
			continue;
		}
		CHECK(p == NULL);
		CHECK_INT(d.code, cases[i].code);
		CHECK_STR(d.file, "site.map");
		CHECK_INT(d.line, cases[i].line);
		CHECK_INT(d.column, cases[i].column);
		if (!CHECK(strstr(d.message, cases[i].message) != NULL))
			fprintf(stderr, "  case %zu message: %s\n", i, d.message);
	}
	{
		/* A NUL byte and an over-long line. */
		static const char nul[] = "cause 17 - 486 respond\0\n";
		char longline[1200];
		cw_profile *p = NULL;
		cw_diag d;

		CHECK_INT(cw_profile_overlay(&p, base, "nul.map", nul, sizeof(nul) - 1, &d), CW_ESYNTAX);
		CHECK(strstr(d.message, "NUL") != NULL);
		memset(longline, 'x', sizeof(longline));
		CHECK_INT(cw_profile_overlay(&p, base, "long.map", longline, sizeof(longline), &d), CW_ELIMIT);
		CHECK_INT(cw_profile_overlay(&p, base, "x", NULL, 5, &d), CW_EINVAL);
		CHECK_INT(cw_profile_overlay(NULL, base, "x", "", 0, &d), CW_EINVAL);
	}
}

static void test_overrides(void)
{
	static const char site[] =
		"# our carrier fails over on 503 only\n"
		"cause 34 - 480 respond   carrier contract §4\n"
		"cause 99 location=LN 404 respond\n"
		"status 480 - 19 release\n"
		"status 5xx - 47 release\n"
		"location 5xx TN\n"
		"option reason-q850 bye\n";
	const cw_profile *base = get("rfc3398");
	cw_profile *p = NULL, *pp = NULL;
	cw_sip_result r;
	cw_cause_result c;
	cw_sip_query q = { CW_SIP_RESPONSE, 480, 0, NULL };
	cw_reason values[4];
	cw_reason_list list;
	char text[128], buf[128];
	cw_diag d;

	CHECK_INT(cw_profile_overlay(&p, base, "site.map", site, strlen(site), &d), 0);
	CHECK_STR(cw_profile_name(p), "rfc3398+site.map");
	CHECK_INT(cw_profile_row_count(p), cw_profile_row_count(base) + 2);

	CHECK_INT(cw_map_cause_to_sip(p, 34, -1, 0, &r), 0);
	CHECK_INT(r.status, 480);
	CHECK(r.rule->override);
	CHECK_INT(r.rule->line, 2);
	CHECK_STR(r.rule->clause, "carrier contract §4");
	cw_rule_describe(r.rule, buf, sizeof(buf));
	CHECK_STR(buf, "override site.map:2");
	CHECK_INT(cw_map_cause_to_sip(p, 99, CW_LOC_LN, 0, &r), 0);
	CHECK_INT(r.status, 404);
	CHECK_INT(cw_map_cause_to_sip(p, 99, CW_LOC_U, 0, &r), 0);
	CHECK_INT(r.status, 500); /* the base default */
	CHECK_INT(cw_map_cause_to_sip(p, 17, -1, 0, &r), 0);
	CHECK_INT(r.status, 486);
	CHECK(!r.rule->override);
	CHECK_INT(cw_map_cause_to_sip(p, 21, CW_LOC_U, 0, &r), 0);
	CHECK_INT(r.status, 603); /* the base's qualified row survives */

	CHECK_INT(cw_map_sip_to_cause(p, &q, &c), 0);
	CHECK_INT(c.cause, 19);
	q.status = 503; /* the base's exact row wins over the override's class row */
	CHECK_INT(cw_map_sip_to_cause(p, &q, &c), 0);
	CHECK_INT(c.cause, 41);
	CHECK_INT(c.location, CW_LOC_TN);
	q.status = 580;
	CHECK_INT(cw_map_sip_to_cause(p, &q, &c), 0);
	CHECK_INT(c.cause, 47);
	CHECK_INT(c.rule->line, 5);

	/* option reason-q850 bye: a Q.850 Reason in a response no longer decides. */
	cw_reason_list_init(&list, values, 4, text, sizeof(text));
	CHECK_INT(cw_reason_list_parse(&list, "Q.850;cause=17", 14), 0);
	q.status = 486;
	q.reasons = &list;
	CHECK_INT(cw_map_sip_to_cause(base, &q, &c), 0);
	CHECK(c.reason != NULL);
	CHECK_INT(cw_map_sip_to_cause(p, &q, &c), 0);
	CHECK(c.reason == NULL);
	q.event = CW_SIP_BYE;
	CHECK_INT(cw_map_sip_to_cause(p, &q, &c), 0);
	CHECK_INT(c.cause, 17);
	CHECK_INT(c.rule->line, 7);

	/* An overlay of an overlay; an empty overlay changes nothing. */
	CHECK_INT(cw_profile_overlay(&pp, p, "more.map", "cause 34 - 486 respond\n", 23, &d), 0);
	CHECK_INT(cw_map_cause_to_sip(pp, 34, -1, 0, &r), 0);
	CHECK_INT(r.status, 486);
	CHECK_INT(cw_map_cause_to_sip(pp, 99, CW_LOC_LN, 0, &r), 0);
	CHECK_INT(r.status, 404);
	cw_profile_free(pp);
	CHECK_INT(cw_profile_overlay(&pp, base, "empty.map", "", 0, &d), 0);
	CHECK_INT(cw_profile_row_count(pp), cw_profile_row_count(base));
	for (int cause = 1; cause <= 127; cause++) {
		cw_sip_result a, b;

		cw_map_cause_to_sip(base, cause, -1, 0, &a);
		cw_map_cause_to_sip(pp, cause, -1, 0, &b);
		if (!CHECK_INT(a.status, b.status))
			break;
	}
	cw_profile_free(pp);
	cw_profile_free(p);
}

static void test_tables(void)
{
	const cw_q850_info *qi;
	const cw_sip_status_info *si;
	int c, assigned = 0, s, registered = 0;

	CHECK_INT(cw_q850_info_get(-1, &qi), CW_ERANGE);
	CHECK_INT(cw_q850_info_get(128, &qi), CW_ERANGE);
	for (c = 0; c <= 127; c++) {
		if (!CHECK_INT(cw_q850_info_get(c, &qi), 0))
			continue;
		CHECK_INT(qi->cause, c);
		assigned += qi->assigned;
		CHECK(qi->name && qi->name[0] && qi->source && qi->source[0]);
		/* Q.850 §2.2.5: class = upper three bits, 000 and 001 both "normal". */
		CHECK_INT(qi->cls, c < 32 ? 0 : c / 16 - 1);
		CHECK_INT(qi->class_unspecified, c < 32 ? 31 : (c | 15));
		CHECK(!qi->assigned || (qi->meaning[0] && qi->check[0]));
	}
	CHECK_INT(assigned, 71);
	cw_q850_info_get(17, &qi);
	CHECK_STR(qi->name, "User busy");
	cw_q850_info_get(0, &qi);
	CHECK(!qi->assigned);
	CHECK_STR(cw_q850_class_name(CW_Q850_CLASS_RESOURCE), "resource unavailable");
	CHECK(cw_q850_class_name((enum cw_q850_class)7) == NULL);

	CHECK_INT(cw_sip_status_count(), 75);
	CHECK_INT(cw_sip_status_info_get(99, &si), CW_ERANGE);
	CHECK_INT(cw_sip_status_info_get(700, &si), CW_ERANGE);
	for (s = 100; s <= 699; s++) {
		if (!CHECK_INT(cw_sip_status_info_get(s, &si), 0))
			continue;
		registered += si->registered;
		CHECK(si->phrase && si->phrase[0] && cw_disposition_name(si->disposition));
	}
	CHECK_INT(registered, 75);
	cw_sip_status_info_get(486, &si);
	CHECK_STR(si->phrase, "Busy Here");
	CHECK_INT(si->disposition, CW_DISP_FINAL);
	cw_sip_status_info_get(503, &si);
	CHECK_INT(si->disposition, CW_DISP_RETRY_LATER);
	cw_sip_status_info_get(401, &si);
	CHECK_INT(si->disposition, CW_DISP_AUTHENTICATE);
	cw_sip_status_info_get(450, &si);
	CHECK(!si->registered);
	CHECK_INT(si->disposition, CW_DISP_FINAL);
	cw_sip_status_info_get(550, &si);
	CHECK_INT(si->disposition, CW_DISP_NEXT_ROUTE);
	CHECK_INT(cw_sip_status_at(75, &si), CW_ERANGE);
	CHECK_INT(cw_sip_status_at(0, &si), 0);
	CHECK_INT(si->status, 100);

	CHECK_STR(cw_strerror(CW_ESYNTAX), "syntax error");
	CHECK_STR(cw_strerror(-999), "unknown error");
	CHECK_STR(cw_version(), CW_VERSION_STRING);
}

int main(void)
{
	test_builtins();
	test_rules();
	test_override_errors();
	test_overrides();
	test_tables();
	return check_done();
}
