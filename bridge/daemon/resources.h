/* SPDX-License-Identifier: MIT */
/*
 * resources.h — what calls share: the spans' B-channels and the SIP
 * targets a 503 Retry-After put aside. The only code that claims and
 * releases a B-channel (Q.931 §5.1.2, §5.2.3.1) and the only holder of
 * the targets' skip times (RFC 3261 §21.5.4). Reads no clock: every time
 * is an argument. Pure (no libpri, no libosip2): unit-tested.
 */
#ifndef CWB_RESOURCES_H
#define CWB_RESOURCES_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* A call's B-channel: span index (in cfg->spans), channel 0 = none. The span stays named
 * after the channel is released (the call was on it). */
struct cwb_claim {
	long span;   /* -1: none */
	int channel; /* 0: none */
};
#define CWB_CLAIM_NONE { -1, 0 }

#define CWB_MAX_TRIED 8 /* channels tried per call (cause 44 re-hunts) */

/* The channels a call was given by hunting, in order (re-hunts avoid them). */
struct cwb_tried {
	struct {
		size_t span;
		int channel;
	} at[CWB_MAX_TRIED];
	size_t n;
};

struct cwb_resources;

/* cwb_resources_new() - every span down, every channel free, no target aside.
 * Returns 0, -EINVAL, -ENOMEM. cfg must outlive it (or its cwb_resources_reload()). */
int cwb_resources_new(const struct cwcfg_config *cfg, struct cwb_resources **ret);
/*
 * cwb_resources_reload() - cfg from now on (a SIGHUP): its spans' groups for hunting, its
 * routes' targets; cfg has the running spans (index, channels: reload.c sees to it). A target
 * put aside stays aside under its route's name and URI. Calls that started before keep
 * their route: its targets are found by name and URI. Cannot fail. cfg must outlive res,
 * or the next reload.
 */
void cwb_resources_reload(struct cwb_resources *res, const struct cwcfg_config *cfg);
/* cwb_resources_free() - NULL is ignored. */
void cwb_resources_free(struct cwb_resources *res);

/* cwb_resources_span_up() - the ISDN leg's word on a span: calls allowed (1) or not. */
void cwb_resources_span_up(struct cwb_resources *res, size_t span, int up);
/* cwb_resources_usable() - a span is up with a free B-channel (the OPTIONS health). */
int cwb_resources_usable(const struct cwb_resources *res);
/* cwb_resources_spans_up() - how many spans the ISDN leg calls up (the service status). */
size_t cwb_resources_spans_up(const struct cwb_resources *res);

/* cwb_resources_span_channels() - span's word from the ISDN leg (up 0/1) and its B-channels:
 * in use, configured (the metrics' gauges). Nothing written for a span out of range. */
void cwb_resources_span_channels(const struct cwb_resources *res, size_t span, int *up,
                                 unsigned *busy, unsigned *total);

/*
 * cwb_resources_claim_on() - the B-channel of a received SETUP on span
 * (cwb_pick_channel: requested, exclusive). Returns 0 with *claim set and
 * the channel busy, or the Q.850 cause (6, 34); *claim untouched then.
 */
int cwb_resources_claim_on(struct cwb_resources *res, size_t span, int requested, int exclusive,
                           struct cwb_claim *claim);

/*
 * cwb_resources_claim_hunt() - span group hunting for a SETUP out (RFC 4497
 * §8.3.1): a free channel in service, not in tried, in the span's hunting
 * order (round-robin: after the one this span gave last); other_span: only
 * on spans tried has none of. Returns 0 with *claim set, the channel busy and added to
 * tried; or the Q.850 cause (34, 38), *claim untouched.
 */
int cwb_resources_claim_hunt(struct cwb_resources *res, const char *group, int other_span,
                             struct cwb_tried *tried, struct cwb_claim *claim);

/* cwb_resources_hunt_cause() - what a first hunt in group would end with once taken more
 * of its channels are claimed: 0 (a channel is still free), CWB_CAUSE_NO_CHANNEL, or
 * CWB_CAUSE_OUT_OF_ORDER when no span of the group is up (route.h cwb_hunt()); claims
 * nothing. */
int cwb_resources_hunt_cause(const struct cwb_resources *res, const char *group,
                             unsigned taken);

/* cwb_resources_hunt_possible() - another span of group, none of tried, has a free channel. */
int cwb_resources_hunt_possible(const struct cwb_resources *res, const char *group,
                                const struct cwb_tried *tried);

/* cwb_resources_release() - the claim's channel is free again; the span stays named. */
void cwb_resources_release(struct cwb_resources *res, struct cwb_claim *claim);

/*
 * cwb_resources_take_over() - glare (Q.931 §5.2.3.1, §5.1.2): the network's SETUP names the
 * channel of from, a SETUP of ours it has not confirmed. The network wins: to gets the
 * channel (still busy), from keeps its span and has no channel (its call re-hunts on the
 * network's cause 44). 0, or -ENOENT when from holds no channel.
 */
int cwb_resources_take_over(struct cwb_resources *res, struct cwb_claim *from,
                            struct cwb_claim *to);

/*
 * cwb_resources_channel_service() - the network's SERVICE message for a B-channel
 * (ANSI T1.607 SERVICE, Change status IE: in service, or not): an out-of-service channel
 * is not hunted (nor counted by cwb_resources_usable()) until it is back in service. A call
 * on it goes on. Nothing for a span or channel out of range.
 */
void cwb_resources_channel_service(struct cwb_resources *res, size_t span, int channel,
                                   int in_service);
/* cwb_resources_span_out_of_service() - how many of span's B-channels are out of service
 * (the metrics' gauge); 0 for a span out of range. */
unsigned cwb_resources_span_out_of_service(const struct cwb_resources *res, size_t span);

/*
 * cwb_resources_target_aside() - a 503 with Retry-After from target (index
 * in route->targets) puts it aside until until_ms (RFC 3261 §21.5.4).
 */
void cwb_resources_target_aside(struct cwb_resources *res, const struct cwcfg_route *route,
                                int target, uint64_t until_ms);

/* cwb_resources_target_next() - the route's first target not in tried (bit i) and not put
 * aside at now (cwb_target_next), or -1. */
int cwb_resources_target_next(const struct cwb_resources *res, const struct cwcfg_route *route,
                              unsigned tried, uint64_t now);

#endif /* CWB_RESOURCES_H */
