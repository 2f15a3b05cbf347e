/* SPDX-License-Identifier: MIT */
/*
 * fuzz_policy_addr.c — libFuzzer target for the list parsers of
 * bridge/policy: address blocks (addr.h) and number prefixes (prefix.h),
 * and for the refusal line (refusal.h) with the input as its sender-chosen
 * fields.
 *
 * The input (up to its first NUL) is parsed as a block list and as a
 * prefix list, with small capacities so the "full" paths run, and as one
 * address. Every result is checked against the headers' contracts: counts
 * unchanged on failure; each block formats and parses back to itself and
 * contains its own network address, which the list matches with a block
 * at least as long; each prefix is valid and is its own longest match;
 * an address formats and parses back to itself; the refusal line holds
 * exactly one from= and one reason=. Any violation calls abort().
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/common.h>

#include "common/error.h"
#include "addr.h"
#include "prefix.h"
#include "refusal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BLOCKS_CAP 8
#define RULES_CAP 8

static void require(int condition)
{
	if (!condition)
		abort();
}

static void check_blocks(const char *text)
{
	struct cwp_block blocks[BLOCKS_CAP], again;
	char err[CWP_ERROR_MAX], out[CWP_ADDR_TEXT_MAX + 4];
	size_t n = 0, i;
	int rc = cwp_block_list_parse(text, blocks, BLOCKS_CAP, &n, err, sizeof(err));

	if (rc < 0) {
		require(n == 0);
		require(rc == CWCOM_ESYNTAX || rc == -ERANGE || rc == CWCOM_EDUPLICATE || rc == CWCOM_ELIMIT);
		require(memchr(err, '\0', sizeof(err)) != NULL && err[0] != '\0');
		return;
	}
	require(rc == 0 && n >= 1 && n <= BLOCKS_CAP);
	for (i = 0; i < n; i++) {
		const struct cwp_block *b = &blocks[i];
		long m;

		require(b->net.family == AF_INET || b->net.family == AF_INET6);
		require(b->len <= (b->net.family == AF_INET ? 32 : 128));
		require(b->net.port == 0);
		require(cwp_block_format(b, out, sizeof(out)) > 0);
		require(cwp_block_parse(out, &again, NULL, 0) == 0);
		require(again.len == b->len && cwp_addr_equal(&again.net, &b->net, 1));
		require(cwp_block_contains(b, &b->net));
		m = cwp_block_list_match(blocks, n, &b->net);
		require(m >= 0 && (size_t)m < n && blocks[m].len >= b->len);
	}
}

static void check_prefixes(const char *text)
{
	struct cwp_prefix_rule rules[RULES_CAP];
	const struct cwp_prefix_rule *r;
	size_t n = 0, i, j;
	int rc = cwp_prefix_list_parse(text, CWP_PREFIX_DENY, rules, RULES_CAP, &n, NULL, 0);

	if (rc < 0) {
		require(n == 0);
		require(rc == CWCOM_ESYNTAX || rc == CWCOM_EDUPLICATE || rc == CWCOM_ELIMIT);
		return;
	}
	require(rc == 0 && n >= 1 && n <= RULES_CAP);
	for (i = 0; i < n; i++) {
		require(rules[i].len >= 1 && rules[i].len <= CWP_PREFIX_MAX);
		require(strlen(rules[i].digits) == rules[i].len);
		for (j = 0; j < rules[i].len; j++)
			require(strchr("0123456789*#", rules[i].digits[j]) ||
			        (j == 0 && rules[i].digits[j] == '+'));
		r = cwp_prefix_match(rules, n, rules[i].digits);
		require(r == &rules[i]);
		require(cwp_prefix_denied(rules, n, rules[i].digits, CWP_PREFIX_ALLOW, NULL) == 1);
	}
}

static size_t count(const char *haystack, const char *needle)
{
	size_t k = 0;

	while ((haystack = strstr(haystack, needle)) != NULL) {
		k++;
		haystack++;
	}
	return k;
}

static void check_address(const char *text)
{
	char out[CWP_ADDR_TEXT_MAX], line[CWP_REFUSAL_LINE_MAX];
	struct cwp_addr a, again;
	struct cwp_refusal r;

	if (cwp_addr_parse(text, &a) == 0) {
		require(cwp_addr_format(&a, out, sizeof(out)) > 0);
		require(cwp_addr_parse(out, &again) == 0 && cwp_addr_equal(&a, &again, 1));
	} else {
		require(cwp_addr_parse("192.0.2.1", &a) == 0);
	}
	a.port = 5060;
	r = (struct cwp_refusal){ CWP_REFUSED_DESTINATION, &a, "udp", text, text, text, 0 };
	require(cwp_refusal_format(&r, line, sizeof(line)) > 0);
	require(count(line, "from=") == 1 && count(line, "reason=") == 1);
	require(strchr(line, '\n') == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check_blocks(text);
	check_prefixes(text);
	check_address(text);
	free(text);
	return 0;
}
