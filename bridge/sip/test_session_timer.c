/* SPDX-License-Identifier: MIT */
/*
 * test_session_timer.c — sip-session-timer: the RFC 4028 header values and
 * the negotiation as UAS (§9) and UAC (§7.1, §7.2, §7.4) of session_timer.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "session_timer.h"

static int failures;

#define CHECK(c) check((c), #c, __LINE__)
#define CHECK_INT(a, b) check_int((long)(a), (long)(b), #a, __LINE__)
#define CHECK_STR(a, b) check_str((a), (b), #a, __LINE__)

static void check(int ok, const char *what, int line)
{
	if (!ok) {
		fprintf(stderr, "line %d: %s\n", line, what);
		failures++;
	}
}

static void check_int(long got, long want, const char *what, int line)
{
	if (got != want) {
		fprintf(stderr, "line %d: %s = %ld, want %ld\n", line, what, got, want);
		failures++;
	}
}

static void check_str(const char *got, const char *want, const char *what, int line)
{
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "line %d: %s = \"%s\", want \"%s\"\n", line, what, got, want);
		failures++;
	}
}

static void test_tags(void)
{
	CHECK(cws_option_tag_listed("timer", "timer"));
	CHECK(cws_option_tag_listed("100rel, Timer ,replaces", "timer"));
	CHECK(!cws_option_tag_listed("timers, 100rel", "timer"));
	CHECK(!cws_option_tag_listed("", "timer"));
	CHECK(!cws_option_tag_listed(NULL, "timer"));
	CHECK(cws_option_tag_listed("INVITE, ACK, UPDATE", "UPDATE"));
	CHECK(!cws_option_tag_listed("INVITE,ACK,BYE", "UPDATE"));
	CHECK(cws_option_tags_only("timer", "timer"));
	CHECK(cws_option_tags_only(" timer , timer", "timer"));
	CHECK(!cws_option_tags_only("timer, 100rel", "timer"));
	CHECK(!cws_option_tags_only(NULL, "timer"));
}

static void test_parse(void)
{
	enum cws_refresher r;
	unsigned se, min;

	CHECK_INT(cws_session_expires_parse("1800", &se, &r), 0);
	CHECK_INT(se, 1800);
	CHECK_INT(r, CWS_REFRESHER_NONE);
	CHECK_INT(cws_session_expires_parse(" 90 ;refresher=uac", &se, &r), 0);
	CHECK_INT(se, 90);
	CHECK_INT(r, CWS_REFRESHER_UAC);
	CHECK_INT(cws_session_expires_parse("4000;x=1; REFRESHER = UAS", &se, &r), 0);
	CHECK_INT(se, 4000);
	CHECK_INT(r, CWS_REFRESHER_UAS);
	CHECK_INT(cws_session_expires_parse("99999999999", &se, &r), 0);
	CHECK_INT(se, CWS_SESSION_EXPIRES_MAX);
	CHECK_INT(cws_session_expires_parse("90;refresher=both", &se, &r), -EINVAL);
	CHECK_INT(cws_session_expires_parse("abc", &se, &r), -EINVAL);
	CHECK_INT(cws_session_expires_parse("", &se, &r), -EINVAL);
	CHECK_INT(cws_session_expires_parse("90 junk", &se, &r), -EINVAL);
	CHECK_INT(cws_session_expires_parse("90;", &se, &r), -EINVAL);
	CHECK_INT(cws_min_se_parse("120", &min), 0);
	CHECK_INT(min, 120);
	CHECK_INT(cws_min_se_parse("120;lr", &min), 0);
	CHECK_INT(cws_min_se_parse("-5", &min), -EINVAL);
}

static const struct cws_session_policy pol_bridge = { 1800, 90, CWS_SESSION_PREF_BRIDGE };
static const struct cws_session_policy pol_peer = { 1800, 120, CWS_SESSION_PREF_PEER };
static const struct cws_session_policy pol_off = { 0, 90, CWS_SESSION_PREF_BRIDGE };

static void test_uas(void)
{
	struct cws_session_headers h;
	struct cws_session_answer a;
	char buf[256];

	/* §9: a request with Session-Expires 90 and refresher=uac: kept, the peer refreshes */
	memset(&h, 0, sizeof(h));
	h.supported = 1;
	h.se = 90;
	h.refresher = CWS_REFRESHER_UAC;
	CHECK_INT(cws_session_uas(&pol_bridge, &h, &a), 0);
	CHECK_INT(a.status, 0);
	CHECK_INT(a.interval, 90);
	CHECK_INT(a.local_refresher, 0);
	CHECK_INT(cws_session_lines(&a, 1, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "Session-Expires: 90;refresher=uac\r\nRequire: timer\r\nSupported: timer\r\n");

	/* §9: below the bridge's Min-SE: 422 with it */
	h.se = 100;
	CHECK_INT(cws_session_uas(&pol_peer, &h, &a), 0);
	CHECK_INT(a.status, 422);
	CHECK_INT(a.min_se, 120);
	CHECK_INT(cws_session_lines(&a, 1, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "Min-SE: 120\r\n");

	/* §9: lowered to the bridge's interval, never below the request's Min-SE */
	h.se = 7200;
	h.min_se = 3600;
	h.refresher = CWS_REFRESHER_NONE;
	CHECK_INT(cws_session_uas(&pol_bridge, &h, &a), 0);
	CHECK_INT(a.interval, 3600);
	CHECK_INT(a.local_refresher, 1); /* the bridge's choice: itself */
	CHECK_INT(cws_session_uas(&pol_peer, &h, &a), 0);
	CHECK_INT(a.local_refresher, 0);
	CHECK_INT(a.refresher, CWS_REFRESHER_UAC);
	h.min_se = 0;
	CHECK_INT(cws_session_uas(&pol_bridge, &h, &a), 0);
	CHECK_INT(a.interval, 1800);

	/* §9: the UAC does not support timer (a proxy added Session-Expires): uas refreshes,
	   no Require */
	memset(&h, 0, sizeof(h));
	h.se = 600;
	CHECK_INT(cws_session_uas(&pol_peer, &h, &a), 0);
	CHECK_INT(a.interval, 600);
	CHECK_INT(a.local_refresher, 1);
	CHECK_INT(a.require, 0);
	CHECK_INT(cws_session_lines(&a, 1, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "Session-Expires: 600;refresher=uas\r\nSupported: timer\r\n");

	/* §9: no Session-Expires at all: the bridge asks for its own, and refreshes */
	memset(&h, 0, sizeof(h));
	CHECK_INT(cws_session_uas(&pol_peer, &h, &a), 0);
	CHECK_INT(a.interval, 1800);
	CHECK_INT(a.local_refresher, 1);
	h.min_se = 2000;
	h.supported = 1;
	CHECK_INT(cws_session_uas(&pol_bridge, &h, &a), 0);
	CHECK_INT(a.interval, 2000);
	CHECK_INT(a.require, 1);

	/* session_expires = 0: nothing of its own, but a request's interval is answered */
	memset(&h, 0, sizeof(h));
	h.supported = 1;
	CHECK_INT(cws_session_uas(&pol_off, &h, &a), 0);
	CHECK_INT(a.interval, 0);
	CHECK_INT(cws_session_lines(&a, 1, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "");
	h.se = 300;
	CHECK_INT(cws_session_uas(&pol_off, &h, &a), 0);
	CHECK_INT(a.interval, 300);

	/* a policy below the RFC floor is refused */
	{
		struct cws_session_policy bad = { 60, 30, CWS_SESSION_PREF_BRIDGE };
		CHECK_INT(cws_session_uas(&bad, &h, &a), -EINVAL);
	}
}

static void test_uac(void)
{
	struct cws_session_headers h;
	struct cws_session_answer a;
	char buf[256];

	/* §7.1 */
	CHECK_INT(cws_session_uac_offer(&pol_bridge, 0, buf, sizeof(buf)), 1800);
	CHECK_STR(buf, "Supported: timer\r\nSession-Expires: 1800;refresher=uac\r\nMin-SE: 90\r\n");
	CHECK_INT(cws_session_uac_offer(&pol_off, 0, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "Supported: timer\r\n");
	/* §7.4: the retry after a 422 asks for at least its Min-SE */
	CHECK_INT(cws_session_uac_offer(&pol_peer, 3600, buf, sizeof(buf)), 3600);
	CHECK_STR(buf, "Supported: timer\r\nSession-Expires: 3600;refresher=uas\r\nMin-SE: 3600\r\n");
	CHECK_INT(cws_session_uac_offer(&pol_bridge, 0, buf, 20), -ENOSPC);

	/* §7.2: the 2xx decides */
	memset(&h, 0, sizeof(h));
	h.required = 1;
	h.se = 900;
	h.refresher = CWS_REFRESHER_UAS;
	CHECK_INT(cws_session_uac_answer(1800, &h, &a), 0);
	CHECK_INT(a.interval, 900);
	CHECK_INT(a.local_refresher, 0);
	h.refresher = CWS_REFRESHER_UAC;
	CHECK_INT(cws_session_uac_answer(1800, &h, &a), 0);
	CHECK_INT(a.local_refresher, 1);
	CHECK_INT(cws_session_lines(&a, 0, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "Session-Expires: 900;refresher=uac\r\nSupported: timer\r\n");
	/* refresher=uas without Require: timer: the peer does not do timers */
	h.required = 0;
	h.refresher = CWS_REFRESHER_UAS;
	CHECK_INT(cws_session_uac_answer(1800, &h, &a), 0);
	CHECK_INT(a.local_refresher, 1);
	/* no Session-Expires: the bridge refreshes at its own interval */
	memset(&h, 0, sizeof(h));
	CHECK_INT(cws_session_uac_answer(1800, &h, &a), 0);
	CHECK_INT(a.interval, 1800);
	CHECK_INT(a.local_refresher, 1);
	CHECK_INT(cws_session_uac_answer(0, &h, &a), 0);
	CHECK_INT(a.interval, 0);
}

int main(void)
{
	test_tags();
	test_parse();
	test_uas();
	test_uac();
	if (failures)
		fprintf(stderr, "%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
