/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/prefix.c — destination prefix rules (prefix.h).
 */
#include <errno.h>
#include <string.h>

#include <causeway/common.h>

#include "common/error.h"
#include "list.h"
#include "prefix.h"

/* The characters of a called party number, Q.931 §4.5.8 (IA5 digits, * and #). */
static int is_number_char(char c)
{
	return (c >= '0' && c <= '9') || c == '*' || c == '#';
}

static int valid_prefix(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0 || len > CWP_PREFIX_MAX)
		return 0;
	if (s[0] == '+')
		i = 1; /* E.164 international form, RFC 3966 §5.1.4 */
	for (; i < len; i++)
		if (!is_number_char(s[i]))
			return 0;
	return 1;
}

int cwp_prefix_list_parse(const char *text, enum cwp_prefix_action action,
                          struct cwp_prefix_rule *rules, size_t cap, size_t *n_inout,
                          char *err, size_t errlen)
{
	char item[CWP_ITEM_MAX + 1];
	const char *cursor = text;
	size_t n, i, first, len;
	int rc;

	if (!text || !n_inout || (!rules && cap) || *n_inout > cap ||
	    (action != CWP_PREFIX_ALLOW && action != CWP_PREFIX_DENY))
		return cwp_error(err, errlen, -EINVAL, "no list");
	first = n = *n_inout;
	while ((rc = cwp_list_next(&cursor, item)) != 0) {
		len = strlen(item);
		if (rc < 0 || !valid_prefix(item, len))
			return cwp_error(err, errlen, CWCOM_ESYNTAX,
			                 "'%s%s' is not a number prefix (1-%d of 0-9 * #, '+' first)",
			                 item, rc < 0 ? "..." : "", CWP_PREFIX_MAX);
		for (i = 0; i < n; i++)
			if (rules[i].len == len && memcmp(rules[i].digits, item, len) == 0)
				return cwp_error(err, errlen, CWCOM_EDUPLICATE, "'%s' is listed twice", item);
		if (n == cap)
			return cwp_error(err, errlen, CWCOM_ELIMIT, "more than %zu prefixes", cap);
		memcpy(rules[n].digits, item, len + 1);
		rules[n].len = (unsigned char)len;
		rules[n].action = (unsigned char)action;
		n++;
	}
	if (n == first)
		return cwp_error(err, errlen, CWCOM_ESYNTAX, "no prefix");
	*n_inout = n;
	return 0;
}

const struct cwp_prefix_rule *cwp_prefix_match(const struct cwp_prefix_rule *rules, size_t n,
                                               const char *number)
{
	const struct cwp_prefix_rule *best = NULL;
	size_t i;

	if (!rules || !number)
		return NULL;
	for (i = 0; i < n; i++)
		if ((!best || rules[i].len > best->len) &&
		    strncmp(number, rules[i].digits, rules[i].len) == 0)
			best = &rules[i];
	return best;
}

int cwp_prefix_denied(const struct cwp_prefix_rule *rules, size_t n, const char *number,
                      enum cwp_prefix_action default_action,
                      const struct cwp_prefix_rule **ret_rule)
{
	const struct cwp_prefix_rule *r = cwp_prefix_match(rules, n, number);

	if (ret_rule)
		*ret_rule = r;
	if (!r)
		return default_action == CWP_PREFIX_DENY;
	return r->action == CWP_PREFIX_DENY;
}
