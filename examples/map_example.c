/* SPDX-License-Identifier: MIT */
/*
 * map_example.c — what a media gateway asks libcauseway.
 *
 * Build against an installed libcauseway:
 *   cc map_example.c $(pkg-config --cflags --libs causeway)
 */
#include <causeway/causeway.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	const cw_profile *profile;
	char buf[256];

	printf("causeway %s\n", cw_version());
	if (cw_profile_get(CW_PROFILE_DEFAULT, &profile) != 0)
		return 1;

	/* ISDN -> SIP: the PRI side released with cause 17 (user busy). */
	cw_sip_result sip;
	const cw_sip_status_info *status;
	if (cw_map_cause_to_sip(profile, 17, CW_LOCATION_UNKNOWN, 0, &sip) != 0 ||
	    cw_sip_status_info_get(sip.status, &status) != 0)
		return 1;
	cw_rule_describe(sip.rule, buf, sizeof(buf));
	printf("17 -> %d %s (%s)\n", sip.status, status->phrase, buf);

	/* SIP -> ISDN: a 503 that carries the far end's Q.850 cause wins
	 * over the status row (RFC 3398 §7.2.3, RFC 6432). */
	const char *header = "Q.850;cause=34;text=\"No circuit/channel available\"";
	cw_reason values[4];
	char text[256];
	cw_reason_list reasons;
	cw_reason_list_init(&reasons, values, 4, text, sizeof(text));
	if (cw_reason_list_parse(&reasons, header, strlen(header)) != 0)
		return 1;

	cw_sip_query query = { .event = CW_SIP_RESPONSE, .status = 503, .reasons = &reasons };
	cw_cause_result isdn;
	const cw_q850_info *cause;
	if (cw_map_sip_to_cause(profile, &query, &isdn) != 0 ||
	    cw_q850_info_get(isdn.cause, &cause) != 0)
		return 1;
	printf("503 + Reason %s -> cause %d %s (%s)\n", header, isdn.cause, cause->name,
	       isdn.reason ? "from the Reason header" : "from the status");

	/* Reading a Reason header: one line, two values (RFC 3326, RFC 8606). */
	header = "SIP;cause=200;text=\"Call completed elsewhere\", "
	         "Q.850;cause=16;text=\"Terminated\";location=LN";
	cw_reason_list_init(&reasons, values, 4, text, sizeof(text));
	if (cw_reason_list_parse(&reasons, header, strlen(header)) != 0)
		return 1;
	for (size_t i = 0; i < reasons.count; i++) {
		const cw_reason *r = &values[i];
		if (r->error != 0)
			continue;
		printf("Reason value %zu: %s cause %d \"%.*s\"", i + 1,
		       cw_reason_protocol_name(r->protocol), r->cause, (int)r->text.len, r->text.ptr);
		if (r->location != CW_LOCATION_UNKNOWN)
			printf(" location %s", cw_location_name(r->location));
		printf("\n");
	}

	/* Writing one: the Reason to add to our BYE after cause 17. */
	if (cw_reason_format(buf, sizeof(buf), CW_REASON_Q850, 17, "User busy", CW_LOC_LN,
	                     NULL) != 0)
		return 1;
	printf("Reason: %s\n", buf);
	return 0;
}
