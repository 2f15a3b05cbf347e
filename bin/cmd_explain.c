/* SPDX-License-Identifier: MIT */
/*
 * cmd_explain.c — "causeway explain CODE": what a SIP status (NNN) or a
 * Q.850 cause (q850:N) means, what to check, and how the profile maps it.
 *
 * Text output is labelled lines ("LABEL: VALUE"), after a first line that
 * names the code; --json prints the same as one object.
 */
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "json.h"

/* RFC 3261 §21 classes, in the words operators use. */
static const char *const sip_class_names[] = {
	"1xx provisional", "2xx success",      "3xx redirection",
	"4xx client error", "5xx server error", "6xx global failure",
};

/* One line on what the receiver of a status should do (see causeway/sip.h). */
static const char *disposition_text(enum cw_disposition d)
{
	switch (d) {
	case CW_DISP_PROGRESS:
		return "provisional: wait for a final response";
	case CW_DISP_SUCCESS:
		return "the request succeeded (ACK a 2xx to INVITE)";
	case CW_DISP_REDIRECT:
		return "follow the Contact, a bounded number of times";
	case CW_DISP_AUTHENTICATE:
		return "resend the request with credentials";
	case CW_DISP_FIX_REQUEST:
		return "remedy the request and resend it (RFC 3398 note (+))";
	case CW_DISP_NEXT_ROUTE:
		return "this route failed: try the next route";
	case CW_DISP_RETRY_LATER:
		return "overloaded: honour Retry-After, try the next route meanwhile";
	case CW_DISP_FINAL:
		return "the callee answered: stop, do not fail over";
	}
	return "";
}

static const char *or_dash(const char *s)
{
	return (s != NULL && s[0] != '\0') ? s : "-";
}

/* "17 User busy", "none (no clearing message)", "21 Call rejected (authenticate first)" */
static void s2c_text(const cw_cause_result *r, char *buf, size_t len)
{
	if (r->action == CW_S2C_NONE || r->cause == 0)
		snprintf(buf, len, "none (no clearing message)");
	else if (r->action == CW_S2C_RELEASE)
		snprintf(buf, len, "%d %s", r->cause, cli_cause_name(r->cause));
	else
		snprintf(buf, len, "%d %s (%s first)", r->cause, cli_cause_name(r->cause),
		         cw_s2c_action_name(r->action));
}

/* "503 Service Unavailable (Retry-After may be added)", "none (clears by BYE/CANCEL); ..." */
static void c2s_text(const cw_sip_result *r, char *buf, size_t len)
{
	const char *phrase = cli_status_phrase(r->status);

	switch (r->action) {
	case CW_C2S_CLEAR:
		snprintf(buf, len, "none (clears by BYE/CANCEL); %d %s if a final response is owed",
		         r->status, phrase);
		break;
	case CW_C2S_RETRY_CHANNEL:
		snprintf(buf, len,
		         "none (untranslatable: re-send SETUP on another channel); %d %s if that "
		         "is not possible",
		         r->status, phrase);
		break;
	default:
		snprintf(buf, len, "%d %s%s", r->status, phrase,
		         (r->flags & CW_C2S_F_RETRY_AFTER) ? " (Retry-After may be added)" : "");
		break;
	}
}

static int explain_status(const cw_profile *profile, int status, int json)
{
	const cw_sip_status_info *info;
	cw_sip_query q = { .event = CW_SIP_RESPONSE, .status = status };
	cw_cause_result res;
	const char *pname = cw_profile_name(profile);
	const char *cls;
	char maps[512], rule[CLI_RULE_MAX], unreg[160] = "";
	int rc;

	if ((rc = cw_sip_status_info_get(status, &info)) != 0 ||
	    (rc = cw_map_sip_to_cause(profile, &q, &res)) != 0) {
		cli_error("cannot explain status %d: %s", status, cw_strerror(rc));
		return CLI_EXIT_USAGE;
	}
	cls = sip_class_names[status / 100 - 1];
	if (!info->registered) {
		/* RFC 3261 §8.1.3.2 */
		if (status / 100 == 1)
			snprintf(unreg, sizeof(unreg),
			         "not registered; a UAC treats it as 183 Session Progress "
			         "(RFC 3261 §8.1.3.2)");
		else
			snprintf(unreg, sizeof(unreg),
			         "not registered; a UAC treats it as %d %s (RFC 3261 §8.1.3.2)",
			         status / 100 * 100, cli_status_phrase(status / 100 * 100));
	}
	s2c_text(&res, maps, sizeof(maps));
	cli_rule_text(res.rule, rule, sizeof(rule));

	if (json) {
		json_w w;

		json_init(&w, stdout);
		json_obj_begin(&w);
		json_key(&w, "kind");
		json_str(&w, "status");
		json_key(&w, "status");
		json_int(&w, status);
		json_key(&w, "phrase");
		json_str(&w, info->registered ? info->phrase : NULL);
		json_key(&w, "registered");
		json_bool(&w, info->registered);
		json_key(&w, "class");
		json_str(&w, cls);
		json_key(&w, "defined_in");
		json_str(&w, info->registered ? info->defined_in : NULL);
		json_key(&w, "disposition");
		json_str(&w, cw_disposition_name(info->disposition));
		json_key(&w, "disposition_text");
		json_str(&w, disposition_text(info->disposition));
		json_key(&w, "meaning");
		json_str(&w, info->meaning);
		json_key(&w, "check");
		json_str(&w, info->check);
		json_key(&w, "profile");
		json_str(&w, pname);
		json_key(&w, "cause");
		if (res.action == CW_S2C_NONE || res.cause == 0)
			json_null(&w);
		else
			json_int(&w, res.cause);
		json_key(&w, "name");
		json_str(&w, res.cause > 0 ? cli_cause_name(res.cause) : NULL);
		json_key(&w, "action");
		json_str(&w, cw_s2c_action_name(res.action));
		json_key(&w, "location");
		json_str(&w, res.cause > 0 ? cw_location_name(res.location) : NULL);
		json_key(&w, "rule");
		json_str(&w, res.rule ? rule : NULL);
		json_obj_end(&w);
		json_newline(&w);
		return 0;
	}

	if (info->registered)
		printf("%d %s\n", status, or_dash(info->phrase));
	else
		printf("%d (not registered)\n", status);
	printf("class: %s\n", cls);
	printf("defined in: %s\n", info->registered ? or_dash(info->defined_in) : unreg);
	printf("disposition: %s — %s\n", or_dash(cw_disposition_name(info->disposition)),
	       disposition_text(info->disposition));
	printf("meaning: %s\n", or_dash(info->meaning));
	printf("check: %s\n", or_dash(info->check));
	printf("maps to (%s): %s\n", or_dash(pname), maps);
	if (res.action != CW_S2C_NONE && res.cause > 0)
		printf("location (%s): %s — %s\n", or_dash(pname),
		       or_dash(cw_location_name(res.location)),
		       or_dash(cw_location_description(res.location)));
	printf("rule: %s\n", rule);

	/* Warning-qualified rows of this status (RFC 3398 §8.2.6.1, 488/606). */
	for (size_t i = 0; i < cw_profile_row_count(profile); i++) {
		cw_row row;

		if (cw_profile_row_at(profile, i, &row) != 0 || row.kind != CW_ROW_STATUS ||
		    row.key != status || row.qualifier != CW_QUAL_WARNING)
			continue;
		q.warning = row.qualifier_value;
		if (cw_map_sip_to_cause(profile, &q, &res) != 0)
			continue;
		s2c_text(&res, maps, sizeof(maps));
		printf("maps to (%s) with warning=%d: %s\n", or_dash(pname), row.qualifier_value,
		       maps);
	}
	return 0;
}

static int explain_cause(const cw_profile *profile, int cause, int json)
{
	const cw_q850_info *info;
	cw_sip_result res;
	const char *pname = cw_profile_name(profile);
	char maps[512], rule[CLI_RULE_MAX], cls[256];
	int low, rc;

	if ((rc = cw_q850_info_get(cause, &info)) != 0) {
		cli_error("cannot explain cause %d: %s", cause, cw_strerror(rc));
		return CLI_EXIT_USAGE;
	}
	low = info->cls == CW_Q850_CLASS_NORMAL ? 0 : info->class_unspecified - 15;
	snprintf(cls, sizeof(cls), "%s (%d-%d; unspecified: %d %s)",
	         or_dash(cw_q850_class_name(info->cls)), low, info->class_unspecified,
	         info->class_unspecified, cli_cause_name(info->class_unspecified));
	memset(&res, 0, sizeof(res));
	if (cause > 0) {
		rc = cw_map_cause_to_sip(profile, cause, CW_LOCATION_UNKNOWN, 0, &res);
		if (rc != 0) {
			cli_error("cannot map cause %d: %s", cause, cw_strerror(rc));
			return CLI_EXIT_USAGE;
		}
		c2s_text(&res, maps, sizeof(maps));
		cli_rule_text(res.rule, rule, sizeof(rule));
	} else {
		snprintf(maps, sizeof(maps), "- (0 is not a valid cause value)");
		snprintf(rule, sizeof(rule), "-");
	}

	if (json) {
		json_w w;

		json_init(&w, stdout);
		json_obj_begin(&w);
		json_key(&w, "kind");
		json_str(&w, "cause");
		json_key(&w, "cause");
		json_int(&w, cause);
		json_key(&w, "name");
		json_str(&w, info->assigned ? info->name : NULL);
		json_key(&w, "assigned");
		json_bool(&w, info->assigned);
		json_key(&w, "class");
		json_str(&w, cw_q850_class_name(info->cls));
		json_key(&w, "class_unspecified");
		json_int(&w, info->class_unspecified);
		json_key(&w, "meaning");
		json_str(&w, info->meaning);
		json_key(&w, "check");
		json_str(&w, info->check);
		json_key(&w, "source");
		json_str(&w, info->source);
		json_key(&w, "profile");
		json_str(&w, pname);
		json_key(&w, "status");
		if (cause > 0)
			json_int(&w, res.status);
		else
			json_null(&w);
		json_key(&w, "phrase");
		json_str(&w, cause > 0 ? cli_status_phrase(res.status) : NULL);
		json_key(&w, "action");
		json_str(&w, cause > 0 ? cw_c2s_action_name(res.action) : NULL);
		json_key(&w, "rule");
		json_str(&w, cause > 0 && res.rule ? rule : NULL);
		json_obj_end(&w);
		json_newline(&w);
		return 0;
	}

	if (cause == 0)
		printf("cause 0 (not a valid cause value; Q.850 causes are 1-127)\n");
	else if (!info->assigned)
		printf("cause %d (unassigned in Q.850)\n", cause);
	else
		printf("cause %d %s\n", cause, or_dash(info->name));
	printf("class: %s\n", cls);
	printf("meaning: %s\n", or_dash(info->meaning));
	printf("check: %s\n", or_dash(info->check));
	printf("source: %s\n", or_dash(info->source));
	printf("maps to (%s): %s\n", or_dash(pname), maps);
	printf("rule: %s\n", rule);
	if (cause == 0)
		return 0;

	/* Qualified rows of this cause: location= (RFC 3398 note (+)), diagnostic (22). */
	for (size_t i = 0; i < cw_profile_row_count(profile); i++) {
		cw_row row;
		char with[64];
		int loc = CW_LOCATION_UNKNOWN, diag = 0;

		if (cw_profile_row_at(profile, i, &row) != 0 || row.kind != CW_ROW_CAUSE ||
		    row.key != cause)
			continue;
		if (row.qualifier == CW_QUAL_LOCATION) {
			loc = row.qualifier_value;
			snprintf(with, sizeof(with), "location=%s", or_dash(cw_location_name(loc)));
		} else if (row.qualifier == CW_QUAL_DIAGNOSTIC) {
			diag = 1;
			snprintf(with, sizeof(with), "diagnostic");
		} else {
			continue;
		}
		if (cw_map_cause_to_sip(profile, cause, loc, diag, &res) != 0)
			continue;
		c2s_text(&res, maps, sizeof(maps));
		printf("maps to (%s) with %s: %s\n", or_dash(pname), with, maps);
	}
	return 0;
}

int cmd_explain(int argc, char **argv)
{
	cli_opts o;
	const cw_profile *profile;
	cw_profile *owned = NULL;
	const char *code;
	long n;
	int rc;

	rc = cli_opts_parse(argc, argv, CLI_O_PROFILE | CLI_O_OVERRIDES | CLI_O_JSON, &o);
	if (rc != 0)
		return rc;
	if (o.help) {
		cli_command_usage(stdout, argv[0]);
		return CLI_EXIT_OK;
	}
	if (cli_expect_args(&o, 1, 1, "CODE") != 0)
		return CLI_EXIT_USAGE;
	code = o.pos[0];
	if (strncasecmp(code, "q850:", 5) == 0) {
		if (cli_parse_ranged("cause", code + 5, 0, CW_Q850_CAUSE_MAX, &n) != 0)
			return CLI_EXIT_USAGE;
	} else {
		char p[128];

		if (cli_parse_number(code, CW_SIP_STATUS_MIN, CW_SIP_STATUS_MAX, &n) == -1) {
			cli_error("code \"%s\" is neither a SIP status (100-699) nor q850:N (0-127)",
			          cli_printable(code, p, sizeof(p)));
			return CLI_EXIT_USAGE;
		}
		if (cli_parse_ranged("status", code, CW_SIP_STATUS_MIN, CW_SIP_STATUS_MAX, &n) != 0)
			return CLI_EXIT_USAGE;
	}
	if (cli_profile_load(o.profile, o.overrides, &profile, &owned) != 0)
		return CLI_EXIT_USAGE;
	if (strncasecmp(code, "q850:", 5) == 0)
		rc = explain_cause(profile, (int)n, o.json);
	else
		rc = explain_status(profile, (int)n, o.json);
	cw_profile_free(owned);
	if (rc != 0)
		return rc;
	return cli_out_check();
}
