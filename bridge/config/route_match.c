/* SPDX-License-Identifier: MIT */
/*
 * route_match.c — what a call asks of a loaded configuration: the route
 * of a number, whether a route trusts the node a request came from, admits
 * a source and lets a number through.
 * Nothing here reads or changes the configuration's file.
 */
#include <string.h>

#include "config.h"

const struct cwcfg_route *cwcfg_route_find(const struct cwcfg_config *cfg,
                                                   enum cwcfg_direction dir,
                                                   const char *number)
{
	const struct cwcfg_route *best = NULL;
	size_t i, best_len = 0;

	if (!cfg || !number)
		return NULL;
	for (i = 0; i < cfg->n_routes; i++) {
		const struct cwcfg_route *r = &cfg->routes[i];
		size_t ml = strlen(r->match);
		if (r->direction != dir || strncmp(number, r->match, ml) != 0)
			continue;
		if (!best || ml > best_len) {
			best = r;
			best_len = ml;
		}
	}
	return best;
}

int cwcfg_route_trusts_peer(const struct cwcfg_route *r, const char *ip)
{
	if (!r || !ip)
		return 0;
	/* RFC 4291 §2.5.5.2: an IPv4-mapped address is its IPv4 one (cwp_addr_parse()) */
	return cwp_block_list_match_text(r->trusted_peers, r->n_trusted_peers, ip) >= 0;
}

int cwcfg_route_allows_source(const struct cwcfg_route *r, const struct cwp_addr *src)
{
	if (!r || !src)
		return 0;
	return cwp_block_list_match(r->allow, r->n_allow, src) >= 0;
}

const struct cwp_prefix_rule *cwcfg_route_denies_number(const struct cwcfg_route *r,
                                                            const char *number)
{
	const struct cwp_prefix_rule *rule = NULL;

	if (!r || !number)
		return NULL;
	/* only deny rules are configured: no match is allowed */
	if (cwp_prefix_denied(r->deny, r->n_deny, number, CWP_PREFIX_ALLOW, &rule) != 1)
		return NULL;
	return rule;
}
