/* SPDX-License-Identifier: MIT */
/*
 * cmd_map.c — "causeway cause2sip" (Q.850 cause -> SIP final response,
 * RFC 3398 §7.2.4.1) and "causeway sip2cause" (SIP status or BYE/CANCEL ->
 * Q.850 cause, RFC 3398 §8.2.6.1 and §7.2.3).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "json.h"

#define DIAGNOSTIC_MAX 32   /* digits of the new number carried with cause 22 */
#define SIP_REASON_VALUES 64
#define SIP_REASON_TEXT 8192

/* --diagnostic: 1..32 characters of 0-9, '*' and '#'. */
static int parse_diagnostic(const char *s)
{
	char p[128];
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++) {
		if ((s[i] < '0' || s[i] > '9') && s[i] != '*' && s[i] != '#')
			n = 0;
	}
	if (n == 0 || n > DIAGNOSTIC_MAX) {
		cli_error("invalid diagnostic \"%s\" (1-%d characters of 0-9, * and #)",
		          cli_printable(s, p, sizeof(p)), DIAGNOSTIC_MAX);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

static int parse_location(const char *s, int *ret)
{
	char p[128];

	if (cw_location_from_name(s, strlen(s), ret) == 0 && *ret >= 0 && *ret <= 15)
		return 0;
	cli_error("unknown location \"%s\" (an RFC 8606 name such as U, LN, TN, BI, or 0-15)",
	          cli_printable(s, p, sizeof(p)));
	return CLI_EXIT_USAGE;
}

static void json_rule(json_w *w, const char *key, const cw_rule *rule)
{
	char buf[CLI_RULE_MAX];

	json_key(w, key);
	if (rule == NULL)
		json_null(w);
	else
		json_str(w, cli_rule_text(rule, buf, sizeof(buf)));
}

static void json_rule_where(json_w *w, const cw_rule *rule)
{
	json_key(w, "rule_file");
	json_str(w, rule ? rule->file : NULL);
	json_key(w, "rule_line");
	if (rule != NULL && rule->line > 0)
		json_int(w, (long)rule->line);
	else
		json_null(w);
}

/*
 * The Reason header value that goes with a cause: Q.850 with the cause, its
 * name as text (assigned causes only) and the location if known.
 */
static const char *q850_reason(int cause, int location, char *buf, size_t len)
{
	const cw_q850_info *info;
	const char *text = NULL;

	if (cw_q850_info_get(cause, &info) == 0 && info->assigned)
		text = info->name;
	if (cw_reason_format(buf, len, CW_REASON_Q850, cause, text, location, NULL) != 0)
		return NULL;
	return buf;
}

int cmd_cause2sip(int argc, char **argv)
{
	cli_opts o;
	const cw_profile *profile;
	cw_profile *owned = NULL;
	cw_sip_result res;
	int location = CW_LOCATION_UNKNOWN;
	long cause;
	int rc;

	rc = cli_opts_parse(argc, argv,
	                    CLI_O_PROFILE | CLI_O_OVERRIDES | CLI_O_LOCATION | CLI_O_DIAGNOSTIC |
	                            CLI_O_JSON,
	                    &o);
	if (rc != 0)
		return rc;
	if (o.help) {
		cli_command_usage(stdout, argv[0]);
		return CLI_EXIT_OK;
	}
	if (cli_expect_args(&o, 1, 1, "CAUSE") != 0 ||
	    cli_parse_ranged("cause", o.pos[0], CW_Q850_CAUSE_MIN, CW_Q850_CAUSE_MAX, &cause) != 0 ||
	    (o.location && parse_location(o.location, &location) != 0) ||
	    (o.diagnostic && parse_diagnostic(o.diagnostic) != 0) ||
	    cli_profile_load(o.profile, o.overrides, &profile, &owned) != 0)
		return CLI_EXIT_USAGE;

	rc = cw_map_cause_to_sip(profile, (int)cause, location, o.diagnostic != NULL, &res);
	if (rc != 0) {
		cli_error("cannot map cause %ld: %s", cause, cw_strerror(rc));
		cw_profile_free(owned);
		return CLI_EXIT_USAGE;
	}

	if (!o.json) {
		if (res.action == CW_C2S_CLEAR)
			printf("none\n");
		else
			printf("%d %s\n", res.status, cli_status_phrase(res.status));
	} else {
		char reason[CLI_REASON_MAX];
		json_w w;

		json_init(&w, stdout);
		json_obj_begin(&w);
		json_key(&w, "cause");
		json_int(&w, cause);
		json_key(&w, "name");
		json_str(&w, cli_cause_name((int)cause));
		json_key(&w, "status");
		json_int(&w, res.status);
		json_key(&w, "phrase");
		json_str(&w, cli_status_phrase(res.status));
		json_key(&w, "action");
		json_str(&w, cw_c2s_action_name(res.action));
		json_key(&w, "location");
		json_str(&w, location >= 0 ? cw_location_name(location) : NULL);
		json_key(&w, "retry_after");
		json_bool(&w, (res.flags & CW_C2S_F_RETRY_AFTER) != 0);
		json_key(&w, "contact");
		json_str(&w, (res.flags & CW_C2S_F_CONTACT) ? o.diagnostic : NULL);
		json_key(&w, "reason");
		json_str(&w, q850_reason((int)cause, location, reason, sizeof(reason)));
		json_rule(&w, "rule", res.rule);
		json_rule_where(&w, res.rule);
		json_obj_end(&w);
		json_newline(&w);
	}
	cw_profile_free(owned);
	return cli_out_check();
}

/* STATUS: 100..699, or BYE / CANCEL (any case) for the requests. */
static int parse_event(const char *s, cw_sip_query *q)
{
	long status;

	if (strcasecmp(s, "BYE") == 0) {
		q->event = CW_SIP_BYE;
		return 0;
	}
	if (strcasecmp(s, "CANCEL") == 0) {
		q->event = CW_SIP_CANCEL;
		return 0;
	}
	if (cli_parse_number(s, CW_SIP_STATUS_MIN, CW_SIP_STATUS_MAX, &status) == -1) {
		char p[128];

		cli_error("status \"%s\" is not a number (100-699) or BYE or CANCEL",
		          cli_printable(s, p, sizeof(p)));
		return CLI_EXIT_USAGE;
	}
	if (cli_parse_ranged("status", s, CW_SIP_STATUS_MIN, CW_SIP_STATUS_MAX, &status) != 0)
		return CLI_EXIT_USAGE;
	q->event = CW_SIP_RESPONSE;
	q->status = (int)status;
	return 0;
}

static const char *event_name(enum cw_sip_event e)
{
	switch (e) {
	case CW_SIP_BYE:
		return "bye";
	case CW_SIP_CANCEL:
		return "cancel";
	default:
		return "response";
	}
}

/* A received Reason value, re-formatted (text copied so it is NUL-terminated). */
static const char *reformat_reason(const cw_reason *r, char *buf, size_t len)
{
	char *text = NULL;
	const char *ret = NULL;

	if (r == NULL || r->error != 0)
		return NULL;
	if (r->has_text) {
		text = malloc(r->text.len + 1);
		if (text == NULL)
			return NULL;
		if (r->text.len > 0)
			memcpy(text, r->text.ptr, r->text.len);
		text[r->text.len] = '\0';
	}
	if (cw_reason_format(buf, len, r->protocol, r->cause, text,
	                     r->protocol == CW_REASON_Q850 ? r->location : CW_LOCATION_UNKNOWN,
	                     NULL) == 0)
		ret = buf;
	free(text);
	return ret;
}

int cmd_sip2cause(int argc, char **argv)
{
	static cw_reason values[SIP_REASON_VALUES];
	static char text[SIP_REASON_TEXT];
	cw_reason_list list;
	cli_opts o;
	const cw_profile *profile;
	cw_profile *owned = NULL;
	cw_sip_query q;
	cw_cause_result res;
	int rc;

	rc = cli_opts_parse(argc, argv,
	                    CLI_O_PROFILE | CLI_O_OVERRIDES | CLI_O_REASON | CLI_O_WARNING |
	                            CLI_O_JSON,
	                    &o);
	if (rc != 0)
		return rc;
	if (o.help) {
		cli_opts_free(&o);
		cli_command_usage(stdout, argv[0]);
		return CLI_EXIT_OK;
	}
	memset(&q, 0, sizeof(q));
	if (cli_expect_args(&o, 1, 1, "STATUS") != 0 || parse_event(o.pos[0], &q) != 0)
		goto usage;
	if (o.warning != NULL) {
		long warning;

		if (cli_parse_ranged("warning code", o.warning, 100, 999, &warning) != 0)
			goto usage;
		if (q.event != CW_SIP_RESPONSE) {
			cli_error("option --warning applies to a response status, not to %s",
			          q.event == CW_SIP_BYE ? "BYE" : "CANCEL");
			goto usage;
		}
		q.warning = (int)warning;
	}
	cw_reason_list_init(&list, values, SIP_REASON_VALUES, text, sizeof(text));
	for (size_t i = 0; i < o.nreasons; i++) {
		/* Received data: a bad value is kept with its error, never fatal. */
		if (cw_reason_list_parse(&list, o.reasons[i], strlen(o.reasons[i])) != 0) {
			cli_error("cannot parse --reason value");
			goto usage;
		}
	}
	if (o.nreasons > 0)
		q.reasons = &list;
	if (cli_profile_load(o.profile, o.overrides, &profile, &owned) != 0)
		goto usage;

	rc = cw_map_sip_to_cause(profile, &q, &res);
	if (rc != 0) {
		cli_error("cannot map %s: %s", o.pos[0], cw_strerror(rc));
		cw_profile_free(owned);
		goto usage;
	}

	if (!o.json) {
		if (res.action == CW_S2C_NONE || res.cause == 0)
			printf("none\n");
		else
			printf("%d %s\n", res.cause, cli_cause_name(res.cause));
	} else {
		char rbuf[CLI_REASON_MAX], fbuf[CLI_REASON_MAX];
		int none = res.action == CW_S2C_NONE || res.cause == 0;
		json_w w;

		json_init(&w, stdout);
		json_obj_begin(&w);
		json_key(&w, "status");
		if (q.event == CW_SIP_RESPONSE)
			json_int(&w, q.status);
		else
			json_null(&w);
		json_key(&w, "event");
		json_str(&w, event_name(q.event));
		json_key(&w, "cause");
		if (none)
			json_null(&w);
		else
			json_int(&w, res.cause);
		json_key(&w, "name");
		json_str(&w, none ? NULL : cli_cause_name(res.cause));
		json_key(&w, "action");
		json_str(&w, cw_s2c_action_name(res.action));
		json_key(&w, "location");
		json_str(&w, none ? NULL : cw_location_name(res.location));
		json_key(&w, "phrase");
		json_str(&w, q.event == CW_SIP_RESPONSE ? cli_status_phrase(q.status) : NULL);
		json_key(&w, "reason");
		json_str(&w, none ? NULL : q850_reason(res.cause, res.location, rbuf, sizeof(rbuf)));
		json_key(&w, "from_reason");
		json_str(&w, reformat_reason(res.reason, fbuf, sizeof(fbuf)));
		json_rule(&w, "rule", res.rule);
		json_rule_where(&w, res.rule);
		json_rule(&w, "location_rule", none ? NULL : res.location_rule);
		json_obj_end(&w);
		json_newline(&w);
	}
	cw_profile_free(owned);
	cli_opts_free(&o);
	return cli_out_check();
usage:
	cli_opts_free(&o);
	return CLI_EXIT_USAGE;
}
