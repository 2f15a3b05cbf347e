/* SPDX-License-Identifier: MIT */
/*
 * fuzz_redirect.c — libFuzzer target for the Diversion and History-Info
 * parsers (redirect.c): the input, split at its NUL bytes into up to four
 * header values, is read as Diversion and as History-Info, and what either
 * found is written back as headers. Invariants: the number is digits only
 * and NUL-terminated, the fields are in range, the headers fit or fail.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redirect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_party(const struct cwb_redirecting *r, int rc)
{
	char out[1024] = "";

	if ((rc == 0) != (r->present == 1))
		abort();
	if (!memchr(r->digits, '\0', sizeof(r->digits)))
		abort();
	for (const char *s = r->digits; *s; s++)
		if (*s < '0' || *s > '9')
			abort();
	if (rc != 0)
		return;
	if (r->reason < 0 || r->reason > 15 || r->count < 1 || r->count > CWB_REDIRECT_COUNT_MAX ||
	    r->presentation < 0 || r->presentation > 2 || (r->ton != 0 && r->ton != 1) ||
	    (!r->digits[0] && r->presentation == 0))
		abort();
	if (cwb_redirect_to_sip(r, CWB_REDIRECT_DIVERSION | CWB_REDIRECT_HISTORY_INFO, 1, r->digits,
	                        "h.example", out, sizeof(out)) != 0 ||
	    !memchr(out, '\0', sizeof(out)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	const char *values[4];
	struct cwb_redirecting r;
	size_t n = 1;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	values[0] = buf;
	for (size_t i = 0; i < size && n < 4; i++)
		if (buf[i] == '\0')
			values[n++] = buf + i + 1;
	check_party(&r, cwb_diversion_parse(values, n, &r));
	check_party(&r, cwb_history_info_parse(values, n, &r));
	free(buf);
	return 0;
}
