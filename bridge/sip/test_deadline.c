/* SPDX-License-Identifier: MIT */
/*
 * test_deadline.c — libosip2's deadlines (sec.usec away) become loop
 * timeouts in whole milliseconds rounded up, so the loop never wakes
 * before a timer is due and never spins on a zero timeout.
 */
#include <stdio.h>

#include "sip_internal.h"

static int failures;

static void expect(long long sec, long long usec, long long want)
{
	long long got = cws_ms_until(sec, usec);

	if (got != want) {
		printf("FAIL: %lld s %lld us -> %lld ms, want %lld\n", sec, usec, got, want);
		failures++;
	}
}

int main(void)
{
	expect(0, 0, 0);          /* due now */
	expect(-1, 0, 0);         /* overdue */
	expect(0, -400, 0);       /* overdue by less than 1 ms */
	expect(0, 1, 1);          /* 1 us away: not due for the loop's next wake-up either */
	expect(0, 400, 1);        /* the case that spun: 0.4 ms is 1 ms, not 0 */
	expect(0, 999, 1);
	expect(0, 1000, 1);
	expect(0, 1001, 2);
	expect(1, -999000, 1);    /* 1 s - 999 ms: a difference of two timevals */
	expect(32, 0, 32000);     /* timer J/K of a finished transaction */
	expect(31, 999999, 32000);
	/* Any deadline d > 0 rounds to the least whole ms >= d. */
	for (long long us = 1; us <= 100000; us++) {
		long long ms = cws_ms_until(0, us);
		if (ms * 1000 < us || (ms - 1) * 1000 >= us) {
			printf("FAIL: %lld us -> %lld ms\n", us, ms);
			failures++;
			break;
		}
	}
	if (failures == 0)
		printf("ok: deadlines round up to the millisecond\n");
	return failures ? 1 : 0;
}
