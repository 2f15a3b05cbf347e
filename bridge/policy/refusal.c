/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/refusal.c — the refusal log line (refusal.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <causeway/common.h>

#include "refusal.h"

/* RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
static int is_token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-.!%*_+`'~", c));
}

static int is_number_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("*#+.-", c));
}

/* text cut to CWP_REFUSAL_FIELD_MAX, every byte not allowed as '?'. */
static void sanitize(const char *text, int (*allowed)(char), char out[CWP_REFUSAL_FIELD_MAX + 1])
{
	size_t i;

	for (i = 0; text[i] && i < CWP_REFUSAL_FIELD_MAX; i++)
		out[i] = allowed(text[i]) ? text[i] : '?';
	out[i] = '\0';
}

static int valid_transport(const char *t)
{
	size_t i;

	for (i = 0; t[i]; i++)
		if (t[i] < 'a' || t[i] > 'z' || i >= 8)
			return 0;
	return i > 0;
}

int cwp_refusal_format(const struct cwp_refusal *r, char *buf, size_t len)
{
	char from[CWP_ADDR_TEXT_MAX], method[CWP_REFUSAL_FIELD_MAX + 1];
	char to[CWP_REFUSAL_FIELD_MAX + 1], prefix[CWP_REFUSAL_FIELD_MAX + 1];
	const char *reason;
	int n;

	if (!r || !buf || !r->from || !r->transport || r->verdict == CWP_ADMIT ||
	    !(reason = cwp_verdict_name(r->verdict)) || !valid_transport(r->transport))
		return -EINVAL;
	if (cwp_addr_format(r->from, from, sizeof(from)) < 0)
		return -EINVAL;
	sanitize(r->method ? r->method : "-", is_token_char, method);
	if (r->to)
		sanitize(r->to, is_number_char, to);
	if (r->prefix)
		sanitize(r->prefix, is_number_char, prefix);
	n = snprintf(buf, len, "refused from=%s transport=%s reason=%s method=%s%s%s%s%s", from,
	             r->transport, reason, method, r->to ? " to=" : "", r->to ? to : "",
	             r->prefix ? " prefix=" : "", r->prefix ? prefix : "");
	if (n >= 0 && (size_t)n < len && r->block_ms && r->verdict == CWP_REFUSED_BLOCKED)
		n += snprintf(buf + n, len - (size_t)n, " block_ms=%" PRIu64, r->block_ms);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return n;
}
