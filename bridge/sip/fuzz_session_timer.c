/* SPDX-License-Identifier: MIT */
/*
 * fuzz_session_timer.c — libFuzzer target for the RFC 4028 values of
 * session_timer.c. The input (cut at its first NUL) is read as a
 * Session-Expires value, a Min-SE value and an option-tag list; what parses
 * is negotiated as UAS and as UAC under three policies. Held to the
 * contract of session_timer.h: a UAS answer is 422 with the bridge's
 * Min-SE, or an interval never below either Min-SE (0 only without one in
 * the request and none asked for); a refresher of uac, uas or the bridge's
 * own choice; the header lines fit and their Session-Expires parses back to
 * the interval. Any violation calls abort().
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "session_timer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int condition)
{
	if (!condition)
		abort();
}

/* The Session-Expires value of the first such line in lines, parsed. */
static void check_lines(const char *lines, unsigned interval)
{
	const char *p = strstr(lines, "Session-Expires: ");
	unsigned se;
	enum cws_refresher r;
	char v[64];
	size_t n;

	if (!interval) {
		require(p == NULL);
		return;
	}
	require(p != NULL);
	p += strlen("Session-Expires: ");
	n = strcspn(p, "\r");
	require(n < sizeof(v));
	memcpy(v, p, n);
	v[n] = '\0';
	require(cws_session_expires_parse(v, &se, &r) == 0 && se == interval &&
	        r != CWS_REFRESHER_NONE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cws_session_policy pols[] = {
		{ 1800, 90, CWS_SESSION_PREF_BRIDGE },
		{ 0, 90, CWS_SESSION_PREF_PEER },
		{ 86400, 86400, CWS_SESSION_PREF_PEER },
	};
	struct cws_session_headers h;
	struct cws_session_answer ans;
	char *text, lines[256];
	int r;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&h, 0, sizeof(h));
	r = cws_session_expires_parse(text, &h.se, &h.refresher);
	require(r == 0 || r == -EINVAL);
	if (r == 0)
		require(h.se <= CWS_SESSION_EXPIRES_MAX);
	else
		memset(&h, 0, sizeof(h));
	r = cws_min_se_parse(text, &h.min_se);
	require(r == 0 || r == -EINVAL);
	if (r != 0)
		h.min_se = 0;
	h.supported = cws_option_tag_listed(text, "timer");
	h.required = cws_option_tags_only(text, "timer");
	for (size_t i = 0; i < sizeof(pols) / sizeof(pols[0]); i++) {
		const struct cws_session_policy *pol = &pols[i];

		require(cws_session_uas(pol, &h, &ans) == 0);
		require(cws_session_lines(&ans, 1, lines, sizeof(lines)) == 0);
		if (ans.status == 422) {
			require(h.se && h.se < pol->min_se && ans.min_se == pol->min_se);
			continue;
		}
		require(ans.status == 0);
		if (ans.interval) {
			require(ans.interval >= pol->min_se && ans.interval >= h.min_se);
			require(ans.refresher == CWS_REFRESHER_UAC || ans.refresher == CWS_REFRESHER_UAS);
			require(ans.local_refresher == (ans.refresher == CWS_REFRESHER_UAS));
		} else {
			require(!h.se && !pol->session_expires);
		}
		check_lines(lines, ans.interval);
		r = cws_session_uac_offer(pol, h.min_se, lines, sizeof(lines));
		require(r >= 0);
		check_lines(lines, (unsigned)r);
		require(cws_session_uac_answer((unsigned)r, &h, &ans) == 0);
		require(ans.interval == (h.se ? h.se : (unsigned)r));
		require(cws_session_lines(&ans, 0, lines, sizeof(lines)) == 0);
		check_lines(lines, ans.interval);
	}
	free(text);
	return 0;
}
