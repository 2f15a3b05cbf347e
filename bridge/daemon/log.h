/* SPDX-License-Identifier: MIT */
/*
 * log.h — the log lines of causeway-bridge (README "Log lines"): one
 * "causeway-bridge: LEVEL: TEXT" line on stderr per call of cwb_log().
 */
#ifndef CWB_LOG_H
#define CWB_LOG_H

#include "config.h"

extern enum cw_bridge_log_level cwb_log_level;

#if defined(__GNUC__)
#define CWB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CWB_PRINTF(a, b)
#endif

/* cwb_log() - "causeway-bridge: LEVEL: TEXT" on stderr, one write per line. */
void cwb_log(enum cw_bridge_log_level level, const char *fmt, ...) CWB_PRINTF(2, 3);

#define cwb_error(...) cwb_log(CW_BRIDGE_LOG_ERROR, __VA_ARGS__)
#define cwb_warning(...) cwb_log(CW_BRIDGE_LOG_WARNING, __VA_ARGS__)
#define cwb_notice(...) cwb_log(CW_BRIDGE_LOG_NOTICE, __VA_ARGS__)
#define cwb_info(...) cwb_log(CW_BRIDGE_LOG_INFO, __VA_ARGS__)
#define cwb_debug(...) cwb_log(CW_BRIDGE_LOG_DEBUG, __VA_ARGS__)

#endif /* CWB_LOG_H */
