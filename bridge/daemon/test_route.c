/* SPDX-License-Identifier: MIT */
/*
 * test_route.c — the pure parts of causeway-bridge: number rewriting with
 * real routes from a config, span group hunting, B-channel choice, SDP.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "../../tests/unit/check.h"
#include "config.h"
#include "route.h"

static const char conf[] =
	"[span 1]\nswitchtype = euroisdn\nsignalling = pri_cpe\ndchannel = socket:/tmp/a\n"
	"bchannels = 1-2\ngroup = g\n"
	"[route out]\nmatch = 0\ngroup = g\nstrip = 1\nprefix = 49\nton = international\n"
	"[route any]\nmatch = *\ngroup = g\n"
	"[route in]\nmatch = 4930\ntarget = sip:127.0.0.1:5070\nstrip = 2\nprefix = +49\n"
	"[route in-any]\nmatch = *\ntarget = sip:[::1]:5080;transport=tcp\n";

static void test_numbers(void)
{
	struct cwcfg_config *cfg = NULL;
	const struct cwcfg_route *r;
	char out[32], tiny[4];
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string(conf, "t.conf", &cfg, &d), 0)) {
		fprintf(stderr, "  %s:%u: %s\n", d.file, d.line, d.message);
		return;
	}
	/* SIP -> ISDN: longest prefix, strip then prefix */
	r = cwcfg_route_find(cfg, CWCFG_SIP_TO_ISDN, "0301234");
	CHECK(r && strcmp(r->name, "out") == 0);
	CHECK_INT(cwb_number_rewrite(r, "0301234", 0, out, sizeof(out)), 0);
	CHECK_STR(out, "49301234");
	CHECK_INT(r->ton, CWCFG_TON_INTERNATIONAL);
	r = cwcfg_route_find(cfg, CWCFG_SIP_TO_ISDN, "123");
	CHECK(r && strcmp(r->name, "any") == 0);
	CHECK_INT(cwb_number_rewrite(r, "12*#3", 0, out, sizeof(out)), 0);
	CHECK_STR(out, "12*#3");
	/* not an ISDN address (Q.931 §4.5.8): "service", "+49" toward ISDN */
	strcpy(out, "untouched");
	CHECK_INT(cwb_number_rewrite(r, "service", 0, out, sizeof(out)), CWCOM_ESYNTAX);
	CHECK_INT(cwb_number_rewrite(r, "+4930", 0, out, sizeof(out)), CWCOM_ESYNTAX);
	CHECK_STR(out, "untouched");
	CHECK_INT(cwb_number_rewrite(r, "12345", 0, tiny, sizeof(tiny)), -ENOSPC);
	CHECK_INT(cwb_number_rewrite(r, "", 0, out, sizeof(out)), 0);
	CHECK_STR(out, "");
	/* ISDN -> SIP */
	r = cwcfg_route_find(cfg, CWCFG_ISDN_TO_SIP, "4930555");
	CHECK(r && strcmp(r->name, "in") == 0);
	CHECK_INT(cwb_number_rewrite(r, "4930555", 1, out, sizeof(out)), 0);
	CHECK_STR(out, "+4930555");
	/* strip longer than the number: empty, then the prefix */
	CHECK_INT(cwb_number_rewrite(r, "4", 1, out, sizeof(out)), 0);
	CHECK_STR(out, "+49");
	r = cwcfg_route_find(cfg, CWCFG_ISDN_TO_SIP, "789");
	CHECK(r && strcmp(r->name, "in-any") == 0);
	CHECK_INT(cwb_number_rewrite(r, "+789", 1, out, sizeof(out)), 0);
	CHECK_STR(out, "+789");
	CHECK_INT(cwb_number_rewrite(r, "7+89", 1, out, sizeof(out)), CWCOM_ESYNTAX);
	CHECK_INT(cwb_number_rewrite(NULL, "1", 1, out, sizeof(out)), -EINVAL);
	cwcfg_config_free(cfg);
}

static void test_hunt(void)
{
	/* channels 1-3 and 1-2 */
	struct cwb_hunt_span s[3] = {
		{ "g", 1, 0xeUL, 0, CWCFG_HUNT_ASCENDING, 0 },
		{ "g", 1, 0x6UL, 0, CWCFG_HUNT_ASCENDING, 0 },
		{ "h", 1, 0x6UL, 0, CWCFG_HUNT_ASCENDING, 0 },
	};
	size_t idx = 99;
	int ch = 0;

	CHECK_INT(cwb_hunt(s, 3, "g", &idx, &ch), 0);
	CHECK_INT(idx, 0);
	CHECK_INT(ch, 1);
	s[0].busy = 0x2UL; /* lowest free */
	CHECK_INT(cwb_hunt(s, 3, "g", &idx, &ch), 0);
	CHECK_INT(ch, 2);
	s[0].busy = 0xeUL; /* first span full: the next span of the group */
	CHECK_INT(cwb_hunt(s, 3, "g", &idx, &ch), 0);
	CHECK_INT(idx, 1);
	CHECK_INT(ch, 1);
	s[1].busy = 0x6UL; /* all busy: 34 */
	idx = 99;
	CHECK_INT(cwb_hunt(s, 3, "g", &idx, &ch), 34);
	CHECK_INT(idx, 99);
	s[0].up = 0; /* one down, one full: still 34 */
	CHECK_INT(cwb_hunt(s, 3, "g", &idx, &ch), 34);
	s[1].up = 0; /* every span down: 38 */
	CHECK_INT(cwb_hunt(s, 3, "g", &idx, &ch), 38);
	s[1].busy = 0; /* down spans are skipped even with free channels */
	CHECK_INT(cwb_hunt(s, 3, "g", &idx, &ch), 38);
	s[1].up = 1;
	CHECK_INT(cwb_hunt(s, 3, "g", &idx, &ch), 0);
	CHECK_INT(idx, 1);
	CHECK_INT(cwb_hunt(s, 3, "h", &idx, &ch), 0);
	CHECK_INT(idx, 2);
	CHECK_INT(cwb_hunt(s, 3, "nogroup", &idx, &ch), 38);
	CHECK_INT(cwb_hunt(s, 0, "g", &idx, &ch), 38);
}

/* What cwb_hunt() gives over the two spans: span index * 100 + channel, or -cause. */
static int hunt2(const struct cwb_hunt_span *s)
{
	size_t idx = 99;
	int ch = 0, rc = cwb_hunt(s, 2, "g", &idx, &ch);

	return rc ? -rc : (int)idx * 100 + ch;
}

/* [span N] hunting: the order of each span's channels (ascending, descending, round-robin). */
static void test_hunt_order(void)
{
	/* channels 1-5 and 17-19 (an E1's both halves) */
	struct cwb_hunt_span s[2] = {
		{ "g", 1, 0x3eUL | 0xe0000UL, 0, CWCFG_HUNT_DESCENDING, 0 },
		{ "g", 1, 0x6UL, 0, CWCFG_HUNT_ROUND_ROBIN, 0 },
	};

	/* descending: the highest free first, down past the gap */
	CHECK_INT(hunt2(s), 19);
	s[0].busy = 0xe0000UL;
	CHECK_INT(hunt2(s), 5);
	s[0].busy = 0xe0000UL | 0x3cUL;
	CHECK_INT(hunt2(s), 1);
	s[0].busy = 0xe0000UL | 0x3eUL; /* full: the next span, in its own order */
	/* round-robin: after last, wrapping; the first call (last 0) takes the lowest */
	CHECK_INT(hunt2(s), 101);
	s[1].last = 1;
	CHECK_INT(hunt2(s), 102);
	s[1].last = 2; /* past the highest: back to the lowest */
	CHECK_INT(hunt2(s), 101);
	s[1].busy = 0x2UL; /* the one after last busy: the next free one, even last itself */
	CHECK_INT(hunt2(s), 102);
	s[1].last = 31; /* the top channel number wraps too */
	s[1].busy = 0;
	CHECK_INT(hunt2(s), 101);
	s[1].busy = 0x6UL; /* every channel busy: 34, whatever the order */
	CHECK_INT(hunt2(s), -34);
	/* ascending as before: the lowest */
	s[0].order = CWCFG_HUNT_ASCENDING;
	s[0].busy = 0x2UL;
	CHECK_INT(hunt2(s), 2);
}

/* ISDN->SIP failover: the next target, skipping tried ones and 503 Retry-After ones. */
static void test_targets(void)
{
	uint64_t skip[CWCFG_MAX_TARGETS] = { 0 };

	CHECK_INT(cwb_target_next(2, 0, skip, 1000), 0);
	CHECK_INT(cwb_target_next(2, 0x1u, skip, 1000), 1);      /* 1 tried: the second */
	CHECK_INT(cwb_target_next(2, 0x3u, skip, 1000), -1);     /* both tried */
	CHECK_INT(cwb_target_next(0, 0, skip, 1000), -1);        /* no target */
	CHECK_INT(cwb_target_next(2, 0, NULL, 1000), 0);
	/* target 0 answered 503 + Retry-After: 30 at t = 1000: skipped until 31000 */
	skip[0] = 31000;
	CHECK_INT(cwb_target_next(2, 0, skip, 1000), 1);
	CHECK_INT(cwb_target_next(2, 0, skip, 30999), 1);
	CHECK_INT(cwb_target_next(2, 0, skip, 31000), 0);        /* the time is over */
	CHECK_INT(cwb_target_next(2, 0x2u, skip, 5000), -1);     /* skipped + tried: none */
	skip[1] = 20000;                                         /* both skipped */
	CHECK_INT(cwb_target_next(2, 0, skip, 5000), -1);
	CHECK_INT(cwb_target_next(3, 0, skip, 5000), 2);         /* a third one is there */
	CHECK_INT(cwb_target_next(2, 0, skip, 25000), 1);        /* the shorter skip ends first */
	/* the order is the failover order, whatever the skips */
	skip[0] = skip[1] = 0;
	skip[7] = 99999;
	CHECK_INT(cwb_target_next(8, 0x7fu, skip, 5000), -1);
	CHECK_INT(cwb_target_next(8, 0x3fu, skip, 5000), 6);
	CHECK_INT(cwb_target_next(100, 0x7fu, skip, 100000), 7); /* n capped at 8 */
}

static void test_pick(void)
{
	unsigned long e1 = 0xfffefffeUL; /* 1-15,17-31 */
	int ch = 0;

	CHECK_INT(cwb_pick_channel(e1, 0, 5, 1, &ch), 0);
	CHECK_INT(ch, 5);
	CHECK_INT(cwb_pick_channel(e1, 1UL << 5, 5, 1, &ch), 34);   /* exclusive, busy */
	CHECK_INT(cwb_pick_channel(e1, 1UL << 5, 5, 0, &ch), 0);    /* preferred: another */
	CHECK_INT(ch, 1);
	CHECK_INT(cwb_pick_channel(e1, 0, 16, 1, &ch), 6);          /* the D-channel timeslot */
	CHECK_INT(cwb_pick_channel(e1, 0, 16, 0, &ch), 0);
	CHECK_INT(ch, 1);
	CHECK_INT(cwb_pick_channel(e1, 0, 0, 1, &ch), 0);           /* none requested */
	CHECK_INT(ch, 1);
	CHECK_INT(cwb_pick_channel(0x6UL, 0x6UL, 0, 0, &ch), 34);
	CHECK_INT(cwb_pick_channel(0x6UL, 0, 40, 1, &ch), 6);
}

int main(void)
{
	test_numbers();
	test_hunt();
	test_hunt_order();
	test_targets();
	test_pick();
	return check_done();
}
