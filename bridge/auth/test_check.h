/* SPDX-License-Identifier: MIT */
/*
 * test_check.h — the CHECK() counter of the bridge/auth test programs:
 * each prints "N passed, N failed" and exits 1 on any failure.
 */
#ifndef CAUSEWAY_BRIDGE_AUTH_TEST_CHECK_H
#define CAUSEWAY_BRIDGE_AUTH_TEST_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond)                                                                          \
	do {                                                                                 \
		if (cond) {                                                                  \
			passed++;                                                            \
		} else {                                                                     \
			failed++;                                                            \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                            \
	} while (0)

static int check_report(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

#endif
