/* SPDX-License-Identifier: MIT */
/*
 * isdn.h — the ISDN leg of causeway-bridge: the spans (bridge/pri), their
 * D-channel sources and reconnects, span events -> core events, the core's
 * ISDN actions -> bridge/pri's call control (through the leg ops it gives
 * calls.c). The only module of the daemon that uses bridge/pri, and only
 * its span.h, pri_call.h, dchan.h and q931.h: libpri.h stays inside bridge/pri.
 */
#ifndef CWB_ISDN_H
#define CWB_ISDN_H

#include <stdint.h>

#include "daemon.h"

/* cwb_isdn_start() - create every span, attach its source, register the leg's ops; 0, or
 * 1 (fatal: logged, exit 1). */
int cwb_isdn_start(struct cwb *d);
/* cwb_isdn_tick() - libpri timers, reconnects, alarms; after every wake-up. */
void cwb_isdn_tick(struct cwb *d, uint64_t now);
/* cwb_isdn_next_timeout() - ms until libpri or a reconnect needs us; -1 none. */
int cwb_isdn_next_timeout(const struct cwb *d, uint64_t now);
/* cwb_isdn_reload() - the spans take cfg's sections (same spans, same order: reload.c);
 * the D-channels, switch types and libpri timers they started with stay. */
void cwb_isdn_reload(struct cwb *d, const struct cwcfg_config *cfg);
/* cwb_isdn_every_span_up_once() - every span had its D-channel up at least once. */
int cwb_isdn_every_span_up_once(const struct cwb *d);
/* cwb_isdn_free() - close the sources and free the spans (bridge/pri keeps libpri's part). */
void cwb_isdn_free(struct cwb *d);

#endif /* CWB_ISDN_H */
