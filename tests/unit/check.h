/* SPDX-License-Identifier: MIT */
/*
 * check.h — the smallest possible test harness: CHECK() records a failure
 * with file:line and goes on; check_done() prints "N passed, N failed" for
 * the program and returns its exit status (meson counts the program).
 */
#ifndef CW_TEST_CHECK_H
#define CW_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static unsigned check_passed, check_failed;

#define CHECK(cond) check_one(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_INT(got, want) check_int((long)(got), (long)(want), #got, __FILE__, __LINE__)
#define CHECK_STR(got, want) check_str((got), (want), #got, __FILE__, __LINE__)

static inline int check_one(int ok, const char *what, const char *file, int line)
{
	if (ok) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
	}
	return ok;
}

static inline int check_int(long got, long want, const char *what, const char *file, int line)
{
	if (got == want)
		return check_one(1, what, file, line);
	fprintf(stderr, "%s:%d: FAILED: %s is %ld, want %ld\n", file, line, what, got, want);
	check_failed++;
	return 0;
}

static inline int check_str(const char *got, const char *want, const char *what, const char *file,
                            int line)
{
	if (got && want && strcmp(got, want) == 0)
		return check_one(1, what, file, line);
	fprintf(stderr, "%s:%d: FAILED: %s is \"%s\", want \"%s\"\n", file, line, what,
	        got ? got : "(null)", want ? want : "(null)");
	check_failed++;
	return 0;
}

static inline int check_done(void)
{
	printf("%u passed, %u failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif /* CW_TEST_CHECK_H */
