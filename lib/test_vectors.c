/* SPDX-License-Identifier: MIT */
/*
 * test_vectors.c — run the data-driven mapping vectors (tests/vectors/ files):
 * every row of both RFC 3398 tables, the RFC 4497 differences, Reason
 * precedence and the compat profiles. Usage: test-vectors FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/causeway.h>

#include "../tests/unit/check.h"

#define MAX_FIELDS 5

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int split(char *line, char **fields)
{
	int n = 0;
	char *p = line, *bar;

	while (n < MAX_FIELDS) {
		bar = strstr(p, " | ");
		if (bar)
			*bar = '\0';
		fields[n++] = trim(p);
		if (!bar)
			break;
		p = bar + 3;
	}
	return n;
}

static const cw_profile *profile_named(const char *where, const char *name)
{
	const cw_profile *p = NULL;

	if (cw_profile_get(name, &p) != 0) {
		fprintf(stderr, "%s: unknown profile %s\n", where, name);
		exit(2);
	}
	return p;
}

static void run_cause2sip(const char *where, const cw_profile *p, char *input, const char *expected)
{
	char *tok, *save = NULL, got[64];
	int cause = atoi(strtok_r(input, " ", &save)), location = CW_LOCATION_UNKNOWN, diag = 0;
	cw_sip_result r;

	while ((tok = strtok_r(NULL, " ", &save))) {
		if (!strncmp(tok, "location=", 9)) {
			if (cw_location_from_name(tok + 9, strlen(tok + 9), &location) != 0) {
				fprintf(stderr, "%s: bad location %s\n", where, tok);
				exit(2);
			}
		} else if (!strcmp(tok, "diagnostic")) {
			diag = 1;
		} else {
			fprintf(stderr, "%s: bad input word %s\n", where, tok);
			exit(2);
		}
	}
	if (!check_one(cw_map_cause_to_sip(p, cause, location, diag, &r) == 0, where, __FILE__,
	               __LINE__))
		return;
	snprintf(got, sizeof(got), "%d %s", r.status, cw_c2s_action_name(r.action));
	check_str(got, expected, where, __FILE__, __LINE__);
	check_one(r.rule && r.rule->clause && r.rule->clause[0], "rule with a clause", __FILE__, __LINE__);
}

static void run_sip2cause(const char *where, const cw_profile *p, char *input, const char *reason,
                          const char *expected)
{
	cw_reason values[16];
	char text[1024], got[64], *save = NULL, *tok = strtok_r(input, " ", &save);
	cw_reason_list list;
	cw_sip_query q = { CW_SIP_RESPONSE, 0, 0, NULL };
	cw_cause_result r;

	if (!strcmp(tok, "BYE"))
		q.event = CW_SIP_BYE;
	else if (!strcmp(tok, "CANCEL"))
		q.event = CW_SIP_CANCEL;
	else
		q.status = atoi(tok);
	while ((tok = strtok_r(NULL, " ", &save))) {
		if (!strncmp(tok, "warning=", 8)) {
			q.warning = atoi(tok + 8);
		} else {
			fprintf(stderr, "%s: bad input word %s\n", where, tok);
			exit(2);
		}
	}
	if (strcmp(reason, "-")) {
		cw_reason_list_init(&list, values, 16, text, sizeof(text));
		if (cw_reason_list_parse(&list, reason, strlen(reason)) != 0) {
			fprintf(stderr, "%s: Reason not parsed\n", where);
			exit(2);
		}
		q.reasons = &list;
	}
	if (!check_one(cw_map_sip_to_cause(p, &q, &r) == 0, where, __FILE__, __LINE__))
		return;
	if (r.action == CW_S2C_NONE)
		snprintf(got, sizeof(got), "none none %s", cw_location_name(r.location));
	else
		snprintf(got, sizeof(got), "%d %s %s", r.cause, cw_s2c_action_name(r.action),
		         cw_location_name(r.location));
	check_str(got, expected, where, __FILE__, __LINE__);
	check_one(r.rule && r.location_rule, "rule and location rule", __FILE__, __LINE__);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024], where[1200];
	unsigned lineno = 0, vectors = 0;

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *fields[MAX_FIELDS], *s = trim(line);

		lineno++;
		if (*s == '\0' || *s == '#')
			continue;
		snprintf(where, sizeof(where), "%s:%u: %s", path, lineno, s);
		if (split(s, fields) != MAX_FIELDS) {
			fprintf(stderr, "%s: want 5 fields\n", where);
			exit(2);
		}
		if (!strcmp(fields[0], "cause2sip"))
			run_cause2sip(where, profile_named(where, fields[1]), fields[2], fields[4]);
		else if (!strcmp(fields[0], "sip2cause"))
			run_sip2cause(where, profile_named(where, fields[1]), fields[2], fields[3], fields[4]);
		else {
			fprintf(stderr, "%s: unknown direction\n", where);
			exit(2);
		}
		vectors++;
	}
	fclose(f);
	printf("%s: %u vectors\n", path, vectors);
	return (int)vectors;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: test-vectors FILE...\n");
		return 2;
	}
	for (i = 1; i < argc; i++)
		CHECK(run_file(argv[i]) > 0);
	return check_done();
}
