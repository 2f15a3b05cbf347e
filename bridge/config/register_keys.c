/* SPDX-License-Identifier: MIT */
/*
 * register_keys.c — [register NAME] (README.md "Registration"): the
 * section, its keys, the checks once the file is read, the dump (the
 * secret as "(set)") and freeing it. RFC 3261 §10.2: the gateway binds its
 * contact to an address of record at a trunk's registrar.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/error.h"
#include "config.h"
#include "name_table.h"
#include "parser.h"

static struct cwcfg_register *cur(struct cwcfg_parser *p)
{
	return &p->cfg->registers[p->sec_index];
}

int cwcfg_register_open(struct cwcfg_parser *p, const char *arg)
{
	struct cwcfg_config *cfg = p->cfg;
	struct cwcfg_register *r;
	size_t i;

	if (!*arg)
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "[register] needs a name: [register NAME]");
	if (!cwcfg_valid_name(arg))
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "[register %s]: a name is 1-%d of A-Z a-z 0-9 _ - .", arg,
		                      CWCFG_MAX_NAME);
	for (i = 0; i < cfg->n_registers; i++)
		if (strcmp(cfg->registers[i].name, arg) == 0)
			return cwcfg_fail(p, p->lineno, CWCOM_EDUPLICATE,
			                      "[register %s] is defined twice (first at line %u)", arg,
			                      cfg->registers[i].line);
	if (cfg->n_registers >= CWCFG_MAX_REGISTERS)
		return cwcfg_fail(p, p->lineno, CWCOM_ELIMIT, "more than %d [register] sections",
		                      CWCFG_MAX_REGISTERS);
	r = &cfg->registers[cfg->n_registers];
	memset(r, 0, sizeof(*r));
	r->line = p->lineno;
	r->expires = 3600;       /* RFC 3261 §10.2.1.1: the registrar's default, asked for */
	r->retry_interval = 30;
	r->retry_max = 1800;
	r->name = cwcfg_strdup(p, arg);
	if (!r->name)
		return p->err;
	p->sec_index = cfg->n_registers++;
	p->sec = CWCFG_SEC_REGISTER;
	snprintf(p->sec_text, sizeof(p->sec_text), "[register %s]", arg);
	return 0;
}

/* Printable ASCII, at most max characters, none of the characters in bad. */
static int printable(struct cwcfg_parser *p, const char *key, const char *value, size_t max,
                     const char *bad)
{
	const char *s;

	if (strlen(value) > max)
		return cwcfg_fail(p, p->lineno, CWCOM_ELIMIT, "%s: longer than %zu characters", key,
		                      max);
	for (s = value; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e || strchr(bad, *s))
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                      "%s: only printable ASCII characters%s%s are allowed", key,
			                      *bad ? " without " : "", bad);
	return 0;
}

/* aor = sip:USER@DOMAIN (RFC 3261 §10.2: the To of the REGISTER). */
static int parse_aor(struct cwcfg_parser *p, const char *key, const char *value, char **dst)
{
	const char *rest = value, *at;

	if (printable(p, key, value, 128, " <>\"") < 0)
		return p->err;
	if (strncasecmp(rest, "sips:", 5) == 0)
		rest += 5;
	else if (strncasecmp(rest, "sip:", 4) == 0)
		rest += 4;
	else
		rest = NULL;
	at = rest ? strchr(rest, '@') : NULL;
	if (!at || at == rest || !at[1] || strpbrk(rest, ";?"))
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "%s: '%s' is not sip:USER@DOMAIN", key, value);
	return cwcfg_set_str(p, dst, value);
}

int cwcfg_register_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_register *r = cur(p);

	if (strcmp(key, "registrar") == 0) {
		ONCE(p, r->registrar_line, key);
		return cwcfg_parse_target(p, value, &r->registrar);
	}
	if (strcmp(key, "aor") == 0) {
		ONCE(p, r->aor_line, key);
		return parse_aor(p, key, value, &r->aor);
	}
	if (strcmp(key, "contact_user") == 0) {
		ONCE(p, r->contact_user_line, key);
		if (printable(p, key, value, 64, " @:;?<>\"") < 0)
			return p->err;
		return cwcfg_set_str(p, &r->contact_user, value);
	}
	if (strcmp(key, "auth_user") == 0 || strcmp(key, "auth_secret") == 0) {
		int secret = strcmp(key, "auth_secret") == 0;

		ONCE(p, *(secret ? &r->auth_secret_line : &r->auth_user_line), key);
		if (printable(p, key, value, 128, "") < 0)
			return p->err;
		return cwcfg_set_str(p, secret ? &r->auth_secret : &r->auth_user, value);
	}
	/* the numbers: expires, retry_interval, retry_max */
	{
		const struct {
			const char *name;
			unsigned *v, *line, max;
		} nums[] = {{"expires", &r->expires, &r->expires_line, 86400},
		            {"retry_interval", &r->retry_interval, &r->retry_interval_line, 3600},
		            {"retry_max", &r->retry_max, &r->retry_max_line, 86400}};

		for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
			if (strcmp(key, nums[i].name) == 0) {
				ONCE(p, *nums[i].line, key);
				return cwcfg_parse_uint(p, key, value, 1, nums[i].max, nums[i].v);
			}
	}
	return cwcfg_fail(p, p->lineno, -ENOENT, "unknown key '%s' in %s", key, p->sec_text);
}

/* The user part of sip:USER@DOMAIN, a copy. */
static int aor_user(struct cwcfg_parser *p, const char *aor, char **dst)
{
	const char *u = strchr(aor, ':') + 1;
	char buf[CWCFG_MAX_LINE + 1];

	snprintf(buf, sizeof(buf), "%.*s", (int)(strchr(u, '@') - u), u);
	return cwcfg_set_str(p, dst, buf);
}

int cwcfg_register_check(struct cwcfg_parser *p)
{
	struct cwcfg_config *cfg = p->cfg;

	for (size_t i = 0; i < cfg->n_registers; i++) {
		struct cwcfg_register *r = &cfg->registers[i];

		if (!r->registrar_line)
			return cwcfg_fail(p, r->line, CWCOM_EMISSING,
			                      "[register %s]: 'registrar' is missing (sip:HOST[:PORT])",
			                      r->name);
		if (!r->aor_line)
			return cwcfg_fail(p, r->line, CWCOM_EMISSING,
			                      "[register %s]: 'aor' is missing (sip:USER@DOMAIN)", r->name);
		if (!(cfg->sip.transports & r->registrar.transport))
			return cwcfg_fail(p, r->registrar_line, CWCOM_ESYNTAX,
			                      "[register %s]: registrar uses %s, which [sip] transport "
			                      "does not serve", r->name,
			                      cwcfg_name_of(cwcfg_transport_names,
			                                    (int)r->registrar.transport));
		if (r->retry_max < r->retry_interval)
			return cwcfg_fail(p, r->retry_max_line, -ERANGE,
			                      "[register %s]: retry_max (%u s) is below retry_interval "
			                      "(%u s)", r->name, r->retry_max, r->retry_interval);
		if (r->auth_user_line && !r->auth_secret)
			cwcfg_warn(p, r->auth_user_line,
			               "[register %s]: auth_user without auth_secret is not used", r->name);
		if (!r->contact_user && aor_user(p, r->aor, &r->contact_user) < 0)
			return p->err;
		if (!r->auth_user && aor_user(p, r->aor, &r->auth_user) < 0)
			return p->err;
	}
	return 0;
}

void cwcfg_register_dump(const struct cwcfg_config *cfg, FILE *out)
{
	for (size_t i = 0; i < cfg->n_registers; i++) {
		const struct cwcfg_register *r = &cfg->registers[i];

		fprintf(out, "\n[register %s]\nregistrar = %s\naor = %s\ncontact_user = %s\n"
		             "auth_user = %s\n", r->name, r->registrar.uri, r->aor, r->contact_user,
		        r->auth_user);
		if (r->auth_secret) /* the secret itself is never printed */
			fprintf(out, "auth_secret = (set)\n");
		fprintf(out, "expires = %u\nretry_interval = %u\nretry_max = %u\n", r->expires,
		        r->retry_interval, r->retry_max);
	}
}

void cwcfg_register_free(struct cwcfg_config *cfg)
{
	for (size_t i = 0; i < cfg->n_registers; i++) {
		struct cwcfg_register *r = &cfg->registers[i];

		free(r->name);
		free(r->registrar.uri);
		free(r->registrar.host);
		free(r->aor);
		free(r->contact_user);
		free(r->auth_user);
		if (r->auth_secret)
			explicit_bzero(r->auth_secret, strlen(r->auth_secret));
		free(r->auth_secret);
	}
	cfg->n_registers = 0;
}
