/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/prefix.h — destination policy: sets of called-number
 * prefixes (`deny = 00, 0900, +`, optionally `allow = 0049`) and the
 * longest-prefix decision for a called number.
 *
 * Pure: rules live in an array the caller owns; nothing is allocated.
 * The decision names the rule that made it, so the caller can log the
 * prefix and choose its answer (403 Forbidden with cause 21 "call
 * rejected" or 57 "bearer capability not authorized" is the caller's
 * choice, RFC 3398 §8.2.6.1).
 */
#ifndef CWP_PREFIX_H
#define CWP_PREFIX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest prefix, in characters. */
#define CWP_PREFIX_MAX 32

enum cwp_prefix_action {
	CWP_PREFIX_ALLOW = 0,
	CWP_PREFIX_DENY = 1
};

/* One rule: digits (0-9 * #, an optional leading '+') and what it decides. */
struct cwp_prefix_rule {
	char digits[CWP_PREFIX_MAX + 1];   /* NUL-terminated, at least one character */
	unsigned char len;                 /* strlen(digits) */
	unsigned char action;              /* enum cwp_prefix_action */
};

/*
 * cwp_prefix_list_parse() - "PREFIX, PREFIX ..." (commas and/or blanks)
 * appended to rules[*n_inout..cap-1], each with action. A prefix is 1 to
 * CWP_PREFIX_MAX of 0-9 * #, or '+' followed by 0 to CWP_PREFIX_MAX - 1 of
 * them ("+" alone is every number in international '+' form). A prefix
 * already in rules[], with either action, is refused: one prefix, one
 * decision. On failure *n_inout is unchanged and a one-line reason is in
 * err (may be NULL). Returns 0, CWCOM_ESYNTAX, CWCOM_EDUPLICATE, CWCOM_ELIMIT
 * (more than cap), -EINVAL.
 */
int cwp_prefix_list_parse(const char *text, enum cwp_prefix_action action,
                          struct cwp_prefix_rule *rules, size_t cap, size_t *n_inout,
                          char *err, size_t errlen);

/*
 * cwp_prefix_match() - the rule of rules[0..n-1] with the longest prefix
 * of number (compared byte for byte), or NULL when none is one (or number
 * is NULL). The caller applies its default to NULL.
 */
const struct cwp_prefix_rule *cwp_prefix_match(const struct cwp_prefix_rule *rules, size_t n,
                                               const char *number);

/*
 * cwp_prefix_denied() - 1 when the longest matching rule denies number, 0
 * when it allows it, default_action when no rule matches; *ret_rule (may
 * be NULL) gets the rule or NULL.
 */
int cwp_prefix_denied(const struct cwp_prefix_rule *rules, size_t n, const char *number,
                      enum cwp_prefix_action default_action,
                      const struct cwp_prefix_rule **ret_rule);

#ifdef __cplusplus
}
#endif

#endif
