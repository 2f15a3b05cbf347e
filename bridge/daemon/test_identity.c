/* SPDX-License-Identifier: MIT */
/*
 * test_identity.c — caller identity between SIP and ISDN (identity.c):
 * Privacy tokens, P-Asserted-Identity parsing, and both directions of
 * the mapping table in README.md ("Caller identity"), row by row.
 */
#include <stdio.h>
#include <string.h>

#include "../../tests/unit/check.h"
#include "identity.h"

static void test_privacy(void)
{
	const char *one[] = { "id" }, *two[] = { "user; critical", "header" },
		   *odd[] = { " ID ;;", "x-foo", "" }, *none[] = { "none" }, *hidden[] = { "hidden" };

	CHECK_INT(cwb_privacy_parse(one, 1), CWB_PRIV_ID);
	CHECK_INT(cwb_privacy_parse(two, 2), CWB_PRIV_USER | CWB_PRIV_CRITICAL | CWB_PRIV_HEADER);
	CHECK_INT(cwb_privacy_parse(odd, 3), CWB_PRIV_ID | CWB_PRIV_OTHER);
	CHECK_INT(cwb_privacy_parse(none, 1), CWB_PRIV_NONE);
	CHECK_INT(cwb_privacy_parse(NULL, 0), 0);
	CHECK(cwb_privacy_restricts(cwb_privacy_parse(one, 1)));
	CHECK(cwb_privacy_restricts(cwb_privacy_parse(two, 2)));
	CHECK(!cwb_privacy_restricts(cwb_privacy_parse(none, 1)));
	/* a token containing "id" is not "id" (a substring match would say it is) */
	CHECK(!cwb_privacy_restricts(cwb_privacy_parse(hidden, 1)));
	CHECK(!cwb_privacy_restricts(CWB_PRIV_SESSION | CWB_PRIV_CRITICAL));
}

static void test_numbers(void)
{
	char d[8];
	int intl = -1;

	CHECK_INT(cwb_sip_number("+49-30-(55).1", 13, d, sizeof(d), &intl), 0);
	CHECK_STR(d, "4930551");
	CHECK_INT(intl, 1);
	CHECK_INT(cwb_sip_number("0301;phone-context=x", 20, d, sizeof(d), &intl), 0);
	CHECK_STR(d, "0301");
	CHECK_INT(intl, 0);
	CHECK_INT(cwb_sip_number("12345678", 8, d, sizeof(d), &intl), -1); /* 8 digits + NUL > 8 */
	CHECK_INT(cwb_sip_number("1234567", 7, d, sizeof(d), &intl), 0);
	CHECK_INT(cwb_sip_number("alice", 5, d, sizeof(d), &intl), -1);
	CHECK_INT(cwb_sip_number("+", 1, d, sizeof(d), &intl), -1);
	CHECK_INT(cwb_sip_number("", 0, d, sizeof(d), &intl), -1);
	CHECK_INT(cwb_sip_number("12%33", 5, d, sizeof(d), &intl), -1);
}

struct pai_case {
	const char *value;
	int rc;
	const char *digits, *display;
	int intl;
};

static const struct pai_case pai_cases[] = {
	{ "<sip:+4930555@gw.example.com;user=phone>", 0, "4930555", "", 1 },
	{ "\"Alice\" <sip:4930555@gw>", 0, "4930555", "Alice", 0 },
	{ "Alice Smith <tel:+1-212-555-0100>", 0, "12125550100", "Alice Smith", 1 },
	{ "tel:+4930555", 0, "4930555", "", 1 },
	{ "sip:4930555@gw", 0, "4930555", "", 0 },
	/* RFC 3325 §9.1 example shape: a sip URI with a name, then a tel URI */
	{ "\"Cullen Jennings\" <sip:fluffy@cisco.com>, <tel:+14085264000>", 0, "14085264000",
	  "Cullen Jennings", 1 },
	{ "\"a, <b>\" <sip:alice@x>, \"Bob \\\"B\\\"\" <sips:123@y>", 0, "123", "Bob \"B\"", 0 },
	{ "\"J\xc3\xbcrgen\" <sip:1@x>", 0, "1", "J?rgen", 0 },
	{ "\"Anonymous\" <sip:1@x>", 0, "1", "", 0 },
	{ "<sip:alice@example.com>", -1, NULL, NULL, 0 },
	{ "<sip:example.com>", -1, NULL, NULL, 0 },
	{ "<mailto:1@x>", -1, NULL, NULL, 0 },
	{ "\"unterminated <sip:1@x>", -1, NULL, NULL, 0 },
	{ "<sip:1@x", -1, NULL, NULL, 0 },
	{ "", -1, NULL, NULL, 0 },
	{ ",,,", -1, NULL, NULL, 0 },
};

static void test_pai(void)
{
	char digits[CWC_CALL_NUMBER_MAX], disp[CWC_CALL_NAME_MAX], small[4];
	int intl;

	for (size_t i = 0; i < sizeof(pai_cases) / sizeof(pai_cases[0]); i++) {
		const struct pai_case *c = &pai_cases[i];
		int rc = cwb_pai_parse(c->value, digits, sizeof(digits), &intl, disp, sizeof(disp));
		if (!CHECK_INT(rc, c->rc) ||
		    (rc == 0 && (!CHECK_STR(digits, c->digits) || !CHECK_STR(disp, c->display) ||
		                 !CHECK_INT(intl, c->intl))))
			fprintf(stderr, "  PAI case %zu: %s\n", i, c->value);
	}
	/* the display name is cut to the buffer, the number is refused if it does not fit */
	CHECK_INT(cwb_pai_parse("\"Alexander\" <sip:12@x>", digits, sizeof(digits), &intl, small,
	                        sizeof(small)), 0);
	CHECK_STR(small, "Ale");
	CHECK_INT(cwb_pai_parse("<sip:12345@x>", small, sizeof(small), &intl, disp, sizeof(disp)), -1);
}

/* ---- SIP -> ISDN ---- */

struct from_sip_case {
	const char *what;
	const char *from_display, *from_user, *from_host, *pai, *privacy;
	int trusted;
	/* expected */
	enum cwb_identity_source src;
	const char *digits;
	int ton, presentation, screening;
	const char *name;
};

static const struct from_sip_case from_sip_cases[] = {
	{ "From number, no PAI", "Bob", "0301234", "pbx", NULL, NULL, 0,
	  CWB_ID_FROM, "0301234", 0, 0, 0, "Bob" },
	{ "From E.164", NULL, "+4930555", "pbx", NULL, NULL, 0,
	  CWB_ID_FROM, "4930555", 1, 0, 0, "" },
	{ "trusted PAI wins over From", "Bob", "0301234", "pbx", "\"Alice\" <sip:+4930555@gw>", NULL, 1,
	  CWB_ID_PAI, "4930555", 1, 0, 1, "Alice" },
	{ "trusted PAI without a name: the From's", "Bob", "0301234", "pbx", "<tel:+4930555>", NULL, 1,
	  CWB_ID_PAI, "4930555", 1, 0, 1, "Bob" },
	{ "untrusted PAI is ignored (RFC 3325 §5)", "Bob", "0301234", "pbx", "<sip:+4930555@gw>",
	  NULL, 0, CWB_ID_PAI_IGNORED, "0301234", 0, 0, 0, "Bob" },
	{ "trusted PAI + Privacy: id", "Alice", "anonymous", "anonymous.invalid",
	  "<sip:+4930555@gw>", "id", 1, CWB_ID_PAI, "4930555", 1, 1, 1, "" },
	{ "From number + Privacy: id", "Bob", "0301234", "pbx", NULL, "id", 0,
	  CWB_ID_FROM, "0301234", 0, 1, 0, "" },
	{ "Privacy: user", NULL, "0301234", "pbx", NULL, "user", 0,
	  CWB_ID_FROM, "0301234", 0, 1, 0, "" },
	{ "Privacy: none", "Bob", "0301234", "pbx", NULL, "none", 0,
	  CWB_ID_FROM, "0301234", 0, 0, 0, "Bob" },
	{ "anonymous From, no PAI", "Anonymous", "anonymous", "anonymous.invalid", NULL, NULL, 0,
	  CWB_ID_NONE, "", 0, 1, 0, "" },
	{ "anonymous host only", NULL, "0301234", "anonymous.invalid", NULL, NULL, 0,
	  CWB_ID_NONE, "", 0, 1, 0, "" },
	{ "untrusted PAI, anonymous From", NULL, "anonymous", "anonymous.invalid",
	  "<sip:+4930555@gw>", "id", 0, CWB_ID_PAI_IGNORED, "", 0, 1, 0, "" },
	{ "From not a number", "Alice", "alice", "example.com", NULL, NULL, 0,
	  CWB_ID_NONE, "", 0, 2, 0, "" },
	{ "trusted but PAI not a number: From", "Bob", "0301234", "pbx", "<sip:alice@x>", NULL, 1,
	  CWB_ID_FROM, "0301234", 0, 0, 0, "Bob" },
};

static void test_from_sip(void)
{
	for (size_t i = 0; i < sizeof(from_sip_cases) / sizeof(from_sip_cases[0]); i++) {
		const struct from_sip_case *c = &from_sip_cases[i];
		const char *pai[1] = { c->pai }, *privacy[1] = { c->privacy };
		struct cwb_sip_caller in = { c->from_display, c->from_user, c->from_host,
			                     pai, c->pai ? 1 : 0, privacy, c->privacy ? 1 : 0,
			                     c->trusted };
		struct cwc_call_party p;
		enum cwb_identity_source src;

		memset(&p, 0x55, sizeof(p));
		src = cwb_identity_from_sip(&in, &p);
		if (!CHECK_INT(src, c->src) || !CHECK_STR(p.digits, c->digits) ||
		    !CHECK_INT(p.ton, c->ton) || !CHECK_INT(p.npi, 1) ||
		    !CHECK_INT(p.presentation, c->presentation) ||
		    !CHECK_INT(p.screening, c->screening) || !CHECK_STR(p.name, c->name))
			fprintf(stderr, "  SIP->ISDN case %zu: %s\n", i, c->what);
	}
}

/* ---- ISDN -> SIP ---- */

struct to_sip_case {
	const char *what;
	const char *digits;
	int ton, presentation, screening;
	const char *name;
	int trusted;
	/* expected */
	const char *from_user, *from_display, *pai_user, *pai_display;
	int privacy_id;
};

static const struct to_sip_case to_sip_cases[] = {
	{ "allowed, network provided, trusted", "4930555", 1, 0, 3, "Alice", 1,
	  "+4930555", "Alice", "+4930555", "Alice", 0 },
	{ "allowed, network provided, untrusted", "4930555", 1, 0, 3, "Alice", 0,
	  "+4930555", "Alice", "", "", 0 },
	{ "allowed, verified and passed, trusted", "0301234", 0, 0, 1, "", 1,
	  "0301234", "", "0301234", "", 0 },
	{ "allowed, unscreened, trusted: not asserted", "0301234", 0, 0, 0, "", 1,
	  "0301234", "", "", "", 0 },
	{ "allowed, verified and failed, trusted: not asserted", "0301234", 0, 0, 2, "", 1,
	  "0301234", "", "", "", 0 },
	{ "restricted, network provided, trusted", "4930555", 1, 1, 3, "Alice", 1,
	  "", "", "+4930555", "Alice", 1 },
	{ "restricted, network provided, untrusted", "4930555", 1, 1, 3, "Alice", 0,
	  "", "", "", "", 0 },
	{ "restricted, unscreened, trusted", "4930555", 0, 1, 0, "", 1,
	  "", "", "", "", 0 },
	{ "not available", "", 0, 2, 3, "", 1, "", "", "", "", 0 },
	{ "number absent, allowed", "", 0, 0, 3, "Alice", 1, "", "", "", "", 0 },
};

static void test_to_sip(void)
{
	for (size_t i = 0; i < sizeof(to_sip_cases) / sizeof(to_sip_cases[0]); i++) {
		const struct to_sip_case *c = &to_sip_cases[i];
		struct cwc_call_party p;
		struct cwb_sip_identity o;

		memset(&p, 0, sizeof(p));
		snprintf(p.digits, sizeof(p.digits), "%s", c->digits);
		p.ton = c->ton;
		p.npi = 1;
		p.presentation = c->presentation;
		p.screening = c->screening;
		snprintf(p.name, sizeof(p.name), "%s", c->name);
		cwb_identity_to_sip(&p, c->trusted, &o);
		if (!CHECK_STR(o.from_user, c->from_user) || !CHECK_STR(o.from_display, c->from_display) ||
		    !CHECK_STR(o.pai_user, c->pai_user) || !CHECK_STR(o.pai_display, c->pai_display) ||
		    !CHECK_INT(o.privacy_id, c->privacy_id))
			fprintf(stderr, "  ISDN->SIP case %zu: %s\n", i, c->what);
	}
}

/* Q.951 §3/§4: a 2xx's P-Asserted-Identity and Privacy -> the CONNECT's Connected number. */
static void test_connected_from_sip(void)
{
	const char *pai[] = { "<sip:+4930555@192.0.2.1;user=phone>" },
		   *tel[] = { "\"Bob\" <tel:4930556>" }, *junk[] = { "<sip:bob@example.com>" },
		   *id[] = { "id" }, *none[] = { "none" };
	struct cwc_call_party p;

	CHECK_INT(cwb_connected_from_sip(pai, 1, NULL, 0, 1, &p), 0);
	CHECK_STR(p.digits, "4930555");
	CHECK_INT(p.ton, 1);
	CHECK_INT(p.npi, 1);
	CHECK_INT(p.presentation, 0);
	CHECK_INT(p.screening, 1);
	CHECK_INT(cwb_connected_from_sip(tel, 1, id, 1, 1, &p), 0);
	CHECK_STR(p.digits, "4930556");
	CHECK_INT(p.ton, 0);
	CHECK_INT(p.presentation, 1);
	CHECK_INT(cwb_connected_from_sip(pai, 1, none, 1, 1, &p), 0);
	CHECK_INT(p.presentation, 0);
	/* not inside the trust domain, no number, nothing at all */
	CHECK_INT(cwb_connected_from_sip(pai, 1, id, 1, 0, &p), -1);
	CHECK_STR(p.digits, "");
	CHECK_INT(cwb_connected_from_sip(junk, 1, NULL, 0, 1, &p), -1);
	CHECK_STR(p.digits, "");
	CHECK_INT(cwb_connected_from_sip(NULL, 0, NULL, 0, 1, &p), -1);
}

static void test_display(void)
{
	char out[8];

	cwb_display_clean("  \"A\\\\b\tc\"  ", out, sizeof(out));
	CHECK_STR(out, "A\\b c");
	cwb_display_clean("anonymous", out, sizeof(out));
	CHECK_STR(out, "");
	cwb_display_clean("\x01\x7f\xe2\x82\xac", out, sizeof(out));
	CHECK_STR(out, "?");
	cwb_display_clean(NULL, out, sizeof(out));
	CHECK_STR(out, "");
	cwb_display_clean("Maximilian", out, sizeof(out));
	CHECK_STR(out, "Maximil");
	CHECK_STR(cwb_screening_name(3), "network");
	CHECK_STR(cwb_screening_name(9), "?");
}

int main(void)
{
	test_privacy();
	test_numbers();
	test_pai();
	test_from_sip();
	test_to_sip();
	test_connected_from_sip();
	test_display();
	return check_done();
}
