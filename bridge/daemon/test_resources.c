/* SPDX-License-Identifier: MIT */
/*
 * test_resources.c — the B-channels and SIP targets calls share
 * (resources.c), over a real config: claims on a SETUP, group hunting with
 * the channels a call tried, release, the OPTIONS health, targets put
 * aside by a 503 Retry-After until a given time, what a reload keeps, each
 * hunting order, channels out of service, and glare.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../tests/unit/check.h"
#include "config.h"
#include "resources.h"
#include "route.h"

static const char conf[] =
	"[span 1]\nswitchtype = euroisdn\nsignalling = pri_cpe\ndchannel = socket:/tmp/a\n"
	"bchannels = 1-2\ngroup = g\n"
	"[span 2]\nswitchtype = euroisdn\nsignalling = pri_cpe\ndchannel = socket:/tmp/b\n"
	"bchannels = 1\ngroup = g\n"
	"[route out]\nmatch = *\ngroup = g\n"
	"[route in]\nmatch = *\ntarget = sip:127.0.0.1:5070\ntarget = sip:127.0.0.1:5080\n";

static void test_channels(const struct cwcfg_config *cfg)
{
	struct cwb_resources *res = NULL;
	struct cwb_claim a = CWB_CLAIM_NONE, b = CWB_CLAIM_NONE, c = CWB_CLAIM_NONE;
	struct cwb_tried tried;

	if (!CHECK_INT(cwb_resources_new(cfg, &res), 0))
		return;
	memset(&tried, 0, sizeof(tried));
	/* every span down: nothing to claim, no health */
	CHECK_INT(cwb_resources_usable(res), 0);
	CHECK_INT(cwb_resources_spans_up(res), 0);
	CHECK_INT(cwb_resources_claim_hunt(res, "g", 0, &tried, &a), CWB_CAUSE_OUT_OF_ORDER);
	CHECK_INT(a.span, -1);
	CHECK_INT(cwb_resources_hunt_cause(res, "g", 0), CWB_CAUSE_OUT_OF_ORDER);
	CHECK_INT(cwb_resources_hunt_cause(res, "g", 3), CWB_CAUSE_OUT_OF_ORDER);
	cwb_resources_span_up(res, 0, 1);
	CHECK_INT(cwb_resources_spans_up(res), 1);
	cwb_resources_span_up(res, 1, 1);
	CHECK_INT(cwb_resources_usable(res), 1);
	CHECK_INT(cwb_resources_spans_up(res), 2);

	/* a received SETUP asks for channel 2 of span 1, exclusively */
	CHECK_INT(cwb_resources_claim_on(res, 0, 2, 1, &a), 0);
	CHECK_INT(a.span, 0);
	CHECK_INT(a.channel, 2);
	CHECK_INT(cwb_resources_claim_on(res, 0, 2, 1, &b), CWB_CAUSE_NO_CHANNEL);
	/* hunting: span 1 channel 1, then span 2, then none */
	CHECK_INT(cwb_resources_claim_hunt(res, "g", 0, &tried, &b), 0);
	CHECK_INT(b.span, 0);
	CHECK_INT(b.channel, 1);
	CHECK_INT(tried.n, 1);
	CHECK_INT(cwb_resources_hunt_possible(res, "g", &tried), 1); /* span 2 */
	CHECK_INT(cwb_resources_claim_hunt(res, "g", 1, &tried, &c), 0);
	CHECK_INT(c.span, 1);
	CHECK_INT(c.channel, 1);
	CHECK_INT(cwb_resources_usable(res), 0);
	CHECK_INT(cwb_resources_hunt_possible(res, "g", &tried), 0);
	/* the cause a new call's hunt would end with, claiming nothing */
	CHECK_INT(cwb_resources_hunt_cause(res, "g", 0), CWB_CAUSE_NO_CHANNEL);
	CHECK_INT(cwb_resources_hunt_cause(res, "nogroup", 0), CWB_CAUSE_OUT_OF_ORDER);

	/* released channels come back; a re-hunt avoids the channels the call tried */
	cwb_resources_release(res, &b);
	CHECK_INT(b.channel, 0);
	CHECK_INT(b.span, 0); /* the span stays named */
	CHECK_INT(cwb_resources_usable(res), 1);
	CHECK_INT(cwb_resources_hunt_cause(res, "g", 0), 0); /* whatever the call tried */
	/* one channel free: taken by a call admitted before, none is left */
	CHECK_INT(cwb_resources_hunt_cause(res, "g", 1), CWB_CAUSE_NO_CHANNEL);
	CHECK_INT(cwb_resources_hunt_cause(res, "g", 0), 0); /* and it took nothing */
	CHECK_INT(cwb_resources_claim_hunt(res, "g", 0, &tried, &b), CWB_CAUSE_NO_CHANNEL);
	memset(&tried, 0, sizeof(tried));
	CHECK_INT(cwb_resources_claim_hunt(res, "g", 0, &tried, &b), 0);
	CHECK_INT(b.channel, 1);
	cwb_resources_release(res, &a);
	cwb_resources_release(res, &b);
	cwb_resources_release(res, &c);
	cwb_resources_release(res, &c); /* twice: nothing */
	cwb_resources_span_up(res, 0, 0);
	CHECK_INT(cwb_resources_claim_hunt(res, "g", 0, &tried, &a), 0);
	CHECK_INT(a.span, 1); /* span 1 is down */
	cwb_resources_free(res);
}

static void test_targets(const struct cwcfg_config *cfg)
{
	const struct cwcfg_route *in = cwcfg_route_find(cfg, CWCFG_ISDN_TO_SIP, "1");
	struct cwb_resources *res = NULL;

	if (!CHECK(in != NULL) || !CHECK_INT(cwb_resources_new(cfg, &res), 0))
		return;
	CHECK_INT(cwb_resources_target_next(res, in, 0, 1000), 0);
	CHECK_INT(cwb_resources_target_next(res, in, 1u, 1000), 1);
	/* RFC 3261 §21.5.4: aside until 31000 */
	cwb_resources_target_aside(res, in, 0, 31000);
	CHECK_INT(cwb_resources_target_next(res, in, 0, 1000), 1);
	CHECK_INT(cwb_resources_target_next(res, in, 2u, 1000), -1);
	CHECK_INT(cwb_resources_target_next(res, in, 0, 31000), 0);
	cwb_resources_target_aside(res, in, 99, 50000); /* no such target: ignored */
	CHECK_INT(cwb_resources_target_next(res, NULL, 0, 1000), -1);
	cwb_resources_free(res);
}

/* A reload: the routes move, a target goes, one is new; the targets put aside stay aside
 * under their route's name and URI, for new calls and for a call up with the old route. */
static const char conf2[] =
	"[span 1]\nswitchtype = euroisdn\nsignalling = pri_cpe\ndchannel = socket:/tmp/a\n"
	"bchannels = 1-2\ngroup = h\n"
	"[span 2]\nswitchtype = euroisdn\nsignalling = pri_cpe\ndchannel = socket:/tmp/b\n"
	"bchannels = 1\ngroup = g\n"
	"[route new]\nmatch = 9\ntarget = sip:127.0.0.1:5090\n"
	"[route in]\nmatch = *\ntarget = sip:127.0.0.1:5099\ntarget = sip:127.0.0.1:5070\n"
	"[route out]\nmatch = *\ngroup = g\n";

static void test_reload(const struct cwcfg_config *cfg)
{
	const struct cwcfg_route *in = cwcfg_route_find(cfg, CWCFG_ISDN_TO_SIP, "1"), *in2;
	struct cwcfg_config *cfg2 = NULL;
	struct cwb_resources *res = NULL;
	struct cwb_claim a = CWB_CLAIM_NONE;
	struct cwb_tried tried;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	memset(&tried, 0, sizeof(tried));
	if (!CHECK_INT(cwcfg_config_load_string(conf2, "t2.conf", &cfg2, &d), 0) ||
	    !CHECK_INT(cwb_resources_new(cfg, &res), 0)) {
		cwcfg_config_free(cfg2);
		return;
	}
	in2 = cwcfg_route_find(cfg2, CWCFG_ISDN_TO_SIP, "1");
	cwb_resources_span_up(res, 0, 1);
	cwb_resources_span_up(res, 1, 1);
	cwb_resources_target_aside(res, in, 0, 31000);  /* 5070 */
	cwb_resources_target_aside(res, in, 1, 31000);  /* 5080: gone after the reload */
	cwb_resources_reload(res, cfg2);
	/* [route in] is now 5099, 5070: 5070 is still aside, 5099 is usable */
	if (CHECK(in2 != NULL)) {
		CHECK_INT(cwb_resources_target_next(res, in2, 0, 1000), 0);
		CHECK_INT(cwb_resources_target_next(res, in2, 1u, 1000), -1);
		CHECK_INT(cwb_resources_target_next(res, in2, 1u, 31000), 1);
	}
	/* the call up with the old route: 5070 aside (by URI), 5080 unknown now: usable */
	CHECK_INT(cwb_resources_target_next(res, in, 0, 1000), 1);
	cwb_resources_target_aside(res, in, 0, 40000);  /* 5070 again, through the old route */
	if (in2)
		CHECK_INT(cwb_resources_target_next(res, in2, 1u, 31000), -1);
	/* hunting follows the new groups: group g is span 2 alone */
	CHECK_INT(cwb_resources_claim_hunt(res, "g", 0, &tried, &a), 0);
	CHECK_INT((int)a.span, 1);
	cwb_resources_release(res, &a);
	cwb_resources_free(res);
	cwcfg_config_free(cfg2);
}

/* [span N] hunting, SERVICE from the network and glare, on spans of their own. */
static const char conf3[] =
	"[span 1]\nswitchtype = ni2\nsignalling = pri_cpe\ndchannel = socket:/tmp/a\n"
	"bchannels = 1-3\ngroup = rr\nhunting = round-robin\n"
	"[span 2]\nswitchtype = ni2\nsignalling = pri_cpe\ndchannel = socket:/tmp/b\n"
	"bchannels = 1-23\ngroup = down\nhunting = descending\n"
	"[route out]\nmatch = *\ngroup = rr\n";

/* A call hunts on group: the channel it got, 0 when refused (the cause in *rc). */
static int hunt_one(struct cwb_resources *res, const char *group, struct cwb_claim *a, int *rc)
{
	struct cwb_tried tried;

	memset(&tried, 0, sizeof(tried));
	*rc = cwb_resources_claim_hunt(res, group, 0, &tried, a);
	return *rc == 0 ? a->channel : 0;
}

static void test_order_service_glare(void)
{
	struct cwcfg_config *cfg = NULL;
	struct cwb_resources *res = NULL;
	struct cwb_claim a = CWB_CLAIM_NONE, b = CWB_CLAIM_NONE, in = CWB_CLAIM_NONE;
	unsigned busy = 0, total = 0;
	int rc = 0, up = 0;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string(conf3, "t3.conf", &cfg, &d), 0) ||
	    !CHECK_INT(cwb_resources_new(cfg, &res), 0)) {
		cwcfg_config_free(cfg);
		return;
	}
	cwb_resources_span_up(res, 0, 1);
	cwb_resources_span_up(res, 1, 1);
	/* round-robin: 1, 2, 3, then 1 again although 1 was free all along */
	CHECK_INT(hunt_one(res, "rr", &a, &rc), 1);
	cwb_resources_release(res, &a);
	CHECK_INT(hunt_one(res, "rr", &a, &rc), 2);
	cwb_resources_release(res, &a);
	CHECK_INT(hunt_one(res, "rr", &a, &rc), 3);
	cwb_resources_release(res, &a);
	CHECK_INT(hunt_one(res, "rr", &a, &rc), 1);
	/* descending: 23, then 22 while 23 is held */
	CHECK_INT(hunt_one(res, "down", &b, &rc), 23);
	CHECK_INT(hunt_one(res, "down", &in, &rc), 22);
	cwb_resources_release(res, &in);
	cwb_resources_release(res, &b);

	/* SERVICE: channel 2 out of service is skipped; 2 and 3 out: the next is 1 */
	cwb_resources_release(res, &a);
	cwb_resources_channel_service(res, 0, 2, 0);
	CHECK_INT(cwb_resources_span_out_of_service(res, 0), 1);
	CHECK_INT(hunt_one(res, "rr", &a, &rc), 3);
	cwb_resources_release(res, &a);
	cwb_resources_channel_service(res, 0, 3, 0);
	CHECK_INT(hunt_one(res, "rr", &a, &rc), 1);
	/* every channel out of service or busy: 34, and no OPTIONS health from span 1 */
	CHECK_INT(hunt_one(res, "rr", &b, &rc), 0);
	CHECK_INT(rc, CWB_CAUSE_NO_CHANNEL);
	cwb_resources_span_up(res, 1, 0);
	CHECK_INT(cwb_resources_usable(res), 0);
	cwb_resources_span_up(res, 1, 1);
	/* a SETUP from the network may still take an out-of-service channel (its word) */
	CHECK_INT(cwb_resources_claim_on(res, 0, 2, 1, &in), 0);
	cwb_resources_release(res, &in);
	cwb_resources_span_channels(res, 0, &up, &busy, &total);
	CHECK_INT(busy, 1);
	CHECK_INT(total, 3);
	CHECK_INT(cwb_resources_span_out_of_service(res, 0), 2);
	CHECK_INT(cwb_resources_span_out_of_service(res, 1), 0);
	CHECK_INT(cwb_resources_span_out_of_service(res, 9), 0);
	cwb_resources_channel_service(res, 0, 2, 1); /* back in service: hunted again */
	CHECK_INT(hunt_one(res, "rr", &b, &rc), 2);
	cwb_resources_channel_service(res, 9, 2, 0); /* no such span: nothing */
	CHECK_INT(cwb_resources_span_out_of_service(res, 0), 1);

	/* glare: the network's SETUP takes channel 2 from b, which keeps its span only */
	CHECK_INT(cwb_resources_take_over(res, &b, &in), 0);
	CHECK_INT((int)in.span, 0);
	CHECK_INT(in.channel, 2);
	CHECK_INT(b.channel, 0);
	CHECK_INT((int)b.span, 0);
	CHECK_INT(cwb_resources_take_over(res, &b, &in), -ENOENT); /* nothing left to take */
	cwb_resources_release(res, &b);                          /* frees nothing */
	CHECK_INT(cwb_resources_claim_on(res, 0, 2, 1, &b), CWB_CAUSE_NO_CHANNEL);
	cwb_resources_release(res, &in);
	CHECK_INT(cwb_resources_claim_on(res, 0, 2, 1, &b), 0);
	cwb_resources_release(res, &b);
	cwb_resources_release(res, &a);
	cwb_resources_free(res);
	cwcfg_config_free(cfg);
}

int main(void)
{
	struct cwcfg_config *cfg = NULL;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string(conf, "t.conf", &cfg, &d), 0)) {
		fprintf(stderr, "  %s:%u: %s\n", d.file, d.line, d.message);
		return check_done();
	}
	test_channels(cfg);
	test_targets(cfg);
	test_reload(cfg);
	test_order_service_glare();
	cwcfg_config_free(cfg);
	return check_done();
}
