/* SPDX-License-Identifier: MIT */
/*
 * test_prefix.c — destination prefixes: parse vectors, duplicates across
 * allow and deny, longest-prefix decisions.
 */
#include <errno.h>
#include <string.h>

#include <causeway/common.h>

#include "common/error.h"
#include "prefix.h"
#include "check.h"

static void test_parse(void)
{
	static const char *const good[] = {
		"00", "0900", "+", "+49", "*31#", "#", "0", "01234567890123456789012345678901",
		"+0123456789012345678901234567890", NULL,
	};
	static const char *const broken[] = {
		"", ", ,", "0a", "49+", "++49", "0-900", "012345678901234567890123456789012",
		"+01234567890123456789012345678901", "0900;", "sip:0900", NULL,
	};
	struct cwp_prefix_rule rules[4];
	char err[128];
	size_t i, n;

	for (i = 0; good[i]; i++) {
		n = 0;
		CHECK(cwp_prefix_list_parse(good[i], CWP_PREFIX_DENY, rules, 4, &n, err, sizeof(err)) == 0);
		CHECK(n == 1 && strcmp(rules[0].digits, good[i]) == 0);
		CHECK(rules[0].len == strlen(good[i]) && rules[0].action == CWP_PREFIX_DENY);
	}
	for (i = 0; broken[i]; i++) {
		n = 0;
		err[0] = '\0';
		CHECK(cwp_prefix_list_parse(broken[i], CWP_PREFIX_DENY, rules, 4, &n, err, sizeof(err)) ==
		      CWCOM_ESYNTAX);
		CHECK(n == 0 && err[0] != '\0');
	}
	n = 0;
	CHECK(cwp_prefix_list_parse("00, 0900 +\t0137", CWP_PREFIX_DENY, rules, 4, &n, err,
	                            sizeof(err)) == 0);
	CHECK(n == 4);
	CHECK(strcmp(rules[3].digits, "0137") == 0);
	/* full: nothing appended */
	CHECK(cwp_prefix_list_parse("0800", CWP_PREFIX_ALLOW, rules, 4, &n, err, sizeof(err)) ==
	      CWCOM_ELIMIT);
	CHECK(n == 4);
	/* one prefix, one decision: a deny prefix cannot also be allowed */
	n = 2;
	CHECK(cwp_prefix_list_parse("0049 00", CWP_PREFIX_ALLOW, rules, 4, &n, err, sizeof(err)) ==
	      CWCOM_EDUPLICATE);
	CHECK(n == 2 && strstr(err, "'00' is listed twice") != NULL);
	CHECK(cwp_prefix_list_parse("0049 0049", CWP_PREFIX_ALLOW, rules, 4, &n, err, sizeof(err)) ==
	      CWCOM_EDUPLICATE);
	CHECK(n == 2);
	CHECK(cwp_prefix_list_parse("00", 7, rules, 4, &n, err, sizeof(err)) == -EINVAL);
	CHECK(cwp_prefix_list_parse(NULL, CWP_PREFIX_DENY, rules, 4, &n, err, sizeof(err)) ==
	      -EINVAL);
}

static void test_longest_match(void)
{
	static const struct {
		const char *number, *prefix; /* NULL: no rule */
	} longest[] = {
		{ "0044207946000", "00" }, { "00493012345", "0049" }, { "09005551234", "0900" },
		{ "09001551234", "09001" }, { "0911", "09" }, { "+4930", "+" },
		/* shorter than a prefix, or no prefix at all */
		{ "090", "09" }, { "0", NULL }, { "", NULL }, { "030123", NULL },
	};
	struct cwp_prefix_rule rules[8];
	const struct cwp_prefix_rule *r;
	size_t n = 0, i;

	CHECK(cwp_prefix_list_parse("00, 0900, +, 09", CWP_PREFIX_DENY, rules, 8, &n, NULL, 0) == 0);
	CHECK(cwp_prefix_list_parse("0049, 09001", CWP_PREFIX_ALLOW, rules, 8, &n, NULL, 0) == 0);
	CHECK(n == 6);

	for (i = 0; i < sizeof(longest) / sizeof(longest[0]); i++) {
		r = cwp_prefix_match(rules, n, longest[i].number);
		if (longest[i].prefix)
			CHECK_STR(r ? r->digits : NULL, longest[i].prefix);
		else
			CHECK(r == NULL);
	}
	r = cwp_prefix_match(rules, n, "00493012345");
	CHECK(r && r->action == CWP_PREFIX_ALLOW);
	CHECK(cwp_prefix_match(rules, n, NULL) == NULL);

	CHECK(cwp_prefix_denied(rules, n, "0044207946000", CWP_PREFIX_ALLOW, &r) == 1);
	CHECK(r && strcmp(r->digits, "00") == 0);
	CHECK(cwp_prefix_denied(rules, n, "00493012345", CWP_PREFIX_DENY, &r) == 0);
	CHECK(r && strcmp(r->digits, "0049") == 0);
	CHECK(cwp_prefix_denied(rules, n, "030123", CWP_PREFIX_ALLOW, &r) == 0 && r == NULL);
	CHECK(cwp_prefix_denied(rules, n, "030123", CWP_PREFIX_DENY, &r) == 1 && r == NULL);
	CHECK(cwp_prefix_denied(rules, n, "09001", CWP_PREFIX_DENY, NULL) == 0);

	/* the order of the rules does not matter */
	n = 0;
	CHECK(cwp_prefix_list_parse("0049", CWP_PREFIX_ALLOW, rules, 8, &n, NULL, 0) == 0);
	CHECK(cwp_prefix_list_parse("00", CWP_PREFIX_DENY, rules, 8, &n, NULL, 0) == 0);
	CHECK(cwp_prefix_denied(rules, n, "00493012345", CWP_PREFIX_DENY, &r) == 0);
	CHECK(r == &rules[0]);
	CHECK(cwp_prefix_denied(rules, n, "00443012345", CWP_PREFIX_ALLOW, &r) == 1);
	CHECK(r == &rules[1]);
}

int main(void)
{
	test_parse();
	test_longest_match();
	return check_done();
}
