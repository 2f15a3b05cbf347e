/* SPDX-License-Identifier: MIT */
/*
 * test_error.c — every bridge error code has its own text; negative errno
 * values read as strerror(); anything else is "unknown error N".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "causeway/common.h"
#include "../../tests/unit/check.h"

static void test_every_code(void)
{
	char seen[CWCOM_E_FIRST - CWCOM_E_LAST + 1][128];
	int n = 0;

	for (int code = CWCOM_E_FIRST; code >= CWCOM_E_LAST; code--) {
		const char *text = cwcom_strerror(code);

		if (!CHECK(text && text[0] && strncmp(text, "unknown error", 13) != 0)) {
			fprintf(stderr, "code %d has no text\n", code);
			continue;
		}
		for (int k = 0; k < n; k++)
			if (!CHECK(strcmp(seen[k], text) != 0))
				fprintf(stderr, "code %d: text \"%s\" given twice\n", code, text);
		/* not an errno text either: the ranges must not meet */
		for (int e = 1; e < 200; e++)
			if (!CHECK(strcmp(strerror(e), text) != 0))
				fprintf(stderr, "code %d reads as errno %d\n", code, e);
		snprintf(seen[n++], sizeof(seen[0]), "%s", text);
	}
	CHECK_INT(n, CWCOM_E_FIRST - CWCOM_E_LAST + 1);
	CHECK_STR(cwcom_strerror(CWCOM_ESTATE), "event not permitted in the current state");
	CHECK_STR(cwcom_strerror(CWCOM_EMISSING), "required key or field missing");
	CHECK_STR(cwcom_strerror(CWCOM_ESCHEME), "not Digest authentication");
	CHECK_STR(cwcom_strerror(CWCOM_EALGORITHM), "unsupported digest algorithm");
}

static void test_errno_and_unknown(void)
{
	char want[128];

	snprintf(want, sizeof(want), "%s", strerror(EINVAL));
	CHECK_STR(cwcom_strerror(-EINVAL), want);
	snprintf(want, sizeof(want), "%s", strerror(EIO));
	CHECK_STR(cwcom_strerror(-EIO), want);
	snprintf(want, sizeof(want), "%s", strerror(ENAMETOOLONG));
	CHECK_STR(cwcom_strerror(-ENAMETOOLONG), want);
	CHECK_STR(cwcom_strerror(0), "success");
	CHECK_STR(cwcom_strerror(1), "unknown error 1");
	CHECK_STR(cwcom_strerror(CWCOM_E_LAST - 1), "unknown error -1007");
	CHECK_STR(cwcom_strerror(CWCOM_E_FIRST + 1), "unknown error -999");
	CHECK_STR(cwcom_strerror(-100000), "unknown error -100000");
}

/* Every libcauseway code has its bridge value, and each reads as its own text. */
static void test_from_cw(void)
{
	static const struct { int cw; int bridge; } map[] = {
		{ CW_EINVAL, -EINVAL }, { CW_ERANGE, -ERANGE }, { CW_ENOMEM, -ENOMEM },
		{ CW_ENOENT, -ENOENT }, { CW_ESYNTAX, CWCOM_ESYNTAX },
		{ CW_EDUPLICATE, CWCOM_EDUPLICATE }, { CW_ENOSPC, -ENOSPC },
		{ CW_ELIMIT, CWCOM_ELIMIT }, { CW_EMISSING, CWCOM_EMISSING },
	};
	int covered = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (!CHECK_INT(cwcom_from_cw(map[i].cw), map[i].bridge))
			fprintf(stderr, "CW code %d\n", map[i].cw);
		covered++;
	}
	/* the table covers -1 down to the last libcauseway code, none left out */
	CHECK_INT(covered, -CW_EMISSING);
	CHECK_INT(cwcom_from_cw(0), 0);
	CHECK_INT(cwcom_from_cw(12), 12);
	CHECK_INT(cwcom_from_cw(CW_EMISSING - 1), -EINVAL);
	CHECK_STR(cwcom_strerror(cwcom_from_cw(CW_EMISSING)), "required key or field missing");
	CHECK_STR(cwcom_strerror(cwcom_from_cw(CW_ESYNTAX)), "malformed text");
}

int main(void)
{
	test_from_cw();
	test_every_code();
	test_errno_and_unknown();
	return check_done();
}
