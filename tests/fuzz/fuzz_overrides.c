/* SPDX-License-Identifier: MIT */
/*
 * fuzz_overrides.c — libFuzzer target for the override loader: any bytes
 * are either rejected with a diagnostic that names a line inside the input,
 * or give a profile whose every lookup succeeds with a sane answer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/causeway.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const cw_profile *base = NULL;
	cw_profile *p = NULL;
	cw_diag diag;
	unsigned lines = 1;
	size_t i;
	int r, cause, status;

	if (cw_profile_get(CW_PROFILE_DEFAULT, &base) != 0)
		abort();
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	r = cw_profile_overlay(&p, base, "fuzz.map", (const char *)data, size, &diag);
	if (r != 0) {
		/* A rejection says where: a line of the input (0 only for whole-file errors). */
		if (p || diag.code != r || diag.line > lines || strlen(diag.message) == 0)
			abort();
		return 0;
	}
	for (cause = 1; cause <= 127; cause++) {
		cw_sip_result res;

		if (cw_map_cause_to_sip(p, cause, cause % 17 - 1, cause & 1, &res) != 0 ||
		    res.status < 300 || res.status > 699 || !res.rule)
			abort();
	}
	for (status = 100; status <= 699; status++) {
		cw_sip_query q = { CW_SIP_RESPONSE, status, status % 7 ? 0 : 304, NULL };
		cw_cause_result res;

		if (cw_map_sip_to_cause(p, &q, &res) != 0 || res.cause > 127 || res.location > 15 ||
		    !res.rule || ((res.action == CW_S2C_NONE) != (res.cause == 0)))
			abort();
	}
	cw_profile_free(p);
	return 0;
}
