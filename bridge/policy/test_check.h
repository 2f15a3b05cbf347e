/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/test_check.h — CHECK() and the exit status of the policy
 * unit tests (each test is one program).
 */
#ifndef CWP_TEST_CHECK_H
#define CWP_TEST_CHECK_H

#include <stdio.h>

static int test_passed, test_failed;

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (cond) {                                                              \
			test_passed++;                                                   \
		} else {                                                                 \
			test_failed++;                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                        \
	} while (0)

/* "N passed, N failed" on stdout; the exit status. */
static inline int test_report(void)
{
	printf("%d passed, %d failed\n", test_passed, test_failed);
	return test_failed ? 1 : 0;
}

#endif
