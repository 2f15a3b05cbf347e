/* SPDX-License-Identifier: MIT */
/*
 * test_reg_fsm.c — the registration state machine with the time fed in: the
 * first REGISTER at once, the refresh before the granted time runs out (half
 * of a short one, 30 s before a long one), a shorter time granted honoured,
 * the back-off doubling to its cap and starting over after a success,
 * Retry-After, 423 with Min-Expires, a timeout, unregistering, and which
 * changes are worth a log line.
 */
#include <errno.h>

#include "check.h"
#include "reg_fsm.h"

static const struct cws_reg_params par = {.expires_s = 3600, .retry_interval_s = 2,
                                          .retry_max_s = 20};

static void refresh(void)
{
	struct cws_reg_fsm f;
	struct cws_reg_out o;

	CHECK(cws_reg_init(&f, &par, 1000) == 0);
	CHECK(cws_reg_deadline(&f) == 1000);
	cws_reg_tick(&f, 999, &o);
	CHECK(!o.send);
	cws_reg_tick(&f, 1000, &o);
	CHECK(o.send && o.expires == 3600);
	CHECK(f.state == CWS_REG_REGISTERING && cws_reg_deadline(&f) == CWS_REG_NEVER);
	cws_reg_tick(&f, 5000, &o); /* no second REGISTER while one is out */
	CHECK(!o.send);
	/* granted as asked (no expires in the 200): refresh 30 s before the end */
	cws_reg_response(&f, 2000, 200, 0, 0, 0, &o);
	CHECK(o.changed && !o.send && f.state == CWS_REG_REGISTERED);
	CHECK_INT(f.granted_s, 3600);
	CHECK(cws_reg_deadline(&f) == 2000 + 3600000 - 30000);
	cws_reg_tick(&f, 2000 + 3600000 - 30001, &o);
	CHECK(!o.send);
	cws_reg_tick(&f, 2000 + 3600000 - 30000, &o);
	CHECK(o.send && o.expires == 3600);
	/* the registrar grants 4 s only: refresh after 2 s; a refresh is no new log line */
	cws_reg_response(&f, 3700000, 200, 4, 0, 0, &o);
	CHECK(!o.changed && f.granted_s == 4);
	CHECK(cws_reg_deadline(&f) == 3700000 + 2000);
	CHECK(f.expiry_ms == 3700000 + 4000);
	/* a response nobody waits for changes nothing */
	cws_reg_response(&f, 3700001, 500, 0, 0, 0, &o);
	CHECK(!o.send && !o.changed && f.state == CWS_REG_REGISTERED);
}

static void backoff(void)
{
	struct cws_reg_fsm f;
	struct cws_reg_out o;
	uint64_t t = 0;
	const unsigned want[] = {2, 4, 8, 16, 20, 20};

	CHECK(cws_reg_init(&f, &par, 0) == 0);
	for (unsigned i = 0; i < 6; i++) {
		cws_reg_tick(&f, t, &o);
		CHECK(o.send);
		cws_reg_response(&f, t, 503, 0, 0, 0, &o);
		CHECK(f.state == CWS_REG_FAILED && !o.send);
		CHECK_INT(f.retry_s, want[i]);
		CHECK(o.changed == (i == 0)); /* the same failure again: one line only */
		CHECK(cws_reg_deadline(&f) == t + want[i] * 1000u);
		t += want[i] * 1000u;
	}
	/* another status is a new line; a timeout is status 0 */
	cws_reg_tick(&f, t, &o);
	cws_reg_response(&f, t, 0, 0, 0, 0, &o);
	CHECK(o.changed && f.status == 0 && f.retry_s == 20);
	/* success starts the back-off over */
	t += 20000;
	cws_reg_tick(&f, t, &o);
	cws_reg_response(&f, t, 200, 60, 0, 0, &o);
	CHECK(o.changed && f.failures == 0);
	t += 30000;
	cws_reg_tick(&f, t, &o);
	CHECK(o.send);
	cws_reg_response(&f, t, 403, 0, 0, 0, &o);
	CHECK(o.changed && f.retry_s == 2);
	/* Retry-After longer than the back-off is waited for, up to retry_max */
	t += 2000;
	cws_reg_tick(&f, t, &o);
	cws_reg_response(&f, t, 503, 0, 0, 9, &o);
	CHECK_INT(f.retry_s, 9);
	t += 9000;
	cws_reg_tick(&f, t, &o);
	cws_reg_response(&f, t, 503, 0, 0, 3600, &o);
	CHECK_INT(f.retry_s, 20);
}

static void interval_too_brief(void)
{
	struct cws_reg_params p = {.expires_s = 60, .retry_interval_s = 5, .retry_max_s = 60};
	struct cws_reg_fsm f;
	struct cws_reg_out o;

	CHECK(cws_reg_init(&f, &p, 0) == 0);
	cws_reg_tick(&f, 0, &o);
	cws_reg_response(&f, 10, 423, 0, 300, 0, &o);
	CHECK(o.send && o.expires == 300 && f.state == CWS_REG_REGISTERING && !o.changed);
	cws_reg_response(&f, 20, 200, 300, 0, 0, &o);
	CHECK(o.changed && f.granted_s == 300);
	/* refreshes keep asking for Min-Expires */
	cws_reg_tick(&f, cws_reg_deadline(&f), &o);
	CHECK(o.send && o.expires == 300);
	/* a 423 that asks for no more (or without Min-Expires) is a failure, no loop */
	cws_reg_response(&f, 30, 423, 0, 300, 0, &o);
	CHECK(!o.send && f.state == CWS_REG_FAILED && f.retry_s == 5);
	cws_reg_tick(&f, 5030, &o);
	cws_reg_response(&f, 5040, 423, 0, 0, 0, &o);
	CHECK(!o.send && f.state == CWS_REG_FAILED);
}

static void unregister(void)
{
	struct cws_reg_fsm f;
	struct cws_reg_out o;

	/* registered: Expires 0 goes out, its answer ends it */
	CHECK(cws_reg_init(&f, &par, 0) == 0);
	cws_reg_tick(&f, 0, &o);
	cws_reg_response(&f, 1, 200, 0, 0, 0, &o);
	cws_reg_stop(&f, 2, &o);
	CHECK(o.send && o.expires == 0 && f.state == CWS_REG_UNREGISTERING);
	CHECK(cws_reg_deadline(&f) == CWS_REG_NEVER);
	cws_reg_stop(&f, 3, &o);
	CHECK(!o.send);
	cws_reg_response(&f, 4, 200, 0, 0, 0, &o);
	CHECK(o.changed && f.state == CWS_REG_DONE);
	cws_reg_tick(&f, 1000000000, &o);
	CHECK(!o.send);
	/* never registered: nothing to remove */
	CHECK(cws_reg_init(&f, &par, 0) == 0);
	cws_reg_stop(&f, 0, &o);
	CHECK(!o.send && f.state == CWS_REG_DONE);
	/* a failed refresh while the old binding still runs: removed too; after it ran out: not */
	CHECK(cws_reg_init(&f, &par, 0) == 0);
	cws_reg_tick(&f, 0, &o);
	cws_reg_response(&f, 0, 200, 100, 0, 0, &o);
	cws_reg_tick(&f, 70000, &o);
	cws_reg_response(&f, 70000, 0, 0, 0, 0, &o);
	cws_reg_stop(&f, 99999, &o);
	CHECK(o.send && o.expires == 0);
	CHECK(cws_reg_init(&f, &par, 0) == 0);
	cws_reg_tick(&f, 0, &o);
	cws_reg_response(&f, 0, 200, 100, 0, 0, &o);
	cws_reg_tick(&f, 70000, &o);
	cws_reg_response(&f, 70000, 0, 0, 0, 0, &o);
	cws_reg_stop(&f, 100000, &o);
	CHECK(!o.send && f.state == CWS_REG_DONE);
}

static void bad_params(void)
{
	struct cws_reg_fsm f;
	struct cws_reg_params p = par;

	p.expires_s = 0;
	CHECK(cws_reg_init(&f, &p, 0) == -EINVAL);
	p = par;
	p.retry_max_s = 1;
	CHECK(cws_reg_init(&f, &p, 0) == -EINVAL);
	CHECK(cws_reg_init(NULL, &par, 0) == -EINVAL);
	CHECK_STR(cws_reg_state_name(CWS_REG_REGISTERED), "registered");
}

int main(void)
{
	refresh();
	backoff();
	interval_too_brief();
	unregister();
	bad_params();
	return check_done();
}
