/* SPDX-License-Identifier: MIT */
/*
 * test_redirect.c — the redirecting party between SIP and ISDN (redirect.c):
 * the reason map against tests/vectors/redirect-reasons.vec (argv[1]),
 * Diversion and History-Info parsing, and the headers of an INVITE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tests/unit/check.h"
#include "redirect.h"

static void test_vectors(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256], a[64], b[64];
	int n, m, rows = 0;

	if (!CHECK(f != NULL))
		return;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		rows++;
		if (sscanf(line, "isdn %d -> %63s %d", &n, a, &m) == 3) {
			if (!CHECK_STR(cwb_redirect_diversion_token(n), a) ||
			    !CHECK_INT(cwb_redirect_cause_param(n), m))
				fprintf(stderr, "  vector: %s", line);
		} else if (sscanf(line, "diversion %63s -> %d", a, &n) == 2) {
			if (!CHECK_INT(cwb_redirect_isdn_of_token(a, strlen(a)), n))
				fprintf(stderr, "  vector: %s", line);
		} else if (sscanf(line, "cause %d -> %d", &m, &n) == 2) {
			if (!CHECK_INT(cwb_redirect_isdn_of_cause(m), n))
				fprintf(stderr, "  vector: %s", line);
		} else {
			fprintf(stderr, "%s: bad vector: %s", path, line);
			CHECK(0);
		}
		(void)b;
	}
	fclose(f);
	CHECK(rows >= 30);
}

static void test_diversion(void)
{
	struct cwb_redirecting r;
	const char *one[] = { "<sip:+4930123@gw.example;user=phone>;reason=user-busy;counter=1" };
	const char *two[] = { "\"Bob\" <sip:4930200@a.example>;reason=\"no-answer\";counter=2;"
		              "privacy=full, <tel:+4940111>;reason=unconditional",
		              "<sip:555@b.example>;counter=3" };
	const char *anon[] = { "<sip:anonymous@anonymous.invalid>;reason=deflection;privacy=full" };
	const char *bad[] = { "sip:4930@x;reason=user-busy", "", "<sip:1@x", ",,," };
	const char *big[] = { "<sip:1@x>;counter=99,<sip:2@x>;counter=00" };

	CHECK_INT(cwb_diversion_parse(one, 1, &r), 0);
	CHECK_INT(r.present, 1);
	CHECK_STR(r.digits, "4930123");
	CHECK_INT(r.ton, 1);
	CHECK_INT(r.reason, 1);
	CHECK_INT(r.count, 1);
	CHECK_INT(r.presentation, 0);

	/* the first entry is the last diversion; the counters add up */
	CHECK_INT(cwb_diversion_parse(two, 2, &r), 0);
	CHECK_STR(r.digits, "4930200");
	CHECK_INT(r.ton, 0);
	CHECK_INT(r.reason, 2);
	CHECK_INT(r.presentation, 1);
	CHECK_INT(r.count, 6);

	CHECK_INT(cwb_diversion_parse(anon, 1, &r), 0);
	CHECK_STR(r.digits, "");
	CHECK_INT(r.presentation, 2);
	CHECK_INT(r.reason, 3);

	CHECK_INT(cwb_diversion_parse(bad, 4, &r), -1);
	CHECK_INT(r.present, 0);
	CHECK_INT(cwb_diversion_parse(NULL, 0, &r), -1);
	CHECK_INT(cwb_diversion_parse(big, 1, &r), 0);
	CHECK_INT(r.count, CWB_REDIRECT_COUNT_MAX);
}

static void test_history_info(void)
{
	struct cwb_redirecting r;
	const char *rfc[] = { "<sip:4930200@a.example;user=phone>;index=1",
		              "<sip:4930300@a.example;user=phone;cause=486>;index=1.1;mp=1" };
	const char *two[] = { "<sip:100@x>;index=1,<sip:200@x;cause=302>;index=1.1;mp=1,"
		              "<sip:300@x?Reason=SIP%3Bcause%3D408>;index=1.1.1;rc=1.1,"
		              "<sip:400@x;cause=408>;index=1.1.1.1;mp=1.1" };
	const char *priv[] = { "<sip:+4930200@a;user=phone?Privacy=history>;index=1,"
		               "<sip:4930300@a;cause=302>;index=1.1;mp=1" };
	const char *none[] = { "<sip:4930200@a>;index=1,<sip:4930300@a>;index=1.1;rc=1" };
	const char *first[] = { "<sip:4930300@a;cause=487>;index=1" };

	CHECK_INT(cwb_history_info_parse(rfc, 2, &r), 0);
	CHECK_STR(r.digits, "4930200");
	CHECK_INT(r.reason, 1);
	CHECK_INT(r.count, 1);
	CHECK_INT(r.presentation, 0);

	/* mp= names the entry retargeted from, not the one just before */
	CHECK_INT(cwb_history_info_parse(two, 1, &r), 0);
	CHECK_STR(r.digits, "200");
	CHECK_INT(r.reason, 2);
	CHECK_INT(r.count, 2);

	CHECK_INT(cwb_history_info_parse(priv, 1, &r), 0);
	CHECK_STR(r.digits, "4930200");
	CHECK_INT(r.ton, 1);
	CHECK_INT(r.presentation, 1);
	CHECK_INT(r.reason, 15);

	CHECK_INT(cwb_history_info_parse(none, 1, &r), -1);
	CHECK_INT(cwb_history_info_parse(first, 1, &r), 0);
	CHECK_INT(r.presentation, 2);
	CHECK_INT(r.reason, 3);
}

static void test_to_sip(void)
{
	struct cwb_redirecting r = { 1, "4930200", 0, 1, 0, 15, 2 };
	char out[1024] = "X: y\r\n", tiny[40] = "";

	CHECK_INT(cwb_redirect_to_sip(&r, CWB_REDIRECT_DIVERSION | CWB_REDIRECT_HISTORY_INFO, 0,
	                              "4930300", "gw.example", out, sizeof(out)), 0);
	CHECK_STR(out, "X: y\r\n"
	               "Diversion: <sip:4930200@gw.example;user=phone>;reason=unconditional;counter=2\r\n"
	               "History-Info: <sip:4930200@gw.example;user=phone>;index=1,"
	               "<sip:4930300@gw.example;user=phone;cause=302>;index=1.1;mp=1\r\n");

	/* restricted: hidden from an untrusted peer, marked for a trusted one */
	r.presentation = 1;
	r.reason = 1;
	r.ton = 1;
	out[0] = '\0';
	CHECK_INT(cwb_redirect_to_sip(&r, CWB_REDIRECT_DIVERSION, 0, "1", "h", out, sizeof(out)), 0);
	CHECK_STR(out, "Diversion: <sip:anonymous@anonymous.invalid>;reason=user-busy;counter=2;"
	               "privacy=full\r\n");
	out[0] = '\0';
	CHECK_INT(cwb_redirect_to_sip(&r, CWB_REDIRECT_DIVERSION | CWB_REDIRECT_HISTORY_INFO, 1,
	                              "1", "h", out, sizeof(out)), 0);
	CHECK_STR(out, "Diversion: <sip:+4930200@h;user=phone>;reason=user-busy;counter=2;privacy=full\r\n"
	               "History-Info: <sip:+4930200@h;user=phone?Privacy=history>;index=1,"
	               "<sip:1@h;user=phone;cause=486>;index=1.1;mp=1\r\n");

	/* none asked, none present, no room */
	out[0] = '\0';
	CHECK_INT(cwb_redirect_to_sip(&r, 0, 1, "1", "h", out, sizeof(out)), 0);
	CHECK_STR(out, "");
	CHECK_INT(cwb_redirect_to_sip(&r, CWB_REDIRECT_DIVERSION, 1, "1", "h", tiny, sizeof(tiny)), -1);
	CHECK_STR(tiny, "");
	{
		char host[200], called[40];

		memset(host, 'h', sizeof(host) - 1);
		host[sizeof(host) - 1] = '\0';
		memset(called, '1', sizeof(called) - 1);
		called[sizeof(called) - 1] = '\0';
		CHECK_INT(cwb_redirect_to_sip(&r, CWB_REDIRECT_DIVERSION, 1, "1", host, out, sizeof(out)),
		          -1);
		CHECK_INT(cwb_redirect_to_sip(&r, CWB_REDIRECT_HISTORY_INFO, 1, called, "h", out,
		                              sizeof(out)), -1);
		CHECK_STR(out, "");
	}
	r.present = 0;
	CHECK_INT(cwb_redirect_to_sip(&r, CWB_REDIRECT_DIVERSION, 1, "1", "h", out, sizeof(out)), 0);
	CHECK_STR(out, "");
}

/* What goes to SIP comes back as it left (the reasons that are sent both ways). */
static void test_round_trip(void)
{
	static const int sent[] = { 0, 1, 2, 3, 9, 15 };

	for (size_t i = 0; i < sizeof(sent) / sizeof(sent[0]); i++) {
		struct cwb_redirecting r = { 1, "4930200", 0, 1, 0, sent[i], 3 }, back;
		char out[512] = "", *hi, *v[1];

		CHECK_INT(cwb_redirect_to_sip(&r, CWB_REDIRECT_DIVERSION | CWB_REDIRECT_HISTORY_INFO, 1,
		                              "4930300", "h", out, sizeof(out)), 0);
		hi = strstr(out, "\r\nHistory-Info: ");
		if (!CHECK(hi != NULL))
			continue;
		*hi = '\0';
		v[0] = out + strlen("Diversion: ");
		CHECK_INT(cwb_diversion_parse((const char *const *)v, 1, &back), 0);
		CHECK_INT(back.reason, sent[i]);
		CHECK_INT(back.count, 3);
		CHECK_STR(back.digits, "4930200");
		v[0] = hi + strlen("\r\nHistory-Info: ");
		v[0][strlen(v[0]) - 2] = '\0';
		CHECK_INT(cwb_history_info_parse((const char *const *)v, 1, &back), 0);
		CHECK_INT(back.reason, sent[i]);
		CHECK_STR(back.digits, "4930200");
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test-bridge-daemon-redirect redirect-reasons.vec\n");
		return 2;
	}
	test_vectors(argv[1]);
	test_diversion();
	test_history_info();
	test_to_sip();
	test_round_trip();
	return check_done();
}
